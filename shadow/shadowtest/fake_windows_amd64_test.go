package shadowtest

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// These tests call the fake through the generated stubs directly, to show
// that it enforces the protocol and that Check reports what a requester
// gets wrong.

// onCOMThread locks the test's goroutine to its thread and initialises COM
// there until the test ends, as a requester does.
func onCOMThread(t *testing.T) {
	t.Helper()
	runtime.LockOSThread()
	if err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED); err != nil && err != syscall.Errno(1) {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		windows.CoUninitialize()
		runtime.UnlockOSThread()
	})
}

// begin creates backup components initialised for backup in ctx.
func begin(t *testing.T, svc *Service, ctx vss.VSS_SNAPSHOT_CONTEXT) *vss.IVssBackupComponents {
	t.Helper()
	b, err := svc.Create()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.InitializeForBackup(""); err != nil {
		t.Fatal(err)
	}
	if err := b.SetContext(ctx); err != nil {
		t.Fatal(err)
	}
	return b
}

func wait(t *testing.T, op vss.Method, start func() (*vss.IVssAsync, error)) {
	t.Helper()
	a, err := start()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	if err := a.WaitContext(context.Background(), op); err != nil {
		t.Fatal(err)
	}
}

// checkReports asserts that Check reports want.
func checkReports(t *testing.T, svc *Service, want string, keep ...windows.GUID) {
	t.Helper()
	err := svc.Check(keep...)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Check: %v, want a report of %q", err, want)
	}
}

func TestOutOfOrderIsBadState(t *testing.T) {
	tests := []struct {
		name string
		call func(b *vss.IVssBackupComponents) error
	}{
		{"SetContext before InitializeForBackup", func(b *vss.IVssBackupComponents) error { return b.SetContext(vss.VSS_CTX_BACKUP) }},
		{"StartSnapshotSet before GatherWriterMetadata", func(b *vss.IVssBackupComponents) error {
			if err := b.InitializeForBackup(""); err != nil {
				return err
			}
			_, err := b.StartSnapshotSet()
			return err
		}},
		{"AddToSnapshotSet before StartSnapshotSet", func(b *vss.IVssBackupComponents) error {
			if err := b.InitializeForBackup(""); err != nil {
				return err
			}
			_, err := b.AddToSnapshotSet(`C:\`, windows.GUID{})
			return err
		}},
		{"DoSnapshotSet after InitializeForBackup", func(b *vss.IVssBackupComponents) error {
			if err := b.InitializeForBackup(""); err != nil {
				return err
			}
			a, err := b.DoSnapshotSet()
			if a != nil {
				a.Release()
			}
			return err
		}},
		{"GetWriterMetadataCount before GatherWriterMetadata", func(b *vss.IVssBackupComponents) error {
			if err := b.InitializeForBackup(""); err != nil {
				return err
			}
			_, err := b.GetWriterMetadataCount()
			return err
		}},
		{"Query before SetContext", func(b *vss.IVssBackupComponents) error {
			if err := b.InitializeForBackup(""); err != nil {
				return err
			}
			e, err := b.Query(vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
			if e != nil {
				e.Release()
			}
			return err
		}},
		{"a call while an operation runs", func(b *vss.IVssBackupComponents) error {
			if err := b.InitializeForBackup(""); err != nil {
				return err
			}
			a, err := b.GatherWriterMetadata()
			if err != nil {
				return err
			}
			defer a.Release()
			_, err = b.StartSnapshotSet() // before the operation has ended
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			onCOMThread(t)
			svc := New()
			svc.pollsLeft = 5
			b, err := svc.Create()
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call(b)
			b.Release()
			if !errors.Is(err, vss.VSS_E_BAD_STATE) {
				t.Errorf("error %v, want VSS_E_BAD_STATE", err)
			}
			checkReports(t, svc, "out of order")
		})
	}
}

func TestReferencesCounted(t *testing.T) {
	onCOMThread(t)
	svc := New()
	b, err := svc.Create()
	if err != nil {
		t.Fatal(err)
	}
	b.AddRef()
	b.Release()
	checkReports(t, svc, "has 1 reference(s) left")
	ex2, err := b.QueryEx2()
	if err != nil {
		t.Fatal(err)
	}
	ex2.Release()
	if _, err := (*vss.IUnknown)(unsafe.Pointer(b)).QueryInterface(&vss.IID_IVssAsync); !errors.Is(err, vss.E_NOINTERFACE) {
		t.Errorf("QueryInterface for IVssAsync: %v", err)
	}
	b.Release()
	if err := svc.Check(); err != nil {
		t.Errorf("after the last Release: %v", err)
	}
	b.Release() // one too many
	checkReports(t, svc, "after its last Release")
}

func TestCompletionRequired(t *testing.T) {
	t.Run("neither BackupComplete nor AbortBackup", func(t *testing.T) {
		onCOMThread(t)
		svc := New()
		b := begin(t, svc, vss.VSS_CTX_FILE_SHARE_BACKUP)
		if _, err := b.StartSnapshotSet(); err != nil {
			t.Fatal(err)
		}
		b.Release()
		checkReports(t, svc, "neither BackupComplete nor AbortBackup")
	})
	t.Run("a failed DoSnapshotSet without AbortBackup", func(t *testing.T) {
		onCOMThread(t)
		svc := New()
		svc.Inject(ProviderVeto("DoSnapshotSet"))
		b := begin(t, svc, vss.VSS_CTX_FILE_SHARE_BACKUP)
		set, err := b.StartSnapshotSet()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.AddToSnapshotSet(`D:\`, SystemProvider); err != nil {
			t.Fatal(err)
		}
		if err := b.SetBackupState(false, false, vss.VSS_BT_COPY, false); err != nil {
			t.Fatal(err)
		}
		wait(t, vss.IVssBackupComponents_PrepareForBackup, b.PrepareForBackup)
		a, err := b.DoSnapshotSet()
		if err != nil {
			t.Fatal(err)
		}
		if err := a.WaitContext(context.Background(), vss.IVssBackupComponents_DoSnapshotSet); !errors.Is(err, vss.VSS_E_PROVIDER_VETO) {
			t.Errorf("DoSnapshotSet: %v", err)
		}
		a.Release()
		if n, _, err := b.DeleteSnapshots(set, vss.VSS_OBJECT_SNAPSHOT_SET, true); err != nil || n != 1 {
			t.Errorf("DeleteSnapshots: %d, %v", n, err)
		}
		b.Release()
		checkReports(t, svc, "DoSnapshotSet did not succeed, and AbortBackup was not called")
	})
}

func TestCancel(t *testing.T) {
	onCOMThread(t)
	for _, ignore := range []bool{false, true} {
		svc := New()
		svc.Inject(Hang("GatherWriterMetadata", ignore))
		b := begin(t, svc, vss.VSS_CTX_BACKUP)
		a, err := b.GatherWriterMetadata()
		if err != nil {
			t.Fatal(err)
		}
		if hr, err := a.Cancel(); err != nil || hr != vss.S_OK {
			t.Errorf("Cancel: %v, %v", hr, err)
		}
		status, err := a.QueryStatus()
		want := vss.VSS_S_ASYNC_CANCELLED
		if ignore {
			want = vss.VSS_S_ASYNC_PENDING
		}
		if err != nil || status != want {
			t.Errorf("ignoring Cancel %t: status %v, %v, want %v", ignore, status, err, want)
		}
		if !ignore {
			if hr, _ := a.Cancel(); hr != vss.VSS_S_ASYNC_FINISHED {
				t.Errorf("a second Cancel: %v, want VSS_S_ASYNC_FINISHED", hr)
			}
		}
		a.Release()
		if err := b.AbortBackup(); err != nil {
			t.Fatal(err)
		}
		b.Release()
		if err := svc.Check(); err != nil {
			t.Error(err)
		}
	}
}

// TestSnapshotProperties calls GetSnapshotProperties through its vtable
// slot: the generated stub frees the strings with vssapi.dll's
// VssFreeSnapshotPropertiesInternal, which Wine does not implement.
func TestSnapshotProperties(t *testing.T) {
	onCOMThread(t)
	svc := New()
	id := svc.AddSnapshot(`D:\`)
	b := begin(t, svc, vss.VSS_CTX_ALL)
	vt := (*vss.IVssBackupComponentsVtbl)(unsafe.Pointer((*object)(unsafe.Pointer(b)).vtbl))
	for _, tt := range []struct {
		id   windows.GUID
		want vss.HRESULT
	}{{id, vss.S_OK}, {windows.GUID{Data1: 7}, vss.VSS_E_OBJECT_NOT_FOUND}} {
		var p vss.VSS_SNAPSHOT_PROP
		copyID := tt.id
		r, _, _ := syscall.SyscallN(vt.GetSnapshotProperties, uintptr(unsafe.Pointer(b)), uintptr(unsafe.Pointer(&copyID)), uintptr(unsafe.Pointer(&p)))
		if vss.HRESULT(r) != tt.want {
			t.Errorf("GetSnapshotProperties(%v): %v, want %v", tt.id, vss.HRESULT(r), tt.want)
			continue
		}
		if tt.want != vss.S_OK {
			continue
		}
		if p.SnapshotId != id || windows.UTF16PtrToString(p.OriginalVolumeName) != DefaultVolumes[1].Name || p.Status != vss.VSS_SS_CREATED {
			t.Errorf("properties %+v", p)
		}
		for _, s := range []*uint16{p.SnapshotDeviceObject, p.OriginalVolumeName, p.OriginatingMachine, p.ServiceMachine} {
			windows.CoTaskMemFree(unsafe.Pointer(s))
		}
	}
	b.Release()
	if err := svc.Check(id); err != nil {
		t.Error(err)
	}
}

// TestCOMChecked shows that Check reports backup components made on a
// thread without COM, and used from a second thread.
func TestCOMChecked(t *testing.T) {
	svc := New()
	done := make(chan *vss.IVssBackupComponents)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		b, err := svc.Create() // no CoInitializeEx on this thread
		if err != nil {
			t.Error(err)
		}
		done <- b
	}()
	b := <-done
	if b == nil {
		t.FailNow()
	}
	onCOMThread(t)
	if err := b.InitializeForBackup(""); err != nil { // on the test's thread
		t.Error(err)
	}
	b.Release()
	checkReports(t, svc, "has not initialised COM")
	checkReports(t, svc, "called on thread")
}
