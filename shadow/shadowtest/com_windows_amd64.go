package shadowtest

import (
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// This file is the COM plumbing of the fake: objects whose first word
// points at a vtable of syscall.NewCallback functions. The callbacks are
// made once per process (syscall.NewCallback never frees one and allows
// about 2000) and shared by every Service; each finds its object, and so
// its Service, from the this pointer.

// kind is what interface an object implements.
type kind int

const (
	kindBackup   kind = iota // IVssBackupComponents, Ex and Ex2
	kindAsync                // IVssAsync
	kindMetadata             // IVssExamineWriterMetadata
	kindEnum                 // IVssEnumObject
	kindCount
)

var kindNames = [kindCount]string{"IVssBackupComponents", "IVssAsync", "IVssExamineWriterMetadata", "IVssEnumObject"}

// object is a fake COM object. vtbl must stay the first field: the object
// pointer COM code holds points at it.
type object struct {
	vtbl *uintptr
	svc  *Service
	kind kind
	name string // for messages: what made the object
	refs int32

	backup   *session
	async    *async
	writer   int // kindMetadata: the index of the writer in svc.writers
	enum     []vss.VSS_SNAPSHOT_PROP
	enumNext int
}

// slots is the size of the largest vtable: IVssBackupComponentsEx2 ends
// with slot 59.
const slots = 60

var (
	vtablesOnce sync.Once
	vtables     [kindCount]*[slots]uintptr
)

const (
	hrOK          = uintptr(vss.S_OK)
	hrNotImpl     = uintptr(vss.E_NOTIMPL)
	hrNoInterface = uintptr(vss.E_NOINTERFACE)
	hrPointer     = uintptr(vss.E_POINTER)
)

// The IIDs an object answers QueryInterface for, from vss.h and vsbackup.h
// through the generated package.
var iidUnknown = windows.GUID{Data1: 0x00000000, Data2: 0x0000, Data3: 0x0000, Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}

func iidsOf(k kind) []*windows.GUID {
	switch k {
	case kindBackup:
		return []*windows.GUID{&iidUnknown, &vss.IID_IVssBackupComponents, &vss.IID_IVssBackupComponentsEx, &vss.IID_IVssBackupComponentsEx2}
	case kindAsync:
		return []*windows.GUID{&iidUnknown, &vss.IID_IVssAsync}
	case kindMetadata:
		return []*windows.GUID{&iidUnknown, &vss.IID_IVssExamineWriterMetadata}
	case kindEnum:
		return []*windows.GUID{&iidUnknown, &vss.IID_IVssEnumObject}
	}
	return nil
}

func buildVtables() {
	vtablesOnce.Do(func() {
		qi := syscall.NewCallback(func(this *object, iid *windows.GUID, out *unsafe.Pointer) uintptr {
			return this.svc.queryInterface(this, iid, out)
		})
		addRef := syscall.NewCallback(func(this *object) uintptr {
			return uintptr(this.svc.addRef(this))
		})
		release := syscall.NewCallback(func(this *object) uintptr {
			return uintptr(this.svc.release(this))
		})
		for k := kind(0); k < kindCount; k++ {
			var vt [slots]uintptr
			vt[0], vt[1], vt[2] = qi, addRef, release
			for i := 3; i < slots; i++ {
				vt[i] = notImplemented(k, i)
			}
			vtables[k] = &vt
		}
		b := vtables[kindBackup]
		b[5] = cb1(func(s *session, xml *uint16) uintptr { return s.initializeForBackup(xml) })
		b[6] = cb4(func(s *session, sel, boot, typ, partial uintptr) uintptr {
			return s.setBackupState(sel, boot, typ, partial)
		})
		b[9] = cb1(func(s *session, out *unsafe.Pointer) uintptr { return s.gatherWriterMetadata(out) })
		b[10] = cb1(func(s *session, n *uint32) uintptr { return s.getWriterMetadataCount(n) })
		b[11] = cb3(func(s *session, i uintptr, inst *windows.GUID, out *unsafe.Pointer) uintptr {
			return s.getWriterMetadata(i, inst, out)
		})
		b[12] = cb0(func(s *session) uintptr { return s.freeWriterMetadata() })
		b[14] = cb1(func(s *session, out *unsafe.Pointer) uintptr { return s.prepareForBackup(out) })
		b[15] = cb0(func(s *session) uintptr { return s.abortBackup() })
		b[16] = cb1(func(s *session, out *unsafe.Pointer) uintptr { return s.gatherWriterStatus(out) })
		b[17] = cb1(func(s *session, n *uint32) uintptr { return s.getWriterStatusCount(n) })
		b[18] = cb0(func(s *session) uintptr { return s.freeWriterStatus() })
		b[19] = cb6(func(s *session, i uintptr, inst, class *windows.GUID, name **uint16, state *int32, failure *uint32) uintptr {
			return s.getWriterStatus(i, inst, class, name, state, failure)
		})
		b[27] = cb1(func(s *session, out *unsafe.Pointer) uintptr { return s.backupComplete(out) })
		b[35] = cb1(func(s *session, ctx uintptr) uintptr { return s.setContext(ctx) })
		b[36] = cb1(func(s *session, out *windows.GUID) uintptr { return s.startSnapshotSet(out) })
		b[37] = cb3(func(s *session, vol *uint16, provider, out *windows.GUID) uintptr {
			return s.addToSnapshotSet(vol, provider, out)
		})
		b[38] = cb1(func(s *session, out *unsafe.Pointer) uintptr { return s.doSnapshotSet(out) })
		b[39] = cb5(func(s *session, id *windows.GUID, typ, force uintptr, deleted *int32, nondeleted *windows.GUID) uintptr {
			return s.deleteSnapshots(id, typ, force, deleted, nondeleted)
		})
		b[42] = cb2(func(s *session, id *windows.GUID, prop *vss.VSS_SNAPSHOT_PROP) uintptr {
			return s.getSnapshotProperties(id, prop)
		})
		b[43] = cb4(func(s *session, id *windows.GUID, queried, returned uintptr, out *unsafe.Pointer) uintptr {
			return s.query(id, queried, returned, out)
		})
		b[45] = cb2(func(s *session, ids *windows.GUID, n uintptr) uintptr {
			return s.writerFilter("DisableWriterClasses", ids, n)
		})
		b[46] = cb2(func(s *session, ids *windows.GUID, n uintptr) uintptr {
			return s.writerFilter("EnableWriterClasses", ids, n)
		})
		b[47] = cb2(func(s *session, ids *windows.GUID, n uintptr) uintptr {
			return s.writerFilter("DisableWriterInstances", ids, n)
		})
		b[48] = cb5(func(s *session, id *windows.GUID, fromRoot *uint16, attrs uintptr, expose *uint16, out **uint16) uintptr {
			return s.exposeSnapshot(id, fromRoot, attrs, expose, out)
		})
		b[53] = cb1(func(s *session, id *windows.GUID) uintptr { return s.unexposeSnapshot(id) })

		a := vtables[kindAsync]
		a[3] = syscall.NewCallback(func(this *object) uintptr { return this.svc.asyncCancel(this) })
		a[4] = syscall.NewCallback(func(this *object, ms uintptr) uintptr { return this.svc.asyncWait(this, ms) })
		a[5] = syscall.NewCallback(func(this *object, hr *uint32, reserved uintptr) uintptr {
			return this.svc.asyncQueryStatus(this, hr, reserved)
		})

		m := vtables[kindMetadata]
		m[3] = syscall.NewCallback(func(this *object, inst, class *windows.GUID, name **uint16, usage, source *int32) uintptr {
			return this.svc.getIdentity(this, inst, class, name, usage, source)
		})

		e := vtables[kindEnum]
		e[3] = syscall.NewCallback(func(this *object, n uintptr, props *vss.VSS_OBJECT_PROP, fetched *uint32) uintptr {
			return this.svc.enumNext(this, n, props, fetched)
		})
		e[5] = syscall.NewCallback(func(this *object) uintptr { return this.svc.enumReset(this) })
	})
}

// notImplemented is the callback of a slot the fake does not implement: it
// records the call as a problem and returns E_NOTIMPL.
func notImplemented(k kind, slot int) uintptr {
	return syscall.NewCallback(func(this *object) uintptr {
		this.svc.problemf("%s called slot %d, which the fake does not implement", this.name, slot)
		return hrNotImpl
	})
}

// The cbN functions make the callback of an IVssBackupComponents method
// with N arguments after this: each checks that the object is alive and
// holds the Service's lock while the method runs.

func cb0(f func(*session) uintptr) uintptr {
	return syscall.NewCallback(func(this *object) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s) })
	})
}

func cb1[A any](f func(*session, A) uintptr) uintptr {
	return syscall.NewCallback(func(this *object, a A) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s, a) })
	})
}

func cb2[A, B any](f func(*session, A, B) uintptr) uintptr {
	return syscall.NewCallback(func(this *object, a A, b B) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s, a, b) })
	})
}

func cb3[A, B, C any](f func(*session, A, B, C) uintptr) uintptr {
	return syscall.NewCallback(func(this *object, a A, b B, c C) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s, a, b, c) })
	})
}

func cb4[A, B, C, D any](f func(*session, A, B, C, D) uintptr) uintptr {
	return syscall.NewCallback(func(this *object, a A, b B, c C, d D) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s, a, b, c, d) })
	})
}

func cb5[A, B, C, D, E any](f func(*session, A, B, C, D, E) uintptr) uintptr {
	return syscall.NewCallback(func(this *object, a A, b B, c C, d D, e E) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s, a, b, c, d, e) })
	})
}

func cb6[A, B, C, D, E, F any](f func(*session, A, B, C, D, E, F) uintptr) uintptr {
	return syscall.NewCallback(func(this *object, a A, b B, c C, d D, e E, f6 F) uintptr {
		return this.svc.enter(this, func(s *session) uintptr { return f(s, a, b, c, d, e, f6) })
	})
}

// Memory the caller frees: strings with CoTaskMemFree, BSTRs with
// SysFreeString.
var (
	ole32              = windows.NewLazySystemDLL("ole32.dll")
	oleaut32           = windows.NewLazySystemDLL("oleaut32.dll")
	procCoTaskMemAlloc = ole32.NewProc("CoTaskMemAlloc")
	procCoGetAptType   = ole32.NewProc("CoGetApartmentType")
	procSysAllocString = oleaut32.NewProc("SysAllocString")
)

// taskString copies s into memory from CoTaskMemAlloc, as VSS hands out
// the strings of VSS_SNAPSHOT_PROP and ExposeSnapshot; "" gives NULL.
func taskString(s string) *uint16 {
	if s == "" {
		return nil
	}
	u, err := windows.UTF16FromString(s)
	if err != nil {
		panic(err)
	}
	p, _, _ := procCoTaskMemAlloc.Call(uintptr(len(u) * 2))
	if p == 0 {
		panic("CoTaskMemAlloc failed")
	}
	q := *(**uint16)(unsafe.Pointer(&p)) // memory outside Go's heap
	copy(unsafe.Slice(q, len(u)), u)
	return q
}

// bstr copies s into a BSTR from SysAllocString.
func bstr(s string) *uint16 {
	p, _, _ := procSysAllocString.Call(uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(s))))
	if p == 0 {
		panic("SysAllocString failed")
	}
	return *(**uint16)(unsafe.Pointer(&p)) // memory outside Go's heap
}

// coNotInitialized is CO_E_NOTINITIALIZED: the thread has not called
// CoInitializeEx.
const coNotInitialized = 0x800401F0

// comInitialized reports whether the calling thread is in a COM apartment.
func comInitialized() bool {
	if procCoGetAptType.Find() != nil {
		return true // a system without CoGetApartmentType cannot tell
	}
	var aptType, qualifier int32
	r, _, _ := procCoGetAptType.Call(uintptr(unsafe.Pointer(&aptType)), uintptr(unsafe.Pointer(&qualifier)))
	return uint32(r) != coNotInitialized
}
