package emit

// The table of every stub and the tests that call each one through a fake
// object, and the IUnknown tests.

import (
	"fmt"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

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

func rawable(m *model.Method) bool {
	for _, p := range m.Params {
		if p.Reserved {
			continue
		}
		if p.ByPtr || p.Buffer != nil {
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
	if m.Result != nil {
		d[Id("ret")] = Op("&").Id("_stubParam").Values(resultParam(m.Result))
	}
	if m.Void {
		d[Id("void")] = True()
	}
	if rawable(m) {
		d[Id("raw")] = c.rawClosure(m)
	}
	return Op("&").Id("_stub").Values(d)
}

// resultParam describes a method's result to the fakes as a _stubParam:
// its kind and C size.
func resultParam(t *model.Type) Dict {
	p := &model.Param{Name: "ret", Dir: model.Out, Type: t}
	kind := testKind(p)
	d := Dict{Id("name"): Lit("ret"), Id("kind"): Id(kind), Id("out"): True()}
	switch {
	case kind == "_kindInteger" && t.PtrSized:
		d[Id("bytes")] = Id("_fakePtrBytes")
	case kind == "_kindInteger" || kind == "_kindBool":
		d[Id("bytes")] = Lit(testBytes(p))
	}
	return d
}

// resultWords are the words the fake returns for a method's result in the
// tests, with the results the stub must make of them: an integer with
// every bit above its C size set, which the stub must drop; a boolean true
// whose low byte is zero and a false whose upper bits are set; for a
// pointer, the fake returns an address of its own and no word is needed.
func resultWords(m *model.Method, k uint32) []struct {
	name string
	word uint64
} {
	type rw = struct {
		name string
		word uint64
	}
	t := m.Result
	switch {
	case m.Void:
		return []rw{{"void", ^uint64(0)}}
	case t.Kind == model.RawPointer || t.Kind == model.InterfaceKind:
		return []rw{{"returns a pointer", 0}}
	case t.Kind == model.Boolean:
		garbage := ^uint64(0) << (8 * t.Bytes)
		truth := uint64(1)
		if t.Bytes == 4 {
			truth = 0x100
		}
		return []rw{{"returns true", garbage | truth}, {"returns false", garbage}}
	}
	bytes := t.Bytes
	if t.Kind == model.EnumKind || t.Kind == model.Status {
		bytes = 4
	}
	v := intValue(model.Out, k, 0xff, bytes)
	if bytes < 8 {
		v |= ^uint64(0) << (8 * bytes)
	}
	return []rw{{fmt.Sprintf("returns %#x", v), v}}
}

func (c comTests) paramsLit(m *model.Method) Code {
	return Index().Id("_stubParam").ValuesFunc(func(g *Group) {
		for i, p := range m.Params {
			kind := testKind(p)
			d := Dict{
				Id("name"): Lit(p.Name),
				Id("kind"): Id(kind),
			}
			switch {
			case kind == "_kindInteger" && p.Type.PtrSized && !p.ByPtr:
				d[Id("bytes")] = Id("_fakePtrBytes")
			case kind == "_kindInteger" || kind == "_kindBool" || p.Reserved:
				d[Id("bytes")] = Lit(testBytes(p))
			}
			if p.Dir == model.Out {
				d[Id("out")] = True()
			}
			if p.Reserved {
				d[Id("reserved")] = True()
			}
			if p.Optional {
				d[Id("optional")] = True()
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
				if p.Type.Struct.Frees() {
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

func (c comTests) callClosure(m *model.Method) Code {
	var (
		body    []Code
		args    []Code
		results []Code
		post    []Code
	)
	for i, p := range m.Params {
		if p.Reserved || p.LengthOf != nil {
			continue // a buffer's length comes back as the buffer's len
		}
		if p.Dir == model.In {
			args = append(args, inArg(p, i))
			continue
		}
		out := Id(fmt.Sprintf("out%d", i))
		body = append(body, Var().Add(out).Add(outType(p)))
		results = append(results, out)
		post = append(post, storeOut(p, i, out))
		if p.Buffer != nil {
			for j, q := range m.Params {
				if q == p.Buffer.Length {
					post = append(post, Id("r").Dot("words").Index(Lit(j)).Op("=").Uint64().Call(Len(out.Clone())))
				}
			}
		}
	}
	if t := m.Result; t != nil {
		body = append(body, Var().Id("ret").Add(goType(t)))
		results = append(results, Id("ret"))
		switch t.Kind {
		case model.RawPointer, model.InterfaceKind:
			post = append(post, Id("r").Dot("retPtr").Op("=").Add(unsafePtr(Id("ret"))))
		case model.Boolean:
			post = append(post, Id("r").Dot("ret").Op("=").Id("_fakeBoolWord").Call(Id("ret")))
		default:
			post = append(post, Id("r").Dot("ret").Op("=").Uint64().Call(Id("ret")))
		}
	}
	if len(m.SuccessCodes()) > 0 {
		results = append(results, Id("r").Dot("hr"))
	}
	if m.ReturnsHRESULT() || m.Interface == nil {
		results = append(results, Id("r").Dot("err"))
	}
	target := Id(m.Name)
	if m.Interface != nil {
		target = Parens(Op("*").Id(m.Interface.Name)).Call(unsafePtr(Id("obj"))).Dot(m.GoMethodName())
	}
	if len(results) == 0 {
		body = append(body, Add(target).Call(args...))
	} else {
		body = append(body, List(results...).Op("=").Add(target).Call(args...))
	}
	body = append(body, post...)
	body = append(body, Return(Id("r")))
	return Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Params(Id("r").Id("_stubResult")).Block(body...)
}

func inArg(p *model.Param, i int) Code {
	v := Id("p").Index(Lit(i))
	target := Id("obj").Dot("target").Call(Lit(i))
	t := p.Type
	switch {
	case p.Optional && (t.Kind == model.WString || t.Kind == model.BSTRKind):
		return Id("_fakeOptional").Call(Op("&").Add(v))
	case p.Optional:
		target = Id("obj").Dot("in").Call(Lit(i), Op("&").Add(v.Clone()))
	}
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
	case t.Kind == model.GUIDRef:
		return Parens(Op("*").Qual(winPkg, "GUID")).Call(target)
	case t.Kind == model.InterfaceKind:
		return Parens(Op("*").Id(t.Interface.Name)).Call(target)
	}
	return Id(t.Go).Call(v.Dot("word"))
}

func outType(p *model.Param) Code {
	t := p.Type
	switch {
	case p.Buffer != nil:
		return Index().Byte()
	case p.ByPtr:
		return Op("*").Id(t.Struct.Name)
	case t.Kind == model.StructKind && t.Struct.GoName != "":
		return Id(t.Struct.GoName)
	}
	return goType(t)
}

func storeOut(p *model.Param, i int, out *Statement) Code {
	r := func(field string) *Statement { return Id("r").Dot(field).Index(Lit(i)) }
	switch {
	case p.Buffer != nil:
		return r("strs").Op("=").String().Call(out)
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

func (c comTests) rawClosure(m *model.Method) Code {
	fn := Id("obj").Dot("vtbl").Index(Lit(m.Slot))
	byValue := false
	for _, p := range m.Params {
		byValue = byValue || byValueStruct(p) || byValue64(p)
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
			case byValue64(p) && p.Reserved:
				// A 64-bit integer takes the words of a FILETIME.
				body = append(body, Id("a").Dot("putFiletime").Call(Lit(0)))
			case byValue64(p):
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

type stubCase struct {
	name   string
	m      *model.Method
	result uint32 // what the fake returns
	status int    // the HRESULT out-parameter that carries code, or -1
	code   uint32
	// undocumented: result is a success code the method does not document,
	// which must come back as an *Error.
	undocumented bool
	absent       bool   // the optional parameters are passed as nil
	ret          uint64 // what the fake returns for a method that returns no HRESULT
}

func (c comTests) stubCases() []stubCase {
	unknown, unknownSuccess := unusedValue(c.s), unusedSuccess(c.s)
	var cases []stubCase
	for _, m := range c.stubbed {
		status := -1
		for i, p := range m.Params {
			if p.Dir == model.Out && !p.Reserved && !p.ByPtr && p.Type.Kind == model.Status {
				status = i
				break
			}
		}
		if !m.ReturnsHRESULT() {
			// No codes: the result comes back as the object returned it.
			words := resultWords(m, uint32(c.index[m])&0xffff)
			for _, w := range words {
				cases = append(cases, stubCase{name: m.FullName() + "/" + w.name, m: m, status: -1, ret: w.word})
			}
			for _, r := range m.StatusCodes {
				if status < 0 {
					break
				}
				cases = append(cases, stubCase{name: m.FullName() + "/" + m.Params[status].Name + "=" + r.Code.Name, m: m, status: status, code: r.Code.Value, ret: words[0].word})
			}
			for _, p := range m.Params {
				if p.Optional {
					cases = append(cases, stubCase{name: m.FullName() + "/optional parameters absent", m: m, status: -1, absent: true, ret: words[0].word})
					break
				}
			}
			continue
		}
		for _, r := range m.Returns {
			if !r.Async {
				cases = append(cases, stubCase{name: m.FullName() + "/" + r.Code.Name, m: m, result: r.Code.Value, status: -1})
			}
		}
		// Status codes come with the first documented success code, S_OK
		// when the documentation lists none.
		var success uint32
		documentsSuccess := false
		for _, r := range m.Returns {
			if !r.Code.Failed() && !r.Async {
				success, documentsSuccess = r.Code.Value, true
				break
			}
		}
		// A method whose documentation lists no success code (or no codes
		// at all) still succeeds with S_OK, and its out-parameters, and the
		// freeing of what they hand over, must be checked then too.
		if !documentsSuccess {
			cases = append(cases, stubCase{name: m.FullName() + "/" + c.codeName(0), m: m, result: 0, status: -1})
		}
		for _, r := range m.StatusCodes {
			if status < 0 {
				break
			}
			name := m.FullName() + "/" + c.codeName(success) + "/" + m.Params[status].Name + "=" + r.Code.Name
			cases = append(cases, stubCase{name: name, m: m, result: success, status: status, code: r.Code.Value})
		}
		cases = append(cases, stubCase{name: m.FullName() + "/undocumented " + hexLit(unknown), m: m, result: unknown, status: -1})
		cases = append(cases, stubCase{name: m.FullName() + "/undocumented success " + hexLit(unknownSuccess), m: m, result: unknownSuccess, status: -1, undocumented: true})
		for _, p := range m.Params {
			if p.Optional {
				cases = append(cases, stubCase{name: m.FullName() + "/" + c.codeName(success) + "/optional parameters absent", m: m, result: success, status: -1, absent: true})
				break
			}
		}
	}
	return cases
}

func (c comTests) testStubs(f *File) {
	f.Comment("// _stubCases are the calls TestStubs makes: every documented return code of")
	f.Comment("// every method (but those documented as arriving through an operation")
	f.Comment("// object the method hands out), every status code delivered through an")
	f.Comment("// HRESULT out-parameter, and a failure code the spec does not know, a")
	f.Comment("// success code the method does not document, and, for a method with")
	f.Comment("// optional parameters, a call that passes them as nil.")
	f.Var().Id("_stubCases").Op("=").Index().Struct(
		Id("name").String(),
		Id("m").Id("Method"),
		Id("result").Id("HRESULT").Comment("// what the object returns"),
		Id("status").Int().Comment("// the HRESULT out-parameter that carries code, or -1"),
		Id("code").Id("HRESULT"),
		Id("undocumented").Bool().Comment("// result is a success code the method does not document: an *Error"),
		Id("absent").Bool().Comment("// the optional parameters are passed as nil and must arrive as NULL"),
		Id("ret").Uint64().Comment("// what the object returns for a method that returns no HRESULT"),
	).ValuesFunc(func(g *Group) {
		for _, tc := range c.stubCases() {
			code := Code(Lit(0))
			if tc.status >= 0 {
				code = c.code(tc.code)
			}
			g.Line().Values(Lit(tc.name), Id(tc.m.ID()), c.code(tc.result), Lit(tc.status), code, Lit(tc.undocumented), Lit(tc.absent), Id(fmt.Sprintf("0x%X", tc.ret)))
		}
		g.Line()
	})

	f.Comment("// _checkResult compares what a method that returns no HRESULT returned with")
	f.Comment("// what the object returned, word: only the result's C size counts. On 386")
	f.Comment("// a 64-bit result comes back in EDX:EAX, and a Go callback sets EAX alone,")
	f.Comment("// so there only the low half can be compared.")
	f.Func().Id("_checkResult").Params(tPtr(), Id("obj").Op("*").Id("_fakeObject"), Id("p").Op("*").Id("_stubParam"), Id("word").Uint64(), Id("got").Op("*").Id("_stubResult")).Block(
		Id("t").Dot("Helper").Call(),
		Switch(Id("p").Dot("kind")).Block(
			Case(Id("_kindPointer")).Block(
				If(Id("want").Op(":=").Add(unsafePtr(Op("&").Id("obj").Dot("retTarget"))), Id("got").Dot("retPtr").Op("!=").Id("want")).Block(
					errorf("the stub returned %p, want %p, the address the object returned", Id("got").Dot("retPtr"), Id("want")),
				),
			),
			Case(Id("_kindBool")).Block(
				If(Id("want").Op(":=").Id("_fakeBoolWord").Call(Id("_fakeLow").Call(Id("word"), Id("p").Dot("bytes")).Op("!=").Lit(0)), Id("got").Dot("ret").Op("!=").Id("want")).Block(
					errorf("the stub returned %t, want %t: the object returned %#x, of which %d bytes count", Id("got").Dot("ret").Op("!=").Lit(0), Id("want").Op("!=").Lit(0), Id("word"), Id("p").Dot("bytes")),
				),
			),
			Default().Block(
				List(Id("gotRet"), Id("want")).Op(":=").List(Id("got").Dot("ret"), Id("_fakeLow").Call(Id("word"), Id("p").Dot("bytes"))),
				If(Qual("runtime", "GOARCH").Op("==").Lit("386").Op("&&").Id("p").Dot("bytes").Op("==").Lit(8)).Block(
					List(Id("gotRet"), Id("want")).Op("=").List(Id("_fakeLow").Call(Id("gotRet"), Lit(4)), Id("_fakeLow").Call(Id("want"), Lit(4))),
				),
				If(Id("gotRet").Op("!=").Id("want")).Block(
					errorf("the stub returned %#x, want %#x: the object returned %#x, of which %d bytes count", Id("gotRet"), Id("want"), Id("word"), Id("p").Dot("bytes")),
				),
			),
		),
	)

	p := func(field string) *Statement { return Id("p").Dot(field) }
	got := func(field string) *Statement { return Id("got").Dot(field).Index(Id("i")) }
	n := func() *Statement { return Id("i").Op("+").Lit(1) }
	f.Comment("// _checkOut compares out-parameter i of a call that succeeded with what the")
	f.Comment("// object wrote, and checks that a struct, string or BSTR the stub must free")
	f.Comment("// was freed once.")
	f.Func().Id("_checkOut").Params(tPtr(), Id("obj").Op("*").Id("_fakeObject"), Id("i").Int(), Id("p").Op("*").Id("_stubParam"), Id("got").Op("*").Id("_stubResult")).Block(
		Id("t").Dot("Helper").Call(),
		If(Op("!").Add(p("out")).Op("||").Add(p("reserved"))).Block(Return()),
		Switch(p("kind")).Block(
			Case(Id("_kindInteger"), Id("_kindFiletime")).Block(
				Id("want").Op(":=").Add(p("word")),
				If(p("kind").Op("==").Id("_kindInteger")).Block(
					Id("want").Op("=").Id("_fakeLow").Call(Id("want"), p("bytes")),
				),
				If(got("words").Op("!=").Id("want")).Block(
					errorf("out-parameter %d (%s) = %#x, want %#x", n(), p("name"), got("words"), Id("want")),
				),
			),
			Case(Id("_kindBool")).Block(
				If(Id("want").Op(":=").Id("_fakeBoolWord").Call(p("word").Op("!=").Lit(0)), got("words").Op("!=").Id("want")).Block(
					errorf("out-parameter %d (%s) = %t, want %t: the object wrote %#x in %d bytes", n(), p("name"), got("words").Op("!=").Lit(0), Id("want").Op("!=").Lit(0), p("word"), p("bytes")),
				),
			),
			Case(Id("_kindWString"), Id("_kindBSTR"), Id("_kindBuffer")).Block(
				If(got("strs").Op("!=").Add(p("str"))).Block(
					errorf("out-parameter %d (%s) = %q, want %q", n(), p("name"), got("strs"), p("str")),
				),
				Comment("// The stub frees the string or buffer once, as it frees a struct."),
				List(Id("what"), Id("free")).Op(":=").List(Lit("string"), Lit("CoTaskMemFree")),
				Switch(p("kind")).Block(
					Case(Id("_kindBSTR")).Block(List(Id("what"), Id("free")).Op("=").List(Lit("BSTR"), Lit("SysFreeString"))),
					Case(Id("_kindBuffer")).Block(Id("what").Op("=").Lit("buffer")),
				),
				If(Len(Id("obj").Dot("allocs").Index(Id("i"))).Op("==").Lit(0)).Block(
					errorf("out-parameter %d (%s): the task allocator saw no allocation of the %s the object wrote, so its free cannot be counted", n(), p("name"), Id("what")),
				),
				For(List(Id("_"), Id("b")).Op(":=").Range().Id("obj").Dot("allocs").Index(Id("i"))).Block(
					If(Id("freed").Op(":=").Id("_spyFreed").Call(Id("b")), Id("freed").Op("!=").Lit(1)).Block(
						errorf("out-parameter %d (%s): the %s the object allocated (block %#x) was freed %d times, want once with %s", n(), p("name"), Id("what"), Id("b"), Id("freed"), Id("free")),
					),
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
				Comment("// Each string the object allocated in the struct is freed once."),
				For(List(Id("_"), Id("b")).Op(":=").Range().Id("obj").Dot("allocs").Index(Id("i"))).Block(
					If(Id("freed").Op(":=").Id("_spyFreed").Call(Id("b")), Id("freed").Op("!=").Lit(1)).Block(
						errorf("out-parameter %d (%s): a string the object allocated in the struct (block %#x) was freed %d times, want once", n(), p("name"), Id("b"), Id("freed")),
					),
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
		Id("_spyWatch").Call(Id("t")),
		Id("_fakeVtables").Call(),
		Id("t").Dot("Logf").Call(Lit("%d callbacks serve the fakes of %d interfaces"), Id("_fakeCallbacks"), Len(Id("_fakeInterfaces"))),
		Id("current").Op(":=").Id("CurrentOSVersion").Call(),
		For(List(Id("_"), Id("tc")).Op(":=").Range().Id("_stubCases")).Block(
			Id("t").Dot("Run").Call(tc("name"), Func().Params(tPtr()).Block(
				Id("st").Op(":=").Id("_stubs").Index(tc("m")),
				Id("obj").Op(":=").Id("_newFake").Call(st("iface")),
				Id("obj").Dot("result").Op("=").Add(tc("result")),
				Id("obj").Dot("ret").Op("=").Add(tc("ret")),
				Id("params").Op(":=").Add(st("params")),
				If(tc("status").Op(">=").Lit(0)).Block(
					Id("params").Op("=").Qual("slices", "Clone").Call(Id("params")),
					Id("params").Index(tc("status")).Dot("word").Op("=").Uint64().Call(tc("code")),
					Id("obj").Dot("values").Op("=").Map(Id("Method")).Index().Id("_stubParam").Values(Dict{tc("m"): Id("params")}),
				),
				If(tc("absent")).Block(
					Id("params").Op("=").Qual("slices", "Clone").Call(Id("params")),
					For(Id("i").Op(":=").Range().Id("params")).Block(
						Id("params").Index(Id("i")).Dot("absent").Op("=").Id("params").Index(Id("i")).Dot("optional"),
					),
					Id("obj").Dot("values").Op("=").Map(Id("Method")).Index().Id("_stubParam").Values(Dict{tc("m"): Id("params")}),
				),
				Id("_fakeFreed").Op("=").Nil(),
				Var().Id("got").Id("_stubResult"),
				Id("_fakeStack").Call(Func().Params().Block(Id("got").Op("=").Id("st").Dot("call").Call(Id("obj"), Id("params")))),
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
				Comment("// A result other than an HRESULT comes back as the object returned it."),
				If(st("ret").Op("!=").Nil()).Block(
					Id("_checkResult").Call(Id("t"), Id("obj"), st("ret"), tc("ret"), Op("&").Id("got")),
				),
				Comment("// Success codes stay observable."),
				If(st("keepsHR").Op("&&").Id("got").Dot("hr").Op("!=").Add(tc("result"))).Block(
					errorf("the stub returned hr %s, want %s", Id("got").Dot("hr").Dot("String").Call(), tc("result").Dot("String").Call()),
				),
				If(Op("!").Add(tc("result")).Dot("Failed").Call()).Block(
					If(Op("!").Add(tc("undocumented")).Op("&&").Id("got").Dot("err").Op("!=").Nil()).Block(
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
				),
				If(tc("result").Dot("Failed").Call().Op("||").Add(tc("undocumented"))).Block(
					Comment("// A failure, or a success code the method does not document, carries"),
					Comment("// interface, method, code and the system's version."),
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
					If(tc("result").Dot("Failed").Call().Op("&&").Len(Id("_fakeFreed")).Op("!=").Lit(0)).Block(
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
