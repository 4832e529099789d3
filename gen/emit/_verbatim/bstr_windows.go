//go:build windows

package vss

import (
	"syscall"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"
)

// BSTRs belong to OLE: SysAllocStringLen makes one, SysFreeString frees it.
// A BSTR carries its length in bytes in the 4 bytes before its text, so it
// may hold NUL characters: both directions go by that length, never by the
// first NUL.
var (
	_oleaut32      = windows.NewLazySystemDLL("oleaut32.dll")
	_bstrAllocProc = _oleaut32.NewProc("SysAllocStringLen")
	_bstrFreeProc  = _oleaut32.NewProc("SysFreeString")
)

// _sysAllocString makes the BSTR for s, its UTF-16 text of as many
// characters as s has, NULs included. The empty string is passed as NULL,
// which COM defines as the empty BSTR and which APIs such as
// InitializeForBackup document as their default.
func _sysAllocString(s string) (*uint16, error) {
	if s == "" {
		return nil, nil
	}
	u := utf16.Encode([]rune(s))
	if err := _bstrAllocProc.Find(); err != nil {
		return nil, err
	}
	r, _, _ := syscall.SyscallN(_bstrAllocProc.Addr(), uintptr(unsafe.Pointer(&u[0])), uintptr(len(u)))
	if r == 0 {
		return nil, windows.ERROR_NOT_ENOUGH_MEMORY
	}
	// Reading the word's bits as a pointer, rather than converting
	// uintptr to unsafe.Pointer, keeps go vet's pointer check meaningful.
	return *(**uint16)(unsafe.Pointer(&r)), nil
}

// _sysFreeString frees the BSTR p; NULL is the empty BSTR and needs no free.
func _sysFreeString(p *uint16) {
	if p != nil && _bstrFreeProc.Find() == nil {
		syscall.SyscallN(_bstrFreeProc.Addr(), uintptr(unsafe.Pointer(p)))
	}
}

// _bstrString copies the BSTR p into a Go string: as many UTF-16 units as
// its length prefix says (SysStringLen), so that NULs inside it survive.
// NULL is the empty string.
func _bstrString(p *uint16) string {
	if p == nil {
		return ""
	}
	n := *(*uint32)(unsafe.Add(unsafe.Pointer(p), -4)) / 2
	if n == 0 {
		return ""
	}
	return string(utf16.Decode(unsafe.Slice(p, n)))
}
