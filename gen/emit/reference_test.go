package emit

import (
	"strings"
	"testing"
)

func referenceText(t *testing.T, text string) string {
	t.Helper()
	outs, err := Reference(buildSpec(t, text, "kinds.yaml"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Name != "REFERENCE.md" {
		t.Fatalf("Reference made %v, want REFERENCE.md", outs)
	}
	return string(outs[0].Data)
}

// referenceContains reports each wanted text the document lacks.
func referenceContains(t *testing.T, doc string, wants []string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(doc, want) {
			t.Errorf("REFERENCE.md lacks\n%s\n--- document:\n%s", want, doc)
		}
	}
}

func TestReferenceKinds(t *testing.T) {
	doc := referenceText(t, conformanceKindsSpec)
	referenceContains(t, doc, []string{
		"## Contents\n\n- [Interfaces](#interfaces)\n  - [IUnknown](#iunknown)\n  - [IKindList](#ikindlist)\n  - [IKindListExt](#ikindlistext)\n" +
			"- [DLL functions](#dll-functions)\n  - [CreateKinds](#createkinds)\n  - [FreeKinds](#freekinds)\n" +
			"- [Enums](#enums)\n  - [KIND_MODE](#kind_mode)\n  - [KIND_FLAGS](#kind_flags)\n" +
			"- [Structs](#structs)\n  - [KIND_PROP](#kind_prop)\n  - [KIND_UNION](#kind_union)\n" +
			"- [HRESULT table](#hresult-table)\n",

		// Interfaces without an IID, and without IUnknown.
		"### IKindList\n\n- IID: none; a C++ interface, which QueryInterface cannot return\n" +
			"- Base: none; the vtable starts with this interface's own methods at slot 0, not with IUnknown's\n" +
			"- Header: `kinds.h`\n- Vtable: 2 slots\n",
		"### IKindListExt\n\n- IID: none; a C++ interface, which QueryInterface cannot return\n- Base: [IKindList](#ikindlist)\n",

		// The C declaration and the Go signature of each kind of parameter.
		"HRESULT Item(IKindList *This, UINT i, KIND_PROP **ppProp, VSS_ID *pIds);",
		"func (v *IKindList) Item(i uint32, pIds *windows.GUID) (ppProp *KIND_PROP, err error)",
		"| `ppProp` | out | `KIND_PROP **` | result `*KIND_PROP` |",
		"| `pIds` | in | `VSS_ID *` | `*windows.GUID` |",

		// DLL functions: stdcall in C, plain functions in Go.
		"### CreateKinds\n\nExported by `kinds.dll`. Function identifier `Proc_CreateKinds`.\n\n" +
			"```c\nHRESULT WINAPI CreateKinds(IKindList **ppList);\n```\n\n" +
			"```go\nfunc CreateKinds() (ppList *IKindList, err error)\n```\n",
		"```c\nvoid WINAPI FreeKinds(KIND_PROP *pProp);\n```\n",
		"| `S_OK` | `0x00000000` | success | 0 | 0x0000 | Fine. | kinds.dll!CreateKinds |",

		// Enums: plain values in decimal, flag sets in hex with combinations marked.
		"| `KM_LOW` | -2147483648 | The lowest. |",
		"| `KM_NONE` | -1 | None. |",
		"| Name | Value | Kind | Meaning |",
		"| `KF_A` | `0x00000001` | flag | A. |",
		"| `KF_ALL` | `0xFFFFFFFF` (-1 as `int32`) | combination |",

		// Struct layouts: 386 differs (4-byte pointers, timestamp still at
		// an 8-byte offset); arm64 lays out like amd64.
		"### KIND_PROP\n\nStruct, header `kindstruct.h`: 48 bytes aligned to 8 on amd64, arm64; 40 bytes aligned to 8 on 386.\n",
		"| Field | C type | Go field | Go type | Offset (amd64, arm64) | Size (amd64, arm64) | Offset (386) | Size (386) | Meaning |\n",
		"| `m_pwszName` | `VSS_PWSZ` | `Name` | `*uint16` | 16 | 8 | 16 | 4 |",
		"| `m_tsWhen` | `VSS_TIMESTAMP` | `When` | `int64` | 24 | 8 | 24 | 8 |",
		"| `m_pData` | `PVOID` | `Data` | `unsafe.Pointer` | 32 | 8 | 32 | 4 |",
		"| `m_eMode` | `KIND_MODE` | `Mode` | `KIND_MODE` | 40 | 4 | 36 | 4 |",
		"| Member | C type | Go method | Go result | Size (amd64, arm64) | Size (386) | Meaning |\n",
		"| `Count` | `LONG` | `Count()` | `*int32` | 4 | 4 |",
	})
}

// A struct with a free function has a Go copy; codes delivered through the
// returned IVssAsync are marked.
func TestReferenceCopyAndAsync(t *testing.T) {
	doc := referenceText(t, `package: copies
os_versions:
  - {id: w7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Fine.}
  - {name: C_E_LATE, value: 0x80041001, doc: Late.}
structs:
  - name: C_PROP
    go_name: Properties
    free: FreeProp
    fields:
      - {name: m_pwszName, go_name: Name, type: VSS_PWSZ}
      - {name: m_bOn, go_name: On, type: BOOL}
interfaces:
  - name: IAsyncish
    iid: 11111111-2222-3333-4444-555555555555
    base: IUnknown
    methods:
      - name: Start
        slot: 3
        params:
          - {name: pProp, dir: out, type: C_PROP}
        returns:
          - {code: S_OK, meaning: Started.}
          - {code: C_E_LATE, meaning: Too late., via: async}
functions:
  - name: FreeProp
    dll: copies.dll
    void: true
    params:
      - {name: pProp, dir: in, type: C_PROP, by: pointer}
`)
	referenceContains(t, doc, []string{
		"Go copy: `Properties`, with Go strings. Methods that fill a `C_PROP` return the copy and free the original with [FreeProp](#freeprop).\n",
		"| Field | C type | Go field | Go type | In `Properties` | Offset (amd64, arm64) |",
		"| `m_pwszName` | `VSS_PWSZ` | `Name` | `*uint16` | `string` | 0 | 8 | 0 | 4 |",
		"| `m_bOn` | `BOOL` | `On` | `int32` | `bool` | 8 | 4 | 4 | 4 |",
		"| `pProp` | out | `C_PROP *` | result `Properties` |",
		"| Return code | Value | Arrives | Meaning | OS notes |\n",
		"| `S_OK` | `0x00000000` | from the call | Started. |  |\n",
		"| `C_E_LATE` | `0x80041001` | through IVssAsync | Too late. |  |\n",
	})
	// Without async codes, no column says how codes arrive.
	if doc := referenceText(t, conformanceSpec); strings.Contains(doc, "Arrives") {
		t.Errorf("a spec without via: async has an Arrives column:\n%s", doc)
	}
}

// The prose of enums, structs and functions is escaped like the rest:
// markup in it stays text. (tests/inert_test.go checks interfaces, methods
// and codes with a catalogue of hostile text.)
func TestReferenceEscapesNewProse(t *testing.T) {
	const prose = `<b>bold</b> | cell | [link](x) ` + "`code`" + ` *em*`
	const escaped = `\<b\>bold\</b\> \| cell \| \[link\](x) \` + "`code\\`" + ` \*em\*`
	doc := referenceText(t, `package: prose
os_versions:
  - {id: w7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Fine.}
enums:
  - name: P_ENUM
    doc: "`+prose+`"
    values:
      - {name: P_ONE, value: 1, doc: "`+prose+`"}
structs:
  - name: P_STRUCT
    doc: "`+prose+`"
    fields:
      - {name: m_x, go_name: X, type: DWORD, doc: "`+prose+`"}
functions:
  - name: PFunc
    dll: p.dll
    doc: "`+prose+`"
    params:
      - {name: dw, dir: in, type: DWORD, doc: "`+prose+`"}
    returns:
      - {code: S_OK, meaning: "`+prose+`"}
`)
	if got := strings.Count(doc, escaped); got != 7 {
		t.Errorf("the escaped prose appears %d times, want 7 (enum, value, struct, field, function, parameter, return):\n%s", got, doc)
	}
	for _, raw := range []string{"<b>", "| cell |", "[link](x)", " `code`", " *em*"} {
		if strings.Contains(doc, raw) {
			t.Errorf("unescaped markup %q reached the document:\n%s", raw, doc)
		}
	}
}
