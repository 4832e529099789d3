package explain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vssgen/vssgen/gen/model"
)

// ScreenLines is how many lines Text aims at without all: one terminal
// screen.
const ScreenLines = 24

// listWidth bounds the lines that list methods, after their indent; in the
// flagship spec E_UNEXPECTED stands in for VSS_E_UNEXPECTED in dozens.
const listWidth = 100

// String is the explanation as vssgen explain prints it by default.
func (e *Explanation) String() string { return e.Text(false) }

// Text is the explanation as vssgen explain prints it. Methods and
// functions that document the code with the same meaning and notes are
// folded into one group. Unless all is set, the groups that would take the
// text past ScreenLines are left out, and a line counts them.
func (e *Explanation) Text(all bool) string {
	var b strings.Builder
	switch {
	case !e.HasValue:
		fmt.Fprintf(&b, "no code named %s in %s\n", e.Arg.Name, e.searched())
		if len(e.Similar) > 0 {
			b.WriteString("\nSimilar names\n")
			for _, h := range e.Similar {
				fmt.Fprintf(&b, "  %s (%s)\n", h.Name, hex(h.Value))
			}
		}
		return b.String()
	case e.Code == nil:
		fmt.Fprintf(&b, "%s is not in %s; its bits say:\n", hex(e.Value), e.searched())
		e.writeFields(&b)
		return b.String()
	}
	fmt.Fprintf(&b, "%s (%s)\n", e.Code.Name, hex(e.Value))
	if e.Fallback() {
		row(&b, "source", fmt.Sprintf("%s, since %s does not hold it", e.Spec.Source, e.Searched[0].Source))
	} else {
		row(&b, "source", e.Spec.Source)
	}
	e.writeFields(&b)
	row(&b, "meaning", model.OneLine(e.Code.Doc))
	for _, a := range e.Aliases {
		row(&b, "alias", a.Name+", a second name for the same value")
	}
	var sections []section
	if len(e.Uses) > 0 {
		sections = append(sections, e.usesSection())
	}
	if len(e.StandsIn) > 0 {
		sections = append(sections, e.standInSection())
	}
	budget := ScreenLines - strings.Count(b.String(), "\n")
	for i, s := range sections {
		// Each later section keeps room for its blank line, its title and
		// the line that counts what it leaves out.
		reserve := 3 * (len(sections) - i - 1)
		budget -= s.write(&b, budget-reserve, all)
	}
	if len(e.Uses) == 0 && len(e.StandsIn) == 0 {
		fmt.Fprintf(&b, "\nNo method or function in %s documents it.\n", e.Spec.Source)
	}
	return b.String()
}

// searched names the specs looked in: "a", "a or b", "a, b or c".
func (e *Explanation) searched() string {
	var names []string
	for _, s := range e.Searched {
		names = append(names, s.Source)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// section is a titled list of groups of lines.
type section struct {
	title  string
	groups []group
	// noun counts what the left-out groups hold, for the line that says so:
	// noun(3, "more ") is "3 more methods".
	noun func(n int, more string) string
	// other says what kind of groups were left out, for one and for more:
	// "other meaning", "other meanings".
	other [2]string
}

type group struct {
	lines []string
	// short, when set, stands for lines unless all is set: the group with
	// its methods counted per interface instead of named.
	short []string
	size  int // methods and functions in the group
}

// maxNameLines is how many lines a group's names may take before the text
// without all counts them per interface instead.
const maxNameLines = 4

// write writes the section, fitting it into budget lines unless all is
// set (the first group is always shown), and returns the lines written.
func (s section) write(b *strings.Builder, budget int, all bool) int {
	lines := []string{"", s.title}
	shown := 0
	for i, g := range s.groups {
		more := 0
		if i < len(s.groups)-1 {
			more = 1 // the line that counts the rest
		}
		gl := g.lines
		if !all && g.short != nil {
			gl = g.short
		}
		if !all && shown > 0 && len(lines)+len(gl)+more > budget {
			break
		}
		lines = append(lines, gl...)
		shown++
	}
	if rest := s.groups[shown:]; len(rest) > 0 {
		n := 0
		for _, g := range rest {
			n += g.size
		}
		kinds := s.other[1]
		if len(rest) == 1 {
			kinds = s.other[0]
		}
		lines = append(lines, fmt.Sprintf("  … and %s with %d %s (-all lists them)", s.noun(n, "more "), len(rest), kinds))
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return len(lines)
}

// usesSection folds the methods that document the code with the same
// meaning, the same way of delivering it and the same notes into groups,
// the largest first, ties in the spec's order.
func (e *Explanation) usesSection() section {
	type useGroup struct {
		uses    []Use
		how     delivery
		meaning string
		notes   []string
	}
	var groups []*useGroup
	index := map[string]*useGroup{}
	var methods []*model.Method
	for _, u := range e.Uses {
		methods = append(methods, u.Method)
		how := deliveryOf(u)
		var notes []string
		for _, n := range u.Entry.Notes {
			notes = append(notes, noteLine(n))
		}
		meaning := model.OneLine(u.Entry.Meaning)
		key := strings.Join(append([]string{fmt.Sprint(how.kind), how.param, meaning}, notes...), "\x00")
		g := index[key]
		if g == nil {
			g = &useGroup{how: how, meaning: meaning, notes: notes}
			index[key] = g
			groups = append(groups, g)
		}
		g.uses = append(g.uses, u)
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].uses) > len(groups[j].uses) })

	s := section{title: "Documented by", noun: methodNoun(methods), other: [2]string{"other meaning or note", "other meanings or notes"}}
	if n := len(e.Uses); n > 1 {
		s.title += " " + s.noun(n, "")
		if len(groups) < n {
			s.title += fmt.Sprintf(", folded into %d groups that share a meaning and notes", len(groups))
		}
	}
	for _, g := range groups {
		var lines, short []string
		if len(g.uses) == 1 {
			lines = append(lines, fmt.Sprintf("  %s%s: %s", g.uses[0].Method.FullName(), g.how.phrase(false), g.meaning))
		} else {
			var ms []*model.Method
			for _, u := range g.uses {
				ms = append(ms, u.Method)
			}
			named := func(words []string) []string {
				list := wrapWords(words, listWidth)
				list[len(list)-1] += g.how.phrase(true)
				out := []string{"  " + list[0]}
				for _, l := range list[1:] {
					out = append(out, "      "+l)
				}
				return append(out, "    "+g.meaning)
			}
			lines = named(compactNames(ms))
			if len(lines)-1 > maxNameLines {
				short = named(countedNames(ms))
			}
		}
		for _, n := range g.notes {
			lines = append(lines, "    "+n)
			if short != nil {
				short = append(short, "    "+n)
			}
		}
		s.groups = append(s.groups, group{lines: lines, short: short, size: len(g.uses)})
	}
	return s
}

// standInSection lists where the code arrives in place of documented ones,
// one group for each documented code and set of systems.
func (e *Explanation) standInSection() section {
	var methods []*model.Method
	for _, s := range e.StandsIn {
		methods = append(methods, s.Method)
	}
	s := section{title: "Stands in for", noun: methodNoun(methods), other: [2]string{"other code or system", "other codes or systems"}}
	for _, g := range groupStandIns(e.StandsIn) {
		lines := []string{fmt.Sprintf("  %s (%s) %s, from", g.documented.Name, hex(g.documented.Value), g.systems)}
		names := []string{g.methods[0].FullName()}
		if len(g.methods) > 1 {
			names = compactNames(g.methods)
		}
		for _, l := range wrapWords(names, listWidth) {
			lines = append(lines, "    "+l)
		}
		s.groups = append(s.groups, group{lines: lines, size: len(g.methods)})
	}
	return s
}

// deliveryKind says how a documented code reaches the caller.
type deliveryKind int

const (
	fromCall     deliveryKind = iota
	asStatus                  // through an HRESULT out-parameter
	throughAsync              // as the final status of the IVssAsync the method returns
	asyncMissing              // documented as coming through an IVssAsync the method does not return
)

type delivery struct {
	kind  deliveryKind
	param string // the out-parameter of a status
}

func deliveryOf(u Use) delivery {
	switch {
	case u.Status:
		return delivery{kind: asStatus, param: u.Param}
	case u.Entry.Async && returnsAsync(u.Method):
		return delivery{kind: throughAsync}
	case u.Entry.Async:
		return delivery{kind: asyncMissing}
	}
	return delivery{kind: fromCall}
}

// phrase is what follows the name or names of the methods that deliver a
// code this way.
func (d delivery) phrase(several bool) string {
	switch d.kind {
	case asStatus:
		return " (as the status in " + d.param + ")"
	case throughAsync:
		if several {
			return " (through the IVssAsync each returns)"
		}
		return " (through the IVssAsync it returns)"
	case asyncMissing:
		if several {
			return " (documented as arriving through an IVssAsync, though none of these returns one)"
		}
		return " (documented as arriving through an IVssAsync, though this method returns none)"
	}
	return ""
}

// returnsAsync reports whether a method hands back an IVssAsync through
// an out-parameter.
func returnsAsync(m *model.Method) bool {
	for _, p := range m.Params {
		if p.Dir == model.Out && p.Type.Kind == model.InterfaceKind && p.Type.C == "IVssAsync" {
			return true
		}
	}
	return false
}

// methodNoun counts methods and functions, with the words the set of ms calls for.
func methodNoun(ms []*model.Method) func(n int, more string) string {
	var methods, functions bool
	for _, m := range ms {
		if m.Interface == nil {
			functions = true
		} else {
			methods = true
		}
	}
	return func(n int, more string) string {
		noun := "method"
		switch {
		case methods && functions:
			noun = "methods and functions"
		case functions:
			noun = "function"
		}
		if n != 1 && !strings.HasSuffix(noun, "s") {
			noun += "s"
		}
		return fmt.Sprintf("%d %s%s", n, more, noun)
	}
}

// compactNames names methods the short way, each interface or DLL once
// for a run of its methods: "IVssAsync: Cancel, Wait;", "vssapi.dll:
// CreateVssBackupComponentsInternal". The words keep their separators, to
// be joined with spaces.
func compactNames(ms []*model.Method) []string {
	var words []string
	for i, m := range ms {
		w := m.Name
		if i == 0 || ms[i-1].Owner() != m.Owner() {
			w = m.Owner() + ": " + w
		}
		switch {
		case i == len(ms)-1:
		case ms[i+1].Owner() != m.Owner():
			w += ";"
		default:
			w += ","
		}
		words = append(words, w)
	}
	return words
}

// countedNames counts methods per interface or DLL, for a group too long
// to name them all: "IVssBackupComponents: 44 methods;", "vssapi.dll: 2
// functions (-all names them)". The words keep their separators.
func countedNames(ms []*model.Method) []string {
	var words []string
	for i := 0; i < len(ms); {
		j := i
		for j < len(ms) && ms[j].Owner() == ms[i].Owner() {
			j++
		}
		noun := "methods"
		if ms[i].Interface == nil {
			noun = "functions"
		}
		if j-i == 1 {
			noun = strings.TrimSuffix(noun, "s")
		}
		w := fmt.Sprintf("%s: %d %s", ms[i].Owner(), j-i, noun)
		if j < len(ms) {
			w += ";"
		} else {
			w += " (-all names them)"
		}
		words = append(words, w)
		i = j
	}
	return words
}

// writeFields prints what the bits of the value say: an HRESULT's fields,
// or, for a value that no spec holds, what else it is when it is not an
// HRESULT at all.
func (e *Explanation) writeFields(b *strings.Builder) {
	v := e.Value
	row(b, "value", fmt.Sprintf("%s, %d unsigned, %d signed", hex(v), v, int32(v)))
	if e.Code == nil {
		switch KindOf(v) {
		case KindNTSTATUS:
			e.writeNTStatus(b)
			return
		case KindWin32:
			e.writeWin32(b)
			return
		}
	}
	f := Decode(v)
	if f.Failed {
		row(b, "severity", "failure (bit 31 set)")
	} else {
		row(b, "severity", "success (bit 31 clear)")
	}
	facility := fmt.Sprint(f.Facility)
	if fac, ok := facilities[f.Facility]; ok && !f.Customer && !f.NTStatus {
		facility += ", " + fac.name + ": " + fac.about
	}
	row(b, "facility", facility)
	code := fmt.Sprintf("0x%04X (%d)", f.Code, f.Code)
	if f.Facility == win32Facility && !f.Customer && !f.NTStatus {
		code += fmt.Sprintf(": HRESULT_FROM_WIN32 of Win32 error %d", f.Code)
		if name := Win32Name(f.Code); name != "" {
			code += ", " + name
		}
	}
	row(b, "code", code)
	if f.Customer {
		row(b, "customer", "bit 29 set: defined by a vendor, not by Microsoft, so the facility is the vendor's")
	}
	switch nt := v &^ ntBit; {
	case f.NTStatus:
		line := fmt.Sprintf("bit 28 set: HRESULT_FROM_NT of the NTSTATUS %s", hex(nt))
		if name := NTStatusName(nt); name != "" {
			line += ", " + name
		}
		row(b, "ntstatus", line)
	case e.Code == nil && !f.Customer && NTStatusName(v) != "":
		// 0x8xxxxxxx is also how an NTSTATUS warning looks.
		row(b, "ntstatus", fmt.Sprintf("read as an NTSTATUS instead, %s (a %s)", NTStatusName(v), ntSeverity(v)))
	}
}

// writeNTStatus decodes an NTSTATUS.
func (e *Explanation) writeNTStatus(b *strings.Builder) {
	row(b, "kind", "an NTSTATUS, not an HRESULT: bit 30 is set and bit 28 clear, which no HRESULT has")
	if name := NTStatusName(e.Value); name != "" {
		row(b, "ntstatus", name)
	}
	row(b, "severity", fmt.Sprintf("%s (bits 31-30 are %02b)", ntSeverity(e.Value), e.Value>>30))
	row(b, "facility", fmt.Sprintf("%d, numbered as NTSTATUS facilities are, not as HRESULT ones", e.Value>>16&0xFFF))
	row(b, "code", fmt.Sprintf("0x%04X (%d)", e.Value&0xFFFF, e.Value&0xFFFF))
	if e.Value&0x20000000 != 0 {
		row(b, "customer", "bit 29 set: defined by a vendor, not by Microsoft")
	}
	h := e.Value | ntBit
	row(b, "hresult", fmt.Sprintf("HRESULT_FROM_NT makes it %s%s when a COM call reports it", hex(h), e.inSpecs(h)))
}

// writeWin32 decodes a bare Win32 error code.
func (e *Explanation) writeWin32(b *strings.Builder) {
	row(b, "kind", "a Win32 error code (a value below 0x10000), not an HRESULT")
	if name := Win32Name(e.Value); name != "" {
		row(b, "win32", fmt.Sprintf("%s (%d)", name, e.Value))
	}
	h := HRESULTFromWin32(e.Value)
	row(b, "hresult", fmt.Sprintf("HRESULT_FROM_WIN32 makes it %s%s when a COM call reports it", hex(h), e.inSpecs(h)))
}

// inSpecs is " (NAME in SPEC)" for the first searched spec that holds v.
func (e *Explanation) inSpecs(v uint32) string {
	for _, s := range e.Searched {
		if h := byValue(s, v); h != nil {
			return " (" + h.Name + " in " + s.Source + ")"
		}
	}
	return ""
}

// ntSeverity names the severity of an NTSTATUS, its top two bits.
func ntSeverity(v uint32) string {
	return [...]string{"success", "informational", "warning", "error"}[v>>30]
}

func row(b *strings.Builder, label, text string) {
	fmt.Fprintf(b, "  %-9s %s\n", label, text)
}

// noteLine is a note in one line: which systems, what arrives instead, what the docs say.
func noteLine(n *model.Note) string {
	s := n.Systems()
	if n.ReturnsInstead != nil {
		s += fmt.Sprintf(", %s (%s) arrives instead", n.ReturnsInstead.Name, hex(n.ReturnsInstead.Value))
	}
	return s + ": " + model.OneLine(n.Text)
}

// wrapWords joins words with spaces into lines of at most width bytes (a
// longer word gets a line of its own).
func wrapWords(words []string, width int) []string {
	var lines []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

type standInGroup struct {
	documented *model.HRESULT
	systems    string
	methods    []*model.Method
}

// groupStandIns folds stand-ins that differ only by method into one group
// each, in order of first appearance.
func groupStandIns(ss []StandIn) []*standInGroup {
	var out []*standInGroup
	index := map[string]*standInGroup{}
	for _, s := range ss {
		systems := s.Substitution.Note.Systems()
		key := s.Substitution.Documented.Name + "\x00" + systems
		g := index[key]
		if g == nil {
			g = &standInGroup{documented: s.Substitution.Documented, systems: systems}
			index[key] = g
			out = append(out, g)
		}
		g.methods = append(g.methods, s.Method)
	}
	return out
}
