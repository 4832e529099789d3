package emit

import (
	"fmt"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// HRESULTs emits hresult.go: the HRESULT type, one constant per table entry,
// String/Error/Format and the accessors, and a compile-time guard against
// constants drifting from the table.
func HRESULTs(s *model.Spec, cfg Config) ([]Output, error) {
	f := newGoFile(s, cfg, "")
	primary := primaries(s)

	f.Comment("// HRESULT is a COM status code: 32 bits, the top bit set for failures.")
	f.Comment("// It implements error; String gives the SDK's name and Error adds the hex")
	f.Comment("// value and the meaning. Numeric fmt verbs (%x, %d, ...) print the number.")
	f.Type().Id("HRESULT").Uint32()

	var defs []Code
	for _, h := range s.HRESULTs {
		defs = append(defs, Line())
		defs = append(defs, docComment(h.Name+": "+h.Doc)...)
		if h.AliasOf != nil {
			defs = append(defs, comment("It is another name for %s.", h.AliasOf.Name))
		}
		defs = append(defs, Id(h.Name).Id("HRESULT").Op("=").Id(hexLit(h.Value)))
	}
	f.Const().Defs(defs...)

	f.Comment("// The lookup tables hold the codes with a name of their own, ascending, so")
	f.Comment("// that String and Error find a code by binary search and return a")
	f.Comment("// string constant without allocating.")
	f.Var().Id("_HRESULT_values").Op("=").Index(Op("...")).Id("HRESULT").ValuesFunc(func(g *Group) {
		for _, h := range primary {
			g.Line().Id(h.Name)
		}
		g.Line()
	})
	f.Var().Id("_HRESULT_names").Op("=").Index(Op("...")).String().ValuesFunc(func(g *Group) {
		for _, h := range primary {
			g.Line().Lit(h.Name)
		}
		g.Line()
	})
	f.Var().Id("_HRESULT_errors").Op("=").Index(Op("...")).String().ValuesFunc(func(g *Group) {
		for _, h := range primary {
			g.Line().Lit(h.ErrorText())
		}
		g.Line()
	})

	f.Comment("// _HRESULT_index finds h in _HRESULT_values.")
	f.Func().Id("_HRESULT_index").Params(Id("h").Id("HRESULT")).Params(Int(), Bool()).Block(
		List(Id("lo"), Id("hi")).Op(":=").Lit(0).Op(",").Len(Id("_HRESULT_values")),
		For(Id("lo").Op("<").Id("hi")).Block(
			Id("m").Op(":=").Int().Call(Uint().Call(Id("lo").Op("+").Id("hi")).Op(">>").Lit(1)),
			If(Id("_HRESULT_values").Index(Id("m")).Op("<").Id("h")).Block(
				Id("lo").Op("=").Id("m").Op("+").Lit(1),
			).Else().Block(
				Id("hi").Op("=").Id("m"),
			),
		),
		Return(Id("lo"), Id("lo").Op("<").Len(Id("_HRESULT_values")).Op("&&").Id("_HRESULT_values").Index(Id("lo")).Op("==").Id("h")),
	)

	f.Comment("// String returns the SDK's name of h, or HRESULT(0x8004FFFF) for a code")
	f.Comment("// the table does not know.")
	f.Func().Params(Id("h").Id("HRESULT")).Id("String").Params().String().Block(
		If(List(Id("i"), Id("ok")).Op(":=").Id("_HRESULT_index").Call(Id("h")), Id("ok")).Block(
			Return(Id("_HRESULT_names").Index(Id("i"))),
		),
		Return(Lit("HRESULT(").Op("+").Id("h").Dot("hex").Call().Op("+").Lit(")")),
	)

	if h := exampleFailure(s); h != nil {
		f.Comment("// Error returns the name, the hex value and the meaning of h:")
		f.Comment(fmt.Sprintf("// \"%s (%s): ...\".", h.Name, h.Hex()))
	} else {
		f.Comment("// Error returns the name, the hex value and the meaning of h.")
	}
	f.Func().Params(Id("h").Id("HRESULT")).Id("Error").Params().String().Block(
		If(List(Id("i"), Id("ok")).Op(":=").Id("_HRESULT_index").Call(Id("h")), Id("ok")).Block(
			Return(Id("_HRESULT_errors").Index(Id("i"))),
		),
		Id("kind").Op(":=").Lit("success"),
		If(Id("h").Dot("Failed").Call()).Block(Id("kind").Op("=").Lit("failure")),
		Return(Lit("HRESULT(").Op("+").Id("h").Dot("hex").Call().Op("+").Lit("): unknown ").Op("+").Id("kind").Op("+").Lit(" code, facility ").Op("+").Qual("strconv", "Itoa").Call(Int().Call(Id("h").Dot("Facility").Call())).Op("+").Lit(", code ").Op("+").Qual("strconv", "Itoa").Call(Int().Call(Id("h").Dot("Code").Call()))),
	)

	f.Comment("// hex formats h as 0x followed by eight upper-case hex digits, the way the SDK writes codes.")
	f.Func().Params(Id("h").Id("HRESULT")).Id("hex").Params().String().Block(
		Const().Id("digits").Op("=").Lit("0123456789ABCDEF"),
		Var().Id("b").Index(Lit(10)).Byte(),
		List(Id("b").Index(Lit(0)), Id("b").Index(Lit(1))).Op("=").List(LitRune('0'), LitRune('x')),
		For(Id("i").Op(":=").Lit(0), Id("i").Op("<").Lit(8), Id("i").Op("++")).Block(
			Id("b").Index(Lit(9).Op("-").Id("i")).Op("=").Id("digits").Index(Id("h").Op(">>").Parens(Lit(4).Op("*").Id("i")).Op("&").Lit(0xf)),
		),
		Return(String().Call(Id("b").Index(Op(":")))),
	)

	f.Comment("// Format makes numeric verbs print the code itself: without it, fmt would")
	f.Comment("// hex-encode the Error text for %x because HRESULT is an error.")
	f.Comment("// %v and %s print Error(), %q the quoted name.")
	f.Func().Params(Id("h").Id("HRESULT")).Id("Format").Params(Id("st").Qual("fmt", "State"), Id("verb").Rune()).Block(
		Switch(Id("verb")).Block(
			Case(LitRune('d'), LitRune('x'), LitRune('X'), LitRune('o'), LitRune('O'), LitRune('b'), LitRune('c'), LitRune('U')).Block(
				Qual("fmt", "Fprintf").Call(Id("st"), Id("_formatString").Call(Id("st"), Id("verb")), Uint32().Call(Id("h"))),
			),
			Case(LitRune('q')).Block(
				Qual("fmt", "Fprintf").Call(Id("st"), Id("_formatString").Call(Id("st"), Id("verb")), Id("h").Dot("String").Call()),
			),
			Default().Block(
				Qual("fmt", "Fprintf").Call(Id("st"), Id("_formatString").Call(Id("st"), Id("verb")), Id("h").Dot("Error").Call()),
			),
		),
	)

	f.Comment("// Failed reports whether the severity bit of h is set (FAILED in the SDK).")
	f.Func().Params(Id("h").Id("HRESULT")).Id("Failed").Params().Bool().Block(
		// The mask as text: an untyped 0x80000000 overflows int where vssgen itself is built for 32 bits.
		Return(Id("h").Op("&").Id("2147483648").Op("!=").Lit(0)),
	)
	f.Comment("// Succeeded reports whether the severity bit of h is clear (SUCCEEDED in the SDK).")
	f.Func().Params(Id("h").Id("HRESULT")).Id("Succeeded").Params().Bool().Block(
		Return(Op("!").Id("h").Dot("Failed").Call()),
	)
	f.Comment("// Facility is the facility field (HRESULT_FACILITY in the SDK): 4 for FACILITY_ITF, 7 for FACILITY_WIN32.")
	f.Func().Params(Id("h").Id("HRESULT")).Id("Facility").Params().Uint16().Block(
		Return(Uint16().Call(Id("h").Op(">>").Lit(16).Op("&").Lit(0x1fff))),
	)
	f.Comment("// Code is the low 16 bits (HRESULT_CODE in the SDK).")
	f.Func().Params(Id("h").Id("HRESULT")).Id("Code").Params().Uint16().Block(
		Return(Uint16().Call(Id("h"))),
	)

	f.Comment("// A compile error in this function (an invalid array index or a constant")
	f.Comment("// overflow) means a constant no longer has the value of the spec's table.")
	f.Comment("// Regenerate with vssgen instead of editing constants by hand.")
	f.Func().Id("_").Params().BlockFunc(func(g *Group) {
		g.Var().Id("x").Index(Lit(1)).Struct()
		for _, h := range s.HRESULTs {
			g.Id("_").Op("=").Id("x").Index(Id(h.Name).Op("-").Id(hexLit(h.Value)))
		}
	})

	file, err := render("hresult.go", f)
	if err != nil {
		return nil, err
	}
	format, err := verbatimFiles(s, cfg, "format.go")
	if err != nil {
		return nil, err
	}
	return append([]Output{file}, format...), nil
}

// primaries lists the codes that have a name of their own (no aliases), ascending.
func primaries(s *model.Spec) []*model.HRESULT {
	var out []*model.HRESULT
	for _, h := range s.HRESULTs {
		if h.AliasOf == nil {
			out = append(out, h)
		}
	}
	return out
}

// hexLit writes a code the way the SDK does, so the generated constants can
// be compared with the headers by eye.
func hexLit(v uint32) string { return fmt.Sprintf("0x%08X", v) }

// exampleFailure is the failure code the doc comment of Error shows: the
// one the most methods and functions document, the lowest value of those,
// or nil when the spec has no failure code.
func exampleFailure(s *model.Spec) *model.HRESULT {
	uses := map[*model.HRESULT]int{}
	for _, m := range allCallables(s) {
		for _, r := range m.Returns {
			uses[r.Code]++
		}
	}
	var best *model.HRESULT
	for _, h := range s.HRESULTs {
		if h.Failed() && h.AliasOf == nil && (best == nil || uses[h] > uses[best]) {
			best = h
		}
	}
	return best
}
