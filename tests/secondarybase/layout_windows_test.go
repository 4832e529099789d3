package secondarybase

import (
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// writerComponents is an IVssWriterComponentsExt laid out as MSVC lays out
// `class IVssWriterComponentsExt : public IVssWriterComponents, public
// IUnknown`: the primary base's vtable pointer at offset 0, the IUnknown
// subobject's at the next pointer. A C++ caller of Release converts the
// object pointer to IUnknown *, which adds that offset, and calls through
// the second vtable with the adjusted this; the callbacks below record the
// this they receive.
type writerComponents struct {
	components *[3]uintptr // GetComponentCount, GetWriterInfo, GetComponent
	unknown    *[3]uintptr // QueryInterface, AddRef, Release

	refs  uint32
	calls []string // method and whether this was right
}

var (
	vtablesOnce             sync.Once
	componentsVtbl, unkVtbl [3]uintptr
	iidIUnknown                    = windows.GUID{Data1: 0, Data2: 0, Data3: 0, Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}
	eNoInterface                   = uintptr(0x80004002)
	componentCount          uint32 = 7
)

// fromUnknown is the object whose IUnknown subobject is at p.
func fromUnknown(p *[3]uintptr) *writerComponents {
	return (*writerComponents)(unsafe.Add(unsafe.Pointer(p), -int(unsafe.Offsetof(writerComponents{}.unknown))))
}

func vtables() {
	vtablesOnce.Do(func() {
		componentsVtbl = [3]uintptr{
			syscall.NewCallback(func(this *writerComponents, pc *uint32) uintptr {
				this.calls = append(this.calls, "GetComponentCount")
				*pc = componentCount
				return 0
			}),
			syscall.NewCallback(func(this *writerComponents, a, b uintptr) uintptr {
				this.calls = append(this.calls, "GetWriterInfo")
				return 0
			}),
			syscall.NewCallback(func(this *writerComponents, i, pp uintptr) uintptr {
				this.calls = append(this.calls, "GetComponent")
				return 0
			}),
		}
		unkVtbl = [3]uintptr{
			syscall.NewCallback(func(this *[3]uintptr, riid *windows.GUID, ppv *unsafe.Pointer) uintptr {
				o := fromUnknown(this)
				o.calls = append(o.calls, "QueryInterface")
				if *riid != iidIUnknown {
					*ppv = nil
					return eNoInterface
				}
				o.refs++
				*ppv = unsafe.Pointer(this) // IUnknown * of the object: its IUnknown subobject
				return 0
			}),
			syscall.NewCallback(func(this *[3]uintptr) uintptr {
				o := fromUnknown(this)
				o.calls = append(o.calls, "AddRef")
				o.refs++
				return uintptr(o.refs)
			}),
			syscall.NewCallback(func(this *[3]uintptr) uintptr {
				o := fromUnknown(this)
				o.calls = append(o.calls, "Release")
				o.refs--
				return uintptr(o.refs)
			}),
		}
	})
}

func newWriterComponents() *writerComponents {
	vtables()
	return &writerComponents{components: &componentsVtbl, unknown: &unkVtbl, refs: 1}
}

// TestIUnknownThroughTheSecondVtable calls the methods of both bases of a
// generated IVssWriterComponentsExt on an object of MSVC's layout. Each
// method must arrive through the vtable that holds it: a Release sent
// through the first vtable would call GetComponent, and one sent with the
// object's own address as this would be recorded against the wrong object.
func TestIUnknownThroughTheSecondVtable(t *testing.T) {
	o := newWriterComponents()
	ext := (*vss.IVssWriterComponentsExt)(unsafe.Pointer(o))

	n, err := ext.GetComponentCount()
	if err != nil || n != componentCount {
		t.Fatalf("GetComponentCount = %d, %v; want %d", n, err, componentCount)
	}
	if got := ext.AddRef(); got != 2 {
		t.Errorf("AddRef = %d, want 2", got)
	}
	p, err := ext.QueryInterface(&iidIUnknown)
	if err != nil || p != unsafe.Pointer(&o.unknown) {
		t.Errorf("QueryInterface(IID_IUnknown) = %p, %v; want the IUnknown subobject %p", p, err, &o.unknown)
	}
	if _, err := ext.QueryInterface(&vss.IID_IVssBackupComponents); err == nil {
		t.Error("QueryInterface(IID_IVssBackupComponents) succeeded on an object that refuses it")
	}
	if got := ext.Release(); got != 2 {
		t.Errorf("Release = %d, want 2", got)
	}
	if got := ext.Release(); got != 1 {
		t.Errorf("Release = %d, want 1", got)
	}
	if got := ext.Release(); got != 0 {
		t.Errorf("Release = %d, want 0", got)
	}
	want := []string{"GetComponentCount", "AddRef", "QueryInterface", "QueryInterface", "Release", "Release", "Release"}
	if len(o.calls) != len(want) {
		t.Fatalf("the object saw %q, want %q", o.calls, want)
	}
	for i := range want {
		if o.calls[i] != want[i] {
			t.Fatalf("the object saw %q, want %q", o.calls, want)
		}
	}
	if o.refs != 0 {
		t.Errorf("%d references left, want 0", o.refs)
	}
}
