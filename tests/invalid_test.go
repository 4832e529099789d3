package tests

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// invalidDir is the catalogue of specs vssgen must refuse: NAME.yaml is the
// spec and NAME.golden is exactly what the command prints on stderr for it.
const invalidDir = "testdata/invalid"

// generatedInvalid are catalogue cases whose spec the test writes itself,
// because committing it would mean committing megabytes.
var generatedInvalid = map[string]func() []byte{
	// One byte past the size limit, all of it a valid spec.
	"too_large": func() []byte {
		var b bytes.Buffer
		b.WriteString("package: vss\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\n")
		line := "# " + strings.Repeat("padding ", 9) + "\n"
		for b.Len()+len(line) <= load.MaxSpecSize {
			b.WriteString(line)
		}
		b.WriteString(strings.Repeat("#", load.MaxSpecSize+1-b.Len()))
		return b.Bytes()
	},
	// IWide has 1,000 methods and 20 interfaces derive from it with one
	// method each: 1,020 methods, but 21,083 in the vtables, where each
	// derived interface repeats what it inherits. The limit is 20,000; the
	// vtables pass it at IDerived19. Slots alone stay far below their limit.
	"too_many_vtable_entries": func() []byte {
		var b bytes.Buffer
		b.WriteString("package: vss\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\ninterfaces:\n  - name: IWide\n    iid: none\n    base: IUnknown\n    methods:\n")
		for i := range 1000 {
			fmt.Fprintf(&b, "      - {name: M%d, slot: %d}\n", i, 3+i)
		}
		for i := 1; i <= 20; i++ {
			fmt.Fprintf(&b, "  - {name: IDerived%d, iid: none, base: IWide, methods: [{name: D%d, slot: 1003}]}\n", i, i)
		}
		return b.Bytes()
	},
}

// TestInvalidSpecs runs the real command on every spec of the catalogue. Each
// must exit with status 2, print every problem with its file:line:col and
// nothing else than the golden file holds, and write nothing. The library
// must report the same problems as the command prints.
func TestInvalidSpecs(t *testing.T) {
	bin := buildVSSGen(t)
	cases := map[string]string{} // case name → directory holding NAME.yaml
	specs, err := filepath.Glob(filepath.Join(invalidDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range specs {
		cases[strings.TrimSuffix(filepath.Base(p), ".yaml")] = invalidDir
	}
	for name, spec := range generatedInvalid {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), spec(), 0o644); err != nil {
			t.Fatal(err)
		}
		cases[name] = dir
	}
	if len(cases) < 30 {
		t.Errorf("the catalogue holds %d cases; it should cover at least 30 kinds of bad spec", len(cases))
	}
	goldens, err := filepath.Glob(filepath.Join(invalidDir, "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		if name := strings.TrimSuffix(filepath.Base(g), ".golden"); cases[name] == "" {
			t.Errorf("%s has no spec: remove it, or add %s.yaml", g, name)
		}
	}

	for _, name := range slices.Sorted(maps.Keys(cases)) {
		dir := cases[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			specFile := name + ".yaml"
			out := filepath.Join(t.TempDir(), "out")
			cmd := exec.Command(bin, "-spec", specFile, "-out", out)
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if code := exitCode(err); code != 2 {
				t.Errorf("exit status %d, want 2 (%v)", code, err)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout should be empty, got:\n%s", &stdout)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the output directory was created (stat: %v)", err)
			}

			problems := checkPositioned(t, specFile, stderr.String())
			golden := filepath.Join(invalidDir, name+".golden")
			if *update {
				if err := os.WriteFile(golden, stderr.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(golden); err != nil {
				t.Errorf("%v; run go test ./tests -run TestInvalidSpecs -update to create it", err)
			} else if diff := cmp.Diff(string(want), stderr.String()); diff != "" {
				t.Errorf("stderr differs from %s (-want +got); run with -update if the change is intended:\n%s", golden, diff)
			}

			data, err := os.ReadFile(filepath.Join(dir, specFile))
			if err != nil {
				t.Fatal(err)
			}
			_, err = gen.GenerateBytes(specFile, data, gen.Options{})
			var ps load.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("gen.GenerateBytes returned %v, want load.Problems", err)
			}
			var lib []string
			for _, p := range ps {
				lib = append(lib, p.Error())
			}
			if diff := cmp.Diff(problems, lib); diff != "" {
				t.Errorf("the library's problems differ from what the command printed (-command +library):\n%s", diff)
			}
		})
	}
}

// checkPositioned checks the command's stderr for a refused spec: one
// "file:line:col: message" line per problem, then the summary line. It
// returns the problem lines.
func checkPositioned(t *testing.T, specFile, stderr string) []string {
	t.Helper()
	positioned := regexp.MustCompile(`^` + regexp.QuoteMeta(specFile) + `:[1-9]\d*:[1-9]\d*: \S`)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("stderr should hold at least one problem and a summary, got:\n%s", stderr)
	}
	problems, summary := lines[:len(lines)-1], lines[len(lines)-1]
	for _, l := range problems {
		if !positioned.MatchString(l) {
			t.Errorf("problem without a position: %q", l)
		}
	}
	if want := fmt.Sprintf("vssgen: %d problem(s) in the spec; nothing was written", len(problems)); summary != want {
		t.Errorf("last line = %q, want %q", summary, want)
	}
	return problems
}

// TestGeneratedNamesAreReserved: every package-level name the generated
// package declares on its own (not for a name of the spec) must be refused
// as a spec name, or a spec could declare it a second time and the
// generated package would not compile. The schema must refuse them too, so
// that an editor flags them before vssgen does.
//
// The spec uses every construct that makes an emitter declare something:
// enums, a struct with its Go copy, DLL functions, and IVssAsync with what
// WaitContext needs.
func TestGeneratedNamesAreReserved(t *testing.T) {
	const base = `package: vss
os_versions:
  - {id: vista, name: Windows Vista, version: "6.0"}
  - {id: win7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0, doc: Success.}
  - {name: VSS_S_ASYNC_PENDING, value: 0x00042309, doc: Pending.}
  - {name: VSS_S_ASYNC_FINISHED, value: 0x0004230A, doc: Finished.}
  - {name: VSS_S_ASYNC_CANCELLED, value: 0x0004230B, doc: Cancelled.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
  - {name: VSS_E_UNEXPECTED, value: 0x80042302, doc: Unexpected failure inside VSS.}
enums:
  - name: VSS_BACKUP_TYPE
    values:
      - {name: VSS_BT_UNDEFINED, value: 0}
      - {name: VSS_BT_FULL, value: 1}
  - name: VSS_SNAPSHOT_BITS
    flags: true
    values:
      - {name: VSS_SB_ONE, value: 1}
      - {name: VSS_SB_TWO, value: 2}
structs:
  - name: VSS_SNAPSHOT_PROP
    go_name: SnapshotProperties
    free: VssFreeSnapshotPropertiesInternal
    fields:
      - {name: m_SnapshotId, go_name: SnapshotId, type: VSS_ID}
      - {name: m_pwszName, go_name: Name, type: VSS_PWSZ}
      - {name: m_tsCreated, go_name: Created, type: VSS_TIMESTAMP}
      - {name: m_eType, go_name: Type, type: VSS_BACKUP_TYPE}
  - name: VSS_OBJECT_UNION
    union: true
    fields:
      - {name: Snap, type: VSS_SNAPSHOT_PROP}
      - {name: Bits, type: VSS_SNAPSHOT_BITS}
interfaces:
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    methods:
      - name: Cancel
        slot: 3
        returns:
          - {code: VSS_S_ASYNC_FINISHED, meaning: Already finished.}
          - code: VSS_E_UNEXPECTED
            meaning: Unexpected failure.
            notes:
              - {before: win7, returns_instead: E_UNEXPECTED, text: Older systems report E_UNEXPECTED.}
      - name: Wait
        slot: 4
        params:
          - {name: dwMilliseconds, dir: in, type: DWORD}
      - name: QueryStatus
        slot: 5
        params:
          - {name: pHrResult, dir: out, type: HRESULT}
        status_codes:
          - {code: VSS_S_ASYNC_PENDING, meaning: Pending.}
          - {code: VSS_S_ASYNC_FINISHED, meaning: Finished.}
          - {code: VSS_S_ASYNC_CANCELLED, meaning: Cancelled.}
  - name: IVssEnumObject
    base: none
    methods:
      - name: Next
        slot: 0
        params:
          - {name: Id, dir: in, type: VSS_ID}
          - {name: ftSince, dir: in, type: FILETIME}
          - {name: bstrName, dir: in, type: BSTR}
          - {name: bFlag, dir: in, type: BOOL}
          - {name: pObj, dir: out, type: VSS_OBJECT_UNION, by: pointer}
          - {name: pProp, dir: out, type: VSS_SNAPSHOT_PROP}
          - {name: pData, dir: out, type: PVOID}
        returns:
          - {code: S_OK, meaning: Read.}
          - {code: VSS_E_UNEXPECTED, meaning: Failed later., via: async}
functions:
  - name: CreateVssBackupComponentsInternal
    dll: vssapi.dll
    params:
      - {name: ppAsync, dir: out, type: IVssAsync}
    returns:
      - {code: S_OK, meaning: Created.}
  - name: VssFreeSnapshotPropertiesInternal
    dll: vssapi.dll
    void: true
    params:
      - {name: pProp, dir: in, type: VSS_SNAPSHOT_PROP, by: pointer}
dlls:
  - {name: vssapi.dll, refuses_wow64: the service does not support WOW64}
`
	files, err := gen.GenerateBytes("base.yaml", []byte(base), gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := load.Bytes("base.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Build(raw, "base.yaml", "base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fromSpec := map[string]bool{}
	for _, h := range spec.HRESULTs {
		fromSpec[h.Name] = true
	}
	for _, e := range spec.Enums {
		fromSpec[e.Name] = true
		for _, v := range e.Values {
			fromSpec[v.Name] = true
		}
	}
	for _, st := range spec.Structs {
		fromSpec[st.Name] = true
		if st.GoName != "" {
			fromSpec[st.GoName] = true
		}
	}
	for _, it := range spec.Interfaces {
		if it.Builtin {
			continue
		}
		fromSpec[it.Name], fromSpec[it.Name+"Vtbl"], fromSpec["IID_"+it.Name] = true, true, true
		for _, m := range it.Methods {
			fromSpec[m.ID()] = true
		}
	}
	for _, fn := range spec.Functions {
		fromSpec[fn.Name], fromSpec[fn.ID()] = true, true
	}

	var own []string
	emitted := map[string]bool{}
	for _, f := range files {
		emitted[f.Name] = true
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		for _, name := range topLevelNames(t, f.Name, f.Data) {
			if !fromSpec[name] && !strings.HasPrefix(name, "_") && !slices.Contains(own, name) {
				own = append(own, name)
			}
		}
	}
	// The spec must make every Go file be emitted, or the names of a
	// missing one go unchecked.
	for _, want := range []string{"enum.go", "wait_windows.go", "com_windows_386.go"} {
		if !emitted[want] {
			t.Errorf("the spec does not make vssgen emit %s; extend it so that its names are checked", want)
		}
	}
	for _, want := range []string{"HRESULT", "NewError", "ErrWOW64"} {
		if !slices.Contains(own, want) {
			t.Errorf("%s is not among the names found (%v); the test is not looking at the right files", want, own)
		}
	}
	schemaRefuses := schemaReservedNames(t)
	for _, name := range own {
		spec := strings.Replace(base, "hresults:\n", "hresults:\n  - {name: "+name+", value: 0x00000005, doc: Taken.}\n", 1)
		_, err := gen.GenerateBytes("taken.yaml", []byte(spec), gen.Options{})
		want := "taken.yaml:6:12: hresult " + name + ": Go name " + name + " is already taken by "
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("an hresult named %s: got %v, want a problem starting %q", name, err, want)
		}
		if !schemaRefuses[name] {
			t.Errorf("the schema does not refuse %s as a declared name; add it to definitions.declaredName in %s", name, schemaPath)
		}
	}
}

// schemaReservedNames reads the names the schema refuses for declarations:
// the enum inside the not of definitions.declaredName.
func schemaReservedNames(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Definitions struct {
			DeclaredName struct {
				AllOf []struct {
					Not struct {
						Enum []string `json:"enum"`
					} `json:"not"`
				} `json:"allOf"`
			} `json:"declaredName"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, part := range doc.Definitions.DeclaredName.AllOf {
		for _, n := range part.Not.Enum {
			names[n] = true
		}
	}
	if len(names) == 0 {
		t.Fatalf("%s: definitions.declaredName lists no reserved names", schemaPath)
	}
	return names
}

// topLevelNames lists the package-level names a Go file declares.
func topLevelNames(t *testing.T, name string, src []byte) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("generated %s does not parse: %v", name, err)
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// buildVSSGen builds the command once for the calling test and returns the
// path of the binary.
func buildVSSGen(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vssgen")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, "github.com/vssgen/vssgen/cmd/vssgen")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building vssgen: %v\n%s", err, out)
	}
	return bin
}

// TestImportedPackagesAreReserved: a parameter named like a package the
// generated files import would hide that package from the stub or the
// generated test that uses it, so model.ImportedPackages must list every
// package any generated Go file imports, of the flagship spec and of the
// feature spec, and each of them must be refused as a parameter name, by
// vssgen and by the schema.
func TestImportedPackagesAreReserved(t *testing.T) {
	listed := map[string]bool{}
	for _, name := range model.ImportedPackages {
		listed[name] = true
	}
	seen := map[string]bool{}
	for _, spec := range []string{"../spec/vss.yaml", "../gen/testdata/golden/features/spec.yaml"} {
		files, err := gen.Generate(gen.Options{Spec: spec})
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Name, ".go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f.Name, f.Data, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("%s: generated %s does not parse: %v", spec, f.Name, err)
			}
			for _, imp := range parsed.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				name := path[strings.LastIndex(path, "/")+1:]
				if imp.Name != nil {
					name = imp.Name.Name
				}
				if name == "_" || name == "." || strings.HasPrefix(path, "github.com/vssgen/") {
					continue
				}
				seen[name] = true
				if !listed[name] {
					t.Errorf("%s: generated %s imports %s as %s, which model.ImportedPackages does not list", spec, f.Name, path, name)
				}
			}
		}
	}
	for _, want := range []string{"windows", "unsafe", "syscall", "testing"} {
		if !seen[want] {
			t.Errorf("no generated file imports %s; the test is not looking at the right files", want)
		}
	}
	schemaRefuses := schemaParamNames(t)
	const spec = `package: vss
hresults:
  - {name: S_OK, value: 0, doc: Success.}
interfaces:
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    methods:
      - name: Wait
        slot: 3
        params:
          - {name: NAME, dir: in, type: DWORD}
`
	for _, name := range model.ImportedPackages {
		_, err := gen.GenerateBytes("param.yaml", []byte(strings.Replace(spec, "NAME", name, 1)), gen.Options{})
		want := "param.yaml:12:20: method IVssAsync.Wait: parameter " + name + ": the name is used by the generated stub (the package " + name + ", which the generated files import); rename it"
		if err == nil || err.Error() != want {
			t.Errorf("a parameter named %s: got %v, want %q", name, err, want)
		}
		if !schemaRefuses[name] {
			t.Errorf("the schema does not refuse %s as a parameter name; add it to definitions.param.properties.name in %s", name, schemaPath)
		}
	}
}

// schemaParamNames reads the names the schema refuses for parameters.
func schemaParamNames(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Definitions struct {
			Param struct {
				Properties struct {
					Name struct {
						AllOf []struct {
							Not struct {
								Enum []string `json:"enum"`
							} `json:"not"`
						} `json:"allOf"`
					} `json:"name"`
				} `json:"properties"`
			} `json:"param"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, part := range doc.Definitions.Param.Properties.Name.AllOf {
		for _, n := range part.Not.Enum {
			names[n] = true
		}
	}
	return names
}
