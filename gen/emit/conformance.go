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
// gcc (x86_64 or i686), every vtable slot, method signature and HRESULT
// value is a static assertion named after its fact ("IVssAsync.Wait slot"),
// so a disagreement stops the build with that name. IIDs are not constant
// expressions in C; the program compares them when it runs.
//
// The file lives in a subdirectory without Go files, where the go tool does
// not look for C sources. Spec prose never reaches it: only names (validated
// Go identifiers), header file names (validated), numbers and the fixed C
// types of the model.
func Conformance(s *model.Spec, cfg Config) ([]Output, error) {
	program := s.Package + "_conformance"
	name := program + ".c"
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

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
 * Vtable slots, method signatures and HRESULT values are static
 * assertions: the compiler stops on the first fact the headers contradict
 * and prints its name. IIDs are compared when the program runs: it prints
 * each IID that differs and exits with status 1, or says how many it
 * checked and exits with status 0.
 */

/* initguid.h first, so that the headers below define the IIDs they declare. */
#include <initguid.h>
#include <windows.h>
`, name, name)
	for _, h := range conformanceHeaders(s) {
		p("#include <%s>\n", h)
	}
	p("#include <stddef.h>\n#include <stdio.h>\n")

	p("\n/* Vtable slots: the index of each method's pointer in its interface's vtable. */\n")
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			p("_Static_assert(offsetof(%sVtbl, %s) / sizeof(void *) == %d, \"%s slot\");\n", it.Name, m.Name, m.Slot, m.FullName())
		}
	}

	p("\n/* Method signatures: calling convention, return type and parameters in order. */\n")
	for _, it := range s.Interfaces {
		if it.Builtin {
			continue
		}
		for _, m := range it.Methods {
			params := []string{it.Name + " *"}
			for _, prm := range m.Params {
				if prm.Dir == model.Out {
					params = append(params, prm.Type.C+" *")
				} else {
					params = append(params, prm.Type.C)
				}
			}
			p("_Static_assert(__builtin_types_compatible_p(__typeof__(((%sVtbl *)0)->%s),\n", it.Name, m.Name)
			p("\tHRESULT (STDMETHODCALLTYPE *)(%s)), \"%s parameters\");\n", strings.Join(params, ", "), m.FullName())
		}
	}

	p("\n/* HRESULT values. */\n")
	for _, h := range s.HRESULTs {
		p("_Static_assert((ULONG)(%s) == %sUL, \"%s value\");\n", h.Name, h.Hex(), h.Name)
	}

	p("\n/* IIDs, as the spec states them, beside the SDK's. */\n")
	p("static const struct {\n\tconst char *fact;\n\tconst IID *sdk;\n\tIID spec;\n} iids[] = {\n")
	for _, it := range s.Interfaces {
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

int main(void)
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
	if (differ > 0) {
		printf("%s: %%u of %%u IIDs differ from the SDK\n", differ, n);
		return 1;
	}
	printf("%s: all %%u IIDs match the SDK\n", n);
	return 0;
}
`, program, program)

	return []Output{{Name: "conformance/" + name, Data: b.Bytes()}}, nil
}

// conformanceHeaders are the headers the program includes: those the
// interfaces name, then the ones that define HRESULT values, each once.
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
	add("winerror.h")
	add("vsserror.h")
	return hs
}

// cCommentText makes text safe inside a /* */ comment: only "*/" could end
// the comment early, and the backslash keeps it from doing so.
func cCommentText(text string) string {
	return strings.ReplaceAll(text, "*/", `*\/`)
}
