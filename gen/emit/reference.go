package emit

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Reference emits REFERENCE.md, the document reviewers read when the spec
// changes: every interface and method with its C and Go signatures, slot,
// documented codes with meanings and OS notes; the DLL functions likewise;
// the enums with their values; the structs with their C layout on each
// architecture and their Go types; the HRESULT table; and, for each code,
// the methods that document it.
//
// Everything follows the spec's order, and each fact about a method sits on
// lines of its own (the code index has one line per method and code), so
// that a change to one method changes only that method's lines.
func Reference(s *model.Spec, cfg Config) ([]Output, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	for _, l := range headerLines(s, cfg) {
		p("<!-- %s -->\n", mdComment(l))
	}
	p("\n# Package %s reference\n\n", s.Package)
	p("Generated from `%s`. Constants, interfaces, methods and parameters keep the SDK's names.\n\n", mdCode(s.Source))
	referenceContents(&b, s)

	p("## Interfaces\n\n")
	for _, it := range s.DeclaredInterfaces {
		referenceInterface(&b, it)
	}
	if len(s.Functions) > 0 {
		p("## DLL functions\n\n")
		p("Each Go function loads its DLL from the system directory on first use.")
		for _, d := range s.DLLs {
			if d.RefusesWOW64 != "" {
				p(" In a 32-bit process on 64-bit Windows the functions of `%s` return `ErrWOW64` instead: %s.", mdCode(d.Name), mdText(strings.TrimSuffix(d.RefusesWOW64, ".")))
			}
		}
		p("\n\n")
		for _, f := range s.Functions {
			referenceMethod(&b, f)
		}
	}
	if len(s.Enums) > 0 {
		p("## Enums\n\n")
		p("Each is a Go type of the same name, an `int32` like a C enum, with constants of the same names and a `String` method.\n\n")
		for _, e := range s.Enums {
			referenceEnum(&b, e)
		}
	}
	if len(s.Structs) > 0 {
		p("## Structs\n\n")
		p("Each is a Go type of the same name with the struct's C layout on each architecture; the package checks its offsets and size when it compiles, and the conformance file checks the same layout against the SDK headers.\n\n")
		for _, st := range s.Structs {
			referenceStruct(&b, st)
		}
	}

	p("## HRESULT table\n\n")
	p("| Name | Value | Severity | Facility | Code | Meaning |\n|---|---|---|---|---|---|\n")
	for _, h := range s.HRESULTs {
		sev := "success"
		if h.Failed() {
			sev = "failure"
		}
		meaning := mdText(h.Doc)
		if h.AliasOf != nil {
			meaning = "Another name for `" + h.AliasOf.Name + "`. " + meaning
		}
		for _, n := range h.Notes {
			meaning += " " + mdNote(n)
		}
		p("| `%s` | `%s` | %s | %d | 0x%04X | %s |\n", h.Name, h.Hex(), sev, h.Facility(), h.Code(), meaning)
	}
	referenceCodeIndex(&b, s)
	p("\n## OS versions\n\nNotes name these systems; a note that says \"before\" a version covers every older one.\n\n")
	p("| Id | System | Version |\n|---|---|---|\n")
	for _, o := range s.OSVersions {
		p("| `%s` | %s | %s |\n", o.ID, mdText(o.Name), o.Version())
	}
	return []Output{{Name: "REFERENCE.md", Data: b.Bytes()}}, nil
}

// anchor is the fragment a Markdown renderer gives the heading name (an
// identifier: lower case, nothing to drop).
func anchor(name string) string { return "#" + strings.ToLower(name) }

func referenceContents(b *bytes.Buffer, s *model.Spec) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Contents\n\n")
	p("- [Interfaces](#interfaces)\n")
	for _, it := range s.DeclaredInterfaces {
		p("  - [%s](%s)\n", it.Name, anchor(it.Name))
	}
	if len(s.Functions) > 0 {
		p("- [DLL functions](#dll-functions)\n")
		for _, f := range s.Functions {
			p("  - [%s](%s)\n", f.Name, anchor(f.Name))
		}
	}
	if len(s.Enums) > 0 {
		p("- [Enums](#enums)\n")
		for _, e := range s.Enums {
			p("  - [%s](%s)\n", e.Name, anchor(e.Name))
		}
	}
	if len(s.Structs) > 0 {
		p("- [Structs](#structs)\n")
		for _, st := range s.Structs {
			p("  - [%s](%s)\n", st.Name, anchor(st.Name))
		}
	}
	p("- [HRESULT table](#hresult-table)\n")
	if len(codeIndex(s)) > 0 {
		p("- [Where each code is documented](#where-each-code-is-documented)\n")
	}
	p("- [OS versions](#os-versions)\n\n")
}

func referenceInterface(b *bytes.Buffer, it *model.Interface) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("### %s\n\n", it.Name)
	if it.HasIID {
		p("- IID: `{%s}`\n", it.IID)
	} else {
		p("- IID: none; a C++ interface, which QueryInterface cannot return\n")
	}
	switch {
	case it.Builtin:
		p("- Base: none; the root of every COM interface\n")
	case it.Base == nil:
		p("- Base: none; the vtable starts with this interface's own methods at slot 0, not with IUnknown's\n")
	default:
		p("- Base: [%s](%s)\n", it.Base.Name, anchor(it.Base.Name))
	}
	if it.Header != "" {
		p("- Header: `%s`\n", mdCode(it.Header))
	}
	p("- Vtable: %d slots\n", it.VtableSize())
	if len(it.Reserved) > 0 {
		p("- Reserved slots, not bound by the spec: %s\n", slotList(it.Reserved))
	}
	p("\n")
	if it.Doc != "" {
		p("%s\n\n", mdText(it.Doc))
	}
	for _, m := range it.Methods {
		referenceMethod(b, m)
	}
}

// referenceMethod documents a method of an interface or a DLL function.
func referenceMethod(b *bytes.Buffer, m *model.Method) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if it := m.Interface; it != nil {
		p("#### %s\n\n", referenceTitle(m))
		p("Slot %d. Method identifier `%s`.\n\n", m.Slot, m.ID())
	} else {
		p("### %s\n\n", m.Name)
		p("Exported by `%s`. Function identifier `%s`.\n\n", m.DLL, m.ID())
	}
	p("```c\n%s;\n```\n\n", cDeclaration(m))
	p("```go\n%s\n```\n\n", goSignature(m))
	if m.Doc != "" {
		p("%s\n\n", mdText(m.Doc))
	}
	switch {
	case m.Result != nil:
		p("Returns `%s`, not an HRESULT: the stub returns it as `ret` (Go type `%s`), and there are no return codes.\n\n", m.ResultC(), goTypeString(goType(m.Result)))
	case m.Void && m.Interface != nil:
		p("Returns nothing (`void`), so there are no return codes.\n\n")
	}
	if len(m.Params) > 0 {
		p("| Parameter | Direction | C type | Go | Meaning |\n|---|---|---|---|---|\n")
		for _, par := range m.Params {
			goSide := "passed as NULL"
			if !par.Reserved {
				goSide = "`" + goParamType(par) + "`"
				if par.Dir == model.Out {
					goSide = "result " + goSide
				}
				if par.Optional {
					goSide += ", nil passes NULL"
				}
				if par.Buffer != nil {
					goSide += ", a copy of the buffer; the original is freed with " + par.Buffer.Free
				}
				if par.LengthOf != nil {
					goSide = "`len(" + par.LengthOf.Name + ")`"
				}
			}
			dir := par.Dir.String()
			if par.Optional {
				dir += ", optional"
			}
			p("| `%s` | %s | `%s` | %s | %s |\n", par.Name, dir, cParamType(par), goSide, mdText(par.Doc))
		}
		p("\n")
	}
	if len(m.StatusCodes) > 0 {
		p("Status codes delivered through the HRESULT out-parameter:\n\n| Code | Value | Meaning |\n|---|---|---|\n")
		for _, r := range m.StatusCodes {
			p("| `%s` | `%s` | %s |\n", r.Code.Name, r.Code.Hex(), mdText(r.Meaning))
		}
		p("\n")
	}
	if len(m.Returns) > 0 {
		// Codes that arrive through the returned IVssAsync, not from the
		// call, get a column that says so.
		async := slices.ContainsFunc(m.Returns, func(r *model.Return) bool { return r.Async })
		if async {
			p("| Return code | Value | Arrives | Meaning | OS notes |\n|---|---|---|---|---|\n")
		} else {
			p("| Return code | Value | Meaning | OS notes |\n|---|---|---|---|\n")
		}
		for _, r := range m.Returns {
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, mdNote(n))
			}
			arrives := ""
			switch {
			case !async:
			case r.Async:
				arrives = " through IVssAsync |"
			default:
				arrives = " from the call |"
			}
			p("| `%s` | `%s` |%s %s | %s |\n", r.Code.Name, r.Code.Hex(), arrives, mdText(r.Meaning), strings.Join(notes, " "))
		}
		p("\n")
	}
	if m.ReturnsUndocumented != "" {
		p("Documented return codes: none. %s\n\n", mdText(m.ReturnsUndocumented))
	}
	for _, n := range m.Notes {
		p("- %s\n", mdNote(n))
	}
	if len(m.Notes) > 0 {
		p("\n")
	}
}

// cDeclaration is the C declaration of a method (as a call through the
// vtable sees it, This first) or of a DLL function.
func cDeclaration(m *model.Method) string {
	ret, params := m.ResultC(), []string{}
	if m.Interface != nil {
		params = append(params, m.Interface.Name+" *This")
	}
	if sig, ok := iunknownMethods[m.Name]; ok && m.Interface != nil && m.Interface.Builtin {
		ret = sig.ret
		for _, cp := range sig.params {
			params = append(params, cDecl(cp.typ, cp.name))
		}
	} else {
		for _, par := range m.Params {
			params = append(params, par.CDecl())
		}
	}
	name := m.Name
	if m.Interface == nil {
		name = "WINAPI " + name
	}
	if len(params) == 0 {
		params = []string{"void"}
	}
	return fmt.Sprintf("%s %s(%s)", ret, name, strings.Join(params, ", "))
}

func mdNote(n *model.Note) string {
	s := upperFirst(mdText(n.Systems())) + ": " + mdText(n.Text)
	if n.ReturnsInstead != nil {
		s += " (returns `" + n.ReturnsInstead.Name + "`; errors.Is matches both)"
	}
	return s
}

// goSignature renders a stub's declaration the way go doc shows it.
func goSignature(m *model.Method) string {
	var st *Statement
	switch {
	case m.Interface == nil:
		params, results, _, _ := stubShape(m)
		st = Func().Id(m.Name).Params(params...).Params(results...)
	case m.Interface.Builtin && m.Name == "QueryInterface":
		st = Func().Add(receiver(m)).Id(m.Name).Params(Id("riid").Op("*").Qual(winPkg, "GUID")).Params(Id("ppvObject").Qual("unsafe", "Pointer"), Err().Error())
	case m.Interface.Builtin:
		st = Func().Add(receiver(m)).Id(m.Name).Params().Uint32()
	default:
		params, results, _, _ := stubShape(m)
		st = Func().Add(receiver(m)).Id(m.GoMethodName()).Params(params...).Params(results...)
	}
	return strings.TrimSpace(st.GoString())
}

func receiver(m *model.Method) Code { return Params(Id("v").Op("*").Id(m.Interface.Name)) }

// goParamType is the Go type a parameter has in its stub's signature: the
// type of the Go parameter for an in-parameter, of the result for an
// out-parameter; empty for a reserved one, which the stub passes itself.
func goParamType(p *model.Param) string {
	var c callShape
	words := 1
	c.param(p, model.AMD64, &words) // the Go types are the same on every architecture
	switch {
	case len(c.params) == 1:
		return goTypeText(c.params[0], p.Name)
	case len(c.results) == 1:
		return goTypeText(c.results[0], p.Name)
	}
	return ""
}

// goTypeText renders the type of a declaration "name type" as Go source.
func goTypeText(decl Code, name string) string {
	return strings.TrimPrefix(Var().Add(decl).GoString(), "var "+name+" ")
}

// goType renders a type as Go source.
func goTypeString(typ Code) string { return goTypeText(Id("x").Add(typ), "x") }

func referenceEnum(b *bytes.Buffer, e *model.Enum) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("### %s\n\n", e.Name)
	kind := "Enum"
	if e.Flags {
		kind = "Flag set; `String` lists the flags a value holds, or names a combination it equals"
	}
	if e.Header != "" {
		p("%s. Header `%s`.\n\n", kind, mdCode(e.Header))
	} else {
		p("%s.\n\n", kind)
	}
	if e.Doc != "" {
		p("%s\n\n", mdText(e.Doc))
	}
	if !e.Flags {
		p("| Name | Value | Meaning |\n|---|---|---|\n")
		for _, v := range e.Values {
			p("| `%s` | %d | %s |\n", v.Name, v.Value, mdText(v.Doc))
		}
		p("\n")
		return
	}
	p("| Name | Value | Kind | Meaning |\n|---|---|---|---|\n")
	for _, v := range e.Values {
		value := fmt.Sprintf("`0x%08X`", uint32(v.Value))
		if v.Value < 0 {
			// The Go constant is the int32 of the same bits.
			value += fmt.Sprintf(" (%d as `int32`)", v.Value)
		}
		kind := "flag"
		if v.Combination {
			kind = "combination"
		}
		p("| `%s` | %s | %s | %s |\n", v.Name, value, kind, mdText(v.Doc))
	}
	p("\n")
}

// archGroup is a set of architectures on which a struct has the same layout.
type archGroup struct {
	arches []model.Arch
	layout *model.Layout
}

func (g archGroup) label() string {
	var names []string
	for _, a := range g.arches {
		names = append(names, string(a))
	}
	return strings.Join(names, ", ")
}

// layoutGroups groups the architectures by the layout st has on them:
// size, alignment, and the offset and size of every field.
func layoutGroups(st *model.Struct) []archGroup {
	var groups []archGroup
	same := func(a, b model.Arch) bool {
		la, lb := st.Layout(a), st.Layout(b)
		if la.Size != lb.Size || la.Align != lb.Align || !slices.Equal(la.Offsets, lb.Offsets) {
			return false
		}
		for _, f := range st.Fields {
			if f.Type.Size(a) != f.Type.Size(b) {
				return false
			}
		}
		return true
	}
next:
	for _, a := range model.Arches {
		for i, g := range groups {
			if same(g.arches[0], a) {
				groups[i].arches = append(groups[i].arches, a)
				continue next
			}
		}
		groups = append(groups, archGroup{arches: []model.Arch{a}, layout: st.Layout(a)})
	}
	return groups
}

func referenceStruct(b *bytes.Buffer, st *model.Struct) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("### %s\n\n", st.Name)
	kind := "Struct"
	if st.Union {
		kind = "Union"
	}
	if st.Header != "" {
		kind += ", header `" + mdCode(st.Header) + "`"
	}
	groups := layoutGroups(st)
	var sizes []string
	for _, g := range groups {
		sizes = append(sizes, fmt.Sprintf("%d bytes aligned to %d on %s", g.layout.Size, g.layout.Align, g.label()))
	}
	p("%s: %s.\n\n", kind, strings.Join(sizes, "; "))
	if st.Union {
		p("Go has no unions: the Go type is an array of words of the union's size and alignment, and each member is reached through a method named like its Go field.\n\n")
	}
	if st.Free != nil {
		p("Go copy: `%s`, with Go strings. Methods that fill a `%s` return the copy and free the original with [%s](%s).\n\n",
			st.GoName, st.Name, st.Free.Name, anchor(st.Free.Name))
	} else if st.Frees() {
		var parts []string
		for _, fld := range st.FreedFields() {
			parts = append(parts, fmt.Sprintf("`%s` with `%s`", fld.Name, fld.Free))
		}
		p("Go copy: `%s`, with Go strings. Methods that fill a `%s` return the copy and free the original field by field: %s.\n\n",
			st.GoName, st.Name, strings.Join(parts, ", "))
	}
	if st.Doc != "" {
		p("%s\n\n", mdText(st.Doc))
	}

	head := []string{"Field", "C type", "Go field", "Go type"}
	if st.Union {
		head = []string{"Member", "C type", "Go method", "Go result"}
	}
	if st.GoName != "" {
		head = append(head, "In `"+st.GoName+"`")
	}
	for _, g := range groups {
		if !st.Union {
			head = append(head, "Offset ("+g.label()+")")
		}
		head = append(head, "Size ("+g.label()+")")
	}
	head = append(head, "Meaning")
	p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for i, f := range st.Fields {
		row := []string{"`" + f.Name + "`", "`" + f.Type.C + "`", "`" + f.GoName + "`", "`" + goTypeString(rawType(f.Type)) + "`"}
		if st.Union {
			row[2] = "`" + f.GoName + "()`"
			row[3] = "`*" + goTypeString(rawType(f.Type)) + "`"
		}
		if st.GoName != "" {
			row = append(row, "`"+goTypeString(copyType(f.Type))+"`")
		}
		for _, g := range groups {
			if !st.Union {
				row = append(row, fmt.Sprint(g.layout.Offsets[i]))
			}
			row = append(row, fmt.Sprint(f.Type.Size(g.arches[0])))
		}
		row = append(row, mdText(f.Doc))
		p("| %s |\n", strings.Join(row, " | "))
	}
	p("\n")
}

// codeUse is a method or function documenting a code, and how the code
// reaches the caller there.
type codeUse struct {
	method *model.Method
	how    string // "", "through IVssAsync" or "status in pHrResult"
}

// codeIndex lists, for each code that some method or function documents,
// those methods: interfaces in the spec's order, each interface's methods
// by slot, then the DLL functions in the spec's order.
func codeIndex(s *model.Spec) map[*model.HRESULT][]codeUse {
	out := map[*model.HRESULT][]codeUse{}
	var callables []*model.Method
	for _, it := range s.DeclaredInterfaces {
		callables = append(callables, it.Methods...)
	}
	for _, m := range append(callables, s.Functions...) {
		for _, r := range m.Returns {
			how := ""
			if r.Async {
				how = "through IVssAsync"
			}
			out[r.Code] = append(out[r.Code], codeUse{m, how})
		}
		for _, r := range m.StatusCodes {
			how := "status"
			for _, par := range m.Params {
				if par.Dir == model.Out && par.Type.C == "HRESULT" && !par.Reserved {
					how = "status in `" + par.Name + "`"
				}
			}
			out[r.Code] = append(out[r.Code], codeUse{m, how})
		}
	}
	return out
}

// referenceCodeIndex lists, under each code, the methods and functions
// that document it, one a line: a list that grows with the spec, kept out
// of the HRESULT table so that its rows stay short and change only with
// their code.
func referenceCodeIndex(b *bytes.Buffer, s *model.Spec) {
	index := codeIndex(s)
	if len(index) == 0 {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("\n## Where each code is documented\n\n")
	p("Each code of the table, with every method and DLL function whose documentation names it, one a line, in the order of this document.\n\n")
	for _, h := range s.HRESULTs {
		uses := index[h]
		if len(uses) == 0 {
			continue
		}
		p("- `%s`\n", h.Name)
		for _, u := range uses {
			how := ""
			if u.how != "" {
				how = " (" + u.how + ")"
			}
			p("  - [%s](%s)%s\n", referenceTitle(u.method), titleAnchor(u.method), how)
		}
	}
}

// referenceTitle is the heading of a method's or function's section.
func referenceTitle(m *model.Method) string {
	if m.Interface == nil {
		return m.Name
	}
	return m.Interface.Name + "::" + m.Name
}

// titleAnchor is the fragment a Markdown renderer gives a method's
// heading: lower case, without the colons.
func titleAnchor(m *model.Method) string {
	return anchor(strings.ReplaceAll(referenceTitle(m), "::", ""))
}

// mdText makes spec prose inert in Markdown: one line, and every character
// that could start markup, a link, HTML or a table cell escaped, as well as
// a leading marker that would make the line a list item or a rule.
func mdText(s string) string {
	s = model.OneLine(s)
	var b strings.Builder
	if m := mdBlockMarkerRE.FindString(s); m != "" {
		b.WriteString(m[:len(m)-1])
		b.WriteByte('\\')
		s = s[len(m)-1:]
	}
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|&#~!", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdBlockMarkerRE matches the start of a line that Markdown reads as a
// bullet, an ordered list item or a thematic break; the last character
// matched is the one to escape.
var mdBlockMarkerRE = regexp.MustCompile(`^(?:[-+=]|[0-9]{1,9}[.)])`)

// mdCode is text for inside a code span: backticks cannot be escaped there, so they are replaced.
func mdCode(s string) string {
	return strings.ReplaceAll(model.OneLine(s), "`", "'")
}

// mdComment keeps text from closing an HTML comment early: it leaves no
// two hyphens in a row, so neither --> nor --!> can appear ("--->" becomes
// "- - ->", where one pass of replacing "--" would leave "- -->").
func mdComment(s string) string {
	s = model.OneLine(s)
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "- -")
	}
	return s
}

// slotList writes slots as a list with runs shortened: "3 to 17, 19".
func slotList(slots []int) string {
	var parts []string
	for i := 0; i < len(slots); {
		j := i
		for j+1 < len(slots) && slots[j+1] == slots[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d to %d", slots[i], slots[j]))
		} else {
			parts = append(parts, strconv.Itoa(slots[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
