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
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/tests/internal/wine"
)

// generatedPkg is the generated package whose Windows tests run under Wine,
// as the go command names it from the module root.
const generatedPkg = "./generated/vss"

// windowsTests are the generated Windows tests every run must pass; a run
// that lacks one of them did not test what it claims to. Both specs the
// tier runs declare DLL functions.
var windowsTests = []string{"TestStubs", "TestIUnknownStubs", "TestStubOSNotes", "TestCurrentOSVersion", "TestStubAllocations", "TestDLLFunctions", "TestBSTRNUL"}

// outputExamples are the generated examples with an Output comment, which
// the test binary runs: decoding a code from a log, and errors.Is across an
// OS-version note. Under Wine they must pass as on Linux. (The Windows
// examples have no output: they would call a real VSS service.)
var outputExamples = []string{"ExampleHRESULT", "ExampleNewError"}

// checkEveryStubPassed fails t unless the output of TestStubs has a passing
// case for every method of spec: every stub was called through a fake
// vtable, whatever the generated case list says.
func checkEveryStubPassed(t *testing.T, spec *model.Spec, out string) {
	t.Helper()
	stubs := 0
	for _, it := range spec.Interfaces {
		if it.Builtin {
			continue
		}
		for _, m := range it.Methods {
			stubs++
			if !strings.Contains(out, "--- PASS: TestStubs/"+m.FullName()+"/") {
				t.Errorf("no case of TestStubs called %s and passed", m.FullName())
			}
		}
	}
	if stubs == 0 {
		t.Fatal("the spec has no stubs to check")
	}
}

// flagshipModel is spec/vss.yaml, validated.
func flagshipModel(t *testing.T) *model.Spec {
	t.Helper()
	return specModel(t, flagshipSpec)
}

// specModel is the spec at path, validated.
func specModel(t *testing.T, path string) *model.Spec {
	t.Helper()
	s, err := gen.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGeneratedStubsUnderWine runs the generated package's tests as a
// windows/amd64 binary under Wine, once with Wine reporting each of Windows
// XP x64, Vista, 7 and 10. Every stub is called through a vtable of
// syscall.NewCallback functions that check each argument word it receives,
// by-value GUIDs and FILETIMEs, strings, BSTRs and booleans included, and
// write each out-parameter with its C size (TestStubs, TestIUnknownStubs);
// this test checks that every method of the spec had a passing case. The
// version the stubs detect through RtlGetVersion must be the one Wine was
// set to (TestCurrentOSVersion), and an E_UNEXPECTED from a method whose
// documentation has the Windows 7 note must match VSS_E_UNEXPECTED with
// errors.Is exactly on the versions older than 6.1, both as a call's result
// (TestStubOSNotes) and as a status WaitContext reads from IVssAsync
// (TestWaitContext, which also waits on fakes that finish, fail, stay
// pending or ignore Cancel). Wine's vssapi.dll is there but does not
// implement CreateVssBackupComponentsInternal: the generated function must
// return an *Error of it with E_NOTIMPL (TestDLLFunctions). This test reads
// the logs of those tests.
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
			for _, name := range slices.Concat(windowsTests, outputExamples, []string{"TestWaitContext", "TestAvailabilityAccessors"}) {
				if !strings.Contains(out, "--- PASS: "+name+" ") {
					t.Errorf("%s did not run and pass:\n%s", name, out)
				}
			}
			checkEveryStubPassed(t, spec, out)
			const notImplemented = "vssapi.dll!CreateVssBackupComponentsInternal failed with E_NOTIMPL (0x80004001)"
			if !strings.Contains(out, notImplemented+"\n") {
				t.Errorf("the log lacks %q:\n%s", notImplemented, out)
			}
			wait := regexp.MustCompile(`WaitContext for \S+ reported E_UNEXPECTED on Windows ` + regexp.QuoteMeta(v.String()) +
				`: errors.Is\(err, VSS_E_UNEXPECTED\) = (true|false)\n`).FindStringSubmatch(out)
			if wait == nil || wait[1] != strconv.FormatBool(v.OlderThan(6, 1)) {
				t.Errorf("WaitContext must report E_UNEXPECTED as VSS_E_UNEXPECTED exactly before 6.1; the log has %q:\n%s", wait, out)
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
// every kind of parameter, reserved ones, status and success codes, both
// kinds of OS-version note, structs returned by value, freed or owned by the
// callee, DLL functions) under Wine, as Vista, where its "before 6.1" note
// applies, and as Windows 10, where it does not. Its DLLs, widgets.dll and
// gizmo.dll, do not exist: every function must fail with an error that
// names its DLL. The
// package exists only in a go build overlay.
func TestFeatureSpecUnderWine(t *testing.T) {
	p := wine.Shared(t)
	spec := specModel(t, featureSpec)
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
			for _, name := range slices.Concat(windowsTests, outputExamples) {
				if !strings.Contains(out, "--- PASS: "+name+" ") {
					t.Errorf("%s did not run and pass:\n%s", name, out)
				}
			}
			want := fmt.Sprintf("IWidget.Spin returned E_UNEXPECTED on Windows %s: errors.Is(err, WID_E_UNEXPECTED) = %t", v, v.OlderThan(6, 1))
			if !strings.Contains(out, want+"\n") {
				t.Errorf("the log lacks %q:\n%s", want, out)
			}
			checkEveryStubPassed(t, spec, out)
			if len(spec.Functions) == 0 {
				t.Fatal("the feature spec has no DLL functions to check")
			}
			for _, fn := range spec.Functions {
				missing := regexp.MustCompile(regexp.QuoteMeta(fn.FullName()+" is not available: ") + ".*\n").FindString(out)
				if missing == "" || !strings.Contains(missing, fn.DLL) {
					t.Errorf("%s must fail naming %s, which does not exist; the log has %q:\n%s", fn.FullName(), fn.DLL, missing, out)
				}
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
// more than the bare syscall.SyscallN call it makes with the same words; one
// of the stubs timed passes a GUID by value, which on amd64 means a
// reference to a copy the stub makes. The time per call of the two and their
// ratio are logged, never checked. The fastest of the five rounds is logged,
// as the one least disturbed by other work on the machine.
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
	byValue := byValueGUIDMethods(flagshipModel(t))
	timedByValue := false
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
		timedByValue = timedByValue || byValue[method]
		t.Logf("%s: stub %.1f ns/call, syscall.SyscallN %.1f ns/call, ratio %.2f; allocations %d and %d",
			method, stub.ns, raw.ns, stub.ns/raw.ns, stub.allocs, raw.allocs)
	}
	if !timedByValue {
		t.Errorf("none of the stubs timed passes a GUID by value:\n%s", out)
	}
}

// byValueGUIDMethods are the methods of spec, as Interface.Method, that
// take a GUID by value.
func byValueGUIDMethods(spec *model.Spec) map[string]bool {
	out := map[string]bool{}
	for _, it := range spec.Interfaces {
		for _, m := range it.Methods {
			for _, p := range m.Params {
				if p.ByValueStruct() && p.Type.Kind == model.GUIDKind {
					out[m.FullName()] = true
				}
			}
		}
	}
	return out
}

// stubMutant breaks one stub of the generated package the way hand-written
// bindings break, and says how TestStubs must report it.
type stubMutant struct {
	file           string // the generated file that holds the stub
	iface, method  string
	breakArgs      func(args []ast.Expr) []ast.Expr // the broken argument words after the function pointer and this
	breakError     ast.Expr                         // or: the broken condition under which the stub returns an *Error
	failure, shows string                           // a case of TestStubs that must fail, and what it must say
}

// TestBrokenStubsFailUnderWine proves that the Wine tier catches the bugs of
// hand-written bindings: it rebuilds the generated tests (through a go build
// overlay, leaving the tree alone) with seven stubs broken, and expects
// TestStubs to fail for exactly those, naming the parameter that did not
// arrive as passed:
//   - IVssAsync.Wait passes no timeout, its argument list one word short;
//   - IVssBackupComponents.Query passes its reserved GUID as a lone 0, which
//     on amd64 is a NULL reference where a reference to a zero copy belongs;
//   - IVssBackupComponents.BreakSnapshotSet passes its GUID as two words, the
//     arm64 way, where amd64 passes a reference to a copy;
//   - IVssBackupComponents.RevertToSnapshot passes a reference to a copy of
//     its GUID that is not 16-byte aligned, as the x64 convention wants;
//   - IVssBackupComponents.ExposeSnapshot passes an absent optional string
//     as the empty string rather than NULL;
//   - IVssExamineWriterMetadata.LoadFromXML returns nil for a success code
//     the spec does not document;
//   - IVssDifferentialSoftwareSnapshotMgmt.AddDiffArea passes its LONGLONG
//     cut to its low 32 bits, as a binding that treats it as a LONG would.
func TestBrokenStubsFailUnderWine(t *testing.T) {
	p := wine.Shared(t)
	expr := func(src string) ast.Expr {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	mutants := []stubMutant{
		{
			file: "com_windows.go", iface: "IVssAsync", method: "Wait",
			breakArgs: func(args []ast.Expr) []ast.Expr { return args[:len(args)-1] },
			failure:   "IVssAsync.Wait/S_OK", shows: "parameter 1 (dwMilliseconds) arrived as ",
		},
		{
			file: "com_windows_amd64.go", iface: "IVssBackupComponents", method: "Query",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				// Zero, still using the stub's zero GUID so that it compiles.
				return append([]ast.Expr{expr("uintptr(0) & uintptr(_QueriedObjectIdCopy.guid(&_QueriedObjectId))")}, args[1:]...)
			},
			failure: "IVssBackupComponents.Query/S_OK", shows: "parameter 1 (QueriedObjectId) arrived as NULL, want a reference to a copy of ",
		},
		{
			file: "com_windows_amd64.go", iface: "IVssBackupComponents", method: "BreakSnapshotSet",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				return []ast.Expr{expr("_word64(_SnapshotSetIdCopy.guid(&SnapshotSetId), 0)"), expr("_word64(_SnapshotSetIdCopy.guid(&SnapshotSetId), 1)")}
			},
			failure: "IVssBackupComponents.BreakSnapshotSet/S_OK", shows: "parameter 1 (SnapshotSetId) arrived as ",
		},
		{
			file: "com_windows_amd64.go", iface: "IVssBackupComponents", method: "RevertToSnapshot",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				// A good copy, but 4 bytes off a 16-byte boundary.
				return append([]ast.Expr{expr(`func() uintptr {
					p := unsafe.Pointer(&_SnapshotIdCopy[0])
					o := (16 - uintptr(p)&15) & 15
					if o <= 12 {
						o += 4
					} else {
						o -= 4
					}
					q := unsafe.Add(p, o)
					*(*windows.GUID)(q) = SnapshotId
					return uintptr(q)
				}()`)}, args[1:]...)
			},
			failure: "IVssBackupComponents.RevertToSnapshot/undocumented_0x8004FFFF", shows: "parameter 1 (SnapshotId) arrived as a reference to ",
		},
		{
			file: "com_windows.go", iface: "IVssExamineWriterMetadata", method: "LoadFromXML",
			// Success codes dropped but for those the spec documents.
			breakError: expr("_hr.Failed()"),
			failure:    "IVssExamineWriterMetadata.LoadFromXML/undocumented_success_0x0004FFFF", shows: "is not an *Error",
		},
		{
			file: "com_windows_amd64.go", iface: "IVssBackupComponents", method: "ExposeSnapshot",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				// An absent path as the empty string, as bindings without
				// optional parameters pass it.
				return append([]ast.Expr{args[0], expr(`uintptr(unsafe.Pointer(func() *uint16 {
					if _wszPathFromRoot == nil {
						return new(uint16)
					}
					return _wszPathFromRoot
				}()))`)}, args[2:]...)
			},
			failure: "IVssBackupComponents.ExposeSnapshot/S_OK/optional_parameters_absent", shows: "optional parameter 2 (wszPathFromRoot), passed as nil, arrived as ",
		},
		{
			file: "com_windows_amd64.go", iface: "IVssDifferentialSoftwareSnapshotMgmt", method: "AddDiffArea",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				return append(args[:2:2], expr("uintptr(uint32(llMaximumDiffSpace))"))
			},
			failure: "IVssDifferentialSoftwareSnapshotMgmt.AddDiffArea/S_OK", shows: "parameter 3 (llMaximumDiffSpace) arrived as 64-bit integer ",
		},
	}
	byFile := map[string][]stubMutant{}
	for _, m := range mutants {
		byFile[m.file] = append(byFile[m.file], m)
	}
	replace := map[string]string{}
	for file, ms := range byFile {
		path, err := filepath.Abs(filepath.Join("..", "generated", "vss", file))
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			src = breakStub(t, src, m)
		}
		mutant := filepath.Join(t.TempDir(), file)
		if err := os.WriteFile(mutant, src, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[path] = mutant
	}
	exe := wine.BuildTest(t, "..", generatedPkg, "-overlay", writeOverlay(t, replace))

	out, err := p.RunTest(t.Context(), wine.Win10, exe, "-test.run=^TestStubs$")
	if err == nil {
		t.Fatalf("TestStubs passed with broken stubs:\n%s", out)
	}
	failed := map[string]bool{}
	for _, f := range regexp.MustCompile(`--- FAIL: TestStubs/([^/\s]+)/`).FindAllStringSubmatch(out, -1) {
		failed[f[1]] = true
	}
	for _, m := range mutants {
		for _, want := range []string{"--- FAIL: TestStubs/" + m.failure + " ", m.shows} {
			if !strings.Contains(out, want) {
				t.Errorf("the output lacks %q:\n%s", want, out)
			}
		}
		delete(failed, m.iface+"."+m.method)
	}
	if len(failed) > 0 {
		t.Errorf("stubs that were not broken failed too: %v\n%s", failed, out)
	}
}

// breakStub returns the Go source src with the argument words of the
// syscall.SyscallN call in the method m.iface.m.method replaced by
// m.breakArgs, or the condition of its if statement that makes an *Error
// replaced by m.breakError.
func breakStub(t *testing.T, src []byte, m stubMutant) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, m.file, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	broken := 0
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != m.method || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); !ok || !isIdent(star.X, m.iface) {
			continue
		}
		if m.breakError != nil {
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				st, ok := n.(*ast.IfStmt)
				if ok && strings.Contains(nodeText(t, fset, st.Body), "_newError(") {
					st.Cond = m.breakError
					broken++
				}
				return true
			})
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
				call.Args = append(call.Args[:2:2], m.breakArgs(call.Args[2:])...)
				broken++
			}
			return true
		})
	}
	if broken != 1 {
		t.Fatalf("found %d syscall.SyscallN calls with arguments, or if statements that make an *Error, in %s.%s in %s, want 1", broken, m.iface, m.method, m.file)
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// nodeText is the Go source of n.
func nodeText(t *testing.T, fset *token.FileSet, n ast.Node) string {
	t.Helper()
	var b bytes.Buffer
	if err := format.Node(&b, fset, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// latencyLine is a result line of BenchmarkWaitContextLatency.
var latencyLine = regexp.MustCompile(`(?m)^BenchmarkWaitContextLatency(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op\s+([0-9.]+) calls/op\s+([0-9.]+) ms-late-max\s+([0-9.]+) ms-late-median`)

// TestWaitContextLatencyUnderWine runs BenchmarkWaitContextLatency
// (tests/waitlatency) under Wine reporting Windows 10, where WaitContext
// waits in slices of Wait, and Windows XP x64, where it polls QueryStatus,
// and logs how late each returns after the operation ends and how many COM
// calls a wait takes. The figures are logged for BENCHMARKS.md, never
// checked: this machine is shared. What is checked is that each path ran:
// Wait is called on Windows 10 and never on XP (calls/op tells them apart
// only roughly, so the benchmark's own log names the version).
func TestWaitContextLatencyUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.BuildTest(t, "..", "./tests/waitlatency")
	for _, v := range []wine.Version{wine.Win10, wine.WinXP64} {
		out, err := p.RunTest(t.Context(), v, exe,
			"-test.run=^$", "-test.bench=^BenchmarkWaitContextLatency$", "-test.benchtime=100x", "-test.v")
		if err != nil {
			t.Fatalf("under %s: %v\n%s", v.Name, err, out)
		}
		m := latencyLine.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("under %s: no BenchmarkWaitContextLatency result in the output:\n%s", v.Name, out)
		}
		if !strings.Contains(out, "Windows "+v.String()) {
			t.Errorf("under %s: the benchmark did not run on Windows %s:\n%s", v.Name, v, out)
		}
		t.Logf("Windows %s: WaitContext returns %s ms after the operation ends (median; worst %s ms), %s COM calls per 30 ms wait",
			v, m[4], m[3], m[2])
	}
}

// TestSecondaryBaseUnderWine runs tests/secondarybase under Wine: the
// IUnknown methods of the generated IVssWriterComponentsExt, called on an
// object laid out as MSVC lays out that class (two vtable pointers), must
// go through the second vtable pointer with this pointing at it.
func TestSecondaryBaseUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.BuildTest(t, "..", "./tests/secondarybase")
	out, err := p.RunTest(t.Context(), wine.Win10, exe, "-test.v")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "--- PASS: TestIUnknownThroughTheSecondVtable") {
		t.Fatalf("TestIUnknownThroughTheSecondVtable did not pass:\n%s", out)
	}
}

// TestFeatureOwnershipBitesUnderWine rebuilds the tests generated from the
// feature spec with two frees and reads of what a callee hands out broken,
// and expects the generated tests to say so under Wine:
//   - the free of GADGET_STAT's BSTR field (free: SysFreeString) left out,
//     which the task allocator's spy sees as a string freed 0 times;
//   - a BSTR read up to its first NUL instead of its length, which loses
//     the text after the NUL that every BSTR of the tests holds.
func TestFeatureOwnershipBitesUnderWine(t *testing.T) {
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
	breaks := map[string][2]string{
		"com_windows.go":  {"\t_sysFreeString(p.Owner)\n", "\t// broken: the BSTR field is not freed\n"},
		"bstr_windows.go": {"return string(utf16.Decode(unsafe.Slice(p, n)))", "_ = n\n\treturn windows.UTF16PtrToString(p)"},
	}
	replace := map[string]string{}
	tmp := t.TempDir()
	for _, f := range files {
		if strings.Contains(f.Name, "/") || !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		data := string(f.Data)
		if b, ok := breaks[f.Name]; ok {
			if strings.Count(data, b[0]) != 1 {
				t.Fatalf("%s holds %q %d times, want once", f.Name, b[0], strings.Count(data, b[0]))
			}
			data = strings.Replace(data, b[0], b[1], 1)
			delete(breaks, f.Name)
		}
		real := filepath.Join(tmp, f.Name)
		if err := os.WriteFile(real, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, filepath.FromSlash(pkgDir), f.Name)] = real
	}
	if len(breaks) > 0 {
		t.Fatalf("files to break were not generated: %v", breaks)
	}
	exe := wine.BuildTest(t, "..", "./"+pkgDir, "-vet=off", "-overlay", writeOverlay(t, replace))
	out, err := p.RunTest(t.Context(), wine.Win10, exe, "-test.run=^(TestStubs|TestBSTRNUL)$")
	if err == nil {
		t.Fatalf("the tests passed with the frees and BSTR reads broken:\n%s", out)
	}
	for _, want := range []string{
		"out-parameter 4 (pStat): a string the object allocated in the struct",
		"was freed 0 times, want once",
		`_bstrString(_sysAllocString("a\x00b")) = "a"`,
		"--- FAIL: TestStubs/IGadgetShop.Describe/S_OK ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}
