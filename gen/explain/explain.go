// Package explain answers "what does this HRESULT mean?" from a validated
// spec: the code's name, value and fields, its meaning, every method and
// DLL function that documents it (and whether it arrives from the call, as
// a status through an out-parameter, or through the IVssAsync the call
// returns) and the OS-version notes that go with it, including the codes
// older systems return in its place. A value the spec does not hold
// is still decoded into severity, facility and code.
package explain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vssgen/vssgen/gen/model"
)

// Explanation is everything the spec says about one code, or, for a code
// it does not hold, what its bits say.
type Explanation struct {
	Arg  Arg
	Spec *model.Spec

	// Code is the code asked about; nil when the spec has none with the
	// name or value. For a value with several names it is the primary one.
	Code *model.HRESULT
	// Value is the value asked about, or Code's; meaningless when HasValue
	// is false (an unknown name).
	Value    uint32
	HasValue bool
	// Aliases are the other names of Code's value.
	Aliases []*model.HRESULT
	// Uses lists the methods and DLL functions that document the code:
	// interface methods in the model's order, then functions in the spec's.
	Uses []Use
	// StandsIn lists where this code arrives in place of a documented one.
	StandsIn []StandIn
	// Similar lists codes whose names contain an unknown name asked about.
	Similar []*model.HRESULT
}

// Use is one method or DLL function documenting a code, as a return code
// (Entry.Async when it arrives through the IVssAsync the method returns) or
// as a status delivered through an HRESULT out-parameter.
type Use struct {
	Method *model.Method
	Entry  *model.Return
	// Status is set when the code is documented under status_codes; Param
	// names the out-parameter that carries it.
	Status bool
	Param  string
}

// StandIn says that on some systems a method returns the explained code
// where its documentation names another.
type StandIn struct {
	Method       *model.Method
	Substitution model.Substitution
}

// Found reports whether the spec holds the code asked about.
func (e *Explanation) Found() bool { return e.Code != nil }

// Explain looks the argument up in the spec.
func Explain(spec *model.Spec, a Arg) *Explanation {
	e := &Explanation{Arg: a, Spec: spec}
	if a.IsValue {
		e.Value, e.HasValue = a.Value, true
		e.Code = byValue(spec, a.Value)
	} else {
		e.Code = byName(spec, a.Name)
		if e.Code == nil {
			e.Similar = similar(spec, a.Name)
			return e
		}
		e.Value, e.HasValue = e.Code.Value, true
	}
	if e.Code == nil {
		return e
	}
	if e.Code.AliasOf != nil {
		e.Code = e.Code.AliasOf // explain the primary name; the alias is listed beside it
	}
	for _, h := range spec.HRESULTs {
		if h.AliasOf == e.Code {
			e.Aliases = append(e.Aliases, h)
		}
	}
	for _, it := range spec.Interfaces {
		for _, m := range it.Methods {
			e.collect(m)
		}
	}
	for _, fn := range spec.Functions {
		e.collect(fn)
	}
	return e
}

// collect adds what method or function m documents about the explained code.
func (e *Explanation) collect(m *model.Method) {
	for _, r := range m.Returns {
		if r.Code == e.Code {
			e.Uses = append(e.Uses, Use{Method: m, Entry: r})
		}
	}
	for _, r := range m.StatusCodes {
		if r.Code == e.Code {
			e.Uses = append(e.Uses, Use{Method: m, Entry: r, Status: true, Param: statusParam(m)})
		}
	}
	for _, s := range m.Substitutions() {
		if s.Observed == e.Code {
			e.StandsIn = append(e.StandsIn, StandIn{Method: m, Substitution: s})
		}
	}
}

// statusParam names the out-parameter that carries a method's status codes.
func statusParam(m *model.Method) string {
	for _, p := range m.Params {
		if p.Dir == model.Out && p.Type.C == "HRESULT" && !p.Reserved {
			return p.Name
		}
	}
	return ""
}

// byValue finds the code with value v, preferring a primary name to an alias.
func byValue(spec *model.Spec, v uint32) *model.HRESULT {
	var alias *model.HRESULT
	for _, h := range spec.HRESULTs {
		if h.Value != v {
			continue
		}
		if h.AliasOf == nil {
			return h
		}
		alias = h
	}
	return alias
}

// byName finds a code by its exact name, or else by a name that differs
// only in case, since people type codes from memory.
func byName(spec *model.Spec, name string) *model.HRESULT {
	var folded *model.HRESULT
	for _, h := range spec.HRESULTs {
		if h.Name == name {
			return h
		}
		if folded == nil && strings.EqualFold(h.Name, name) {
			folded = h
		}
	}
	return folded
}

// maxSimilar bounds the suggestions for an unknown name.
const maxSimilar = 10

// similar lists codes whose names contain name, ignoring case.
func similar(spec *model.Spec, name string) []*model.HRESULT {
	var out []*model.HRESULT
	for _, h := range spec.HRESULTs {
		if strings.Contains(strings.ToUpper(h.Name), strings.ToUpper(name)) {
			out = append(out, h)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Name) < len(out[j].Name) })
	if len(out) > maxSimilar {
		out = out[:maxSimilar]
	}
	return out
}

// Fields are the parts of an HRESULT's 32 bits.
type Fields struct {
	Failed   bool   // bit 31, severity
	Customer bool   // bit 29: defined by a vendor, not by Microsoft
	NTStatus bool   // bit 28: an NTSTATUS mapped by HRESULT_FROM_NT
	Facility uint32 // bits 16 to 26
	Code     uint32 // bits 0 to 15
}

// Decode splits an HRESULT into its fields.
func Decode(v uint32) Fields {
	return Fields{
		Failed:   v&0x80000000 != 0,
		Customer: v&0x20000000 != 0,
		NTStatus: v&0x10000000 != 0,
		Facility: v >> 16 & 0x7FF,
		Code:     v & 0xFFFF,
	}
}

// Facilities are the well-known facilities of winerror.h with what they
// mean for the code field.
var facilities = map[uint32]struct{ name, about string }{
	0:  {"FACILITY_NULL", "general codes such as E_FAIL and E_INVALIDARG"},
	1:  {"FACILITY_RPC", "RPC"},
	2:  {"FACILITY_DISPATCH", "COM automation (IDispatch)"},
	3:  {"FACILITY_STORAGE", "structured storage"},
	4:  {"FACILITY_ITF", "codes defined by the interface that returned them, as VSS defines its own"},
	7:  {"FACILITY_WIN32", "a Win32 error code wrapped by HRESULT_FROM_WIN32"},
	8:  {"FACILITY_WINDOWS", "Windows subsystems"},
	9:  {"FACILITY_SECURITY", "security and SSPI"},
	10: {"FACILITY_CONTROL", "ActiveX controls"},
	11: {"FACILITY_CERT", "certificates"},
	12: {"FACILITY_INTERNET", "WinINet and URL monikers"},
}

// FacilityName is winerror.h's name for a facility, or "" for one it does
// not know here.
func FacilityName(f uint32) string { return facilities[f].name }

// win32Facility is FACILITY_WIN32.
const win32Facility = 7

// HRESULTFromWin32 is the SDK's HRESULT_FROM_WIN32 macro for a Win32 error code.
func HRESULTFromWin32(code uint32) uint32 {
	if int32(code) <= 0 {
		return code
	}
	return code&0xFFFF | win32Facility<<16 | 0x80000000
}

// hex formats a value as the SDK writes it.
func hex(v uint32) string { return fmt.Sprintf("0x%08X", v) }
