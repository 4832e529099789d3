package emit

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Reference emits REFERENCE.md, the document reviewers read when the spec
// changes: every interface and method with its C and Go signatures, slot,
// documented codes with meanings and OS notes, and the HRESULT table.
func Reference(s *model.Spec, cfg Config) ([]Output, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	for _, l := range headerLines(s, cfg) {
		p("<!-- %s -->\n", mdComment(l))
	}
	p("\n# Package %s reference\n\n", s.Package)
	p("Generated from `%s`. Constants, interfaces, methods and parameters keep the SDK's names.\n\n", mdCode(s.Source))

	p("## Contents\n\n")
	for _, it := range s.Interfaces {
		p("- [%s](#%s)\n", it.Name, strings.ToLower(it.Name))
	}
	p("- [HRESULT table](#hresult-table)\n- [OS versions](#os-versions)\n\n")

	for _, it := range s.Interfaces {
		p("## %s\n\n", it.Name)
		base := "none"
		if it.Base != nil {
			base = "[" + it.Base.Name + "](#" + strings.ToLower(it.Base.Name) + ")"
		}
		p("IID `{%s}`, base %s, header `%s`, %d vtable slots.\n\n", it.IID, base, mdCode(it.Header), len(it.AllMethods()))
		if it.Doc != "" {
			p("%s\n\n", mdText(it.Doc))
		}
		for _, m := range it.Methods {
			referenceMethod(&b, m)
		}
	}

	p("## HRESULT table\n\n")
	p("| Name | Value | Severity | Facility | Code | Meaning | Documented by |\n|---|---|---|---|---|---|---|\n")
	users := methodsByCode(s)
	for _, h := range s.HRESULTs {
		sev := "success"
		if h.Failed() {
			sev = "failure"
		}
		meaning := mdText(h.Doc)
		if h.AliasOf != nil {
			meaning = "Another name for `" + h.AliasOf.Name + "`. " + meaning
		}
		p("| `%s` | `%s` | %s | %d | 0x%04X | %s | %s |\n", h.Name, h.Hex(), sev, h.Facility(), h.Code(), meaning, strings.Join(users[h], ", "))
	}
	p("\n## OS versions\n\nNotes name these systems; a note that says \"before\" a version covers every older one.\n\n")
	p("| Id | System | Version |\n|---|---|---|\n")
	for _, o := range s.OSVersions {
		p("| `%s` | %s | %s |\n", o.ID, mdText(o.Name), o.Version())
	}
	return []Output{{Name: "REFERENCE.md", Data: b.Bytes()}}, nil
}

func referenceMethod(b *bytes.Buffer, m *model.Method) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	it := m.Interface
	p("### %s::%s\n\n", it.Name, m.Name)
	p("Slot %d. Method identifier `%s`.\n\n", m.Slot, m.ID())
	cparams := []string{it.Name + " *This"}
	switch {
	case it.Builtin && m.Name == "QueryInterface":
		cparams = append(cparams, "REFIID riid", "void **ppvObject")
	default:
		for _, par := range m.Params {
			cparams = append(cparams, par.CDecl())
		}
	}
	ret := "HRESULT"
	if it.Builtin && m.Name != "QueryInterface" {
		ret = "ULONG"
	}
	p("```c\n%s %s(%s);\n```\n\n", ret, m.Name, strings.Join(cparams, ", "))
	p("```go\n%s\n```\n\n", goSignature(m))
	if m.Doc != "" {
		p("%s\n\n", mdText(m.Doc))
	}
	if len(m.Params) > 0 {
		p("| Parameter | Direction | C type | Go | Meaning |\n|---|---|---|---|---|\n")
		for _, par := range m.Params {
			goSide := "`" + par.Type.Go + "`"
			if par.Reserved {
				goSide = "passed as NULL"
			}
			p("| `%s` | %s | `%s` | %s | %s |\n", par.Name, par.Dir, par.Type.C, goSide, mdText(par.Doc))
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
		p("| Return code | Value | Meaning | OS notes |\n|---|---|---|---|\n")
		for _, r := range m.Returns {
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, mdNote(n))
			}
			p("| `%s` | `%s` | %s | %s |\n", r.Code.Name, r.Code.Hex(), mdText(r.Meaning), strings.Join(notes, " "))
		}
		p("\n")
	}
	for _, n := range m.Notes {
		p("- %s\n", mdNote(n))
	}
	if len(m.Notes) > 0 {
		p("\n")
	}
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
	recv := Params(Id("v").Op("*").Id(m.Interface.Name))
	switch {
	case m.Interface.Builtin && m.Name == "QueryInterface":
		st = Func().Add(recv).Id(m.Name).Params(Id("riid").Op("*").Qual("golang.org/x/sys/windows", "GUID")).Params(Id("ppvObject").Qual("unsafe", "Pointer"), Err().Error())
	case m.Interface.Builtin:
		st = Func().Add(recv).Id(m.Name).Params().Uint32()
	default:
		params, results, _, _ := stubShape(m)
		st = Func().Add(recv).Id(m.Name).Params(params...).Params(results...)
	}
	return strings.TrimSpace(st.GoString())
}

// methodsByCode lists, for each code, the methods that document it.
func methodsByCode(s *model.Spec) map[*model.HRESULT][]string {
	out := map[*model.HRESULT][]string{}
	for _, m := range allCallables(s) {
		for _, r := range m.Returns {
			out[r.Code] = append(out[r.Code], m.FullName())
		}
	}
	return out
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

// mdComment keeps text from closing an HTML comment early.
func mdComment(s string) string {
	return strings.ReplaceAll(model.OneLine(s), "--", "- -")
}
