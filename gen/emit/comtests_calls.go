package emit

// The tests of DLL functions, of WaitContext, and the allocation
// comparison with raw syscall.SyscallN calls.

import (
	"fmt"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

func (c comTests) testFunctions(f *File) {
	if len(c.functions) == 0 {
		return
	}
	f.Comment("// _functions describes the DLL entry points.")
	f.Var().Id("_functions").Op("=").Index().Struct(
		Id("m").Id("Method"),
		Id("proc").Op("*").Qual(winPkg, "LazyProc"),
		Id("inputs").Bool().Comment("// the function takes in-parameters"),
		wow64Field(c.s),
		Id("params").Index().Id("_stubParam"),
		Id("call").Func().Params(Id("obj").Op("*").Id("_fakeObject"), Id("p").Index().Id("_stubParam")).Id("_stubResult"),
	).ValuesFunc(func(g *Group) {
		for _, fn := range c.functions {
			inputs, refuses := false, false
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
			if lib := c.s.DLL(fn.DLL); lib != nil && lib.RefusesWOW64 != "" {
				refuses = true
			}
			if refuses {
				d[Id("wow64")] = True()
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
				wow64Check(c.s, fn),
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

type waitCase struct {
	name        string
	statuses    []Code // what QueryStatus reports, one per call, the last repeated
	query       Code   // what QueryStatus returns; nil for S_OK
	cancel      Code   // what Cancel returns; nil for S_OK
	wait        Code   // what Wait returns; nil for S_OK
	afterCancel Code   // what QueryStatus reports once Cancel was called; nil to go on with statuses
	expired     bool   // the context has expired when the wait starts
	// What WaitContext must return: nil, an *Error of method with code, an
	// error that wraps the context's error and says text, or (text without
	// method and wantCtx) an error that wraps code and says text.
	method, code       Code
	wantCtx            bool
	text               string
	cancels            int // calls of Cancel
	queriesAfterCancel int // calls of QueryStatus after Cancel
	waits              int // calls of Wait where Wait honours its timeout
}

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

func (c comTests) firstFailure(m *model.Method) Code {
	for _, r := range m.Returns {
		if r.Code.Failed() && !r.Async {
			return c.code(r.Code.Value)
		}
	}
	return c.code(unusedValue(c.s))
}

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
	var queryStatus, cancel, wait *model.Method
	for _, m := range async.Methods {
		switch m.Name {
		case "QueryStatus":
			queryStatus = m
		case "Cancel":
			cancel = m
		case "Wait":
			wait = m
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
		{name: "finishes", statuses: []Code{pending, pending, finished}, waits: 2},
		{name: "fails", statuses: []Code{pending, opFailure}, method: Id("_waitOp"), code: opFailure, waits: 1},
		{name: "is cancelled by someone else", statuses: []Code{pending, cancelled}, code: cancelled, text: "the operation was cancelled", waits: 1},
		{name: "Wait fails, so it polls", statuses: []Code{pending, pending, finished}, wait: c.firstFailure(wait), waits: 1},
		{name: "fails while waited on", statuses: []Code{pending, opFailure}, wait: opFailure, method: Id("_waitOp"), code: opFailure, waits: 1},
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
	qs, cn, wt := Id(queryStatus.ID()), Id(cancel.ID()), Id(wait.ID())
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
			Id("wait").Id("HRESULT").Comment("// what Wait returns"),
			Id("afterCancel").Index().Id("HRESULT").Comment("// what QueryStatus reports once Cancel was called, if not statuses"),
			Id("expired").Bool().Comment("// the context has expired when the wait starts"),
			Comment("// What WaitContext must return: nil, an *Error of method with code,"),
			Comment("// an error that wraps the context's error and says text, or (text"),
			Comment("// alone) an error that wraps code and says text."),
			Id("method").Id("Method"),
			Id("code").Id("HRESULT"),
			Id("wantCtx").Bool(),
			Id("text").String(),
			Id("cancels").Int().Comment("// calls of Cancel"),
			Id("queriesAfterCancel").Int().Comment("// calls of QueryStatus after Cancel: once, not a poll"),
			Id("waits").Int().Comment("// calls of Wait where it honours its timeout; none elsewhere"),
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
				if w.wait != nil {
					d[Id("wait")] = w.wait
				}
				if w.afterCancel != nil {
					d[Id("afterCancel")] = Index().Id("HRESULT").Values(w.afterCancel)
				}
				if w.expired {
					d[Id("expired")] = True()
				}
				if w.method != nil {
					d[Id("method")] = w.method
				}
				if w.code != nil {
					d[Id("code")] = w.code
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
				if w.waits != 0 {
					d[Id("waits")] = Lit(w.waits)
				}
				v.Line().Values(d)
			}
			v.Line()
		})
		g.For(List(Id("_"), Id("tc")).Op(":=").Range().Id("tests")).Block(
			Id("t").Dot("Run").Call(tc("name"), Func().Params(tPtr()).Block(
				Id("obj").Op(":=").Id("_newFake").Call(Lit("IVssAsync")),
				Id("status").Op(":=").Qual("slices", "Clone").Call(Id("_stubs").Index(qs.Clone()).Dot("params")),
				Comment("// WaitContext waits in slices of _waitSlice milliseconds."),
				Id("slice").Op(":=").Qual("slices", "Clone").Call(Id("_stubs").Index(wt.Clone()).Dot("params")),
				Id("slice").Index(Lit(0)).Dot("word").Op("=").Id("_waitSlice"),
				Id("obj").Dot("values").Op("=").Map(Id("Method")).Index().Id("_stubParam").Values(Dict{qs.Clone(): Id("status"), wt.Clone(): Id("slice")}),
				Var().List(Id("queries"), Id("cancels"), Id("queriesAfterCancel"), Id("waits")).Int(),
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
						Case(wt.Clone()).Block(
							Id("waits").Op("++"),
							Id("obj").Dot("result").Op("=").Add(tc("wait")),
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
					If(Id("n").Op(">").Lit(0).Op("&&").Id("slot").Op("!=").Add(qs.Clone()).Dot("Slot").Call().Op("&&").Id("slot").Op("!=").Add(cn.Clone()).Dot("Slot").Call().Op("&&").Id("slot").Op("!=").Add(wt.Clone()).Dot("Slot").Call()).Block(
						errorf("slot %d was called %d times; WaitContext calls QueryStatus, Wait and Cancel only", Id("slot"), Id("n")),
					),
				),
				Id("wantWaits").Op(":=").Lit(0),
				If(Id("_waitHonoursTimeout").Call(Id("CurrentOSVersion").Call())).Block(Id("wantWaits").Op("=").Add(tc("waits"))),
				If(Id("waits").Op("!=").Id("wantWaits")).Block(
					errorf("Wait called %d times on Windows %s, want %d", Id("waits"), Id("CurrentOSVersion").Call(), Id("wantWaits")),
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
					Case(tc("text").Op("!=").Lit("")).Block(
						If(Op("!").Qual("errors", "Is").Call(Id("err"), tc("code")).Op("||").Op("!").Qual("strings", "Contains").Call(Qual("fmt", "Sprint").Call(Id("err")), tc("text"))).Block(
							errorf("WaitContext = %v, want an error that wraps %s and says %q", Id("err"), tc("code").Dot("String").Call(), tc("text")),
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

// wow64Check is the part of TestDLLFunctions that runs in a 32-bit process
// on 64-bit Windows, when a DLL of the spec refuses WOW64: each function of
// such a DLL must return ErrWOW64 without calling. Functions of other DLLs
// are tested as in any process.
func wow64Check(s *model.Spec, fn func(string) *Statement) Code {
	if !s.RefusesWOW64() {
		return Null()
	}
	return If(fn("wow64").Op("&&").Id("_isWOW64").Call()).Block(
		If(Err().Op(":=").Add(fn("call")).Call(Id("obj"), fn("params")).Dot("err"), Op("!").Qual("errors", "Is").Call(Err(), Id("ErrWOW64"))).Block(
			errorf("%s in a WOW64 process: %v, want ErrWOW64", fn("m"), Err()),
		),
		Return(),
	)
}

// wow64Field is the field of _functions that says a function's DLL refuses
// WOW64, when a DLL of the spec does.
func wow64Field(s *model.Spec) Code {
	if !s.RefusesWOW64() {
		return Null()
	}
	return Id("wow64").Bool().Comment("// its DLL refuses WOW64 (refuses_wow64)")
}
