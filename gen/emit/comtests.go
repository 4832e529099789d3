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
// the identity of a failure, does not free what it must (a struct through
// its free function, a string or BSTR out-parameter once, counted by an
// IMallocSpy: see _verbatim/fakemalloc_windows_test.go), or touches the
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
	c.testFunctionFakes(f)
	c.testWait(f)
	c.allocations(f)

	out, err := render("com_windows_test.go", f)
	if err != nil {
		return nil, err
	}
	spy, err := verbatimFiles(s, cfg, "fakemalloc_windows_test.go", "bstr_windows_test.go")
	if err != nil {
		return nil, err
	}
	return append([]Output{out}, spy...), nil
}

type comTests struct {
	s         *model.Spec
	stubbed   []*model.Method // the methods of the spec's own interfaces
	functions []*model.Method // the DLL entry points
	// index numbers the stubbed methods, then the functions, so that the
	// values the tests use differ from method to method.
	index       map[*model.Method]int
	slots       int  // the size of the largest vtable
	params      int  // the most parameters a method or function takes, at least 1
	words       int  // the most argument words a method call takes, this included, on any architecture
	targetWords int  // 8-byte words in the largest struct a pointer argument may point at
	reserved    bool // some vtable has reserved slots, which the fakes leave empty
}

func newCOMTests(s *model.Spec) comTests {
	c := comTests{s: s, params: 1, index: map[*model.Method]int{}, targetWords: 2}
	for _, it := range s.Interfaces {
		c.slots = max(c.slots, it.VtableSize())
		c.reserved = c.reserved || len(it.Reserved) > 0
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
	// A DLL function's fake procedure hands the fake object a this word of
	// its own before the function's words, so functions count as methods.
	for _, m := range append(append([]*model.Method{}, c.stubbed...), c.functions...) {
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
	if p.Buffer != nil {
		return "_kindBuffer"
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
	case model.RawPointer, model.InterfaceKind, model.GUIDRef:
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
	if p.LengthOf != nil {
		// The length the object writes is that of the buffer it hands over.
		for j, q := range m.Params {
			if q == p.LengthOf {
				return paramValue{word: uint64(len(c.value(m, j).str))}
			}
		}
	}
	switch testKind(p) {
	case "_kindInteger":
		return paramValue{word: intValue(p.Dir, k, i, p.Type.Bytes)}
	case "_kindBuffer":
		// Bytes that are no text: a NUL, which a stub that copies up to
		// the first zero would stop at, and bytes above 0x7f.
		return paramValue{str: fmt.Sprintf("%s of %s:\x00\x01\x7f\x80\xfe\xff", p.Name, m.FullName())}
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
		s := fmt.Sprintf("%s %s of %s: \u00fc\u20ac\U0001D11E", dir, p.Name, m.FullName())
		if testKind(p) == "_kindBSTR" {
			// A BSTR is counted, not NUL-terminated: a NUL inside it must
			// arrive, and come back, with the text after it.
			s += "\x00after NUL"
		}
		return paramValue{str: s}
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
	switch {
	case bytes < 4:
		v &= 1<<(8*bytes-1) - 1
	case bytes == 8:
		// A high half that differs from the low one shows a 64-bit
		// integer cut to 32 bits or passed with its halves swapped.
		v |= (0x1C000000 | uint64(k)<<8 | uint64(i&0xff)) << 32
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
// hasUnknown reports whether it's vtable starts with IUnknown's methods.
// fakeTypes writes the sizes, kinds and types the fakes and the tests share,
// and the helpers that read and write C values.
// fakeABI writes _fakeArgs, the calling conventions of the three Windows
// architectures for a GUID or FILETIME passed by value.
// fakeObject writes the fake COM object: its state, the method every slot
// but IUnknown's calls, and IUnknown's methods.
// fakeVtables writes the callbacks and the vtables made of them.
// filledStructs are the structs stubs return by value, which the fakes fill.
// structFakes writes a fill function for each struct the stubs return by
// value, and the fakes of the functions that free structs.
// fill writes _fakeFill_<struct>, which fills st as a COM server would and
// returns what a stub must return for it: the Go copy for a struct with a
// free function, the struct itself otherwise.
// fieldValue puts the value of field j of st into raw, the C-layout
// literal, and goCopy, the Go copy's literal. Fields of kinds a fill leaves
// zero (pointers, interfaces, nested structs) are left out of both.
// stubTable writes _stubs, the table every test of the stubs reads.
// benchMethods are the stubs worth timing: IVssAsync's, or else those of
// the first interface that has stubs with a raw baseline, and the first
// stub that passes a GUID by value.
// rawable reports whether a stub's arguments are all words the test can
// pass to syscall.SyscallN without converting anything.
// paramsLit is the []_stubParam of m, values included.
// callClosure is the call function of a stub's table entry: it calls the
// stub of m (a method on obj, or a DLL function) with the in-values of p
// and stores what it returns in a _stubResult.
// inArg is the Go argument the test passes for in-parameter i.
// outType is the Go type a stub returns out-parameter p as.
// storeOut stores the stub's out-value out of parameter i in the result r.
// rawClosure is the raw function of a rawable stub's table entry: the call
// the stub makes, with syscall.SyscallN alone and the same words.
// stubCase is one row of TestStubs.
// stubCases are every documented return code of every method (but those
// documented as arriving through an IVssAsync, which the call itself never
// returns), every status code delivered through an HRESULT out-parameter of
// a call that succeeds, and a failure code the spec does not know.
// osNote is an OS-version note that makes a method return a failure code
// where its documentation names another.
// noteFields are the fields of a note as data: the systems it is about.
// testFunctions writes TestDLLFunctions, which calls the DLL entry points
// as far as that is safe with the real DLLs.
// waitCase is a fake operation for TestWaitContext and what WaitContext
// must make of it.
// waitData picks the operation the WaitContext tests wait on: a method
// that hands out an IVssAsync, with a failure it documents as arriving
// through it; and an OS-version note whose code may arrive that way.
// waitNote is an OS-version note whose code is a failure: one of op if it
// has one, else of the first method that hands out an IVssAsync, else of any
// method.
// firstFailure is the first failure code m documents, or a code the spec
// does not know.
// testWait writes TestWaitContext when the spec declares what WaitContext uses.
