package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/tests/internal/wine"
)

// generatedPkg is the generated package whose Windows tests run under Wine,
// as the go command names it from the module root.
const generatedPkg = "./generated/vss"

// windowsTests are the generated Windows tests every run must pass; a run
// that lacks one of them did not test what it claims to.
var windowsTests = []string{"TestStubs", "TestIUnknownStubs", "TestStubOSNotes", "TestCurrentOSVersion", "TestStubAllocations"}

// flagshipModel is spec/vss.yaml, validated.
func flagshipModel(t *testing.T) *model.Spec {
	t.Helper()
	raw, err := load.File(flagshipSpec)
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, flagshipSpec, "spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGeneratedStubsUnderWine runs the generated package's tests as a
// windows/amd64 binary under Wine, once with Wine reporting each of Windows
// XP x64, Vista, 7 and 10. Every stub is called through a vtable of
// syscall.NewCallback functions (TestStubs, TestIUnknownStubs), the version
// the stubs detect through RtlGetVersion must be the one Wine was set to
// (TestCurrentOSVersion), and an E_UNEXPECTED from a method whose
// documentation has the Windows 7 note must match VSS_E_UNEXPECTED with
// errors.Is exactly on the versions older than 6.1 (TestStubOSNotes, whose
// log this test reads).
func TestGeneratedStubsUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.BuildTest(t, "..", generatedPkg)
	spec := flagshipModel(t)

	for _, v := range wine.Versions() {
		t.Run(v.Name, func(t *testing.T) {
			out, err := p.RunTest(t.Context(), v, exe)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, name := range windowsTests {
				if !strings.Contains(out, "--- PASS: "+name+" ") {
					t.Errorf("%s did not run and pass:\n%s", name, out)
				}
			}
			osv := &model.OSVersion{Major: v.Major, Minor: v.Minor}
			notes := 0
			for _, it := range spec.Interfaces {
				for _, m := range it.Methods {
					for _, sub := range m.Substitutions() {
						applies := sub.Note.AppliesTo(osv)
						if sub.Observed.Name == "E_UNEXPECTED" && sub.Documented.Name == "VSS_E_UNEXPECTED" && applies != v.OlderThan(6, 1) {
							t.Errorf("the spec's note on %s applies to Windows %s: %v, but Microsoft documents the substitution for versions before 6.1", m.FullName(), v, applies)
						}
						want := fmt.Sprintf("%s returned %s on Windows %s: errors.Is(err, %s) = %t",
							m.FullName(), sub.Observed.Name, v, sub.Documented.Name, applies)
						if !strings.Contains(out, want+"\n") {
							t.Errorf("the log lacks %q:\n%s", want, out)
						}
						notes++
					}
				}
			}
			if notes == 0 {
				t.Fatal("the spec has no OS-version note with a substituted code to check")
			}
		})
	}
}

// featureSpec is the golden spec that uses every feature of the format once.
const featureSpec = "../gen/testdata/golden/features/spec.yaml"

// TestFeatureSpecUnderWine runs the Windows tests generated from the spec
// that uses every feature of the format (an interface extending another,
// in-parameters of several types, two out-parameters beside a reserved one,
// status and success codes, both kinds of OS-version note) under Wine, as
// Vista, where its "before 6.1" note applies, and as Windows 10, where it
// does not. The package exists only in a go build overlay.
func TestFeatureSpecUnderWine(t *testing.T) {
	p := wine.Shared(t)
	files, err := gen.Generate(gen.Options{Spec: featureSpec})
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	const pkgDir = "tests/testdata/wine-features"
	replace := map[string]string{}
	tmp := t.TempDir()
	for _, f := range files {
		if strings.Contains(f.Name, "/") || !strings.HasSuffix(f.Name, ".go") {
			continue // the C file and REFERENCE.md are no part of the Go package
		}
		real := filepath.Join(tmp, f.Name)
		if err := os.WriteFile(real, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, filepath.FromSlash(pkgDir), f.Name)] = real
	}
	// vet would chdir into the directory, which is not on disk.
	exe := wine.BuildTest(t, "..", "./"+pkgDir, "-vet=off", "-overlay", writeOverlay(t, replace))

	for _, v := range []wine.Version{wine.Vista, wine.Win10} {
		t.Run(v.Name, func(t *testing.T) {
			out, err := p.RunTest(t.Context(), v, exe)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, name := range windowsTests {
				if !strings.Contains(out, "--- PASS: "+name+" ") {
					t.Errorf("%s did not run and pass:\n%s", name, out)
				}
			}
			want := fmt.Sprintf("IWidget.Spin returned E_UNEXPECTED on Windows %s: errors.Is(err, WID_E_UNEXPECTED) = %t", v, v.OlderThan(6, 1))
			if !strings.Contains(out, want+"\n") {
				t.Errorf("the log lacks %q:\n%s", want, out)
			}
		})
	}
}

// writeOverlay writes a go build overlay that puts each file at the path
// it is the key of, and returns the overlay's path.
func writeOverlay(t *testing.T, replace map[string]string) string {
	t.Helper()
	data, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// benchLine is a result line of BenchmarkStubs.
var benchLine = regexp.MustCompile(`(?m)^BenchmarkStubs/(\S+)/(stub|raw)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op\s+\d+ B/op\s+(\d+) allocs/op`)

// TestStubOverheadUnderWine runs the generated BenchmarkStubs under Wine
// for a fixed number of calls, five times over. A stub must not allocate
// more than the bare syscall.SyscallN call it makes; the time per call of
// the two and their ratio are logged, never checked. The fastest of the
// five rounds is logged, as the one least disturbed by other work on the
// machine.
func TestStubOverheadUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.BuildTest(t, "..", generatedPkg)
	out, err := p.RunTest(t.Context(), wine.Win10, exe,
		"-test.run=^$", "-test.bench=^BenchmarkStubs$", "-test.benchtime=100000x", "-test.count=5")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	type result struct {
		ns     float64
		allocs int
	}
	results := map[string]map[string]result{}
	var order []string
	for _, m := range benchLine.FindAllStringSubmatch(out, -1) {
		ns, _ := strconv.ParseFloat(m[3], 64)
		allocs, _ := strconv.Atoi(m[4])
		if results[m[1]] == nil {
			results[m[1]] = map[string]result{}
			order = append(order, m[1])
		}
		prev, seen := results[m[1]][m[2]]
		if seen {
			ns = min(ns, prev.ns)
			allocs = max(allocs, prev.allocs)
		}
		results[m[1]][m[2]] = result{ns, allocs}
	}
	if len(order) == 0 {
		t.Fatalf("no BenchmarkStubs results in the output:\n%s", out)
	}
	for _, method := range order {
		stub, okStub := results[method]["stub"]
		raw, okRaw := results[method]["raw"]
		if !okStub || !okRaw {
			t.Errorf("%s: the benchmark lacks the stub or the raw call:\n%s", method, out)
			continue
		}
		if stub.allocs > raw.allocs {
			t.Errorf("%s: the stub makes %d allocations per call, syscall.SyscallN alone %d", method, stub.allocs, raw.allocs)
		}
		t.Logf("%s: stub %.1f ns/call, syscall.SyscallN %.1f ns/call, ratio %.2f; allocations %d and %d",
			method, stub.ns, raw.ns, stub.ns/raw.ns, stub.allocs, raw.allocs)
	}
}

// TestDroppedArgumentFailsUnderWine proves that the Wine tier catches the
// classic hand-written binding bug of an argument list one word short: it
// rebuilds the generated tests with IVssAsync.Wait's stub passing no
// timeout (through a go build overlay, leaving the tree alone) and expects
// TestStubs to fail naming the parameter that did not arrive.
func TestDroppedArgumentFailsUnderWine(t *testing.T) {
	p := wine.Shared(t)
	stubs, err := filepath.Abs(filepath.Join("..", "generated", "vss", "com_windows.go"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(stubs)
	if err != nil {
		t.Fatal(err)
	}
	mutant := filepath.Join(t.TempDir(), "com_windows.go")
	if err := os.WriteFile(mutant, dropLastArgument(t, src, "IVssAsync", "Wait"), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := wine.BuildTest(t, "..", generatedPkg, "-overlay", writeOverlay(t, map[string]string{stubs: mutant}))

	out, err := p.RunTest(t.Context(), wine.Win10, exe, "-test.run=^TestStubs$")
	if err == nil {
		t.Fatalf("TestStubs passed with a Wait stub that drops its argument:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestStubs/IVssAsync.Wait/S_OK ",
		"parameter 1 (dwMilliseconds) arrived as ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "--- FAIL: TestStubs/IVssAsync.Cancel/") {
		t.Errorf("stubs that were not changed failed too:\n%s", out)
	}
}

// dropLastArgument returns the Go source src with the last argument of the
// syscall.SyscallN call in the method iface.method removed.
func dropLastArgument(t *testing.T, src []byte, iface, method string) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "com_windows.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	dropped := 0
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != method || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); !ok || !isIdent(star.X, iface) {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			// The function pointer and this come first; anything after
			// them is an argument of the method.
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if ok && isIdent(sel.X, "syscall") && sel.Sel.Name == "SyscallN" && len(call.Args) > 2 {
				call.Args = call.Args[:len(call.Args)-1]
				dropped++
			}
			return true
		})
	}
	if dropped != 1 {
		t.Fatalf("found %d syscall.SyscallN calls with arguments in %s.%s, want 1", dropped, iface, method)
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
