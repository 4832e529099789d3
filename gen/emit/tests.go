package emit

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Tests emits the generated package's own table-driven tests. They run on
// every platform and check the generated Go against the model: every
// constant's value, name, Error text and severity, and every OS-note mapping.
func Tests(s *model.Spec, cfg Config) ([]Output, error) {
	hr, err := render("hresult_test.go", hresultTests(s, cfg))
	if err != nil {
		return nil, err
	}
	mt, err := render("method_test.go", methodTests(s, cfg))
	if err != nil {
		return nil, err
	}
	outs := []Output{hr, mt}
	if len(s.Enums) > 0 {
		et, err := render("enum_test.go", enumTests(s, cfg))
		if err != nil {
			return nil, err
		}
		outs = append(outs, et)
	}
	return outs, nil
}

// enumTests checks every enum value's String, the form of values the SDK
// does not name, and the flag lists of flag sets.
func enumTests(s *model.Spec, cfg Config) *File {
	f := newGoFile(s, cfg, "")
	f.Func().Id("TestEnumStrings").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("tests").Op(":=").Index().Struct(
			Id("got").Qual("fmt", "Stringer"),
			Id("want").String(),
		).ValuesFunc(func(g *Group) {
			for _, e := range s.Enums {
				first := map[int32]string{}
				for _, v := range e.Values {
					if _, ok := first[v.Value]; !ok {
						first[v.Value] = v.Name
					}
					g.Line().Values(Id(v.Name), Lit(first[v.Value]))
				}
				unknown := unnamedEnumValue(e)
				want := fmt.Sprintf("%s(%d)", e.Name, unknown)
				if e.Flags {
					want = flagString(e, unknown)
				}
				g.Line().Values(Id(e.Name).Call(Lit(int(unknown))), Lit(want))
				if e.Flags {
					if v, ok := twoFlags(e); ok {
						g.Line().Values(Id(e.Name).Call(Lit(int(v))), Lit(flagString(e, v)))
					}
				}
			}
			g.Line()
		}),
		For(List(Id("_"), Id("tt")).Op(":=").Range().Id("tests")).Block(
			If(Id("s").Op(":=").Id("tt").Dot("got").Dot("String").Call(), Id("s").Op("!=").Id("tt").Dot("want")).Block(
				Id("t").Dot("Errorf").Call(Lit("String() = %q, want %q"), Id("s"), Id("tt").Dot("want")),
			),
		),
	)
	return f
}

// unnamedEnumValue is a value the enum does not name: for a flag set an
// unnamed high bit, else one past the largest value.
func unnamedEnumValue(e *model.Enum) int32 {
	named := map[int32]bool{}
	var union uint32
	largest := int32(0)
	for _, v := range e.Values {
		named[v.Value] = true
		largest = max(largest, v.Value)
		if bits.OnesCount32(uint32(v.Value)) == 1 {
			union |= uint32(v.Value)
		}
	}
	if e.Flags {
		for bit := uint32(1 << 30); bit != 0; bit >>= 1 {
			if union&bit == 0 && !named[int32(bit)] {
				return int32(bit)
			}
		}
	}
	v := largest + 1
	for named[v] {
		v++
	}
	return v
}

// twoFlags is the union of the first two single-bit flags, when no value is
// named exactly that.
func twoFlags(e *model.Enum) (int32, bool) {
	var flags []int32
	named := map[int32]bool{}
	for _, v := range e.Values {
		named[v.Value] = true
		if bits.OnesCount32(uint32(v.Value)) == 1 && !slices.Contains(flags, v.Value) {
			flags = append(flags, v.Value)
		}
	}
	if len(flags) < 2 || named[flags[0]|flags[1]] {
		return 0, false
	}
	return flags[0] | flags[1], true
}

// flagString is what the generated String of a flag set returns for v: the
// model's statement of the rule the emitter implements.
func flagString(e *model.Enum, v int32) string {
	for _, x := range uniqueValues(e) {
		if x.Value == v {
			return x.Name
		}
	}
	var parts []string
	rest := uint32(v)
	for _, x := range uniqueValues(e) {
		if bit := uint32(x.Value); bits.OnesCount32(bit) == 1 && rest&bit != 0 {
			parts = append(parts, x.Name)
			rest &^= bit
		}
	}
	if rest != 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%s(0x%x)", e.Name, rest))
	}
	return strings.Join(parts, "|")
}

// errorFormat is the form of HRESULT.Error for a known code: name, value
// in eight upper-case hex digits, meaning. The generated tests build the
// expected text with it at run time, from the name, value and meaning in
// their own table, rather than take the text the model formats for the
// generated table, so that a wrong format in one place cannot agree with
// itself in the other.
const errorFormat = "%s (0x%08X): %s"

func hresultTests(s *model.Spec, cfg Config) *File {
	f := newGoFile(s, cfg, "")
	f.Comment("// The expected Error text is built here, with a format of its own, from")
	f.Comment("// the name, value and meaning in the table.")
	f.Func().Id("TestHRESULTTable").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("tests").Op(":=").Index().Struct(
			Id("code").Id("HRESULT"),
			Id("value").Uint32(),
			List(Id("name"), Id("meaning")).String(),
			Id("failed").Bool(),
			List(Id("facility"), Id("code16")).Uint16(),
		).ValuesFunc(func(g *Group) {
			for _, h := range s.HRESULTs {
				named := h
				if h.AliasOf != nil {
					named = h.AliasOf
				}
				g.Line().Values(Id(h.Name), Id(hexLit(h.Value)), Lit(named.Name), Lit(model.OneLine(named.Doc)), Lit(h.Failed()),
					Lit(int(h.Facility())), Id(fmt.Sprintf("0x%04X", h.Code())))
			}
			g.Line()
		}),
		For(List(Id("_"), Id("tt")).Op(":=").Range().Id("tests")).Block(
			If(Uint32().Call(Id("tt").Dot("code")).Op("!=").Id("tt").Dot("value")).Block(
				Id("t").Dot("Errorf").Call(Lit("%s = %#x, want %#x"), Id("tt").Dot("name"), Uint32().Call(Id("tt").Dot("code")), Id("tt").Dot("value")),
			),
			checkEq("String()", Id("tt").Dot("code").Dot("String").Call(), Id("tt").Dot("name")),
			checkEq("Error()", Id("tt").Dot("code").Dot("Error").Call(),
				Qual("fmt", "Sprintf").Call(Lit(errorFormat), Id("tt").Dot("name"), Id("tt").Dot("value"), Id("tt").Dot("meaning"))),
			checkEq("Failed()", Id("tt").Dot("code").Dot("Failed").Call(), Id("tt").Dot("failed")),
			checkEq("Succeeded()", Id("tt").Dot("code").Dot("Succeeded").Call(), Op("!").Id("tt").Dot("failed")),
			checkEq("Facility()", Id("tt").Dot("code").Dot("Facility").Call(), Id("tt").Dot("facility")),
			checkEq("Code()", Id("tt").Dot("code").Dot("Code").Call(), Id("tt").Dot("code16")),
		),
	)

	unknown := unusedValue(s)
	f.Func().Id("TestHRESULTUnknown").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		For(List(Id("_"), Id("tt")).Op(":=").Range().Index().Struct(
			Id("h").Id("HRESULT"),
			Id("kind").String(),
		).Values(
			Values(Id("HRESULT").Call(Id(hexLit(unknown))), Lit("failure")),
			Values(Id("HRESULT").Call(Id(hexLit(unusedSmallSuccess(s)))), Lit("success")),
		)).Block(
			Id("h").Op(":=").Id("tt").Dot("h"),
			If(List(Id("got"), Id("want")).Op(":=").List(Id("h").Dot("String").Call(), Qual("fmt", "Sprintf").Call(Lit("HRESULT(0x%08X)"), Uint32().Call(Id("h")))), Id("got").Op("!=").Id("want")).Block(
				Id("t").Dot("Errorf").Call(Lit("String() = %q, want %q"), Id("got"), Id("want")),
			),
			If(List(Id("got"), Id("want")).Op(":=").List(Id("h").Dot("Error").Call(), Qual("fmt", "Sprintf").Call(Lit("HRESULT(0x%08X): unknown %s code, facility %d, code %d"), Uint32().Call(Id("h")), Id("tt").Dot("kind"), Uint32().Call(Id("h")).Op(">>").Lit(16).Op("&").Lit(0x1fff), Uint32().Call(Id("h")).Op("&").Lit(0xffff))), Id("got").Op("!=").Id("want")).Block(
				Id("t").Dot("Errorf").Call(Lit("Error() = %q, want %q"), Id("got"), Id("want")),
			),
		),
	)

	f.Comment("// String and Error must stay cheap enough to call in hot logging paths.")
	f.Func().Id("TestHRESULTNoAllocation").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("allocs").Op(":=").Qual("testing", "AllocsPerRun").Call(Lit(10), Func().Params().Block(
			For(List(Id("_"), Id("h")).Op(":=").Range().Id("_HRESULT_values")).Block(
				Id("_").Op("=").Id("h").Dot("String").Call(),
				Id("_").Op("=").Id("h").Dot("Error").Call(),
			),
		)),
		If(Id("allocs").Op("!=").Lit(0)).Block(
			Id("t").Dot("Errorf").Call(Lit("String and Error of known codes allocate %v times per run, want 0"), Id("allocs")),
		),
	)

	sample := sampleFailure(s)
	if sample != nil {
		f.Comment("// Numeric verbs print the number, not the hex-encoded Error text.")
		f.Func().Id("TestHRESULTFormat").Params(Id("t").Op("*").Qual("testing", "T")).Block(
			For(List(Id("_"), Id("tt")).Op(":=").Range().Index().Struct(List(Id("format"), Id("want")).String()).Values(
				Values(Lit("%#x"), Lit(fmt.Sprintf("%#x", sample.Value))),
				Values(Lit("%08X"), Lit(fmt.Sprintf("%08X", sample.Value))),
				Values(Lit("%d"), Lit(fmt.Sprintf("%d", sample.Value))),
				Values(Lit("%v"), Lit(fmt.Sprintf(errorFormat, sample.Name, sample.Value, model.OneLine(sample.Doc)))),
				Values(Lit("%s"), Lit(fmt.Sprintf(errorFormat, sample.Name, sample.Value, model.OneLine(sample.Doc)))),
				Values(Lit("%q"), Lit(fmt.Sprintf("%q", sample.Name))),
			)).Block(
				If(Id("got").Op(":=").Qual("fmt", "Sprintf").Call(Id("tt").Dot("format"), Id(sample.Name)), Id("got").Op("!=").Id("tt").Dot("want")).Block(
					Id("t").Dot("Errorf").Call(Lit("Sprintf(%q, %s) = %q, want %q"), Id("tt").Dot("format"), Lit(sample.Name), Id("got"), Id("tt").Dot("want")),
				),
			),
		)
	}
	return f
}

func checkEq(what string, got, want Code) Code {
	return If(List(Id("got"), Id("want")).Op(":=").List(got, want), Id("got").Op("!=").Id("want")).Block(
		Id("t").Dot("Errorf").Call(Lit("%s."+what+" = %v, want %v"), Id("tt").Dot("name"), Id("got"), Id("want")),
	)
}

// unusedValue picks a failure code of FACILITY_ITF that the table lacks, for
// the unknown-code tests.
func unusedValue(s *model.Spec) uint32 { return firstUnused(s, 0x8004FFFF, -1) }

// unusedSuccess is a success code with FACILITY_ITF that the spec does
// not hold, for a call that succeeds with a code no method documents.
func unusedSuccess(s *model.Spec) uint32 { return firstUnused(s, 0x0004FFFF, -1) }

// unusedSmallSuccess picks the smallest success code above S_FALSE that the
// table lacks: its hex value has leading zeros, which Error and String
// must keep.
func unusedSmallSuccess(s *model.Spec) uint32 { return firstUnused(s, 2, +1) }

// firstUnused is the first value from v on, stepping by step, that no code
// of the spec's table has.
func firstUnused(s *model.Spec, v uint32, step int) uint32 {
	used := map[uint32]bool{}
	for _, h := range s.HRESULTs {
		used[h.Value] = true
	}
	for used[v] {
		v += uint32(step)
	}
	return v
}

func sampleFailure(s *model.Spec) *model.HRESULT {
	for _, h := range s.HRESULTs {
		if h.Failed() && h.AliasOf == nil {
			return h
		}
	}
	return nil
}

func osLit(o *model.OSVersion) Code {
	return Id("OSVersion").Values(Dict{Id("Major"): Lit(int(o.Major)), Id("Minor"): Lit(int(o.Minor))})
}

func methodTests(s *model.Spec, cfg Config) *File {
	f := newGoFile(s, cfg, "")
	methods := allCallables(s)

	f.Func().Id("TestMethods").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("tests").Op(":=").Index().Struct(
			Id("m").Id("Method"),
			List(Id("full"), Id("iface"), Id("name")).String(),
			Id("slot").Int(),
			Id("returns").Int(),
		).ValuesFunc(func(g *Group) {
			for _, m := range methods {
				g.Line().Values(Id(m.ID()), Lit(m.FullName()), Lit(m.Owner()), Lit(m.Name), Lit(m.Slot), Lit(len(m.Returns)))
			}
			g.Line()
		}),
		For(List(Id("_"), Id("tt")).Op(":=").Range().Id("tests")).Block(
			If(Id("tt").Dot("m").Dot("String").Call().Op("!=").Id("tt").Dot("full").Op("||").
				Id("tt").Dot("m").Dot("Interface").Call().Op("!=").Id("tt").Dot("iface").Op("||").
				Id("tt").Dot("m").Dot("Name").Call().Op("!=").Id("tt").Dot("name").Op("||").
				Id("tt").Dot("m").Dot("Slot").Call().Op("!=").Id("tt").Dot("slot").Op("||").
				Len(Id("tt").Dot("m").Dot("Returns").Call()).Op("!=").Id("tt").Dot("returns")).Block(
				Id("t").Dot("Errorf").Call(Lit("method %d = %s %s %s %d %d, want %s %s %s %d %d"), Id("tt").Dot("m"),
					Id("tt").Dot("m").Dot("String").Call(), Id("tt").Dot("m").Dot("Interface").Call(), Id("tt").Dot("m").Dot("Name").Call(), Id("tt").Dot("m").Dot("Slot").Call(), Len(Id("tt").Dot("m").Dot("Returns").Call()),
					Id("tt").Dot("full"), Id("tt").Dot("iface"), Id("tt").Dot("name"), Id("tt").Dot("slot"), Id("tt").Dot("returns")),
			),
		),
		If(Id("got").Op(":=").Id("Method").Call(Lit(0)).Dot("String").Call(), Id("got").Op("!=").Lit("Method(0)")).Block(
			Id("t").Dot("Errorf").Call(Lit("Method(0).String() = %q"), Id("got")),
		),
	)

	// The systems the tables below refer to by index: those of the spec's
	// table, oldest first, and the zero OSVersion (unknown) last. Rows name
	// a system by its index and stay on one line each, which keeps the file
	// small and quick to format.
	osIndex := map[*model.OSVersion]int{}
	f.Comment("// _methodTestOS are the systems the tables of TestDocumented and")
	f.Comment("// TestErrorMatching refer to by index: the spec's, oldest first, then the")
	f.Comment("// zero OSVersion of an unknown system.")
	f.Var().Id("_methodTestOS").Op("=").Index().Id("OSVersion").ValuesFunc(func(g *Group) {
		for i, o := range s.OSVersions {
			osIndex[o] = i
			g.Line().Values(Dict{Id("Major"): Lit(int(o.Major)), Id("Minor"): Lit(int(o.Minor))})
		}
		g.Line().Values()
		g.Line()
	})

	// Every documented code of every method on every system in the table,
	// plus each code another one stands for: the generated switch must agree
	// with the model's reading of the notes. A row gives what Documented must
	// return on each system of _methodTestOS but the last, or nothing when
	// that is the observed code everywhere; on the unknown system it is the
	// observed code.
	f.Func().Id("TestDocumented").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("tests").Op(":=").Index().Struct(
			Id("m").Id("Method"),
			Id("observed").Id("HRESULT"),
			Id("want").Index().Id("HRESULT").Comment("// by index in _methodTestOS; nil: observed on every system"),
		).ValuesFunc(func(g *Group) {
			for _, m := range methods {
				var codes []*model.HRESULT
				for _, r := range m.Returns {
					codes = append(codes, r.Code)
				}
				for _, sub := range m.Substitutions() {
					codes = append(codes, sub.Observed)
				}
				seen := map[*model.HRESULT]bool{}
				for _, c := range codes {
					if seen[c] {
						continue
					}
					seen[c] = true
					var wants []Code
					same := true
					for _, o := range s.OSVersions {
						d := m.Documented(c, o)
						same = same && d == c
						wants = append(wants, Id(d.Name))
					}
					if same {
						g.Line().Values(Id(m.ID()), Id(c.Name), Nil())
					} else {
						g.Line().Values(Id(m.ID()), Id(c.Name), Index().Id("HRESULT").Values(wants...))
					}
				}
			}
			g.Line()
		}),
		For(List(Id("_"), Id("tt")).Op(":=").Range().Id("tests")).Block(
			If(Id("tt").Dot("want").Op("!=").Nil().Op("&&").Len(Id("tt").Dot("want")).Op("!=").Len(Id("_methodTestOS")).Op("-").Lit(1)).Block(
				Id("t").Dot("Fatalf").Call(Lit("%s, %s: %d wanted codes for %d systems"), Id("tt").Dot("m"), Id("tt").Dot("observed").Dot("String").Call(), Len(Id("tt").Dot("want")), Len(Id("_methodTestOS")).Op("-").Lit(1)),
			),
			For(List(Id("i"), Id("os")).Op(":=").Range().Id("_methodTestOS")).Block(
				Id("want").Op(":=").Id("tt").Dot("observed"),
				If(Id("tt").Dot("want").Op("!=").Nil().Op("&&").Id("i").Op("<").Len(Id("tt").Dot("want"))).Block(
					Id("want").Op("=").Id("tt").Dot("want").Index(Id("i")),
				),
				If(Id("got").Op(":=").Id("Documented").Call(Id("tt").Dot("m"), Id("tt").Dot("observed"), Id("os")), Id("got").Op("!=").Id("want")).Block(
					Id("t").Dot("Errorf").Call(Lit("Documented(%s, %s, %s) = %s, want %s"), Id("tt").Dot("m"), Id("tt").Dot("observed").Dot("String").Call(), Id("os"), Id("got").Dot("String").Call(), Id("want").Dot("String").Call()),
				),
			),
		),
	)

	// errors.Is must hold for the documented code wherever a note maps an
	// observed code to it, and for the observed code itself.
	f.Func().Id("TestErrorMatching").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("tests").Op(":=").Index().Struct(
			Id("m").Id("Method"),
			Id("observed").Id("HRESULT"),
			Id("os").Int().Comment("// index in _methodTestOS"),
			Id("documented").Id("HRESULT"),
			Id("text").String(),
		).ValuesFunc(func(g *Group) {
			for _, m := range methods {
				for _, r := range m.Returns {
					if r.Code.Failed() {
						// The newest system the spec knows; a spec without
						// os_versions has no notes, so the unknown one will do.
						newest := len(s.OSVersions)
						if newest > 0 {
							newest--
						}
						g.Line().Values(Id(m.ID()), Id(r.Code.Name), Lit(newest), Id(r.Code.Name),
							Lit(fmt.Sprintf("%s: %s (%s): %s", m.FullName(), r.Code.Name, r.Code.Hex(), model.OneLine(r.Meaning))))
					}
				}
				for _, sub := range m.Substitutions() {
					for _, o := range s.OSVersions {
						if !sub.Note.AppliesTo(o) {
							continue
						}
						meaning := ""
						for _, r := range m.Returns {
							if r.Code == sub.Documented {
								meaning = model.OneLine(r.Meaning)
							}
						}
						g.Line().Values(Id(m.ID()), Id(sub.Observed.Name), Lit(osIndex[o]), Id(sub.Documented.Name),
							Lit(fmt.Sprintf("%s: %s (%s) on Windows %d.%d.0, documented as %s: %s", m.FullName(), sub.Observed.Name, sub.Observed.Hex(), o.Major, o.Minor, sub.Documented.Name, meaning)))
					}
				}
			}
			g.Line()
		}),
		For(List(Id("_"), Id("tt")).Op(":=").Range().Id("tests")).Block(
			Var().Id("err").Error().Op("=").Id("NewError").Call(Id("tt").Dot("m"), Id("tt").Dot("observed"), Id("_methodTestOS").Index(Id("tt").Dot("os"))),
			If(Op("!").Qual("errors", "Is").Call(Id("err"), Id("tt").Dot("documented"))).Block(
				Id("t").Dot("Errorf").Call(Lit("errors.Is(%v, %s) = false"), Id("err"), Id("tt").Dot("documented").Dot("String").Call()),
			),
			If(Op("!").Qual("errors", "Is").Call(Id("err"), Id("tt").Dot("observed"))).Block(
				Id("t").Dot("Errorf").Call(Lit("errors.Is(%v, %s) = false"), Id("err"), Id("tt").Dot("observed").Dot("String").Call()),
			),
			Var().Id("e").Op("*").Id("Error"),
			If(Op("!").Qual("errors", "As").Call(Id("err"), Op("&").Id("e")).Op("||").Id("e").Dot("Method").Op("!=").Id("tt").Dot("m").Op("||").Id("e").Dot("Code").Op("!=").Id("tt").Dot("observed")).Block(
				Id("t").Dot("Errorf").Call(Lit("errors.As(%v, *Error) did not give method %s and code %s"), Id("err"), Id("tt").Dot("m"), Id("tt").Dot("observed").Dot("String").Call()),
			),
			Var().Id("h").Id("HRESULT"),
			If(Op("!").Qual("errors", "As").Call(Id("err"), Op("&").Id("h")).Op("||").Id("h").Op("!=").Id("tt").Dot("observed")).Block(
				Id("t").Dot("Errorf").Call(Lit("errors.As(%v, *HRESULT) = %s, want %s"), Id("err"), Id("h").Dot("String").Call(), Id("tt").Dot("observed").Dot("String").Call()),
			),
			If(Id("got").Op(":=").Id("err").Dot("Error").Call(), Id("got").Op("!=").Id("tt").Dot("text")).Block(
				Id("t").Dot("Errorf").Call(Lit("Error() = %q, want %q"), Id("got"), Id("tt").Dot("text")),
			),
		),
	)
	return f
}
