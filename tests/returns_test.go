package tests

import (
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// TestEveryMethodSaysWhatItReturns holds spec/vss.yaml to its promise that
// no method is left without codes by oversight: every method and DLL
// function lists the codes Microsoft's reference page documents, or says
// with returns_undocumented why it lists none. A method or function that
// returns no HRESULT (void: true, or a result) has no codes to list.
func TestEveryMethodSaysWhatItReturns(t *testing.T) {
	raw, err := load.File("../spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Build(raw, "spec/vss.yaml", "spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	methods := append([]*model.Method(nil), spec.Functions...)
	for _, it := range spec.Interfaces {
		if it.Builtin {
			continue // IUnknown is vssgen's, not the spec's
		}
		methods = append(methods, it.Methods...)
	}
	if len(methods) < 140 {
		t.Fatalf("spec/vss.yaml has %d methods and functions; is it the flagship?", len(methods))
	}
	marked := 0
	for _, m := range methods {
		switch {
		case !m.ReturnsHRESULT():
		case len(m.Returns) > 0:
		case m.ReturnsUndocumented != "":
			marked++
		default:
			t.Errorf("%s lists no return codes and no returns_undocumented reason", m.FullName())
		}
	}
	// The marks are the exception: a page without a return table.
	if marked > len(methods)/10 {
		t.Errorf("%d of %d methods and functions are marked returns_undocumented; most pages document their codes", marked, len(methods))
	}
}
