package tests

import (
	"bytes"
	"encoding/json"
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
	"sync"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/tests/internal/wine"
)

// The real-COM tier: spec/ole.yaml, generated into generated/ole, called
// under Wine against ole32.dll, oleaut32.dll and mfplat.dll (tests/realcom),
// with the
// expected observations made by a C program built against the SDK headers
// (tests/realcom/expect/expect.c) and run under the same Wine.
const (
	oleSpec        = "../spec/ole.yaml"
	oleGenerated   = "../generated/ole"
	realcomPkg     = "./tests/realcom"
	realcomExpectC = "realcom/expect/expect.c"
	// realcomExpectEnv is realcom.ExpectEnv, which a Linux build cannot
	// import: the package has only Windows files.
	realcomExpectEnv = "VSSGEN_REALCOM_EXPECT"
)

// realcomExpectations builds expect.c for x86_64 and runs it under Wine
// as Windows 10, returning the JSON it printed, which it checks is an
// object of strings with at least one case of each group of the tier.
func realcomExpectations(t *testing.T, p *wine.Prefix) string {
	t.Helper()
	realcomExpectCache.Lock()
	defer realcomExpectCache.Unlock()
	if realcomExpectCache.json == "" {
		realcomExpectCache.json = makeRealcomExpectations(t, p)
	}
	return realcomExpectCache.json
}

// realcomExpectCache keeps the C program's output for the tests of one
// run: building and running it once is enough.
var realcomExpectCache struct {
	sync.Mutex
	json string
}

func makeRealcomExpectations(t *testing.T, p *wine.Prefix) string {
	t.Helper()
	var cc *wine.Compiler
	for _, c := range wine.RequireCompilers(t) {
		if c.GOARCH == "amd64" {
			cc = &c
		}
	}
	if cc == nil {
		t.Fatal("no x86_64 mingw-w64 compiler")
	}
	exe := filepath.Join(t.TempDir(), "expect.exe")
	if out, err := cc.Compile(t.Context(), realcomExpectC, exe, "-lole32", "-loleaut32", "-lmfplat"); err != nil {
		t.Fatalf("compiling %s: %v\n%s", realcomExpectC, err, out)
	}
	out, err := p.Run(t.Context(), wine.Win10, exe, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var cases map[string]string
	if err := json.Unmarshal(out, &cases); err != nil {
		t.Fatalf("the C program's output is not a JSON object of strings: %v\n%s", err, out)
	}
	for _, group := range []string{
		"IIDFromString/", "CLSIDFromString/", "StringFromCLSID", "StringFromIID", "CoInitializeEx", "Malloc/",
		"VarBstrFromI8/", "VarBstrFromUI8/", "VarI8FromStr/", "VarUI8FromStr/", "VarBstrCmp/", "VarBstrCat/", "SysStringLen/",
		"HGlobal/", "Docfile/", "MFT/",
	} {
		found := false
		for name := range cases {
			found = found || strings.HasPrefix(name, group)
		}
		if !found {
			t.Errorf("the C program made no call of %s", group)
		}
	}
	return string(out)
}

// runRealCOM runs the test binary exe under Wine as Windows 10 with the
// expectations, and reports whether it printed PASS as its last line.
func runRealCOM(t *testing.T, p *wine.Prefix, exe, expect string) (out string, passed bool) {
	t.Helper()
	raw, err := p.Run(t.Context(), wine.Win10, exe, []string{"-test.v", "-test.run=^TestRealCOM$"}, realcomExpectEnv+"="+expect)
	out = strings.ReplaceAll(string(raw), "\r\n", "\n")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return out, err == nil && lines[len(lines)-1] == "PASS"
}

// realcomCase is a line of the Go test's output that names a case.
var realcomCase = regexp.MustCompile(`(?m)^    --- (PASS|FAIL): TestRealCOM/(\S+) `)

// realcomResults maps each case the output names, in go test's spelling
// of subtest names, to PASS or FAIL.
func realcomResults(out string) map[string]string {
	res := map[string]string{}
	for _, m := range realcomCase.FindAllStringSubmatch(out, -1) {
		res[m[2]] = m[1]
	}
	return res
}

// subtestName is how go test prints the name of subtest name.
func subtestName(name string) string {
	return strings.Join(strings.Fields(name), "_")
}

// TestOLEGeneratedTestsUnderWine runs the tests vssgen generates into
// generated/ole under Wine as Windows 10, as TestGeneratedStubsUnderWine
// does for generated/vss: every stub through a fake vtable, and the DLL
// functions found in Wine's ole32.dll and oleaut32.dll.
func TestOLEGeneratedTestsUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.BuildTest(t, "..", "./generated/ole")
	out, err := p.RunTest(t.Context(), wine.Win10, exe)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, name := range windowsTests {
		if !strings.Contains(out, "--- PASS: "+name+" ") {
			t.Errorf("%s did not run and pass:\n%s", name, out)
		}
	}
	checkEveryStubPassed(t, specModel(t, oleSpec), out)
}

// TestRealCOMUnderWine runs the real-COM tier: every stub of
// generated/ole that the cases call reaches the real ole32.dll or
// oleaut32.dll under Wine, and each observation (HRESULT, success code,
// string, GUID, bytes read, reference count) must be what expect.c
// observed when it made the same call through the SDK's declarations.
// Every case of the C program must have run and passed.
func TestRealCOMUnderWine(t *testing.T) {
	p := wine.Shared(t)
	expect := realcomExpectations(t, p)
	exe := wine.BuildTest(t, "..", realcomPkg)
	out, passed := runRealCOM(t, p, exe, expect)
	if !passed {
		t.Fatalf("the real-COM tier failed:\n%s", out)
	}
	var cases map[string]string
	if err := json.Unmarshal([]byte(expect), &cases); err != nil {
		t.Fatal(err)
	}
	results := realcomResults(out)
	for name := range cases {
		if results[subtestName(name)] != "PASS" {
			t.Errorf("case %q did not run and pass:\n%s", name, out)
		}
	}
	for _, diff := range wineDifferences {
		if got := cases[diff.name]; got != diff.wine {
			t.Errorf("%s: Wine now gives %q, not %q; %s. Review the difference.", diff.name, got, diff.wine, diff.windows)
		}
	}
	t.Logf("%d calls agree with the C program; %d differences from Windows accepted", len(cases), len(wineDifferences))
}

// wineDifference is a case where Wine's implementation does not do what
// Microsoft documents for Windows. The tier accepts Wine's behaviour, as
// the C program sees it too; TestRealCOMUnderWine fails if Wine changes.
type wineDifference struct {
	name    string // the case
	wine    string // what Wine does
	windows string // what Microsoft documents
}

// wineDifferences lists the differences the tier meets.
var wineDifferences = []wineDifference{
	{
		name: "Docfile/Stream LockRegion",
		wine: "hr=0x80004001",
		windows: "a stream of a compound file does not support range locking, and IStream::LockRegion is documented to return " +
			"STG_E_INVALIDFUNCTION (0x80030001) where locking is not supported; Wine returns E_NOTIMPL",
	},
	{
		name: "HGlobal/SetSize 2^32+3",
		wine: "hr=0x00000000 size=3",
		windows: "IStream::SetSize documents that a stream of at most 2^32 bytes, as an HGLOBAL stream is, needs the high " +
			"DWORD of the size zero and may refuse another with STG_E_INVALIDFUNCTION; Wine drops the high DWORD and succeeds",
	},
	{
		name: "Seek/invalid origin",
		wine: "hr=0x80030019 pos=5",
		windows: "IStream::Seek documents STG_E_INVALIDFUNCTION (0x80030001) for a dwOrigin that is not valid; Wine's " +
			"HGLOBAL stream returns STG_E_SEEKERROR (0x80030019)",
	},
}

// funcMutant breaks one DLL function stub of generated/ole.
type funcMutant struct {
	file, function string
	breakArgs      func(args []ast.Expr) []ast.Expr // the broken argument words after the procedure's address
	// fails says whether the case named name must fail with the stub broken.
	fails func(name string) bool
}

// highWordCut predicts the cases of a 64-bit conversion function whose
// value changes when the argument is cut to its low 32 bits.
func highWordCut(function string, signed bool) func(string) bool {
	return func(name string) bool {
		rest, ok := strings.CutPrefix(name, function+"/")
		if !ok {
			return false
		}
		v, _, _ := strings.Cut(rest, "/")
		if signed {
			n, err := strconv.ParseInt(v, 10, 64)
			return err != nil || int64(uint32(n)) != n
		}
		n, err := strconv.ParseUint(v, 10, 64)
		return err != nil || uint64(uint32(n)) != n
	}
}

// TestRealCOMBites proves that the real-COM tier catches broken stubs: it
// rebuilds tests/realcom with stubs of generated/ole broken (through a go
// build overlay, leaving the tree alone) and expects exactly the cases the
// breakage changes to fail:
//   - VarBstrFromI8 and VarBstrFromUI8 pass their 64-bit value cut to its
//     low 32 bits, as a binding that declares it a LONG would: every value
//     with a non-zero high word (negative ones included) formats wrongly;
//   - VarBstrCat passes its two BSTRs swapped: only a concatenation whose
//     halves differ notices;
//   - IStream.CopyTo passes its ULARGE_INTEGER byte count cut to its low
//     word: the copy of 2^32+5 bytes (all 15 there are) stops after 5,
//     which the copy's Stat and the read of it show too;
//   - IStream.SeekTo passes its offset and its origin in each other's
//     words: every seek fails or lands elsewhere (Wine reads only the low
//     DWORD of the offset, so cutting its high word would go unnoticed);
//   - IIDFromString passes an absent optional string as L"" rather than
//     NULL: the real function refuses it instead of returning GUID_NULL;
//   - MFTUnregisterLocalByCLSID passes its CLSID by value with its two
//     8-byte halves swapped: the transforms registered are not found (the
//     calls that find nothing anyway do not notice).
func TestRealCOMBites(t *testing.T) {
	p := wine.Shared(t)
	expr := func(src string) ast.Expr {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	mutants := []funcMutant{
		{
			file: "com_windows_amd64.go", function: "VarBstrFromI8",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				return append([]ast.Expr{expr("uintptr(uint32(i64In))")}, args[1:]...)
			},
			fails: highWordCut("VarBstrFromI8", true),
		},
		{
			file: "com_windows_amd64.go", function: "VarBstrFromUI8",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				return append([]ast.Expr{expr("uintptr(uint32(ui64In))")}, args[1:]...)
			},
			fails: highWordCut("VarBstrFromUI8", false),
		},
		{
			file: "com_windows.go", function: "VarBstrCat",
			breakArgs: func(args []ast.Expr) []ast.Expr { return append([]ast.Expr{args[1], args[0]}, args[2:]...) },
			fails: func(name string) bool {
				// Those whose halves differ; the others read the same
				// either way round.
				return slices.Contains([]string{"VarBstrCat/abc+def", "VarBstrCat/a NUL b+c NUL", "VarBstrCat/NUL+z"}, name)
			},
		},
		{
			// An absent optional string as L"", as bindings without optional
			// parameters pass it.
			file: "com_windows.go", function: "IIDFromString",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				return append([]ast.Expr{expr(`uintptr(unsafe.Pointer(func() *uint16 {
					if _lpsz == nil {
						return new(uint16)
					}
					return _lpsz
				}()))`)}, args[1:]...)
			},
			fails: func(name string) bool { return name == "IIDFromString/NULL" },
		},
		{
			file: "com_windows_amd64.go", function: "MFTUnregisterLocalByCLSID",
			breakArgs: func(args []ast.Expr) []ast.Expr {
				return []ast.Expr{expr(`uintptr(_clsidMFTCopy.guid(func() *windows.GUID {
					g := clsidMFT
					w := (*[2]uint64)(unsafe.Pointer(&g))
					w[0], w[1] = w[1], w[0]
					return &g
				}()))`)}
			},
			fails: func(name string) bool {
				return name == "MFT/Unregister" || name == "MFT/Unregister without types"
			},
		},
	}
	methodMutants := []struct {
		stubMutant
		fails func(name string) bool
	}{
		{
			stubMutant: stubMutant{
				file: "com_windows_amd64.go", iface: "IStream", method: "CopyTo",
				breakArgs: func(args []ast.Expr) []ast.Expr {
					return append(append(args[:1:1], expr("uintptr(uint32(cb))")), args[2:]...)
				},
			},
			fails: func(name string) bool {
				return slices.Contains([]string{"HGlobal/CopyTo", "HGlobal/Stat copy", "HGlobal/Read copy"}, name)
			},
		},
		{
			stubMutant: stubMutant{
				file: "com_windows_amd64.go", iface: "IStream", method: "SeekTo",
				breakArgs: func(args []ast.Expr) []ast.Expr {
					return append([]ast.Expr{args[1], args[0]}, args[2:]...)
				},
			},
			fails: func(name string) bool {
				return strings.HasPrefix(name, "Seek/") && name != "Seek/CreateStreamOnHGlobal"
			},
		},
	}
	byFile := map[string][]funcMutant{}
	for _, m := range mutants {
		byFile[m.file] = append(byFile[m.file], m)
	}
	methodsByFile := map[string][]stubMutant{}
	for _, m := range methodMutants {
		methodsByFile[m.file] = append(methodsByFile[m.file], m.stubMutant)
		if _, ok := byFile[m.file]; !ok {
			byFile[m.file] = nil
		}
	}
	// fails says whether the case named name must fail with the stubs broken.
	fails := func(name string) bool {
		for _, m := range mutants {
			if m.fails(name) {
				return true
			}
		}
		for _, m := range methodMutants {
			if m.fails(name) {
				return true
			}
		}
		return false
	}
	replace := map[string]string{}
	for file, ms := range byFile {
		path, err := filepath.Abs(filepath.Join(oleGenerated, file))
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			src = breakFunction(t, src, m)
		}
		for _, m := range methodsByFile[file] {
			src = breakStub(t, src, m)
		}
		mutant := filepath.Join(t.TempDir(), file)
		if err := os.WriteFile(mutant, src, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[path] = mutant
	}
	expect := realcomExpectations(t, p)
	exe := wine.BuildTest(t, "..", realcomPkg, "-overlay", writeOverlay(t, replace))
	out, passed := runRealCOM(t, p, exe, expect)
	if passed {
		t.Fatalf("the real-COM tier passed with broken stubs:\n%s", out)
	}
	var cases map[string]string
	if err := json.Unmarshal([]byte(expect), &cases); err != nil {
		t.Fatal(err)
	}
	results := realcomResults(out)
	var wantFail, gotFail []string
	for name := range cases {
		if fails(name) {
			wantFail = append(wantFail, subtestName(name))
		}
		if results[subtestName(name)] == "FAIL" {
			gotFail = append(gotFail, subtestName(name))
		} else if results[subtestName(name)] != "PASS" {
			t.Errorf("case %q did not run", name)
		}
	}
	slices.Sort(wantFail)
	slices.Sort(gotFail)
	if len(wantFail) == 0 {
		t.Fatal("no case can notice the broken stubs")
	}
	if !slices.Equal(gotFail, wantFail) {
		t.Errorf("failed cases %q, want %q\n%s", gotFail, wantFail, out)
	}
	t.Logf("%d of %d cases failed with the stubs broken, as predicted", len(gotFail), len(cases))
}

// breakFunction returns the Go source src with the argument words of the
// syscall.SyscallN call in the DLL function m.function replaced by
// m.breakArgs.
func breakFunction(t *testing.T, src []byte, m funcMutant) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, m.file, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	broken := 0
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != m.function || fn.Recv != nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			// The procedure's address comes first; anything after it is
			// an argument of the function.
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if ok && isIdent(sel.X, "syscall") && sel.Sel.Name == "SyscallN" && len(call.Args) > 1 {
				call.Args = append(call.Args[:1:1], m.breakArgs(call.Args[1:])...)
				broken++
			}
			return true
		})
	}
	if broken != 1 {
		t.Fatalf("found %d syscall.SyscallN calls with arguments in %s in %s, want 1", broken, m.function, m.file)
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRealCOMCoverage holds the real-COM tier to its purpose: spec/ole.yaml
// must use each kind of construct the tier exists to prove against real
// code, and expect.c, whose every case the Go side must match, must call
// every method and function the spec binds.
func TestRealCOMCoverage(t *testing.T) {
	spec := specModel(t, oleSpec)
	params := map[string]func(p *model.Param) bool{
		"a 64-bit integer by value": func(p *model.Param) bool {
			return p.Dir == model.In && !p.ByPtr && p.Type.Kind == model.Integer && p.Type.Bytes == 8
		},
		"a GUID by value":      func(p *model.Param) bool { return p.ByValueStruct() && p.Type.Kind == model.GUIDKind },
		"a GUID by reference":  func(p *model.Param) bool { return strings.HasPrefix(p.Type.C, "REF") },
		"a BSTR in":            func(p *model.Param) bool { return p.Dir == model.In && p.Type.Kind == model.BSTRKind },
		"a BSTR out":           func(p *model.Param) bool { return p.Dir == model.Out && p.Type.Kind == model.BSTRKind },
		"a string out":         func(p *model.Param) bool { return p.Dir == model.Out && p.Type.Kind == model.WString },
		"an optional string":   func(p *model.Param) bool { return p.Optional && p.Type.Kind == model.WString },
		"an interface out":     func(p *model.Param) bool { return p.Dir == model.Out && p.Type.Kind == model.InterfaceKind },
		"a struct filled":      func(p *model.Param) bool { return p.Dir == model.Out && p.Type.Kind == model.StructKind },
		"a struct by pointer":  func(p *model.Param) bool { return p.Dir == model.In && p.ByPtr && p.Type.Kind == model.StructKind },
		"a reserved parameter": func(p *model.Param) bool { return p.Reserved },
		"an optional struct pointer": func(p *model.Param) bool {
			return p.Optional && p.ByPtr && p.Type.Kind == model.StructKind
		},
		"a filled struct with a string the stub frees": func(p *model.Param) bool {
			if p.Dir != model.Out || p.Type.Kind != model.StructKind {
				return false
			}
			return slices.ContainsFunc(p.Type.Struct.Fields, func(f *model.Field) bool { return f.Free != "" })
		},
	}
	methods := map[string]func(m *model.Method) bool{
		"a non-HRESULT result": func(m *model.Method) bool { return m.Result != nil },
		"no result":            func(m *model.Method) bool { return m.Void },
		"a documented success code other than S_OK": func(m *model.Method) bool { return len(m.SuccessCodes()) > 0 },
	}
	c, err := os.ReadFile(realcomExpectC)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	check := func(m *model.Method, call *regexp.Regexp) {
		for what, is := range methods {
			seen[what] = seen[what] || is(m)
		}
		for _, p := range m.Params {
			for what, is := range params {
				seen[what] = seen[what] || is(p)
			}
		}
		if !call.Match(c) {
			t.Errorf("%s does not call %s", realcomExpectC, m.FullName())
		}
	}
	for _, it := range spec.Interfaces {
		for _, m := range it.Methods {
			// Through the SDK's macro of the interface or of one derived from it.
			check(m, regexp.MustCompile(`\b[A-Za-z]+_`+regexp.QuoteMeta(m.Name)+`\(`))
		}
	}
	for _, f := range spec.Functions {
		check(f, regexp.MustCompile(`\b`+regexp.QuoteMeta(f.Name)+`\(`))
	}
	for what := range params {
		if !seen[what] {
			t.Errorf("spec/ole.yaml has no parameter that is %s", what)
		}
	}
	for what := range methods {
		if !seen[what] {
			t.Errorf("spec/ole.yaml has no method or function with %s", what)
		}
	}
}

// TestOLEPackageNamesNoVSS: spec/ole.yaml says nothing of the Volume
// Shadow Copy Service, so nothing generated from it may name it: no
// message, comment or identifier but vssgen's own name and its
// environment variables.
func TestOLEPackageNamesNoVSS(t *testing.T) {
	files, err := gen.Generate(gen.Options{Spec: oleSpec})
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`(?i)\w*(vss|shadow cop)\w*`)
	for _, f := range files {
		for _, w := range word.FindAllString(string(f.Data), -1) {
			if !strings.HasPrefix(strings.ToLower(w), "vssgen") {
				t.Errorf("%s names %q", f.Name, w)
			}
		}
	}
}
