package tests

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/tests/internal/wine"
)

// flagshipSpec is the spec the tiers check, relative to this directory.
const flagshipSpec = "../spec/vss.yaml"

// conformanceFile generates the C conformance file from spec (the bytes
// of a spec, named like spec/vss.yaml) and writes it into a temporary
// directory, returning its path.
func conformanceFile(t *testing.T, spec []byte) string {
	t.Helper()
	return namedConformanceFile(t, "spec/vss.yaml", spec)
}

// namedConformanceFile is conformanceFile for a spec named name.
func namedConformanceFile(t *testing.T, name string, spec []byte) string {
	t.Helper()
	files, err := gen.GenerateBytes(name, spec, gen.Options{})
	if err != nil {
		t.Fatalf("generating from the spec: %v", err)
	}
	for _, f := range files {
		if strings.HasPrefix(f.Name, "conformance/") && strings.HasSuffix(f.Name, ".c") {
			src := filepath.Join(t.TempDir(), filepath.Base(f.Name))
			if err := os.WriteFile(src, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			return src
		}
	}
	t.Fatalf("the generator produced no conformance/*.c file")
	return ""
}

func readFlagshipSpec(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(flagshipSpec)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// failedAssertions lists the messages of the static assertions a compiler
// reported as failed.
func failedAssertions(out []byte) []string {
	var msgs []string
	for _, m := range regexp.MustCompile(`static assertion failed: "([^"]*)"`).FindAllSubmatch(out, -1) {
		msgs = append(msgs, string(m[1]))
	}
	slices.Sort(msgs)
	return slices.Compact(msgs)
}

// Lines the conformance program prints when it runs.
var (
	// The program names itself for the spec's package: vss_conformance.
	staticFactsLine = regexp.MustCompile(`(?m)^\w+_conformance: (\d+) static facts held when this program was compiled\r?$`)
	iidsMatchLine   = regexp.MustCompile(`(?m)^\w+_conformance: all (\d+) IIDs match the SDK\r?$`)
	exportedLine    = regexp.MustCompile(`(?m)^\w+_conformance: all (\d+) functions are exported\r?$`)
	// factLine is the program's report of one runtime fact: an IID that
	// differs, or whether a DLL exports a function ("...: found").
	factLine = regexp.MustCompile(`(?m)^(\S+ (?:IID|export)): (.*?)\r?$`)
)

// runtimeFacts maps each runtime fact the program reported to what it said.
func runtimeFacts(out []byte) map[string]string {
	facts := map[string]string{}
	for _, m := range factLine.FindAllSubmatch(out, -1) {
		facts[string(m[1])] = string(m[2])
	}
	return facts
}

// conformanceSpecs are the committed specs the SDK tier holds against the
// headers, by their paths from the module root. everyFact says that no fact
// of the spec may go unchecked: the flagship declares some parameters as
// IUnknown where the header names an interface it does not describe, and
// PVOID members, which its conformance file says it cannot check; the
// real-COM spec states every type as the headers do.
var conformanceSpecs = []struct {
	name      string
	everyFact bool
}{
	{"spec/vss.yaml", false},
	{"spec/ole.yaml", true},
}

// TestConformance holds each committed spec (spec/vss.yaml, and
// spec/ole.yaml of the real-COM tier) against the mingw-w64 SDK headers:
// the generated C file must compile for x86_64 and i686 (every slot, method
// and function signature, HRESULT and enum value, and struct layout of that
// architecture agrees) with no fact left unchecked, and the x86_64 program
// must find, under Wine, every IID of the spec equal to the SDK's and every
// DLL function of the spec exported by Wine's DLLs. Wine cannot run i686
// programs without wine32, so the runtime facts are checked on x86_64 only;
// IIDs are the same bytes on both, and the exports are the system's, not
// the headers'.
func TestConformance(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	for _, cs := range conformanceSpecs {
		t.Run(cs.name, func(t *testing.T) {
			conformance(t, compilers, cs.name, cs.everyFact)
		})
	}
}

// unchecked matches a comment of the conformance file that says a fact was
// left unchecked.
var unchecked = regexp.MustCompile(`(?m)^/\* .*: not checked: .*\*/$`)

// compileConformance compiles the conformance file src with each compiler,
// one subtest each, and returns the x86_64 program, kept beside src as
// stem_amd64.exe for the runtime check, or "" when it did not compile.
func compileConformance(t *testing.T, compilers []wine.Compiler, src, stem string) string {
	var amd64Exe string
	for _, c := range compilers {
		t.Run("compile/"+c.GOARCH, func(t *testing.T) {
			exe := filepath.Join(t.TempDir(), stem+".exe")
			if out, err := c.Compile(t.Context(), src, exe); err != nil {
				t.Fatalf("the SDK headers disagree with the spec (%v); failed facts: %q\n%s", err, failedAssertions(out), out)
			}
			if c.GOARCH == "amd64" {
				dst := filepath.Join(filepath.Dir(src), stem+"_amd64.exe")
				if err := os.Rename(exe, dst); err != nil {
					t.Fatal(err)
				}
				amd64Exe = dst
			}
		})
	}
	return amd64Exe
}

// conformance runs TestConformance for the spec at name.
func conformance(t *testing.T, compilers []wine.Compiler, name string, everyFact bool) {
	path := filepath.Join("..", filepath.FromSlash(name))
	spec := specModel(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := namedConformanceFile(t, name, data)
	if everyFact {
		c, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if skipped := unchecked.FindAllString(string(c), -1); len(skipped) > 0 {
			t.Errorf("the conformance file of %s leaves facts unchecked:\n%s", name, strings.Join(skipped, "\n"))
		}
	}
	amd64Exe := compileConformance(t, compilers, src, "vss_conformance")
	t.Run("runtime", func(t *testing.T) {
		if amd64Exe == "" {
			t.Fatal("no x86_64 program to run: its compilation failed")
		}
		p := wine.Shared(t)
		out, err := p.Run(t.Context(), wine.Win10, amd64Exe, nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if m := staticFactsLine.FindSubmatch(out); m != nil {
			t.Logf("%s static facts held when the x86_64 program was compiled", m[1])
		} else {
			t.Errorf("the program did not say how many static facts it held:\n%s", out)
		}

		var withIID int
		for _, it := range spec.Interfaces {
			if it.HasIID {
				withIID++
			}
		}
		if m := iidsMatchLine.FindSubmatch(out); m == nil || string(m[1]) != strconv.Itoa(withIID) {
			t.Errorf("the program did not report the %d IIDs of the spec matching:\n%s", withIID, out)
		}

		facts := runtimeFacts(out)
		var exported []string
		for _, f := range spec.Functions {
			fact := f.FullName() + " export"
			if got := facts[fact]; got != "found" {
				t.Errorf("%s: %q, want found", fact, got)
				continue
			}
			exported = append(exported, f.FullName())
		}
		if m := exportedLine.FindSubmatch(out); m == nil || string(m[1]) != strconv.Itoa(len(spec.Functions)) {
			t.Errorf("the program did not report the %d functions of the spec exported:\n%s", len(spec.Functions), out)
		}
		t.Logf("%d IIDs match; Wine exports %s", withIID, strings.Join(exported, ", "))
	})
}

// editSpec replaces old, which must occur exactly once, with new.
func editSpec(t *testing.T, spec []byte, old, new string) []byte {
	t.Helper()
	if n := bytes.Count(spec, []byte(old)); n != 1 {
		t.Fatalf("the spec holds %q %d times, want once", old, n)
	}
	return bytes.Replace(spec, []byte(old), []byte(new), 1)
}

// swapSpec exchanges a and b, which must each occur exactly once.
func swapSpec(t *testing.T, spec []byte, a, b string) []byte {
	t.Helper()
	const mark = "\x00swapped\x00"
	spec = editSpec(t, spec, a, mark)
	spec = editSpec(t, spec, b, a)
	return editSpec(t, spec, mark, b)
}

// TestConformanceBites changes facts in a copy of the spec and expects the
// SDK check to fail naming exactly those facts: the compilation for what
// the headers state, the program run under Wine for IIDs and exports. The
// generator refuses gaps between slots, so the slot cases swap two
// methods' slots. The struct case compiles for both architectures: each
// must report the offsets of its own layout.
func TestConformanceBites(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	spec := readFlagshipSpec(t)

	for _, tt := range []struct {
		name string
		edit func(*testing.T, []byte) []byte
		// facts are the failed static assertions, sorted, for each
		// architecture the case compiles for.
		facts map[string][]string
	}{
		{
			name: "slots swapped",
			edit: func(t *testing.T, s []byte) []byte {
				return swapSpec(t, s, "        slot: 4\n", "        slot: 5\n")
			},
			facts: map[string][]string{"amd64": {"IVssAsync.QueryStatus slot", "IVssAsync.Wait slot"}},
		},
		{
			// IVssWriterComponents does not start with IUnknown: its own
			// methods are slots 0-2, which IVssWriterComponentsExt inherits.
			name: "slots swapped in an interface without IUnknown",
			edit: func(t *testing.T, s []byte) []byte {
				return swapSpec(t, s, "      slot: 1\n", "      slot: 2\n")
			},
			facts: map[string][]string{"amd64": {
				"IVssWriterComponents.GetComponent slot", "IVssWriterComponents.GetWriterInfo slot",
				"IVssWriterComponentsExt.GetComponent slot", "IVssWriterComponentsExt.GetWriterInfo slot",
			}},
		},
		{
			name: "value changed",
			edit: func(t *testing.T, s []byte) []byte {
				return editSpec(t, s, "value: 0x80042302\n", "value: 0x8004230A\n")
			},
			facts: map[string][]string{"amd64": {"VSS_E_UNEXPECTED value"}},
		},
		{
			// One plain enum value and one flag, which the header writes
			// as 0xFFFFFFFF and the model holds as -1.
			name: "enum values changed",
			edit: func(t *testing.T, s []byte) []byte {
				s = editSpec(t, s, "{name: VSS_OBJECT_TYPE_COUNT, value: 5,", "{name: VSS_OBJECT_TYPE_COUNT, value: 6,")
				return editSpec(t, s, "{name: VSS_CTX_ALL, value: 0xFFFFFFFF,", "{name: VSS_CTX_ALL, value: 0x7FFFFFFF,")
			},
			facts: map[string][]string{"amd64": {"VSS_CTX_ALL value", "VSS_OBJECT_TYPE_COUNT value"}},
		},
		{
			name: "parameter type changed",
			edit: func(t *testing.T, s []byte) []byte {
				return editSpec(t, s, "{name: dwMilliseconds, dir: in, type: DWORD,", "{name: dwMilliseconds, dir: in, type: UINT,")
			},
			facts: map[string][]string{"amd64": {"IVssAsync.Wait parameters"}},
		},
		{
			name: "function parameter type changed",
			edit: func(t *testing.T, s []byte) []byte {
				return editSpec(t, s, "{name: ppBackup, dir: out, type: IVssBackupComponents,", "{name: ppBackup, dir: out, type: IVssBackupComponentsEx,")
			},
			facts: map[string][]string{"amd64": {"vssapi.dll!CreateVssBackupComponentsInternal parameters"}},
		},
		{
			// A 4-byte LONG moved before a 16-byte VSS_ID: the total size
			// stays, the two offsets change.
			name: "struct fields swapped",
			edit: func(t *testing.T, s []byte) []byte {
				return swapSpec(t, s,
					"  - {name: m_SnapshotSetId, type: VSS_ID, doc: ID of the shadow copy set it belongs to., go_name: SnapshotSetId}\n",
					"  - {name: m_lSnapshotsCount, type: LONG, doc: How many shadow copies were in the set when it was created., go_name: SnapshotsCount}\n")
			},
			facts: map[string][]string{
				"amd64": {"VSS_SNAPSHOT_PROP.m_SnapshotSetId offset on amd64", "VSS_SNAPSHOT_PROP.m_lSnapshotsCount offset on amd64"},
				"386":   {"VSS_SNAPSHOT_PROP.m_SnapshotSetId offset on 386", "VSS_SNAPSHOT_PROP.m_lSnapshotsCount offset on 386"},
			},
		},
	} {
		src := conformanceFile(t, tt.edit(t, spec))
		for _, cc := range compilers {
			want, ok := tt.facts[cc.GOARCH]
			if !ok {
				continue
			}
			t.Run(tt.name+"/"+cc.GOARCH, func(t *testing.T) {
				t.Parallel()
				out, err := cc.Compile(t.Context(), src, filepath.Join(t.TempDir(), "vss_conformance.exe"))
				if err == nil {
					t.Fatalf("the conformance file compiled although the spec contradicts the SDK")
				}
				if got := failedAssertions(out); !slices.Equal(got, want) {
					t.Fatalf("failed facts %q, want %q\n%s", got, want, out)
				}
			})
		}
	}

	// One run under Wine covers both runtime facts: an IID changed, and a
	// function that the headers declare but vssapi.dll does not export.
	t.Run("iid changed and export missing", func(t *testing.T) {
		edited := editSpec(t, spec,
			"iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e\n", "iid: 507c37b4-cf5b-4e95-b0af-14eb9767467f\n")
		edited = append(edited, "- {name: CoUninitialize, dll: vssapi.dll, void: true, doc: Declared by objbase.h and exported by ole32.dll.}\n"...)
		src := conformanceFile(t, edited)
		exe := filepath.Join(t.TempDir(), "vss_conformance.exe")
		if out, err := compilers[0].Compile(t.Context(), src, exe); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		p := wine.Shared(t)
		out, err := p.Run(t.Context(), wine.Win10, exe, nil)
		if err == nil {
			t.Fatalf("the program accepted an IID the SDK does not have and a missing export:\n%s", out)
		}
		failed := map[string]string{}
		for fact, said := range runtimeFacts(out) {
			if said != "found" {
				failed[fact] = said
			}
		}
		want := map[string]string{
			"IVssAsync IID":                    "the SDK has {507c37b4-cf5b-4e95-b0af-14eb9767467e}, the spec has {507c37b4-cf5b-4e95-b0af-14eb9767467f}",
			"vssapi.dll!CoUninitialize export": "vssapi.dll does not export it",
		}
		if !maps.Equal(failed, want) {
			t.Fatalf("failed runtime facts %q, want %q\n%s", failed, want, out)
		}
	})
}

// manyPointers is how many by-pointer parameters the method and function
// of TestConformanceManyPointerParameters take: listing every const and
// non-const signature of them would take 2^20 alternatives.
const manyPointers = 20

// manyPointersSpec is a spec whose interface IMany (and IManyEx, which
// inherits it) and DLL function ManyTake take manyPointers GUIDs by
// pointer, then a DWORD and a LONG.
func manyPointersSpec() []byte {
	var params strings.Builder
	for i := range manyPointers {
		fmt.Fprintf(&params, "      - {name: p%d, dir: in, type: GUID, by: pointer}\n", i)
	}
	params.WriteString("      - {name: dwFlags, dir: in, type: DWORD}\n      - {name: lCount, dir: in, type: LONG}\n")
	indented := strings.ReplaceAll(params.String(), "      - ", "          - ")
	return []byte("package: vss\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\ninterfaces:\n" +
		"  - name: IMany\n    iid: none\n    base: IUnknown\n    header: many.h\n    methods:\n      - name: Take\n        slot: 3\n        params:\n" + indented +
		"  - name: IManyEx\n    iid: none\n    base: IMany\n    header: many.h\n    methods:\n      - {name: More, slot: 4}\n" +
		"functions:\n  - name: ManyTake\n    dll: many.dll\n    params:\n" + params.String())
}

// manyHeader declares IMany, IManyEx and ManyTake as a C header would, each
// parameter of the spec in its type (pointers to even-numbered GUIDs
// const, the others not), with edit applied to the list of parameter
// declarations and convention as the methods' calling convention.
func manyHeader(edit func([]string) []string, convention string) string {
	var ps []string
	for i := range manyPointers {
		if i%2 == 0 {
			ps = append(ps, fmt.Sprintf("const GUID *p%d", i))
		} else {
			ps = append(ps, fmt.Sprintf("GUID *p%d", i))
		}
	}
	ps = append(ps, "DWORD dwFlags", "LONG lCount")
	if edit != nil {
		ps = edit(ps)
	}
	params := strings.Join(ps, ", ")
	var b strings.Builder
	b.WriteString("#include <windows.h>\n")
	for _, it := range []string{"IMany", "IManyEx"} {
		fmt.Fprintf(&b, "typedef struct %[1]s %[1]s;\ntypedef struct %[1]sVtbl {\n", it)
		fmt.Fprintf(&b, "\tHRESULT (STDMETHODCALLTYPE *QueryInterface)(%s *This, REFIID riid, void **ppvObject);\n", it)
		fmt.Fprintf(&b, "\tULONG (STDMETHODCALLTYPE *AddRef)(%s *This);\n\tULONG (STDMETHODCALLTYPE *Release)(%[1]s *This);\n", it)
		fmt.Fprintf(&b, "\tHRESULT (%s *Take)(%s *This, %s);\n", convention, it, params)
		if it == "IManyEx" {
			fmt.Fprintf(&b, "\tHRESULT (STDMETHODCALLTYPE *More)(%s *This);\n", it)
		}
		fmt.Fprintf(&b, "} %[1]sVtbl;\nstruct %[1]s { %[1]sVtbl *lpVtbl; };\n", it)
	}
	fmt.Fprintf(&b, "HRESULT WINAPI ManyTake(%s);\n", params)
	return b.String()
}

// TestConformanceManyPointerParameters compiles the conformance file of a
// method and a function with 20 by-pointer parameters against a header
// that declares some of them const: the check must accept it, and it must
// reject a header that changes one parameter's pointer type, an integer's
// signedness, the number of parameters or the calling convention. Listing
// every const form, as signatures of at most four by-pointer parameters
// are checked, would take a C file of hundreds of megabytes.
func TestConformanceManyPointerParameters(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	src := conformanceFile(t, manyPointersSpec())
	if info, err := os.Stat(src); err != nil {
		t.Fatal(err)
	} else if info.Size() > 64<<10 {
		t.Errorf("the conformance file has %d bytes; it should grow linearly with the parameters", info.Size())
	}
	edit := func(i int, decl string) func([]string) []string {
		return func(ps []string) []string {
			ps = slices.Clone(ps)
			ps[i] = decl
			return ps
		}
	}
	for _, tt := range []struct {
		name       string
		edit       func([]string) []string
		convention string
		// wants are what the compiler's messages must hold; nil: it compiles.
		wants []string
		// onlyFor limits a case to one architecture.
		onlyFor string
	}{
		{name: "as the spec says", convention: "STDMETHODCALLTYPE"},
		{name: "a pointer to another type", edit: edit(7, "LONG *p7"), convention: "STDMETHODCALLTYPE",
			wants: []string{"incompatible-pointer-types", "IMany.Take parameters", "IManyEx.Take parameters", "many.dll!ManyTake parameters"}},
		{name: "a pointer to a pointer", edit: edit(3, "GUID **p3"), convention: "STDMETHODCALLTYPE",
			wants: []string{"incompatible-pointer-types", "IMany.Take parameters"}},
		{name: "a signed integer for an unsigned one", edit: edit(manyPointers, "LONG dwFlags"), convention: "STDMETHODCALLTYPE",
			wants: []string{"sign-conversion", "IMany.Take parameters"}},
		{name: "a wider integer", edit: edit(manyPointers+1, "LONGLONG lCount"), convention: "STDMETHODCALLTYPE",
			wants: []string{"traditional-conversion", "IMany.Take parameters"}},
		{name: "one parameter fewer", edit: func(ps []string) []string { return ps[:len(ps)-1] }, convention: "STDMETHODCALLTYPE",
			wants: []string{"too many arguments", "IMany.Take parameters"}},
		{name: "cdecl", convention: "__cdecl", onlyFor: "386",
			wants: []string{`static assertion failed: "IMany.Take calling convention"`, `static assertion failed: "IManyEx.Take calling convention"`}},
	} {
		for _, cc := range compilers {
			if tt.onlyFor != "" && cc.GOARCH != tt.onlyFor {
				continue
			}
			t.Run(tt.name+"/"+cc.GOARCH, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "many.h"), []byte(manyHeader(tt.edit, tt.convention)), 0o644); err != nil {
					t.Fatal(err)
				}
				out, err := cc.Compile(t.Context(), src, filepath.Join(dir, "many.exe"), "-I", dir)
				if tt.wants == nil {
					if err != nil {
						t.Fatalf("the header agrees with the spec, but the conformance file did not compile: %v\n%s", err, out)
					}
					return
				}
				if err == nil {
					t.Fatalf("the conformance file compiled although the header contradicts the spec")
				}
				for _, want := range tt.wants {
					if !bytes.Contains(out, []byte(want)) {
						t.Errorf("the compiler's messages do not hold %q:\n%s", want, out)
					}
				}
			})
		}
	}
}

// sdkTypesSpec binds real SDK interfaces and functions with the SDK types
// (SIZE_T, ULONG_PTR, DWORD_PTR, WORD, USHORT, SHORT, LPOLESTR, LPCOLESTR,
// REFIID, REFCLSID, REFGUID, LARGE_INTEGER, ULARGE_INTEGER) and results other
// than HRESULT (void, PVOID, SIZE_T, INT, BOOL, WORD, SHORT, DWORD_PTR,
// ULONGLONG).
const sdkTypesSpec = "testdata/sdktypes/spec.yaml"

// TestConformanceSDKTypes compiles the conformance file of sdkTypesSpec
// against the mingw-w64 headers for x86_64 and i686, where each signature,
// result type included, struct member type and layout must hold, and runs
// the x86_64 program under Wine, where the IIDs must equal the SDK's and
// Wine's kernel32, user32, ole32 and oleaut32 must export each function.
// Then it changes a result, a parameter's type and a struct member's type
// in copies of the spec and expects exactly those facts to fail: a SIZE_T
// result declared ULONG fails on x86_64 only, where the two differ in
// size; on i686 both are unsigned long.
func TestConformanceSDKTypes(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	spec, err := os.ReadFile(sdkTypesSpec)
	if err != nil {
		t.Fatal(err)
	}
	model := specModel(t, sdkTypesSpec)
	src := conformanceFile(t, spec)
	if data, err := os.ReadFile(src); err != nil {
		t.Fatal(err)
	} else if n := bytes.Count(data, []byte("not checked")); n != 2 {
		// The two PVOID members of SYSTEM_INFO, whose types are left
		// unchecked as every PVOID member is; nothing else may be.
		t.Errorf("the conformance file leaves %d facts unchecked, want the 2 PVOID members of SYSTEM_INFO", n)
	}
	amd64Exe := compileConformance(t, compilers, src, "sdktypes_conformance")
	t.Run("runtime", func(t *testing.T) {
		if amd64Exe == "" {
			t.Fatal("no x86_64 program to run: its compilation failed")
		}
		out, err := wine.Shared(t).Run(t.Context(), wine.Win10, amd64Exe, nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !bytes.Contains(out, []byte("sdktypes_conformance: all 4 IIDs match the SDK")) {
			t.Errorf("the program did not report the 4 IIDs (IUnknown's and the spec's 3) matching:\n%s", out)
		}
		facts := runtimeFacts(out)
		for _, f := range model.Functions {
			if got := facts[f.FullName()+" export"]; got != "found" {
				t.Errorf("%s export: %q, want found", f.FullName(), got)
			}
		}
	})

	for _, tt := range []struct {
		name     string
		old, new string
		facts    map[string][]string // by architecture; nil: compiles
	}{
		{
			name:  "SIZE_T result declared ULONG",
			old:   "{name: GetSize, slot: 6, result: SIZE_T,",
			new:   "{name: GetSize, slot: 6, result: ULONG,",
			facts: map[string][]string{"amd64": {"IMalloc.GetSize parameters"}, "386": nil},
		},
		{
			name:  "void result declared INT",
			old:   "{name: CoTaskMemFree, dll: ole32.dll, result: void,",
			new:   "{name: CoTaskMemFree, dll: ole32.dll, result: INT,",
			facts: map[string][]string{"amd64": {"ole32.dll!CoTaskMemFree parameters"}, "386": {"ole32.dll!CoTaskMemFree parameters"}},
		},
		{
			name:  "WORD result declared SHORT",
			old:   "{name: GetUserDefaultLangID, dll: kernel32.dll, result: WORD}",
			new:   "{name: GetUserDefaultLangID, dll: kernel32.dll, result: SHORT}",
			facts: map[string][]string{"amd64": {"kernel32.dll!GetUserDefaultLangID parameters"}},
		},
		{
			name:  "HRESULT method declared void",
			old:   "{name: Revert, slot: 9, returns_undocumented: Only the types are checked here.}",
			new:   "{name: Revert, slot: 9, result: void}",
			facts: map[string][]string{"386": {"IStream.Revert parameters"}},
		},
		{
			name:  "LARGE_INTEGER parameter declared ULARGE_INTEGER",
			old:   "{name: dlibMove, dir: in, type: LARGE_INTEGER}",
			new:   "{name: dlibMove, dir: in, type: ULARGE_INTEGER}",
			facts: map[string][]string{"amd64": {"IStream.Seek parameters"}},
		},
		{
			name:  "pointer-sized out-parameter declared DWORD",
			old:   "params: [{name: pToken, dir: out, type: ULONG_PTR}]",
			new:   "params: [{name: pToken, dir: out, type: DWORD}]",
			facts: map[string][]string{"amd64": {"ole32.dll!CoGetContextToken parameters"}},
		},
		{
			name:  "ULARGE_INTEGER member declared LARGE_INTEGER",
			old:   "{name: cbSize, go_name: Size, type: ULARGE_INTEGER}",
			new:   "{name: cbSize, go_name: Size, type: LARGE_INTEGER}",
			facts: map[string][]string{"386": {"STATSTG.cbSize type"}},
		},
	} {
		src := conformanceFile(t, editSpec(t, spec, tt.old, tt.new))
		for _, cc := range compilers {
			want, ok := tt.facts[cc.GOARCH]
			if !ok {
				continue
			}
			t.Run(tt.name+"/"+cc.GOARCH, func(t *testing.T) {
				t.Parallel()
				out, err := cc.Compile(t.Context(), src, filepath.Join(t.TempDir(), "sdktypes_conformance.exe"))
				switch {
				case want == nil && err != nil:
					t.Fatalf("the conformance file did not compile: %v; failed facts %q\n%s", err, failedAssertions(out), out)
				case want == nil:
				case err == nil:
					t.Fatalf("the conformance file compiled although the spec contradicts the SDK")
				default:
					if got := failedAssertions(out); !slices.Equal(got, want) {
						t.Fatalf("failed facts %q, want %q\n%s", got, want, out)
					}
				}
			})
		}
	}
}

// TestConformanceInterfaceResult compiles the conformance file of a spec
// whose method and function return an interface pointer and a LONG_PTR
// (which no function the headers of the other tests declare without a
// window handle does) against a header written here: it must compile as
// the spec says, and fail naming the fact when the header returns another
// interface or a LONG.
func TestConformanceInterfaceResult(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	src := conformanceFile(t, []byte(`package: thing
hresults:
  - {name: S_OK, value: 0, doc: Success.}
interfaces:
  - name: IThing
    iid: none
    base: IUnknown
    header: thing.h
    methods:
      - {name: Owner, slot: 3, result: IThing, params: [{name: riid, dir: in, type: REFIID}]}
      - {name: Offset, slot: 4, result: LONG_PTR, params: [{name: lpDelta, dir: in, type: LONG_PTR}]}
functions:
  - {name: ThingGet, dll: thing.dll, result: IThing, params: [{name: rclsid, dir: in, type: REFCLSID}]}
`))
	header := func(owner, offset string) string {
		return "#include <windows.h>\n" +
			"typedef struct IThing IThing;\ntypedef struct IThingVtbl {\n" +
			"\tHRESULT (STDMETHODCALLTYPE *QueryInterface)(IThing *This, REFIID riid, void **ppvObject);\n" +
			"\tULONG (STDMETHODCALLTYPE *AddRef)(IThing *This);\n\tULONG (STDMETHODCALLTYPE *Release)(IThing *This);\n" +
			"\t" + owner + " (STDMETHODCALLTYPE *Owner)(IThing *This, REFIID riid);\n" +
			"\t" + offset + " (STDMETHODCALLTYPE *Offset)(IThing *This, LONG_PTR lpDelta);\n" +
			"} IThingVtbl;\nstruct IThing { IThingVtbl *lpVtbl; };\n" +
			"IThing *WINAPI ThingGet(REFCLSID rclsid);\n"
	}
	for _, tt := range []struct {
		name, owner, offset string
		facts               map[string][]string
	}{
		{name: "as the spec says", owner: "IThing *", offset: "LONG_PTR", facts: map[string][]string{"amd64": nil, "386": nil}},
		{name: "another interface", owner: "IUnknown *", offset: "LONG_PTR",
			facts: map[string][]string{"amd64": {"IThing.Owner parameters"}, "386": {"IThing.Owner parameters"}}},
		{name: "a LONG", owner: "IThing *", offset: "LONG", facts: map[string][]string{"amd64": {"IThing.Offset parameters"}}},
	} {
		for _, cc := range compilers {
			want, ok := tt.facts[cc.GOARCH]
			if !ok {
				continue
			}
			t.Run(tt.name+"/"+cc.GOARCH, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "thing.h"), []byte(header(tt.owner, tt.offset)), 0o644); err != nil {
					t.Fatal(err)
				}
				out, err := cc.Compile(t.Context(), src, filepath.Join(dir, "thing.exe"), "-I", dir)
				switch {
				case want == nil && err != nil:
					t.Fatalf("the header agrees with the spec, but the conformance file did not compile: %v\n%s", err, out)
				case want == nil:
				case err == nil:
					t.Fatalf("the conformance file compiled although the header contradicts the spec")
				default:
					if got := failedAssertions(out); !slices.Equal(got, want) {
						t.Fatalf("failed facts %q, want %q\n%s", got, want, out)
					}
				}
			})
		}
	}
}
