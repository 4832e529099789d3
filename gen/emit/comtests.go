package emit

import (
	"fmt"
	"maps"
	"strconv"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// COMTests emits com_windows_test.go: tests that call every stub through
// the vtable of a fake COM object. The fake's vtable entries are Go
// functions made callable from C with syscall.NewCallback and placed at the
// spec's slot numbers, so a stub that calls the wrong slot, drops, reorders
// or garbles an argument, passes a reserved parameter that is not NULL,
// loses a success code, an out-parameter or the identity of a failure, or
// touches the reference count, fails here. They run on Windows and under
// Wine; a harness that sets VSSGEN_EXPECT_OS_VERSION also has the version
// the stubs detect checked, and with it the OS-version notes.
func COMTests(s *model.Spec, cfg Config) ([]Output, error) {
	f := newGoFile(s, cfg, "windows")
	c := newCOMTests(s)
	c.fake(f)
	c.stubTable(f)
	c.testStubs(f)
	c.testIUnknown(f)
	c.testOSNotes(f)
	c.testCurrentOS(f)
	c.allocations(f)

	out, err := render("com_windows_test.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{out}, nil
}

type comTests struct {
	s       *model.Spec
	methods []*model.Method // every method, IUnknown's first
	stubbed []*model.Method // the methods of the spec's own interfaces
	slots   int             // the size of the largest vtable
	params  int             // the most parameters a method has, at least 1
}

func newCOMTests(s *model.Spec) comTests {
	c := comTests{s: s, params: 1}
	for _, it := range s.Interfaces {
		c.methods = append(c.methods, it.Methods...)
		if !it.Builtin {
			c.stubbed = append(c.stubbed, it.Methods...)
		}
		c.slots = max(c.slots, len(it.AllMethods()))
		for _, m := range it.Methods {
			c.params = max(c.params, len(m.Params))
		}
	}
	return c
}

// Codes COM fixes, written as numbers because a spec need not list them.
const (
	comENoInterface = 0x80004002
	comEPointer     = 0x80004003
)

// inValue is the value the tests pass for in-parameter i of m, and
// outValue the one the fake writes to out-parameter i: distinct per slot
// and position so that a swapped or dropped argument shows, and below
// 1<<31 so they mean the same as int32, uint32 and HRESULT.
func inValue(m *model.Method, i int) uint32 {
	return 0x3A110000 | uint32(m.Slot&0xff)<<8 | uint32(i&0xff)
}

func outValue(m *model.Method, i int) uint32 {
	return 0x5EED0000 | uint32(m.Slot&0xff)<<8 | uint32(i&0xff)
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
			if it.IID == g {
				g.Data1++
				taken = true
			}
		}
	}
	return g
}

func guidLit(g model.GUID) Code {
	return Qual("golang.org/x/sys/windows", "GUID").Values(Dict{
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

// fakeReturn is what a callback returns: a 32-bit result with the upper
// half of the word set, as COM leaves it undefined on 64-bit systems.
func fakeReturn(v Code) Code {
	return Return(Id("_fakeUpper").Op("|").Uintptr().Call(v))
}

func (c comTests) fake(f *File) {
	f.Comment("// The tests below call every stub through the vtable of a fake COM object")
	f.Comment("// whose entries are Go functions made callable from C with")
	f.Comment("// syscall.NewCallback, placed at the spec's slot numbers.")
	f.Line()
	f.Comment("// _fakeSlots is the size of the largest vtable of the spec.")
	f.Const().Id("_fakeSlots").Op("=").Lit(c.slots)
	f.Comment("// _fakeMaxParams is the largest number of parameters a method takes after this.")
	f.Const().Id("_fakeMaxParams").Op("=").Lit(c.params)
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

	f.Comment("// _fakeObject is a COM object made in Go: its first word points at a vtable,")
	f.Comment("// as COM's binary layout requires, and the rest is the fake's state. A test")
	f.Comment("// sets what the methods answer; the callbacks record what reached them.")
	f.Type().Id("_fakeObject").Struct(
		Id("lpVtbl").Op("*").Uintptr(),
		Id("vtbl").Index().Uintptr().Comment("// the vtable lpVtbl points into"),
		Id("iids").Index().Qual("golang.org/x/sys/windows", "GUID").Comment("// the interfaces QueryInterface grants"),
		Id("refs").Uint32(),
		Line(),
		Id("result").Id("HRESULT").Comment("// what every method but AddRef and Release returns"),
		Id("outs").Index(Id("_fakeMaxParams")).Uint64().Comment("// what each out-parameter receives, by parameter index"),
		Line(),
		Id("calls").Index(Id("_fakeSlots")).Int().Comment("// calls per vtable slot"),
		Id("args").Index(Id("_fakeMaxParams")).Uintptr().Comment("// the words the last call received after this, by parameter index"),
	)

	f.Comment("// _fakeVtables holds one vtable per interface, filled at the spec's slot")
	f.Comment("// numbers. syscall.NewCallback makes at most about 2000 callbacks per process")
	f.Comment("// and never frees them, so each is made once and shared by every fake.")
	f.Var().Id("_fakeVtables").Op("=").Qual("sync", "OnceValue").Call(Func().Params().Map(String()).Index().Uintptr().Block(
		Id("cb").Op(":=").Map(Id("Method")).Uintptr().Values(DictFunc(func(d Dict) {
			for _, m := range c.methods {
				d[Id(m.ID())] = Qual("syscall", "NewCallback").Call(c.callback(m))
			}
		})),
		Return(Map(String()).Index().Uintptr().Values(DictFunc(func(d Dict) {
			for _, it := range c.s.Interfaces {
				d[Lit(it.Name)] = Values(DictFunc(func(v Dict) {
					for _, m := range it.AllMethods() {
						v[Lit(m.Slot)] = Id("cb").Index(Id(m.ID()))
					}
				}))
			}
		}))),
	))

	f.Comment("// _fakeIIDs lists for each interface the IIDs its objects answer")
	f.Comment("// QueryInterface for: its own and its bases'.")
	f.Var().Id("_fakeIIDs").Op("=").Map(String()).Index().Qual("golang.org/x/sys/windows", "GUID").Values(DictFunc(func(d Dict) {
		for _, it := range c.s.Interfaces {
			d[Lit(it.Name)] = ValuesFunc(func(g *Group) {
				for _, x := range it.Chain() {
					g.Id("IID_" + x.Name)
				}
			})
		}
	}))
	f.Comment("// _fakeInterfaces names every interface of the spec.")
	f.Var().Id("_fakeInterfaces").Op("=").Index().String().ValuesFunc(func(g *Group) {
		for _, it := range c.s.Interfaces {
			g.Lit(it.Name)
		}
	})

	f.Comment("// _newFake makes an object of the named interface holding one reference.")
	f.Func().Id("_newFake").Params(Id("iface").String()).Op("*").Id("_fakeObject").Block(
		Id("vt").Op(":=").Id("_fakeVtables").Call().Index(Id("iface")),
		Return(Op("&").Id("_fakeObject").Values(Dict{
			Id("lpVtbl"): Op("&").Id("vt").Index(Lit(0)),
			Id("vtbl"):   Id("vt"),
			Id("iids"):   Id("_fakeIIDs").Index(Id("iface")),
			Id("refs"):   Lit(1),
		})),
	)
}

// callback is the fake implementation of m. Its parameters after the
// object are named after the spec's, which never start with an underscore.
// In-parameters and reserved ones arrive as whole words; out-parameters as
// typed pointers, which the fake fills.
func (c comTests) callback(m *model.Method) Code {
	this := Id("_this")
	count := this.Clone().Dot("calls").Index(Lit(m.Slot)).Op("++")
	if m.Interface.Builtin {
		switch m.Name {
		case "QueryInterface":
			return Func().Params(
				Id("_this").Op("*").Id("_fakeObject"),
				Id("riid").Op("*").Qual("golang.org/x/sys/windows", "GUID"),
				Id("ppvObject").Op("*").Qual("unsafe", "Pointer"),
			).Uintptr().Block(
				count,
				If(Id("ppvObject").Op("==").Nil()).Block(fakeReturn(Id("_fakeE_POINTER"))),
				Op("*").Id("ppvObject").Op("=").Nil(),
				If(Id("riid").Op("==").Nil().Op("||").Op("!").Qual("slices", "Contains").Call(Id("_this").Dot("iids"), Op("*").Id("riid"))).Block(
					fakeReturn(Id("_fakeE_NOINTERFACE")),
				),
				Op("*").Id("ppvObject").Op("=").Qual("unsafe", "Pointer").Call(Id("_this")),
				Id("_this").Dot("refs").Op("++"),
				fakeReturn(Lit(0)),
			)
		default: // AddRef, Release
			op := "++"
			if m.Name == "Release" {
				op = "--"
			}
			return Func().Params(Id("_this").Op("*").Id("_fakeObject")).Uintptr().Block(
				count,
				Id("_this").Dot("refs").Op(op),
				fakeReturn(Id("_this").Dot("refs")),
			)
		}
	}
	params := []Code{Id("_this").Op("*").Id("_fakeObject")}
	body := []Code{count}
	for i, p := range m.Params {
		if p.Dir == model.In || p.Reserved {
			// A word the fake only looks at. A reserved pointer stays a
			// uintptr: a stub that gets it wrong may pass garbage, which
			// must not reach the garbage collector as a pointer.
			params = append(params, Id(p.Name).Uintptr())
			body = append(body, Id("_this").Dot("args").Index(Lit(i)).Op("=").Id(p.Name))
			continue
		}
		params = append(params, Id(p.Name).Op("*").Id(p.Type.Go))
		body = append(body,
			Id("_this").Dot("args").Index(Lit(i)).Op("=").Uintptr().Call(Qual("unsafe", "Pointer").Call(Id(p.Name))),
			If(Id(p.Name).Op("!=").Nil()).Block(
				Op("*").Id(p.Name).Op("=").Id(p.Type.Go).Call(Id("_this").Dot("outs").Index(Lit(i))),
			),
		)
	}
	body = append(body, fakeReturn(Id("_this").Dot("result")))
	return Func().Params(params...).Uintptr().Block(body...)
}

// paramKind names how the tests check parameter p as it arrives.
func paramKind(p *model.Param) string {
	switch {
	case p.Reserved && p.Dir == model.In:
		return "_paramReservedIn"
	case p.Reserved:
		return "_paramReservedOut"
	case p.Dir == model.In:
		return "_paramIn"
	}
	return "_paramOut"
}

func (c comTests) stubTable(f *File) {
	f.Comment("// _paramKind says how a parameter must arrive at the object.")
	f.Type().Id("_paramKind").Int()
	f.Const().Defs(
		Id("_paramIn").Id("_paramKind").Op("=").Iota().Comment("// with the value the test passed"),
		Id("_paramOut").Comment("// as a pointer the object can write through"),
		Id("_paramReservedIn").Comment("// as zero"),
		Id("_paramReservedOut").Comment("// as NULL"),
	)
	f.Comment("// _stubParam is a parameter of a method after this.")
	f.Type().Id("_stubParam").Struct(
		Id("name").String(),
		Id("kind").Id("_paramKind"),
		Id("in").Uint32().Comment("// the value the test passes, for _paramIn"),
	)
	f.Comment("// _stubResult is what a stub returned.")
	f.Type().Id("_stubResult").Struct(
		Id("outs").Index(Id("_fakeMaxParams")).Uint64().Comment("// out-parameters, by parameter index"),
		Id("hr").Id("HRESULT").Comment("// for stubs that return the HRESULT beside the error"),
		Id("err").Error(),
	)
	f.Comment("// _stub says how the tests call one stub.")
	f.Type().Id("_stub").Struct(
		List(Id("iface"), Id("name")).String(),
		Id("params").Index().Id("_stubParam"),
		Id("keepsHR").Bool().Comment("// the stub returns the HRESULT beside the error"),
		Comment("// call calls the stub on obj, passing each in-parameter's value."),
		Id("call").Func().Params(Id("obj").Op("*").Id("_fakeObject")).Id("_stubResult"),
		Comment("// raw makes the same call with syscall.SyscallN alone, as a baseline."),
		Id("raw").Func().Params(Id("obj").Op("*").Id("_fakeObject")).Id("HRESULT"),
	)

	f.Comment("// _stubs describes every stub of the spec's interfaces.")
	f.Var().Id("_stubs").Op("=").Map(Id("Method")).Id("_stub").Values(DictFunc(func(d Dict) {
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
}

func (c comTests) stubEntry(m *model.Method) Code {
	keepsHR := len(m.SuccessCodes()) > 0
	obj := Parens(Op("*").Id(m.Interface.Name)).Call(Qual("unsafe", "Pointer").Call(Id("obj")))

	var (
		params  []Code
		inArgs  []Code // arguments of the stub
		outVars []Code // declarations of the out variables
		results []Code // left-hand side of the stub call
		keep    []Code // copies of the out values into the result
		rawArgs []Code // arguments after the function pointer of the raw call
	)
	rawArgs = append(rawArgs, Uintptr().Call(Qual("unsafe", "Pointer").Call(Id("obj"))))
	for i, p := range m.Params {
		entry := Dict{Id("name"): Lit(p.Name), Id("kind"): Id(paramKind(p))}
		out := "out" + strconv.Itoa(i)
		switch {
		case p.Reserved:
			rawArgs = append(rawArgs, Lit(0))
		case p.Dir == model.In:
			v := Id(fmt.Sprintf("0x%08X", inValue(m, i)))
			entry[Id("in")] = v
			inArgs = append(inArgs, v)
			rawArgs = append(rawArgs, v)
		default:
			outVars = append(outVars, Var().Id(out).Id(p.Type.Go))
			results = append(results, Id(out))
			keep = append(keep, Id("r").Dot("outs").Index(Lit(i)).Op("=").Uint64().Call(Id(out)))
			rawArgs = append(rawArgs, Uintptr().Call(Qual("unsafe", "Pointer").Call(Op("&").Id(out))))
		}
		params = append(params, Values(entry))
	}
	if keepsHR {
		results = append(results, Id("r").Dot("hr"))
	}
	results = append(results, Id("r").Dot("err"))

	call := append([]Code{}, outVars...)
	call = append(call, List(results...).Op("=").Add(obj).Dot(m.Name).Call(inArgs...))
	call = append(call, keep...)
	call = append(call, Return(Id("r")))

	raw := append([]Code{}, outVars...)
	raw = append(raw,
		List(Id("r"), Id("_"), Id("_")).Op(":=").Qual("syscall", "SyscallN").Call(
			append([]Code{Id("obj").Dot("vtbl").Index(Lit(m.Slot))}, rawArgs...)...),
		Return(Id("HRESULT").Call(Id("r"))),
	)

	entry := Dict{
		Id("iface"): Lit(m.Interface.Name),
		Id("name"):  Lit(m.Name),
		Id("call"):  Func().Params(Id("obj").Op("*").Id("_fakeObject")).Params(Id("r").Id("_stubResult")).Block(call...),
		Id("raw"):   Func().Params(Id("obj").Op("*").Id("_fakeObject")).Id("HRESULT").Block(raw...),
	}
	if keepsHR {
		entry[Id("keepsHR")] = True()
	}
	if len(params) > 0 {
		entry[Id("params")] = Index().Id("_stubParam").Values(params...)
	}
	return Values(entry)
}

// stubCase is one row of TestStubs.
type stubCase struct {
	name   string
	m      *model.Method
	result uint32
	outs   map[int]uint32
}

func (c comTests) stubCases() []stubCase {
	unknown := unusedValue(c.s)
	var cases []stubCase
	for _, m := range c.stubbed {
		outs := map[int]uint32{}
		status := -1 // the HRESULT out-parameter that carries the status codes
		for i, p := range m.Params {
			if p.Dir == model.Out && !p.Reserved {
				outs[i] = outValue(m, i)
				if status < 0 && p.Type.C == "HRESULT" {
					status = i
				}
			}
		}
		for _, r := range m.Returns {
			cases = append(cases, stubCase{m.FullName() + "/" + r.Code.Name, m, r.Code.Value, outs})
		}
		// Status codes come with the first documented success code, S_OK
		// when the documentation lists none.
		var success uint32
		for _, r := range m.Returns {
			if !r.Code.Failed() {
				success = r.Code.Value
				break
			}
		}
		for _, r := range m.StatusCodes {
			if status < 0 {
				break
			}
			o := maps.Clone(outs)
			o[status] = r.Code.Value
			cases = append(cases, stubCase{m.FullName() + "/" + c.codeName(success) + "/" + m.Params[status].Name + "=" + r.Code.Name, m, success, o})
		}
		cases = append(cases, stubCase{m.FullName() + "/undocumented " + hexLit(unknown), m, unknown, outs})
	}
	return cases
}

func (c comTests) testStubs(f *File) {
	f.Comment("// _stubCases are the calls TestStubs makes: every documented return code of")
	f.Comment("// every method, every status code delivered through an HRESULT")
	f.Comment("// out-parameter, and a failure code the spec does not know.")
	f.Var().Id("_stubCases").Op("=").Index().Struct(
		Id("name").String(),
		Id("m").Id("Method"),
		Id("result").Id("HRESULT").Comment("// what the fake returns"),
		Id("outs").Index(Id("_fakeMaxParams")).Uint64().Comment("// what the fake writes to the out-parameters"),
	).ValuesFunc(func(g *Group) {
		for _, tc := range c.stubCases() {
			outs := Index(Id("_fakeMaxParams")).Uint64().Values(DictFunc(func(d Dict) {
				for i, v := range tc.outs {
					d[Lit(i)] = Id(fmt.Sprintf("0x%08X", v))
				}
			}))
			g.Line().Values(Lit(tc.name), Id(tc.m.ID()), c.code(tc.result), outs)
		}
		g.Line()
	})

	t := Id("t")
	errorf := func(format string, args ...Code) Code {
		return t.Clone().Dot("Errorf").Call(append([]Code{Lit(format)}, args...)...)
	}
	tc := func(field string) *Statement { return Id("tc").Dot(field) }
	st := func(field string) *Statement { return Id("st").Dot(field) }

	f.Comment("// TestStubs calls every stub on a fake object that answers with each code")
	f.Comment("// in turn, and checks what reached the object and what came back.")
	f.Func().Id("TestStubs").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("current").Op(":=").Id("CurrentOSVersion").Call(),
		For(List(Id("_"), Id("tc")).Op(":=").Range().Id("_stubCases")).Block(
			Id("t").Dot("Run").Call(tc("name"), Func().Params(Id("t").Op("*").Qual("testing", "T")).Block(
				Id("st").Op(":=").Id("_stubs").Index(tc("m")),
				Id("obj").Op(":=").Id("_newFake").Call(st("iface")),
				List(Id("obj").Dot("result"), Id("obj").Dot("outs")).Op("=").List(tc("result"), tc("outs")),
				Id("got").Op(":=").Id("st").Dot("call").Call(Id("obj")),
				Line(),
				Comment("// Exactly the method's own slot was called."),
				For(List(Id("slot"), Id("n")).Op(":=").Range().Id("obj").Dot("calls")).Block(
					Id("want").Op(":=").Lit(0),
					If(Id("slot").Op("==").Add(tc("m")).Dot("Slot").Call()).Block(Id("want").Op("=").Lit(1)),
					If(Id("n").Op("!=").Id("want")).Block(
						errorf("slot %d was called %d times, want %d", Id("slot"), Id("n"), Id("want")),
					),
				),
				Comment("// Every parameter arrived, in its place."),
				For(List(Id("i"), Id("p")).Op(":=").Range().Add(st("params"))).Block(
					Id("word").Op(":=").Id("obj").Dot("args").Index(Id("i")),
					Switch(Id("p").Dot("kind")).Block(
						Case(Id("_paramIn")).Block(
							If(Uint32().Call(Id("word")).Op("!=").Id("p").Dot("in")).Block(
								errorf("parameter %d (%s) arrived as %#x, want %#x", Id("i").Op("+").Lit(1), Id("p").Dot("name"), Uint32().Call(Id("word")), Id("p").Dot("in")),
							),
						),
						Case(Id("_paramOut")).Block(
							If(Id("word").Op("==").Lit(0)).Block(
								errorf("out-parameter %d (%s) arrived as NULL", Id("i").Op("+").Lit(1), Id("p").Dot("name")),
							),
						),
						Case(Id("_paramReservedIn")).Block(
							If(Uint32().Call(Id("word")).Op("!=").Lit(0)).Block(
								errorf("reserved parameter %d (%s) arrived as %#x, want 0", Id("i").Op("+").Lit(1), Id("p").Dot("name"), Uint32().Call(Id("word"))),
							),
						),
						Case(Id("_paramReservedOut")).Block(
							If(Id("word").Op("!=").Lit(0)).Block(
								errorf("reserved parameter %d (%s) arrived as %#x, want NULL", Id("i").Op("+").Lit(1), Id("p").Dot("name"), Id("word")),
							),
						),
					),
				),
				Comment("// Success codes stay observable."),
				If(st("keepsHR").Op("&&").Id("got").Dot("hr").Op("!=").Add(tc("result"))).Block(
					errorf("the stub returned hr %s, want %s", Id("got").Dot("hr").Dot("String").Call(), tc("result").Dot("String").Call()),
				),
				If(Op("!").Add(tc("result")).Dot("Failed").Call()).Block(
					If(Id("got").Dot("err").Op("!=").Nil()).Block(
						errorf("error %v for the success code %s", Id("got").Dot("err"), tc("result").Dot("String").Call()),
					),
					For(List(Id("i"), Id("p")).Op(":=").Range().Add(st("params"))).Block(
						If(Id("p").Dot("kind").Op("==").Id("_paramOut").Op("&&").Id("got").Dot("outs").Index(Id("i")).Op("!=").Add(tc("outs")).Index(Id("i"))).Block(
							errorf("out-parameter %s = %#x, want %#x", Id("p").Dot("name"), Id("got").Dot("outs").Index(Id("i")), tc("outs").Index(Id("i"))),
						),
					),
				).Else().Block(
					Comment("// A failure carries interface, method, code and the system's version."),
					Var().Id("e").Op("*").Id("Error"),
					If(Op("!").Qual("errors", "As").Call(Id("got").Dot("err"), Op("&").Id("e"))).Block(
						Id("t").Dot("Fatalf").Call(Lit("error %v for %s is not an *Error"), Id("got").Dot("err"), tc("result").Dot("String").Call()),
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
	errorf := func(format string, args ...Code) Code {
		return Id("t").Dot("Errorf").Call(append([]Code{Lit(format)}, args...)...)
	}
	f.Comment("// TestIUnknownStubs calls QueryInterface, AddRef and Release on an object of")
	f.Comment("// each interface: the counts must balance, QueryInterface must hand out the")
	f.Comment("// object with a reference for each IID of the interface and its bases, and a")
	f.Comment("// refusal must come back as an error of IUnknown.QueryInterface.")
	f.Func().Id("TestIUnknownStubs").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		For(List(Id("_"), Id("iface")).Op(":=").Range().Id("_fakeInterfaces")).Block(
			Id("t").Dot("Run").Call(Id("iface"), Func().Params(Id("t").Op("*").Qual("testing", "T")).Block(
				Id("obj").Op(":=").Id("_newFake").Call(Id("iface")),
				Id("unk").Op(":=").Parens(Op("*").Id("IUnknown")).Call(Qual("unsafe", "Pointer").Call(Id("obj"))),
				If(Id("n").Op(":=").Id("unk").Dot("AddRef").Call(), Id("n").Op("!=").Lit(2).Op("||").Id("obj").Dot("refs").Op("!=").Lit(2)).Block(
					errorf("AddRef = %d with %d references, want 2", Id("n"), Id("obj").Dot("refs")),
				),
				If(Id("n").Op(":=").Id("unk").Dot("Release").Call(), Id("n").Op("!=").Lit(1).Op("||").Id("obj").Dot("refs").Op("!=").Lit(1)).Block(
					errorf("Release = %d with %d references, want 1", Id("n"), Id("obj").Dot("refs")),
				),
				For(List(Id("_"), Id("iid")).Op(":=").Range().Id("obj").Dot("iids")).Block(
					List(Id("p"), Id("err")).Op(":=").Id("unk").Dot("QueryInterface").Call(Op("&").Id("iid")),
					If(Id("err").Op("!=").Nil().Op("||").Id("p").Op("!=").Qual("unsafe", "Pointer").Call(Id("obj"))).Block(
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
				Comment("// Slots 0 to 2 are IUnknown's in every vtable."),
				Id("calls").Op(":=").Index(Lit(3)).Int().Call(Id("obj").Dot("calls").Index(Op(":").Lit(3))),
				If(Id("want").Op(":=").Index(Lit(3)).Int().Values(Len(Id("obj").Dot("iids")).Op("+").Lit(1), Lit(1), Len(Id("obj").Dot("iids")).Op("+").Lit(1)), Id("calls").Op("!=").Id("want")).Block(
					errorf("calls of QueryInterface, AddRef, Release = %v, want %v", Id("calls"), Id("want")),
				),
				If(Id("obj").Dot("refs").Op("!=").Lit(1)).Block(
					errorf("%d references at the end, want 1", Id("obj").Dot("refs")),
				),
			)),
		),
	)
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
		for _, m := range c.stubbed {
			for _, sub := range m.Substitutions() {
				if !sub.Observed.Failed() {
					continue // a success code never becomes an error
				}
				before := Code(Id("OSVersion").Values())
				if sub.Note.Before != nil {
					before = osLit(sub.Note.Before)
				}
				on := Code(Nil())
				if len(sub.Note.On) > 0 {
					on = Index().Id("OSVersion").ValuesFunc(func(v *Group) {
						for _, o := range sub.Note.On {
							v.Add(osLit(o))
						}
					})
				}
				g.Line().Values(Id(m.ID()), Id(sub.Observed.Name), Id(sub.Documented.Name), before, on)
			}
		}
		g.Line()
	})

	f.Comment("// TestStubOSNotes has each stub fail with the code an OS-version note is")
	f.Comment("// about. On the systems the note names the error must match the documented")
	f.Comment("// code too, elsewhere only the code returned; the version is the one the")
	f.Comment("// stubs detect. Each outcome is logged for harnesses to check.")
	f.Func().Id("TestStubOSNotes").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("current").Op(":=").Id("CurrentOSVersion").Call(),
		For(List(Id("_"), Id("tc")).Op(":=").Range().Id("_osNoteCases")).Block(
			Id("applies").Op(":=").Id("current").Op("!=").Id("OSVersion").Values().Op("&&").Parens(
				Id("current").Dot("Major").Op("<").Id("tc").Dot("before").Dot("Major").Op("||").
					Id("current").Dot("Major").Op("==").Id("tc").Dot("before").Dot("Major").Op("&&").Id("current").Dot("Minor").Op("<").Id("tc").Dot("before").Dot("Minor")),
			For(List(Id("_"), Id("o")).Op(":=").Range().Id("tc").Dot("on")).Block(
				If(Id("o").Dot("Major").Op("==").Id("current").Dot("Major").Op("&&").Id("o").Dot("Minor").Op("==").Id("current").Dot("Minor")).Block(
					Id("applies").Op("=").True(),
				),
			),
			Id("obj").Op(":=").Id("_newFake").Call(Id("_stubs").Index(Id("tc").Dot("m")).Dot("iface")),
			Id("obj").Dot("result").Op("=").Id("tc").Dot("observed"),
			Id("err").Op(":=").Id("_stubs").Index(Id("tc").Dot("m")).Dot("call").Call(Id("obj")).Dot("err"),
			Id("matches").Op(":=").Qual("errors", "Is").Call(Id("err"), Id("tc").Dot("documented")),
			Id("t").Dot("Logf").Call(Lit("%s returned %s on Windows %s: errors.Is(err, %s) = %t"),
				Id("tc").Dot("m"), Id("tc").Dot("observed").Dot("String").Call(), Id("current"), Id("tc").Dot("documented").Dot("String").Call(), Id("matches")),
			If(Id("matches").Op("!=").Id("applies")).Block(
				Id("t").Dot("Errorf").Call(Lit("%s returned %s on Windows %s: errors.Is(err, %s) = %t, want %t"),
					Id("tc").Dot("m"), Id("tc").Dot("observed").Dot("String").Call(), Id("current"), Id("tc").Dot("documented").Dot("String").Call(), Id("matches"), Id("applies")),
			),
			If(Op("!").Qual("errors", "Is").Call(Id("err"), Id("tc").Dot("observed"))).Block(
				Id("t").Dot("Errorf").Call(Lit("%s returned %s: errors.Is(%v, %s) = false"),
					Id("tc").Dot("m"), Id("tc").Dot("observed").Dot("String").Call(), Id("err"), Id("tc").Dot("observed").Dot("String").Call()),
			),
		),
	)
}

func (c comTests) testCurrentOS(f *File) {
	f.Comment("// TestCurrentOSVersion checks the version that stubs put into their errors.")
	f.Comment("// A harness that decides which version Windows reports (Wine can) names it")
	f.Comment("// in VSSGEN_EXPECT_OS_VERSION as major.minor.build.")
	f.Func().Id("TestCurrentOSVersion").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		Id("got").Op(":=").Id("CurrentOSVersion").Call(),
		If(Id("got").Dot("Major").Op("==").Lit(0)).Block(
			Id("t").Dot("Fatalf").Call(Lit("CurrentOSVersion() = %s, want a known version"), Id("got")),
		),
		Id("want").Op(":=").Qual("os", "Getenv").Call(Lit("VSSGEN_EXPECT_OS_VERSION")),
		If(Id("want").Op("==").Lit("")).Block(
			Id("t").Dot("Logf").Call(Lit("running on Windows %s; set VSSGEN_EXPECT_OS_VERSION to check it"), Id("got")),
			Return(),
		),
		If(Id("got").Dot("String").Call().Op("!=").Id("want")).Block(
			Id("t").Dot("Fatalf").Call(Lit("CurrentOSVersion() = %s, want %s"), Id("got"), Id("want")),
		),
	)
}

func (c comTests) allocations(f *File) {
	f.Comment("// TestStubAllocations holds each stub to the allocations of the")
	f.Comment("// syscall.SyscallN call it wraps: the stub itself must add none.")
	f.Func().Id("TestStubAllocations").Params(Id("t").Op("*").Qual("testing", "T")).Block(
		For(List(Id("_"), Id("m")).Op(":=").Range().Id("_stubMethods")).Block(
			Id("st").Op(":=").Id("_stubs").Index(Id("m")),
			Id("obj").Op(":=").Id("_newFake").Call(Id("st").Dot("iface")),
			Id("stub").Op(":=").Qual("testing", "AllocsPerRun").Call(Lit(100), Func().Params().Block(Id("st").Dot("call").Call(Id("obj")))),
			Id("raw").Op(":=").Qual("testing", "AllocsPerRun").Call(Lit(100), Func().Params().Block(Id("st").Dot("raw").Call(Id("obj")))),
			If(Id("stub").Op(">").Id("raw")).Block(
				Id("t").Dot("Errorf").Call(Lit("%s: the stub allocates %v times per call, syscall.SyscallN alone %v"), Id("m"), Id("stub"), Id("raw")),
			),
		),
	)
	f.Comment("// BenchmarkStubs times each stub beside the bare syscall.SyscallN call it")
	f.Comment("// makes, both on a fake object whose methods return S_OK at once.")
	f.Func().Id("BenchmarkStubs").Params(Id("b").Op("*").Qual("testing", "B")).Block(
		For(List(Id("_"), Id("m")).Op(":=").Range().Id("_stubMethods")).Block(
			Id("st").Op(":=").Id("_stubs").Index(Id("m")),
			Id("obj").Op(":=").Id("_newFake").Call(Id("st").Dot("iface")),
			Id("b").Dot("Run").Call(Id("m").Dot("String").Call().Op("+").Lit("/stub"), Func().Params(Id("b").Op("*").Qual("testing", "B")).Block(
				Id("b").Dot("ReportAllocs").Call(),
				For(Id("b").Dot("Loop").Call()).Block(Id("st").Dot("call").Call(Id("obj"))),
			)),
			Id("b").Dot("Run").Call(Id("m").Dot("String").Call().Op("+").Lit("/raw"), Func().Params(Id("b").Op("*").Qual("testing", "B")).Block(
				Id("b").Dot("ReportAllocs").Call(),
				For(Id("b").Dot("Loop").Call()).Block(Id("st").Dot("raw").Call(Id("obj"))),
			)),
		),
	)
}
