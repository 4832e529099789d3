package emit

import (
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// emitStructLayout writes the C-layout Go type of st for one architecture:
// the SDK's members in order, explicit padding where Go would align a member
// differently from C (64-bit integers on 386), and a compile-time check of
// every offset and of the size against the layout the conformance file
// checks against the SDK headers.
func emitStructLayout(f *File, st *model.Struct, arch model.Arch) {
	l := st.Layout(arch)
	kind := "struct"
	if st.Union {
		kind = "union"
	}
	f.Comment(fmt.Sprintf("// %s is the C %s of that name (%s): %d bytes on %s.", st.Name, kind, headerOr(st.Header), l.Size, arch))
	if st.Doc != "" {
		f.Comment("//")
		for _, c := range docComment(st.Doc) {
			f.Add(c)
		}
	}
	if st.Union {
		n, word := st.UnionWords(arch)
		f.Comment("//")
		f.Comment("// Go has no unions: the members are reached through methods of the same names.")
		f.Type().Id(st.Name).Struct(Id("_").Index(Lit(n)).Id(word))
	} else {
		pad := 0
		f.Type().Id(st.Name).StructFunc(func(g *Group) {
			for i, fld := range st.Fields {
				if l.PadBefore[i] > 0 {
					g.Id("_").Index(Lit(l.PadBefore[i])).Byte().Comment("// C aligns the next member to 8 bytes; Go would not")
					pad++
				}
				if fld.Doc != "" {
					for _, c := range docComment(fld.Name + ": " + fld.Doc) {
						g.Add(c)
					}
				}
				g.Id(fld.GoName).Add(rawType(fld.Type))
			}
			if l.TailPad > 0 {
				g.Id("_").Index(Lit(l.TailPad)).Byte().Comment("// C rounds the size up to a multiple of 8 bytes")
			}
		})
	}
	f.Comment(fmt.Sprintf("// A compile error in this function means %s no longer has the SDK's layout on %s.", st.Name, arch))
	f.Func().Id("_").Params().BlockFunc(func(g *Group) {
		g.Var().Id("s").Id(st.Name)
		g.Var().Id("x").Index(Lit(1)).Struct()
		if !st.Union {
			for i, fld := range st.Fields {
				g.Id("_").Op("=").Id("x").Index(Qual("unsafe", "Offsetof").Call(Id("s").Dot(fld.GoName)).Op("-").Lit(l.Offsets[i]))
			}
		}
		g.Id("_").Op("=").Id("x").Index(Qual("unsafe", "Sizeof").Call(Id("s")).Op("-").Lit(l.Size))
	})
}

func headerOr(h string) string {
	if h == "" {
		return "no header named"
	}
	return h
}

// emitStructCopy writes what does not depend on the architecture: a union's
// member accessors, and for a struct the service fills with strings it
// allocated (one with a free function) the Go copy that out-parameters
// return, with Go strings, and the method that makes it.
func emitStructCopy(f *File, st *model.Struct) {
	if st.Union {
		for _, fld := range st.Fields {
			f.Comment(fmt.Sprintf("// %s is the union's %s member.", fld.GoName, fld.Name))
			f.Func().Params(Id("u").Op("*").Id(st.Name)).Id(fld.GoName).Params().Op("*").Add(rawType(fld.Type)).Block(
				Return(Parens(Op("*").Add(rawType(fld.Type))).Call(Qual("unsafe", "Pointer").Call(Id("u")))),
			)
		}
		return
	}
	if st.GoName == "" {
		return
	}
	if st.Free != nil {
		f.Comment(fmt.Sprintf("// %s is a Go copy of %s with Go strings. Methods that fill a", st.GoName, st.Name))
		f.Comment(fmt.Sprintf("// %s return it and free the original with %s, so nothing leaks.", st.Name, st.Free.Name))
	} else {
		for _, l := range wrap(fmt.Sprintf("%s is a Go copy of %s with Go strings. Methods that fill a %s return it and free the original field by field (%s), so nothing leaks.", st.GoName, st.Name, st.Name, fieldFreeList(st))) {
			f.Comment("// " + l)
		}
	}
	f.Type().Id(st.GoName).StructFunc(func(g *Group) {
		for _, fld := range st.Fields {
			if fld.Doc != "" {
				for _, c := range docComment(fld.Doc) {
					g.Add(c)
				}
			}
			g.Id(fld.GoName).Add(copyType(fld.Type))
		}
	})
	if st.Free != nil {
		f.Comment(fmt.Sprintf("// %s is %s, the function", freeVar(st), st.Free.Name))
		f.Comment(fmt.Sprintf("// the stubs free a %s with. It is a variable so that the", st.Name))
		f.Comment("// package's tests of fake COM objects, which allocate the strings")
		f.Comment("// themselves, can check the call and free them without the DLL.")
		f.Var().Id(freeVar(st)).Op("=").Id(st.Free.Name)
	} else {
		for _, l := range wrap(fmt.Sprintf("%s frees the fields of a %s that the callee allocated: %s. It is a variable so that the package's tests of fake COM objects can see the call.", freeVar(st), st.Name, fieldFreeList(st))) {
			f.Comment("// " + l)
		}
		f.Var().Id(freeVar(st)).Op("=").Func().Params(Id("p").Op("*").Id(st.Name)).Error().BlockFunc(func(g *Group) {
			for _, fld := range st.FreedFields() {
				v := Id("p").Dot(fld.GoName)
				switch fld.Free {
				case "CoTaskMemFree":
					g.Qual(winPkg, "CoTaskMemFree").Call(Qual("unsafe", "Pointer").Call(v))
				case "SysFreeString":
					g.Id("_sysFreeString").Call(v)
				}
				g.Add(v.Clone().Op("=").Nil())
			}
			g.Return(Nil())
		})
	}
	f.Comment(fmt.Sprintf("// goCopy copies p into a %s; the strings are copied, not shared.", st.GoName))
	f.Func().Params(Id("p").Op("*").Id(st.Name)).Id("goCopy").Params().Id(st.GoName).Block(
		Return(Id(st.GoName).Values(DictFunc(func(d Dict) {
			for _, fld := range st.Fields {
				d[Id(fld.GoName)] = copyValue(fld, Id("p").Dot(fld.GoName))
			}
		}))),
	)
}

// fieldFreeList lists the fields of st that name a free function, each with
// it: "pwcsName with CoTaskMemFree".
func fieldFreeList(st *model.Struct) string {
	var parts []string
	for _, fld := range st.FreedFields() {
		parts = append(parts, fld.Name+" with "+fld.Free)
	}
	return strings.Join(parts, ", ")
}

// freeVar names the variable holding the free function of st.
func freeVar(st *model.Struct) string { return "_free" + st.Name }

func copyType(t *model.Type) Code {
	if t.Kind == model.StructKind && t.Struct.GoName != "" {
		return Id(t.Struct.GoName)
	}
	return goType(t)
}

func copyValue(fld *model.Field, v *Statement) Code {
	switch fld.Type.Kind {
	case model.WString:
		return Qual(winPkg, "UTF16PtrToString").Call(v)
	case model.BSTRKind:
		return Id("_bstrString").Call(v)
	case model.Boolean:
		return v.Op("!=").Lit(0)
	case model.StructKind:
		if fld.Type.Struct.GoName != "" {
			return v.Dot("goCopy").Call()
		}
	}
	return v
}
