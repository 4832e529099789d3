package model_test

import (
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// TestCodeNotesAreInherited checks the notes written once on a code of the
// hresults table: every method that documents the code has them, a method
// with notes of its own on the code has only those (notes: [] drops them,
// and so does notes: with nothing after it), a status code takes only the
// notes without returns_instead, and the Documented mapping follows the
// inherited note.
func TestCodeNotesAreInherited(t *testing.T) {
	const src = `
package: vss
os_versions:
  - {id: winxp, name: Windows XP, version: "5.1"}
  - {id: vista, name: Windows Vista, version: "6.0"}
  - {id: win7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0, doc: Success.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
  - name: VSS_E_UNEXPECTED
    value: 0x80042302
    doc: Unexpected failure.
    notes:
      - {before: win7, returns_instead: E_UNEXPECTED, text: Older systems return E_UNEXPECTED.}
      - {on: [winxp], text: XP logs nothing.}
interfaces:
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    methods:
      - name: Cancel
        slot: 3
        returns:
          - {code: VSS_E_UNEXPECTED, meaning: Inherits.}
      - name: Wait
        slot: 4
        returns:
          - code: VSS_E_UNEXPECTED
            meaning: Its own.
            notes:
              - {before: vista, returns_instead: E_UNEXPECTED, text: Only XP.}
      - name: QueryStatus
        slot: 5
        params:
          - {name: pHrResult, dir: out, type: HRESULT}
        status_codes:
          - {code: VSS_E_UNEXPECTED, meaning: A status.}
        returns:
          - {code: VSS_E_UNEXPECTED, meaning: Dropped., notes: []}
      - name: Next
        slot: 6
        returns:
          - code: VSS_E_UNEXPECTED
            meaning: Dropped too.
            notes:
`
	raw, err := load.Bytes("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Build(raw, "t.yaml", "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var code *model.HRESULT
	for _, h := range spec.HRESULTs {
		if h.Name == "VSS_E_UNEXPECTED" {
			code = h
		}
	}
	if len(code.Notes) != 2 {
		t.Fatalf("VSS_E_UNEXPECTED has %d notes of its own, want 2", len(code.Notes))
	}
	methods := map[string]*model.Method{}
	var os = map[string]*model.OSVersion{}
	for _, o := range spec.OSVersions {
		os[o.ID] = o
	}
	for _, it := range spec.Interfaces {
		for _, m := range it.Methods {
			methods[m.Name] = m
		}
	}
	notes := func(rs []*model.Return) []string {
		var out []string
		for _, r := range rs {
			for _, n := range r.Notes {
				out = append(out, n.Text)
			}
		}
		return out
	}
	for _, c := range []struct {
		method string
		status bool
		want   []string
	}{
		{"Cancel", false, []string{"Older systems return E_UNEXPECTED.", "XP logs nothing."}},
		{"Wait", false, []string{"Only XP."}},
		{"QueryStatus", false, nil},
		{"QueryStatus", true, []string{"XP logs nothing."}},
		{"Next", false, nil},
	} {
		rs := methods[c.method].Returns
		if c.status {
			rs = methods[c.method].StatusCodes
		}
		if got := notes(rs); !equal(got, c.want) {
			t.Errorf("%s (status %v): notes %q, want %q", c.method, c.status, got, c.want)
		}
	}
	var unexpected *model.HRESULT
	for _, h := range spec.HRESULTs {
		if h.Name == "E_UNEXPECTED" {
			unexpected = h
		}
	}
	for _, c := range []struct {
		method string
		os     string
		want   string
	}{
		{"Cancel", "vista", "VSS_E_UNEXPECTED"}, // inherited: before win7
		{"Cancel", "win7", "E_UNEXPECTED"},
		{"Wait", "winxp", "VSS_E_UNEXPECTED"}, // its own: before vista
		{"Wait", "vista", "E_UNEXPECTED"},
		{"QueryStatus", "winxp", "E_UNEXPECTED"}, // notes: [] drops the code's
	} {
		if got := methods[c.method].Documented(unexpected, os[c.os]).Name; got != c.want {
			t.Errorf("%s.Documented(E_UNEXPECTED, %s) = %s, want %s", c.method, c.os, got, c.want)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
