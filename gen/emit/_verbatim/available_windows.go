//go:build windows

package vss

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// UnavailableError is what an accessor such as QueryEx3 returns when the
// object refused the interface and the running Windows is older than the
// first release Microsoft documents the interface on. It wraps the error
// of QueryInterface, so errors.Is(err, HRESULT(0x80004002)), E_NOINTERFACE,
// still holds.
type UnavailableError struct {
	Interface string    // the interface asked for
	Since     string    // the oldest Windows version that has it, as major.minor
	SinceText string    // the releases that have it, as Microsoft documents them
	Running   OSVersion // the Windows the program runs on
	Err       error     // what QueryInterface returned
}

func (e *UnavailableError) Error() string {
	return e.Interface + " is not available on Windows " + e.Running.String() +
		"; Microsoft documents it on " + e.SinceText + " (Windows " + e.Since + " and later): " + e.Err.Error()
}

// Unwrap returns the error of QueryInterface.
func (e *UnavailableError) Unwrap() error { return e.Err }

// _query asks the object v for the interface iid. When the object refuses
// it on a system older than major.minor, the error says that the interface
// came later rather than leaving a bare E_NOINTERFACE.
func _query(v unsafe.Pointer, iid *windows.GUID, name string, major, minor uint32, since, sinceText string) (unsafe.Pointer, error) {
	p, err := (*IUnknown)(v).QueryInterface(iid)
	if err == nil {
		return p, nil
	}
	if running := CurrentOSVersion(); running.OlderThan(major, minor) {
		return nil, &UnavailableError{Interface: name, Since: since, SinceText: sinceText, Running: running, Err: err}
	}
	return nil, err
}
