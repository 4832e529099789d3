package explain

import (
	"fmt"
	"strings"

	"github.com/vssgen/vssgen/gen/model"
)

// String is the explanation as vssgen explain prints it.
func (e *Explanation) String() string {
	var b strings.Builder
	switch {
	case !e.HasValue:
		fmt.Fprintf(&b, "no code named %s in %s\n", e.Arg.Name, e.Spec.Source)
		if len(e.Similar) > 0 {
			b.WriteString("\nSimilar names\n")
			for _, h := range e.Similar {
				fmt.Fprintf(&b, "  %s (%s)\n", h.Name, hex(h.Value))
			}
		}
		return b.String()
	case e.Code == nil:
		fmt.Fprintf(&b, "%s is not in %s; its bits say:\n", hex(e.Value), e.Spec.Source)
		e.writeFields(&b)
		return b.String()
	}
	fmt.Fprintf(&b, "%s (%s)\n", e.Code.Name, hex(e.Value))
	e.writeFields(&b)
	row(&b, "meaning", model.OneLine(e.Code.Doc))
	for _, a := range e.Aliases {
		row(&b, "alias", a.Name+", a second name for the same value")
	}
	if len(e.Uses) > 0 {
		b.WriteString("\nDocumented by\n")
		for _, u := range e.Uses {
			where := u.Method.FullName()
			switch {
			case u.Status:
				where += fmt.Sprintf(" (as the status in %s)", u.Param)
			case u.Entry.Async:
				where += " (through the IVssAsync it returns)"
			}
			fmt.Fprintf(&b, "  %s: %s\n", where, model.OneLine(u.Entry.Meaning))
			for _, n := range u.Entry.Notes {
				fmt.Fprintf(&b, "    %s\n", noteLine(n))
			}
		}
	}
	if len(e.StandsIn) > 0 {
		b.WriteString("\nStands in for\n")
		for _, g := range groupStandIns(e.StandsIn) {
			fmt.Fprintf(&b, "  %s (%s) %s, from\n", g.documented.Name, hex(g.documented.Value), g.systems)
			for _, l := range wrapList(g.methods, standInWidth) {
				fmt.Fprintf(&b, "    %s\n", l)
			}
		}
	}
	if len(e.Uses) == 0 && len(e.StandsIn) == 0 {
		fmt.Fprintf(&b, "\nNo method or function in %s documents it.\n", e.Spec.Source)
	}
	return b.String()
}

// writeFields prints what the bits of the value say.
func (e *Explanation) writeFields(b *strings.Builder) {
	v := e.Value
	f := Decode(v)
	row(b, "value", fmt.Sprintf("%s, %d unsigned, %d signed", hex(v), v, int32(v)))
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
	}
	row(b, "code", code)
	if f.Customer {
		row(b, "customer", "bit 29 set: defined by a vendor, not by Microsoft, so the facility is the vendor's")
	}
	if f.NTStatus {
		row(b, "ntstatus", "bit 28 set: an NTSTATUS mapped by HRESULT_FROM_NT")
	}
	// A small positive number is more likely a bare Win32 error code than an
	// HRESULT; say what it becomes, since that is what a COM call returns.
	if e.Code == nil && v != 0 && v <= 0xFFFF {
		h := HRESULTFromWin32(v)
		line := fmt.Sprintf("as a Win32 error code, %d is HRESULT_FROM_WIN32(%d) = %s", v, v, hex(h))
		if named := byValue(e.Spec, h); named != nil {
			line += ", " + named.Name + " in " + e.Spec.Source
		}
		row(b, "win32", line)
	}
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

// standInWidth bounds the lines listing the methods a stand-in comes from;
// in the flagship spec E_UNEXPECTED stands in for VSS_E_UNEXPECTED in
// dozens of them.
const standInWidth = 100

// wrapList joins items with ", " into lines of at most width bytes (a
// longer item gets a line of its own).
func wrapList(items []string, width int) []string {
	var lines []string
	line := ""
	for i, item := range items {
		if i < len(items)-1 {
			item += ","
		}
		switch {
		case line == "":
			line = item
		case len(line)+1+len(item) <= width:
			line += " " + item
		default:
			lines = append(lines, line)
			line = item
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
	methods    []string
}

// groupStandIns folds stand-ins that differ only by method into one line
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
		g.methods = append(g.methods, s.Method.FullName())
	}
	return out
}
