package emit

import (
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Stubs emits the Windows-only bindings:
//   - com_windows.go: the helpers, each interface's IID, vtable struct (its
//     slots checked at compile time) and Go type, one Go method per COM
//     method, the DLL entry points, and the Go copies of structs;
//   - com_windows_<arch>.go for amd64, 386 and arm64: the C-layout structs
//     (their offsets checked at compile time against the layout the
//     conformance file checks against the SDK), and the methods that pass a
//     struct by value, whose argument words differ by architecture.
func Stubs(s *model.Spec, cfg Config) ([]Output, error) {
	f := newGoFile(s, cfg, "windows")
	emitRuntimeHelpers(f)
	for _, it := range s.Interfaces {
		emitInterface(f, it)
	}
	emitFunctions(f, s)
	for _, st := range s.Structs {
		emitStructCopy(f, st)
	}
	outs := []Output{}
	file, err := render("com_windows.go", f)
	if err != nil {
		return nil, err
	}
	outs = append(outs, file)
	for _, arch := range model.Arches {
		af := newGoFile(s, cfg, "")
		emitArchHelpers(af, arch)
		for _, st := range s.Structs {
			emitStructLayout(af, st, arch)
		}
		for _, m := range archMethods(s) {
			emitMethod(af, m, arch)
		}
		file, err := render("com_windows_"+string(arch)+".go", af)
		if err != nil {
			return nil, err
		}
		outs = append(outs, file)
	}
	bstr, err := verbatimFiles(s, cfg, "bstr_windows.go")
	if err != nil {
		return nil, err
	}
	return append(outs, bstr...), nil
}

// archMethods are the methods and functions whose argument words depend on
// the architecture; they live in the per-architecture files.
func archMethods(s *model.Spec) []*model.Method {
	var out []*model.Method
	for _, m := range allCallables(s) {
		if needsArch(m) {
			out = append(out, m)
		}
	}
	return out
}

func needsArch(m *model.Method) bool {
	if m.Result != nil && m.Result.Is64() {
		return true // EDX:EAX on 386, one register elsewhere
	}
	for _, p := range m.Params {
		if byValueStruct(p) || byValue64(p) {
			return true
		}
	}
	return false
}

// emitRuntimeHelpers writes what every stub shares: the running OS version
// and error construction. The BSTR functions x/sys/windows lacks are in
// _verbatim/bstr_windows.go.
func emitRuntimeHelpers(f *File) {
	f.Comment("// CurrentOSVersion is the running Windows version. It comes from")
	f.Comment("// RtlGetVersion, which, unlike GetVersionEx, is not subject to")
	f.Comment("// compatibility shims; it is read once per process.")
	// sync.Once rather than sync.OnceValue, so that the package builds with
	// Go 1.19, the last release that runs on Windows 7 and Server 2008 R2.
	f.Func().Id("CurrentOSVersion").Params().Id("OSVersion").Block(
		Id("_currentOSOnce").Dot("Do").Call(Func().Params().Block(
			Id("v").Op(":=").Qual(winPkg, "RtlGetVersion").Call(),
			Id("_currentOS").Op("=").Id("OSVersion").Values(Dict{
				Id("Major"): Id("v").Dot("MajorVersion"),
				Id("Minor"): Id("v").Dot("MinorVersion"),
				Id("Build"): Id("v").Dot("BuildNumber"),
			}),
		)),
		Return(Id("_currentOS")),
	)
	f.Var().Defs(
		Id("_currentOSOnce").Qual("sync", "Once"),
		Id("_currentOS").Id("OSVersion"),
	)
	f.Comment("// _newError reports a failed call; the running system's version decides")
	f.Comment("// which documented code the failure stands for.")
	f.Func().Id("_newError").Params(Id("m").Id("Method"), Id("hr").Id("HRESULT")).Error().Block(
		Return(Id("NewError").Call(Id("m"), Id("hr"), Id("CurrentOSVersion").Call())),
	)
	f.Comment("// _bool is a Go bool as a BOOL or boolean argument word.")
	f.Func().Id("_bool").Params(Id("b").Bool()).Uintptr().Block(
		If(Id("b")).Block(Return(Lit(1))),
		Return(Lit(0)),
	)
}

// emitArchHelpers writes the helpers that read a by-value struct as argument words.
func emitArchHelpers(f *File, arch model.Arch) {
	f.Comment("// _word32 is the i-th 4-byte word of the value at p, as an argument word.")
	f.Func().Id("_word32").Params(Id("p").Qual("unsafe", "Pointer"), Id("i").Int()).Uintptr().Block(
		Return(Uintptr().Call(Op("*").Parens(Op("*").Uint32()).Call(Qual("unsafe", "Add").Call(Id("p"), Lit(4).Op("*").Id("i"))))),
	)
	if arch == model.AMD64 {
		f.Comment("// _aligned16 is stack room for the copy of a 16-byte struct passed by value,")
		f.Comment("// which the x64 convention passes by its address and wants 16-byte aligned,")
		f.Comment("// while Go aligns a GUID to 4 bytes only.")
		f.Type().Id("_aligned16").Index(Lit(32)).Byte()
		f.Comment("// guid copies *g to the first 16-byte boundary in b and returns its address.")
		f.Func().Params(Id("b").Op("*").Id("_aligned16")).Id("guid").Params(Id("g").Op("*").Qual(winPkg, "GUID")).Qual("unsafe", "Pointer").Block(
			Id("p").Op(":=").Qual("unsafe", "Pointer").Call(Op("&").Id("b").Index(Lit(0))),
			Id("p").Op("=").Qual("unsafe", "Add").Call(Id("p"), Parens(Lit(16).Op("-").Uintptr().Call(Id("p")).Op("&").Lit(15)).Op("&").Lit(15)),
			Op("*").Parens(Op("*").Qual(winPkg, "GUID")).Call(Id("p")).Op("=").Op("*").Id("g"),
			Return(Id("p")),
		)
	}
	if arch != model.I386 {
		f.Comment("// _word64 is the i-th 8-byte word of the value at p, as an argument word.")
		f.Func().Id("_word64").Params(Id("p").Qual("unsafe", "Pointer"), Id("i").Int()).Uintptr().Block(
			Return(Uintptr().Call(Op("*").Parens(Op("*").Uint64()).Call(Qual("unsafe", "Add").Call(Id("p"), Lit(8).Op("*").Id("i"))))),
		)
	}
}

func emitInterface(f *File, it *model.Interface) {
	f.Line()
	if it.HasIID {
		emitIID(f, it)
	}
	emitVtable(f, it)
	emitInterfaceType(f, it)
	for _, m := range it.Methods {
		switch {
		case it.Builtin:
			emitIUnknownMethod(f, m)
		case !needsArch(m):
			emitMethod(f, m, "")
		}
	}
}

func emitIID(f *File, it *model.Interface) {
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
}

func emitVtable(f *File, it *model.Interface) {
	vtbl := it.Name + "Vtbl"
	f.Comment(fmt.Sprintf("// %s is the function table of %s, one pointer per slot.", vtbl, it.Name))
	f.Type().Id(vtbl).StructFunc(func(g *Group) {
		if it.Base != nil {
			g.Id(it.Base.Name + "Vtbl")
		}
		slots := it.Slots()
		for slot := it.Base.VtableSize(); slot < len(slots); slot++ {
			if m := slots[slot]; m != nil {
				g.Id(m.Name).Uintptr().Comment(fmt.Sprintf("// slot %d", m.Slot))
			} else {
				g.Id("_").Uintptr().Comment(fmt.Sprintf("// slot %d, reserved: a method the spec does not bind", slot))
			}
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
		g.Id("_").Op("=").Id("x").Index(Qual("unsafe", "Sizeof").Call(Id("vt")).Op("/").Id("ptr").Op("-").Lit(it.VtableSize()))
	})
}

func emitInterfaceType(f *File, it *model.Interface) {
	vtbl := it.Name + "Vtbl"
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
	} else if it.Secondary != nil {
		// The C++ object: the base's vtable pointer, then the secondary
		// base's. Embedding the second as a field at that offset makes its
		// promoted methods (QueryInterface, AddRef, Release) call through
		// the second pointer with this pointing at it, as C++ adjusts this.
		f.Type().Id(it.Name).Struct(
			Id(it.Base.Name),
			Id(it.Secondary.Name).Comment("// the "+it.Secondary.Name+" subobject: a second vtable pointer, after the first"),
		)
		f.Func().Params(Id("v").Op("*").Id(it.Name)).Id("vtable").Params().Op("*").Id(vtbl).Block(
			Return(Parens(Op("*").Id(vtbl)).Call(Qual("unsafe", "Pointer").Call(Id("v").Dot(it.Base.Name).Dot("lpVtbl")))),
		)
	} else if secondaryInChain(it.Base) {
		// lpVtbl is ambiguous below a secondary base: ask the base.
		f.Type().Id(it.Name).Struct(Id(it.Base.Name))
		f.Func().Params(Id("v").Op("*").Id(it.Name)).Id("vtable").Params().Op("*").Id(vtbl).Block(
			Return(Parens(Op("*").Id(vtbl)).Call(Qual("unsafe", "Pointer").Call(Id("v").Dot(it.Base.Name).Dot("vtable").Call()))),
		)
	} else {
		f.Type().Id(it.Name).Struct(Id(it.Base.Name))
		f.Func().Params(Id("v").Op("*").Id(it.Name)).Id("vtable").Params().Op("*").Id(vtbl).Block(
			Return(Parens(Op("*").Id(vtbl)).Call(Qual("unsafe", "Pointer").Call(Id("v").Dot("lpVtbl")))),
		)
	}
}

// secondaryInChain reports whether it or one of its bases has a secondary base.
func secondaryInChain(it *model.Interface) bool {
	for x := it; x != nil; x = x.Base {
		if x.Secondary != nil {
			return true
		}
	}
	return false
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

// emitMethod writes the stub of one spec method or DLL function for arch
// ("" when its arguments do not depend on it). The argument list is built
// from the spec's parameters, so its count can never disagree with them.
func emitMethod(f *File, m *model.Method, arch model.Arch) {
	for _, c := range methodDoc(m) {
		f.Add(c)
	}
	c := shapeOf(m, arch)
	var fn, target *Statement
	if m.Interface == nil {
		fn = f.Func().Id(m.Name)
		target = Id("_procAddr").Call(Id("_proc" + m.Name))
	} else {
		fn = f.Func().Params(Id("v").Op("*").Id(m.Interface.Name)).Id(m.GoMethodName())
		target = Id("v").Dot("vtable").Call().Dot(m.Name)
		c.args = append([]Code{this()}, c.args...)
	}
	keepHR := len(m.SuccessCodes()) > 0
	fn.Params(c.params...).Params(c.results...).BlockFunc(func(g *Group) {
		if m.Interface == nil {
			g.If(Err().Op("=").Id("_loadProc").Call(Id(m.ID()), Id("_proc"+m.Name)), Err().Op("!=").Nil()).Block(Return())
		}
		for _, st := range c.pre {
			g.Add(st)
		}
		call := Qual("syscall", "SyscallN").Call(append([]Code{target}, c.args...)...)
		if m.Void {
			g.Add(call)
			for _, st := range c.post {
				g.Add(st)
			}
			if len(c.results) > 0 {
				g.Return(c.returned...)
			}
			return
		}
		if m.Result != nil {
			r2 := ""
			if m.Result.Is64() && arch == model.I386 {
				r2 = "_r2"
				g.List(Id("_r"), Id(r2), Id("_")).Op(":=").Add(call)
			} else {
				g.List(Id("_r"), Id("_"), Id("_")).Op(":=").Add(call)
			}
			for _, st := range c.post {
				g.Add(st)
			}
			g.Id("ret").Op("=").Add(resultValue(m.Result, "_r", r2))
			g.Return(c.returned...)
			return
		}
		g.List(Id("_r"), Id("_"), Id("_")).Op(":=").Add(call)
		g.Id("_hr").Op(":=").Id("HRESULT").Call(Id("_r"))
		if keepHR {
			g.Id("hr").Op("=").Id("_hr")
		}
		for _, st := range c.post {
			g.Add(st)
		}
		// A failure, or a success code other than S_OK that the spec does not
		// document for the method, comes back as an *Error.
		cond := Id("_hr").Op("!=").Lit(0)
		for _, h := range m.SuccessCodes() {
			cond = cond.Op("&&").Id("_hr").Op("!=").Id(h.Name)
		}
		g.If(cond).Block(
			Err().Op("=").Id("_newError").Call(Id(m.ID()), Id("_hr")),
		)
		g.Return(c.returned...)
	})
}

// stubShape derives a stub's Go parameters and results and the arguments it
// passes after the this pointer, for code that shows signatures.
func stubShape(m *model.Method) (params, results, args, returned []Code) {
	c := shapeOf(m, model.AMD64)
	return c.params, c.results, c.args, c.returned
}

// methodDoc is the doc comment of a stub: what it calls, the spec's prose,
// and the documented codes with their OS notes, so that go doc shows all of it.
func methodDoc(m *model.Method) []Code {
	var out []Code
	line := func(s string) { out = append(out, Comment("// "+s)) }
	blank := func() { out = append(out, Comment("//")) }
	if m.Interface == nil {
		line(fmt.Sprintf("%s calls %s, exported by %s, which is loaded on first use.", m.Name, m.Name, m.DLL))
	} else {
		line(fmt.Sprintf("%s calls %s::%s, slot %d of the vtable.", m.GoMethodName(), m.Interface.Name, m.Name, m.Slot))
	}
	switch {
	case m.Result != nil && m.Interface == nil:
		line(fmt.Sprintf("It returns ret, the function's %s result, rather than an HRESULT; err only says that the function cannot be loaded.", m.ResultC()))
	case m.Result != nil:
		line(fmt.Sprintf("It returns ret, the method's %s result, rather than an HRESULT.", m.ResultC()))
	case m.Void && m.Interface != nil:
		line("The method returns nothing (void).")
	}
	if m.Doc != "" {
		blank()
		out = append(out, docComment(m.Doc)...)
	}
	var ps []string
	for _, p := range m.Params {
		text := fmt.Sprintf("%s (%s %s): %s", p.Name, p.Dir, p.Type.C, p.Doc)
		if p.Header != nil {
			text = fmt.Sprintf("%s (%s %s, declared %s): %s", p.Name, p.Dir, p.Type.C, p.Header.C, p.Doc)
		}
		if p.Reserved {
			text += " Passed as NULL by this method."
		}
		if p.Optional {
			text += " Optional: nil passes NULL."
		}
		if p.Buffer != nil {
			text = fmt.Sprintf("%s (out %s *, a buffer the callee allocates): %s Returned as a copy; the stub frees the original with %s.", p.Name, p.Type.C, p.Doc, p.Buffer.Free)
		}
		if p.LengthOf != nil {
			text += fmt.Sprintf(" Not returned: it is len(%s).", p.LengthOf.Name)
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
	if m.ReturnsUndocumented != "" {
		blank()
		out = append(out, docComment("Documented return codes: none. "+m.ReturnsUndocumented)...)
	}
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
