//go:build windows

package shadow

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// comThread is an OS thread initialised for COM's multithreaded apartment,
// on which a goroutine runs the functions it is given. COM's state belongs
// to a thread: CoInitializeEx and CoUninitialize must run on the same one,
// and the objects created there are used there.
type comThread struct {
	work chan func()
	done chan struct{}
}

// startCOM starts a COM thread.
func startCOM() (*comThread, error) {
	t := &comThread{work: make(chan func()), done: make(chan struct{})}
	started := make(chan error)
	go func() {
		defer close(t.done)
		// The goroutine never unlocks the thread: when it ends, the
		// runtime ends the thread too, with whatever COM left on it.
		runtime.LockOSThread()
		if mutate == nil || !mutate("initialise COM") {
			if err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED); err != nil && err != sFalse {
				started <- comError(err)
				return
			}
			defer windows.CoUninitialize()
		}
		initSecurityOnce.Do(initializeSecurity)
		started <- nil
		for f := range t.work {
			f()
		}
	}()
	if err := <-started; err != nil {
		return nil, &Error{Step: "initialising COM", Err: err}
	}
	return t, nil
}

// run runs f on the thread and waits for it to return.
func (t *comThread) run(f func()) {
	finished := make(chan struct{})
	t.work <- func() {
		defer close(finished)
		f()
	}
	<-finished
}

// stop uninitialises COM and ends the thread.
func (t *comThread) stop() {
	close(t.work)
	<-t.done
}

// sFalse is S_FALSE as golang.org/x/sys/windows reports it from
// CoInitializeEx: COM was initialised on this thread already, which is
// success and still needs its CoUninitialize.
const sFalse = syscall.Errno(1)

// comError gives a failed COM call's HRESULT with the system's text.
func comError(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Errorf("%w (0x%08X)", err, uint32(errno))
	}
	return err
}

// CoInitializeSecurity is not in golang.org/x/sys/windows.
var (
	ole32                    = windows.NewLazySystemDLL("ole32.dll")
	procCoInitializeSecurity = ole32.NewProc("CoInitializeSecurity")
	initSecurityOnce         sync.Once
)

const (
	rpcCAuthnLevelPktPrivacy = 6    // RPC_C_AUTHN_LEVEL_PKT_PRIVACY
	rpcCImpLevelIdentify     = 2    // RPC_C_IMP_LEVEL_IDENTIFY
	eoacDynamicCloaking      = 0x40 // EOAC_DYNAMIC_CLOAKING
	cAuthSvcDefault          = ^uintptr(0)
)

// initializeSecurity sets the process's COM security once, as Microsoft's
// requester samples do: writers in other processes call back into this
// one, so no security descriptor restricts who may call; calls are
// encrypted, and a writer may learn this process's identity but not act
// with it. A program that set its own security first keeps it: the call
// then fails with RPC_E_TOO_LATE, which is ignored, as is any failure, for
// VSS then reports what it cannot do.
func initializeSecurity() {
	if procCoInitializeSecurity.Find() != nil {
		return
	}
	syscall.SyscallN(procCoInitializeSecurity.Addr(),
		0,               // pSecDesc: NULL, any writer may call back
		cAuthSvcDefault, // cAuthSvc: -1, COM chooses the authentication services
		0,               // asAuthSvc
		0,               // pReserved1
		rpcCAuthnLevelPktPrivacy,
		rpcCImpLevelIdentify,
		0, // pAuthList
		eoacDynamicCloaking,
		0, // pReserved3
	)
}

// mutate, when not nil, is asked at each point where the package releases
// a reference, deletes shadow copies or initialises COM, and skips it when
// it answers true.
// Only the package's tests set it, to show that their leak checks catch
// such a mistake.
var mutate func(point string) bool

// releaser is what has a COM Release method.
type releaser interface{ Release() uint32 }

// release releases r's reference, which point names for mutate.
func release(r releaser, point string) {
	if mutate != nil && mutate("release "+point) {
		return
	}
	r.Release()
}

// skipDelete reports whether mutate skips the deletion at point.
func skipDelete(point string) bool {
	return mutate != nil && mutate("delete "+point)
}

// newBackup creates backup components with s's factory.
func (s *Service) newBackup() (*vss.IVssBackupComponents, error) {
	if s != nil && s.NewBackupComponents != nil {
		return s.NewBackupComponents()
	}
	return vss.CreateVssBackupComponentsInternal()
}

// volumeName gives the volume GUID path of a volume.
func (s *Service) volumeName(path string) (string, error) {
	if s != nil && s.VolumeName != nil {
		return s.VolumeName(path)
	}
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return "", err
	}
	var buf [windows.MAX_PATH + 1]uint16
	if err := windows.GetVolumeNameForVolumeMountPoint(p, &buf[0], uint32(len(buf))); err != nil {
		return "", fmt.Errorf("finding the volume of %s: %w", path, err)
	}
	return windows.UTF16ToString(buf[:]), nil
}
