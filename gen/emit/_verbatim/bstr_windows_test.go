//go:build windows

package vss

import (
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// TestBSTRNUL passes strings with NUL characters through the BSTR helpers
// the stubs use and asks oleaut32 itself (SysStringLen, SysStringByteLen)
// how long the BSTRs it made are: a BSTR is counted, so "a\x00b" is three
// characters, and reading it back must give all three.
func TestBSTRNUL(t *testing.T) {
	oleaut32 := windows.NewLazySystemDLL("oleaut32.dll")
	stringLen := oleaut32.NewProc("SysStringLen")
	byteLen := oleaut32.NewProc("SysStringByteLen")
	for _, tc := range []struct {
		s     string
		units uintptr
	}{
		{"a\x00b", 3},
		{"\x00", 1},
		{"\x00\x00tail", 6},
		{"end\x00", 4},
		{"\U0001D11E\x00\u00fc", 4}, // a surrogate pair, a NUL, one more unit
		{"no NUL", 6},
	} {
		p, err := _sysAllocString(tc.s)
		if err != nil {
			t.Fatalf("_sysAllocString(%q): %v", tc.s, err)
		}
		n, _, _ := syscall.SyscallN(stringLen.Addr(), uintptr(unsafe.Pointer(p)))
		b, _, _ := syscall.SyscallN(byteLen.Addr(), uintptr(unsafe.Pointer(p)))
		if uint32(n) != uint32(tc.units) || uint32(b) != uint32(2*tc.units) {
			t.Errorf("_sysAllocString(%q): SysStringLen %d, SysStringByteLen %d, want %d and %d", tc.s, uint32(n), uint32(b), tc.units, 2*tc.units)
		}
		if got := _bstrString(p); got != tc.s {
			t.Errorf("_bstrString(_sysAllocString(%q)) = %q", tc.s, got)
		}
		_sysFreeString(p)
	}
	if p, err := _sysAllocString(""); p != nil || err != nil {
		t.Errorf(`_sysAllocString("") = %p, %v; want NULL, the empty BSTR`, p, err)
	}
	if got := _bstrString(nil); got != "" {
		t.Errorf("_bstrString(NULL) = %q, want the empty string", got)
	}
}
