package emit

import (
	"fmt"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// COMTests emits com_windows_test.go: tests that call every stub through
// the vtable of a fake COM object. The vtable entries are Go functions made
// callable from C with syscall.NewCallback; they take their arguments as
// raw words and take them apart with the calling convention of the running
// architecture, stated a second time in the test file, independently of the
// stubs' emitter. What each parameter must carry in and what the fake writes
// out comes from a table built from the model. So a stub that calls the
// wrong slot, drops, reorders or garbles an argument, lays out a GUID passed
// by value wrongly, passes a reserved parameter that is not zero, reads an
// out-value with the wrong size, loses a success code, an out-parameter or
// the identity of a failure, does not free what it must, or touches the
// reference count, fails here. They run on Windows and under Wine; a harness
// that sets VSSGEN_EXPECT_OS_VERSION also has the version the stubs detect
// checked, and with it the OS-version notes.
//
// The file also tests the DLL entry points as far as that is safe with the
// real DLLs, and, when the spec declares what it needs, IVssAsync.WaitContext
// on fakes that stay pending, finish, fail or ignore Cancel.
//
// syscall.NewCallback makes at most about 2000 callbacks per process, so
// the fakes share one per vtable slot and argument word count. A fake
// method is Go code that runs on the calling goroutine's stack while the
// stub's own variables, whose addresses it received, live there too: the
// tests call stubs on a stack grown beforehand, with the collector off, so
// that it cannot move under them.
func COMTests(s *model.Spec, cfg Config) ([]Output, error) {
	f := newGoFile(s, cfg, "windows")
	c := newCOMTests(s)
	c.fakeTypes(f)
	c.fakeABI(f)
	c.fakeObject(f)
	c.fakeVtables(f)
	c.structFakes(f)
	c.stubTable(f)
	c.testStubs(f)
	c.testIUnknown(f)
	c.testOSNotes(f)
	c.testCurrentOS(f)
	c.testFunctions(f)
	c.testWait(f)
	c.allocations(f)

	out, err := render("com_windows_test.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{out}, nil
}

type comTests struct {
	s         *model.Spec
	stubbed   []*model.Method // the methods of the spec's own interfaces
	functions []*model.Method // the DLL entry points
	// index numbers the stubbed methods, then the functions, so that the
	// values the tests use differ from method to method.
	index       map[*model.Method]int
	slots       int // the size of the largest vtable
	params      int // the most parameters a method or function takes, at least 1
	words       int // the most argument words a method call takes, this included, on any architecture
	targetWords int // 8-byte words in the largest struct a pointer argument may point at
}

func newCOMTests(s *model.Spec) comTests {
	c := comTests{s: s, params: 1, index: map[*model.Method]int{}, targetWords: 2}
	for _, it := range s.Interfaces {
		c.slots = max(c.slots, len(it.AllMethods()))
		if it.Builtin {
			continue
		}
		for _, m := range it.Methods {
			c.index[m] = len(c.stubbed)
			c.stubbed = append(c.stubbed, m)
		}
	}
	for _, fn := range s.Functions {
		c.index[fn] = len(c.stubbed) + len(c.functions)
		c.functions = append(c.functions, fn)
	}
	for _, m := range append(append([]*model.Method{}, c.stubbed...), c.functions...) {
		c.params = max(c.params, len(m.Params))
	}
	for _, m := range c.stubbed {
		for _, arch := range model.Arches {
			c.words = max(c.words, 1+len(shapeOf(m, arch).args))
		}
	}
	for _, st := range s.Structs {
		for _, arch := range model.Arches {
			c.targetWords = max(c.targetWords, (st.Layout(arch).Size+7)/8)
		}
	}
	return c
}

// Codes COM fixes, written as numbers because a spec need not list them.
const (
	comENoInterface = 0x80004002
	comEPointer     = 0x80004003
)

// testKind is the _paramKind constant of the generated tests for p: how it
// crosses the call, and so how the fake checks or writes it.
func testKind(p *model.Param) string {
	if p.ByPtr {
		return "_kindPointer"
	}
	switch p.Type.Kind {
	case model.Boolean:
		return "_kindBool"
	case model.WString:
		return "_kindWString"
	case model.BSTRKind:
		return "_kindBSTR"
	case model.GUIDKind:
		return "_kindGUID"
	case model.Filetime:
		return "_kindFiletime"
	case model.RawPointer, model.InterfaceKind:
		return "_kindPointer"
	case model.StructKind:
		return "_kindStruct"
	}
	return "_kindInteger" // integers, enums and HRESULTs
}

// testBytes is the C size the fake reads or writes for an integer or
// boolean; for anything passed as an address, a whole word.
func testBytes(p *model.Param) int {
	switch testKind(p) {
	case "_kindInteger", "_kindBool":
		return p.Type.Bytes
	}
	return 8
}

// paramValue is what a parameter carries in the tests: the value the test
// passes (in) or the fake object writes (out). Values are distinct per
// method and position, so that a swapped or dropped argument shows.
type paramValue struct {
	word uint64     // integers, enums, HRESULTs, booleans (as C writes them), FILETIMEs (as their 64 bits)
	str  string     // strings
	guid model.GUID // GUIDs
}

// value is the value of parameter i of m. Reserved parameters carry zero.
func (c comTests) value(m *model.Method, i int) paramValue {
	p := m.Params[i]
	if p.Reserved {
		return paramValue{}
	}
	k := uint32(c.index[m]) & 0xffff
	dir := "in"
	if p.Dir == model.Out {
		dir = "out"
	}
	switch testKind(p) {
	case "_kindInteger":
		return paramValue{word: intValue(p.Dir, k, i, p.Type.Bytes)}
	case "_kindBool":
		if p.Dir == model.Out {
			// True, as the C callee writes it: a BOOL true whose low byte
			// is zero tells a stub that reads only one byte of it.
			if p.Type.Bytes == 4 {
				return paramValue{word: 0x100}
			}
			return paramValue{word: 1}
		}
		// In: alternately true and false, counting the boolean
		// parameters, so that two swapped neighbours show.
		n := 0
		for _, q := range m.Params[:i] {
			if q.Dir == model.In && !q.Reserved && testKind(q) == "_kindBool" {
				n++
			}
		}
		if n%2 == 0 {
			return paramValue{word: 1}
		}
		return paramValue{}
	case "_kindWString", "_kindBSTR":
		// Non-ASCII text, with a character outside the Basic Multilingual
		// Plane (a UTF-16 surrogate pair), checks the UTF-16 conversions.
		return paramValue{str: fmt.Sprintf("%s %s of %s: \u00fc\u20ac\U0001D11E", dir, p.Name, m.FullName())}
	case "_kindGUID":
		base := uint32(0x6A000000)
		if p.Dir == model.Out {
			base = 0x6B000000
		}
		// The four 4-byte words of the GUID differ, so that a stub that
		// passes them in the wrong order fails.
		return paramValue{guid: model.GUID{
			Data1: base | k<<8 | uint32(i&0xff),
			Data2: 0x1000 | uint16(i&0xfff),
			Data3: 0x2000 | uint16(k&0xfff),
			Data4: [8]byte{0x40 | byte(i&0xf), 0x41, 0x42, 0x43, 0x50, 0x51, 0x52, 0x53},
		}}
	case "_kindFiletime":
		low, high := uint64(0x7A000000), uint64(0x01D00000)
		if p.Dir == model.Out {
			low, high = 0x7B000000, 0x01D10000
		}
		return paramValue{word: (high|uint64(i&0xff))<<32 | low | uint64(k)<<8 | uint64(i&0xff)}
	}
	return paramValue{}
}

// intValue is an integer for position i of method k that fits bytes bytes
// as a positive signed number, so that it means the same for every integer
// type of that size and for HRESULT.
func intValue(dir model.Direction, k uint32, i, bytes int) uint64 {
	base := uint64(0x3A000000)
	if dir == model.Out {
		base = 0x5E000000
	}
	v := base | uint64(k)<<8 | uint64(i&0xff)
	if bytes < 4 {
		v &= 1<<(8*bytes-1) - 1
	}
	return v
}

// code names an HRESULT by its constant when the spec has one.
func (c comTests) code(v uint32) Code {
	for _, h := range c.s.HRESULTs {
		if h.Value == v && h.AliasOf == nil {
			return Id(h.Name)
		}
	}
	return Id("HRESULT").Call(Id(hexLit(v)))
}

// codeName is the name String gives the code in the generated package.
func (c comTests) codeName(v uint32) string {
	for _, h := range c.s.HRESULTs {
		if h.Value == v && h.AliasOf == nil {
			return h.Name
		}
	}
	return "HRESULT(" + hexLit(v) + ")"
}

// otherIID is an IID no interface of the spec has, for a QueryInterface
// that must fail.
func (c comTests) otherIID() model.GUID {
	g := model.GUID{Data1: 0x5eed0000, Data2: 0x0bad, Data3: 0x4000, Data4: [8]byte{0x80, 0, 0, 0, 0, 0, 0, 1}}
	for taken := true; taken; {
		taken = false
		for _, it := range c.s.Interfaces {
			if it.HasIID && it.IID == g {
				g.Data1++
				taken = true
			}
		}
	}
	return g
}

func guidLit(g model.GUID) Code {
	return Qual(winPkg, "GUID").Values(Dict{
		Id("Data1"): Id(fmt.Sprintf("0x%08x", g.Data1)),
		Id("Data2"): Id(fmt.Sprintf("0x%04x", g.Data2)),
		Id("Data3"): Id(fmt.Sprintf("0x%04x", g.Data3)),
		Id("Data4"): Index(Lit(8)).Byte().ValuesFunc(func(v *Group) {
			for _, b := range g.Data4 {
				v.Id(fmt.Sprintf("0x%02x", b))
			}
		}),
	})
}

// Shorthands for the generated code.

func unsafePtr(x Code) *Statement { return Qual("unsafe", "Pointer").Call(x) }

// wordPtr reads the word variable w as a pointer. Reading its bits, rather
// than converting uintptr to unsafe.Pointer, keeps go vet's check of
// pointer conversions meaningful.
func wordPtr(w string) *Statement {
	return Op("*").Parens(Op("*").Qual("unsafe", "Pointer")).Call(unsafePtr(Op("&").Id(w)))
}

func tPtr() *Statement { return Id("t").Op("*").Qual("testing", "T") }

func errorf(format string, args ...Code) *Statement {
	return Id("t").Dot("Errorf").Call(append([]Code{Lit(format)}, args...)...)
}

func fatalf(format string, args ...Code) *Statement {
	return Id("t").Dot("Fatalf").Call(append([]Code{Lit(format)}, args...)...)
}

func problemf(format string, args ...Code) *Statement {
	return Id("o").Dot("problemf").Call(append([]Code{Lit(format)}, args...)...)
}

// fakeReturn is what a callback returns: a 32-bit result with the upper
// half of the word set, as COM leaves it undefined on 64-bit systems.
func fakeReturn(v Code) Code {
	return Return(Id("_fakeUpper").Op("|").Uintptr().Call(v))
}

// hasUnknown reports whether it's vtable starts with IUnknown's methods.
func hasUnknown(it *model.Interface) bool {
	chain := it.Chain()
	return chain[len(chain)-1].Builtin
}

// fakeTypes writes the sizes, kinds and types the fakes and the tests share,
// and the helpers that read and write C values.
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

// fakeABI writes _fakeArgs, the calling conventions of the three Windows
// architectures for a GUID or FILETIME passed by value.
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
	f.Comment("// putGUID appends the words of *g passed by value. On amd64 that is g")
	f.Comment("// itself, so g must not be on a stack, which may move.")
	f.Add(recv("putGUID").Params(Id("g").Op("*").Qual(winPkg, "GUID")).Block(
		Switch(Qual("runtime", "GOARCH")).Block(
			Case(Lit("amd64")).Block(
				Id("a").Dot("put").Call(Uintptr().Call(unsafePtr(Id("g")))),
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

// fakeObject writes the fake COM object: its state, the method every slot
// but IUnknown's calls, and IUnknown's methods.
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
					for _, m := range it.AllMethods() {
						v.Id(m.ID())
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
		Id("values").Map(Id("Method")).Index().Id("_stubParam").Comment("// parameter values in place of those of _stubs, by method"),
		Id("hook").Func().Params(Id("m").Id("Method")).Comment("// called first by every method but IUnknown's"),
		Line(),
		Id("calls").Index(Id("_fakeSlots")).Int().Comment("// calls per vtable slot"),
		Id("args").Id("_fakeArgs").Comment("// the words the last call received, this first"),
		Id("argWords").Index(Id("_fakeMaxParams")).Uintptr().Comment("// the first word of each parameter in the last call"),
		Id("filled").Index(Id("_fakeMaxParams")).Any().Comment("// what the structs the last call filled must come back as"),
		Id("problems").Index().String().Comment("// what arrived wrong, for the test to report"),
		Line(),
		Id("targets").Index(Id("_fakeMaxParams")).Index(Id("_fakeTargetWords")).Uint64().Comment("// what address parameters point at, by parameter index"),
	)
	recv := func(name string) *Statement { return Func().Params(Id("o").Op("*").Id("_fakeObject")).Id(name) }
	f.Comment("// target is the address parameter i passes in or the object writes out.")
	f.Add(recv("target").Params(Id("i").Int()).Qual("unsafe", "Pointer").Block(
		Return(unsafePtr(Op("&").Add(o().Dot("targets").Index(Id("i"))))),
	))
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
		fakeReturn(o().Dot("result")),
	))

	n := Id("i").Op("+").Lit(1) // parameters count from 1, after this
	p := func(field string) *Statement { return Id("p").Dot(field) }
	f.Comment("// receive takes parameter i from the call's words: it checks an in-value, and")
	f.Comment("// writes an out-value when the call succeeds.")
	f.Add(recv("receive").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam")).Block(
		If(Op("!").Add(p("out")).Op("&&").Parens(p("kind").Op("==").Id("_kindGUID").Op("||").Add(p("kind")).Op("==").Id("_kindFiletime"))).Block(
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
	f.Comment("// receiveByValue takes a GUID or FILETIME passed by value and compares it")
	f.Comment("// with the value the test passed, or with zero for a reserved one.")
	f.Add(recv("receiveByValue").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam")).Block(
		If(p("kind").Op("==").Id("_kindFiletime")).Block(
			Id("want").Op(":=").Add(p("word")),
			If(p("reserved")).Block(Id("want").Op("=").Lit(0)),
			If(Id("got").Op(":=").Add(o().Dot("args").Dot("filetime").Call()), Id("got").Op("!=").Id("want")).Block(
				problemf("parameter %d (%s) arrived as FILETIME %#x, want %#x", n.Clone(), p("name"), Id("got"), Id("want")),
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
		),
	))
	f.Comment("// check compares in-parameter i, which arrived as the word w, with the value")
	f.Comment("// the test passed.")
	f.Add(recv("check").Params(Id("i").Int(), Id("p").Op("*").Id("_stubParam"), Id("w").Uintptr()).Block(
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
				If(Id("got").Op(":=").Qual(winPkg, "UTF16PtrToString").Call(Id("s")), Id("got").Op("!=").Add(p("str"))).Block(
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
			Case(Id("_kindWString")).Block(Op("*").Parens(Op("**").Uint16()).Call(Id("ptr")).Op("=").Id("_fakeCoTaskString").Call(p("str"))),
			Case(Id("_kindBSTR")).Block(Op("*").Parens(Op("**").Uint16()).Call(Id("ptr")).Op("=").Id("_fakeBSTR").Call(p("str"))),
			Case(Id("_kindPointer")).Block(Op("*").Parens(Op("*").Qual("unsafe", "Pointer")).Call(Id("ptr")).Op("=").Add(o().Dot("target").Call(Id("i")))),
			Case(Id("_kindStruct")).Block(o().Dot("filled").Index(Id("i")).Op("=").Add(p("fill")).Call(Id("ptr"))),
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

// fakeVtables writes the callbacks and the vtables made of them.
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
			For(List(Id("slot"), Id("m")).Op(":=").Range().Id("it").Dot("methods")).Block(
				If(List(Id("cb"), Id("ok")).Op(":=").Id("unknown").Index(Id("m")), Id("ok")).Block(
					Id("vt").Index(Id("slot")).Op("=").Id("cb"),
					Continue(),
				),
				Id("key").Op(":=").Index(Lit(2)).Int().Values(Id("slot"), Id("_fakeWords").Call(Id("_stubs").Index(Id("m")).Dot("params"))),
				If(Id("shared").Index(Id("key")).Op("==").Lit(0)).Block(
					Id("shared").Index(Id("key")).Op("=").Id("_fakeCallback").Call(Id("key").Index(Lit(0)), Id("key").Index(Lit(1))),
				),
				Id("vt").Index(Id("slot")).Op("=").Id("shared").Index(Id("key")),
			),
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

// filledStructs are the structs stubs return by value, which the fakes fill.
func (c comTests) filledStructs() []*model.Struct {
	var out []*model.Struct
	seen := map[*model.Struct]bool{}
	for _, m := range c.stubbed {
		for _, p := range m.Params {
			if testKind(p) == "_kindStruct" && p.Dir == model.Out && !p.Reserved && !seen[p.Type.Struct] {
				seen[p.Type.Struct] = true
				out = append(out, p.Type.Struct)
			}
		}
	}
	return out
}

// structFakes writes a fill function for each struct the stubs return by
// value, and the fakes of the functions that free structs.
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
			if st.Free == nil {
				continue
			}
			v := freeVar(st)
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

// fill writes _fakeFill_<struct>, which fills st as a COM server would and
// returns what a stub must return for it: the Go copy for a struct with a
// free function, the struct itself otherwise.
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

// fieldValue puts the value of field j of st into raw, the C-layout
// literal, and goCopy, the Go copy's literal. Fields of kinds a fill leaves
// zero (pointers, interfaces, nested structs) are left out of both.
func (c comTests) fieldValue(st *model.Struct, j int, fld *model.Field, raw, goCopy Dict) {
	t := fld.Type
	key := Id(fld.GoName)
	text := fmt.Sprintf("%s.%s: \u00fc\u20ac\U0001D11E", st.Name, fld.Name)
	small := uint64(0x5C000000 | j)
	switch t.Kind {
	case model.Integer, model.Status, model.EnumKind:
		v := small
		switch {
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

// stubTable writes _stubs, the table every test of the stubs reads.
func (c comTests) stubTable(f *File) {
	f.Comment("// _stubs describes every stub of the spec's interfaces.")
	f.Var().Id("_stubs").Op("=").Map(Id("Method")).Op("*").Id("_stub").Values(DictFunc(func(d Dict) {
		for _, m := range c.stubbed {
			d[Id(m.ID())] = c.stubEntry(m)
		}
	}))
	f.Comment("// _stubMethods lists the keys of _stubs in the spec's order.")
	f.Var().Id("_stubMethods").Op("=").Index().Id("Method").ValuesFunc(func(g *Group) {
		for _, m := range c.stubbed {
			g.Id(m.ID())
		}
	})
	f.Comment("// _benchMethods are the stubs BenchmarkStubs times beside their raw calls.")
	f.Var().Id("_benchMethods").Op("=").Index().Id("Method").ValuesFunc(func(g *Group) {
		for _, m := range c.benchMethods() {
			g.Id(m.ID())
		}
	})
}

// benchMethods are the stubs worth timing: IVssAsync's, or else those of
// the first interface that has stubs with a raw baseline, and the first
// stub that passes a GUID by value.
func (c comTests) benchMethods() []*model.Method {
	var out []*model.Method
	for _, it := range c.s.Interfaces {
		if it.Name == "IVssAsync" {
			for _, m := range it.Methods {
				if rawable(m) {
					out = append(out, m)
				}
			}
		}
	}
	for _, it := range c.s.Interfaces {
		if len(out) > 0 || it.Builtin {
			break
		}
		for _, m := range it.Methods {
			if rawable(m) {
				out = append(out, m)
			}
		}
	}
	for _, m := range c.stubbed {
		if !rawable(m) {
			continue
		}
		for _, p := range m.Params {
			if !p.Reserved && byValueStruct(p) && p.Type.Kind == model.GUIDKind {
				return append(out, m)
			}
		}
	}
	return out
}

// rawable reports whether a stub's arguments are all words the test can
// pass to syscall.SyscallN without converting anything.
func rawable(m *model.Method) bool {
	for _, p := range m.Params {
		if p.Reserved {
			continue
		}
		if p.ByPtr {
			return false
		}
		switch p.Type.Kind {
		case model.Integer, model.Status, model.EnumKind, model.Boolean, model.GUIDKind, model.Filetime:
		default:
			return false
		}
	}
	return true
}

func (c comTests) stubEntry(m *model.Method) Code {
	d := Dict{
		Id("iface"): Lit(m.Interface.Name),
		Id("name"):  Lit(m.Name),
		Id("slot"):  Lit(m.Slot),
		Id("call"):  c.callClosure(m),
	}
	if len(m.Params) > 0 {
		d[Id("params")] = c.paramsLit(m)
	}
	if len(m.SuccessCodes()) > 0 {
		d[Id("keepsHR")] = True()
	}
	if rawable(m) {
		d[Id("raw")] = c.rawClosure(m)
	}
	return Op("&").Id("_stub").Values(d)
}

// paramsLit is the []_stubParam of m, values included.
func (c comTests) paramsLit(m *model.Method) Code {
	return Index().Id("_stubParam").ValuesFunc(func(g *Group) {
		for i, p := range m.Params {
			kind := testKind(p)
			d := Dict{
				Id("name"): Lit(p.Name),
				Id("kind"): Id(kind),
			}
			if kind == "_kindInteger" || kind == "_kindBool" || p.Reserved {
				d[Id("bytes")] = Lit(testBytes(p))
			}
			if p.Dir == model.Out {
				d[Id("out")] = True()
			}
			if p.Reserved {
				d[Id("reserved")] = True()
			}
			v := c.value(m, i)
			if v.word != 0 {
				d[Id("word")] = Id(fmt.Sprintf("0x%X", v.word))
			}
			if v.str != "" {
				d[Id("str")] = Lit(v.str)
			}
			if v.guid != (model.GUID{}) {
				d[Id("guid")] = guidLit(v.guid)
			}
			if kind == "_kindStruct" && p.Dir == model.Out && !p.Reserved {
				d[Id("fill")] = Id("_fakeFill_" + p.Type.Struct.Name)
				if p.Type.Struct.Free != nil {
					d[Id("frees")] = True()
				}
			}
			if p.Type.Kind == model.InterfaceKind && hasUnknown(p.Type.Interface) {
				d[Id("unknown")] = True()
			}
			g.Line().Values(d)
		}
		g.Line()
	})
}

// callClosure is the call function of a stub's table entry: it calls the
// stub of m (a method on obj, or a DLL function) with the in-values of p
// and stores what it returns in a _stubResult.
func (c comTests) callClosure(m *model.Method) Code {
	var (
		body    []Code
		args    []Code
		results []Code
		post    []Code
	)
	for i, p := range m.Params {
		if p.Reserved {
			continue
		}
		if p.Dir == model.In {
			args = append(args, inArg(p, i))
			continue
		}
		out := Id(fmt.Sprintf("out%d", i))
		body = append(body, Var().Add(out).Add(outType(p)))
		results = append(results, out)
		post = append(post, storeOut(p, i, out))
	}
	if len(m.SuccessCodes()) > 0 {
		results = append(results, Id("r").Dot("hr"))
	}
	results = append(results, Id("r").Dot("err"))
	target := Id(m.Name)
	if m.Interface != nil {
		target = Parens(Op("*").Id(m.Interface.Name)).Call(unsafePtr(Id("obj"))).Dot(m.Name)
	}
	body = append(body, List(results...).Op("=").Add(target).Call(args...))
	body = append(body, post...)
	body = append(body, Return(Id("r")))
	return Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Params(Id("r").Id("_stubResult")).Block(body...)
}

// inArg is the Go argument the test passes for in-parameter i.
func inArg(p *model.Param, i int) Code {
	v := Id("p").Index(Lit(i))
	target := Id("obj").Dot("target").Call(Lit(i))
	t := p.Type
	switch {
	case p.ByPtr:
		return Parens(Op("*").Add(rawType(t))).Call(target)
	case t.Kind == model.Boolean:
		return v.Dot("word").Op("!=").Lit(0)
	case t.Kind == model.WString, t.Kind == model.BSTRKind:
		return v.Dot("str")
	case t.Kind == model.GUIDKind:
		return v.Dot("guid")
	case t.Kind == model.Filetime:
		return Id("_fakeFiletime").Call(v.Dot("word"))
	case t.Kind == model.RawPointer:
		return target
	case t.Kind == model.InterfaceKind:
		return Parens(Op("*").Id(t.Interface.Name)).Call(target)
	}
	return Id(t.Go).Call(v.Dot("word"))
}

// outType is the Go type a stub returns out-parameter p as.
func outType(p *model.Param) Code {
	t := p.Type
	switch {
	case p.ByPtr:
		return Op("*").Id(t.Struct.Name)
	case t.Kind == model.StructKind && t.Struct.GoName != "":
		return Id(t.Struct.GoName)
	}
	return goType(t)
}

// storeOut stores the stub's out-value out of parameter i in the result r.
func storeOut(p *model.Param, i int, out *Statement) Code {
	r := func(field string) *Statement { return Id("r").Dot(field).Index(Lit(i)) }
	switch {
	case p.ByPtr, p.Type.Kind == model.InterfaceKind:
		return r("ptrs").Op("=").Add(unsafePtr(out))
	}
	switch p.Type.Kind {
	case model.Boolean:
		return r("words").Op("=").Id("_fakeBoolWord").Call(out)
	case model.Filetime:
		return r("words").Op("=").Id("_fakeFiletimeWord").Call(out)
	case model.WString, model.BSTRKind:
		return r("strs").Op("=").Add(out)
	case model.GUIDKind:
		return r("guids").Op("=").Add(out)
	case model.RawPointer:
		return r("ptrs").Op("=").Add(out)
	case model.StructKind:
		return r("values").Op("=").Add(out)
	}
	return r("words").Op("=").Uint64().Call(out)
}

// rawClosure is the raw function of a rawable stub's table entry: the call
// the stub makes, with syscall.SyscallN alone and the same words.
func (c comTests) rawClosure(m *model.Method) Code {
	fn := Id("obj").Dot("vtbl").Index(Lit(m.Slot))
	byValue := false
	for _, p := range m.Params {
		byValue = byValue || byValueStruct(p)
	}
	var body []Code
	if !byValue {
		// The words as literal arguments, as the stubs pass them.
		args := []Code{fn, Uintptr().Call(unsafePtr(Id("obj")))}
		for i, p := range m.Params {
			switch {
			case p.Reserved:
				args = append(args, Lit(0))
			case p.Dir == model.In:
				args = append(args, Uintptr().Call(Id("p").Index(Lit(i)).Dot("word")))
			default:
				out := Id(fmt.Sprintf("out%d", i))
				body = append(body, Var().Add(out).Add(rawType(p.Type)))
				args = append(args, Uintptr().Call(unsafePtr(Op("&").Add(out))))
			}
		}
		body = append(body, List(Id("r"), Id("_"), Id("_")).Op(":=").Qual("syscall", "SyscallN").Call(args...))
	} else {
		// The words of a struct passed by value depend on the architecture:
		// _fakeArgs lays them out. Out-values go to the object's memory,
		// which, unlike a stack, does not move while the words hold it.
		body = append(body,
			Var().Id("a").Id("_fakeArgs"),
			Id("a").Dot("put").Call(Uintptr().Call(unsafePtr(Id("obj")))),
		)
		for i, p := range m.Params {
			v := Id("p").Index(Lit(i))
			switch {
			case byValueStruct(p) && p.Type.Kind == model.GUIDKind && p.Reserved:
				body = append(body, Id("a").Dot("putGUID").Call(Op("&").Id("_fakeZeroGUID")))
			case byValueStruct(p) && p.Type.Kind == model.GUIDKind:
				body = append(body, Id("a").Dot("putGUID").Call(Op("&").Add(v.Dot("guid"))))
			case byValueStruct(p):
				body = append(body, Id("a").Dot("putFiletime").Call(v.Dot("word")))
			case p.Reserved:
				body = append(body, Id("a").Dot("put").Call(Lit(0)))
			case p.Dir == model.In:
				body = append(body, Id("a").Dot("put").Call(Uintptr().Call(v.Dot("word"))))
			default:
				body = append(body, Id("a").Dot("put").Call(Uintptr().Call(Id("obj").Dot("target").Call(Lit(i)))))
			}
		}
		body = append(body, List(Id("r"), Id("_"), Id("_")).Op(":=").Qual("syscall", "SyscallN").Call(fn, Id("a").Dot("w").Index(Op(":").Id("a").Dot("n")).Op("...")))
	}
	body = append(body, Return(Id("HRESULT").Call(Id("r"))))
	return Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Id("HRESULT").Block(body...)
}

// stubCase is one row of TestStubs.
type stubCase struct {
	name   string
	m      *model.Method
	result uint32 // what the fake returns
	status int    // the HRESULT out-parameter that carries code, or -1
	code   uint32
}

// stubCases are every documented return code of every method (but those
// documented as arriving through an IVssAsync, which the call itself never
// returns), every status code delivered through an HRESULT out-parameter of
// a call that succeeds, and a failure code the spec does not know.
func (c comTests) stubCases() []stubCase {
	unknown := unusedValue(c.s)
	var cases []stubCase
	for _, m := range c.stubbed {
		status := -1
		for i, p := range m.Params {
			if p.Dir == model.Out && !p.Reserved && !p.ByPtr && p.Type.Kind == model.Status {
				status = i
				break
			}
		}
		for _, r := range m.Returns {
			if !r.Async {
				cases = append(cases, stubCase{name: m.FullName() + "/" + r.Code.Name, m: m, result: r.Code.Value, status: -1})
			}
		}
		// Status codes come with the first documented success code, S_OK
		// when the documentation lists none.
		var success uint32
		for _, r := range m.Returns {
			if !r.Code.Failed() && !r.Async {
				success = r.Code.Value
				break
			}
		}
		for _, r := range m.StatusCodes {
			if status < 0 {
				break
			}
			name := m.FullName() + "/" + c.codeName(success) + "/" + m.Params[status].Name + "=" + r.Code.Name
			cases = append(cases, stubCase{name: name, m: m, result: success, status: status, code: r.Code.Value})
		}
		cases = append(cases, stubCase{name: m.FullName() + "/undocumented " + hexLit(unknown), m: m, result: unknown, status: -1})
	}
	return cases
}

func (c comTests) testStubs(f *File) {
	f.Comment("// _stubCases are the calls TestStubs makes: every documented return code of")
	f.Comment("// every method (but those that arrive through an IVssAsync), every status")
	f.Comment("// code delivered through an HRESULT out-parameter, and a failure code the")
	f.Comment("// spec does not know.")
	f.Var().Id("_stubCases").Op("=").Index().Struct(
		Id("name").String(),
		Id("m").Id("Method"),
		Id("result").Id("HRESULT").Comment("// what the object returns"),
		Id("status").Int().Comment("// the HRESULT out-parameter that carries code, or -1"),
		Id("code").Id("HRESULT"),
	).ValuesFunc(func(g *Group) {
		for _, tc := range c.stubCases() {
			code := Code(Lit(0))
			if tc.status >= 0 {
				code = c.code(tc.code)
			}
			g.Line().Values(Lit(tc.name), Id(tc.m.ID()), c.code(tc.result), Lit(tc.status), code)
		}
		g.Line()
	})

	p := func(field string) *Statement { return Id("p").Dot(field) }
	got := func(field string) *Statement { return Id("got").Dot(field).Index(Id("i")) }
	n := func() *Statement { return Id("i").Op("+").Lit(1) }
	f.Comment("// _checkOut compares out-parameter i of a call that succeeded with what the")
	f.Comment("// object wrote, and checks that a struct the stub must free was freed once.")
	f.Func().Id("_checkOut").Params(tPtr(), Id("obj").Op("*").Id("_fakeObject"), Id("i").Int(), Id("p").Op("*").Id("_stubParam"), Id("got").Op("*").Id("_stubResult")).Block(
		Id("t").Dot("Helper").Call(),
		If(Op("!").Add(p("out")).Op("||").Add(p("reserved"))).Block(Return()),
		Switch(p("kind")).Block(
			Case(Id("_kindInteger"), Id("_kindFiletime")).Block(
				If(got("words").Op("!=").Add(p("word"))).Block(
					errorf("out-parameter %d (%s) = %#x, want %#x", n(), p("name"), got("words"), p("word")),
				),
			),
			Case(Id("_kindBool")).Block(
				If(Id("want").Op(":=").Id("_fakeBoolWord").Call(p("word").Op("!=").Lit(0)), got("words").Op("!=").Id("want")).Block(
					errorf("out-parameter %d (%s) = %t, want %t: the object wrote %#x in %d bytes", n(), p("name"), got("words").Op("!=").Lit(0), Id("want").Op("!=").Lit(0), p("word"), p("bytes")),
				),
			),
			Case(Id("_kindWString"), Id("_kindBSTR")).Block(
				If(got("strs").Op("!=").Add(p("str"))).Block(
					errorf("out-parameter %d (%s) = %q, want %q", n(), p("name"), got("strs"), p("str")),
				),
			),
			Case(Id("_kindGUID")).Block(
				If(got("guids").Op("!=").Add(p("guid"))).Block(
					errorf("out-parameter %d (%s) = %v, want %v", n(), p("name"), got("guids"), p("guid")),
				),
			),
			Case(Id("_kindPointer")).Block(
				If(Id("want").Op(":=").Id("obj").Dot("target").Call(Id("i")), got("ptrs").Op("!=").Id("want")).Block(
					errorf("out-parameter %d (%s) = %p, want %p, the address the object wrote", n(), p("name"), got("ptrs"), Id("want")),
				),
			),
			Case(Id("_kindStruct")).Block(
				If(Op("!").Qual("reflect", "DeepEqual").Call(got("values"), Id("obj").Dot("filled").Index(Id("i")))).Block(
					errorf("out-parameter %d (%s) = %+v, want %+v", n(), p("name"), got("values"), Id("obj").Dot("filled").Index(Id("i"))),
				),
				If(Op("!").Add(p("frees"))).Block(Return()),
				Id("freed").Op(":=").Lit(0),
				For(List(Id("_"), Id("a")).Op(":=").Range().Id("_fakeFreed")).Block(
					If(Id("a").Op("==").Id("obj").Dot("argWords").Index(Id("i"))).Block(Id("freed").Op("++")),
				),
				If(Id("freed").Op("!=").Lit(1)).Block(
					errorf("out-parameter %d (%s): the struct the object filled at %#x was freed %d times, want once (freed: %#x)", n(), p("name"), Id("obj").Dot("argWords").Index(Id("i")), Id("freed"), Id("_fakeFreed")),
				),
			),
		),
	)

	tc := func(field string) *Statement { return Id("tc").Dot(field) }
	st := func(field string) *Statement { return Id("st").Dot(field) }
	f.Comment("// TestStubs calls every stub on a fake object that answers with each code")
	f.Comment("// in turn, and checks what reached the object and what came back.")
	f.Func().Id("TestStubs").Params(tPtr()).Block(
		Id("_fakeFrees").Call(Id("t")),
		Id("_fakeVtables").Call(),
		Id("t").Dot("Logf").Call(Lit("%d callbacks serve the fakes of %d interfaces"), Id("_fakeCallbacks"), Len(Id("_fakeInterfaces"))),
		Id("current").Op(":=").Id("CurrentOSVersion").Call(),
		For(List(Id("_"), Id("tc")).Op(":=").Range().Id("_stubCases")).Block(
			Id("t").Dot("Run").Call(tc("name"), Func().Params(tPtr()).Block(
				Id("st").Op(":=").Id("_stubs").Index(tc("m")),
				Id("obj").Op(":=").Id("_newFake").Call(st("iface")),
				Id("obj").Dot("result").Op("=").Add(tc("result")),
				Id("params").Op(":=").Add(st("params")),
				If(tc("status").Op(">=").Lit(0)).Block(
					Id("params").Op("=").Qual("slices", "Clone").Call(Id("params")),
					Id("params").Index(tc("status")).Dot("word").Op("=").Uint64().Call(tc("code")),
					Id("obj").Dot("values").Op("=").Map(Id("Method")).Index().Id("_stubParam").Values(Dict{tc("m"): Id("params")}),
				),
				Id("_fakeFreed").Op("=").Nil(),
				Var().Id("got").Id("_stubResult"),
				Id("_fakeStack").Call(Func().Params().Block(Id("got").Op("=").Id("st").Dot("call").Call(Id("obj"), st("params")))),
				Line(),
				Comment("// Exactly the method's own slot was called."),
				For(List(Id("slot"), Id("n")).Op(":=").Range().Id("obj").Dot("calls")).Block(
					Id("want").Op(":=").Lit(0),
					If(Id("slot").Op("==").Add(st("slot"))).Block(Id("want").Op("=").Lit(1)),
					If(Id("n").Op("!=").Id("want")).Block(
						errorf("slot %d was called %d times, want %d", Id("slot"), Id("n"), Id("want")),
					),
				),
				Comment("// Every parameter arrived, in its place, as the test passed it."),
				For(List(Id("_"), Id("problem")).Op(":=").Range().Id("obj").Dot("problems")).Block(
					Id("t").Dot("Error").Call(Id("problem")),
				),
				Comment("// Success codes stay observable."),
				If(st("keepsHR").Op("&&").Id("got").Dot("hr").Op("!=").Add(tc("result"))).Block(
					errorf("the stub returned hr %s, want %s", Id("got").Dot("hr").Dot("String").Call(), tc("result").Dot("String").Call()),
				),
				If(Op("!").Add(tc("result")).Dot("Failed").Call()).Block(
					If(Id("got").Dot("err").Op("!=").Nil()).Block(
						errorf("error %v for the success code %s", Id("got").Dot("err"), tc("result").Dot("String").Call()),
					),
					Comment("// Every out-parameter came back as the object wrote it, and what"),
					Comment("// the stub must free was freed."),
					Id("frees").Op(":=").Lit(0),
					For(Id("i").Op(":=").Range().Id("params")).Block(
						Id("_checkOut").Call(Id("t"), Id("obj"), Id("i"), Op("&").Id("params").Index(Id("i")), Op("&").Id("got")),
						If(Id("params").Index(Id("i")).Dot("frees")).Block(Id("frees").Op("++")),
					),
					If(Len(Id("_fakeFreed")).Op("!=").Id("frees")).Block(
						errorf("the stub freed %d structs, want %d", Len(Id("_fakeFreed")), Id("frees")),
					),
				).Else().Block(
					Comment("// A failure carries interface, method, code and the system's version."),
					Var().Id("e").Op("*").Id("Error"),
					If(Op("!").Qual("errors", "As").Call(Id("got").Dot("err"), Op("&").Id("e"))).Block(
						fatalf("error %v for %s is not an *Error", Id("got").Dot("err"), tc("result").Dot("String").Call()),
					),
					If(Id("e").Dot("Method").Op("!=").Add(tc("m")).Op("||").Id("e").Dot("Method").Dot("Interface").Call().Op("!=").Add(st("iface")).Op("||").Id("e").Dot("Method").Dot("Name").Call().Op("!=").Add(st("name"))).Block(
						errorf("error for method %s (%s.%s), want %s.%s", Id("e").Dot("Method"), Id("e").Dot("Method").Dot("Interface").Call(), Id("e").Dot("Method").Dot("Name").Call(), st("iface"), st("name")),
					),
					If(Id("e").Dot("Code").Op("!=").Add(tc("result")).Op("||").Op("!").Qual("errors", "Is").Call(Id("got").Dot("err"), tc("result"))).Block(
						errorf("error code %s, want %s matching with errors.Is", Id("e").Dot("Code").Dot("String").Call(), tc("result").Dot("String").Call()),
					),
					If(Id("e").Dot("OS").Op("!=").Id("current")).Block(
						errorf("error for Windows %s, want the running %s", Id("e").Dot("OS"), Id("current")),
					),
					If(Id("want").Op(":=").Id("Documented").Call(tc("m"), tc("result"), Id("current")), Id("e").Dot("Documented").Op("!=").Id("want")).Block(
						errorf("error documented as %s, want %s", Id("e").Dot("Documented").Dot("String").Call(), Id("want").Dot("String").Call()),
					),
					If(Id("prefix").Op(":=").Add(st("iface")).Op("+").Lit(".").Op("+").Add(st("name")).Op("+").Lit(": "), Op("!").Qual("strings", "HasPrefix").Call(Id("got").Dot("err").Dot("Error").Call(), Id("prefix"))).Block(
						errorf("error text %q does not start with %q", Id("got").Dot("err").Dot("Error").Call(), Id("prefix")),
					),
					If(Len(Id("_fakeFreed")).Op("!=").Lit(0)).Block(
						errorf("the failed call freed %d structs the object never filled", Len(Id("_fakeFreed"))),
					),
				),
				Comment("// Stubs leave reference counting to the caller."),
				If(Id("obj").Dot("refs").Op("!=").Lit(1)).Block(
					errorf("%d references after the call, want 1", Id("obj").Dot("refs")),
				),
			)),
		),
	)
}

func (c comTests) testIUnknown(f *File) {
	f.Comment("// TestIUnknownStubs calls QueryInterface, AddRef and Release on an object of")
	f.Comment("// each interface whose vtable starts with IUnknown's: the counts must")
	f.Comment("// balance, QueryInterface must hand out the object with a reference for each")
	f.Comment("// IID of the interface and its bases, and a refusal must come back as an")
	f.Comment("// error of IUnknown.QueryInterface.")
	f.Func().Id("TestIUnknownStubs").Params(tPtr()).Block(
		For(List(Id("_"), Id("it")).Op(":=").Range().Id("_fakeInterfaces")).Block(
			If(Op("!").Id("it").Dot("unknown")).Block(Continue()),
			Id("t").Dot("Run").Call(Id("it").Dot("name"), Func().Params(tPtr()).Block(Id("_fakeStack").Call(Func().Params().Block(
				Id("obj").Op(":=").Id("_newFake").Call(Id("it").Dot("name")),
				Id("unk").Op(":=").Parens(Op("*").Id("IUnknown")).Call(unsafePtr(Id("obj"))),
				If(Id("n").Op(":=").Id("unk").Dot("AddRef").Call(), Id("n").Op("!=").Lit(2).Op("||").Id("obj").Dot("refs").Op("!=").Lit(2)).Block(
					errorf("AddRef = %d with %d references, want 2", Id("n"), Id("obj").Dot("refs")),
				),
				If(Id("n").Op(":=").Id("unk").Dot("Release").Call(), Id("n").Op("!=").Lit(1).Op("||").Id("obj").Dot("refs").Op("!=").Lit(1)).Block(
					errorf("Release = %d with %d references, want 1", Id("n"), Id("obj").Dot("refs")),
				),
				For(List(Id("_"), Id("iid")).Op(":=").Range().Id("it").Dot("iids")).Block(
					List(Id("p"), Id("err")).Op(":=").Id("unk").Dot("QueryInterface").Call(Op("&").Id("iid")),
					If(Id("err").Op("!=").Nil().Op("||").Id("p").Op("!=").Add(unsafePtr(Id("obj")))).Block(
						errorf("QueryInterface(%v) = %p, %v; want the object", Id("iid"), Id("p"), Id("err")),
						Continue(),
					),
					If(Id("obj").Dot("refs").Op("!=").Lit(2)).Block(
						errorf("QueryInterface(%v) left %d references, want 2", Id("iid"), Id("obj").Dot("refs")),
					),
					If(Id("n").Op(":=").Parens(Op("*").Id("IUnknown")).Call(Id("p")).Dot("Release").Call(), Id("n").Op("!=").Lit(1)).Block(
						errorf("Release after QueryInterface(%v) = %d, want 1", Id("iid"), Id("n")),
					),
				),
				List(Id("p"), Id("err")).Op(":=").Id("unk").Dot("QueryInterface").Call(Op("&").Id("_fakeOtherIID")),
				Var().Id("e").Op("*").Id("Error"),
				If(Id("p").Op("!=").Nil().Op("||").Op("!").Qual("errors", "As").Call(Id("err"), Op("&").Id("e")).Op("||").
					Id("e").Dot("Method").Op("!=").Id("IUnknown_QueryInterface").Op("||").Op("!").Qual("errors", "Is").Call(Id("err"), Id("_fakeE_NOINTERFACE"))).Block(
					errorf("QueryInterface of a foreign IID = %p, %v; want nil and an IUnknown.QueryInterface error matching E_NOINTERFACE", Id("p"), Id("err")),
				),
				Comment("// Slots 0 to 2 are IUnknown's in every such vtable."),
				Id("calls").Op(":=").Index(Lit(3)).Int().Call(Id("obj").Dot("calls").Index(Op(":").Lit(3))),
				If(Id("want").Op(":=").Index(Lit(3)).Int().Values(Len(Id("it").Dot("iids")).Op("+").Lit(1), Lit(1), Len(Id("it").Dot("iids")).Op("+").Lit(1)), Id("calls").Op("!=").Id("want")).Block(
					errorf("calls of QueryInterface, AddRef, Release = %v, want %v", Id("calls"), Id("want")),
				),
				If(Id("obj").Dot("refs").Op("!=").Lit(1)).Block(
					errorf("%d references at the end, want 1", Id("obj").Dot("refs")),
				),
			)))),
		),
	)
}

// osNote is an OS-version note that makes a method return a failure code
// where its documentation names another.
type osNote struct {
	m   *model.Method
	sub model.Substitution
}

func (c comTests) osNotes() []osNote {
	var out []osNote
	for _, m := range c.stubbed {
		for _, sub := range m.Substitutions() {
			if sub.Observed.Failed() { // a success code never becomes an error
				out = append(out, osNote{m, sub})
			}
		}
	}
	return out
}

// noteFields are the fields of a note as data: the systems it is about.
func noteFields(n *model.Note) (before, on Code) {
	before = Id("OSVersion").Values()
	if n.Before != nil {
		before = osLit(n.Before)
	}
	on = Nil()
	if len(n.On) > 0 {
		on = Index().Id("OSVersion").ValuesFunc(func(v *Group) {
			for _, o := range n.On {
				v.Add(osLit(o))
			}
		})
	}
	return before, on
}

func (c comTests) testOSNotes(f *File) {
	f.Comment("// _osNoteCases are the OS-version notes that make a method return one code")
	f.Comment("// where its documentation names another, with the systems each note is about")
	f.Comment("// written out as data.")
	f.Var().Id("_osNoteCases").Op("=").Index().Struct(
		Id("m").Id("Method"),
		List(Id("observed"), Id("documented")).Id("HRESULT"),
		Id("before").Id("OSVersion").Comment("// the note is about systems older than this, or"),
		Id("on").Index().Id("OSVersion").Comment("// about these (any build)"),
	).ValuesFunc(func(g *Group) {
		for _, n := range c.osNotes() {
			before, on := noteFields(n.sub.Note)
			g.Line().Values(Id(n.m.ID()), Id(n.sub.Observed.Name), Id(n.sub.Documented.Name), before, on)
		}
		g.Line()
	})
	f.Comment("// _noteApplies reports whether a note about systems older than before, or")
	f.Comment("// about those in on, is about the system v.")
	f.Func().Id("_noteApplies").Params(List(Id("v"), Id("before")).Id("OSVersion"), Id("on").Index().Id("OSVersion")).Bool().Block(
		If(Id("v").Op("==").Parens(Id("OSVersion").Values())).Block(Return(False())),
		If(Id("v").Dot("Major").Op("<").Id("before").Dot("Major").Op("||").Id("v").Dot("Major").Op("==").Id("before").Dot("Major").Op("&&").Id("v").Dot("Minor").Op("<").Id("before").Dot("Minor")).Block(
			Return(True()),
		),
		For(List(Id("_"), Id("o")).Op(":=").Range().Id("on")).Block(
			If(Id("o").Dot("Major").Op("==").Id("v").Dot("Major").Op("&&").Id("o").Dot("Minor").Op("==").Id("v").Dot("Minor")).Block(Return(True())),
		),
		Return(False()),
	)

	tc := func(field string) *Statement { return Id("tc").Dot(field) }
	f.Comment("// TestStubOSNotes has each stub fail with the code an OS-version note is")
	f.Comment("// about. On the systems the note names the error must match the documented")
	f.Comment("// code too, elsewhere only the code returned; the version is the one the")
	f.Comment("// stubs detect. Each outcome is logged for harnesses to check.")
	f.Func().Id("TestStubOSNotes").Params(tPtr()).Block(
		Id("_fakeFrees").Call(Id("t")),
		Id("current").Op(":=").Id("CurrentOSVersion").Call(),
		For(List(Id("_"), Id("tc")).Op(":=").Range().Id("_osNoteCases")).Block(
			Id("applies").Op(":=").Id("_noteApplies").Call(Id("current"), tc("before"), tc("on")),
			Id("st").Op(":=").Id("_stubs").Index(tc("m")),
			Id("obj").Op(":=").Id("_newFake").Call(Id("st").Dot("iface")),
			Id("obj").Dot("result").Op("=").Add(tc("observed")),
			Var().Id("err").Error(),
			Id("_fakeStack").Call(Func().Params().Block(Id("err").Op("=").Id("st").Dot("call").Call(Id("obj"), Id("st").Dot("params")).Dot("err"))),
			Id("matches").Op(":=").Qual("errors", "Is").Call(Id("err"), tc("documented")),
			Id("t").Dot("Logf").Call(Lit("%s returned %s on Windows %s: errors.Is(err, %s) = %t"),
				tc("m"), tc("observed").Dot("String").Call(), Id("current"), tc("documented").Dot("String").Call(), Id("matches")),
			If(Id("matches").Op("!=").Id("applies")).Block(
				errorf("%s returned %s on Windows %s: errors.Is(err, %s) = %t, want %t",
					tc("m"), tc("observed").Dot("String").Call(), Id("current"), tc("documented").Dot("String").Call(), Id("matches"), Id("applies")),
			),
			If(Op("!").Qual("errors", "Is").Call(Id("err"), tc("observed"))).Block(
				errorf("%s returned %s: errors.Is(%v, %s) = false",
					tc("m"), tc("observed").Dot("String").Call(), Id("err"), tc("observed").Dot("String").Call()),
			),
		),
	)
}

func (c comTests) testCurrentOS(f *File) {
	f.Comment("// TestCurrentOSVersion checks the version that stubs put into their errors.")
	f.Comment("// A harness that decides which version Windows reports (Wine can) names it")
	f.Comment("// in VSSGEN_EXPECT_OS_VERSION as major.minor.build.")
	f.Func().Id("TestCurrentOSVersion").Params(tPtr()).Block(
		Id("got").Op(":=").Id("CurrentOSVersion").Call(),
		If(Id("got").Dot("Major").Op("==").Lit(0)).Block(
			fatalf("CurrentOSVersion() = %s, want a known version", Id("got")),
		),
		Id("want").Op(":=").Qual("os", "Getenv").Call(Lit("VSSGEN_EXPECT_OS_VERSION")),
		If(Id("want").Op("==").Lit("")).Block(
			Id("t").Dot("Logf").Call(Lit("running on Windows %s; set VSSGEN_EXPECT_OS_VERSION to check it"), Id("got")),
			Return(),
		),
		If(Id("got").Dot("String").Call().Op("!=").Id("want")).Block(
			fatalf("CurrentOSVersion() = %s, want %s", Id("got"), Id("want")),
		),
	)
}

// testFunctions writes TestDLLFunctions, which calls the DLL entry points
// as far as that is safe with the real DLLs.
func (c comTests) testFunctions(f *File) {
	if len(c.functions) == 0 {
		return
	}
	f.Comment("// _functions describes the DLL entry points.")
	f.Var().Id("_functions").Op("=").Index().Struct(
		Id("m").Id("Method"),
		Id("proc").Op("*").Qual(winPkg, "LazyProc"),
		Id("inputs").Bool().Comment("// the function takes in-parameters"),
		Id("params").Index().Id("_stubParam"),
		Id("call").Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Id("_stubResult"),
	).ValuesFunc(func(g *Group) {
		for _, fn := range c.functions {
			inputs := false
			for _, p := range fn.Params {
				inputs = inputs || p.Dir == model.In && !p.Reserved
			}
			d := Dict{
				Id("m"):    Id(fn.ID()),
				Id("proc"): Id("_proc" + fn.Name),
				Id("call"): c.callClosure(fn),
			}
			if inputs {
				d[Id("inputs")] = True()
			}
			if len(fn.Params) > 0 {
				d[Id("params")] = c.paramsLit(fn)
			}
			g.Line().Values(d)
		}
		g.Line()
	})
	fn := func(field string) *Statement { return Id("fn").Dot(field) }
	f.Comment("// TestDLLFunctions calls each DLL entry point whose procedure cannot be")
	f.Comment("// loaded, which must fail naming the DLL and the procedure, and each that")
	f.Comment("// takes no in-parameters, whose failure must be an *Error of the function;")
	f.Comment("// an object it returns is released. A function that takes in-parameters and")
	f.Comment("// is available is not called: it would act on made-up arguments. Each")
	f.Comment("// outcome is logged for harnesses to check.")
	f.Func().Id("TestDLLFunctions").Params(tPtr()).Block(
		For(List(Id("_"), Id("fn")).Op(":=").Range().Id("_functions")).Block(
			Id("t").Dot("Run").Call(fn("m").Dot("Name").Call(), Func().Params(tPtr()).Block(
				Id("obj").Op(":=").New(Id("_fakeObject")).Comment("// holds what address arguments point at"),
				If(Id("_isWOW64").Call()).Block(
					If(Err().Op(":=").Add(fn("call")).Call(Id("obj"), fn("params")).Dot("err"), Op("!").Qual("errors", "Is").Call(Err(), Id("ErrWOW64"))).Block(
						errorf("%s in a WOW64 process: %v, want ErrWOW64", fn("m"), Err()),
					),
					Return(),
				),
				Id("loadErr").Op(":=").Add(fn("proc")).Dot("Find").Call(),
				Switch().Block(
					Case(Id("loadErr").Op("!=").Nil()).Block(
						Id("err").Op(":=").Add(fn("call")).Call(Id("obj"), fn("params")).Dot("err"),
						If(Id("err").Op("==").Nil()).Block(
							fatalf("%s succeeded although its procedure does not load: %v", fn("m"), Id("loadErr")),
						),
						For(List(Id("_"), Id("name")).Op(":=").Range().Index().String().Values(fn("m").Dot("Interface").Call(), fn("m").Dot("Name").Call())).Block(
							If(Op("!").Qual("strings", "Contains").Call(Id("err").Dot("Error").Call(), Id("name"))).Block(
								errorf("the error %q does not name %s", Id("err"), Id("name")),
							),
						),
						Id("t").Dot("Log").Call(Id("err")),
					),
					Case(fn("inputs")).Block(
						Id("t").Dot("Logf").Call(Lit("%s is available; not called, as it takes in-parameters"), fn("m")),
					),
					Default().Block(
						Id("got").Op(":=").Add(fn("call")).Call(Id("obj"), fn("params")),
						If(Id("got").Dot("err").Op("==").Nil()).Block(
							Id("t").Dot("Logf").Call(Lit("%s succeeded"), fn("m")),
							For(List(Id("i"), Id("p")).Op(":=").Range().Add(fn("params"))).Block(
								If(Id("p").Dot("unknown").Op("&&").Id("got").Dot("ptrs").Index(Id("i")).Op("!=").Nil()).Block(
									Parens(Op("*").Id("IUnknown")).Call(Id("got").Dot("ptrs").Index(Id("i"))).Dot("Release").Call(),
								),
							),
							Return(),
						),
						Var().Id("e").Op("*").Id("Error"),
						If(Op("!").Qual("errors", "As").Call(Id("got").Dot("err"), Op("&").Id("e")).Op("||").Id("e").Dot("Method").Op("!=").Add(fn("m")).Op("||").Op("!").Id("e").Dot("Code").Dot("Failed").Call()).Block(
							fatalf("%s: %v, want an *Error of the function with a failure code", fn("m"), Id("got").Dot("err")),
						),
						Id("t").Dot("Logf").Call(Lit("%s failed with %s (%#x)"), fn("m"), Id("e").Dot("Code").Dot("String").Call(), Uint32().Call(Id("e").Dot("Code"))),
					),
				),
			)),
		),
	)
}

// waitCase is a fake operation for TestWaitContext and what WaitContext
// must make of it.
type waitCase struct {
	name        string
	statuses    []Code // what QueryStatus reports, one per call, the last repeated
	query       Code   // what QueryStatus returns; nil for S_OK
	cancel      Code   // what Cancel returns; nil for S_OK
	afterCancel Code   // what QueryStatus reports once Cancel was called; nil to go on with statuses
	expired     bool   // the context has expired when the wait starts
	// What WaitContext must return: nil, an *Error of method with code, or
	// an error that wraps the context's error and says text.
	method, code       Code
	wantCtx            bool
	text               string
	cancels            int // calls of Cancel
	queriesAfterCancel int // calls of QueryStatus after Cancel
}

// waitData picks the operation the WaitContext tests wait on: a method
// that hands out an IVssAsync, with a failure it documents as arriving
// through it; and an OS-version note whose code may arrive that way.
func (c comTests) waitData() (op *model.Method, failure uint32, note *osNote) {
	hands := func(m *model.Method) bool {
		for _, p := range m.Params {
			if p.Dir == model.Out && !p.Reserved && p.Type.Kind == model.InterfaceKind && p.Type.Interface.Name == "IVssAsync" {
				return true
			}
		}
		return false
	}
	failure = unusedValue(c.s)
	for _, m := range c.stubbed {
		if !hands(m) {
			continue
		}
		if op == nil {
			op = m
		}
		for _, r := range m.Returns {
			if r.Async && r.Code.Failed() {
				return m, r.Code.Value, c.waitNote(m, hands)
			}
		}
	}
	if op == nil {
		op = c.stubbed[0]
	}
	for _, r := range op.Returns {
		if r.Code.Failed() {
			return op, r.Code.Value, c.waitNote(op, hands)
		}
	}
	return op, failure, c.waitNote(op, hands)
}

// waitNote is an OS-version note whose code is a failure: one of op if it
// has one, else of the first method that hands out an IVssAsync, else of any
// method.
func (c comTests) waitNote(op *model.Method, hands func(*model.Method) bool) *osNote {
	notes := c.osNotes()
	for i := range notes {
		if notes[i].m == op {
			return &notes[i]
		}
	}
	for i := range notes {
		if hands(notes[i].m) {
			return &notes[i]
		}
	}
	if len(notes) > 0 {
		return &notes[0]
	}
	return nil
}

// firstFailure is the first failure code m documents, or a code the spec
// does not know.
func (c comTests) firstFailure(m *model.Method) Code {
	for _, r := range m.Returns {
		if r.Code.Failed() && !r.Async {
			return c.code(r.Code.Value)
		}
	}
	return c.code(unusedValue(c.s))
}

// testWait writes TestWaitContext when the spec declares what WaitContext uses.
func (c comTests) testWait(f *File) {
	if !hasAsync(c.s) {
		return
	}
	var async *model.Interface
	for _, it := range c.s.Interfaces {
		if it.Name == "IVssAsync" {
			async = it
		}
	}
	var queryStatus, cancel *model.Method
	for _, m := range async.Methods {
		switch m.Name {
		case "QueryStatus":
			queryStatus = m
		case "Cancel":
			cancel = m
		}
	}
	op, failure, note := c.waitData()
	finished := Code(Id("S_OK"))
	for _, h := range c.s.HRESULTs {
		if h.Name == "VSS_S_ASYNC_FINISHED" {
			finished = Id(h.Name)
		}
	}
	pending, cancelled := Id("VSS_S_ASYNC_PENDING"), Id("VSS_S_ASYNC_CANCELLED")
	opFailure := c.code(failure)
	cases := []waitCase{
		{name: "finishes", statuses: []Code{pending, pending, finished}},
		{name: "fails", statuses: []Code{pending, opFailure}, method: Id("_waitOp"), code: opFailure},
		{name: "QueryStatus fails", statuses: []Code{pending}, query: c.firstFailure(queryStatus), method: Id(queryStatus.ID()), code: c.firstFailure(queryStatus)},
		{name: "stays pending until cancelled", statuses: []Code{pending}, afterCancel: cancelled, expired: true,
			wantCtx: true, text: "cancelled", cancels: 1, queriesAfterCancel: 1},
		{name: "ignores Cancel", statuses: []Code{pending}, expired: true,
			wantCtx: true, text: "still pending after Cancel", cancels: 1, queriesAfterCancel: 1},
		{name: "finishes before Cancel takes effect", statuses: []Code{pending}, cancel: finished, afterCancel: finished, expired: true,
			cancels: 1, queriesAfterCancel: 1},
		{name: "fails before Cancel takes effect", statuses: []Code{pending}, afterCancel: opFailure, expired: true,
			method: Id("_waitOp"), code: opFailure, cancels: 1, queriesAfterCancel: 1},
		{name: "Cancel fails", statuses: []Code{pending}, cancel: c.firstFailure(cancel), expired: true,
			wantCtx: true, text: "cancelling failed", cancels: 1},
	}

	for _, line := range docComment(fmt.Sprintf("_waitOp is the operation the WaitContext tests wait on: %s hands out an IVssAsync and documents %s as a failure that may arrive through it.", op.FullName(), c.codeName(failure))) {
		f.Add(line)
	}
	f.Const().Id("_waitOp").Op("=").Id(op.ID())
	if note != nil {
		before, on := noteFields(note.sub.Note)
		for _, line := range docComment(fmt.Sprintf("_waitNote is an OS-version note of %s: on the systems it is about, the code observed stands for the one documented.", note.m.FullName())) {
			f.Add(line)
		}
		f.Var().Id("_waitNote").Op("=").Struct(
			Id("m").Id("Method"),
			List(Id("observed"), Id("documented")).Id("HRESULT"),
			Id("before").Id("OSVersion").Comment("// the note is about systems older than this, or"),
			Id("on").Index().Id("OSVersion").Comment("// about these (any build)"),
		).Values(Id(note.m.ID()), Id(note.sub.Observed.Name), Id(note.sub.Documented.Name), before, on)
	}
	tc := func(field string) *Statement { return Id("tc").Dot(field) }
	qs, cn := Id(queryStatus.ID()), Id(cancel.ID())
	f.Comment("// TestWaitContext waits on fake operations that finish, fail, stay pending")
	f.Comment("// until cancelled, ignore Cancel or fail to cancel, with contexts that stay")
	f.Comment("// alive or have expired, and checks what WaitContext makes of each: the")
	f.Comment("// operation's outcome, an *Error of the operation's method for a failure,")
	f.Comment("// and the context's error, after exactly one Cancel, when it ends first.")
	f.Func().Id("TestWaitContext").Params(tPtr()).BlockFunc(func(g *Group) {
		g.Id("tests").Op(":=").Index().Struct(
			Id("name").String(),
			Id("statuses").Index().Id("HRESULT").Comment("// what QueryStatus reports, one per call, the last repeated"),
			Id("query").Id("HRESULT").Comment("// what QueryStatus returns"),
			Id("cancel").Id("HRESULT").Comment("// what Cancel returns"),
			Id("afterCancel").Index().Id("HRESULT").Comment("// what QueryStatus reports once Cancel was called, if not statuses"),
			Id("expired").Bool().Comment("// the context has expired when the wait starts"),
			Comment("// What WaitContext must return: nil, an *Error of method with code,"),
			Comment("// or an error that wraps the context's error and says text."),
			Id("method").Id("Method"),
			Id("code").Id("HRESULT"),
			Id("wantCtx").Bool(),
			Id("text").String(),
			Id("cancels").Int().Comment("// calls of Cancel"),
			Id("queriesAfterCancel").Int().Comment("// calls of QueryStatus after Cancel: once, not a poll"),
		).ValuesFunc(func(v *Group) {
			for _, w := range cases {
				d := Dict{
					Id("name"):     Lit(w.name),
					Id("statuses"): Index().Id("HRESULT").Values(w.statuses...),
				}
				if w.query != nil {
					d[Id("query")] = w.query
				}
				if w.cancel != nil {
					d[Id("cancel")] = w.cancel
				}
				if w.afterCancel != nil {
					d[Id("afterCancel")] = Index().Id("HRESULT").Values(w.afterCancel)
				}
				if w.expired {
					d[Id("expired")] = True()
				}
				if w.method != nil {
					d[Id("method")], d[Id("code")] = w.method, w.code
				}
				if w.wantCtx {
					d[Id("wantCtx")] = True()
				}
				if w.text != "" {
					d[Id("text")] = Lit(w.text)
				}
				if w.cancels != 0 {
					d[Id("cancels")] = Lit(w.cancels)
				}
				if w.queriesAfterCancel != 0 {
					d[Id("queriesAfterCancel")] = Lit(w.queriesAfterCancel)
				}
				v.Line().Values(d)
			}
			v.Line()
		})
		g.For(List(Id("_"), Id("tc")).Op(":=").Range().Id("tests")).Block(
			Id("t").Dot("Run").Call(tc("name"), Func().Params(tPtr()).Block(
				Id("obj").Op(":=").Id("_newFake").Call(Lit("IVssAsync")),
				Id("status").Op(":=").Qual("slices", "Clone").Call(Id("_stubs").Index(qs.Clone()).Dot("params")),
				Id("obj").Dot("values").Op("=").Map(Id("Method")).Index().Id("_stubParam").Values(Dict{qs.Clone(): Id("status")}),
				Var().List(Id("queries"), Id("cancels"), Id("queriesAfterCancel")).Int(),
				Id("obj").Dot("hook").Op("=").Func().Params(Id("m").Id("Method")).Block(
					Switch(Id("m")).Block(
						Case(qs.Clone()).Block(
							Id("s").Op(":=").Add(tc("statuses")).Index(Min(Id("queries"), Len(tc("statuses")).Op("-").Lit(1))),
							Id("queries").Op("++"),
							If(Id("cancels").Op(">").Lit(0)).Block(
								Id("queriesAfterCancel").Op("++"),
								If(Len(tc("afterCancel")).Op(">").Lit(0)).Block(Id("s").Op("=").Add(tc("afterCancel")).Index(Lit(0))),
							),
							Id("status").Index(Lit(0)).Dot("word").Op("=").Uint64().Call(Id("s")),
							Id("obj").Dot("result").Op("=").Add(tc("query")),
						),
						Case(cn.Clone()).Block(
							Id("cancels").Op("++"),
							Id("obj").Dot("result").Op("=").Add(tc("cancel")),
						),
					),
				),
				Id("ctx").Op(":=").Qual("context", "Background").Call(),
				If(tc("expired")).Block(
					Var().Id("stop").Qual("context", "CancelFunc"),
					Comment("// A deadline in the past: the context has expired."),
					List(Id("ctx"), Id("stop")).Op("=").Qual("context", "WithDeadline").Call(Id("ctx"), Qual("time", "Unix").Call(Lit(0), Lit(0))),
					Defer().Id("stop").Call(),
				),
				Var().Id("err").Error(),
				Id("_fakeStack").Call(Func().Params().Block(
					Id("err").Op("=").Parens(Op("*").Id("IVssAsync")).Call(unsafePtr(Id("obj"))).Dot("WaitContext").Call(Id("ctx"), Id("_waitOp")),
				)),
				Line(),
				For(List(Id("_"), Id("problem")).Op(":=").Range().Id("obj").Dot("problems")).Block(Id("t").Dot("Error").Call(Id("problem"))),
				For(List(Id("slot"), Id("n")).Op(":=").Range().Id("obj").Dot("calls")).Block(
					If(Id("n").Op(">").Lit(0).Op("&&").Id("slot").Op("!=").Add(qs.Clone()).Dot("Slot").Call().Op("&&").Id("slot").Op("!=").Add(cn.Clone()).Dot("Slot").Call()).Block(
						errorf("slot %d was called %d times; WaitContext calls QueryStatus and Cancel only", Id("slot"), Id("n")),
					),
				),
				If(Id("cancels").Op("!=").Add(tc("cancels")).Op("||").Id("queriesAfterCancel").Op("!=").Add(tc("queriesAfterCancel"))).Block(
					errorf("Cancel called %d times and QueryStatus %d times after it, want %d and %d", Id("cancels"), Id("queriesAfterCancel"), tc("cancels"), tc("queriesAfterCancel")),
				),
				Switch().Block(
					Case(tc("method").Op("!=").Lit(0)).Block(
						Var().Id("e").Op("*").Id("Error"),
						If(Op("!").Qual("errors", "As").Call(Id("err"), Op("&").Id("e")).Op("||").Id("e").Dot("Method").Op("!=").Add(tc("method")).Op("||").Id("e").Dot("Code").Op("!=").Add(tc("code")).Op("||").Op("!").Qual("errors", "Is").Call(Id("err"), tc("code"))).Block(
							errorf("WaitContext = %v, want an *Error of %s with %s", Id("err"), tc("method"), tc("code").Dot("String").Call()),
						),
					),
					Case(tc("wantCtx")).Block(
						If(Op("!").Qual("errors", "Is").Call(Id("err"), Qual("context", "DeadlineExceeded")).Op("||").Op("!").Qual("strings", "Contains").Call(Qual("fmt", "Sprint").Call(Id("err")), tc("text"))).Block(
							errorf("WaitContext = %v, want an error that wraps %v and says %q", Id("err"), Qual("context", "DeadlineExceeded"), tc("text")),
						),
					),
					Default().Block(
						If(Id("err").Op("!=").Nil()).Block(errorf("WaitContext = %v, want nil", Id("err"))),
					),
				),
			)),
		)
		if note == nil {
			return
		}
		n := func(field string) *Statement { return Id("_waitNote").Dot(field) }
		g.Line()
		g.Comment("// An OS-version note of the operation applies to a status that arrives")
		g.Comment("// through the IVssAsync as it does to the call's result. The outcome is")
		g.Comment("// logged for harnesses to check.")
		g.Id("obj").Op(":=").Id("_newFake").Call(Lit("IVssAsync"))
		g.Id("status").Op(":=").Qual("slices", "Clone").Call(Id("_stubs").Index(qs.Clone()).Dot("params"))
		g.Id("status").Index(Lit(0)).Dot("word").Op("=").Uint64().Call(n("observed"))
		g.Id("obj").Dot("values").Op("=").Map(Id("Method")).Index().Id("_stubParam").Values(Dict{qs.Clone(): Id("status")})
		g.Id("current").Op(":=").Id("CurrentOSVersion").Call()
		g.Var().Id("err").Error()
		g.Id("_fakeStack").Call(Func().Params().Block(
			Id("err").Op("=").Parens(Op("*").Id("IVssAsync")).Call(unsafePtr(Id("obj"))).Dot("WaitContext").Call(Qual("context", "Background").Call(), n("m")),
		))
		g.Id("applies").Op(":=").Id("_noteApplies").Call(Id("current"), n("before"), n("on"))
		g.Id("matches").Op(":=").Qual("errors", "Is").Call(Id("err"), n("documented"))
		g.Id("t").Dot("Logf").Call(Lit("WaitContext for %s reported %s on Windows %s: errors.Is(err, %s) = %t"),
			n("m"), n("observed").Dot("String").Call(), Id("current"), n("documented").Dot("String").Call(), Id("matches"))
		g.If(Id("matches").Op("!=").Id("applies")).Block(
			errorf("WaitContext for %s reported %s on Windows %s: errors.Is(err, %s) = %t, want %t",
				n("m"), n("observed").Dot("String").Call(), Id("current"), n("documented").Dot("String").Call(), Id("matches"), Id("applies")),
		)
		g.Var().Id("e").Op("*").Id("Error")
		g.If(Op("!").Qual("errors", "As").Call(Id("err"), Op("&").Id("e")).Op("||").Id("e").Dot("Method").Op("!=").Add(n("m")).Op("||").Op("!").Qual("errors", "Is").Call(Id("err"), n("observed"))).Block(
			errorf("WaitContext = %v, want an *Error of %s matching %s", Id("err"), n("m"), n("observed").Dot("String").Call()),
		)
	})
}

func (c comTests) allocations(f *File) {
	f.Comment("// TestStubAllocations holds each stub that has a raw baseline to the")
	f.Comment("// allocations of the syscall.SyscallN call it wraps: the stub itself must")
	f.Comment("// add none. The figures of the stubs BenchmarkStubs times are logged.")
	f.Func().Id("TestStubAllocations").Params(tPtr()).Block(
		For(List(Id("_"), Id("m")).Op(":=").Range().Id("_stubMethods")).Block(
			Id("st").Op(":=").Id("_stubs").Index(Id("m")),
			If(Id("st").Dot("raw").Op("==").Nil()).Block(Continue()),
			Id("obj").Op(":=").Id("_newFake").Call(Id("st").Dot("iface")),
			Var().List(Id("stub"), Id("raw")).Float64(),
			Id("_fakeStack").Call(Func().Params().Block(
				Id("stub").Op("=").Qual("testing", "AllocsPerRun").Call(Lit(100), Func().Params().Block(Id("st").Dot("call").Call(Id("obj"), Id("st").Dot("params")))),
				Id("raw").Op("=").Qual("testing", "AllocsPerRun").Call(Lit(100), Func().Params().Block(Id("st").Dot("raw").Call(Id("obj"), Id("st").Dot("params")))),
			)),
			If(Id("stub").Op(">").Id("raw")).Block(
				errorf("%s: the stub allocates %v times per call, syscall.SyscallN alone %v", Id("m"), Id("stub"), Id("raw")),
			),
			If(Qual("slices", "Contains").Call(Id("_benchMethods"), Id("m"))).Block(
				Id("t").Dot("Logf").Call(Lit("%s: %v allocations per call through the stub, %v through syscall.SyscallN alone"), Id("m"), Id("stub"), Id("raw")),
			),
			For(List(Id("_"), Id("problem")).Op(":=").Range().Id("obj").Dot("problems")).Block(Id("t").Dot("Error").Call(Id("problem"))),
		),
	)
	f.Comment("// BenchmarkStubs times some stubs beside the bare syscall.SyscallN calls")
	f.Comment("// they make, both on a fake object whose methods return S_OK at once.")
	f.Func().Id("BenchmarkStubs").Params(Id("b").Op("*").Qual("testing", "B")).Block(
		For(List(Id("_"), Id("m")).Op(":=").Range().Id("_benchMethods")).Block(
			Id("st").Op(":=").Id("_stubs").Index(Id("m")),
			Id("obj").Op(":=").Id("_newFake").Call(Id("st").Dot("iface")),
			Id("b").Dot("Run").Call(Id("m").Dot("String").Call().Op("+").Lit("/stub"), Func().Params(Id("b").Op("*").Qual("testing", "B")).Block(
				Id("b").Dot("ReportAllocs").Call(),
				Id("_fakeStack").Call(Func().Params().Block(
					For(Id("b").Dot("Loop").Call()).Block(Id("st").Dot("call").Call(Id("obj"), Id("st").Dot("params"))),
				)),
			)),
			Id("b").Dot("Run").Call(Id("m").Dot("String").Call().Op("+").Lit("/raw"), Func().Params(Id("b").Op("*").Qual("testing", "B")).Block(
				Id("b").Dot("ReportAllocs").Call(),
				Id("_fakeStack").Call(Func().Params().Block(
					For(Id("b").Dot("Loop").Call()).Block(Id("st").Dot("raw").Call(Id("obj"), Id("st").Dot("params"))),
				)),
			)),
		),
	)
}
