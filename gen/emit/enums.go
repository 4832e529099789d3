package emit

import (
	"fmt"
	"math/bits"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Enums emits enum.go: each enum and flag set of the spec as a named int32
// (the size of a C enum on Windows) with its constants and a String method.
// A flag set's String lists the flags of a value ("A|B"), using a named
// combination when the value is exactly one.
func Enums(s *model.Spec, cfg Config) ([]Output, error) {
	if len(s.Enums) == 0 {
		return nil, nil
	}
	f := newGoFile(s, cfg, "")
	for _, e := range s.Enums {
		emitEnum(f, e)
	}
	file, err := render("enum.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{file}, nil
}

func emitEnum(f *File, e *model.Enum) {
	kind := "enum"
	if e.Flags {
		kind = "flag set"
	}
	f.Comment(fmt.Sprintf("// %s is the C %s of that name (%s).", e.Name, kind, headerOr(e.Header)))
	if e.Doc != "" {
		f.Comment("//")
		for _, c := range docComment(e.Doc) {
			f.Add(c)
		}
	}
	f.Type().Id(e.Name).Int32()
	f.Const().DefsFunc(func(g *Group) {
		for _, v := range e.Values {
			g.Line()
			for _, c := range docComment(v.Name + ": " + v.Doc) {
				g.Add(c)
			}
			g.Id(v.Name).Id(e.Name).Op("=").Add(enumLit(e, v.Value))
		}
	})
	names := uniqueValues(e)
	f.Comment(fmt.Sprintf("// String gives the name of the value, or %s(n) for a value the SDK does not name.", e.Name))
	if e.Flags {
		f.Comment("// Other values are listed as their flags, joined by |.")
	}
	f.Func().Params(Id("v").Id(e.Name)).Id("String").Params().String().BlockFunc(func(g *Group) {
		g.Switch(Id("v")).BlockFunc(func(g *Group) {
			for _, v := range names {
				g.Case(Id(v.Name)).Block(Return(Lit(v.Name)))
			}
		})
		if !e.Flags {
			g.Return(Lit(e.Name+"(").Op("+").Qual("strconv", "Itoa").Call(Int().Call(Id("v"))).Op("+").Lit(")"))
			return
		}
		g.Id("s").Op(",").Id("rest").Op(":=").Lit("").Op(",").Uint32().Call(Id("v"))
		g.For(List(Id("_"), Id("f")).Op(":=").Range().Index(Op("...")).Struct(Id("bit").Uint32(), Id("name").String()).ValuesFunc(func(g *Group) {
			for _, v := range names {
				if bits.OnesCount32(uint32(v.Value)) == 1 {
					g.Values(Id(fmt.Sprintf("0x%08X", uint32(v.Value))), Lit(v.Name))
				}
			}
		})).Block(
			If(Id("rest").Op("&").Id("f").Dot("bit").Op("!=").Lit(0)).Block(
				If(Id("s").Op("!=").Lit("")).Block(Id("s").Op("+=").Lit("|")),
				Id("s").Op("+=").Id("f").Dot("name"),
				Id("rest").Op("&^=").Id("f").Dot("bit"),
			),
		)
		g.If(Id("rest").Op("!=").Lit(0).Op("||").Id("s").Op("==").Lit("")).Block(
			If(Id("s").Op("!=").Lit("")).Block(Id("s").Op("+=").Lit("|")),
			Id("s").Op("+=").Lit(e.Name+"(0x").Op("+").Qual("strconv", "FormatUint").Call(Uint64().Call(Id("rest")), Lit(16)).Op("+").Lit(")"),
		)
		g.Return(Id("s"))
	})
}

// enumLit writes a flag value in hex, the way the SDK does, and any other value in decimal.
func enumLit(e *model.Enum, v int32) Code {
	if e.Flags && v >= 0 {
		return Id(fmt.Sprintf("0x%08X", uint32(v)))
	}
	return Lit(int(v))
}

// uniqueValues lists the values with a value no earlier value has: the
// first name of a value is the one String returns.
func uniqueValues(e *model.Enum) []*model.EnumValue {
	seen := map[int32]bool{}
	var out []*model.EnumValue
	for _, v := range e.Values {
		if !seen[v.Value] {
			seen[v.Value] = true
			out = append(out, v)
		}
	}
	return out
}
