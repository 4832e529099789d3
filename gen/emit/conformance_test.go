package emit

import (
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// conformanceSpec has an interface that extends another in the same
// header, every kind of parameter, and prose that would be code in C if it
// escaped its comment.
const conformanceSpec = `package: demo
os_versions:
  - {id: w7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Fine.}
  - {name: DEMO_E_BROKEN, value: 0x80041001, doc: "Broken */ int injected_by_doc; /*"}
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

func TestConformanceFacts(t *testing.T) {
	name, text := conformanceText(t, buildSpec(t, conformanceSpec, "demo.yaml"))
	if want := "conformance/demo_conformance.c"; name != want {
		t.Errorf("file name %q, want %q", name, want)
	}
	if first, _, _ := strings.Cut(text, "\n"); first != "/* "+GeneratedMarker+" */" {
		t.Errorf("first line %q does not carry the generated marker", first)
	}
	for _, want := range []string{
		"#include <initguid.h>\n#include <windows.h>\n#include <unknwn.h>\n#include <demo.h>\n#include <winerror.h>\n#include <vsserror.h>\n",
		`_Static_assert(offsetof(IUnknownVtbl, Release) / sizeof(void *) == 2, "IUnknown.Release slot");`,
		`_Static_assert(offsetof(IDemoVtbl, Poke) / sizeof(void *) == 3, "IDemo.Poke slot");`,
		`_Static_assert(offsetof(IDemo2Vtbl, Prod) / sizeof(void *) == 4, "IDemo2.Prod slot");`,
		"_Static_assert(__builtin_types_compatible_p(__typeof__(((IDemoVtbl *)0)->Poke),\n" +
			`	HRESULT (STDMETHODCALLTYPE *)(IDemo *, DWORD, LONG, UINT *, INT *)), "IDemo.Poke parameters");`,
		`	HRESULT (STDMETHODCALLTYPE *)(IDemo2 *)), "IDemo2.Prod parameters");`,
		`_Static_assert((ULONG)(DEMO_E_BROKEN) == 0x80041001UL, "DEMO_E_BROKEN value");`,
		`	{"IUnknown IID", &IID_IUnknown, {0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}}},`,
		`	{"IDemo IID", &IID_IDemo, {0x11111111, 0x2222, 0x3333, {0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}}},`,
		`	{"IDemo2 IID", &IID_IDemo2, {0xaaaaaaaa, 0xbbbb, 0xcccc, {0xdd, 0xdd, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee}}},`,
		`printf("demo_conformance: all %u IIDs match the SDK\n", n);`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the C file lacks\n%s\n--- file:\n%s", want, text)
		}
	}
	// IUnknown's signature is COM's, not the spec's, and is not asserted.
	if strings.Contains(text, "IUnknown *") {
		t.Errorf("the C file asserts a signature for IUnknown:\n%s", text)
	}
	// Prose stays out of the file entirely.
	for _, prose := range []string{"injected", "evil", "Poked", "A bias"} {
		if strings.Contains(text, prose) {
			t.Errorf("spec prose %q reached the C file", prose)
		}
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
