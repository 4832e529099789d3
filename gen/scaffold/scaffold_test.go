package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

func starterFiles(t *testing.T, pkg string) map[string][]byte {
	t.Helper()
	files, err := Files(pkg, false)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	var names []string
	for _, f := range files {
		out[f.Name] = f.Data
		names = append(names, f.Name)
	}
	if want := []string{SpecFile, SchemaFile, GenFile}; !slices.Equal(names, want) {
		t.Fatalf("Files gives %v, want %v", names, want)
	}
	return out
}

func buildModel(t *testing.T, name string, data []byte) *model.Spec {
	t.Helper()
	raw, err := load.Bytes(name, data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(raw, name, name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestStarterSpecHasFlagshipFacts checks that the starter spec says about
// IVssAsync exactly what spec/vss.yaml says, and that every code, OS
// version and note in it is the flagship's.
func TestStarterSpecHasFlagshipFacts(t *testing.T) {
	flagshipData, err := os.ReadFile(filepath.Join("..", "..", "spec", "vss.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	flagship := buildModel(t, "spec/vss.yaml", flagshipData)
	starter := buildModel(t, SpecFile, starterFiles(t, "vss")[SpecFile])

	if got, want := describeInterface(find(t, starter.Interfaces, "IVssAsync")), describeInterface(find(t, flagship.Interfaces, "IVssAsync")); got != want {
		t.Errorf("IVssAsync in the starter spec differs from spec/vss.yaml; bring vss.yaml.tmpl up to date\nstarter:\n%s\nflagship:\n%s", got, want)
	}
	if len(starter.Interfaces) != 2 { // IUnknown and IVssAsync
		t.Errorf("the starter spec declares %d interfaces besides IUnknown, want IVssAsync alone", len(starter.Interfaces)-1)
	}
	for _, h := range starter.HRESULTs {
		f := findCode(flagship, h.Name)
		if f == nil {
			t.Errorf("code %s is not in spec/vss.yaml", h.Name)
			continue
		}
		if h.Value != f.Value || h.Doc != f.Doc {
			t.Errorf("code %s: starter has %s %q, spec/vss.yaml %s %q", h.Name, h.Hex(), h.Doc, f.Hex(), f.Doc)
		}
	}
	for _, o := range starter.OSVersions {
		f := findOS(flagship, o.ID)
		if f == nil || *f != *o {
			t.Errorf("os version %+v differs from spec/vss.yaml's %+v", o, f)
		}
	}
}

// TestStarterSpecHoldsTheCodesItUses checks that the starter's table holds
// just the codes its methods name, so that it reads as a complete example.
func TestStarterSpecHoldsTheCodesItUses(t *testing.T) {
	starter := buildModel(t, SpecFile, starterFiles(t, "vss")[SpecFile])
	used := map[string]bool{}
	for _, it := range starter.Interfaces {
		for _, m := range it.Methods {
			for _, r := range append(append([]*model.Return(nil), m.Returns...), m.StatusCodes...) {
				used[r.Code.Name] = true
				for _, n := range r.Notes {
					if n.ReturnsInstead != nil {
						used[n.ReturnsInstead.Name] = true
					}
				}
			}
		}
	}
	for _, h := range starter.HRESULTs {
		if !used[h.Name] {
			t.Errorf("code %s is in the starter spec but no method names it", h.Name)
		}
	}
}

func TestStarterSpecGenerates(t *testing.T) {
	files := starterFiles(t, "shadow")
	if !bytes.HasPrefix(files[SpecFile], []byte("# yaml-language-server: $schema="+SchemaFile+"\n")) {
		t.Errorf("the spec's first line does not name %s for editors", SchemaFile)
	}
	out, err := gen.GenerateBytes(SpecFile, files[SpecFile], gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hresult := ""
	for _, f := range out {
		if f.Name == "hresult.go" {
			hresult = string(f.Data)
		}
	}
	if !strings.Contains(hresult, "\npackage shadow\n") {
		t.Errorf("the generated package is not named after Files' argument:\n%.300s", hresult)
	}
}

func TestGenFile(t *testing.T) {
	src := starterFiles(t, "shadow")[GenFile]
	lines := strings.Split(string(src), "\n")
	if lines[0] != "//go:build generate" {
		t.Errorf("first line %q, want the generate build constraint", lines[0])
	}
	for _, want := range []string{
		"//go:generate go tool vssgen -spec " + SpecFile + " -out . -pkg shadow",
		"package shadow",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("gen.go lacks the line %q:\n%s", want, src)
		}
	}
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatalf("gen.go does not parse: %v\n%s", err, src)
	}
	if !bytes.Equal(formatted, src) {
		t.Errorf("gen.go is not gofmt-clean:\n%s", src)
	}
}

func TestCheckPackageName(t *testing.T) {
	for _, ok := range []string{"vss", "shadow2", "Vss", "_x"} {
		if err := CheckPackageName(ok); err != nil {
			t.Errorf("CheckPackageName(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "_", "func", "2vss", "vss-api", "vss api", "vßs", "пакет", "main", "documentation"} {
		if err := CheckPackageName(bad); err == nil {
			t.Errorf("CheckPackageName(%q) = nil, want an error", bad)
		}
		if _, err := Files(bad, false); err == nil {
			t.Errorf("Files(%q) succeeded", bad)
		}
	}
}

// TestInitAndGenerateShareThePackageRule: a name init accepts for -pkg
// gives a spec that generate accepts, with the spec's package line and as
// generate's -pkg; a name init refuses, generate refuses in both places
// too, the spec's at its position and the flag's by the flag's name.
func TestInitAndGenerateShareThePackageRule(t *testing.T) {
	for _, name := range []string{"vss", "Vss", "_x", "shadow2", "", "_", "func", "main", "documentation", "пакет", "vßs", "vss-api", "2vss"} {
		initErr := CheckPackageName(name)
		files, err := Files(DefaultPackage, false)
		if err != nil {
			t.Fatal(err)
		}
		starter := files[0].Data
		if !bytes.Contains(starter, []byte("\npackage: vss\n")) {
			t.Fatal("the starter spec has no package: vss line")
		}
		withName := bytes.Replace(starter, []byte("\npackage: vss\n"), []byte("\npackage: \""+name+"\"\n"), 1)
		_, specErr := gen.GenerateBytes("vss.yaml", withName, gen.Options{})
		_, flagErr := gen.GenerateBytes("vss.yaml", starter, gen.Options{Package: name})
		if initErr == nil {
			if specErr != nil || flagErr != nil {
				t.Errorf("init accepts %q, but generate refuses it: in the spec %v, as -pkg %v", name, specErr, flagErr)
			}
			continue
		}
		if name == "" {
			if specErr == nil {
				t.Error("generate accepts an empty package")
			}
			continue // an empty package line is a missing one, and -pkg "" means no -pkg
		}
		var ps load.Problems
		if !errors.As(specErr, &ps) || len(ps) != 1 || ps[0].Msg != "package "+initErr.Error() {
			t.Errorf("package %q in the spec: got %v, want the one problem %q", name, specErr, "package "+initErr.Error())
		}
		if flagErr == nil || flagErr.Error() != "-pkg: "+initErr.Error() {
			t.Errorf("-pkg %q: got %v, want %q", name, flagErr, "-pkg: "+initErr.Error())
		}
	}
}

func TestPackageName(t *testing.T) {
	for dir, want := range map[string]string{
		"vss":                    "vss",
		"internal/shadow":        "shadow",
		"Backup-Agent.v2":        "backupagentv2",
		"vss_bindings":           "vssbindings",
		"2024-vss":               "vss",
		"func":                   DefaultPackage,
		"main":                   DefaultPackage,
		"documentation":          DefaultPackage,
		"---":                    DefaultPackage,
		"日本":                     DefaultPackage,
		filepath.Join("a", "go"): DefaultPackage,
	} {
		if got := PackageName(dir); got != want {
			t.Errorf("PackageName(%q) = %q, want %q", dir, got, want)
		}
		if err := CheckPackageName(PackageName(dir)); err != nil {
			t.Errorf("PackageName(%q) is not a package name: %v", dir, err)
		}
	}
}

func TestWriteCreatesDirectories(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	files, err := Files("b", false)
	if err != nil {
		t.Fatal(err)
	}
	written, err := Write(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(files) {
		t.Errorf("Write reports %d files written, want %d", len(written), len(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s holds other bytes than Files gave", f.Name)
		}
	}
}

func TestWriteRefusesExistingFiles(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, GenFile)
	if err := os.WriteFile(mine, []byte("package mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Files("vss", false)
	if err != nil {
		t.Fatal(err)
	}
	written, err := Write(dir, files)
	var exists *ExistsError
	if !errors.As(err, &exists) {
		t.Fatalf("Write over an existing %s: %v, want an *ExistsError", GenFile, err)
	}
	if !slices.Equal(exists.Paths, []string{mine}) || written != nil {
		t.Errorf("ExistsError names %v and Write reports %v written; want %s and nothing", exists.Paths, written, mine)
	}
	if got, _ := os.ReadFile(mine); string(got) != "package mine\n" {
		t.Errorf("%s was overwritten", GenFile)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("Write left %d entries in the directory, want only the existing file", len(entries))
	}
	if want := mine + " already exists"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// TestWriteUndoesPartialWork makes the second file fail to be created (its
// directory does not exist) and checks that the first file and the
// directories Write made are gone again.
func TestWriteUndoesPartialWork(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "new", "pkg")
	files := []File{{"first.txt", []byte("1")}, {filepath.Join("missing", "second.txt"), []byte("2")}}
	if _, err := Write(dir, files); err == nil {
		t.Fatal("Write succeeded though a file could not be created")
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("after a failed Write the parent holds %v, want nothing", entries)
	}
}

func TestInModule(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "mod", "vss")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	// The temporary directory could itself lie inside a module; only
	// outside one can sub be outside one.
	if !InModule(root) && InModule(sub) {
		t.Errorf("InModule(%s) = true before any go.mod exists", sub)
	}
	if err := os.WriteFile(filepath.Join(root, "mod", "go.mod"), []byte("module example.com/mod\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !InModule(sub) {
		t.Errorf("InModule(%s) = false below a go.mod", sub)
	}
}

func find(t *testing.T, its []*model.Interface, name string) *model.Interface {
	t.Helper()
	for _, it := range its {
		if it.Name == name {
			return it
		}
	}
	t.Fatalf("no interface %s", name)
	return nil
}

func findCode(s *model.Spec, name string) *model.HRESULT {
	for _, h := range s.HRESULTs {
		if h.Name == name {
			return h
		}
	}
	return nil
}

func findOS(s *model.Spec, id string) *model.OSVersion {
	for _, o := range s.OSVersions {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// describeInterface writes down every fact of an interface, so that two
// interfaces from different specs can be compared as text.
func describeInterface(it *model.Interface) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s iid=%s base=%s header=%s\n  doc: %s\n", it.Name, it.IID, it.Base.Name, it.Header, it.Doc)
	notes := func(indent string, ns []*model.Note) {
		for _, n := range ns {
			fmt.Fprintf(&b, "%snote %s", indent, n.Systems())
			if n.ReturnsInstead != nil {
				fmt.Fprintf(&b, " returns %s", n.ReturnsInstead.Name)
			}
			fmt.Fprintf(&b, ": %s\n", n.Text)
		}
	}
	for _, m := range it.Methods {
		fmt.Fprintf(&b, "  %s slot=%d\n    doc: %s\n", m.Name, m.Slot, m.Doc)
		for _, p := range m.Params {
			fmt.Fprintf(&b, "    param %s %s %s reserved=%v: %s\n", p.Name, p.Dir, p.Type.C, p.Reserved, p.Doc)
		}
		notes("    ", m.Notes)
		for _, r := range m.Returns {
			fmt.Fprintf(&b, "    returns %s (%s): %s\n", r.Code.Name, r.Code.Hex(), r.Meaning)
			notes("      ", r.Notes)
		}
		for _, r := range m.StatusCodes {
			fmt.Fprintf(&b, "    status %s (%s): %s\n", r.Code.Name, r.Code.Hex(), r.Meaning)
			notes("      ", r.Notes)
		}
	}
	return b.String()
}

// TestFullSpecIsTheFlagship checks that init -full writes spec/vss.yaml as
// it is, but for the package name, and that the result builds the same
// model under that name.
func TestFullSpecIsTheFlagship(t *testing.T) {
	flagship, err := os.ReadFile(filepath.Join("..", "..", "spec", "vss.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files("shadow", true)
	if err != nil {
		t.Fatal(err)
	}
	got := files[0].Data
	if files[0].Name != SpecFile {
		t.Fatalf("first file is %s, want %s", files[0].Name, SpecFile)
	}
	if want := bytes.Replace(flagship, []byte("\npackage: vss\n"), []byte("\npackage: shadow\n"), 1); !bytes.Equal(got, want) {
		t.Errorf("the full spec is not spec/vss.yaml with package shadow")
	}
	full := buildModel(t, SpecFile, got)
	ref := buildModel(t, "spec/vss.yaml", flagship)
	if full.Package != "shadow" {
		t.Errorf("package %q, want shadow", full.Package)
	}
	if len(full.Interfaces) != len(ref.Interfaces) || len(full.HRESULTs) != len(ref.HRESULTs) {
		t.Errorf("full spec has %d interfaces and %d codes, spec/vss.yaml %d and %d",
			len(full.Interfaces), len(full.HRESULTs), len(ref.Interfaces), len(ref.HRESULTs))
	}
	if !bytes.Equal(files[1].Data, Schema()) || files[1].Name != SchemaFile {
		t.Errorf("the second file is not the schema")
	}
}
