package realcom

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/ole"
)

// ExpectEnv names the environment variable that holds the JSON object the
// C program printed: case name -> what the real implementation did.
const ExpectEnv = "VSSGEN_REALCOM_EXPECT"

// SDK values the cases pass, from objbase.h, wtypes.h, winnls.h and winnt.h.
// The C program passes the SDK's macros; a wrong value here shows up as a
// case whose observations differ.
const (
	coinitMultithreaded     = 0x0
	coinitApartmentThreaded = 0x2
	normIgnoreCase          = 0x1
	localeInvariant         = 0x7F
	stgmRead                = 0x0
	stgmReadWrite           = 0x2
	stgmShareDenyNone       = 0x40
	stgmShareExclusive      = 0x10
	stgmCreate              = 0x1000
	stgmDeleteOnRelease     = 0x04000000
	stgcDefault             = 0
	gmemMoveable            = 0x2
	memctxTask              = 1
)

// observations collects what the Go side saw, in the C program's format.
type observations struct {
	t     *testing.T
	order []string
	got   map[string]string
}

func (o *observations) add(name, format string, args ...any) {
	if _, dup := o.got[name]; dup {
		o.t.Fatalf("case %q observed twice", name)
	}
	o.order = append(o.order, name)
	o.got[name] = fmt.Sprintf(format, args...)
}

// hr is the HRESULT a stub reported: ok when err is nil, the code of an
// *ole.Error otherwise. Any other error (a DLL that did not load) is shown
// as it is, so it cannot match an expectation.
func hr(ok ole.HRESULT, err error) string {
	if err == nil {
		return fmt.Sprintf("hr=0x%08X", uint32(ok))
	}
	var e *ole.Error
	if errors.As(err, &e) {
		return fmt.Sprintf("hr=0x%08X", uint32(e.Code))
	}
	return "error=" + err.Error()
}

// wide formats s as the C program formats a UTF-16 string: printable ASCII
// as it is, every other unit as \uXXXX.
func wide(s string) string {
	var b strings.Builder
	for _, c := range utf16.Encode([]rune(s)) {
		if c >= 0x20 && c < 0x7F && c != '"' && c != '\\' {
			b.WriteByte(byte(c))
		} else {
			fmt.Fprintf(&b, `\u%04X`, c)
		}
	}
	return b.String()
}

func guid(g windows.GUID) string {
	return fmt.Sprintf("{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		g.Data1, g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7])
}

// The inputs of the cases, as in expect.c.
var (
	guidStrings = []struct{ name, s string }{
		{"IStream", "{0000000C-0000-0000-C000-000000000046}"},
		{"lower case", "{0c733a30-2a1c-11ce-ade5-00aa0044773d}"},
		{"all bits", "{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}"},
		{"no braces", "0000000C-0000-0000-C000-000000000046"},
		{"short", "{0000000C-0000-0000-C000-00000000004}"},
		{"not hex", "{0000000C-0000-0000-C000-00000000004G}"},
		{"empty", ""},
		{"progid", "No.Such.ProgId"},
	}
	signed64    = []int64{0, 1, -1, 4294967295, 4294967296, -4294967296, 0x0123456789ABCDEF, 0x7FFFFFFFFFFFFFFF, -0x8000000000000000}
	unsigned64  = []uint64{0, 4294967295, 4294967296, 0x8000000000000000, 0xFEDCBA9876543210, 0xFFFFFFFFFFFFFFFF}
	lcids       = []uint32{0x0409, localeInvariant}
	comparisons = []struct {
		left, right string
		flags       uint32
		name        string
	}{
		{"abc", "abd", 0, "abc<abd"},
		{"abd", "abc", 0, "abd>abc"},
		{"abc", "abc", 0, "abc=abc"},
		{"abc", "ABC", 0, "abc?ABC"},
		{"abc", "ABC", normIgnoreCase, "abc?ABC ignoring case"},
		{"", "a", 0, "empty<a"},
		{"a", "", 0, "a>empty"},
		{"a\x00b", "a\x00c", 0, "a NUL b?a NUL c"},
		{"a\x00b", "a\x00b", 0, "a NUL b?a NUL b"},
		{"a", "a\x00", 0, "a?a NUL"},
	}
	concatenations = []struct{ left, right, name string }{
		{"abc", "def", "abc+def"},
		{"", "x", "empty+x"},
		{"x", "", "x+empty"},
		{"", "", "empty+empty"},
		{"a\x00b", "c\x00", "a NUL b+c NUL"},
		{"\x00", "z", "NUL+z"},
	}
	streamData = "hello, real COM"
	docClass   = windows.GUID{Data1: 0x01234567, Data2: 0x89AB, Data3: 0xCDEF, Data4: [8]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}}
)

func guidStringCases(o *observations) {
	iid, err := ole.IIDFromString(nil)
	o.add("IIDFromString/NULL", "%s guid=%s", hr(0, err), guid(iid))
	for _, c := range guidStrings {
		iid, err := ole.IIDFromString(&c.s)
		if err == nil {
			o.add("IIDFromString/"+c.name, "%s guid=%s", hr(0, nil), guid(iid))
		} else {
			o.add("IIDFromString/"+c.name, "%s", hr(0, err))
		}
		clsid, err := ole.CLSIDFromString(c.s)
		if err == nil {
			o.add("CLSIDFromString/"+c.name, "%s guid=%s", hr(0, nil), guid(clsid))
		} else {
			o.add("CLSIDFromString/"+c.name, "%s", hr(0, err))
		}
	}
}

// withString is an observation of a call that returns a string on success.
func withString(s string, err error) string {
	if err != nil {
		return hr(0, err)
	}
	return hr(0, nil) + " str=" + wide(s)
}

func varCases(o *observations) {
	for _, lcid := range lcids {
		for _, v := range signed64 {
			s, err := ole.VarBstrFromI8(v, lcid, 0)
			o.add(fmt.Sprintf("VarBstrFromI8/%d/%04X", v, lcid), "%s", withString(s, err))
		}
		for _, v := range unsigned64 {
			s, err := ole.VarBstrFromUI8(v, lcid, 0)
			o.add(fmt.Sprintf("VarBstrFromUI8/%d/%04X", v, lcid), "%s", withString(s, err))
		}
		for _, c := range comparisons {
			o.add(fmt.Sprintf("VarBstrCmp/%s/%04X", c.name, lcid), "%s", hr(ole.VarBstrCmp(c.left, c.right, lcid, c.flags)))
		}
	}
	for _, c := range concatenations {
		s, err := ole.VarBstrCat(c.left, c.right)
		o.add("VarBstrCat/"+c.name, "%s", withString(s, err))
	}
}

// apartmentCase initialises the multithreaded apartment twice on one
// thread, asks for a single-threaded one, then undoes the calls that
// succeeded.
func apartmentCase(o *observations) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var codes [3]ole.HRESULT
	for i, model := range []uint32{coinitMultithreaded, coinitMultithreaded, coinitApartmentThreaded} {
		code, err := ole.CoInitializeEx(model)
		var e *ole.Error
		if errors.As(err, &e) {
			code = e.Code
		} else if err != nil {
			o.t.Fatalf("CoInitializeEx: %v", err)
		}
		codes[i] = code
	}
	for _, code := range codes {
		if code.Succeeded() {
			if err := ole.CoUninitialize(); err != nil {
				o.t.Fatalf("CoUninitialize: %v", err)
			}
		}
	}
	o.add("CoInitializeEx", "first=0x%08X again=0x%08X other=0x%08X", uint32(codes[0]), uint32(codes[1]), uint32(codes[2]))
}

// stat formats what Stat reported as the C program formats a STATSTG:
// everything but the times.
func stat(st *ole.StorageStat, withName bool) string {
	g := fmt.Sprintf(" type=%d size=%d mode=0x%X locks=0x%X bits=0x%X clsid=%s", st.Type, st.Size, st.Mode, st.LocksSupported, st.StateBits, guid(st.Clsid))
	if !withName {
		return g + fmt.Sprintf(" named=%d", boolInt(st.Name != ""))
	}
	return g + " name=" + wide(st.Name)
}

var numbers = []struct{ s, name string }{
	{"0", "0"},
	{"42", "42"},
	{"-42", "-42"},
	{"4294967296", "2^32"},
	{"9223372036854775807", "int64 max"},
	{"9223372036854775808", "int64 max+1"},
	{"-9223372036854775808", "int64 min"},
	{"18446744073709551615", "uint64 max"},
	{"18446744073709551616", "uint64 max+1"},
	{"12.5", "12.5"},
	{"13.5", "13.5"},
	{"  7  ", "spaces"},
	{"abc", "abc"},
	{"", "empty"},
}

func parseCases(o *observations) {
	for _, n := range numbers {
		v, err := ole.VarI8FromStr(n.s, 0x0409, 0)
		if err == nil {
			o.add("VarI8FromStr/"+n.name, "%s value=%d", hr(0, nil), v)
		} else {
			o.add("VarI8FromStr/"+n.name, "%s", hr(0, err))
		}
		u, err := ole.VarUI8FromStr(n.s, 0x0409, 0)
		if err == nil {
			o.add("VarUI8FromStr/"+n.name, "%s value=%d", hr(0, nil), u)
		} else {
			o.add("VarUI8FromStr/"+n.name, "%s", hr(0, err))
		}
	}
}

func stringFromGuidCases(o *observations) {
	class := docClass
	s, err := ole.StringFromCLSID(&class)
	o.add("StringFromCLSID", "%s", withString(s, err))
	s, err = ole.StringFromIID(&ole.IID_IStream)
	o.add("StringFromIID", "%s", withString(s, err))
}

var lengths = []string{"", "abc", "a\x00b", "\x00\x00"}

func lengthCases(o *observations) {
	for i, b := range lengths {
		n, err := ole.SysStringLen(b)
		if err != nil {
			o.t.Fatal(err)
		}
		bytes, err := ole.SysStringByteLen(b)
		if err != nil {
			o.t.Fatal(err)
		}
		o.add(fmt.Sprintf("SysStringLen/%d", i), "len=%d bytes=%d", n, bytes)
	}
}

func mallocCases(o *observations) {
	t := o.t
	m, err := ole.CoGetMalloc(0)
	o.add("Malloc/CoGetMalloc 0", "%s null=%d", hr(0, err), boolInt(m == nil))
	if m != nil {
		m.Release()
	}
	m, err = ole.CoGetMalloc(memctxTask)
	o.add("Malloc/CoGetMalloc", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Alloc(100)
	o.add("Malloc/Alloc", "null=%d size=%d did=%d", boolInt(p == nil), m.GetSize(p), m.DidAlloc(p))
	p = m.Realloc(p, 300)
	o.add("Malloc/Realloc", "null=%d size=%d", boolInt(p == nil), m.GetSize(p))
	m.Free(p)
	o.add("Malloc/DidAlloc NULL", "did=%d", m.DidAlloc(nil))
	m.HeapMinimize()

	q, err := ole.CoTaskMemAlloc(64)
	if err != nil {
		t.Fatal(err)
	}
	o.add("Malloc/CoTaskMemAlloc", "null=%d size=%d did=%d", boolInt(q == nil), m.GetSize(q), m.DidAlloc(q))
	q, err = ole.CoTaskMemRealloc(q, 4096)
	if err != nil {
		t.Fatal(err)
	}
	o.add("Malloc/CoTaskMemRealloc", "null=%d size=%d", boolInt(q == nil), m.GetSize(q))
	if err := ole.CoTaskMemFree(q); err != nil {
		t.Fatal(err)
	}
	o.add("Malloc/Release", "refs=%d", m.Release())
}

// GUIDs of mfapi.h and mfobjects.h the MFT cases register with.
var (
	mftCategoryOther   = windows.GUID{Data1: 0x90175d57, Data2: 0xb7ea, Data3: 0x4901, Data4: [8]byte{0xae, 0xb3, 0x93, 0x3a, 0x87, 0x47, 0x75, 0x6f}}
	mfMediaTypeVideo   = windows.GUID{Data1: 0x73646976, Data2: 0x0000, Data3: 0x0010, Data4: [8]byte{0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}}
	mfVideoFormatRGB32 = windows.GUID{Data1: 0x00000016, Data2: 0x0000, Data3: 0x0010, Data4: [8]byte{0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}}
	mfVideoFormatNV12  = windows.GUID{Data1: 0x3231564e, Data2: 0x0000, Data3: 0x0010, Data4: [8]byte{0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}}
	transform          = windows.GUID{Data1: 0x7E1A3C5B, Data2: 0x2D4F, Data3: 0x4A6B, Data4: [8]byte{0x8C, 0x9D, 0x0E, 0x1F, 0x20, 0x31, 0x42, 0x53}}
	otherTransform     = windows.GUID{Data1: 0x7E1A3C5B, Data2: 0x2D4F, Data3: 0x4A6B, Data4: [8]byte{0x8C, 0x9D, 0x0E, 0x1F, 0x20, 0x31, 0x42, 0x54}}
)

func mftCases(o *observations) {
	in := ole.MFT_REGISTER_TYPE_INFO{MajorType: mfMediaTypeVideo, Subtype: mfVideoFormatRGB32}
	out := ole.MFT_REGISTER_TYPE_INFO{MajorType: mfMediaTypeVideo, Subtype: mfVideoFormatNV12}
	clsid, category := transform, mftCategoryOther
	o.add("MFT/MFTRegisterLocalByCLSID", "%s", hr(0, ole.MFTRegisterLocalByCLSID(&clsid, &category, "vssgen real COM", 0, 1, &in, 1, &out)))
	o.add("MFT/Unregister other", "%s", hr(0, ole.MFTUnregisterLocalByCLSID(otherTransform)))
	o.add("MFT/Unregister", "%s", hr(0, ole.MFTUnregisterLocalByCLSID(transform)))
	o.add("MFT/Unregister again", "%s", hr(0, ole.MFTUnregisterLocalByCLSID(transform)))
	// No media types: both arrays NULL, as their counts are zero.
	other := otherTransform
	o.add("MFT/MFTRegisterLocalByCLSID without types", "%s", hr(0, ole.MFTRegisterLocalByCLSID(&other, &category, "vssgen real COM, no types", 0, 0, nil, 0, nil)))
	o.add("MFT/Unregister without types", "%s", hr(0, ole.MFTUnregisterLocalByCLSID(otherTransform)))
}

// readCase reads up to n bytes from s and records the call.
func readCase(o *observations, name string, s *ole.IStream, n uint32) {
	buf := make([]byte, 64)
	read, code, err := s.Read(unsafe.Pointer(&buf[0]), n)
	var data strings.Builder
	for i := 0; i < int(read) && i < len(buf); i++ {
		if c := buf[i]; c >= 0x20 && c < 0x7F && c != '"' && c != '\\' {
			data.WriteByte(c)
		} else {
			data.WriteByte('.')
		}
	}
	if err != nil {
		// A failure leaves the count as the callee wrote it.
		o.add(name, "%s read=%d data=%s", hr(0, err), read, data.String())
		return
	}
	o.add(name, "%s read=%d data=%s", hr(code, nil), read, data.String())
}

var (
	kernel32     = windows.NewLazySystemDLL("kernel32.dll")
	globalAlloc  = kernel32.NewProc("GlobalAlloc")
	globalLock   = kernel32.NewProc("GlobalLock")
	globalUnlock = kernel32.NewProc("GlobalUnlock")
	globalFree   = kernel32.NewProc("GlobalFree")
)

// handlePointer is the pointer kernel32 returned as a uintptr: memory of
// the global heap, which Go's collector does not manage.
func handlePointer(u uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&u)) }

func hglobalCases(o *observations) {
	t := o.t
	mem, _, err := globalAlloc.Call(gmemMoveable, uintptr(len(streamData)))
	if mem == 0 {
		t.Fatalf("GlobalAlloc: %v", err)
	}
	p, _, err := globalLock.Call(mem)
	if p == 0 {
		t.Fatalf("GlobalLock: %v", err)
	}
	copy(unsafe.Slice((*byte)(handlePointer(p)), len(streamData)), streamData)
	globalUnlock.Call(mem)
	defer globalFree.Call(mem)

	s, err := ole.CreateStreamOnHGlobal(handlePointer(mem), false)
	o.add("HGlobal/CreateStreamOnHGlobal", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	readCase(o, "HGlobal/Read 5", s, 5)
	clone, err := s.Clone()
	o.add("HGlobal/Clone", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	readCase(o, "HGlobal/Read rest", s, 64)
	readCase(o, "HGlobal/Read at end", s, 8)
	readCase(o, "HGlobal/Read clone", clone, 64)
	readCase(o, "HGlobal/Read none", clone, 0)

	unk, err := s.QueryInterface(&ole.IID_ISequentialStream)
	o.add("HGlobal/QueryInterface ISequentialStream", "%s", hr(0, err))
	if unk != nil {
		(*ole.IUnknown)(unk).Release()
	}
	unk, err = s.QueryInterface(&ole.IID_IStorage)
	o.add("HGlobal/QueryInterface IStorage", "%s null=%d", hr(0, err), boolInt(unk == nil))
	if unk != nil {
		(*ole.IUnknown)(unk).Release()
	}

	o.add("HGlobal/Commit", "%s", hr(0, s.Commit(stgcDefault)))
	o.add("HGlobal/Revert", "%s", hr(0, s.Revert()))
	o.add("HGlobal/Release clone", "refs=%d", clone.Release())
	o.add("HGlobal/AddRef", "refs=%d", s.AddRef())
	s.Release()
	o.add("HGlobal/Release", "refs=%d", s.Release())

	s, err = ole.CreateStreamOnHGlobal(nil, true)
	o.add("HGlobal/new block", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	readCase(o, "HGlobal/Read new block", s, 8)

	// CopyTo from a stream over the block into the new one; a clone made
	// before keeps position 0 to read the copy back. cb has a high word.
	src, err := ole.CreateStreamOnHGlobal(handlePointer(mem), false)
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.Clone()
	if err != nil {
		t.Fatal(err)
	}
	read, written, err := src.CopyTo(s, 0x100000005)
	o.add("HGlobal/CopyTo", "%s read=%d written=%d", hr(0, err), read, written)
	st, err := s.Stat(ole.STATFLAG_NONAME)
	o.add("HGlobal/Stat copy", "%s%s", hr(0, err), stat(&st, true))
	readCase(o, "HGlobal/Read copy", back, 64)
	st, err = src.Stat(ole.STATFLAG_DEFAULT)
	o.add("HGlobal/Stat default", "%s%s", hr(0, err), stat(&st, true))

	err = s.SetSize(0x100000003)
	st, _ = s.Stat(ole.STATFLAG_NONAME)
	o.add("HGlobal/SetSize 2^32+3", "%s size=%d", hr(0, err), st.Size)
	err = s.SetSize(3)
	st, _ = s.Stat(ole.STATFLAG_NONAME)
	o.add("HGlobal/SetSize 3", "%s size=%d", hr(0, err), st.Size)
	o.add("HGlobal/LockRegion", "%s", hr(0, s.LockRegion(1, 0x100000001, ole.LOCK_WRITE)))
	o.add("HGlobal/UnlockRegion", "%s", hr(0, s.UnlockRegion(1, 0x100000001, ole.LOCK_WRITE)))
	back.Release()
	src.Release()
	s.Release()
}

// seekCases moves the position of a 10-byte HGLOBAL stream from each
// origin, by negative offsets and by offsets with a high DWORD, and with an
// origin that is not a STREAM_SEEK value.
func seekCases(o *observations) {
	s, err := ole.CreateStreamOnHGlobal(nil, true)
	o.add("Seek/CreateStreamOnHGlobal", "%s", hr(0, err))
	if err != nil {
		o.t.Fatal(err)
	}
	defer s.Release()
	if err := s.SetSize(10); err != nil {
		o.t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		move   int64
		origin ole.STREAM_SEEK
	}{
		{"Seek/SET 4", 4, ole.STREAM_SEEK_SET},
		{"Seek/CUR 3", 3, ole.STREAM_SEEK_CUR},
		{"Seek/CUR -5", -5, ole.STREAM_SEEK_CUR},
		{"Seek/END -1", -1, ole.STREAM_SEEK_END},
		{"Seek/END 0", 0, ole.STREAM_SEEK_END},
		{"Seek/SET 2^32+1", 0x100000001, ole.STREAM_SEEK_SET},
		{"Seek/CUR 2^32+6", 0x100000006, ole.STREAM_SEEK_CUR},
		{"Seek/CUR -2^32-2", -0x100000002, ole.STREAM_SEEK_CUR},
		{"Seek/SET -1", -1, ole.STREAM_SEEK_SET},
		{"Seek/CUR -8", -8, ole.STREAM_SEEK_CUR},
		{"Seek/invalid origin", 0, 3},
		{"Seek/CUR 0", 0, ole.STREAM_SEEK_CUR},
	} {
		pos, err := s.SeekTo(c.move, c.origin)
		o.add(c.name, "%s pos=%d", hr(0, err), pos)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func docfileCases(o *observations) {
	t := o.t
	stg, err := ole.StgCreateDocfile(nil, stgmCreate|stgmReadWrite|stgmShareExclusive|stgmDeleteOnRelease)
	o.add("Docfile/StgCreateDocfile", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	release := func(s *ole.IStream) {
		if s != nil {
			s.Release()
		}
	}
	s, err := stg.CreateStream("Contents", stgmCreate|stgmReadWrite|stgmShareExclusive)
	o.add("Docfile/CreateStream", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Stat(ole.STATFLAG_DEFAULT)
	o.add("Docfile/Stream Stat", "%s%s", hr(0, err), stat(&st, true))
	err = s.SetSize(16)
	st, _ = s.Stat(ole.STATFLAG_NONAME)
	o.add("Docfile/Stream SetSize", "%s size=%d", hr(0, err), st.Size)
	o.add("Docfile/Stream LockRegion", "%s", hr(0, s.LockRegion(0, 1, ole.LOCK_WRITE)))
	release(s)
	s, err = stg.CreateStream("Contents", stgmReadWrite|stgmShareExclusive)
	o.add("Docfile/CreateStream again", "%s null=%d", hr(0, err), boolInt(s == nil))
	release(s)
	s, err = stg.CreateStream("Shared", stgmCreate|stgmReadWrite|stgmShareDenyNone)
	o.add("Docfile/CreateStream shared", "%s", hr(0, err))
	release(s)
	s, err = stg.CreateStream("ThisNameHasMoreThanThirtyOneCharacters", stgmCreate|stgmReadWrite|stgmShareExclusive)
	o.add("Docfile/CreateStream long name", "%s", hr(0, err))
	release(s)
	s, err = stg.OpenStream("Contents", stgmRead|stgmShareExclusive)
	o.add("Docfile/OpenStream", "%s", hr(0, err))
	if err != nil {
		t.Fatal(err)
	}
	readCase(o, "Docfile/Read stream", s, 8)
	release(s)
	s, err = stg.OpenStream("Missing", stgmRead|stgmShareExclusive)
	o.add("Docfile/OpenStream missing", "%s", hr(0, err))
	release(s)
	class := docClass
	o.add("Docfile/SetClass", "%s", hr(0, stg.SetClass(&class)))
	st, err = stg.Stat(ole.STATFLAG_NONAME)
	o.add("Docfile/Stat", "%s%s", hr(0, err), stat(&st, false))
	st, err = stg.Stat(ole.STATFLAG_DEFAULT)
	o.add("Docfile/Stat default", "%s%s", hr(0, err), stat(&st, false))
	o.add("Docfile/Commit", "%s", hr(0, stg.Commit(stgcDefault)))
	o.add("Docfile/Revert", "%s", hr(0, stg.Revert()))
	o.add("Docfile/DestroyElement", "%s", hr(0, stg.DestroyElement("Contents")))
	s, err = stg.OpenStream("Contents", stgmRead|stgmShareExclusive)
	o.add("Docfile/OpenStream destroyed", "%s", hr(0, err))
	release(s)
	o.add("Docfile/DestroyElement again", "%s", hr(0, stg.DestroyElement("Contents")))
	o.add("Docfile/Release", "refs=%d", stg.Release())
}

// TestRealCOM makes every call of the tier through generated/ole and
// compares each observation with the C program's, one subtest per case.
// Run without expectations, it fails: a tier that compares nothing proves
// nothing.
func TestRealCOM(t *testing.T) {
	raw := os.Getenv(ExpectEnv)
	if raw == "" {
		t.Fatalf("%s is not set; tests/realcom_test.go runs this test with the C program's observations", ExpectEnv)
	}
	var want map[string]string
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		t.Fatalf("%s: %v", ExpectEnv, err)
	}
	o := &observations{t: t, got: map[string]string{}}
	guidStringCases(o)
	varCases(o)
	apartmentCase(o)
	parseCases(o)
	stringFromGuidCases(o)
	lengthCases(o)
	mallocCases(o)
	hglobalCases(o)
	seekCases(o)
	docfileCases(o)
	mftCases(o)

	for _, name := range o.order {
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("the C program did not make this call")
			}
			if got := o.got[name]; got != w {
				t.Errorf("generated/ole observed %q, the SDK's declarations %q", got, w)
			}
		})
	}
	var missing []string
	for name := range want {
		if _, ok := o.got[name]; !ok {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("cases the C program made but the Go side did not: %q", missing)
	}
	t.Logf("%d calls of the real implementations agree with the C program's", len(o.order))
}
