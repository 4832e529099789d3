// Package model holds the validated form of a spec: names resolved, slots
// checked, notes tied to OS versions. Emitters read only these types, never
// raw YAML.
package model

import (
	"fmt"
	"strings"
)

// Spec is a validated spec.
type Spec struct {
	// Source names the spec file in generated headers, relative to its module
	// root with forward slashes, so output does not depend on where vssgen runs.
	Source     string
	Package    string
	OSVersions []*OSVersion // oldest first
	HRESULTs   []*HRESULT   // ascending by value, then by name
	Enums      []*Enum      // in the spec's order
	Structs    []*Struct    // members before the structs that hold them, ties in the spec's order
	Interfaces []*Interface // IUnknown first, then bases before the interfaces that extend them, ties by name
	Functions  []*Method    // DLL entry points, in the spec's order
	DLLs       []*DLL       // the DLLs of Functions, in the order they first appear

	// DeclaredInterfaces holds the same interfaces as Interfaces, IUnknown
	// first and the others in the spec's order, for documents that follow it.
	DeclaredInterfaces []*Interface
}

// OSVersion is an entry of the ordered table of Windows versions that notes refer to.
type OSVersion struct {
	ID           string
	Name         string
	Major, Minor uint32
}

// Version is "major.minor".
func (o *OSVersion) Version() string { return fmt.Sprintf("%d.%d", o.Major, o.Minor) }

// HRESULT is one code of the table.
type HRESULT struct {
	Name    string
	Value   uint32
	Header  string // the C header that defines the code, or ""
	Doc     string
	AliasOf *HRESULT // set when this name is a second name for AliasOf's value
	// Notes are the code's own OS-version notes. Every method that documents
	// the code has them in its Return's Notes unless it gives notes of its own.
	Notes []*Note
}

// Failed reports whether the severity bit is set.
func (h *HRESULT) Failed() bool { return h.Value&0x80000000 != 0 }

// Facility is the facility field as the SDK reads it (HRESULT_FACILITY in
// winerror.h): 13 bits from bit 16.
func (h *HRESULT) Facility() uint32 { return h.Value >> 16 & 0x1fff }

// Code is the low 16 bits.
func (h *HRESULT) Code() uint32 { return h.Value & 0xffff }

// Hex is the value as the SDK writes it: 0x8004230F.
func (h *HRESULT) Hex() string { return fmt.Sprintf("0x%08X", h.Value) }

// ErrorText is what HRESULT.Error returns for this code in the generated package.
func (h *HRESULT) ErrorText() string {
	return fmt.Sprintf("%s (%s): %s", h.Name, h.Hex(), OneLine(h.Doc))
}

// Interface is a COM interface. IUnknown is built in and has Builtin set.
type Interface struct {
	Name    string
	IID     GUID
	HasIID  bool       // false for the C++-only interfaces that have no IID
	Base    *Interface // nil for IUnknown and for interfaces that do not start with IUnknown
	Header  string
	Doc     string
	Methods []*Method // declared by this interface, ascending slot
	// Reserved are the slots of this interface's own part of the vtable
	// that the spec does not bind, ascending: placeholders that keep the
	// layout of a partial binding checked.
	Reserved []int
	Builtin  bool
	// Since is the oldest Windows version of the spec's table on which
	// Microsoft documents the interface, and SinceText the releases as the
	// documentation names them; nil when the spec does not say.
	Since     *OSVersion
	SinceText string
	// Secondary is a second base in the C++ sense, IUnknown alone so far:
	// the object holds a second vtable pointer, right after the first, for
	// that base's methods, and calls them with this pointing at it. Microsoft
	// declares IVssWriterComponentsExt so, a class deriving from both
	// IVssWriterComponents and IUnknown.
	Secondary *Interface
}

// VtableSize is the number of pointers in the interface's vtable: one past
// its last slot, whether a method's or a reserved one, or its base's.
func (i *Interface) VtableSize() int {
	if i == nil {
		return 0
	}
	n := i.Base.VtableSize()
	for _, m := range i.Methods {
		n = max(n, m.Slot+1)
	}
	for _, s := range i.Reserved {
		n = max(n, s+1)
	}
	return n
}

// Slots lists the interface's vtable by slot: the method in each slot, nil
// for a reserved one.
func (i *Interface) Slots() []*Method {
	out := make([]*Method, i.VtableSize())
	for _, m := range i.AllMethods() {
		out[m.Slot] = m
	}
	return out
}

// AllMethods lists every method in vtable order, inherited ones first.
func (i *Interface) AllMethods() []*Method {
	if i == nil {
		return nil
	}
	return append(i.Base.AllMethods(), i.Methods...)
}

// Chain lists the interface and its bases, the interface first.
func (i *Interface) Chain() []*Interface {
	var out []*Interface
	for it := i; it != nil; it = it.Base {
		out = append(out, it)
	}
	return out
}

// DLL is a DLL that exports functions of the spec, with what the spec
// states of all its functions.
type DLL struct {
	Name string // lower case: vssapi.dll
	// RefusesWOW64, when set, says why the DLL's functions must not be
	// called in a 32-bit process on 64-bit Windows: "the Volume Shadow
	// Copy Service does not support 32-bit processes on 64-bit Windows
	// (WOW64)". The stubs then return ErrWOW64 there without calling.
	RefusesWOW64 string
}

// DLL returns the DLL named name (lower case), or nil.
func (s *Spec) DLL(name string) *DLL {
	for _, d := range s.DLLs {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// RefusesWOW64 reports whether any DLL of the spec refuses WOW64.
func (s *Spec) RefusesWOW64() bool {
	for _, d := range s.DLLs {
		if d.RefusesWOW64 != "" {
			return true
		}
	}
	return false
}

// Method is a method of an interface, or a function exported by a DLL
// (Interface nil, DLL set).
type Method struct {
	Interface *Interface
	DLL       string
	Void      bool // returns nothing (result: void, or void: true on a function)
	// Result is what the method or function returns when that is neither an
	// HRESULT nor nothing (result: ULONG): an integer, BOOL, enum, pointer or
	// interface pointer, which the stub returns as it is. Nil for an HRESULT.
	Result *Type
	Name   string
	// GoName is the Go method's name when the spec gives one (go_name),
	// or "": see GoMethodName.
	GoName      string
	Slot        int
	Doc         string
	Params      []*Param
	Returns     []*Return // documented return codes, in the documentation's order
	StatusCodes []*Return // codes documented for the HRESULT out-parameter
	Notes       []*Note   // method-level OS notes
	// ReturnsUndocumented, when set, says why Returns is empty: Microsoft's
	// page documents no return codes for the method.
	ReturnsUndocumented string
	// Header is the C header that declares a DLL function (header:), or "".
	Header string
}

// ReturnsHRESULT reports whether the method returns an HRESULT, as COM
// methods do unless the spec says otherwise with result.
func (m *Method) ReturnsHRESULT() bool { return !m.Void && m.Result == nil }

// ResultC is the C type the method returns: HRESULT, void, or its result.
func (m *Method) ResultC() string {
	switch {
	case m.Void:
		return "void"
	case m.Result == nil:
		return "HRESULT"
	case m.Result.Kind == InterfaceKind:
		return m.Result.C + " *"
	}
	return m.Result.C
}

// ID is the Go name of the method's identifier in the generated package:
// IVssAsync_Wait, or Proc_Name for a DLL function (whose own Go name is Name).
func (m *Method) ID() string {
	if m.Interface == nil {
		return "Proc_" + m.Name
	}
	return m.Interface.Name + "_" + m.Name
}

// GoMethodName is the name of the generated Go method or function: the
// spec's go_name, or else its C name.
func (m *Method) GoMethodName() string {
	if m.GoName != "" {
		return m.GoName
	}
	return m.Name
}

// Owner is the interface that declares the method, or the DLL that exports the function.
func (m *Method) Owner() string {
	if m.Interface == nil {
		return m.DLL
	}
	return m.Interface.Name
}

// FullName is Interface.Method, or dll!Function.
func (m *Method) FullName() string {
	if m.Interface == nil {
		return m.DLL + "!" + m.Name
	}
	return m.Interface.Name + "." + m.Name
}

// Substitutions lists the notes that make another code stand for a documented one.
func (m *Method) Substitutions() []Substitution {
	var out []Substitution
	for _, r := range m.Returns {
		for _, n := range r.Notes {
			if n.ReturnsInstead != nil {
				out = append(out, Substitution{Documented: r.Code, Observed: n.ReturnsInstead, Note: n})
			}
		}
	}
	return out
}

// SuccessCodes reports the documented success codes other than S_OK, the ones
// a caller must be able to tell apart.
func (m *Method) SuccessCodes() []*HRESULT {
	var out []*HRESULT
	for _, r := range m.Returns {
		if !r.Code.Failed() && r.Code.Value != 0 {
			out = append(out, r.Code)
		}
	}
	return out
}

// Substitution says that on the note's systems a method returns Observed
// where its documentation names Documented.
type Substitution struct {
	Documented, Observed *HRESULT
	Note                 *Note
}

// Direction of a parameter.
type Direction int

const (
	In Direction = iota
	Out
)

func (d Direction) String() string {
	if d == Out {
		return "out"
	}
	return "in"
}

// Param is a parameter after the implicit this pointer.
type Param struct {
	Name string
	Dir  Direction
	Type *Type
	// Header is the integer type the SDK header declares when the spec
	// gives the parameter an enum of its own (enum: on a LONG or DWORD):
	// Type is then that enum, which Go signatures use, while C declarations
	// keep the header's type. Both are 4 bytes, so the ABI is the same.
	Header   *Type
	ByPtr    bool // passed through one more pointer than its direction implies
	Reserved bool // always passed as NULL/zero; not part of the Go signature
	// Optional says the caller may pass NULL: a string becomes *string in
	// the Go signature, nil passing NULL; a pointer is nil-able already.
	Optional bool
	// Buffer is set on an out-parameter through which the callee hands over
	// a buffer it allocated (BYTE ** in C): the stub returns a Go copy and
	// frees the original. Its length arrives through another out-parameter.
	Buffer *Buffer
	// LengthOf is set on the out-parameter that receives the length of the
	// buffer LengthOf: the stub reads it, and the Go signature leaves it out,
	// since the copy's len says it.
	LengthOf *Param
	Doc      string
}

// Buffer is an out buffer the callee allocates, with its length, in
// elements, in another out-parameter, and freed with a named function.
type Buffer struct {
	Length *Param
	Free   string // CoTaskMemFree, the only free function vssgen knows for buffers
}

// BufferFrees are the functions a buffer's free may name, with the DLL that
// exports them.
var BufferFrees = map[string]string{"CoTaskMemFree": "ole32.dll"}

// Stars is how many pointer levels the C declaration has: one for out,
// one for by-pointer, one for an interface (COM objects are always pointers).
func (p *Param) Stars() int {
	n := 0
	if p.Dir == Out {
		n++
	}
	if p.ByPtr || p.Buffer != nil {
		n++
	}
	if p.Type.Kind == InterfaceKind {
		n++
	}
	return n
}

// CType is the type the SDK header declares: Header when set, else Type.
func (p *Param) CType() *Type {
	if p.Header != nil {
		return p.Header
	}
	return p.Type
}

// CDecl is the parameter as the SDK declares it: "HRESULT *pHrResult".
func (p *Param) CDecl() string {
	stars := strings.Repeat("*", p.Stars())
	if stars == "" {
		return p.CType().C + " " + p.Name
	}
	return p.CType().C + " " + stars + p.Name
}

// ByValueStruct reports whether the parameter is a 16- or 8-byte struct
// passed by value, whose argument words differ by architecture.
func (p *Param) ByValueStruct() bool {
	return p.Dir == In && !p.ByPtr && !p.Reserved && (p.Type.Kind == GUIDKind || p.Type.Kind == Filetime)
}

// Return is a documented code with its meaning for one method.
type Return struct {
	Code    *HRESULT
	Meaning string
	Async   bool // delivered through the IVssAsync the method returns, not by the call
	// Notes are the method's notes on the code, or the code's own notes
	// (HRESULT.Notes) when the method gives none.
	Notes []*Note
}

// Note is an OS-version note. Exactly one of Before and On is set.
type Note struct {
	Before         *OSVersion   // systems older than this
	On             []*OSVersion // exactly these systems
	Text           string
	ReturnsInstead *HRESULT // on those systems this code arrives instead
}

// Systems describes the systems a note applies to, for documents.
func (n *Note) Systems() string {
	if n.Before != nil {
		return "before " + n.Before.Name + " (" + n.Before.Version() + ")"
	}
	var parts []string
	for _, o := range n.On {
		parts = append(parts, o.Name+" ("+o.Version()+")")
	}
	return "on " + strings.Join(parts, ", ")
}

// GUID is an interface identifier.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// String is the registry form without braces, lower case: 507c37b4-cf5b-4e95-b0af-14eb9767467e.
func (g GUID) String() string {
	return fmt.Sprintf("%08x-%04x-%04x-%02x%02x-%x", g.Data1, g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2:])
}

// OneLine folds text to a single line, for error strings and table cells.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// AppliesTo reports whether the note is about the given system.
func (n *Note) AppliesTo(o *OSVersion) bool {
	if n.Before != nil {
		return o.Major < n.Before.Major || o.Major == n.Before.Major && o.Minor < n.Before.Minor
	}
	for _, x := range n.On {
		if x.Major == o.Major && x.Minor == o.Minor {
			return true
		}
	}
	return false
}

// Documented is the code the method's documentation names for observed on
// the given system: the model's statement of what the generated Documented
// function must compute.
func (m *Method) Documented(observed *HRESULT, o *OSVersion) *HRESULT {
	for _, s := range m.Substitutions() {
		if s.Observed == observed && s.Note.AppliesTo(o) {
			return s.Documented
		}
	}
	return observed
}
