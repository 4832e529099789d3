package emit

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// featureSpec uses every feature of the format once.
const featureSpec = "../testdata/golden/features/spec.yaml"

func loadSpec(t *testing.T, path, source string) *model.Spec {
	t.Helper()
	raw, err := load.File(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, path, source)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadFeatureSpec(t *testing.T) *model.Spec {
	t.Helper()
	return loadSpec(t, featureSpec, "gen/testdata/golden/features/spec.yaml")
}

// Every documented return code but those that arrive through an IVssAsync,
// every status code and one unknown failure become a call of TestStubs;
// status codes travel in the HRESULT out-parameter of a call that succeeds.
// (A method documented with no success code also gets an S_OK call; every
// method here has one documented.)
func TestCOMTestCases(t *testing.T) {
	var got []string
	for _, tc := range newCOMTests(loadFeatureSpec(t)).stubCases() {
		got = append(got, tc.name)
	}
	want := []string{
		// A method that returns no HRESULT has no codes: the fake returns a
		// word of the method's own, every bit above the result's C size set.
		"IAllocator.Alloc/returns a pointer",
		"IAllocator.Free/void",
		"IAllocator.GetSize/returns 0x1c0002ff5e0002ff", // SIZE_T: 8 bytes on amd64, the low 4 on 386
		"IAllocator.Count/returns 0xffffffff5e0003ff",
		"IAllocator.DidAlloc/returns 0xffffffff5e0004ff",
		"IAllocator.IsEmpty/returns true",
		"IAllocator.IsEmpty/returns false",
		"IAllocator.Total/returns 0x1c0006ff5e0006ff",
		"IAllocator.Owner/returns a pointer",
		"IAllocator.Owner/optional parameters absent",
		"IAllocator.Color/returns 0xffffffff5e0008ff",
		"IAllocator.Shiny/returns true",
		"IAllocator.Shiny/returns false",
		"IAllocator.Rename/S_OK",
		"IAllocator.Rename/undocumented 0x8004FFFF",
		"IAllocator.Rename/undocumented success 0x0004FFFF",
		"IGadgetShop.Find/S_OK",
		"IGadgetShop.Find/undocumented 0x8004FFFF",
		"IGadgetShop.Find/undocumented success 0x0004FFFF",
		"IGadgetShop.Find/S_OK/optional parameters absent",
		"IGadgetShop.Describe/S_OK",
		"IGadgetShop.Describe/undocumented 0x8004FFFF",
		"IGadgetShop.Describe/undocumented success 0x0004FFFF",
		"IGadgetShop.Describe/S_OK/optional parameters absent",
		"IGadgetShop.Props/S_OK", // WID_E_BROKEN arrives through an IVssAsync
		"IGadgetShop.Props/undocumented 0x8004FFFF",
		"IGadgetShop.Props/undocumented success 0x0004FFFF",
		"IGadgetShop.Resize/S_OK",
		"IGadgetShop.Resize/undocumented 0x8004FFFF",
		"IGadgetShop.Resize/undocumented success 0x0004FFFF",
		"IGadgetShop.Bitmap/S_OK",
		"IGadgetShop.Bitmap/undocumented 0x8004FFFF",
		"IGadgetShop.Bitmap/undocumented success 0x0004FFFF",
		"IGadgetShop.Stat/S_OK",
		"IGadgetShop.Stat/undocumented 0x8004FFFF",
		"IGadgetShop.Stat/undocumented success 0x0004FFFF",
		"IGadgetShop.Stat/S_OK/optional parameters absent",
		"IGadgetShop.Seek/S_OK",
		"IGadgetShop.Seek/undocumented 0x8004FFFF",
		"IGadgetShop.Seek/undocumented success 0x0004FFFF",
		"IWidget.Spin/S_OK",
		"IWidget.Spin/S_FALSE",
		"IWidget.Spin/WID_E_UNEXPECTED",
		"IWidget.Spin/undocumented 0x8004FFFF",
		"IWidget.Spin/undocumented success 0x0004FFFF",
		"IWidget.Status/S_OK",
		"IWidget.Status/E_INVALIDARG",
		"IWidget.Status/S_OK/pHr=WID_S_PENDING",
		"IWidget.Status/undocumented 0x8004FFFF",
		"IWidget.Status/undocumented success 0x0004FFFF",
		"ISuperWidget.Fly/S_OK",
		"ISuperWidget.Fly/WID_E_BROKEN",
		"ISuperWidget.Fly/WID_E_UNEXPECTED",
		"ISuperWidget.Fly/undocumented 0x8004FFFF",
		"ISuperWidget.Fly/undocumented success 0x0004FFFF",
	}
	if !slices.Equal(got, want) {
		t.Errorf("cases\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A boolean result is returned once true with its low byte zero (a BOOL),
// which a stub that reads one byte takes for false, and once false with
// every bit above its C size set, which a stub that reads more takes for
// true.
func TestCOMTestBooleanResults(t *testing.T) {
	c := newCOMTests(loadFeatureSpec(t))
	want := map[string][]uint64{
		"IsEmpty": {0xFFFFFFFF00000100, 0xFFFFFFFF00000000}, // BOOL, 4 bytes
		"Shiny":   {0xFFFFFFFFFFFFFF01, 0xFFFFFFFFFFFFFF00}, // boolean, 1 byte
	}
	for _, m := range c.stubbed {
		w, ok := want[m.Name]
		if !ok {
			continue
		}
		var got []uint64
		for _, rw := range resultWords(m, uint32(c.index[m])) {
			got = append(got, rw.word)
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: words %#x, want %#x", m.FullName(), got, w)
		}
		delete(want, m.Name)
	}
	if len(want) > 0 {
		t.Errorf("the feature spec lacks %v", want)
	}
}

// Every method of the flagship spec is called at least once with a success
// code, also when its documentation lists none (IVssBackupComponents.
// ExposeSnapshot, whose out-string the stub must free): only a call that
// succeeds has out-parameters to check.
func TestCOMTestCasesSucceedOnce(t *testing.T) {
	c := newCOMTests(loadSpec(t, "../../spec/vss.yaml", "spec/vss.yaml"))
	succeeds := map[*model.Method]bool{}
	for _, tc := range c.stubCases() {
		if tc.result&0x80000000 == 0 {
			succeeds[tc.m] = true
		}
	}
	for _, m := range c.stubbed {
		if !succeeds[m] {
			t.Errorf("%s has no call that succeeds, so its out-parameters go unchecked", m.FullName())
		}
	}
	// Each case is one call; a name twice means one call made twice.
	seen := map[string]bool{}
	for _, tc := range c.stubCases() {
		if seen[tc.name] {
			t.Errorf("case %s appears twice", tc.name)
		}
		seen[tc.name] = true
	}
}

// The values passed and written must differ between positions and methods,
// or a swapped or dropped argument could go unnoticed, and integers must
// mean the same as any signed or unsigned type of their size.
func TestCOMTestValuesAreDistinct(t *testing.T) {
	for _, spec := range []struct{ path, source string }{
		{featureSpec, "gen/testdata/golden/features/spec.yaml"},
		{"../../spec/vss.yaml", "spec/vss.yaml"},
	} {
		t.Run(spec.source, func(t *testing.T) {
			c := newCOMTests(loadSpec(t, spec.path, spec.source))
			seen := map[string]string{}
			distinct := func(what, key string) {
				if other, dup := seen[key]; dup {
					t.Errorf("%s uses %s, as does %s", what, key, other)
				}
				seen[key] = what
			}
			for _, m := range append(append([]*model.Method{}, c.stubbed...), c.functions...) {
				for i, p := range m.Params {
					what := fmt.Sprintf("%s parameter %d (%s)", m.FullName(), i+1, p.Name)
					v := c.value(m, i)
					switch kind := testKind(p); {
					case p.Reserved:
						if v != (paramValue{}) {
							t.Errorf("%s is reserved but carries %+v", what, v)
						}
					case kind == "_kindInteger":
						if v.word >= 1<<(8*p.Type.Bytes-1) {
							t.Errorf("%s: %#x does not fit a signed %d-byte integer", what, v.word, p.Type.Bytes)
						}
						if p.Type.Bytes >= 4 {
							distinct(what, fmt.Sprintf("integer %#x", v.word))
						}
					case kind == "_kindFiletime":
						distinct(what, fmt.Sprintf("FILETIME %#x", v.word))
					case kind == "_kindWString", kind == "_kindBSTR":
						distinct(what, fmt.Sprintf("string %q", v.str))
					case kind == "_kindGUID":
						distinct(what, "GUID "+v.guid.String())
						words := map[uint32]bool{v.guid.Data1: true, uint32(v.guid.Data2) | uint32(v.guid.Data3)<<16: true}
						d := v.guid.Data4
						words[uint32(d[0])|uint32(d[1])<<8|uint32(d[2])<<16|uint32(d[3])<<24] = true
						words[uint32(d[4])|uint32(d[5])<<8|uint32(d[6])<<16|uint32(d[7])<<24] = true
						if len(words) != 4 {
							t.Errorf("%s: the 4-byte words of %v repeat, so a stub passing them out of order could pass", what, v.guid)
						}
					}
				}
			}
		})
	}
}

// A reserved GUID passed by value still takes a GUID's argument words, all
// zero: on amd64 a reference to a zero copy (a lone 0 would be a NULL
// reference the callee reads through), on 386 four stack words and on
// arm64 two registers (a lone 0 would shift every later argument). The
// fakes of the generated tests check exactly this; IVssBackupComponents.
// Query has such a parameter.
func TestReservedGUIDWords(t *testing.T) {
	s := loadSpec(t, "../../spec/vss.yaml", "spec/vss.yaml")
	var query *model.Method
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			if m.FullName() == "IVssBackupComponents.Query" {
				query = m
			}
		}
	}
	if query == nil || !query.Params[0].Reserved || query.Params[0].Type.Kind != model.GUIDKind {
		t.Fatal("spec/vss.yaml no longer has IVssBackupComponents.Query with a reserved GUID first")
	}
	if !needsArch(query) {
		t.Error("Query is not in the per-architecture files, though its argument words differ per architecture")
	}
	for arch, want := range map[model.Arch][]string{
		// A copy at a 16-byte boundary of a stack buffer, as the x64 convention wants.
		model.AMD64: {"uintptr(_QueriedObjectIdCopy.guid(&_QueriedObjectId))"},
		model.I386: {
			"_word32(unsafe.Pointer(&_QueriedObjectId), 0)", "_word32(unsafe.Pointer(&_QueriedObjectId), 1)",
			"_word32(unsafe.Pointer(&_QueriedObjectId), 2)", "_word32(unsafe.Pointer(&_QueriedObjectId), 3)",
		},
		model.ARM64: {"_word64(unsafe.Pointer(&_QueriedObjectId), 0)", "_word64(unsafe.Pointer(&_QueriedObjectId), 1)"},
	} {
		c := shapeOf(query, arch)
		var got []string
		for _, a := range c.args[:len(want)] {
			got = append(got, fmt.Sprintf("%#v", a))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the reserved GUID goes as %q, want %q", arch, got, want)
		}
		if n := len(c.args); n != len(want)+3 {
			t.Errorf("%s: %d argument words after this, want %d", arch, n, len(want)+3)
		}
		wantPre := []string{"var _QueriedObjectId windows.GUID"}
		if arch == model.AMD64 {
			wantPre = append(wantPre, "var _QueriedObjectIdCopy _aligned16")
		}
		var pre []string
		for _, st := range c.pre {
			pre = append(pre, fmt.Sprintf("%#v", st))
		}
		if !slices.Equal(pre, wantPre) {
			t.Errorf("%s: the stub declares %q before the call, want %q: the zero GUID it passes and, on amd64, the aligned room for its copy", arch, pre, wantPre)
		}
	}
}

// The Windows tests of the flagship spec stay within what
// syscall.NewCallback allows a process: one callback per slot and word
// count, which the fakes count again at run time.
func TestCOMTestCallbackBudget(t *testing.T) {
	c := newCOMTests(loadSpec(t, "../../spec/vss.yaml", "spec/vss.yaml"))
	for _, arch := range model.Arches {
		keys := map[[2]int]bool{}
		for _, m := range c.stubbed {
			keys[[2]int{m.Slot, 1 + len(shapeOf(m, arch).args)}] = true
		}
		if n := 3 + len(keys); n > 500 {
			t.Errorf("%s: the fakes need %d callbacks; syscall.NewCallback allows about 2000 per process, shared with the program", arch, n)
		} else {
			t.Logf("%s: %d callbacks for %d stubs", arch, n, len(c.stubbed))
		}
	}
}

// The generated Windows tests of the feature spec compile for every
// Windows architecture Go supports here. Running them takes Windows or
// Wine (see tests/wine_test.go); compiling them catches what only some
// word sizes get wrong. The package exists only in a go build overlay.
func TestCOMTestsCompileForWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a generated package three times; skipped in -short mode")
	}
	compileForWindows(t, loadFeatureSpec(t), "gen/emit/testdata/comtests")
}

// compileForWindows compiles the package generated from s, with its tests,
// for windows/amd64, 386 and arm64. The package exists only in a go build
// overlay, as if it were at pkgDir (relative to the module root).
func compileForWindows(t *testing.T, s *model.Spec, pkgDir string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	outs, err := All(s, Config{})
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	replace := map[string]string{}
	for _, o := range outs {
		if strings.Contains(o.Name, "/") || !strings.HasSuffix(o.Name, ".go") {
			continue
		}
		real := filepath.Join(tmp, o.Name)
		if err := os.WriteFile(real, o.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, filepath.FromSlash(pkgDir), o.Name)] = real
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "386", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			// -vet=off: vet would change into the package directory, which
			// is not on disk.
			cmd := exec.Command(goTool, "test", "-c", "-vet=off", "-o", filepath.Join(t.TempDir(), "generated.test.exe"),
				"-overlay", overlayFile, "./"+pkgDir)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("GOOS=windows GOARCH=%s go test -c: %v\n%s", arch, err, out)
			}
		})
	}
}

// TestSmallUnionsCompileForWindows compiles a package with unions of 1-byte
// members, of C size 1 and 3, for every Windows architecture: the
// compile-time size check of each union's Go type must hold.
func TestSmallUnionsCompileForWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a generated package three times; skipped in -short mode")
	}
	const spec = `package: small
hresults:
  - {name: S_OK, value: 0, doc: Success.}
structs:
  - name: SMALL_THREE
    fields: [{name: A, type: BYTE}, {name: B, type: boolean}, {name: C, type: BYTE}]
  - name: SMALL_ONE
    union: true
    fields: [{name: Byte, type: BYTE}, {name: Flag, type: boolean}]
  - name: SMALL_ODD
    union: true
    fields: [{name: Byte, type: BYTE}, {name: Three, type: SMALL_THREE}]
  - name: SMALL_HOLDER
    fields: [{name: One, type: SMALL_ONE}, {name: Odd, type: SMALL_ODD}, {name: Count, type: LONG}]
`
	compileForWindows(t, buildSpec(t, spec, "small.yaml"), "gen/emit/testdata/smallunions")
}
