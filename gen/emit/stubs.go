package emit

import (
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Stubs emits com_windows.go: for each interface its IID, a vtable struct
// whose fields sit at the spec's slots (checked at compile time), and one Go
// method per COM method that calls through the vtable.
func Stubs(s *model.Spec, cfg Config) ([]Output, error) {
	f := newGoFile(s, cfg, "windows")

	f.Comment("// CurrentOSVersion is the running Windows version. It comes from")
	f.Comment("// RtlGetVersion, which, unlike GetVersionEx, is not subject to")
	f.Comment("// compatibility shims; it is read once per process.")
	f.Func().Id("CurrentOSVersion").Params().Id("OSVersion").Block(Return(Id("_currentOS").Call()))
	f.Var().Id("_currentOS").Op("=").Qual("sync", "OnceValue").Call(Func().Params().Id("OSVersion").Block(
		Id("v").Op(":=").Qual("golang.org/x/sys/windows", "RtlGetVersion").Call(),
		Return(Id("OSVersion").Values(Dict{
			Id("Major"): Id("v").Dot("MajorVersion"),
			Id("Minor"): Id("v").Dot("MinorVersion"),
			Id("Build"): Id("v").Dot("BuildNumber"),
		})),
	))
	f.Comment("// _newError reports a failed call; the running system's version decides")
	f.Comment("// which documented code the failure stands for.")
	f.Func().Id("_newError").Params(Id("m").Id("Method"), Id("hr").Id("HRESULT")).Error().Block(
		Return(Id("NewError").Call(Id("m"), Id("hr"), Id("CurrentOSVersion").Call())),
	)

	for _, it := range s.Interfaces {
		emitInterface(f, it)
	}

	file, err := render("com_windows.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{file}, nil
}

func emitInterface(f *File, it *model.Interface) {
	vtbl := it.Name + "Vtbl"
	f.Line()
	f.Comment(fmt.Sprintf("// IID_%s is the interface identifier of %s, {%s}.", it.Name, it.Name, it.IID))
	f.Var().Id("IID_"+it.Name).Op("=").Qual("golang.org/x/sys/windows", "GUID").Values(Dict{
		Id("Data1"): Id(fmt.Sprintf("0x%08x", it.IID.Data1)),
		Id("Data2"): Id(fmt.Sprintf("0x%04x", it.IID.Data2)),
		Id("Data3"): Id(fmt.Sprintf("0x%04x", it.IID.Data3)),
		Id("Data4"): Index(Lit(8)).Byte().ValuesFunc(func(g *Group) {
			for _, b := range it.IID.Data4 {
				g.Id(fmt.Sprintf("0x%02x", b))
			}
		}),
	})

	f.Comment(fmt.Sprintf("// %s is the function table of %s, one pointer per slot.", vtbl, it.Name))
	f.Type().Id(vtbl).StructFunc(func(g *Group) {
		if it.Base != nil {
			g.Id(it.Base.Name + "Vtbl")
		}
		for _, m := range it.Methods {
			g.Id(m.Name).Uintptr().Comment(fmt.Sprintf("// slot %d", m.Slot))
		}
	})
	f.Comment(fmt.Sprintf("// A compile error in this function means %s no longer has the", vtbl))
	f.Comment("// spec's slots: a method would be called through the wrong pointer.")
	f.Func().Id("_").Params().BlockFunc(func(g *Group) {
		g.Const().Id("ptr").Op("=").Qual("unsafe", "Sizeof").Call(Uintptr().Call(Lit(0)))
		g.Var().Id("vt").Id(vtbl)
		g.Var().Id("x").Index(Lit(1)).Struct()
		for _, m := range it.Methods {
			g.Id("_").Op("=").Id("x").Index(Qual("unsafe", "Offsetof").Call(Id("vt").Dot(m.Name)).Op("/").Id("ptr").Op("-").Lit(m.Slot))
		}
		g.Id("_").Op("=").Id("x").Index(Qual("unsafe", "Sizeof").Call(Id("vt")).Op("/").Id("ptr").Op("-").Lit(len(it.AllMethods())))
	})

	f.Comment(fmt.Sprintf("// %s is the COM interface of that name, declared in %s.", it.Name, it.Header))
	if it.Doc != "" {
		f.Comment("//")
		for _, c := range docComment(it.Doc) {
			f.Add(c)
		}
	}
	f.Comment("//")
	f.Comment(fmt.Sprintf("// A *%s is the object pointer C code holds as %s *: convert the", it.Name, it.Name))
	f.Comment("// pointer a COM call returned; the Go methods call through its vtable.")
	if it.Base == nil {
		f.Type().Id(it.Name).Struct(Id("lpVtbl").Op("*").Id(vtbl))
		f.Func().Params(Id("v").Op("*").Id(it.Name)).Id("vtable").Params().Op("*").Id(vtbl).Block(
			Return(Id("v").Dot("lpVtbl")),
		)
	} else {
		f.Type().Id(it.Name).Struct(Id(it.Base.Name))
		f.Func().Params(Id("v").Op("*").Id(it.Name)).Id("vtable").Params().Op("*").Id(vtbl).Block(
			Return(Parens(Op("*").Id(vtbl)).Call(Qual("unsafe", "Pointer").Call(Id("v").Dot("lpVtbl")))),
		)
	}
	for _, m := range it.Methods {
		if it.Builtin {
			emitIUnknownMethod(f, m)
		} else {
			emitMethod(f, m)
		}
	}
}

// emitIUnknownMethod writes QueryInterface, AddRef and Release, whose shapes
// are fixed by COM rather than by the spec.
func emitIUnknownMethod(f *File, m *model.Method) {
	call := func(args ...Code) *Statement {
		return Qual("syscall", "SyscallN").Call(append([]Code{Id("v").Dot("vtable").Call().Dot(m.Name), this()}, args...)...)
	}
	switch m.Name {
	case "QueryInterface":
		f.Comment("// QueryInterface calls IUnknown::QueryInterface (slot 0): it asks the object")
		f.Comment("// for the interface riid names and returns a pointer that holds a reference.")
		f.Func().Params(Id("v").Op("*").Id("IUnknown")).Id("QueryInterface").
			Params(Id("riid").Op("*").Qual("golang.org/x/sys/windows", "GUID")).
			Params(Id("ppvObject").Qual("unsafe", "Pointer"), Err().Error()).Block(
			List(Id("r"), Id("_"), Id("_")).Op(":=").Add(call(
				Uintptr().Call(Qual("unsafe", "Pointer").Call(Id("riid"))),
				Uintptr().Call(Qual("unsafe", "Pointer").Call(Op("&").Id("ppvObject"))))),
			If(Id("hr").Op(":=").Id("HRESULT").Call(Id("r")), Id("hr").Dot("Failed").Call()).Block(
				Return(Nil(), Id("_newError").Call(Id(m.ID()), Id("hr"))),
			),
			Return(Id("ppvObject"), Nil()),
		)
	case "AddRef", "Release":
		f.Comment(fmt.Sprintf("// %s calls IUnknown::%s (slot %d) and returns the new reference count,", m.Name, m.Name, m.Slot))
		f.Comment("// which COM documents as meant for tests only.")
		f.Func().Params(Id("v").Op("*").Id("IUnknown")).Id(m.Name).Params().Uint32().Block(
			List(Id("r"), Id("_"), Id("_")).Op(":=").Add(call()),
			Return(Uint32().Call(Id("r"))),
		)
	}
}

func this() Code { return Uintptr().Call(Qual("unsafe", "Pointer").Call(Id("v"))) }

// emitMethod writes the stub of one spec method. The argument list is built
// from the spec's parameters, so its count can never disagree with them.
func emitMethod(f *File, m *model.Method) {
	for _, c := range methodDoc(m) {
		f.Add(c)
	}
	params, results, args, returned := stubShape(m)
	keepHR := len(m.SuccessCodes()) > 0
	assignHR := Id("hr").Op(":=").Id("HRESULT").Call(Id("r"))
	if keepHR {
		assignHR = Id("hr").Op("=").Id("HRESULT").Call(Id("r"))
	}
	f.Func().Params(Id("v").Op("*").Id(m.Interface.Name)).Id(m.Name).Params(params...).Params(results...).Block(
		List(Id("r"), Id("_"), Id("_")).Op(":=").Qual("syscall", "SyscallN").Call(append([]Code{Id("v").Dot("vtable").Call().Dot(m.Name)}, args...)...),
		assignHR,
		If(Id("hr").Dot("Failed").Call()).Block(
			Err().Op("=").Id("_newError").Call(Id(m.ID()), Id("hr")),
		),
		Return(returned...),
	)
}

// stubShape derives a stub's Go parameters and results and the arguments
// it passes after the this pointer, all from the spec's parameter list.
func stubShape(m *model.Method) (params, results, args, returned []Code) {
	args = append(args, this())
	for _, p := range m.Params {
		switch {
		case p.Reserved:
			args = append(args, Lit(0))
		case p.Dir == model.In:
			params = append(params, Id(p.Name).Id(p.Type.Go))
			args = append(args, Uintptr().Call(Id(p.Name)))
		default:
			results = append(results, Id(p.Name).Id(p.Type.Go))
			returned = append(returned, Id(p.Name))
			args = append(args, Uintptr().Call(Qual("unsafe", "Pointer").Call(Op("&").Id(p.Name))))
		}
	}
	if len(m.SuccessCodes()) > 0 {
		results = append(results, Id("hr").Id("HRESULT"))
		returned = append(returned, Id("hr"))
	}
	results = append(results, Err().Error())
	returned = append(returned, Err())
	return params, results, args, returned
}

// methodDoc is the doc comment of a stub: what it calls, the spec's prose,
// and the documented codes with their OS notes, so that go doc shows all of it.
func methodDoc(m *model.Method) []Code {
	var out []Code
	line := func(s string) { out = append(out, Comment("// "+s)) }
	blank := func() { out = append(out, Comment("//")) }
	line(fmt.Sprintf("%s calls %s::%s, slot %d of the vtable.", m.Name, m.Interface.Name, m.Name, m.Slot))
	if m.Doc != "" {
		blank()
		out = append(out, docComment(m.Doc)...)
	}
	var ps []string
	for _, p := range m.Params {
		text := fmt.Sprintf("%s (%s %s): %s", p.Name, p.Dir, p.Type.C, p.Doc)
		if p.Reserved {
			text += " Passed as NULL by this method."
		}
		ps = append(ps, text)
	}
	out = append(out, listDoc("Parameters:", ps)...)
	var sc []string
	for _, r := range m.StatusCodes {
		sc = append(sc, r.Code.Name+": "+r.Meaning)
	}
	out = append(out, listDoc("Status codes delivered through the HRESULT out-parameter:", sc)...)
	var rs []string
	for _, r := range m.Returns {
		text := r.Code.Name + ": " + r.Meaning
		for _, n := range r.Notes {
			text += " " + noteText(n)
		}
		rs = append(rs, text)
	}
	out = append(out, listDoc("Documented return codes:", rs)...)
	var ns []string
	for _, n := range m.Notes {
		ns = append(ns, noteText(n))
	}
	out = append(out, listDoc("Notes:", ns)...)
	if len(m.SuccessCodes()) > 0 {
		var names []string
		for _, h := range m.SuccessCodes() {
			names = append(names, h.Name)
		}
		blank()
		out = append(out, docComment("The returned hr tells S_OK from the other documented success codes ("+strings.Join(names, ", ")+").")...)
	}
	return out
}

func noteText(n *model.Note) string {
	text := "(" + upperFirst(n.Systems()) + ": " + n.Text
	if n.ReturnsInstead != nil {
		text += " The returned error matches both codes with errors.Is."
	}
	return text + ")"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// listDoc is a Go doc list under a heading line; items wrap with a hanging indent.
func listDoc(heading string, items []string) []Code {
	if len(items) == 0 {
		return nil
	}
	out := []Code{Comment("//"), Comment("// " + heading)}
	for _, item := range items {
		for i, l := range wrap(item) {
			if l == "" {
				continue
			}
			if i == 0 {
				out = append(out, Comment("//   - "+l))
			} else {
				out = append(out, Comment("//     "+l))
			}
		}
	}
	return out
}
