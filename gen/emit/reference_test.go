package emit

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
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
			"- [HRESULT table](#hresult-table)\n- [Where each code is documented](#where-each-code-is-documented)\n",

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
		"| `S_OK` | `0x00000000` | success | 0 | 0x0000 | Fine. |\n",
		"## Where each code is documented\n\n",
		"- `S_OK`\n  - [CreateKinds](#createkinds)\n",

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
		"- `S_OK`\n  - [IAsyncish::Start](#iasyncishstart)\n- `C_E_LATE`\n  - [IAsyncish::Start](#iasyncishstart) (through IVssAsync)\n",
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

// orderSpec lists IZeta, an extension of it and IAlpha in an order that is
// neither alphabetical nor bases first; its methods document S_OK, a
// status code and a code of their own.
const orderSpec = `package: order
hresults:
  - {name: S_OK, value: 0x00000000, doc: Fine.}
  - {name: O_S_DONE, value: 0x00041001, doc: Done.}
  - {name: O_E_LATE, value: 0x80041002, doc: Late.}
interfaces:
  - name: IZetaExt
    iid: 11111111-2222-3333-4444-555555555501
    base: IZeta
    methods:
      - name: More
        slot: 4
        returns:
          - {code: S_OK, meaning: More done.}
  - name: IZeta
    iid: 11111111-2222-3333-4444-555555555502
    base: IUnknown
    methods:
      - name: Run
        slot: 3
        params:
          - {name: pHrResult, dir: out, type: HRESULT}
        status_codes:
          - {code: O_S_DONE, meaning: It is done.}
        returns:
          - {code: S_OK, meaning: Ran.}
  - name: IAlpha
    iid: 11111111-2222-3333-4444-555555555503
    base: IUnknown
    methods:
      - name: First
        slot: 3
        returns:
          - {code: S_OK, meaning: First done.}
          - {code: O_E_LATE, meaning: Too late.}
      - name: Second
        slot: 4
        returns:
          - {code: O_E_LATE, meaning: Too late again.}
`

// TestReferenceFollowsTheSpecOrder: interfaces come in the spec's order in
// the contents and in the document, and so do the methods under each code.
func TestReferenceFollowsTheSpecOrder(t *testing.T) {
	doc := referenceText(t, orderSpec)
	referenceContains(t, doc, []string{
		"- [Interfaces](#interfaces)\n  - [IUnknown](#iunknown)\n  - [IZetaExt](#izetaext)\n  - [IZeta](#izeta)\n  - [IAlpha](#ialpha)\n",
		"- `S_OK`\n  - [IZetaExt::More](#izetaextmore)\n  - [IZeta::Run](#izetarun)\n  - [IAlpha::First](#ialphafirst)\n",
		"- `O_S_DONE`\n  - [IZeta::Run](#izetarun) (status in `pHrResult`)\n",
		"- `O_E_LATE`\n  - [IAlpha::First](#ialphafirst)\n  - [IAlpha::Second](#ialphasecond)\n",
	})
	var order []string
	for _, m := range regexp.MustCompile(`(?m)^### (I\w+)$`).FindAllStringSubmatch(doc, -1) {
		order = append(order, m[1])
	}
	if got := strings.Join(order, " "); got != "IUnknown IZetaExt IZeta IAlpha" {
		t.Errorf("interface sections in the order %s, want the spec's: IUnknown IZetaExt IZeta IAlpha", got)
	}
	// Every link of the index leads to a heading of the document.
	for _, m := range regexp.MustCompile(`\]\(#(\w+)\)`).FindAllStringSubmatch(doc, -1) {
		heading := regexp.MustCompile(`(?mi)^#+ ` + strings.Join(strings.Split(m[1], ""), "(?:::)?") + `$`)
		if !heading.MatchString(doc) {
			t.Errorf("no heading for the link #%s", m[1])
		}
	}
}

// TestReferenceDiffsAreLocal: when one method starts documenting a code
// that others document too, REFERENCE.md gains that method's row and its
// line in the code index, and nothing else changes.
func TestReferenceDiffsAreLocal(t *testing.T) {
	before := referenceText(t, orderSpec)
	edited := strings.Replace(orderSpec, "          - {code: O_E_LATE, meaning: Too late again.}\n",
		"          - {code: S_OK, meaning: Second done.}\n          - {code: O_E_LATE, meaning: Too late again.}\n", 1)
	if edited == orderSpec {
		t.Fatal("the edit did not apply")
	}
	after := referenceText(t, edited)
	var added, removed []string
	lines := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	}
	for _, e := range udiff.Lines(before, after) {
		added = append(added, lines(e.New)...)
		removed = append(removed, lines(before[e.Start:e.End])...)
	}
	want := []string{"| `S_OK` | `0x00000000` | Second done. |  |", "  - [IAlpha::Second](#ialphasecond)"}
	if strings.Join(added, "\n") != strings.Join(want, "\n") || len(removed) != 0 {
		t.Errorf("adding S_OK to IAlpha::Second added\n%s\nand removed\n%s\nwant only\n%s", strings.Join(added, "\n"), strings.Join(removed, "\n"), strings.Join(want, "\n"))
	}
}

// TestReferenceTableRowsStayShort: in the committed REFERENCE.md of the
// flagship spec, no row of the HRESULT table lists the methods that
// document its code, so no row grows with the spec.
func TestReferenceTableRowsStayShort(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "generated", "vss", "REFERENCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	table := doc[strings.Index(doc, "## HRESULT table"):strings.Index(doc, "## Where each code is documented")]
	for _, row := range strings.Split(table, "\n") {
		if strings.HasPrefix(row, "| `S_OK` |") && strings.Contains(row, "IVss") {
			t.Errorf("the S_OK row names methods: %s", row)
		}
		if len(row) > 400 {
			t.Errorf("a row of %d characters: %s", len(row), row)
		}
	}
}
