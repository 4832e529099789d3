package emit

// The fake COM objects of the generated Windows tests: their Go types, the
// calling conventions they decode argument words by, their vtables of
// syscall.NewCallback functions, and the structs they fill.

import (
	"fmt"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

func fakeReturn(v Code) Code {
	return Return(Id("_fakeUpper").Op("|").Uintptr().Call(v))
}

func hasUnknown(it *model.Interface) bool {
	chain := it.Chain()
	return chain[len(chain)-1].Builtin
}

func (c comTests) fakeTypes(f *File) {
	f.Comment("// The tests below call every stub through the vtable of a fake COM object")
	f.Comment("// whose entries are Go functions made callable from C with")
	f.Comment("// syscall.NewCallback, placed at the spec's slot numbers. A fake method")
	f.Comment("// receives its arguments as raw words and takes them apart with the calling")
	f.Comment("// convention of the running architecture (_fakeArgs), stated here a second")
	f.Comment("// time, independently of the stubs; the table _stubs says what each")
	f.Comment("// parameter must carry in and what the fake writes out.")
	f.Line()
	f.Comment("// Sizes the fakes need, from the spec.")
	f.Const().Defs(
		Id("_fakeSlots").Op("=").Lit(c.slots).Comment("// the size of the largest vtable"),
		Id("_fakeMaxParams").Op("=").Lit(c.params).Comment("// the most parameters a method takes, at least 1"),
		Id("_fakeMaxWords").Op("=").Lit(max(c.words, 1)).Comment("// the most argument words a call takes, this included, on any architecture"),
		Id("_fakeTargetWords").Op("=").Lit(c.targetWords).Comment("// 8-byte words in the largest struct an argument may point at"),
		Id("_fakePtrBytes").Op("=").Int().Call(Qual("unsafe", "Sizeof").Call(Uintptr().Call(Lit(0)))).Comment("// the size of SIZE_T, ULONG_PTR and the other pointer-sized integers"),
	)
	f.Comment("// _fakeUpper is set in the upper half of every word a fake method returns on")
	f.Comment("// 64-bit systems, where COM leaves it undefined for a 32-bit result: a stub")
	f.Comment("// must look at the low 32 bits only.")
	f.Const().Id("_fakeUpper").Op("=").Op("^").Uintptr().Call(Lit(0)).Op("&^").Id("0xFFFFFFFF")
	f.Comment("// COM's codes for a missing interface and a NULL pointer.")
	f.Const().Defs(
		Id("_fakeE_NOINTERFACE").Id("HRESULT").Op("=").Id(hexLit(comENoInterface)),
		Id("_fakeE_POINTER").Id("HRESULT").Op("=").Id(hexLit(comEPointer)),
	)
	f.Comment("// _fakeOtherIID is the IID of no interface of the spec.")
	f.Var().Id("_fakeOtherIID").Op("=").Add(guidLit(c.otherIID()))
	f.Comment("// _fakeZeroGUID is GUID_NULL, which reserved GUIDs carry.")
	f.Var().Id("_fakeZeroGUID").Qual(winPkg, "GUID")

	f.Comment("// _paramKind says how a parameter crosses the call, and so how the fake")
	f.Comment("// checks it (in) or writes it (out).")
	f.Type().Id("_paramKind").Int()
	f.Const().Defs(
		Id("_kindInteger").Id("_paramKind").Op("=").Iota().Comment("// an integer, enum or HRESULT of bytes bytes"),
		Id("_kindBool").Comment("// a BOOL (4 bytes) or boolean (1 byte): in, 0 or 1; out, any non-zero value is true"),
		Id("_kindWString").Comment("// a NUL-terminated UTF-16 string; out, allocated with CoTaskMemAlloc"),
		Id("_kindBSTR").Comment("// a BSTR; out, allocated with SysAllocString"),
		Id("_kindGUID").Comment("// a GUID: in, by value; out, through a pointer"),
		Id("_kindFiletime").Comment("// a FILETIME: in, by value; out, through a pointer"),
		Id("_kindPointer").Comment("// an address: an interface, an untyped pointer, or anything passed by pointer"),
		Id("_kindStruct").Comment("// a struct the object fills (out)"),
	)

	f.Comment("// _stubParam is a parameter of a method after this, with the value the test")
	f.Comment("// passes (in) or the fake object writes (out).")
	f.Type().Id("_stubParam").Struct(
		Id("name").String(),
		Id("kind").Id("_paramKind"),
		List(Id("out"), Id("reserved")).Bool(),
		Id("optional").Bool().Comment("// the caller may pass NULL: nil for a string or pointer"),
		Id("absent").Bool().Comment("// an optional parameter the test passes as nil, which must arrive as NULL"),
		Id("bytes").Int().Comment("// the C size of an integer or boolean; 8 for an address"),
		Id("word").Uint64().Comment("// an integer, enum, HRESULT, boolean (as C has it) or FILETIME (its 64 bits)"),
		Id("str").String(),
		Id("guid").Qual(winPkg, "GUID"),
		Comment("// fill writes the struct of a _kindStruct parameter at p as the object's"),
		Comment("// method would, and returns the value the stub must return for it."),
		Id("fill").Func().Params(Id("p").Qual("unsafe", "Pointer")).Any(),
		Id("frees").Bool().Comment("// the stub must free what the struct holds with the struct's free function"),
		Id("unknown").Bool().Comment("// an interface whose vtable starts with IUnknown's methods"),
	)
	f.Comment("// _stubResult is what a stub returned, its out-parameters by parameter index.")
	f.Type().Id("_stubResult").Struct(
		Id("hr").Id("HRESULT").Comment("// for stubs that return the HRESULT beside the error"),
		Id("ret").Uint64().Comment("// what a method that returns no HRESULT returned: an integer or enum, a boolean as 0 or 1"),
		Id("retPtr").Qual("unsafe", "Pointer").Comment("// ... or a pointer"),
		Id("err").Error(),
		Id("words").Index(Id("_fakeMaxParams")).Uint64().Comment("// integers, enums, HRESULTs, booleans as 0 or 1, FILETIMEs as 64 bits"),
		Id("strs").Index(Id("_fakeMaxParams")).String(),
		Id("guids").Index(Id("_fakeMaxParams")).Qual(winPkg, "GUID"),
		Id("ptrs").Index(Id("_fakeMaxParams")).Qual("unsafe", "Pointer").Comment("// interfaces and other addresses"),
		Id("values").Index(Id("_fakeMaxParams")).Any().Comment("// structs"),
	)
	f.Comment("// _stub says how the tests call one stub.")
	f.Type().Id("_stub").Struct(
		List(Id("iface"), Id("name")).String(),
		Id("slot").Int(),
		Id("params").Index().Id("_stubParam"),
		Id("keepsHR").Bool().Comment("// the stub returns the HRESULT beside the error"),
		Id("ret").Op("*").Id("_stubParam").Comment("// what the method returns in place of an HRESULT (kind and bytes); nil for an HRESULT"),
		Id("void").Bool().Comment("// the method returns nothing"),
		Comment("// call calls the stub on obj, passing the in-values of p; what the"),
		Comment("// in-parameters passed by address point at is obj.target(i)."),
		Id("call").Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Id("_stubResult"),
		Comment("// raw makes the same call with syscall.SyscallN alone, as a baseline; nil"),
		Comment("// for a stub whose arguments need converting (strings, structs, addresses)."),
		Id("raw").Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Id("HRESULT"),
	)

	f.Comment("// _fakeLow is the n low bytes of v.")
	f.Func().Id("_fakeLow").Params(Id("v").Uint64(), Id("n").Int()).Uint64().Block(
		If(Id("n").Op(">=").Lit(8)).Block(Return(Id("v"))),
		Return(Id("v").Op("&").Parens(Lit(1).Op("<<").Parens(Lit(8).Op("*").Id("n")).Op("-").Lit(1))),
	)
	f.Comment("// _fakePut writes the n low bytes of v at p: exactly the C size of the value,")
	f.Comment("// as a C callee does, so that a stub that reads more or fewer bytes than C")
	f.Comment("// writes does not see the value.")
	f.Func().Id("_fakePut").Params(Id("p").Qual("unsafe", "Pointer"), Id("v").Uint64(), Id("n").Int()).Block(
		Id("b").Op(":=").Qual("unsafe", "Slice").Call(Parens(Op("*").Byte()).Call(Id("p")), Id("n")),
		For(Id("j").Op(":=").Range().Id("b")).Block(
			Id("b").Index(Id("j")).Op("=").Byte().Call(Id("v").Op(">>").Parens(Lit(8).Op("*").Id("j"))),
		),
	)
	f.Comment("// _fakeBoolWord is b as 0 or 1.")
	f.Func().Id("_fakeBoolWord").Params(Id("b").Bool()).Uint64().Block(
		If(Id("b")).Block(Return(Lit(1))),
		Return(Lit(0)),
	)
	f.Comment("// _fakeFiletime is the FILETIME whose 64 bits are v.")
	f.Func().Id("_fakeFiletime").Params(Id("v").Uint64()).Qual(winPkg, "Filetime").Block(
		Return(Qual(winPkg, "Filetime").Values(Dict{
			Id("LowDateTime"):  Uint32().Call(Id("v")),
			Id("HighDateTime"): Uint32().Call(Id("v").Op(">>").Lit(32)),
		})),
	)
	f.Comment("// _fakeFiletimeWord is the 64 bits of ft.")
	f.Func().Id("_fakeFiletimeWord").Params(Id("ft").Qual(winPkg, "Filetime")).Uint64().Block(
		Return(Uint64().Call(Id("ft").Dot("HighDateTime")).Op("<<").Lit(32).Op("|").Uint64().Call(Id("ft").Dot("LowDateTime"))),
	)
	f.Var().Id("_fakeCoTaskMemAlloc").Op("=").Qual(winPkg, "NewLazySystemDLL").Call(Lit("ole32.dll")).Dot("NewProc").Call(Lit("CoTaskMemAlloc"))
	f.Comment("// _fakeCoTaskString allocates s as a NUL-terminated UTF-16 string with")
	f.Comment("// CoTaskMemAlloc, as COM servers hand out strings the caller frees.")
	f.Func().Id("_fakeCoTaskString").Params(Id("s").String()).Op("*").Uint16().Block(
		List(Id("u"), Err()).Op(":=").Qual(winPkg, "UTF16FromString").Call(Id("s")),
		If(Err().Op("!=").Nil()).Block(Panic(Err())),
		List(Id("r"), Id("_"), Id("_")).Op(":=").Qual("syscall", "SyscallN").Call(Id("_fakeCoTaskMemAlloc").Dot("Addr").Call(), Uintptr().Call(Lit(2).Op("*").Len(Id("u")))),
		If(Id("r").Op("==").Lit(0)).Block(Panic(Lit("CoTaskMemAlloc failed"))),
		Id("p").Op(":=").Op("*").Parens(Op("**").Uint16()).Call(unsafePtr(Op("&").Id("r"))),
		Copy(Qual("unsafe", "Slice").Call(Id("p"), Len(Id("u"))), Id("u")),
		Return(Id("p")),
	)
	f.Comment("// _fakeBSTR allocates s as a BSTR, as COM servers hand out BSTRs.")
	f.Func().Id("_fakeBSTR").Params(Id("s").String()).Op("*").Uint16().Block(
		List(Id("p"), Err()).Op(":=").Id("_sysAllocString").Call(Id("s")),
		If(Err().Op("!=").Nil()).Block(Panic(Err())),
		Return(Id("p")),
	)
	f.Comment("// _fakeBSTRText reads the BSTR s as many UTF-16 units long as oleaut32's")
	f.Comment("// SysStringLen says, so that NULs inside it count.")
	f.Func().Id("_fakeBSTRText").Params(Id("s").Op("*").Uint16()).String().Block(
		List(Id("n"), Id("_"), Id("_")).Op(":=").Qual("syscall", "SyscallN").Call(Id("_fakeSysStringLen").Dot("Addr").Call(), ptrArg(Id("s"))),
		Return(String().Call(Qual("unicode/utf16", "Decode").Call(Qual("unsafe", "Slice").Call(Id("s"), Int().Call(Uint32().Call(Id("n"))))))),
	)
	f.Var().Id("_fakeSysStringLen").Op("=").Qual(winPkg, "NewLazySystemDLL").Call(Lit("oleaut32.dll")).Dot("NewProc").Call(Lit("SysStringLen"))
	f.Comment("// _fakeStack runs f, which calls stubs on fakes, on a goroutine stack grown")
	f.Comment("// well beyond what f and the fake methods need, with the garbage collector")
	f.Comment("// off. The stubs pass the addresses of their own stack variables through")
	f.Comment("// syscall.SyscallN, which keeps them alive but does not move them to the")
	f.Comment("// heap, and a fake method is Go code that runs on the caller's goroutine")
	f.Comment("// stack: if that stack grew, or the collector shrank it, during the call, it")
	f.Comment("// would move, and the fake would write where the variables were. A COM")
	f.Comment("// object that is not Go code cannot move it.")
	f.Func().Id("_fakeStack").Params(Id("f").Func().Params()).Block(
		Defer().Qual("runtime/debug", "SetGCPercent").Call(Qual("runtime/debug", "SetGCPercent").Call(Lit(-1))),
		Id("_fakeGrowStack").Call(Lit(64)),
		Id("f").Call(),
	)
	f.Comment("// _fakeGrowStack uses n KiB of stack, which the goroutine keeps while the")
	f.Comment("// collector is off.")
	f.Comment("//")
	f.Comment("//go:noinline")
	f.Func().Id("_fakeGrowStack").Params(Id("n").Int()).Byte().Block(
		Var().Id("pad").Index(Lit(1024)).Byte(),
		If(Id("n").Op(">").Lit(0)).Block(Id("pad").Index(Id("n").Op("%").Len(Id("pad"))).Op("=").Id("_fakeGrowStack").Call(Id("n").Op("-").Lit(1))),
		Return(Id("pad").Index(Lit(0))),
	)
	f.Comment("// _fakeMemory reports whether w is the address of committed memory the")
	f.Comment("// process may read, and write too with write. The fakes check an address")
	f.Comment("// before they use it, so that a stub that passes something else where an")
	f.Comment("// address belongs fails the test rather than crashing it.")
	f.Func().Id("_fakeMemory").Params(Id("w").Uintptr(), Id("write").Bool()).Bool().Block(
		Var().Id("m").Qual(winPkg, "MemoryBasicInformation"),
		If(Id("w").Op("==").Lit(0).Op("||").Qual(winPkg, "VirtualQuery").Call(Id("w"), Op("&").Id("m"), Qual("unsafe", "Sizeof").Call(Id("m"))).Op("!=").Nil()).Block(
			Return(False()),
		),
		If(Id("m").Dot("State").Op("!=").Qual(winPkg, "MEM_COMMIT").Op("||").Id("m").Dot("Protect").Op("&").Parens(Qual(winPkg, "PAGE_GUARD").Op("|").Qual(winPkg, "PAGE_NOACCESS")).Op("!=").Lit(0)).Block(
			Return(False()),
		),
		Id("allowed").Op(":=").Uint32().Call(Qual(winPkg, "PAGE_READWRITE").Op("|").Qual(winPkg, "PAGE_WRITECOPY").Op("|").Qual(winPkg, "PAGE_EXECUTE_READWRITE").Op("|").Qual(winPkg, "PAGE_EXECUTE_WRITECOPY")),
		If(Op("!").Id("write")).Block(
			Id("allowed").Op("|=").Qual(winPkg, "PAGE_READONLY").Op("|").Qual(winPkg, "PAGE_EXECUTE_READ"),
		),
		Return(Id("m").Dot("Protect").Op("&").Id("allowed").Op("!=").Lit(0)),
	)
	f.Comment("// _fakeUTF16Len is the length of s in UTF-16 code units.")
	f.Func().Id("_fakeUTF16Len").Params(Id("s").String()).Int().Block(
		Id("n").Op(":=").Lit(0),
		For(List(Id("_"), Id("r")).Op(":=").Range().Id("s")).Block(
			Id("n").Op("+=").Qual("unicode/utf16", "RuneLen").Call(Id("r")),
		),
		Return(Id("n")),
	)
}

func (c comTests) fakeABI(f *File) {
	a := func() *Statement { return Id("a") }
	f.Comment("// _fakeArgs holds the argument words of a call and walks them with the")
	f.Comment("// calling convention of the running architecture. They differ for a GUID or")
	f.Comment("// FILETIME passed by value:")
	f.Comment("//   - amd64: a struct larger than 8 bytes goes by reference to a copy the")
	f.Comment("//     caller makes; an 8-byte one in one word;")
	f.Comment("//   - 386: the struct's bytes go as 4-byte stack words;")
	f.Comment("//   - arm64: the struct goes in one or two 8-byte words, and one that does")
	f.Comment("//     not fit in the registers left (x0-x7) goes wholly to the stack, the")
	f.Comment("//     registers left unused.")
	f.Type().Id("_fakeArgs").Struct(
		Id("w").Index(Id("_fakeMaxWords")).Uintptr(),
		Id("n").Int().Comment("// the words held"),
		Id("pos").Int().Comment("// the next word to read"),
	)
	recv := func(name string) *Statement { return Func().Params(Id("a").Op("*").Id("_fakeArgs")).Id(name) }
	f.Comment("// put appends the word w.")
	f.Add(recv("put").Params(Id("w").Uintptr()).Block(
		If(a().Dot("n").Op("==").Len(a().Dot("w"))).Block(
			Panic(Lit("a call takes more argument words than _fakeMaxWords")),
		),
		List(a().Dot("w").Index(a().Dot("n")), a().Dot("n")).Op("=").List(Id("w"), a().Dot("n").Op("+").Lit(1)),
	))
	f.Comment("// next reads a word; past the end it reads zero.")
	f.Add(recv("next").Params().Uintptr().Block(
		Id("w").Op(":=").Uintptr().Call(Lit(0)),
		If(a().Dot("pos").Op("<").Id("a").Dot("n")).Block(Id("w").Op("=").Add(a().Dot("w").Index(a().Dot("pos")))),
		a().Dot("pos").Op("++"),
		Return(Id("w")),
	))
	f.Comment("// skipToStack moves past the registers an arm64 struct of n words does not")
	f.Comment("// fit in: the struct goes to the stack instead.")
	f.Add(recv("skipToStack").Params(Id("n").Int()).Block(
		If(Qual("runtime", "GOARCH").Op("==").Lit("arm64").Op("&&").Id("a").Dot("pos").Op("<").Lit(8).Op("&&").Id("a").Dot("pos").Op("+").Id("n").Op(">").Lit(8)).Block(
			a().Dot("pos").Op("=").Lit(8),
		),
	))
	f.Comment("// guid reads a GUID passed by value; ok is false when the reference amd64")
	f.Comment("// passes is no address of readable memory.")
	f.Add(recv("guid").Params().Params(Id("g").Qual(winPkg, "GUID"), Id("ok").Bool()).Block(
		Switch(Qual("runtime", "GOARCH")).Block(
			Case(Lit("amd64")).Block(
				Id("w").Op(":=").Id("a").Dot("next").Call(),
				If(Op("!").Id("_fakeMemory").Call(Id("w"), False())).Block(Return(Id("g"), False())),
				Return(Op("*").Parens(Op("*").Qual(winPkg, "GUID")).Call(wordPtr("w")), True()),
			),
			Case(Lit("arm64")).Block(
				Id("a").Dot("skipToStack").Call(Lit(2)),
				Id("words").Op(":=").Index(Lit(2)).Uint64().Values(Uint64().Call(Id("a").Dot("next").Call()), Uint64().Call(Id("a").Dot("next").Call())),
				Return(Op("*").Parens(Op("*").Qual(winPkg, "GUID")).Call(unsafePtr(Op("&").Id("words"))), True()),
			),
		),
		Var().Id("words").Index(Lit(4)).Uint32(),
		For(Id("i").Op(":=").Range().Id("words")).Block(
			Id("words").Index(Id("i")).Op("=").Uint32().Call(Id("a").Dot("next").Call()),
		),
		Return(Op("*").Parens(Op("*").Qual(winPkg, "GUID")).Call(unsafePtr(Op("&").Id("words"))), True()),
	))
	f.Comment("// filetime reads a FILETIME passed by value, as its 64 bits.")
	f.Add(recv("filetime").Params().Uint64().Block(
		If(Qual("runtime", "GOARCH").Op("==").Lit("386")).Block(
			Id("low").Op(":=").Uint64().Call(Uint32().Call(Id("a").Dot("next").Call())),
			Return(Id("low").Op("|").Uint64().Call(Uint32().Call(Id("a").Dot("next").Call())).Op("<<").Lit(32)),
		),
		Return(Uint64().Call(Id("a").Dot("next").Call())),
	))
	f.Comment("// _fakeGUIDCopies holds the copies of GUIDs putGUID passes by reference on")
	f.Comment("// amd64, one per argument word, off the stack, which may move.")
	f.Var().Id("_fakeGUIDCopies").Index(Parens(Id("_fakeMaxWords").Op("+").Lit(1)).Op("*").Lit(16)).Byte()
	f.Comment("// putGUID appends the words of *g passed by value. On amd64 that is the")
	f.Comment("// address of a copy, 16-byte aligned as the convention requires.")
	f.Add(recv("putGUID").Params(Id("g").Op("*").Qual(winPkg, "GUID")).Block(
		Switch(Qual("runtime", "GOARCH")).Block(
			Case(Lit("amd64")).Block(
				Id("p").Op(":=").Qual("unsafe", "Pointer").Call(Op("&").Id("_fakeGUIDCopies").Index(Lit(0))),
				Id("p").Op("=").Qual("unsafe", "Add").Call(Id("p"), Parens(Lit(16).Op("-").Uintptr().Call(Id("p")).Op("&").Lit(15)).Op("&").Lit(15).Op("+").Lit(16).Op("*").Uintptr().Call(Id("a").Dot("n"))),
				Op("*").Parens(Op("*").Qual(winPkg, "GUID")).Call(Id("p")).Op("=").Op("*").Id("g"),
				Id("a").Dot("put").Call(Uintptr().Call(Id("p"))),
				Return(),
			),
			Case(Lit("arm64")).Block(
				For(Id("a").Dot("n").Op("<").Lit(8).Op("&&").Id("a").Dot("n").Op("+").Lit(2).Op(">").Lit(8)).Block(
					Id("a").Dot("put").Call(Lit(0)),
				),
				For(List(Id("_"), Id("w")).Op(":=").Range().Op("*").Parens(Op("*").Index(Lit(2)).Uint64()).Call(unsafePtr(Id("g")))).Block(
					Id("a").Dot("put").Call(Uintptr().Call(Id("w"))),
				),
				Return(),
			),
		),
		For(List(Id("_"), Id("w")).Op(":=").Range().Op("*").Parens(Op("*").Index(Lit(4)).Uint32()).Call(unsafePtr(Id("g")))).Block(
			Id("a").Dot("put").Call(Uintptr().Call(Id("w"))),
		),
	))
	f.Comment("// putFiletime appends a FILETIME passed by value, given as its 64 bits.")
	f.Add(recv("putFiletime").Params(Id("v").Uint64()).Block(
		If(Qual("runtime", "GOARCH").Op("==").Lit("386")).Block(
			Id("a").Dot("put").Call(Uintptr().Call(Uint32().Call(Id("v")))),
			Id("a").Dot("put").Call(Uintptr().Call(Uint32().Call(Id("v").Op(">>").Lit(32)))),
			Return(),
		),
		Id("a").Dot("put").Call(Uintptr().Call(Id("v"))),
	))
	f.Comment("// _fakeWords is how many argument words a method with these parameters")
	f.Comment("// takes on the running architecture, this included.")
	f.Func().Id("_fakeWords").Params(Id("params").Index().Id("_stubParam")).Int().Block(
		Var().Id("a").Id("_fakeArgs"),
		Id("a").Dot("put").Call(Lit(0)),
		For(List(Id("_"), Id("p")).Op(":=").Range().Id("params")).Block(
			Switch().Block(
				Case(Op("!").Id("p").Dot("out").Op("&&").Id("p").Dot("kind").Op("==").Id("_kindGUID")).Block(
					Id("a").Dot("putGUID").Call(Op("&").Id("_fakeZeroGUID")),
				),
				Case(Op("!").Id("p").Dot("out").Op("&&").Id("p").Dot("kind").Op("==").Id("_kindFiletime")).Block(
					Id("a").Dot("putFiletime").Call(Lit(0)),
				),
				Default().Block(Id("a").Dot("put").Call(Lit(0))),
			),
		),
		Return(Id("a").Dot("n")),
	)
}

func (c comTests) fakeObject(f *File) {
	o := func() *Statement { return Id("o") }
	f.Comment("// _fakeInterface is an interface as the fakes implement it.")
	f.Type().Id("_fakeInterface").Struct(
		Id("name").String(),
		Id("methods").Index().Id("Method").Comment("// by slot"),
		Id("iids").Index().Qual(winPkg, "GUID").Comment("// what QueryInterface grants: the IIDs of the interface and its bases"),
		Id("unknown").Bool().Comment("// the vtable starts with IUnknown's methods"),
	)
	f.Comment("// _fakeInterfaces lists every interface of the spec.")
	f.Var().Id("_fakeInterfaces").Op("=").Index().Id("_fakeInterface").ValuesFunc(func(g *Group) {
		for _, it := range c.s.Interfaces {
			d := Dict{
				Id("name"): Lit(it.Name),
				Id("methods"): Index().Id("Method").ValuesFunc(func(v *Group) {
					for _, m := range it.Slots() {
						if m == nil {
							v.Lit(0) // a reserved slot, which no stub calls
						} else {
							v.Id(m.ID())
						}
					}
				}),
			}
			var iids []Code
			for _, x := range it.Chain() {
				if x.HasIID {
					iids = append(iids, Id("IID_"+x.Name))
				}
			}
			if len(iids) > 0 {
				d[Id("iids")] = Index().Qual(winPkg, "GUID").Values(iids...)
			}
			if hasUnknown(it) {
				d[Id("unknown")] = True()
			}
			g.Line().Values(d)
		}
		g.Line()
	})

	f.Comment("// _fakeObject is a COM object made in Go: its first word points at a vtable,")
	f.Comment("// as COM's binary layout requires, and the rest is the fake's state. A test")
	f.Comment("// sets what the methods answer; the methods record what reached them.")
	f.Type().Id("_fakeObject").Struct(
		Id("lpVtbl").Op("*").Uintptr(),
		Id("vtbl").Index().Uintptr().Comment("// the vtable lpVtbl points into"),
		Id("iface").Op("*").Id("_fakeInterface"),
		Id("refs").Uint32(),
		Line(),
		Id("result").Id("HRESULT").Comment("// what every method but IUnknown's returns"),
		Id("ret").Uint64().Comment("// what a method that returns no HRESULT returns instead, the bits above its C size included"),
		Id("retTarget").Index(Lit(2)).Uint64().Comment("// what a method that returns a pointer returns the address of"),
		Id("values").Map(Id("Method")).Index().Id("_stubParam").Comment("// parameter values in place of those of _stubs, by method"),
		Id("hook").Func().Params(Id("m").Id("Method")).Comment("// called first by every method but IUnknown's"),
		Line(),
		Id("calls").Index(Id("_fakeSlots")).Int().Comment("// calls per vtable slot"),
		Id("args").Id("_fakeArgs").Comment("// the words the last call received, this first"),
		Id("argWords").Index(Id("_fakeMaxParams")).Uintptr().Comment("// the first word of each parameter in the last call"),
		Id("filled").Index(Id("_fakeMaxParams")).Any().Comment("// what the structs the last call filled must come back as"),
		Id("allocs").Index(Id("_fakeMaxParams")).Index().Uintptr().Comment("// the task-allocator blocks of the strings the last call wrote out"),
		Id("problems").Index().String().Comment("// what arrived wrong, for the test to report"),
		Line(),
		Id("targets").Index(Id("_fakeMaxParams")).Index(Id("_fakeTargetWords")).Uint64().Comment("// what address parameters point at, by parameter index"),
	)
	recv := func(name string) *Statement { return Func().Params(Id("o").Op("*").Id("_fakeObject")).Id(name) }
	f.Comment("// target is the address parameter i passes in or the object writes out.")
	f.Add(recv("target").Params(Id("i").Int()).Qual("unsafe", "Pointer").Block(
		Return(unsafePtr(Op("&").Add(o().Dot("targets").Index(Id("i"))))),
	))
	f.Comment("// in is the address in-parameter i passes: nil when the test passes it as")
	f.Comment("// absent, else target(i).")
	f.Add(recv("in").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam")).Qual("unsafe", "Pointer").Block(
		If(Id("p").Dot("absent")).Block(Return(Nil())),
		Return(o().Dot("target").Call(Id("i"))),
	))
	f.Comment("// _fakeOptional is the *string the test passes for an optional string: nil")
	f.Comment("// when the test passes it as absent.")
	f.Func().Id("_fakeOptional").Params(Id("p").Op("*").Id("_stubParam")).Op("*").String().Block(
		If(Id("p").Dot("absent")).Block(Return(Nil())),
		Return(Op("&").Id("p").Dot("str")),
	)
	f.Comment("// problemf records something that arrived wrong.")
	f.Add(recv("problemf").Params(Id("format").String(), Id("args").Op("...").Any()).Block(
		o().Dot("problems").Op("=").Append(o().Dot("problems"), Qual("fmt", "Sprintf").Call(Id("format"), Id("args").Op("..."))),
	))
	f.Comment("// call is every method but IUnknown's: it records the call, checks the")
	f.Comment("// in-parameters against the table and, when it succeeds, writes the")
	f.Comment("// out-parameters.")
	f.Add(recv("call").Params(Id("slot").Int(), Id("args").Op("...").Uintptr()).Uintptr().Block(
		o().Dot("calls").Index(Id("slot")).Op("++"),
		o().Dot("args").Op("=").Id("_fakeArgs").Values(),
		o().Dot("args").Dot("put").Call(Uintptr().Call(unsafePtr(Id("o")))),
		For(List(Id("_"), Id("w")).Op(":=").Range().Id("args")).Block(o().Dot("args").Dot("put").Call(Id("w"))),
		o().Dot("args").Dot("pos").Op("=").Lit(1),
		Id("m").Op(":=").Add(o().Dot("iface").Dot("methods").Index(Id("slot"))),
		If(o().Dot("hook").Op("!=").Nil()).Block(o().Dot("hook").Call(Id("m"))),
		Id("params").Op(":=").Id("_stubs").Index(Id("m")).Dot("params"),
		If(List(Id("v"), Id("ok")).Op(":=").Add(o().Dot("values").Index(Id("m"))), Id("ok")).Block(Id("params").Op("=").Id("v")),
		For(Id("i").Op(":=").Range().Id("params")).Block(
			o().Dot("receive").Call(Id("i"), Op("&").Id("params").Index(Id("i"))),
		),
		Id("st").Op(":=").Id("_stubs").Index(Id("m")),
		Switch().Block(
			Case(Id("st").Dot("ret").Op("!=").Nil().Op("&&").Id("st").Dot("ret").Dot("kind").Op("==").Id("_kindPointer")).Block(
				Return(Uintptr().Call(unsafePtr(Op("&").Add(o().Dot("retTarget"))))),
			),
			Case(Id("st").Dot("ret").Op("!=").Nil().Op("||").Id("st").Dot("void")).Block(
				Comment("// The bits above the result's C size are set: the stub must ignore them,"),
				Comment("// and a void method's stub must ignore the whole register."),
				Return(Uintptr().Call(o().Dot("ret"))),
			),
		),
		fakeReturn(o().Dot("result")),
	))

	n := Id("i").Op("+").Lit(1) // parameters count from 1, after this
	p := func(field string) *Statement { return Id("p").Dot(field) }
	f.Comment("// receive takes parameter i from the call's words: it checks an in-value, and")
	f.Comment("// writes an out-value when the call succeeds.")
	f.Add(recv("receive").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam")).Block(
		If(Op("!").Add(p("out")).Op("&&").Parens(p("kind").Op("==").Id("_kindGUID").Op("||").Add(p("kind")).Op("==").Id("_kindFiletime").Op("||").Add(p("kind")).Op("==").Id("_kindInteger").Op("&&").Add(p("bytes")).Op("==").Lit(8))).Block(
			o().Dot("receiveByValue").Call(Id("i"), Id("p")),
			Return(),
		),
		Id("w").Op(":=").Add(o().Dot("args").Dot("next").Call()),
		o().Dot("argWords").Index(Id("i")).Op("=").Id("w"),
		Switch().Block(
			Case(p("reserved").Op("&&").Add(p("out"))).Block(
				If(Id("w").Op("!=").Lit(0)).Block(
					problemf("reserved parameter %d (%s) arrived as %#x, want NULL", n.Clone(), p("name"), Id("w")),
				),
			),
			Case(p("reserved")).Block(
				If(Id("got").Op(":=").Id("_fakeLow").Call(Uint64().Call(Id("w")), p("bytes")), Id("got").Op("!=").Lit(0)).Block(
					problemf("reserved parameter %d (%s) arrived as %#x, want 0", n.Clone(), p("name"), Id("got")),
				),
			),
			Case(p("out").Op("&&").Id("w").Op("==").Lit(0)).Block(
				problemf("out-parameter %d (%s) arrived as NULL", n.Clone(), p("name")),
			),
			Case(p("out").Op("&&").Op("!").Id("_fakeMemory").Call(Id("w"), True())).Block(
				problemf("out-parameter %d (%s) arrived as %#x, which is no address the object can write to", n.Clone(), p("name"), Id("w")),
			),
			Case(p("out")).Block(
				If(Op("!").Add(o().Dot("result").Dot("Failed").Call())).Block(
					o().Dot("write").Call(Id("i"), Id("p"), wordPtr("w")),
				),
			),
			Default().Block(o().Dot("check").Call(Id("i"), Id("p"), Id("w"))),
		),
	))
	f.Comment("// receiveByValue takes a GUID, FILETIME or 64-bit integer passed by value")
	f.Comment("// and compares it with the value the test passed, or with zero for a")
	f.Comment("// reserved one. A FILETIME and a 64-bit integer take the same words: two")
	f.Comment("// on 386, low half first, and one elsewhere.")
	f.Add(recv("receiveByValue").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam")).Block(
		If(p("kind").Op("!=").Id("_kindGUID")).Block(
			Id("want").Op(":=").Add(p("word")),
			If(p("reserved")).Block(Id("want").Op("=").Lit(0)),
			Id("what").Op(":=").Lit("FILETIME"),
			If(p("kind").Op("==").Id("_kindInteger")).Block(Id("what").Op("=").Lit("64-bit integer")),
			If(Id("got").Op(":=").Add(o().Dot("args").Dot("filetime").Call()), Id("got").Op("!=").Id("want")).Block(
				problemf("parameter %d (%s) arrived as %s %#x, want %#x", n.Clone(), p("name"), Id("what"), Id("got"), Id("want")),
			),
			Return(),
		),
		Id("want").Op(":=").Add(p("guid")),
		If(p("reserved")).Block(Id("want").Op("=").Qual(winPkg, "GUID").Values()),
		o().Dot("args").Dot("skipToStack").Call(Lit(2)),
		o().Dot("argWords").Index(Id("i")).Op("=").Add(o().Dot("args").Dot("w").Index(Min(o().Dot("args").Dot("pos"), Len(o().Dot("args").Dot("w")).Op("-").Lit(1)))),
		List(Id("got"), Id("ok")).Op(":=").Add(o().Dot("args").Dot("guid").Call()),
		Switch().Block(
			Case(Op("!").Id("ok").Op("&&").Add(o().Dot("argWords").Index(Id("i"))).Op("==").Lit(0)).Block(
				problemf("parameter %d (%s) arrived as NULL, want a reference to a copy of %v", n.Clone(), p("name"), Id("want")),
			),
			Case(Op("!").Id("ok")).Block(
				problemf("parameter %d (%s) arrived as %#x, which is no reference to a copy of %v", n.Clone(), p("name"), o().Dot("argWords").Index(Id("i")), Id("want")),
			),
			Case(Id("got").Op("!=").Id("want")).Block(
				problemf("parameter %d (%s) arrived as %v, want %v", n.Clone(), p("name"), Id("got"), Id("want")),
			),
			Case(Qual("runtime", "GOARCH").Op("==").Lit("amd64").Op("&&").Add(o().Dot("argWords").Index(Id("i"))).Op("%").Lit(16).Op("!=").Lit(0)).Block(
				problemf("parameter %d (%s) arrived as a reference to %#x, which is not 16-byte aligned as the x64 convention requires of the copy", n.Clone(), p("name"), o().Dot("argWords").Index(Id("i"))),
			),
		),
	))
	f.Comment("// check compares in-parameter i, which arrived as the word w, with the value")
	f.Comment("// the test passed.")
	f.Add(recv("check").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam"), Id("w").Uintptr()).Block(
		If(p("absent")).Block(
			If(Id("w").Op("!=").Lit(0)).Block(
				problemf("optional parameter %d (%s), passed as nil, arrived as %#x, want NULL", n.Clone(), p("name"), Id("w")),
			),
			Return(),
		),
		Switch(p("kind")).Block(
			Case(Id("_kindInteger")).Block(
				If(List(Id("got"), Id("want")).Op(":=").List(
					Id("_fakeLow").Call(Uint64().Call(Id("w")), p("bytes")),
					Id("_fakeLow").Call(p("word"), p("bytes")),
				), Id("got").Op("!=").Id("want")).Block(
					problemf("parameter %d (%s) arrived as %#x, want %#x", n.Clone(), p("name"), Id("got"), Id("want")),
				),
			),
			Case(Id("_kindBool")).Block(
				Id("want").Op(":=").Id("_fakeBoolWord").Call(p("word").Op("!=").Lit(0)),
				If(Id("got").Op(":=").Id("_fakeLow").Call(Uint64().Call(Id("w")), p("bytes")), Id("got").Op("!=").Id("want")).Block(
					problemf("boolean parameter %d (%s) arrived as %#x, want %d", n.Clone(), p("name"), Id("got"), Id("want")),
				),
			),
			Case(Id("_kindWString"), Id("_kindBSTR")).Block(
				Id("s").Op(":=").Parens(Op("*").Uint16()).Call(wordPtr("w")),
				If(Id("s").Op("==").Nil()).Block(
					problemf("parameter %d (%s) arrived as NULL, want %q", n.Clone(), p("name"), p("str")),
					Return(),
				),
				If(Op("!").Id("_fakeMemory").Call(Id("w"), False())).Block(
					problemf("parameter %d (%s) arrived as %#x, which is no address of a string", n.Clone(), p("name"), Id("w")),
					Return(),
				),
				Id("got").Op(":=").Qual(winPkg, "UTF16PtrToString").Call(Id("s")),
				Comment("// A BSTR is read by its length prefix, NULs and all."),
				If(p("kind").Op("==").Id("_kindBSTR")).Block(Id("got").Op("=").Id("_fakeBSTRText").Call(Id("s"))),
				If(Id("got").Op("!=").Add(p("str"))).Block(
					problemf("parameter %d (%s) arrived as %q, want %q", n.Clone(), p("name"), Id("got"), p("str")),
					Return(),
				),
				Comment("// A BSTR has its length in bytes in the 4 bytes before the text."),
				If(p("kind").Op("==").Id("_kindBSTR")).Block(
					Id("length").Op(":=").Op("*").Parens(Op("*").Uint32()).Call(Qual("unsafe", "Add").Call(unsafePtr(Id("s")), Lit(-4))),
					If(Id("want").Op(":=").Uint32().Call(Lit(2).Op("*").Id("_fakeUTF16Len").Call(p("str"))), Id("length").Op("!=").Id("want")).Block(
						problemf("parameter %d (%s) arrived with BSTR length %d, want %d: it is no BSTR", n.Clone(), p("name"), Id("length"), Id("want")),
					),
				),
			),
			Case(Id("_kindPointer")).Block(
				If(Id("want").Op(":=").Uintptr().Call(o().Dot("target").Call(Id("i"))), Id("w").Op("!=").Id("want")).Block(
					problemf("parameter %d (%s) arrived as %#x, want the address %#x the test passed", n.Clone(), p("name"), Id("w"), Id("want")),
				),
			),
		),
	))
	f.Comment("// write writes out-parameter i at ptr as the object's method would.")
	f.Add(recv("write").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam"), Id("ptr").Qual("unsafe", "Pointer")).Block(
		Switch(p("kind")).Block(
			Case(Id("_kindInteger"), Id("_kindBool")).Block(Id("_fakePut").Call(Id("ptr"), p("word"), p("bytes"))),
			Case(Id("_kindFiletime")).Block(Id("_fakePut").Call(Id("ptr"), p("word"), Lit(8))),
			Case(Id("_kindGUID")).Block(Op("*").Parens(Op("*").Qual(winPkg, "GUID")).Call(Id("ptr")).Op("=").Add(p("guid"))),
			Case(Id("_kindWString")).Block(o().Dot("allocs").Index(Id("i")).Op("=").Id("_spyAllocated").Call(Func().Params().Block(
				Op("*").Parens(Op("**").Uint16()).Call(Id("ptr")).Op("=").Id("_fakeCoTaskString").Call(p("str")),
			))),
			Case(Id("_kindBSTR")).Block(o().Dot("allocs").Index(Id("i")).Op("=").Id("_spyAllocated").Call(Func().Params().Block(
				Op("*").Parens(Op("**").Uint16()).Call(Id("ptr")).Op("=").Id("_fakeBSTR").Call(p("str")),
			))),
			Case(Id("_kindPointer")).Block(Op("*").Parens(Op("*").Qual("unsafe", "Pointer")).Call(Id("ptr")).Op("=").Add(o().Dot("target").Call(Id("i")))),
			Case(Id("_kindStruct")).Block(o().Dot("allocs").Index(Id("i")).Op("=").Id("_spyAllocated").Call(Func().Params().Block(
				o().Dot("filled").Index(Id("i")).Op("=").Add(p("fill")).Call(Id("ptr")),
			))),
		),
	))

	this := func() *Statement { return Id("this").Op("*").Id("_fakeObject") }
	f.Comment("// IUnknown's methods: QueryInterface grants the object's IIDs, AddRef and")
	f.Comment("// Release count references.")
	f.Func().Id("_fakeQueryInterface").Params(this(), Id("riid").Op("*").Qual(winPkg, "GUID"), Id("ppvObject").Op("*").Qual("unsafe", "Pointer")).Uintptr().Block(
		Id("this").Dot("calls").Index(Lit(0)).Op("++"),
		If(Id("ppvObject").Op("==").Nil()).Block(fakeReturn(Id("_fakeE_POINTER"))),
		Op("*").Id("ppvObject").Op("=").Nil(),
		If(Id("riid").Op("==").Nil().Op("||").Op("!").Qual("slices", "Contains").Call(Id("this").Dot("iface").Dot("iids"), Op("*").Id("riid"))).Block(
			fakeReturn(Id("_fakeE_NOINTERFACE")),
		),
		Op("*").Id("ppvObject").Op("=").Add(unsafePtr(Id("this"))),
		Id("this").Dot("refs").Op("++"),
		fakeReturn(Lit(0)),
	)
	f.Func().Id("_fakeAddRef").Params(this()).Uintptr().Block(
		Id("this").Dot("calls").Index(Lit(1)).Op("++"),
		Id("this").Dot("refs").Op("++"),
		fakeReturn(Id("this").Dot("refs")),
	)
	f.Func().Id("_fakeRelease").Params(this()).Uintptr().Block(
		Id("this").Dot("calls").Index(Lit(2)).Op("++"),
		Id("this").Dot("refs").Op("--"),
		fakeReturn(Id("this").Dot("refs")),
	)
}

func (c comTests) fakeVtables(f *File) {
	f.Comment("// _fakeCallback makes the vtable entry for slot of a method that takes words")
	f.Comment("// argument words, this included: a callback with that many word parameters,")
	f.Comment("// as a stdcall callee on 386 must pop exactly what the caller pushed.")
	f.Func().Id("_fakeCallback").Params(List(Id("slot"), Id("words")).Int()).Uintptr().Block(
		Switch(Id("words")).BlockFunc(func(g *Group) {
			for n := 1; n <= max(c.words, 1); n++ {
				params := []Code{Id("this").Op("*").Id("_fakeObject")}
				args := []Code{Id("slot")}
				for j := 1; j < n; j++ {
					params = append(params, Id(fmt.Sprintf("a%d", j)).Uintptr())
					args = append(args, Id(fmt.Sprintf("a%d", j)))
				}
				g.Case(Lit(n)).Block(Return(Qual("syscall", "NewCallback").Call(
					Func().Params(params...).Uintptr().Block(Return(Id("this").Dot("call").Call(args...))),
				)))
			}
		}),
		Panic(Qual("fmt", "Sprintf").Call(Lit("the method at slot %d takes %d argument words, more than _fakeMaxWords"), Id("slot"), Id("words"))),
	)
	f.Comment("// _fakeCallbacks counts the callbacks the fakes made; syscall.NewCallback")
	f.Comment("// makes at most about 2000 per process.")
	f.Var().Id("_fakeCallbacks").Int()
	f.Comment("// _fakeVtables holds one vtable per interface, made on first use.")
	f.Comment("// syscall.NewCallback makes at most about 2000 callbacks per process and")
	f.Comment("// never frees them, so each is made once: IUnknown's three, and one per")
	f.Comment("// slot and word count, shared by every interface and every fake.")
	f.Var().Id("_fakeVtables").Op("=").Qual("sync", "OnceValue").Call(Func().Params().Map(String()).Index().Uintptr().Block(
		Id("unknown").Op(":=").Map(Id("Method")).Uintptr().Values(Dict{
			Id("IUnknown_QueryInterface"): Qual("syscall", "NewCallback").Call(Id("_fakeQueryInterface")),
			Id("IUnknown_AddRef"):         Qual("syscall", "NewCallback").Call(Id("_fakeAddRef")),
			Id("IUnknown_Release"):        Qual("syscall", "NewCallback").Call(Id("_fakeRelease")),
		}),
		Id("shared").Op(":=").Map(Index(Lit(2)).Int()).Uintptr().Values(),
		Id("vtables").Op(":=").Map(String()).Index().Uintptr().Values(),
		For(List(Id("_"), Id("it")).Op(":=").Range().Id("_fakeInterfaces")).Block(
			Id("vt").Op(":=").Make(Index().Uintptr(), Len(Id("it").Dot("methods"))),
			For(List(Id("slot"), Id("m")).Op(":=").Range().Id("it").Dot("methods")).BlockFunc(func(g *Group) {
				if c.reserved {
					g.If(Id("m").Op("==").Lit(0)).Block(
						Continue().Comment("// a reserved slot: nothing calls it"),
					)
				}
				g.If(List(Id("cb"), Id("ok")).Op(":=").Id("unknown").Index(Id("m")), Id("ok")).Block(
					Id("vt").Index(Id("slot")).Op("=").Id("cb"),
					Continue(),
				)
				g.Id("key").Op(":=").Index(Lit(2)).Int().Values(Id("slot"), Id("_fakeWords").Call(Id("_stubs").Index(Id("m")).Dot("params")))
				g.If(Id("shared").Index(Id("key")).Op("==").Lit(0)).Block(
					Id("shared").Index(Id("key")).Op("=").Id("_fakeCallback").Call(Id("key").Index(Lit(0)), Id("key").Index(Lit(1))),
				)
				g.Id("vt").Index(Id("slot")).Op("=").Id("shared").Index(Id("key"))
			}),
			Id("vtables").Index(Id("it").Dot("name")).Op("=").Id("vt"),
		),
		Id("_fakeCallbacks").Op("=").Len(Id("unknown")).Op("+").Len(Id("shared")),
		Return(Id("vtables")),
	))
	f.Comment("// _newFake makes an object of the named interface holding one reference.")
	f.Func().Id("_newFake").Params(Id("iface").String()).Op("*").Id("_fakeObject").Block(
		For(Id("i").Op(":=").Range().Id("_fakeInterfaces")).Block(
			If(Id("it").Op(":=").Op("&").Id("_fakeInterfaces").Index(Id("i")), Id("it").Dot("name").Op("==").Id("iface")).Block(
				Id("vt").Op(":=").Id("_fakeVtables").Call().Index(Id("iface")),
				Return(Op("&").Id("_fakeObject").Values(Dict{
					Id("lpVtbl"): Op("&").Id("vt").Index(Lit(0)),
					Id("vtbl"):   Id("vt"),
					Id("iface"):  Id("it"),
					Id("refs"):   Lit(1),
				})),
			),
		),
		Panic(Lit("no interface ").Op("+").Id("iface")),
	)
}

func (c comTests) filledStructs() []*model.Struct {
	var out []*model.Struct
	seen := map[*model.Struct]bool{}
	for _, m := range append(append([]*model.Method{}, c.stubbed...), c.functions...) {
		for _, p := range m.Params {
			if testKind(p) == "_kindStruct" && p.Dir == model.Out && !p.Reserved && !seen[p.Type.Struct] {
				seen[p.Type.Struct] = true
				out = append(out, p.Type.Struct)
			}
		}
	}
	return out
}

func (c comTests) structFakes(f *File) {
	for _, st := range c.filledStructs() {
		c.fill(f, st)
	}
	f.Comment("// _fakeFreed records the structs the fake free functions were given.")
	f.Var().Id("_fakeFreed").Index().Uintptr()
	f.Comment("// _fakeFrees puts fakes in place of the functions the stubs free structs")
	f.Comment("// with, until tb ends: the fakes record the struct they get in _fakeFreed")
	f.Comment("// and free its strings as the DLL function does. The DLL is not needed, and")
	f.Comment("// the test sees which struct was freed.")
	f.Func().Id("_fakeFrees").Params(Id("tb").Qual("testing", "TB")).BlockFunc(func(g *Group) {
		g.Id("_fakeFreed").Op("=").Nil()
		for _, st := range c.s.Structs {
			if !st.Frees() {
				continue
			}
			v := freeVar(st)
			if st.Free == nil {
				// The fields' frees are the real CoTaskMemFree and
				// SysFreeString: the fake records the struct and calls
				// them, and the task allocator's spy counts the frees.
				g.Block(
					Id("saved").Op(":=").Id(v),
					Id("tb").Dot("Cleanup").Call(Func().Params().Block(Id(v).Op("=").Id("saved"))),
					Id(v).Op("=").Func().Params(Id("p").Op("*").Id(st.Name)).Error().Block(
						Id("_fakeFreed").Op("=").Append(Id("_fakeFreed"), Uintptr().Call(unsafePtr(Id("p")))),
						Return(Id("saved").Call(Id("p"))),
					),
				)
				continue
			}
			g.Block(
				Id("saved").Op(":=").Id(v),
				Id("tb").Dot("Cleanup").Call(Func().Params().Block(Id(v).Op("=").Id("saved"))),
				Id(v).Op("=").Func().Params(Id("p").Op("*").Id(st.Name)).Error().BlockFunc(func(b *Group) {
					b.Id("_fakeFreed").Op("=").Append(Id("_fakeFreed"), Uintptr().Call(unsafePtr(Id("p"))))
					for _, fld := range st.Fields {
						switch fld.Type.Kind {
						case model.WString:
							b.Qual(winPkg, "CoTaskMemFree").Call(unsafePtr(Id("p").Dot(fld.GoName)))
						case model.BSTRKind:
							b.Id("_sysFreeString").Call(Id("p").Dot(fld.GoName))
						}
					}
					b.Return(Nil())
				}),
			)
		}
	})
}

func (c comTests) fill(f *File, st *model.Struct) {
	raw, goCopy := Dict{}, Dict{}
	if !st.Union {
		for j, fld := range st.Fields {
			c.fieldValue(st, j, fld, raw, goCopy)
		}
	}
	name := "_fakeFill_" + st.Name
	f.Comment(fmt.Sprintf("// %s fills the %s at p as a COM server would, its", name, st.Name))
	f.Comment("// strings newly allocated, and returns what the stub must return for it.")
	f.Func().Id(name).Params(Id("p").Qual("unsafe", "Pointer")).Any().BlockFunc(func(g *Group) {
		g.Id("s").Op(":=").Parens(Op("*").Id(st.Name)).Call(Id("p"))
		g.Op("*").Id("s").Op("=").Id(st.Name).Values(raw)
		if st.GoName != "" {
			g.Return(Id(st.GoName).Values(goCopy))
		} else {
			g.Return(Op("*").Id("s"))
		}
	})
}

func (c comTests) fieldValue(st *model.Struct, j int, fld *model.Field, raw, goCopy Dict) {
	t := fld.Type
	key := Id(fld.GoName)
	text := fmt.Sprintf("%s.%s: \u00fc\u20ac\U0001D11E", st.Name, fld.Name)
	small := uint64(0x5C000000 | j)
	switch t.Kind {
	case model.Integer, model.Status, model.EnumKind:
		v := small
		switch {
		case t.PtrSized:
			// 32 bits, which every architecture's uintptr and int hold.
		case t.Bytes == 8:
			v |= 0x01D5000000000000
		case t.Bytes < 4:
			v &= 1<<(8*t.Bytes-1) - 1
		}
		lit := Id(t.Go).Call(Id(fmt.Sprintf("0x%X", v)))
		raw[key], goCopy[key] = lit, lit
	case model.Boolean:
		raw[key], goCopy[key] = Lit(1), True()
	case model.GUIDKind:
		g := guidLit(model.GUID{Data1: uint32(small), Data2: 0x5C01, Data3: 0x5C02, Data4: [8]byte{0x5C, byte(j), 2, 3, 4, 5, 6, 7}})
		raw[key], goCopy[key] = g, g
	case model.Filetime:
		ft := Qual(winPkg, "Filetime").Values(Dict{
			Id("LowDateTime"):  Id(fmt.Sprintf("0x%X", small)),
			Id("HighDateTime"): Id(fmt.Sprintf("0x%X", 0x01D50000|j)),
		})
		raw[key], goCopy[key] = ft, ft
	case model.WString:
		raw[key], goCopy[key] = Id("_fakeCoTaskString").Call(Lit(text)), Lit(text)
	case model.BSTRKind:
		raw[key], goCopy[key] = Id("_fakeBSTR").Call(Lit(text)), Lit(text)
	}
}
