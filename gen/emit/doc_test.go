package emit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/model"
)

const flagshipSpec = "../../spec/vss.yaml"

// parsedOutputs runs every emitter on s and parses the Go files.
func parsedOutputs(t *testing.T, s *model.Spec) map[string]*ast.File {
	t.Helper()
	outs, err := All(s, Config{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, o := range outs {
		if !strings.HasSuffix(o.Name, ".go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), o.Name, o.Data, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		files[o.Name] = f
	}
	return files
}

// The package comment is doc.go's, and no other file has one: go doc
// would join them in an order of its choosing.
func TestDocIsTheOnlyPackageComment(t *testing.T) {
	for _, spec := range []struct{ path, source string }{
		{flagshipSpec, "spec/vss.yaml"},
		{featureSpec, "gen/testdata/golden/features/spec.yaml"},
	} {
		t.Run(spec.source, func(t *testing.T) {
			files := parsedOutputs(t, loadSpec(t, spec.path, spec.source))
			var with []string
			for name, f := range files {
				if f.Doc != nil {
					with = append(with, name)
				}
			}
			if !slices.Equal(with, []string{"doc.go"}) {
				t.Fatalf("files with a package comment: %v, want only doc.go", with)
			}
			raw := files["doc.go"].Doc.Text()
			doc := strings.Join(strings.Fields(raw), " ")
			for _, want := range []string{
				"Package " + files["doc.go"].Name.Name + " is the Go binding vssgen generated from " + spec.source,
				"# Codes seen in logs", "HRESULT(0x", ").String()", "Error adds the value and meaning",
				"errors.Is", "GOOS=windows go doc", "REFERENCE.md",
			} {
				if !strings.Contains(doc, want) {
					t.Errorf("the package comment lacks %q:\n%s", want, raw)
				}
			}
		})
	}
}

// Where to start depends on what the spec has: the flagship names the
// function that creates the backup components and the requester's sequence;
// the feature spec has neither, and the comment says nothing of them.
func TestDocWhereToStart(t *testing.T) {
	flagship := strings.Join(docLines(loadSpec(t, flagshipSpec, "spec/vss.yaml")), "\n")
	flat := strings.Join(strings.Fields(flagship), " ")
	for _, want := range []string{
		"# Where to start",
		"CreateVssBackupComponentsInternal creates the IVssBackupComponents",
		"in this order: InitializeForBackup, SetContext, GatherWriterMetadata, StartSnapshotSet, AddToSnapshotSet, SetBackupState, PrepareForBackup, DoSnapshotSet, GetSnapshotProperties, BackupComplete.",
		"IVssAsync.WaitContext", "example shadowCopy",
		"HRESULT(0x8004230F).String() is \"VSS_E_UNEXPECTED_PROVIDER_ERROR\"",
		"The COM interfaces, DLL functions, WaitContext and C structs are built only for GOOS=windows",
		"\tGOOS=windows go doc IVssBackupComponents",
	} {
		if !strings.Contains(flat, want) && !strings.Contains(flagship, want) {
			t.Errorf("the flagship's package comment lacks %q:\n%s", want, flagship)
		}
	}

	features := strings.Join(docLines(loadFeatureSpec(t)), "\n")
	for _, absent := range []string{"Where to start", "CreateVssBackupComponents", "IVssBackupComponents", "WaitContext", "shadowCopy"} {
		if strings.Contains(features, absent) {
			t.Errorf("the feature spec has no %s, but its package comment mentions it:\n%s", absent, features)
		}
	}

	// Without DoSnapshotSet the sequence loses that step and the example.
	s := loadSpec(t, flagshipSpec, "spec/vss.yaml")
	for _, it := range s.Interfaces {
		if it.Name == backupInterface {
			it.Methods = slices.DeleteFunc(it.Methods, func(m *model.Method) bool { return m.Name == "DoSnapshotSet" })
		}
	}
	trimmed := strings.Join(strings.Fields(strings.Join(docLines(s), " ")), " ")
	if strings.Contains(trimmed, "DoSnapshotSet") || strings.Contains(trimmed, "shadowCopy") {
		t.Errorf("without DoSnapshotSet the comment still names it or the example:\n%s", trimmed)
	}
	if !strings.Contains(trimmed, "PrepareForBackup, GetSnapshotProperties") {
		t.Errorf("without DoSnapshotSet the sequence should go on without it:\n%s", trimmed)
	}
}

// exampleFuncs lists the Example functions of a parsed file, each with
// whether it has an Output comment.
func exampleFuncs(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || !strings.HasPrefix(fn.Name.Name, "Example") {
			continue
		}
		output := false
		for _, c := range f.Comments {
			if c.Pos() > fn.Body.Lbrace && c.End() < fn.Body.Rbrace && strings.HasPrefix(c.Text(), "Output:") {
				output = true
			}
		}
		out[fn.Name.Name] = output
	}
	return out
}

// The portable examples have their output; the Windows ones, which would
// call a real VSS service, have none, so go test only compiles them.
func TestExamples(t *testing.T) {
	files := parsedOutputs(t, loadSpec(t, flagshipSpec, "spec/vss.yaml"))
	portable, windows := files["example_test.go"], files["example_windows_test.go"]
	if portable == nil || windows == nil {
		t.Fatalf("the flagship spec gives no example_test.go or example_windows_test.go")
	}
	if got, want := exampleFuncs(portable), map[string]bool{"ExampleHRESULT": true, "ExampleNewError": true}; !mapsEqual(got, want) {
		t.Errorf("example_test.go: %v, want %v", got, want)
	}
	if got, want := exampleFuncs(windows), map[string]bool{"ExampleIVssAsync_WaitContext": false, "Example_shadowCopy": false}; !mapsEqual(got, want) {
		t.Errorf("example_windows_test.go: %v, want %v", got, want)
	}
	if !slices.ContainsFunc(windows.Comments, func(c *ast.CommentGroup) bool {
		return slices.ContainsFunc(c.List, func(l *ast.Comment) bool { return l.Text == "//go:build windows" })
	}) {
		t.Error("example_windows_test.go lacks its windows build constraint")
	}

	// The feature spec has codes and an OS-version note, but no IVssAsync
	// and no requester: only the portable examples.
	files = parsedOutputs(t, loadFeatureSpec(t))
	if files["example_windows_test.go"] != nil {
		t.Error("the feature spec gives Windows examples it has nothing for")
	}
	if got, want := exampleFuncs(files["example_test.go"]), map[string]bool{"ExampleHRESULT": true, "ExampleNewError": true}; !mapsEqual(got, want) {
		t.Errorf("feature spec example_test.go: %v, want %v", got, want)
	}
}

// The errors.Is example's output comes from the model's own reading of the
// note, on a version the note covers and one it does not.
func TestExampleOSNote(t *testing.T) {
	ex := osNoteExample(loadSpec(t, flagshipSpec, "spec/vss.yaml"))
	if ex == nil {
		t.Fatal("no OS-version note example for the flagship spec")
	}
	if ex.sub.Observed.Name != "E_UNEXPECTED" || ex.sub.Documented.Name != "VSS_E_UNEXPECTED" {
		t.Errorf("substitution %s for %s, want E_UNEXPECTED for VSS_E_UNEXPECTED", ex.sub.Observed.Name, ex.sub.Documented.Name)
	}
	if ex.applies.Version() != "6.0" || ex.newer.Version() != "6.1" || !ex.appliesMatched || ex.newerMatched {
		t.Errorf("versions %s (matched %t) and %s (matched %t), want 6.0 (true) and 6.1 (false)",
			ex.applies.Version(), ex.appliesMatched, ex.newer.Version(), ex.newerMatched)
	}
}

// SetContext takes VSS_SNAPSHOT_CONTEXT in Go and LONG in C, as the spec's
// enum: on the parameter says; the example passes the enum's constant.
func TestParamEnum(t *testing.T) {
	s := loadSpec(t, flagshipSpec, "spec/vss.yaml")
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			if m.FullName() != "IVssBackupComponents.SetContext" {
				continue
			}
			p := m.Params[0]
			if p.Type.C != "VSS_SNAPSHOT_CONTEXT" || p.CDecl() != "LONG lContext" || cParamType(p) != "LONG" || goParamType(p) != "VSS_SNAPSHOT_CONTEXT" {
				t.Errorf("SetContext's parameter: type %s, C %q (%s), Go %s; want VSS_SNAPSHOT_CONTEXT, LONG lContext, VSS_SNAPSHOT_CONTEXT",
					p.Type.C, p.CDecl(), cParamType(p), goParamType(p))
			}
			return
		}
	}
	t.Fatal("no IVssBackupComponents.SetContext in the flagship spec")
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
