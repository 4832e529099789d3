package emit

import (
	"fmt"

	"strconv"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Methods emits method.go, the part of the OS-aware error handling that runs
// on every platform: Method identifiers with their documented codes and
// meanings, OSVersion, Documented (the pure mapping from an observed code to
// the documented one) and the Error type the stubs return.
func Methods(s *model.Spec, cfg Config) ([]Output, error) {
	f := newGoFile(s, cfg, "")
	methods := allCallables(s)

	f.Comment("// OSVersion is a Windows version as RtlGetVersion reports it. The zero value")
	f.Comment("// means unknown: Documented then maps nothing.")
	f.Type().Id("OSVersion").Struct(
		List(Id("Major"), Id("Minor"), Id("Build")).Uint32(),
	)
	f.Comment("// String gives major.minor.build.")
	f.Func().Params(Id("v").Id("OSVersion")).Id("String").Params().String().Block(
		Return(Qual("strconv", "FormatUint").Call(Uint64().Call(Id("v").Dot("Major")), Lit(10)).Op("+").Lit(".").
			Op("+").Qual("strconv", "FormatUint").Call(Uint64().Call(Id("v").Dot("Minor")), Lit(10)).Op("+").Lit(".").
			Op("+").Qual("strconv", "FormatUint").Call(Uint64().Call(Id("v").Dot("Build")), Lit(10))),
	)
	f.Comment("// OlderThan reports whether v is a known version older than major.minor:")
	f.Comment("// v.OlderThan(6, 1) holds on Windows Vista and Server 2008, not on the zero OSVersion.")
	f.Func().Params(Id("v").Id("OSVersion")).Id("OlderThan").Params(List(Id("major"), Id("minor")).Uint32()).Bool().Block(
		Return(Id("v").Op("!=").Id("OSVersion").Values().Op("&&").Parens(
			Id("v").Dot("Major").Op("<").Id("major").Op("||").Id("v").Dot("Major").Op("==").Id("major").Op("&&").Id("v").Dot("Minor").Op("<").Id("minor"))),
	)
	f.Comment("// is reports whether v is major.minor, any build.")
	f.Func().Params(Id("v").Id("OSVersion")).Id("is").Params(List(Id("major"), Id("minor")).Uint32()).Bool().Block(
		Return(Id("v").Dot("Major").Op("==").Id("major").Op("&&").Id("v").Dot("Minor").Op("==").Id("minor")),
	)

	f.Comment("// Method identifies a COM method of the spec, for errors and for Documented.")
	f.Comment("// The zero Method is invalid.")
	f.Type().Id("Method").Uint16()
	f.Const().DefsFunc(func(g *Group) {
		g.Id("_").Id("Method").Op("=").Iota()
		for _, m := range methods {
			g.Line()
			g.Comment("// " + m.ID() + " is " + m.FullName() + ", slot " + strconv.Itoa(m.Slot) + ".")
			g.Id(m.ID())
		}
	})
	f.Var().Id("_methods").Op("=").Index(Op("...")).Struct(
		List(Id("full"), Id("iface"), Id("name")).String(),
		Id("slot").Int(),
		Id("returns").Index().Id("HRESULT"),
	).ValuesFunc(func(g *Group) {
		for _, m := range methods {
			g.Line().Id(m.ID()).Op(":").Values(
				Lit(m.FullName()), Lit(m.Owner()), Lit(m.Name), Lit(m.Slot),
				returnsList(m),
			)
		}
		g.Line()
	})
	methodAccessor := func(name, field, doc string, typ, zero Code) {
		f.Comment("// " + name + " " + doc)
		f.Func().Params(Id("m").Id("Method")).Id(name).Params().Add(typ).Block(
			If(Id("m").Op("==").Lit(0).Op("||").Int().Call(Id("m")).Op(">=").Len(Id("_methods"))).Block(
				Return(zero),
			),
			Return(Id("_methods").Index(Id("m")).Dot(field)),
		)
	}
	f.Comment("// String gives Interface.Method, or Method(N) for an invalid value.")
	f.Func().Params(Id("m").Id("Method")).Id("String").Params().String().Block(
		If(Id("m").Op("==").Lit(0).Op("||").Int().Call(Id("m")).Op(">=").Len(Id("_methods"))).Block(
			Return(Lit("Method(").Op("+").Qual("strconv", "Itoa").Call(Int().Call(Id("m"))).Op("+").Lit(")")),
		),
		Return(Id("_methods").Index(Id("m")).Dot("full")),
	)
	methodAccessor("Interface", "iface", "is the name of the interface that declares m, or of the DLL that exports it.", String(), Lit(""))
	methodAccessor("Name", "name", "is the method's own name.", String(), Lit(""))
	methodAccessor("Slot", "slot", "is m's index in its interface's vtable, or -1 for a DLL function or an invalid m.", Int(), Lit(-1))
	f.Comment("// Returns lists the return codes Microsoft documents for m, in the documentation's order.")
	f.Func().Params(Id("m").Id("Method")).Id("Returns").Params().Index().Id("HRESULT").Block(
		If(Id("m").Op("==").Lit(0).Op("||").Int().Call(Id("m")).Op(">=").Len(Id("_methods"))).Block(
			Return(Nil()),
		),
		// append rather than slices.Clone, which Go 1.19 lacks.
		Id("r").Op(":=").Id("_methods").Index(Id("m")).Dot("returns"),
		Return(Append(Id("r").Index(Lit(0), Lit(0), Lit(0)), Id("r").Op("..."))),
	)

	f.Comment("// Meaning is what code means when m returns it, as the method's")
	f.Comment("// documentation says; ok is false when the method does not document code.")
	f.Func().Params(Id("m").Id("Method")).Id("Meaning").Params(Id("code").Id("HRESULT")).Params(Id("meaning").String(), Id("ok").Bool()).Block(
		Switch(Id("m")).BlockFunc(func(g *Group) {
			for _, m := range methods {
				if len(m.Returns) == 0 {
					continue
				}
				g.Case(Id(m.ID())).Block(
					Switch(Id("code")).BlockFunc(func(g *Group) {
						for _, r := range m.Returns {
							g.Case(Id(r.Code.Name)).Block(Return(Lit(model.OneLine(r.Meaning)), True()))
						}
					}),
				)
			}
		}),
		Return(Lit(""), False()),
	)

	for _, l := range wrap(documentedDoc(methods)) {
		f.Comment("// " + l)
	}
	f.Func().Id("Documented").Params(Id("m").Id("Method"), Id("observed").Id("HRESULT"), Id("os").Id("OSVersion")).Id("HRESULT").Block(
		Switch(Id("m")).BlockFunc(func(g *Group) {
			for _, m := range methods {
				subs := m.Substitutions()
				if len(subs) == 0 {
					continue
				}
				g.Case(Id(m.ID())).BlockFunc(func(g *Group) {
					for _, sub := range subs {
						g.If(Id("observed").Op("==").Id(sub.Observed.Name).Op("&&").Add(osCondition(sub.Note))).Block(
							Return(Id(sub.Documented.Name)),
						)
					}
				})
			}
		}),
		Return(Id("observed")),
	)

	f.Comment("// Error is a failed call of a COM method. Code is what the method returned;")
	f.Comment("// Documented is the code its documentation names for that result on OS")
	f.Comment("// (they differ only where an OS-version note says so). errors.Is matches")
	f.Comment("// either code, and errors.As can extract the HRESULT.")
	f.Type().Id("Error").Struct(
		Id("Method").Id("Method"),
		Id("Code").Id("HRESULT"),
		Id("Documented").Id("HRESULT"),
		Id("OS").Id("OSVersion"),
	)
	f.Comment("// NewError describes code returned by m on os.")
	f.Func().Id("NewError").Params(Id("m").Id("Method"), Id("code").Id("HRESULT"), Id("os").Id("OSVersion")).Op("*").Id("Error").Block(
		Return(Op("&").Id("Error").Values(Dict{
			Id("Method"):     Id("m"),
			Id("Code"):       Id("code"),
			Id("Documented"): Id("Documented").Call(Id("m"), Id("code"), Id("os")),
			Id("OS"):         Id("os"),
		})),
	)
	f.Comment("// Error gives the method, the code and its meaning for that method.")
	f.Func().Params(Id("e").Op("*").Id("Error")).Id("Error").Params().String().Block(
		Id("meaning").Op(",").Id("ok").Op(":=").Id("e").Dot("Method").Dot("Meaning").Call(Id("e").Dot("Documented")),
		If(Op("!").Id("ok")).Block(
			Return(Id("e").Dot("Method").Dot("String").Call().Op("+").Lit(": ").Op("+").Id("e").Dot("Code").Dot("Error").Call()),
		),
		Id("s").Op(":=").Id("e").Dot("Method").Dot("String").Call().Op("+").Lit(": ").Op("+").Id("e").Dot("Code").Dot("String").Call().Op("+").Lit(" (").Op("+").Id("e").Dot("Code").Dot("hex").Call().Op("+").Lit(")"),
		If(Id("e").Dot("Documented").Op("!=").Id("e").Dot("Code")).Block(
			Id("s").Op("+=").Lit(" on Windows ").Op("+").Id("e").Dot("OS").Dot("String").Call().Op("+").Lit(", documented as ").Op("+").Id("e").Dot("Documented").Dot("String").Call(),
		),
		Return(Id("s").Op("+").Lit(": ").Op("+").Id("meaning")),
	)
	f.Comment("// Is reports whether target is the observed or the documented HRESULT.")
	f.Func().Params(Id("e").Op("*").Id("Error")).Id("Is").Params(Id("target").Error()).Bool().Block(
		List(Id("h"), Id("ok")).Op(":=").Id("target").Assert(Id("HRESULT")),
		Return(Id("ok").Op("&&").Parens(Id("h").Op("==").Id("e").Dot("Code").Op("||").Id("h").Op("==").Id("e").Dot("Documented"))),
	)
	f.Comment("// Unwrap returns the observed HRESULT.")
	f.Func().Params(Id("e").Op("*").Id("Error")).Id("Unwrap").Params().Error().Block(
		Return(Id("e").Dot("Code")),
	)

	file, err := render("method.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{file}, nil
}

// allMethods lists every declared method of every interface, IUnknown first,
// in the model's interface order and then slot order.
func allMethods(s *model.Spec) []*model.Method {
	var out []*model.Method
	for _, it := range s.Interfaces {
		out = append(out, it.Methods...)
	}
	return out
}

// allCallables is allMethods followed by the spec's DLL functions: every
// callable that has a Method identifier.
func allCallables(s *model.Spec) []*model.Method {
	return append(allMethods(s), s.Functions...)
}

func returnsList(m *model.Method) Code {
	if len(m.Returns) == 0 {
		return Nil()
	}
	return Index().Id("HRESULT").ValuesFunc(func(g *Group) {
		for _, r := range m.Returns {
			g.Id(r.Code.Name)
		}
	})
}

// osCondition is the Go condition that the running system falls under a note.
func osCondition(n *model.Note) Code {
	if n.Before != nil {
		return Id("os").Dot("OlderThan").Call(Lit(int(n.Before.Major)), Lit(int(n.Before.Minor)))
	}
	var parts []Code
	for _, o := range n.On {
		parts = append(parts, Id("os").Dot("is").Call(Lit(int(o.Major)), Lit(int(o.Minor))))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return Parens(joinOr(parts))
}

func joinOr(parts []Code) *Statement {
	st := Add(parts[0])
	for _, p := range parts[1:] {
		st = st.Op("||").Add(p)
	}
	return st
}

// documentedDoc is the doc comment of Documented, with the spec's first note
// that makes one code stand for another as its example.
func documentedDoc(methods []*model.Method) string {
	text := "Documented returns the code that m's documentation names for a code observed on the given Windows version. Microsoft documents some codes that older systems report differently"
	for _, m := range methods {
		if subs := m.Substitutions(); len(subs) > 0 {
			sub := subs[0]
			text += fmt.Sprintf(": %s, for example, %s returns %s where its documentation says %s", model.OneLine(sub.Note.Systems()), m.FullName(), sub.Observed.Name, sub.Documented.Name)
			break
		}
	}
	return text + ". Codes without such a note are returned unchanged."
}
