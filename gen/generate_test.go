package gen_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestGolden generates each spec under testdata/golden and compares every
// output file with the committed one in want/. Run with -update to refresh.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/golden/*/spec.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, specPath := range cases {
		dir := filepath.Dir(specPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files, err := gen.Generate(gen.Options{Spec: specPath})
			if err != nil {
				t.Fatal(err)
			}
			wantDir := filepath.Join(dir, "want")
			if *update {
				os.RemoveAll(wantDir)
				for _, f := range files {
					p := filepath.Join(wantDir, filepath.FromSlash(f.Name))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			got := map[string]string{}
			for _, f := range files {
				got[f.Name] = string(f.Data)
			}
			want := readTree(t, wantDir)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("generated files differ from %s (-want +got); run go test ./gen -update if the change is intended:\n%s", wantDir, diff)
			}
		})
	}
}

func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeterministic generates the flagship spec repeatedly: the bytes must
// never change between runs (map iteration order, for one, must not leak).
func TestDeterministic(t *testing.T) {
	opt := gen.Options{Spec: "../spec/vss.yaml"}
	first, err := gen.Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := gen.Generate(opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(first) {
			t.Fatalf("got %d files, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].Name != again[i].Name || !bytes.Equal(first[i].Data, again[i].Data) {
				t.Fatalf("%s differs between two runs", first[i].Name)
			}
		}
	}
}

// TestSourceIndependentOfWorkingDirectory: the header names the spec
// relative to its module, however the path was written.
func TestSourceIndependentOfWorkingDirectory(t *testing.T) {
	abs, err := filepath.Abs("../spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../spec/vss.yaml", abs, "../spec/../spec/vss.yaml"} {
		if got := gen.SourceName(p); got != "spec/vss.yaml" {
			t.Errorf("SourceName(%q) = %q, want spec/vss.yaml", p, got)
		}
	}
}

// TestFreshInEmptyDirectory regenerates each committed spec into an empty
// directory: the result must be its committed package, file for file
// (generated/vss from the flagship spec, generated/ole from the real-COM
// tier's spec).
func TestFreshInEmptyDirectory(t *testing.T) {
	for _, tc := range []struct{ spec, pkg, command string }{
		{"spec/vss.yaml", "generated/vss", "go run ./cmd/vssgen"},
		{"spec/ole.yaml", "generated/ole", "go run ./cmd/vssgen -spec spec/ole.yaml -out generated/ole"},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			out := t.TempDir()
			plan, err := gen.Plan(gen.Options{Spec: "../" + tc.spec, Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.Apply(); err != nil {
				t.Fatal(err)
			}
			got := readTree(t, out)
			committed := readTree(t, "../"+tc.pkg)
			delete(committed, "generate.go") // the go:generate line is written by hand
			if diff := cmp.Diff(committed, got); diff != "" {
				t.Errorf("%s is stale; run %s (-committed +fresh):\n%s", tc.pkg, tc.command, diff)
			}
		})
	}
}

var positioned = regexp.MustCompile(`^[^:]+:\d+:\d+: `)

// TestProblemsArePositioned checks the common mistakes named in the README
// each come back as file:line:col problems, all of them at once.
func TestProblemsArePositioned(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       []string
	}{
		{"yaml syntax", "package: vss\nhresults: [\n", []string{"bad.yaml:3:1: YAML syntax error: did not find expected node content before the end of the file"}},
		{"unknown field", "package: vss\ncolour: blue\n", []string{`bad.yaml:2:1: spec: unknown field "colour" (known fields: package, os_versions, hresults, enums, structs, interfaces, functions, dlls)`}},
		{"duplicate code and unknown type", `package: vss
hresults:
  - {name: S_OK, value: 0, doc: ok}
  - {name: S_OK, value: 1, doc: again}
interfaces:
  - name: IThing
    iid: 11111111-2222-3333-4444-555555555555
    base: IUnknown
    methods:
      - name: Do
        slot: 3
        params: [{name: x, dir: in, type: FLOAT}]
`, []string{
			"bad.yaml:4:12: hresult S_OK is declared twice",
			`bad.yaml:12:43: method IThing.Do: parameter x: unknown type "FLOAT" (known: BOOL, BSTR, BYTE, CLSID, DWORD, DWORD_PTR, FILETIME, GUID, HRESULT, INT, LARGE_INTEGER, LONG, LONGLONG, LONG_PTR, LPCOLESTR, LPCWSTR, LPOLESTR, PVOID, REFCLSID, REFGUID, REFIID, SHORT, SIZE_T, UINT, ULARGE_INTEGER, ULONG, ULONGLONG, ULONG_PTR, USHORT, VSS_ID, VSS_PWSZ, VSS_TIMESTAMP, WORD, boolean, or an enum, struct or interface of the spec)`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gen.GenerateBytes("bad.yaml", []byte(tc.spec), gen.Options{})
			var problems load.Problems
			if !errors.As(err, &problems) {
				t.Fatalf("got %v, want spec problems", err)
			}
			var got []string
			for _, p := range problems {
				if !positioned.MatchString(p.Error()) {
					t.Errorf("problem without position: %q", p.Error())
				}
				got = append(got, p.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMissingSpec: a spec that does not exist is an error that names it.
func TestMissingSpec(t *testing.T) {
	_, err := gen.Plan(gen.Options{Spec: "testdata/no-such-spec.yaml", Out: t.TempDir()})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
}

// TestWithoutOSVersions: os_versions is optional, and a spec without it
// whose method documents a failure code generates, the error-matching test
// checking that code on the zero OSVersion, index 0 of _methodTestOS (it
// has no notes to apply).
func TestWithoutOSVersions(t *testing.T) {
	spec := []byte(`package: nover
hresults:
  - {name: S_OK, value: 0, doc: Success.}
  - {name: E_FAIL, value: 0x80004005, doc: Failure.}
functions:
  - name: DoIt
    dll: doit.dll
    returns:
      - {code: S_OK, meaning: Done.}
      - {code: E_FAIL, meaning: Not done.}
`)
	files, err := gen.GenerateBytes("nover.yaml", spec, gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == "method_test.go" {
			if want := []byte("{Proc_DoIt, E_FAIL, 0, E_FAIL,"); !bytes.Contains(f.Data, want) {
				t.Errorf("method_test.go lacks %q:\n%s", want, f.Data)
			}
			return
		}
	}
	t.Fatal("no method_test.go")
}
