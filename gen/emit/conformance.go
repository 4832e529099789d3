package emit

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/vssgen/vssgen/gen/model"
)

// Conformance emits conformance/<package>_conformance.c, a C program that
// holds the spec against the Windows SDK headers. Compiled with mingw-w64
// gcc (x86_64 or i686), every fact the headers can state is a static
// assertion named after its fact ("IVssAsync.Wait slot"), so a
// disagreement stops the build with that name:
//   - every vtable slot of every interface, inherited ones included, and
//     the size of each vtable;
//   - the signature (calling convention, return type, parameter types) of
//     every method, in every vtable that holds it, and of every DLL
//     function;
//   - every HRESULT value, enum value and enum size;
//   - the C type of every struct and union member, and, for the
//     architecture being compiled, every struct's size, alignment and field
//     offsets as model.Struct.Layout computes them (the layout the Go
//     structs are checked against).
//
// IIDs are not constant expressions in C, and whether a DLL exports a
// function is a fact of the system, not of the headers: the program
// compares the IIDs and looks the functions up when it runs.
//
// The file lives in a subdirectory without Go files, where the go tool does
// not look for C sources. Spec prose never reaches it: only names (validated
// identifiers), header and DLL file names (validated), numbers and the
// fixed C types of the model.
func Conformance(s *model.Spec, cfg Config) ([]Output, error) {
	program := s.Package + "_conformance"
	name := program + ".c"
	c := &cWriter{}
	p := c.printf

	for _, l := range headerLines(s, cfg) {
		p("/* %s */\n", cCommentText(l))
	}
	p(`
/*
 * This program checks the spec against the Windows SDK headers. Compile it
 * as C11 with a mingw-w64 gcc for each target, for example
 *
 *     x86_64-w64-mingw32-gcc -std=c11 -o conformance.exe %s
 *     i686-w64-mingw32-gcc -std=c11 -o conformance.exe %s
 *
 * Vtable slots, signatures, values and struct layouts are static
 * assertions: the compiler reports every fact the headers contradict by
 * its name. When the program runs it compares the IIDs and looks up the
 * DLL functions, prints each that differs or is missing, and exits with
 * status 1; when everything agrees it says so and exits with status 0.
 */

/* initguid.h first, so that the headers below define the IIDs they declare. */
#include <initguid.h>
#include <windows.h>
`, name, name)
	for _, h := range conformanceHeaders(s) {
		p("#include <%s>\n", h)
	}
	p("#include <stddef.h>\n#include <stdio.h>\n")

	conformanceSlots(c, s)
	conformanceSignatures(c, s)
	conformanceValues(c, s)
	if err := conformanceStructs(c, s); err != nil {
		return nil, err
	}
	conformanceProgram(c, s, program)
	return []Output{{Name: "conformance/" + name, Data: c.buf.Bytes()}}, nil
}

// cWriter collects the C file and counts its static assertions.
type cWriter struct {
	buf   bytes.Buffer
	facts int
	// checks counts the signatures checked by a call (callCheck), which
	// names its functions by number.
	checks int
}

func (c *cWriter) printf(format string, args ...any) { fmt.Fprintf(&c.buf, format, args...) }

// assert writes a static assertion of cond named fact.
func (c *cWriter) assert(cond, fact string) {
	c.printf("_Static_assert(%s, \"%s\");\n", cond, fact)
	c.facts++
}

// conformanceHeaders are the headers the program includes, each once: those
// the interfaces, enums, structs, DLL functions and HRESULT codes of the
// spec name (header:), in that order, then winerror.h, which defines the
// standard codes (windows.h includes it too). A DLL function without a
// header must be declared by one of the others.
func conformanceHeaders(s *model.Spec) []string {
	var hs []string
	add := func(h string) {
		if h != "" && !slices.Contains(hs, h) {
			hs = append(hs, h)
		}
	}
	for _, it := range s.Interfaces {
		add(it.Header)
	}
	for _, e := range s.Enums {
		add(e.Header)
	}
	for _, st := range s.Structs {
		add(st.Header)
	}
	for _, fn := range s.Functions {
		add(fn.Header)
	}
	for _, h := range s.HRESULTs {
		add(h.Header)
	}
	add("winerror.h")
	return hs
}

// conformanceSlots checks every slot of every vtable: the C headers repeat
// the inherited methods in each interface's own vtable struct, so a derived
// interface is checked for its base's slots too.
func conformanceSlots(c *cWriter, s *model.Spec) {
	c.printf("\n/* Vtable slots: the index of each method's pointer in each vtable that holds it, and each vtable's length. */\n")
	for _, it := range s.Interfaces {
		all := it.AllMethods()
		for _, m := range all {
			c.assert(fmt.Sprintf("offsetof(%sVtbl, %s) / sizeof(void *) == %d", it.Name, m.Name, m.Slot), it.Name+"."+m.Name+" slot")
		}
		c.assert(fmt.Sprintf("sizeof(%sVtbl) / sizeof(void *) == %d", it.Name, it.VtableSize()), it.Name+" vtable size")
	}
}

// iunknownMethods are the C signatures of IUnknown's methods, fixed by COM
// rather than by the spec: the return type and the parameters after This.
var iunknownMethods = map[string]struct {
	ret    string
	params []cParam
}{
	"QueryInterface": {"HRESULT", []cParam{{"REFIID", "riid"}, {"void **", "ppvObject"}}},
	"AddRef":         {"ULONG", nil},
	"Release":        {"ULONG", nil},
}

// cParam is a C parameter declaration taken apart.
type cParam struct{ typ, name string }

// cDecl declares name with type typ: "DWORD dw", "void **ppv".
func cDecl(typ, name string) string {
	if strings.HasSuffix(typ, "*") {
		return typ + name
	}
	return typ + " " + name
}

// cParamType is the C type of a spec parameter, as its declaration
// (Param.CDecl) spells it without the name: "VSS_ID *".
func cParamType(p *model.Param) string {
	if stars := p.Stars(); stars > 0 {
		return p.CType().C + " " + strings.Repeat("*", stars)
	}
	return p.CType().C
}

// conformanceSignatures checks the type of every method pointer in every
// vtable, and of every DLL function.
func conformanceSignatures(c *cWriter, s *model.Spec) {
	c.printf(`
/*
 * Method signatures: calling convention, return type and parameter types in
 * order. A by-pointer parameter may point to const in the header; const is
 * the callee's promise and does not change what is passed, so both forms
 * are accepted.
 */
`)
	for _, it := range s.Interfaces {
		for _, m := range it.AllMethods() {
			member := fmt.Sprintf("((%sVtbl *)0)->%s", it.Name, m.Name)
			fact := it.Name + "." + m.Name + " parameters"
			if sig, ok := iunknownMethods[m.Name]; ok && m.Interface.Builtin {
				params := []string{it.Name + " *"}
				for _, p := range sig.params {
					params = append(params, p.typ)
				}
				c.assert(typesCompatible(member, sig.ret+" (STDMETHODCALLTYPE *)", [][]string{params}), fact)
				continue
			}
			if reason := signatureUncheckable(m); reason != "" {
				c.printf("/* %s: not checked: %s */\n", fact, reason)
				continue
			}
			if byPointerCount(m) > maxConstForms {
				c.callCheck(fmt.Sprintf("%sVtbl *vtbl", it.Name), "vtbl->"+m.Name, it.Name+" *This", member, "STDMETHODCALLTYPE", fact, m)
				continue
			}
			c.assert(typesCompatible(member, m.ResultC()+" (STDMETHODCALLTYPE *)", paramTypeLists(it.Name+" *", m.Params)), fact)
		}
	}
	if len(s.Functions) > 0 {
		c.printf("\n/* DLL functions: the declarations of the headers; the program looks up the exports when it runs. */\n")
	}
	for _, f := range s.Functions {
		fact := f.FullName() + " parameters"
		if reason := signatureUncheckable(f); reason != "" {
			c.printf("/* %s: not checked: %s */\n", fact, reason)
			continue
		}
		ret := f.ResultC()
		if byPointerCount(f) > maxConstForms {
			// Through a pointer of the function's type, so that the program
			// does not link against the function: the DLL is looked up when
			// it runs.
			c.callCheck(fmt.Sprintf("__typeof__(&%s) fn", f.Name), "fn", "", "&"+f.Name, "WINAPI", fact, f)
			continue
		}
		c.assert(typesCompatible("&"+f.Name, ret+" (WINAPI *)", paramTypeLists("", f.Params)), fact)
	}
}

// signatureUncheckable says why the signature of m cannot be stated
// exactly, or is empty when it can. The spec uses IUnknown for interfaces
// it does not describe (IXMLDOMDocument in GetDocument), and C has no way
// to accept any interface pointer where the header names a specific one.
func signatureUncheckable(m *model.Method) string {
	if t := m.Result; t != nil && t.Kind == model.InterfaceKind && t.Interface.Builtin {
		return "the spec declares the result as IUnknown, which may stand for an interface the spec does not describe; the slot is checked"
	}
	for _, p := range m.Params {
		if p.Type.Kind == model.InterfaceKind && p.Type.Interface.Builtin {
			return fmt.Sprintf("the spec declares %s as IUnknown, which may stand for an interface the spec does not describe; the slot is checked", p.Name)
		}
	}
	return ""
}

// maxConstForms is how many by-pointer parameters a signature may have for
// its check to list every combination of them with and without const
// (2^4 = 16 lists at most). A signature with more is checked by a call
// (cWriter.callCheck), so that the file grows linearly with the parameters.
const maxConstForms = 4

// byPointerCount is how many parameters of m are passed by pointer.
func byPointerCount(m *model.Method) int {
	n := 0
	for _, p := range m.Params {
		if p.ByPtr {
			n++
		}
	}
	return n
}

// callCheck checks the signature of a method or function with more than
// maxConstForms by-pointer parameters by calling it, in a function that is
// never called, with one variable of each parameter's type, where every
// implicit conversion that could change what is passed is an error: an
// argument count that differs, a pointer to another type, a pointer to
// const where the header does not accept one, an integer of another width
// or signedness (-Wtraditional-conversion, which also catches a wider
// integer). What a call cannot tell, it accepts: a header parameter that
// points to const, to void, or is an integer of the same width and
// signedness under another name (UINT for DWORD). A static assertion checks the call's
// return type and, when no parameter is narrower than int (which an
// unprototyped type cannot match), the calling convention, against a
// function pointer type without parameters. Each parameter adds one
// parameter and one argument, where listing the const forms doubled the
// check.
//
// holder declares the variable that holds what is called (the vtable of a
// method, a pointer of a function's type); callee is what is called; this
// declares the this pointer ("" for a function); expr is the method or
// function as a value, for the calling convention.
func (c *cWriter) callCheck(holder, callee, this, expr, convention, fact string, m *model.Method) {
	decls := []string{holder}
	var args []string
	if this != "" {
		decls = append(decls, this)
		args = append(args, "This")
	}
	promoted := false
	for i, p := range m.Params {
		decls = append(decls, cDecl(cParamType(p), fmt.Sprintf("p%d", i)))
		args = append(args, fmt.Sprintf("p%d", i))
		if t := p.CType(); p.Stars() == 0 && (t.Kind == model.Integer || t.Kind == model.Boolean) && t.Bytes < 4 {
			promoted = true
		}
	}
	ret := m.ResultC()
	call := fmt.Sprintf("%s(%s)", callee, strings.Join(args, ", "))
	c.checks++
	p := c.printf
	p("/* %s: %d by-pointer parameters would be %d const and non-const signatures; a call checks each argument. */\n", fact, byPointerCount(m), 1<<min(byPointerCount(m), 62))
	p("#pragma GCC diagnostic push\n")
	warnings := []string{"incompatible-pointer-types", "discarded-qualifiers", "int-conversion", "conversion", "sign-conversion", "traditional-conversion"}
	if promoted {
		// An argument narrower than int would be reported as one of
		// another width even where the header agrees.
		warnings = warnings[:len(warnings)-1]
		p("/* %s: an integer parameter narrower than int: the call cannot tell a wider integer of the same sign. */\n", fact)
	}
	for _, w := range warnings {
		p("#pragma GCC diagnostic error \"-W%s\"\n", w)
	}
	p("__attribute__((unused)) static void check_call_%d(%s)\n{\n", c.checks, strings.Join(decls, ", "))
	p("\t_Static_assert(__builtin_types_compatible_p(__typeof__(%s), %s), \"%s\");\n", call, ret, fact)
	c.facts++
	p("\t%s;\n}\n#pragma GCC diagnostic pop\n", call)
	if promoted {
		p("/* %s calling convention: not checked: a parameter narrower than int has no unprototyped form */\n", strings.TrimSuffix(fact, " parameters"))
		return
	}
	c.assert(fmt.Sprintf("__builtin_types_compatible_p(__typeof__(%s), %s (%s *)())", expr, ret, convention), strings.TrimSuffix(fact, " parameters")+" calling convention")
}

// paramTypeLists lists the parameter type lists a signature may have:
// every combination of each by-pointer parameter with and without const
// (2^n lists for n such parameters, at most maxConstForms; the spec's
// methods have at most one).
func paramTypeLists(this string, params []*model.Param) [][]string {
	lists := [][]string{nil}
	if this != "" {
		lists = [][]string{{this}}
	}
	for _, p := range params {
		typ := cParamType(p)
		alts := []string{typ}
		if p.ByPtr {
			alts = append(alts, "const "+typ)
		}
		var next [][]string
		for _, l := range lists {
			for _, a := range alts {
				next = append(next, append(slices.Clip(l), a))
			}
		}
		lists = next
	}
	return lists
}

// typesCompatible is the C condition that expr has the function pointer
// type fn (such as "HRESULT (WINAPI *)") with one of the parameter lists.
func typesCompatible(expr, fn string, lists [][]string) string {
	var alts []string
	for _, l := range lists {
		params := "void"
		if len(l) > 0 {
			params = strings.Join(l, ", ")
		}
		alts = append(alts, fmt.Sprintf("__builtin_types_compatible_p(__typeof__(%s),\n\t%s(%s))", expr, fn, params))
	}
	return strings.Join(alts, "\n\t|| ")
}

// conformanceValues checks HRESULT values, enum values and enum sizes.
func conformanceValues(c *cWriter, s *model.Spec) {
	c.printf("\n/* HRESULT values. */\n")
	for _, h := range s.HRESULTs {
		c.assert(fmt.Sprintf("(ULONG)(%s) == %sUL", h.Name, h.Hex()), h.Name+" value")
	}
	if len(s.Enums) == 0 {
		return
	}
	c.printf(`
/*
 * Enums: each is a 32-bit C enum. Flag values compare as 32-bit patterns in
 * hex, as the headers write them (a flag set's 0xFFFFFFFF is -1 in the
 * model); other values as the signed ints the model holds.
 */
`)
	for _, e := range s.Enums {
		c.assert(fmt.Sprintf("sizeof(%s) == 4", e.Name), e.Name+" size")
		for _, v := range e.Values {
			if e.Flags {
				c.assert(fmt.Sprintf("(ULONG)(%s) == 0x%08XUL", v.Name, uint32(v.Value)), v.Name+" value")
			} else {
				c.assert(fmt.Sprintf("(LONG)(%s) == %s", v.Name, cInt32(v.Value)), v.Name+" value")
			}
		}
	}
}

// cInt32 writes v as a C constant expression of its value; the smallest
// int32 has no literal of its own.
func cInt32(v int32) string {
	if v == -1<<31 {
		return "(-2147483647 - 1)"
	}
	return fmt.Sprint(v)
}

// archMacros tell, for each architecture, whether the compiler targets it.
var archMacros = map[model.Arch]string{
	model.AMD64: "defined(_M_AMD64) || defined(__x86_64__)",
	model.I386:  "defined(_M_IX86) || defined(__i386__)",
	model.ARM64: "defined(_M_ARM64) || defined(__aarch64__)",
}

// conformanceStructs checks the member types of every struct and union,
// then the layout of each for the architecture the compiler targets. Each
// architecture has the same number of layout facts, so c.facts ends as the
// count one compilation checks.
func conformanceStructs(c *cWriter, s *model.Spec) error {
	if len(s.Structs) == 0 {
		return nil
	}
	c.printf("\n/* Struct and union members: the C type of each, on every target. */\n")
	for _, st := range s.Structs {
		for _, f := range st.Fields {
			fact := st.Name + "." + f.Name + " type"
			if f.Type.Kind == model.RawPointer {
				c.printf("/* %s: not checked: PVOID stands for any data pointer; its size and offset are checked */\n", fact)
				continue
			}
			c.assert(fmt.Sprintf("__builtin_types_compatible_p(__typeof__(((%s *)0)->%s), %s)", st.Name, f.Name, f.Type.C), fact)
		}
	}

	c.printf(`
/*
 * Struct layouts on the architecture being compiled: size, alignment and
 * the offset of every field of a struct; size and alignment of a union.
 */
`)
	common := c.facts
	for i, arch := range model.Arches {
		macro, ok := archMacros[arch]
		if !ok {
			return fmt.Errorf("internal error: no C macro tells architecture %s", arch)
		}
		if i == 0 {
			c.printf("#if %s\n", macro)
		} else {
			c.printf("#elif %s\n", macro)
		}
		c.facts = common
		for _, st := range s.Structs {
			l := st.Layout(arch)
			on := " on " + string(arch)
			c.assert(fmt.Sprintf("sizeof(%s) == %d", st.Name, l.Size), st.Name+" size"+on)
			c.assert(fmt.Sprintf("_Alignof(%s) == %d", st.Name, l.Align), st.Name+" alignment"+on)
			if st.Union {
				continue
			}
			for j, f := range st.Fields {
				c.assert(fmt.Sprintf("offsetof(%s, %s) == %d", st.Name, f.Name, l.Offsets[j]), st.Name+"."+f.Name+" offset"+on)
			}
		}
	}
	c.printf("#else\n#error \"no struct layouts for this architecture\"\n#endif\n")
	return nil
}

// conformanceProgram writes the tables of IIDs and DLL functions and the
// main function that checks them.
func conformanceProgram(c *cWriter, s *model.Spec, program string) {
	p := c.printf
	var withIID []*model.Interface
	for _, it := range s.Interfaces {
		if it.HasIID {
			withIID = append(withIID, it)
		}
	}
	if len(withIID) > 0 {
		p("\n/* IIDs, as the spec states them, beside the SDK's; interfaces without an IID have none to check. */\n")
		p("static const struct {\n\tconst char *fact;\n\tconst IID *sdk;\n\tIID spec;\n} iids[] = {\n")
		for _, it := range withIID {
			g := it.IID
			p("\t{\"%s IID\", &IID_%s, {0x%08x, 0x%04x, 0x%04x, {", it.Name, it.Name, g.Data1, g.Data2, g.Data3)
			for i, x := range g.Data4 {
				if i > 0 {
					p(", ")
				}
				p("0x%02x", x)
			}
			p("}}},\n")
		}
		p("};\n")
		p(`
static void print_iid(const IID *g)
{
	printf("{%%08lx-%%04x-%%04x-%%02x%%02x-%%02x%%02x%%02x%%02x%%02x%%02x}",
		(unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1],
		g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

/* check_iids prints each IID that differs from the SDK's and a summary; it returns how many differ. */
static unsigned check_iids(void)
{
	unsigned i, n = sizeof iids / sizeof iids[0], differ = 0;

	for (i = 0; i < n; i++) {
		if (IsEqualGUID(iids[i].sdk, &iids[i].spec))
			continue;
		printf("%%s: the SDK has ", iids[i].fact);
		print_iid(iids[i].sdk);
		printf(", the spec has ");
		print_iid(&iids[i].spec);
		printf("\n");
		differ++;
	}
	if (differ > 0)
		printf("%s: %%u of %%u IIDs differ from the SDK\n", differ, n);
	else
		printf("%s: all %%u IIDs match the SDK\n", n);
	return differ;
}
`, program, program)
	}

	if len(s.Functions) > 0 {
		p("\n/* DLL functions the Go package calls, which the DLLs must export. */\n")
		p("static const struct {\n\tconst char *fact;\n\tconst char *dll;\n\tconst char *name;\n} exports[] = {\n")
		for _, f := range s.Functions {
			p("\t{\"%s export\", \"%s\", \"%s\"},\n", f.FullName(), f.DLL, f.Name)
		}
		p("};\n")
		p(`
/* load_system_dll loads a DLL from the system directory, as the Go package does. */
static HMODULE load_system_dll(const char *name)
{
	char path[MAX_PATH];
	UINT dir = GetSystemDirectoryA(path, MAX_PATH);
	int length;

	if (dir == 0 || dir >= MAX_PATH)
		return NULL;
	length = snprintf(path + dir, MAX_PATH - dir, "\\%%s", name);
	if (length < 0 || (UINT)length >= MAX_PATH - dir)
		return NULL;
	return LoadLibraryA(path);
}

/*
 * check_exports loads each DLL and prints whether it exports each function, then a summary; it
 * returns how many are missing.
 */
static unsigned check_exports(void)
{
	unsigned i, n = sizeof exports / sizeof exports[0], missing = 0;

	for (i = 0; i < n; i++) {
		HMODULE dll = load_system_dll(exports[i].dll);

		if (dll == NULL) {
			printf("%%s: %%s cannot be loaded (error %%lu)\n", exports[i].fact, exports[i].dll, (unsigned long)GetLastError());
			missing++;
		} else if (GetProcAddress(dll, exports[i].name) == NULL) {
			printf("%%s: %%s does not export it\n", exports[i].fact, exports[i].dll);
			missing++;
		} else {
			printf("%%s: found\n", exports[i].fact);
		}
	}
	if (missing > 0)
		printf("%s: %%u of %%u functions are not exported\n", missing, n);
	else
		printf("%s: all %%u functions are exported\n", n);
	return missing;
}
`, program, program)
	}

	p("\n/* How many static assertions the compiler checked (the struct layouts of one architecture). */\n")
	p("static const unsigned static_facts = %d;\n", c.facts)
	p("\nint main(void)\n{\n\tunsigned failed = 0;\n\n")
	p("\tprintf(\"%s: %%u static facts held when this program was compiled\\n\", static_facts);\n", program)
	if len(withIID) > 0 {
		p("\tfailed += check_iids();\n")
	}
	if len(s.Functions) > 0 {
		p("\tfailed += check_exports();\n")
	}
	p("\treturn failed > 0;\n}\n")
}

// cCommentText makes text safe inside a /* */ comment: only "*/" could end
// the comment early, and the backslash keeps it from doing so.
func cCommentText(text string) string {
	return strings.ReplaceAll(text, "*/", `*\/`)
}
