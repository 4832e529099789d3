package explain

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

func TestParseArg(t *testing.T) {
	values := map[string]uint32{
		"0x80042302":         0x80042302,
		"0X8004230f":         0x8004230F,
		"0x8004230F":         0x8004230F,
		"0x0":                0,
		"0xFFFFFFFF":         0xFFFFFFFF,
		"0xffffffff8004230f": 0x8004230F, // sign-extended to 64 bits
		"80042302":           0x80042302, // 8 digits: hex, as event logs print codes
		"8004230f":           0x8004230F,
		"0004230A":           0x0004230A,
		"-2147212542":        0x80042302,
		"2147754754":         0x80042302,
		"4294967295":         0xFFFFFFFF,
		"-2147483648":        0x80000000,
		"5":                  5,
		"0":                  0,
		"  0x80042302\n":     0x80042302,
	}
	for in, want := range values {
		a, err := ParseArg(in)
		if err != nil {
			t.Errorf("ParseArg(%q): %v", in, err)
			continue
		}
		if !a.IsValue || a.Value != want || a.Name != "" {
			t.Errorf("ParseArg(%q) = %+v, want the value %#x", in, a, want)
		}
	}
	for _, name := range []string{"VSS_E_UNEXPECTED", "E_FAIL", "vss_e_unexpected", "ABCDEF", "DEADBEEFCAFE"} {
		a, err := ParseArg(name)
		if err != nil || a.IsValue || a.Name != name {
			t.Errorf("ParseArg(%q) = %+v, %v; want the name", name, a, err)
		}
	}
	for _, bad := range []string{
		"", "  ", "0x", "0xZZ", "0x1FFFFFFFF", "0x0000000180042302", "0x7fffffff80042302", "0x123456789abcdef01",
		"4294967296", "-2147483649", "99999999999999999999", "123456789a", "-0x5", "--5", "-+5",
		"VSS E UNEXPECTED", "E_FAIL!", "0x8004230f)",
		// forms that look like numbers of another notation: refused, not read as hex
		"4230a", "1e3", "1E3", "0b101", "0B101", "0o17", "1_000", "0x8004_230f", "+5", "+0x8004230f", "+2147754754", "1.5",
	} {
		if a, err := ParseArg(bad); err == nil {
			t.Errorf("ParseArg(%q) = %+v, want an error", bad, a)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		v    uint32
		want Fields
	}{
		{0x80042302, Fields{Failed: true, Facility: 4, Code: 0x2302}},
		{0x0004230A, Fields{Facility: 4, Code: 0x230A}},
		{0x80070005, Fields{Failed: true, Facility: 7, Code: 5}},
		{0x8000FFFF, Fields{Failed: true, Facility: 0, Code: 0xFFFF}},
		{0xA0010001, Fields{Failed: true, Customer: true, Facility: 1, Code: 1}},
		// The facility is 13 bits, as winerror.h's HRESULT_FACILITY reads it:
		// (hr >> 16) & 0x1fff, which takes in the N bit (28) and bit 27.
		{0xD0000022, Fields{Failed: true, NTStatus: true, Facility: 0x1000, Code: 0x22}},
		{0x07FF0000, Fields{Facility: 0x7FF}},
		{0x087A0001, Fields{Facility: 0x87A, Code: 1}},
		{0x9FFF0000, Fields{Failed: true, NTStatus: true, Facility: 0x1FFF}},
	}
	for _, tt := range tests {
		if got := Decode(tt.v); got != tt.want {
			t.Errorf("Decode(%#x) = %+v, want %+v", tt.v, got, tt.want)
		}
	}
}

func TestFacilityName(t *testing.T) {
	for f, want := range map[uint32]string{
		0: "FACILITY_NULL", 1: "FACILITY_RPC", 2: "FACILITY_DISPATCH", 3: "FACILITY_STORAGE",
		4: "FACILITY_ITF", 7: "FACILITY_WIN32", 8: "FACILITY_WINDOWS", 5: "", 0x7FF: "",
	} {
		if got := FacilityName(f); got != want {
			t.Errorf("FacilityName(%d) = %q, want %q", f, got, want)
		}
	}
}

func TestHRESULTFromWin32(t *testing.T) {
	for in, want := range map[uint32]uint32{
		0:          0,          // ERROR_SUCCESS stays S_OK
		5:          0x80070005, // ERROR_ACCESS_DENIED is E_ACCESSDENIED
		87:         0x80070057, // ERROR_INVALID_PARAMETER is E_INVALIDARG
		0x80004005: 0x80004005, // already an HRESULT (negative as a LONG)
	} {
		if got := HRESULTFromWin32(in); got != want {
			t.Errorf("HRESULTFromWin32(%d) = %#x, want %#x", in, got, want)
		}
	}
}

// testSpec documents VSS_E_UNEXPECTED on two methods and a DLL function
// with the note that E_UNEXPECTED arrives instead before Windows 7, has a
// status code, a code delivered through IVssAsync and an alias, so that
// each part of an explanation shows up.
const testSpec = `package: vss
os_versions:
  - {id: winxp, name: Windows XP, version: "5.1"}
  - {id: win7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Success.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
  - {name: E_ACCESSDENIED, value: 0x80070005, doc: Access denied.}
  - {name: VSS_S_ASYNC_FINISHED, value: 0x0004230A, doc: Finished.}
  - {name: VSS_E_UNEXPECTED, value: 0x80042302, doc: Unexpected failure inside VSS.}
  - {name: VSS_E_UNEXPECTED_ALIAS, value: 0x80042302, alias_of: VSS_E_UNEXPECTED, doc: An older name.}
  - {name: VSS_E_UNUSED, value: 0x80042399, doc: Documented by no method.}
  - {name: E_NOTIMPL, value: 0x80004001, doc: Not implemented.}
  - {name: VSS_E_PROVIDER_VETO, value: 0x80042306, doc: The provider refused.}
interfaces:
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    methods:
      - name: Cancel
        slot: 3
        returns:
          - {code: S_OK, meaning: Cancelled.}
          - code: VSS_E_UNEXPECTED
            meaning: Cancel failed unexpectedly.
            notes:
              - {before: win7, returns_instead: E_UNEXPECTED, text: Old systems return E_UNEXPECTED.}
      - name: QueryStatus
        slot: 4
        params:
          - {name: pHrResult, dir: out, type: HRESULT}
        status_codes:
          - {code: VSS_S_ASYNC_FINISHED, meaning: The operation finished.}
        returns:
          - code: VSS_E_UNEXPECTED
            meaning: The query failed unexpectedly.
            notes:
              - {before: win7, returns_instead: E_UNEXPECTED, text: Old systems return E_UNEXPECTED.}
              - {on: [winxp], text: XP logs nothing.}
  - name: IVssBackupComponents
    iid: 665c1d5f-c218-414d-a05d-7fef5f9d5c86
    base: IUnknown
    methods:
      - name: DoSnapshotSet
        slot: 3
        params:
          - {name: ppAsync, dir: out, type: IVssAsync}
        returns:
          - {code: S_OK, meaning: The snapshot set is being made.}
          - {code: VSS_E_PROVIDER_VETO, meaning: The provider refused to make the copy., via: async}
functions:
  - name: CreateVssBackupComponentsInternal
    dll: vssapi.dll
    params:
      - {name: ppBackup, dir: out, type: IVssBackupComponents}
    returns:
      - {code: S_OK, meaning: Created.}
      - {code: E_NOTIMPL, meaning: The system has no VSS for this architecture.}
      - code: VSS_E_UNEXPECTED
        meaning: Creation failed unexpectedly.
        notes:
          - {before: win7, returns_instead: E_UNEXPECTED, text: Old systems return E_UNEXPECTED.}
`

func testModel(t *testing.T) *model.Spec {
	t.Helper()
	raw, err := load.Bytes("vss.yaml", []byte(testSpec))
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, "vss.yaml", "vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func explainArg(t *testing.T, s *model.Spec, arg string) *Explanation {
	t.Helper()
	a, err := ParseArg(arg)
	if err != nil {
		t.Fatal(err)
	}
	return Explain(s, a)
}

func TestExplainFindsTheSameCodeByEveryForm(t *testing.T) {
	s := testModel(t)
	for _, arg := range []string{"VSS_E_UNEXPECTED", "vss_e_unexpected", "VSS_E_UNEXPECTED_ALIAS", "0x80042302", "80042302", "-2147212542", "2147754754"} {
		e := explainArg(t, s, arg)
		if !e.Found() || e.Code.Name != "VSS_E_UNEXPECTED" || e.Value != 0x80042302 {
			t.Errorf("explain %s found %v (%#x), want VSS_E_UNEXPECTED", arg, e.Code, e.Value)
			continue
		}
		if len(e.Aliases) != 1 || e.Aliases[0].Name != "VSS_E_UNEXPECTED_ALIAS" {
			t.Errorf("explain %s: aliases %v, want VSS_E_UNEXPECTED_ALIAS", arg, e.Aliases)
		}
	}
}

// TestAmbiguousNameIsNotGuessed: a name that matches several codes only
// ignoring case picks none and lists them all; the exact name, and a name
// that matches one code ignoring case, still answer.
func TestAmbiguousNameIsNotGuessed(t *testing.T) {
	const spec = `package: vss
hresults:
  - {name: E_CASE, value: 0x80040001, doc: Upper case.}
  - {name: E_Case, value: 0x80040002, doc: Mixed case.}
  - {name: E_OTHER, value: 0x80040003, doc: Other.}
`
	raw, err := load.Bytes("cases.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, "cases.yaml", "cases.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := explainArg(t, s, "e_case")
	if e.Found() || len(e.Ambiguous) != 2 || e.Ambiguous[0].Name != "E_CASE" || e.Ambiguous[1].Name != "E_Case" {
		t.Errorf("e_case: found %v, ambiguous %v; want no code and E_CASE, E_Case", e.Code, e.Ambiguous)
	}
	for arg, want := range map[string]string{"E_CASE": "E_CASE", "E_Case": "E_Case", "e_other": "E_OTHER"} {
		if e := explainArg(t, s, arg); !e.Found() || e.Code.Name != want || len(e.Ambiguous) > 0 {
			t.Errorf("%s: found %v, ambiguous %v; want %s", arg, e.Code, e.Ambiguous, want)
		}
	}
}

func TestExplainDocumentedCode(t *testing.T) {
	got := explainArg(t, testModel(t), "VSS_E_UNEXPECTED").String()
	want := `VSS_E_UNEXPECTED (0x80042302)
  source    vss.yaml
  value     0x80042302, 2147754754 unsigned, -2147212542 signed
  severity  failure (bit 31 set)
  facility  4, FACILITY_ITF: codes defined by the interface that returned them, as VSS defines its own
  code      0x2302 (8962)
  meaning   Unexpected failure inside VSS.
  alias     VSS_E_UNEXPECTED_ALIAS, a second name for the same value

Documented by 3 methods and functions
  IVssAsync.Cancel: Cancel failed unexpectedly.
    before Windows 7 (6.1), E_UNEXPECTED (0x8000FFFF) arrives instead: Old systems return E_UNEXPECTED.
  IVssAsync.QueryStatus: The query failed unexpectedly.
    before Windows 7 (6.1), E_UNEXPECTED (0x8000FFFF) arrives instead: Old systems return E_UNEXPECTED.
    on Windows XP (5.1): XP logs nothing.
  vssapi.dll!CreateVssBackupComponentsInternal: Creation failed unexpectedly.
    before Windows 7 (6.1), E_UNEXPECTED (0x8000FFFF) arrives instead: Old systems return E_UNEXPECTED.
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
}

func TestExplainStandIn(t *testing.T) {
	e := explainArg(t, testModel(t), "E_UNEXPECTED")
	if len(e.Uses) != 0 || len(e.StandsIn) != 3 {
		t.Fatalf("E_UNEXPECTED: %d uses and %d stand-ins, want 0 and 3", len(e.Uses), len(e.StandsIn))
	}
	got := e.String()
	want := "\nStands in for\n  VSS_E_UNEXPECTED (0x80042302) before Windows 7 (6.1), from\n    IVssAsync: Cancel, QueryStatus; vssapi.dll: CreateVssBackupComponentsInternal\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("E_UNEXPECTED explained as\n%s\nwant it to end with%s", got, want)
	}
}

// TestExplainAsyncCode: a code that arrives as the final status of the
// IVssAsync a method returns is marked so, since the call itself succeeded.
func TestExplainAsyncCode(t *testing.T) {
	e := explainArg(t, testModel(t), "VSS_E_PROVIDER_VETO")
	if len(e.Uses) != 1 || !e.Uses[0].Entry.Async {
		t.Fatalf("VSS_E_PROVIDER_VETO: uses %+v, want one delivered through IVssAsync", e.Uses)
	}
	want := "\nDocumented by\n  IVssBackupComponents.DoSnapshotSet (through the IVssAsync it returns): The provider refused to make the copy.\n"
	if got := e.String(); !strings.HasSuffix(got, want) {
		t.Errorf("VSS_E_PROVIDER_VETO explained as\n%s\nwant it to end with%s", got, want)
	}
	// The same method's S_OK comes from the call and carries no mark.
	for _, u := range explainArg(t, testModel(t), "S_OK").Uses {
		if u.Method.Name == "DoSnapshotSet" && u.Entry.Async {
			t.Errorf("S_OK of DoSnapshotSet is marked as delivered through IVssAsync")
		}
	}
}

// TestExplainFunctionCode: codes documented only by a DLL function are
// found by name and by value, and the function is named with its DLL.
func TestExplainFunctionCode(t *testing.T) {
	s := testModel(t)
	for _, arg := range []string{"E_NOTIMPL", "0x80004001", "-2147467263"} {
		e := explainArg(t, s, arg)
		if !e.Found() || len(e.Uses) != 1 || e.Uses[0].Method.Interface != nil {
			t.Errorf("explain %s: %v with uses %+v, want E_NOTIMPL documented by one function", arg, e.Code, e.Uses)
			continue
		}
		want := "\nDocumented by\n  vssapi.dll!CreateVssBackupComponentsInternal: The system has no VSS for this architecture.\n"
		if got := e.String(); !strings.HasSuffix(got, want) {
			t.Errorf("explain %s:\n%s\nwant it to end with%s", arg, got, want)
		}
	}
}

func TestWrapWords(t *testing.T) {
	tests := []struct {
		words []string
		width int
		want  []string
	}{
		{nil, 10, nil},
		{[]string{"A.B"}, 10, []string{"A.B"}},
		{[]string{"A.B,", "C.D"}, 8, []string{"A.B, C.D"}},                 // exactly the width
		{[]string{"A.B,", "C.D,", "E.F"}, 9, []string{"A.B, C.D,", "E.F"}}, // the trailing comma counts
		{[]string{"A.B,", "C.D,", "E.F"}, 8, []string{"A.B,", "C.D, E.F"}}, // "A.B, C.D," would be 9
		{[]string{"LongerThanWidth,", "A"}, 5, []string{"LongerThanWidth,", "A"}},
	}
	for _, tt := range tests {
		if got := wrapWords(tt.words, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.words, tt.width, got, tt.want)
		}
	}
}

func TestExplainStatusCode(t *testing.T) {
	got := explainArg(t, testModel(t), "0x0004230a").String()
	for _, want := range []string{
		"VSS_S_ASYNC_FINISHED (0x0004230A)\n",
		"  severity  success (bit 31 clear)\n",
		"\nDocumented by\n  IVssAsync.QueryStatus (as the status in pHrResult): The operation finished.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("explanation lacks %q:\n%s", want, got)
		}
	}
}

func TestExplainUndocumentedCode(t *testing.T) {
	got := explainArg(t, testModel(t), "VSS_E_UNUSED").String()
	if !strings.HasSuffix(got, "\nNo method or function in vss.yaml documents it.\n") {
		t.Errorf("explanation of a code no method names:\n%s", got)
	}
}

func TestExplainValueNotInSpec(t *testing.T) {
	s := testModel(t)
	tests := []struct {
		arg  string
		want string
	}{
		{"0x80070002", `0x80070002 is not in vss.yaml; its bits say:
  value     0x80070002, 2147942402 unsigned, -2147024894 signed
  severity  failure (bit 31 set)
  facility  7, FACILITY_WIN32: a Win32 error code wrapped by HRESULT_FROM_WIN32
  code      0x0002 (2): HRESULT_FROM_WIN32 of Win32 error 2, ERROR_FILE_NOT_FOUND
`},
		{"5", `0x00000005 is not in vss.yaml; its bits say:
  value     0x00000005, 5 unsigned, 5 signed
  kind      a Win32 error code (a value below 0x10000), not an HRESULT
  win32     ERROR_ACCESS_DENIED (5)
  hresult   HRESULT_FROM_WIN32 makes it 0x80070005 (E_ACCESSDENIED in vss.yaml) when a COM call reports it
`},
		// An NTSTATUS error, as an exception code or a kernel call reports
		// it, is not an HRESULT of FACILITY_NULL.
		{"0xC0000005", `0xC0000005 is not in vss.yaml; its bits say:
  value     0xC0000005, 3221225477 unsigned, -1073741819 signed
  kind      an NTSTATUS, not an HRESULT: bit 30 is set and bit 28 clear, which no HRESULT has
  ntstatus  STATUS_ACCESS_VIOLATION
  severity  error (bits 31-30 are 11)
  facility  0, numbered as NTSTATUS facilities are, not as HRESULT ones
  code      0x0005 (5)
  hresult   HRESULT_FROM_NT makes it 0xD0000005 when a COM call reports it
`},
		{"0x40000000", `0x40000000 is not in vss.yaml; its bits say:
  value     0x40000000, 1073741824 unsigned, 1073741824 signed
  kind      an NTSTATUS, not an HRESULT: bit 30 is set and bit 28 clear, which no HRESULT has
  ntstatus  STATUS_OBJECT_NAME_EXISTS
  severity  informational (bits 31-30 are 01)
  facility  0, numbered as NTSTATUS facilities are, not as HRESULT ones
  code      0x0000 (0)
  hresult   HRESULT_FROM_NT makes it 0x50000000 when a COM call reports it
`},
		// An HRESULT that wraps an NTSTATUS names it.
		{"0xD0000022", `0xD0000022 is not in vss.yaml; its bits say:
  value     0xD0000022, 3489660962 unsigned, -805306334 signed
  severity  failure (bit 31 set)
  facility  4096
  code      0x0022 (34)
  ntstatus  bit 28 set: HRESULT_FROM_NT of the NTSTATUS 0xC0000022, STATUS_ACCESS_DENIED
`},
		// A failure HRESULT unknown to the spec that is also a warning NTSTATUS.
		{"0x80000005", `0x80000005 is not in vss.yaml; its bits say:
  value     0x80000005, 2147483653 unsigned, -2147483643 signed
  severity  failure (bit 31 set)
  facility  0, FACILITY_NULL: general codes such as E_FAIL and E_INVALIDARG
  code      0x0005 (5)
  ntstatus  read as an NTSTATUS instead, STATUS_BUFFER_OVERFLOW (a warning)
`},
		{"0xA0070002", `0xA0070002 is not in vss.yaml; its bits say:
  value     0xA0070002, 2684813314 unsigned, -1610153982 signed
  severity  failure (bit 31 set)
  facility  7
  code      0x0002 (2)
  customer  bit 29 set: defined by a vendor, not by Microsoft, so the facility is the vendor's
`},
		{"0x80950001", `0x80950001 is not in vss.yaml; its bits say:
  value     0x80950001, 2157248513 unsigned, -2137718783 signed
  severity  failure (bit 31 set)
  facility  149
  code      0x0001 (1)
`},
	}
	for _, tt := range tests {
		e := explainArg(t, s, tt.arg)
		if e.Found() {
			t.Errorf("explain %s: found %s in a spec that lacks it", tt.arg, e.Code.Name)
		}
		if diff := cmp.Diff(tt.want, e.String()); diff != "" {
			t.Errorf("explain %s (-want +got):\n%s", tt.arg, diff)
		}
	}
}

func TestExplainUnknownName(t *testing.T) {
	e := explainArg(t, testModel(t), "UNEXPECTED")
	if e.Found() || e.HasValue {
		t.Fatalf("explain UNEXPECTED found %v", e.Code)
	}
	want := `no code named UNEXPECTED in vss.yaml

Similar names
  E_UNEXPECTED (0x8000FFFF)
  VSS_E_UNEXPECTED (0x80042302)
  VSS_E_UNEXPECTED_ALIAS (0x80042302)
`
	if diff := cmp.Diff(want, e.String()); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
	if got := explainArg(t, testModel(t), "NOTHING_LIKE_IT").String(); got != "no code named NOTHING_LIKE_IT in vss.yaml\n" {
		t.Errorf("explanation of a name like no other:\n%s", got)
	}
}

func TestKindOf(t *testing.T) {
	for v, want := range map[uint32]Kind{
		0x00000000: KindHRESULT, // S_OK, also ERROR_SUCCESS
		0x00000005: KindWin32,
		0x0000FFFF: KindWin32,
		0x00010000: KindHRESULT,
		0x0004230A: KindHRESULT,
		0x80070005: KindHRESULT,
		0x80000005: KindHRESULT, // a warning NTSTATUS looks like a failure HRESULT
		0xC0000005: KindNTSTATUS,
		0x40000000: KindNTSTATUS,
		0xD0000022: KindHRESULT, // HRESULT_FROM_NT(0xC0000022)
	} {
		if got := KindOf(v); got != want {
			t.Errorf("KindOf(%#x) = %d, want %d", v, got, want)
		}
	}
}

func TestWindowsNames(t *testing.T) {
	for code, want := range map[uint32]string{
		1: "ERROR_INVALID_FUNCTION", 2: "ERROR_FILE_NOT_FOUND", 5: "ERROR_ACCESS_DENIED",
		87: "ERROR_INVALID_PARAMETER", 0: "", 0xFFFF: "",
	} {
		if got := Win32Name(code); got != want {
			t.Errorf("Win32Name(%d) = %q, want %q", code, got, want)
		}
	}
	for v, want := range map[uint32]string{
		0xC0000005: "STATUS_ACCESS_VIOLATION", 0xC0000022: "STATUS_ACCESS_DENIED",
		0x80000005: "STATUS_BUFFER_OVERFLOW", 0xC0000001: "STATUS_UNSUCCESSFUL", 0xC000FFFF: "",
	} {
		if got := NTStatusName(v); got != want {
			t.Errorf("NTStatusName(%#x) = %q, want %q", v, got, want)
		}
	}
}

// smallSpec is a downstream starter spec: it lacks most codes.
const smallSpec = `package: vss
hresults:
  - {name: S_OK, value: 0x00000000, doc: Success in the small spec.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
`

func smallModel(t *testing.T) *model.Spec {
	t.Helper()
	raw, err := load.Bytes("vss/vss.yaml", []byte(smallSpec))
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, "vss/vss.yaml", "vss/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func builtin(t *testing.T) *model.Spec {
	t.Helper()
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLookupFallsBackOnTheBuiltinSpec: every code of the flagship spec is
// explained, by name and by value, whatever the first spec holds, and the
// source says which spec answered.
func TestLookupFallsBackOnTheBuiltinSpec(t *testing.T) {
	small, flagship := smallModel(t), builtin(t)
	if len(flagship.HRESULTs) < 90 {
		t.Fatalf("the built-in spec holds %d codes; is it the flagship?", len(flagship.HRESULTs))
	}
	for _, h := range flagship.HRESULTs {
		for _, arg := range []string{h.Name, h.Hex()} {
			e := Lookup(mustArg(t, arg), small, flagship)
			if !e.Found() || e.Value != h.Value {
				t.Errorf("explain %s: not found, or found %#x", arg, e.Value)
				continue
			}
			inSmall := byValue(small, h.Value) != nil
			if e.Fallback() == inSmall {
				t.Errorf("explain %s: fallback %v, but the small spec holds it: %v", arg, e.Fallback(), inSmall)
			}
		}
	}

	got := Lookup(mustArg(t, "0x8004230f"), small, flagship).String()
	for _, want := range []string{
		"VSS_E_UNEXPECTED_PROVIDER_ERROR (0x8004230F)\n  source    vssgen's built-in VSS spec, since vss/vss.yaml does not hold it\n",
		fmt.Sprintf("\nDocumented by %d methods", documenting(flagship, 0x8004230F)),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("explanation lacks %q:\n%s", want, got)
		}
	}
	// The first spec answers for what it holds, with its own meaning.
	got = Lookup(mustArg(t, "S_OK"), small, flagship).String()
	if !strings.Contains(got, "  source    vss/vss.yaml\n") || !strings.Contains(got, "Success in the small spec.") {
		t.Errorf("S_OK is not answered by the first spec:\n%s", got)
	}
	// Neither holds it: both are named.
	got = Lookup(mustArg(t, "0x80070002"), small, flagship).String()
	if want := "0x80070002 is not in vss/vss.yaml or vssgen's built-in VSS spec; its bits say:\n"; !strings.HasPrefix(got, want) {
		t.Errorf("explanation of an unknown value:\n%s\nwant it to start with %q", got, want)
	}
	e := Lookup(mustArg(t, "PROVIDER_VETO"), small, flagship)
	if e.Found() || len(e.Similar) == 0 || e.Similar[0].Name != "VSS_E_PROVIDER_VETO" {
		t.Errorf("unknown name: similar names %v, want VSS_E_PROVIDER_VETO first, from the built-in spec", e.Similar)
	}
}

func mustArg(t *testing.T, s string) Arg {
	t.Helper()
	a, err := ParseArg(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestExplainFoldsMethodsThatShareAMeaning: in the flagship spec,
// VSS_E_UNEXPECTED is documented by dozens of methods and functions with a
// few wordings of one meaning, all with the note the code carries in the
// hresults table. With -all every group is printed with its wording and
// that note once; the default text fits a screen unless the largest group
// alone does not, and then it shows that group and counts the rest.
func TestExplainFoldsMethodsThatShareAMeaning(t *testing.T) {
	e := Lookup(mustArg(t, "0x80042302"), builtin(t))
	if len(e.Uses) < 40 {
		t.Fatalf("VSS_E_UNEXPECTED is documented by %d methods and functions; is the built-in spec the flagship?", len(e.Uses))
	}
	// The groups as the spec defines them: same meaning, same delivery,
	// same notes.
	groups := map[string]int{}
	meanings := map[string]bool{}
	withNote := map[string]bool{}
	for _, u := range e.Uses {
		key := fmt.Sprint(u.Entry.Async, u.Status, "\x00", model.OneLine(u.Entry.Meaning))
		for _, n := range u.Entry.Notes {
			key += "\x00" + n.Text
			if n.ReturnsInstead != nil && n.ReturnsInstead.Name == "E_UNEXPECTED" {
				withNote[key] = true
			}
		}
		groups[key]++
		meanings[model.OneLine(u.Entry.Meaning)] = true
	}
	if len(groups) >= len(e.Uses)/4 {
		t.Fatalf("%d groups for %d uses: the test wants a code whose uses mostly share a meaning", len(groups), len(e.Uses))
	}
	all := e.Text(true)
	want := fmt.Sprintf("\nDocumented by %d methods and functions, folded into %d groups that share a meaning and notes\n", len(e.Uses), len(groups))
	if !strings.Contains(all, want) {
		t.Errorf("explanation lacks %q:\n%s", want, all)
	}
	if n := strings.Count(all, "E_UNEXPECTED (0x8000FFFF) arrives instead"); n != len(withNote) {
		t.Errorf("the note that E_UNEXPECTED arrives instead is printed %d times, want %d (once a group):\n%s", n, len(withNote), all)
	}
	for m := range meanings {
		if n := strings.Count(all, "    "+m+"\n"); n > 1 || n == 0 && !strings.Contains(all, ": "+m+"\n") {
			t.Errorf("meaning %q is printed %d times as a group's, want once:\n%s", m, n, all)
		}
	}
	for _, want := range []string{
		"\n  IVssAsync: Cancel, Wait, QueryStatus\n",
		"vssapi.dll: CreateVssBackupComponentsInternal",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("explanation lacks %q:\n%s", want, all)
		}
	}
	got := e.String()
	if n := strings.Count(got, "\n"); n > ScreenLines {
		// Only the largest group may overflow the screen, and then it is
		// the only one shown.
		if !strings.Contains(got, "more methods and functions with") || strings.Count(got, "arrives instead") != 1 {
			t.Errorf("%d lines, more than %d, though more than the first group is shown:\n%s", n, ScreenLines, got)
		}
	}
	if len(groups) > 1 && got == all && strings.Count(got, "\n") > ScreenLines {
		t.Errorf("what fits a screen is all of it, %d lines", strings.Count(got, "\n"))
	}
}

// TestExplainKeepsToAScreen: S_OK has a meaning of its own for most
// methods; the default text stops at a screen and says how many methods
// it leaves out and how to see them, and -all shows each.
func TestExplainKeepsToAScreen(t *testing.T) {
	e := Lookup(mustArg(t, "S_OK"), builtin(t))
	got := e.String()
	if n := strings.Count(got, "\n"); n > ScreenLines {
		t.Errorf("%d lines, want at most %d:\n%s", n, ScreenLines, got)
	}
	last := got[strings.LastIndex(strings.TrimSuffix(got, "\n"), "\n")+1:]
	re := regexp.MustCompile(`^  … and (\d+) more methods and functions with (\d+) other meanings or notes \(-all lists them\)\n$`)
	m := re.FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("the last line is %q, want it to match %s", last, re)
	}
	shown := 0
	for _, u := range e.Uses {
		if strings.Contains(got, u.Method.Name) {
			shown++
		}
	}
	if left, _ := strconv.Atoi(m[1]); shown+left < len(e.Uses) || left == 0 {
		t.Errorf("%d of %d methods shown and %d counted as left out", shown, len(e.Uses), left)
	}

	all := e.Text(true)
	if strings.Contains(all, "…") {
		t.Errorf("with all, something is still left out:\n%s", all)
	}
	for _, u := range e.Uses {
		if !strings.Contains(all, u.Method.Name) || !strings.Contains(all, model.OneLine(u.Entry.Meaning)) {
			t.Errorf("with all, %s and its meaning are missing", u.Method.FullName())
		}
	}
}

// TestExplainAsyncCodeOfAMethodWithoutIVssAsync: a code documented as
// arriving through an IVssAsync, for a method that returns none, is not
// said to come "through the IVssAsync it returns".
func TestExplainAsyncCodeOfAMethodWithoutIVssAsync(t *testing.T) {
	got := Lookup(mustArg(t, "0x8004230f"), builtin(t)).String()
	want := "\n  IVssBackupComponents.AddToSnapshotSet (documented as arriving through an IVssAsync, though this method returns none): "
	if !strings.Contains(got, want) {
		t.Errorf("explanation lacks %q:\n%s", want, got)
	}
	if !strings.Contains(got, "\n  IVssBackupComponents.DoSnapshotSet (through the IVssAsync it returns): ") {
		t.Errorf("DoSnapshotSet, which returns an IVssAsync, is not marked so:\n%s", got)
	}
	if strings.Contains(got, "AddToSnapshotSet (through the IVssAsync it returns)") {
		t.Errorf("AddToSnapshotSet is said to return an IVssAsync:\n%s", got)
	}
}

// TestSectionFitsItsBudget: a section shows whole groups while they fit,
// always at least one, and counts the rest in one line, in the singular
// for one group.
func TestSectionFitsItsBudget(t *testing.T) {
	g := func(size int, lines ...string) group { return group{lines: lines, size: size} }
	s := section{
		title:  "Title",
		groups: []group{g(3, "  a", "  a2"), g(1, "  b"), g(2, "  c", "  c2")},
		noun:   methodNoun([]*model.Method{{Name: "M", Interface: &model.Interface{Name: "I"}}}),
		other:  [2]string{"other thing", "other things"},
	}
	tests := []struct {
		budget int
		all    bool
		want   string
	}{
		{100, false, "\nTitle\n  a\n  a2\n  b\n  c\n  c2\n"},
		{7, false, "\nTitle\n  a\n  a2\n  b\n  c\n  c2\n"},
		{6, false, "\nTitle\n  a\n  a2\n  b\n  … and 2 more methods with 1 other thing (-all lists them)\n"},
		{4, false, "\nTitle\n  a\n  a2\n  … and 3 more methods with 2 other things (-all lists them)\n"},
		{0, false, "\nTitle\n  a\n  a2\n  … and 3 more methods with 2 other things (-all lists them)\n"},
		{0, true, "\nTitle\n  a\n  a2\n  b\n  c\n  c2\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		n := s.write(&b, tt.budget, tt.all)
		if got := b.String(); got != tt.want || n != strings.Count(got, "\n") {
			t.Errorf("budget %d, all %v: wrote %d lines\n%s\nwant\n%s", tt.budget, tt.all, n, got, tt.want)
		}
	}
}

// documenting counts the methods and functions of spec that document the code.
func documenting(spec *model.Spec, v uint32) int {
	n := 0
	ms := append([]*model.Method(nil), spec.Functions...)
	for _, it := range spec.Interfaces {
		ms = append(ms, it.Methods...)
	}
	for _, m := range ms {
		for _, r := range append(append([]*model.Return(nil), m.Returns...), m.StatusCodes...) {
			if r.Code.Value == v {
				n++
				break
			}
		}
	}
	return n
}
