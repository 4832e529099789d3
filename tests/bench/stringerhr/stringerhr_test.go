package stringerhr_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/tests/bench/stringerhr"
)

// TestFreshWithSpec: the fixture declares exactly the spec's codes, and the
// stringer output names each one as vssgen does. When it fails, run
// go generate in this directory.
func TestFreshWithSpec(t *testing.T) {
	const specPath = "../../../spec/vss.yaml"
	spec, err := gen.LoadModel(specPath)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, h := range spec.HRESULTs {
		want = append(want, h.Name)
		name := h.Name
		if h.AliasOf != nil {
			name = h.AliasOf.Name
		}
		if got := stringerhr.HRESULT(h.Value).String(); got != name {
			t.Errorf("HRESULT(%s).String() = %q, want %q; run go generate", h.Hex(), got, name)
		}
	}

	f, err := parser.ParseFile(token.NewFileSet(), "hresult.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					got = append(got, n.Name)
				}
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hresult.go declares other constants than the spec (-spec +hresult.go); run go generate:\n%s", diff)
	}
}
