//go:build windows

package vss

import (
	"errors"
	"strings"
	"testing"
	"unsafe"
)

// TestAvailabilityAccessors calls each accessor of _queryCases on a fake of
// the interface it extends, which refuses the newer one with E_NOINTERFACE,
// and on a fake of the newer interface, which grants it. The refusal must
// wrap E_NOINTERFACE, and be an *UnavailableError naming the interface
// exactly when the running Windows is older than the release that brought
// it; the grant must hand out the object with one more reference.
func TestAvailabilityAccessors(t *testing.T) {
	running := CurrentOSVersion()
	for _, tc := range _queryCases {
		t.Run(tc.from+"/"+tc.iface, func(t *testing.T) {
			older := _newFake(tc.from)
			var got unsafe.Pointer
			var err error
			_fakeStack(func() { got, err = tc.query(unsafe.Pointer(older)) })
			if got != nil || !errors.Is(err, HRESULT(0x80004002)) {
				t.Fatalf("asking a %s for %s: %p, %v; want nil and an error that wraps E_NOINTERFACE", tc.from, tc.iface, got, err)
			}
			tooOld := running.OlderThan(tc.major, tc.minor)
			var u *UnavailableError
			if errors.As(err, &u) != tooOld {
				t.Fatalf("on Windows %s, %s is documented from %d.%d on, but the refusal is %T: %v", running, tc.iface, tc.major, tc.minor, err, err)
			}
			if tooOld && (u.Interface != tc.iface || u.Running != running || !strings.Contains(err.Error(), tc.iface+" is not available on Windows "+running.String())) {
				t.Errorf("the *UnavailableError does not name %s and Windows %s: %+v", tc.iface, running, u)
			}
			t.Logf("on Windows %s: %v", running, err)

			newer := _newFake(tc.iface)
			_fakeStack(func() { got, err = tc.query(unsafe.Pointer(newer)) })
			if err != nil || got != unsafe.Pointer(newer) {
				t.Fatalf("asking a %s for itself: %p, %v; want %p and no error", tc.iface, got, err, newer)
			}
			if newer.refs != 2 {
				t.Errorf("the object has %d references after the accessor, want 2: the caller's to release", newer.refs)
			}
		})
	}
}
