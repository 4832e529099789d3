package emit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// conformanceSpec has an interface that extends another in the same
// header, plain parameters, and prose that would be code in C if it
// escaped its comment.
const conformanceSpec = `package: demo
os_versions:
  - {id: w7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Fine.}
  - {name: DEMO_E_BROKEN, value: 0x80041001, header: demoerror.h, doc: "Broken */ int injected_by_doc; /*"}
interfaces:
  - name: IDemo
    iid: 11111111-2222-3333-4444-555555555555
    base: IUnknown
    header: demo.h
    doc: "#include <evil.h>"
    methods:
      - name: Poke
        slot: 3
        params:
          - {name: dwHow, dir: in, type: DWORD, doc: "*/ int injected_by_param; /*"}
          - {name: lBias, dir: in, type: LONG, doc: A bias.}
          - {name: pCount, dir: out, type: UINT, doc: A count.}
          - {name: pReserved, dir: out, type: INT, reserved: true, doc: Reserved.}
        returns:
          - {code: S_OK, meaning: "Poked */ int injected_by_meaning; /*"}
  - name: IDemo2
    iid: "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}"
    base: IDemo
    header: demo.h
    methods:
      - name: Prod
        slot: 4
        returns:
          - {code: DEMO_E_BROKEN, meaning: Broken.}
`

// conformanceKindsSpec has the rest of the format: enums and flag sets,
// structs (one whose layout differs between amd64 and 386) and a union, an
// interface that does not start with IUnknown and one without an IID,
// by-pointer parameters, a parameter the spec types as IUnknown, and DLL
// functions.
const conformanceKindsSpec = `package: kinds
os_versions:
  - {id: w7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Fine.}
enums:
  - name: KIND_MODE
    header: kinds.h
    doc: "*/ int injected_by_enum; /*"
    values:
      - {name: KM_LOW, value: -2147483648, doc: The lowest.}
      - {name: KM_NONE, value: -1, doc: None.}
      - {name: KM_ONE, value: 1, doc: One.}
  - name: KIND_FLAGS
    header: kinds.h
    flags: true
    values:
      - {name: KF_A, value: 0x1, doc: A.}
      - {name: KF_ALL, value: 0xFFFFFFFF, combination: true, doc: "*/ int injected_by_value; /*"}
structs:
  - name: KIND_PROP
    header: kindstruct.h
    doc: "*/ int injected_by_struct; /*"
    fields:
      - {name: m_Id, go_name: Id, type: VSS_ID}
      - {name: m_pwszName, go_name: Name, type: VSS_PWSZ, doc: "*/ int injected_by_field; /*"}
      - {name: m_tsWhen, go_name: When, type: VSS_TIMESTAMP}
      - {name: m_pData, go_name: Data, type: PVOID}
      - {name: m_eMode, go_name: Mode, type: KIND_MODE}
  - name: KIND_UNION
    header: kindstruct.h
    union: true
    fields:
      - {name: Prop, type: KIND_PROP}
      - {name: Count, type: LONG}
interfaces:
  - name: IKindList
    base: none
    header: kinds.h
    methods:
      - name: Count
        slot: 0
        params:
          - {name: pc, dir: out, type: UINT}
      - name: Item
        slot: 1
        params:
          - {name: i, dir: in, type: UINT}
          - {name: ppProp, dir: out, type: KIND_PROP, by: pointer}
          - {name: pIds, dir: in, type: VSS_ID, by: pointer}
  - name: IKindListExt
    base: IKindList
    header: kinds.h
    methods:
      - name: Document
        slot: 2
        params:
          - {name: ppDoc, dir: out, type: IUnknown}
functions:
  - name: CreateKinds
    dll: kinds.dll
    header: kindsapi.h
    params:
      - {name: ppList, dir: out, type: IKindList}
    returns:
      - {code: S_OK, meaning: "*/ int injected_by_function; /*"}
  - name: FreeKinds
    dll: kinds.dll
    void: true
    params:
      - {name: pProp, dir: in, type: KIND_PROP, by: pointer}
`

func buildSpec(t *testing.T, text, source string) *model.Spec {
	t.Helper()
	raw, err := load.Bytes("demo.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, "demo.yaml", source)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func conformanceText(t *testing.T, s *model.Spec) (name, text string) {
	t.Helper()
	outs, err := Conformance(s, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 {
		t.Fatalf("Conformance made %d files, want 1", len(outs))
	}
	return outs[0].Name, string(outs[0].Data)
}

// containsAll reports each wanted text the C file lacks.
func containsAll(t *testing.T, text string, wants []string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the C file lacks\n%s\n--- file:\n%s", want, text)
		}
	}
}

func TestConformanceFacts(t *testing.T) {
	name, text := conformanceText(t, buildSpec(t, conformanceSpec, "demo.yaml"))
	if want := "conformance/demo_conformance.c"; name != want {
		t.Errorf("file name %q, want %q", name, want)
	}
	if first, _, _ := strings.Cut(text, "\n"); first != "/* "+GeneratedMarker+" */" {
		t.Errorf("first line %q does not carry the generated marker", first)
	}
	containsAll(t, text, []string{
		// The headers the spec names: interfaces, enums and structs, then
		// DLL functions and codes, then winerror.h; vsserror.h only when
		// the spec names it.
		"#include <initguid.h>\n#include <windows.h>\n#include <unknwn.h>\n#include <demo.h>\n#include <demoerror.h>\n#include <winerror.h>\n#include <stddef.h>\n",
		`_Static_assert(offsetof(IUnknownVtbl, Release) / sizeof(void *) == 2, "IUnknown.Release slot");`,
		`_Static_assert(offsetof(IDemoVtbl, Poke) / sizeof(void *) == 3, "IDemo.Poke slot");`,
		`_Static_assert(offsetof(IDemo2Vtbl, Prod) / sizeof(void *) == 4, "IDemo2.Prod slot");`,
		// The C headers repeat inherited methods in each vtable struct.
		`_Static_assert(offsetof(IDemo2Vtbl, QueryInterface) / sizeof(void *) == 0, "IDemo2.QueryInterface slot");`,
		`_Static_assert(offsetof(IDemo2Vtbl, Poke) / sizeof(void *) == 3, "IDemo2.Poke slot");`,
		`_Static_assert(sizeof(IDemo2Vtbl) / sizeof(void *) == 5, "IDemo2 vtable size");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IDemoVtbl *)0)->Poke),\n" +
			`	HRESULT (STDMETHODCALLTYPE *)(IDemo *, DWORD, LONG, UINT *, INT *)), "IDemo.Poke parameters");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IDemo2Vtbl *)0)->Poke),\n" +
			`	HRESULT (STDMETHODCALLTYPE *)(IDemo2 *, DWORD, LONG, UINT *, INT *)), "IDemo2.Poke parameters");`,
		`	HRESULT (STDMETHODCALLTYPE *)(IDemo2 *)), "IDemo2.Prod parameters");`,
		// IUnknown's methods have COM's fixed signatures, in every vtable.
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IUnknownVtbl *)0)->QueryInterface),\n" +
			`	HRESULT (STDMETHODCALLTYPE *)(IUnknown *, REFIID, void **)), "IUnknown.QueryInterface parameters");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IDemoVtbl *)0)->Release),\n" +
			`	ULONG (STDMETHODCALLTYPE *)(IDemo *)), "IDemo.Release parameters");`,
		`_Static_assert((ULONG)(DEMO_E_BROKEN) == 0x80041001UL, "DEMO_E_BROKEN value");`,
		`	{"IUnknown IID", &IID_IUnknown, {0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}}},`,
		`	{"IDemo IID", &IID_IDemo, {0x11111111, 0x2222, 0x3333, {0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}}},`,
		`	{"IDemo2 IID", &IID_IDemo2, {0xaaaaaaaa, 0xbbbb, 0xcccc, {0xdd, 0xdd, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee}}},`,
		`printf("demo_conformance: all %u IIDs match the SDK\n", n);`,
		"\tfailed += check_iids();\n",
	})
	// Without functions or structs the program has no exports to look up
	// and no per-architecture section.
	for _, absent := range []string{"check_exports", "#if ", "not checked"} {
		if strings.Contains(text, absent) {
			t.Errorf("the C file has %q although the spec has nothing that needs it", absent)
		}
	}
	// Prose stays out of the file entirely.
	for _, prose := range []string{"injected", "evil", "Poked", "A bias"} {
		if strings.Contains(text, prose) {
			t.Errorf("spec prose %q reached the C file", prose)
		}
	}
}

func TestConformanceKinds(t *testing.T) {
	_, text := conformanceText(t, buildSpec(t, conformanceKindsSpec, "kinds.yaml"))
	containsAll(t, text, []string{
		// CreateKinds names its header; FreeKinds names none.
		"#include <unknwn.h>\n#include <kinds.h>\n#include <kindstruct.h>\n#include <kindsapi.h>\n#include <winerror.h>\n#include <stddef.h>\n",

		// An interface without IUnknown: its own methods from slot 0, in
		// its vtable and in the vtable of the interface that extends it.
		`_Static_assert(offsetof(IKindListVtbl, Count) / sizeof(void *) == 0, "IKindList.Count slot");`,
		`_Static_assert(sizeof(IKindListVtbl) / sizeof(void *) == 2, "IKindList vtable size");`,
		`_Static_assert(offsetof(IKindListExtVtbl, Item) / sizeof(void *) == 1, "IKindListExt.Item slot");`,
		`_Static_assert(sizeof(IKindListExtVtbl) / sizeof(void *) == 3, "IKindListExt vtable size");`,

		// By-pointer parameters may point to const: every combination is accepted.
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IKindListVtbl *)0)->Item),\n" +
			"\tHRESULT (STDMETHODCALLTYPE *)(IKindList *, UINT, KIND_PROP **, VSS_ID *))\n" +
			"\t|| __builtin_types_compatible_p(__typeof__(((IKindListVtbl *)0)->Item),\n" +
			"\tHRESULT (STDMETHODCALLTYPE *)(IKindList *, UINT, KIND_PROP **, const VSS_ID *))\n" +
			"\t|| __builtin_types_compatible_p(__typeof__(((IKindListVtbl *)0)->Item),\n" +
			"\tHRESULT (STDMETHODCALLTYPE *)(IKindList *, UINT, const KIND_PROP **, VSS_ID *))\n" +
			"\t|| __builtin_types_compatible_p(__typeof__(((IKindListVtbl *)0)->Item),\n" +
			`	HRESULT (STDMETHODCALLTYPE *)(IKindList *, UINT, const KIND_PROP **, const VSS_ID *)), "IKindList.Item parameters");`,
		// A parameter typed IUnknown may stand for any interface: not checked, and the file says why.
		"/* IKindListExt.Document parameters: not checked: the spec declares ppDoc as IUnknown, which may stand for an interface the spec does not describe; the slot is checked */\n",
		`_Static_assert(offsetof(IKindListExtVtbl, Document) / sizeof(void *) == 2, "IKindListExt.Document slot");`,

		// DLL functions: stdcall on 386, as the Go package calls them.
		"_Static_assert(__builtin_types_compatible_p(__typeof__(&CreateKinds),\n" +
			`	HRESULT (WINAPI *)(IKindList **)), "kinds.dll!CreateKinds parameters");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(&FreeKinds),\n" +
			"\tvoid (WINAPI *)(KIND_PROP *))\n" +
			"\t|| __builtin_types_compatible_p(__typeof__(&FreeKinds),\n" +
			`	void (WINAPI *)(const KIND_PROP *)), "kinds.dll!FreeKinds parameters");`,
		"\t{\"kinds.dll!CreateKinds export\", \"kinds.dll\", \"CreateKinds\"},\n",
		"\t{\"kinds.dll!FreeKinds export\", \"kinds.dll\", \"FreeKinds\"},\n",
		"\tfailed += check_exports();\n",

		// Enums: plain values as signed ints, flags as bit patterns.
		`_Static_assert(sizeof(KIND_MODE) == 4, "KIND_MODE size");`,
		`_Static_assert((LONG)(KM_LOW) == (-2147483647 - 1), "KM_LOW value");`,
		`_Static_assert((LONG)(KM_NONE) == -1, "KM_NONE value");`,
		`_Static_assert((LONG)(KM_ONE) == 1, "KM_ONE value");`,
		`_Static_assert((ULONG)(KF_A) == 0x00000001UL, "KF_A value");`,
		`_Static_assert((ULONG)(KF_ALL) == 0xFFFFFFFFUL, "KF_ALL value");`,

		// Member types, except PVOID, which stands for any data pointer.
		`_Static_assert(__builtin_types_compatible_p(__typeof__(((KIND_PROP *)0)->m_tsWhen), VSS_TIMESTAMP), "KIND_PROP.m_tsWhen type");`,
		"/* KIND_PROP.m_pData type: not checked: PVOID stands for any data pointer; its size and offset are checked */\n",
		`_Static_assert(__builtin_types_compatible_p(__typeof__(((KIND_UNION *)0)->Count), LONG), "KIND_UNION.Count type");`,

		// Layouts per architecture: a pointer is 8 bytes on amd64 and
		// arm64 and 4 on 386, where the 8-byte timestamp still aligns to 8.
		"#if defined(_M_AMD64) || defined(__x86_64__)\n" +
			`_Static_assert(sizeof(KIND_PROP) == 48, "KIND_PROP size on amd64");` + "\n" +
			`_Static_assert(_Alignof(KIND_PROP) == 8, "KIND_PROP alignment on amd64");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_Id) == 0, "KIND_PROP.m_Id offset on amd64");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_pwszName) == 16, "KIND_PROP.m_pwszName offset on amd64");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_tsWhen) == 24, "KIND_PROP.m_tsWhen offset on amd64");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_pData) == 32, "KIND_PROP.m_pData offset on amd64");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_eMode) == 40, "KIND_PROP.m_eMode offset on amd64");` + "\n" +
			`_Static_assert(sizeof(KIND_UNION) == 48, "KIND_UNION size on amd64");` + "\n" +
			`_Static_assert(_Alignof(KIND_UNION) == 8, "KIND_UNION alignment on amd64");` + "\n" +
			"#elif defined(_M_IX86) || defined(__i386__)\n" +
			`_Static_assert(sizeof(KIND_PROP) == 40, "KIND_PROP size on 386");` + "\n" +
			`_Static_assert(_Alignof(KIND_PROP) == 8, "KIND_PROP alignment on 386");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_Id) == 0, "KIND_PROP.m_Id offset on 386");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_pwszName) == 16, "KIND_PROP.m_pwszName offset on 386");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_tsWhen) == 24, "KIND_PROP.m_tsWhen offset on 386");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_pData) == 32, "KIND_PROP.m_pData offset on 386");` + "\n" +
			`_Static_assert(offsetof(KIND_PROP, m_eMode) == 36, "KIND_PROP.m_eMode offset on 386");` + "\n" +
			`_Static_assert(sizeof(KIND_UNION) == 40, "KIND_UNION size on 386");` + "\n" +
			`_Static_assert(_Alignof(KIND_UNION) == 8, "KIND_UNION alignment on 386");` + "\n" +
			"#elif defined(_M_ARM64) || defined(__aarch64__)\n",
		"#else\n#error \"no struct layouts for this architecture\"\n#endif\n",
	})
	// Only interfaces with an IID have one to compare.
	if strings.Contains(text, "IID_IKindList") {
		t.Errorf("the C file compares an IID for an interface that has none:\n%s", text)
	}
	// IKindList does not start with IUnknown.
	if strings.Contains(text, "IKindList.QueryInterface") || strings.Contains(text, "IKindList.Release") {
		t.Errorf("the C file checks IUnknown slots of an interface without IUnknown:\n%s", text)
	}
	if strings.Contains(text, "injected") {
		t.Errorf("spec prose reached the C file:\n%s", text)
	}
}

// staticFactsRE finds the count of static assertions the program reports.
var staticFactsRE = regexp.MustCompile(`static const unsigned static_facts = (\d+);`)

// The program reports how many static assertions one compilation checked:
// those outside the per-architecture section and those of one branch of it.
func TestConformanceCountsFacts(t *testing.T) {
	for _, tt := range []struct{ name, spec string }{
		{"no structs", conformanceSpec},
		{"structs", conformanceKindsSpec},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, text := conformanceText(t, buildSpec(t, tt.spec, "demo.yaml"))
			m := staticFactsRE.FindAllStringSubmatch(text, -1)
			if len(m) != 1 {
				t.Fatalf("the C file defines static_facts %d times, want once:\n%s", len(m), text)
			}
			// Keep the first architecture's branch, drop the others.
			compiled := text
			if i := strings.Index(text, "#elif "); i >= 0 {
				j := strings.Index(text, "#endif\n")
				compiled = text[:i] + text[j:]
			}
			if got, want := m[0][1], strconv.Itoa(strings.Count(compiled, "_Static_assert(")); got != want {
				t.Errorf("static_facts is %s, but one compilation checks %s assertions", got, want)
			}
		})
	}
}

// The spec's file name is the only text in the file that the spec's author
// chooses; a "*/" in it must not end the comment it is in.
func TestConformanceSourceStaysInComment(t *testing.T) {
	_, text := conformanceText(t, buildSpec(t, conformanceSpec, "specs*/demo.yaml"))
	if want := "/* Source: specs*\\/demo.yaml */\n"; !strings.Contains(text, want) {
		t.Errorf("the C file lacks %q:\n%s", want, text)
	}
}

// TestConformanceByPointerGrowth checks how the signature check of a method
// grows with its by-pointer parameters: up to maxConstForms of them, one
// assertion lists every const and non-const form (2^n); beyond, a call
// checks the arguments, and the file grows by the same few bytes for each
// parameter added, where it once doubled.
func TestConformanceByPointerGrowth(t *testing.T) {
	spec := func(n int) string {
		var b strings.Builder
		b.WriteString("package: ptrs\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\ninterfaces:\n  - name: IPtrs\n    iid: none\n    base: IUnknown\n    header: ptrs.h\n    methods:\n      - name: Take\n        slot: 3\n        params:\n")
		for i := range n {
			fmt.Fprintf(&b, "          - {name: p%d, dir: in, type: VSS_ID, by: pointer}\n", i)
		}
		return b.String()
	}
	size := map[int]int{}
	for _, n := range []int{4, 5, 20, 40} {
		_, text := conformanceText(t, buildSpec(t, spec(n), "ptrs.yaml"))
		size[n] = len(text)
		forms := strings.Count(text, "(STDMETHODCALLTYPE *)(IPtrs *, VSS_ID *") + strings.Count(text, "(STDMETHODCALLTYPE *)(IPtrs *, const VSS_ID *")
		calls := strings.Count(text, "static void check_call_")
		switch {
		case n <= maxConstForms && (forms != 1<<n || calls != 0):
			t.Errorf("%d by-pointer parameters: %d listed forms and %d calls, want %d forms", n, forms, calls, 1<<n)
		case n > maxConstForms && (forms != 0 || calls != 1):
			t.Errorf("%d by-pointer parameters: %d listed forms and %d calls, want one call", n, forms, calls)
		}
		if n > maxConstForms && !strings.Contains(text, `"IPtrs.Take parameters"`) || n > maxConstForms && !strings.Contains(text, `"IPtrs.Take calling convention"`) {
			t.Errorf("%d by-pointer parameters: the call check does not name its facts", n)
		}
	}
	// Parameter names grow by a digit from p10 on, so the growth per
	// parameter is bounded rather than equal.
	for _, step := range [][2]int{{5, 20}, {20, 40}} {
		if per := float64(size[step[1]]-size[step[0]]) / float64(step[1]-step[0]); per <= 0 || per > 100 {
			t.Errorf("sizes %v: from %d to %d parameters the file grows by %.1f bytes a parameter, want 1 to 100", size, step[0], step[1], per)
		}
	}
	t.Logf("conformance file sizes by by-pointer parameters: %v", size)
}

// A method or function that returns no HRESULT is checked with its result
// type: void, an integer, an interface pointer. An IUnknown result may stand
// for any interface, as an IUnknown parameter may: not checked, and the
// file says why.
func TestConformanceResults(t *testing.T) {
	s := buildSpec(t, `package: results
hresults:
  - {name: S_OK, value: 0, doc: Success.}
interfaces:
  - name: IRes
    iid: none
    base: IUnknown
    header: res.h
    methods:
      - {name: Size, slot: 3, result: SIZE_T, params: [{name: pv, dir: in, type: PVOID}]}
      - {name: Drop, slot: 4, result: void}
      - {name: Next, slot: 5, result: IRes, params: [{name: riid, dir: in, type: REFIID}]}
      - {name: Any, slot: 6, result: IUnknown}
functions:
  - {name: Ticks, dll: res.dll, result: ULONGLONG}
  - {name: Get, dll: res.dll, result: IRes, params: [{name: rclsid, dir: in, type: REFCLSID}]}
`, "results.yaml")
	_, text := conformanceText(t, s)
	containsAll(t, text, []string{
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IResVtbl *)0)->Size),\n" +
			`	SIZE_T (STDMETHODCALLTYPE *)(IRes *, PVOID)), "IRes.Size parameters");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IResVtbl *)0)->Drop),\n" +
			`	void (STDMETHODCALLTYPE *)(IRes *)), "IRes.Drop parameters");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IResVtbl *)0)->Next),\n" +
			`	IRes * (STDMETHODCALLTYPE *)(IRes *, REFIID)), "IRes.Next parameters");`,
		"/* IRes.Any parameters: not checked: the spec declares the result as IUnknown, which may stand for an interface the spec does not describe; the slot is checked */\n",
		"_Static_assert(__builtin_types_compatible_p(__typeof__(&Ticks),\n" +
			`	ULONGLONG (WINAPI *)(void)), "res.dll!Ticks parameters");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(&Get),\n" +
			`	IRes * (WINAPI *)(REFCLSID)), "res.dll!Get parameters");`,
	})
}
