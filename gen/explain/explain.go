// Package explain answers "what does this HRESULT mean?" from a validated
// spec: the code's name, value and fields, its meaning, every method and
// DLL function that documents it (and whether it arrives from the call, as
// a status through an out-parameter, or through the IVssAsync the call
// returns) and the OS-version notes that go with it, including the codes
// older systems return in its place. A value the spec does not hold
// is still decoded into severity, facility and code, and recognised as an
// NTSTATUS or a bare Win32 error code when it is one.
//
// A code is looked up in several specs in turn, the user's first and then
// vssgen's built-in flagship spec, so that every code of the VSS and COM
// surface is known whatever spec a downstream module keeps.
package explain

//go:generate go run ./internal/mkwinerrors -o winerrors.go

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/spec"
)

// Explanation is everything the spec says about one code, or, for a code
// it does not hold, what its bits say.
type Explanation struct {
	Arg Arg
	// Spec is the spec that answered: the first of Searched that holds the
	// code, or the first of Searched when none does.
	Spec *model.Spec
	// Searched are the specs asked, in order.
	Searched []*model.Spec

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
	// interfaces and functions in the spec's order, methods by slot.
	Uses []Use
	// StandsIn lists where this code arrives in place of a documented one.
	StandsIn []StandIn
	// Ambiguous lists the codes whose names differ from the name asked
	// about only in case, when the first spec that holds any has more than
	// one and none is the exact name. Code is then nil: vssgen does not
	// pick one.
	Ambiguous []*model.HRESULT
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

// Found reports whether one of the specs holds the code asked about.
func (e *Explanation) Found() bool { return e.Code != nil }

// Fallback reports whether a later spec answered because the first lacks the code.
func (e *Explanation) Fallback() bool { return e.Code != nil && e.Spec != e.Searched[0] }

// BuiltinName is how explanations name vssgen's built-in flagship spec.
const BuiltinName = "vssgen's built-in VSS spec"

// Builtin is vssgen's flagship spec (spec/vss.yaml, embedded in the
// binary) as a model, built once.
var Builtin = sync.OnceValues(func() (*model.Spec, error) {
	raw, err := load.Bytes(spec.VSSFile, spec.VSS())
	if err != nil {
		return nil, fmt.Errorf("the built-in spec: %w", err)
	}
	s, err := model.Build(raw, spec.VSSFile, BuiltinName)
	if err != nil {
		return nil, fmt.Errorf("the built-in spec: %w", err)
	}
	return s, nil
})

// Explain looks the argument up in one spec.
func Explain(s *model.Spec, a Arg) *Explanation { return Lookup(a, s) }

// Lookup asks each spec in turn and explains the code from the first that
// holds it. When none does, the explanation decodes the value and, for an
// unknown name, suggests similar names from every spec.
func Lookup(a Arg, specs ...*model.Spec) *Explanation {
	e := &Explanation{Arg: a, Spec: specs[0], Searched: specs}
	for _, s := range specs {
		if a.IsValue {
			e.Code = byValue(s, a.Value)
		} else {
			e.Code, e.Ambiguous = byName(s, a.Name)
		}
		if len(e.Ambiguous) > 0 {
			e.Spec = s
			return e
		}
		if e.Code != nil {
			e.Spec = s
			break
		}
	}
	switch {
	case a.IsValue:
		e.Value, e.HasValue = a.Value, true
	case e.Code != nil:
		e.Value, e.HasValue = e.Code.Value, true
	default:
		e.Similar = similar(specs, a.Name)
	}
	if e.Code == nil {
		return e
	}
	s := e.Spec
	if e.Code.AliasOf != nil {
		e.Code = e.Code.AliasOf // explain the primary name; the alias is listed beside it
	}
	for _, h := range s.HRESULTs {
		if h.AliasOf == e.Code {
			e.Aliases = append(e.Aliases, h)
		}
	}
	for _, it := range s.DeclaredInterfaces {
		for _, m := range it.Methods {
			e.collect(m)
		}
	}
	for _, fn := range s.Functions {
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
func byValue(s *model.Spec, v uint32) *model.HRESULT {
	var alias *model.HRESULT
	for _, h := range s.HRESULTs {
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

// byName finds a code by its exact name, or else by the one name that
// differs only in case, since people type codes from memory. When several
// names differ from it only in case (E_Case and E_CASE for e_case), it
// returns them all instead (in the model's order, by value) and no code.
func byName(s *model.Spec, name string) (*model.HRESULT, []*model.HRESULT) {
	var folded []*model.HRESULT
	for _, h := range s.HRESULTs {
		if h.Name == name {
			return h, nil
		}
		if strings.EqualFold(h.Name, name) {
			folded = append(folded, h)
		}
	}
	switch len(folded) {
	case 0:
		return nil, nil
	case 1:
		return folded[0], nil
	}
	return nil, folded
}

// maxSimilar bounds the suggestions for an unknown name.
const maxSimilar = 10

// similar lists codes whose names contain name, ignoring case, from every
// spec, each name once.
func similar(specs []*model.Spec, name string) []*model.HRESULT {
	var out []*model.HRESULT
	seen := map[string]bool{}
	for _, s := range specs {
		for _, h := range s.HRESULTs {
			if !seen[h.Name] && strings.Contains(strings.ToUpper(h.Name), strings.ToUpper(name)) {
				seen[h.Name] = true
				out = append(out, h)
			}
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
	Facility uint32 // bits 16 to 28, as the SDK reads them
	Code     uint32 // bits 0 to 15
}

// Decode splits an HRESULT into its fields.
func Decode(v uint32) Fields {
	return Fields{
		Failed:   v&0x80000000 != 0,
		Customer: v&0x20000000 != 0,
		NTStatus: v&0x10000000 != 0,
		Facility: v >> 16 & 0x1FFF, // HRESULT_FACILITY of winerror.h: 13 bits
		Code:     v & 0xFFFF,
	}
}

// Kind is what a 32-bit value most likely is, by its bits.
type Kind int

const (
	// KindHRESULT is an HRESULT, including one that wraps an NTSTATUS
	// (bit 28 set, by HRESULT_FROM_NT).
	KindHRESULT Kind = iota
	// KindNTSTATUS is an NTSTATUS: bit 30, the high bit of an NTSTATUS
	// severity (informational or error), is set, and bit 28 clear. An
	// HRESULT keeps bit 30 clear, as winerror.h reserves it; a warning
	// NTSTATUS (bits 31-30 are 10) looks like a failure HRESULT and is
	// classed as one.
	KindNTSTATUS
	// KindWin32 is a Win32 error code (a system error code): not zero and
	// below 0x10000, where no HRESULT but a few success codes of
	// FACILITY_NULL lie.
	KindWin32
)

// ntBit is bit 28, the N bit HRESULT_FROM_NT sets.
const ntBit = 0x10000000

// KindOf tells what v most likely is.
func KindOf(v uint32) Kind {
	switch {
	case v != 0 && v < 0x10000:
		return KindWin32
	case v&0x40000000 != 0 && v&ntBit == 0:
		return KindNTSTATUS
	}
	return KindHRESULT
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
