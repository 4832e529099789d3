package model

// Kind says how a type crosses the COM boundary: how it is laid out in
// memory and how it is passed as an argument.
type Kind int

const (
	Integer       Kind = iota // a fixed-size integer: DWORD, LONG, VSS_TIMESTAMP
	Boolean                   // BOOL (4 bytes) or boolean (1 byte); a Go bool
	Status                    // HRESULT
	EnumKind                  // an enum of the spec; a 32-bit C enum
	GUIDKind                  // VSS_ID, GUID, CLSID: 16 bytes, 4-aligned
	GUIDRef                   // REFIID, REFCLSID, REFGUID: a const GUID passed by its address
	Filetime                  // FILETIME: two DWORDs
	WString                   // LPCWSTR, VSS_PWSZ: a NUL-terminated UTF-16 string
	BSTRKind                  // BSTR: a length-prefixed UTF-16 string owned by OLE
	RawPointer                // PVOID: an untyped pointer
	InterfaceKind             // a COM interface of the spec
	StructKind                // a struct or union of the spec
)

// Arch is a Windows architecture the generated code supports.
type Arch string

const (
	AMD64 Arch = "amd64"
	I386  Arch = "386"
	ARM64 Arch = "arm64"
)

// Arches lists the supported architectures in the order files are emitted.
var Arches = []Arch{AMD64, I386, ARM64}

// PtrSize is the size of a pointer on a.
func (a Arch) PtrSize() int {
	if a == I386 {
		return 4
	}
	return 8
}

// Type is a C type the generator knows how to lay out and pass.
type Type struct {
	C    string // the SDK's name: DWORD, VSS_ID, IVssAsync
	Kind Kind
	// Go is the Go type of the C-layout representation (in structs and
	// by-pointer parameters): uint32, windows.GUID, *uint16, VSS_BACKUP_TYPE.
	Go string
	// Local says Go names a type of the generated package.
	Local bool
	// Bytes is the size of integer, boolean and enum types.
	Bytes int
	// Signed is set for signed integers.
	Signed bool
	// PtrSized is set for the integers as wide as a pointer (SIZE_T,
	// ULONG_PTR, LONG_PTR, DWORD_PTR): 4 bytes on 386, 8 elsewhere. Their
	// Bytes is 8, the widest they get; Size and Align give the width on an
	// architecture.
	PtrSized bool

	Enum      *Enum
	Struct    *Struct
	Interface *Interface
}

func (t *Type) String() string { return t.C }

// Is64 reports whether t is a 64-bit integer on every architecture
// (LONGLONG, ULONGLONG, LARGE_INTEGER, ULARGE_INTEGER): passed by value it
// takes two stack words on 386, and returned it comes back in EDX:EAX there.
func (t *Type) Is64() bool { return t.Kind == Integer && t.Bytes == 8 && !t.PtrSized }

// Size is the C size of t on a.
func (t *Type) Size(a Arch) int {
	switch t.Kind {
	case GUIDKind:
		return 16
	case Filetime:
		return 8
	case WString, BSTRKind, RawPointer, InterfaceKind, GUIDRef:
		return a.PtrSize()
	case StructKind:
		return t.Struct.Layout(a).Size
	}
	if t.PtrSized {
		return a.PtrSize()
	}
	return t.Bytes
}

// Align is the C alignment of t on a. On 386, C aligns 64-bit integers to 8
// inside structs while Go aligns them to 4: the layout code pads for that.
func (t *Type) Align(a Arch) int {
	switch t.Kind {
	case GUIDKind, Filetime:
		return 4
	case WString, BSTRKind, RawPointer, InterfaceKind, GUIDRef:
		return a.PtrSize()
	case StructKind:
		return t.Struct.Layout(a).Align
	}
	if t.PtrSized {
		return a.PtrSize()
	}
	return t.Bytes
}

// GoAlign is the alignment Go gives the C-layout representation of t on a.
func (t *Type) GoAlign(a Arch) int {
	switch t.Kind {
	case StructKind:
		return t.Struct.Layout(a).GoAlign
	case Integer:
		if t.Is64() && a == I386 {
			return 4
		}
	}
	return t.Align(a)
}

// builtinTypes are the SDK types every spec may use, by name.
func builtinTypes() map[string]*Type {
	ts := map[string]*Type{}
	add := func(t *Type) { ts[t.C] = t }
	for _, i := range []struct {
		c, goType string
		bytes     int
		signed    bool
	}{
		{"BYTE", "uint8", 1, false},
		{"WORD", "uint16", 2, false},
		{"USHORT", "uint16", 2, false},
		{"SHORT", "int16", 2, true},
		{"DWORD", "uint32", 4, false},
		{"ULONG", "uint32", 4, false},
		{"UINT", "uint32", 4, false},
		{"LONG", "int32", 4, true},
		{"INT", "int32", 4, true},
		{"LONGLONG", "int64", 8, true},
		{"ULONGLONG", "uint64", 8, false},
		{"VSS_TIMESTAMP", "int64", 8, true},
		// The 8-byte unions of winnt.h, whose QuadPart member is the whole
		// value: C passes and lays them out as it does LONGLONG (8-aligned in
		// structs), so Go takes the 64-bit integer.
		{"LARGE_INTEGER", "int64", 8, true},
		{"ULARGE_INTEGER", "uint64", 8, false},
	} {
		add(&Type{C: i.c, Kind: Integer, Go: i.goType, Bytes: i.bytes, Signed: i.signed})
	}
	// The integers as wide as a pointer: Go's uintptr and int have the same
	// width on every architecture.
	for _, c := range []string{"SIZE_T", "ULONG_PTR", "DWORD_PTR"} {
		add(&Type{C: c, Kind: Integer, Go: "uintptr", Bytes: 8, PtrSized: true})
	}
	add(&Type{C: "LONG_PTR", Kind: Integer, Go: "int", Bytes: 8, Signed: true, PtrSized: true})
	add(&Type{C: "HRESULT", Kind: Status, Go: "HRESULT", Local: true, Bytes: 4})
	add(&Type{C: "BOOL", Kind: Boolean, Go: "int32", Bytes: 4, Signed: true})
	add(&Type{C: "boolean", Kind: Boolean, Go: "uint8", Bytes: 1})
	for _, name := range []string{"VSS_ID", "GUID", "CLSID"} {
		add(&Type{C: name, Kind: GUIDKind, Go: "windows.GUID"})
	}
	add(&Type{C: "FILETIME", Kind: Filetime, Go: "windows.Filetime"})
	add(&Type{C: "LPCWSTR", Kind: WString, Go: "*uint16"})
	add(&Type{C: "VSS_PWSZ", Kind: WString, Go: "*uint16"})
	add(&Type{C: "LPOLESTR", Kind: WString, Go: "*uint16"})
	add(&Type{C: "LPCOLESTR", Kind: WString, Go: "*uint16"})
	for _, name := range []string{"REFIID", "REFCLSID", "REFGUID"} {
		add(&Type{C: name, Kind: GUIDRef, Go: "*windows.GUID"})
	}
	add(&Type{C: "BSTR", Kind: BSTRKind, Go: "*uint16"})
	add(&Type{C: "PVOID", Kind: RawPointer, Go: "unsafe.Pointer"})
	return ts
}

// Enum is an enum or flag set of the spec. Its Go type is a named int32,
// the size of a C enum on Windows.
type Enum struct {
	Name   string
	Header string
	Doc    string
	Flags  bool
	Values []*EnumValue // in the spec's order
}

// EnumValue is one constant of an enum.
type EnumValue struct {
	Name        string
	Value       int32
	Doc         string
	Combination bool // a flag set's named combination, not a single flag
}

// Struct is a C struct or union of the spec.
type Struct struct {
	Name   string
	Header string
	Doc    string
	Union  bool
	Fields []*Field
	// Free names the DLL function that frees what the service allocated
	// inside the struct; out-parameters of such a struct come back to Go as
	// a copy with Go strings, and the stub frees the original.
	Free *Method
	// GoName names that Go copy (set when Free is, or a field's Free).
	GoName string

	layouts map[Arch]*Layout
}

// Field is a member of a struct or union.
type Field struct {
	Name   string // the C name, for the conformance file
	GoName string // exported Go name
	Type   *Type
	Doc    string
	// Free frees what the callee allocated for this field of a struct it
	// filled: CoTaskMemFree for a string, SysFreeString for a BSTR. The
	// struct then has a Go copy, and the stub frees each such field once it
	// is copied. Empty when the field holds nothing to free, or when the
	// struct's own Free frees it all.
	Free string
}

// FieldFrees are the free functions a field may name, by the kind of type
// each frees.
var FieldFrees = map[string]Kind{
	"CoTaskMemFree": WString,
	"SysFreeString": BSTRKind,
}

// Frees reports whether out-parameters of s come back as a Go copy and the
// stub frees the original: with the struct's Free function, or with the
// Free function of each field that has one.
func (s *Struct) Frees() bool {
	return s.Free != nil || len(s.FreedFields()) > 0
}

// FreedFields are the fields of s that name a Free function of their own.
func (s *Struct) FreedFields() []*Field {
	var out []*Field
	for _, f := range s.Fields {
		if f.Free != "" {
			out = append(out, f)
		}
	}
	return out
}

// Layout is a struct's C layout on one architecture and the padding the Go
// representation needs to match it.
type Layout struct {
	Size, Align int
	GoAlign     int
	Offsets     []int // of each field (all 0 for a union)
	// PadBefore[i] is the padding Go must insert before field i beyond its
	// own alignment; TailPad is what Go must add at the end.
	PadBefore []int
	TailPad   int
}

// Layout computes the C layout of s on a with the rules of the Microsoft
// ABI (each member at the next multiple of its alignment; size rounded up to
// the largest alignment), and the explicit padding that makes Go's layout of
// the generated struct the same.
func (s *Struct) Layout(a Arch) *Layout {
	if l, ok := s.layouts[a]; ok {
		return l
	}
	if s.layouts == nil {
		s.layouts = map[Arch]*Layout{}
	}
	l := &Layout{Align: 1, GoAlign: 1}
	s.layouts[a] = l // a struct cannot contain itself; validation refuses cycles
	if s.Union {
		// Go has no unions: the generated type is an array of words large
		// enough for the biggest member, with that member's alignment.
		for _, f := range s.Fields {
			l.Offsets = append(l.Offsets, 0)
			l.Size = max(l.Size, f.Type.Size(a)) // each at most sizeCap
			l.Align = max(l.Align, f.Type.Align(a))
		}
		l.Size = roundUp(l.Size, l.Align)
		l.GoAlign = min(l.Align, goWordAlign(a, l.Align))
		l.PadBefore = make([]int, len(s.Fields))
		return l
	}
	cOff, goOff := 0, 0
	for _, f := range s.Fields {
		al, gal := f.Type.Align(a), f.Type.GoAlign(a)
		cOff = roundUp(cOff, al)
		goOff = roundUp(goOff, gal)
		l.PadBefore = append(l.PadBefore, cOff-goOff)
		l.Offsets = append(l.Offsets, cOff)
		cOff = addSize(cOff, f.Type.Size(a))
		goOff = cOff
		l.Align = max(l.Align, al)
		l.GoAlign = max(l.GoAlign, gal)
	}
	l.Size = roundUp(cOff, l.Align)
	l.TailPad = l.Size - roundUp(cOff, l.GoAlign)
	return l
}

// UnionWords is the element count and Go element type of a union's
// representation on a: words of the union's alignment, so that a union of
// 1-byte members is an array of bytes rather than of no uint32s.
func (s *Struct) UnionWords(a Arch) (int, string) {
	l := s.Layout(a)
	switch {
	case l.Align >= 8:
		return l.Size / 8, "uint64"
	case l.Align >= 4:
		return l.Size / 4, "uint32"
	case l.Align >= 2:
		return l.Size / 2, "uint16"
	}
	return l.Size, "uint8"
}

// goWordAlign is the alignment Go gives the word type chosen for a union.
func goWordAlign(a Arch, cAlign int) int {
	if cAlign >= 8 && a == I386 {
		return 4
	}
	return cAlign
}

func roundUp(n, align int) int { return (n + align - 1) / align * align }

// MaxStructSize is the largest struct or union, in bytes on any
// architecture, that a spec may declare. The SDK's largest VSS struct is
// 136 bytes; a Go array type of gigabytes makes go build run for minutes.
const MaxStructSize = 64 << 10

// sizeCap is where layout sizes stop growing: sizes above MaxStructSize are
// refused, so only the fact that they are too large matters, and nesting
// structs that are each too large cannot overflow an int.
const sizeCap = 1 << 30 // fits the int of 32-bit platforms, where vssgen builds too

// addSize adds two sizes of at most sizeCap, saturating at sizeCap.
func addSize(a, b int) int {
	if a > sizeCap-b {
		return sizeCap
	}
	return a + b
}
