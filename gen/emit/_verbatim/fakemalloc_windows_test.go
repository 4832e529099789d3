package vss

import (
	"runtime"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The fake COM objects hand out strings as a COM server does: string
// out-parameters allocated with CoTaskMemAlloc, BSTRs with SysAllocStringLen.
// The stubs must free each once, with CoTaskMemFree or SysFreeString. To
// count those frees as references are counted, the tests register an
// IMallocSpy, which COM's task allocator calls around every allocation and
// free, and turn off the BSTR cache of oleaut32 (SetOaNoCache), so that
// SysFreeString hands every BSTR back to the task allocator at once rather
// than keeping it for reuse.

// IID_IMallocSpy is 0000001d-0000-0000-C000-000000000046 (objidl.h).
var _spyIID = windows.GUID{Data1: 0x0000001d, Data4: [8]byte{0xc0, 0, 0, 0, 0, 0, 0, 0x46}}

// _spyObject is the IMallocSpy: its first word points at its vtable.
type _spyObject struct {
	lpVtbl *[15]uintptr
}

var (
	_spyOnce sync.Once
	_spyErr  error
	_spy     = new(_spyObject)
	_spyVtbl [15]uintptr

	_spyMu       sync.Mutex
	_spyOn       bool            // a test counts frees
	_spyThread   uint32          // PostAlloc records the blocks this thread allocates
	_spyCaptured []uintptr       // the blocks it recorded
	_spyFrees    map[uintptr]int // frees per recorded block, until it is checked
)

// _spyWatch registers the spy once per process, and has frees counted
// until tb ends; tb fails if that cannot be done.
func _spyWatch(tb testing.TB) {
	tb.Helper()
	_spyOnce.Do(func() {
		oleaut := windows.NewLazySystemDLL("oleaut32.dll")
		noCache := oleaut.NewProc("SetOaNoCache")
		if err := noCache.Find(); err != nil {
			_spyErr = err
			return
		}
		syscall.SyscallN(noCache.Addr())
		cb := syscall.NewCallback
		_spyVtbl = [15]uintptr{
			cb(func(s *_spyObject, riid *windows.GUID, ppv *unsafe.Pointer) uintptr { // QueryInterface
				if *riid == _spyIID || *riid == (windows.GUID{Data4: [8]byte{0xc0, 0, 0, 0, 0, 0, 0, 0x46}}) {
					*ppv = unsafe.Pointer(s)
					return 0
				}
				*ppv = nil
				return 0x80004002 // E_NOINTERFACE
			}),
			cb(func(s *_spyObject) uintptr { return 2 }),                  // AddRef: the spy lives as long as the process
			cb(func(s *_spyObject) uintptr { return 1 }),                  // Release
			cb(func(s *_spyObject, size uintptr) uintptr { return size }), // PreAlloc
			cb(func(s *_spyObject, block uintptr) uintptr { // PostAlloc
				_spyMu.Lock()
				if _spyThread != 0 && _spyThread == windows.GetCurrentThreadId() && block != 0 {
					_spyCaptured = append(_spyCaptured, block)
				}
				_spyMu.Unlock()
				return block
			}),
			cb(func(s *_spyObject, block, spyed uintptr) uintptr { // PreFree
				_spyMu.Lock()
				if n, ok := _spyFrees[block]; ok {
					_spyFrees[block] = n + 1
				}
				_spyMu.Unlock()
				return block
			}),
			cb(func(s *_spyObject, spyed uintptr) uintptr { return 0 }), // PostFree
			cb(func(s *_spyObject, block, size uintptr, newBlock *uintptr, spyed uintptr) uintptr { // PreRealloc
				*newBlock = block
				return size
			}),
			cb(func(s *_spyObject, block, spyed uintptr) uintptr { return block }),          // PostRealloc
			cb(func(s *_spyObject, block, spyed uintptr) uintptr { return block }),          // PreGetSize
			cb(func(s *_spyObject, size, spyed uintptr) uintptr { return size }),            // PostGetSize
			cb(func(s *_spyObject, block, spyed uintptr) uintptr { return block }),          // PreDidAlloc
			cb(func(s *_spyObject, block, spyed, actual uintptr) uintptr { return actual }), // PostDidAlloc
			cb(func(s *_spyObject) uintptr { return 0 }),                                    // PreHeapMinimize
			cb(func(s *_spyObject) uintptr { return 0 }),                                    // PostHeapMinimize
		}
		_spy.lpVtbl = &_spyVtbl
		register := windows.NewLazySystemDLL("ole32.dll").NewProc("CoRegisterMallocSpy")
		if err := register.Find(); err != nil {
			_spyErr = err
			return
		}
		if r, _, _ := syscall.SyscallN(register.Addr(), uintptr(unsafe.Pointer(_spy))); r != 0 {
			_spyErr = HRESULT(uint32(r))
		}
	})
	if _spyErr != nil {
		tb.Fatalf("cannot watch the COM task allocator, so the frees of out-strings cannot be counted: %v", _spyErr)
	}
	_spyMu.Lock()
	_spyOn, _spyFrees = true, map[uintptr]int{}
	_spyMu.Unlock()
	tb.Cleanup(func() {
		_spyMu.Lock()
		_spyOn, _spyFrees = false, nil
		_spyMu.Unlock()
	})
}

// _spyAllocated runs alloc, which allocates through COM's task allocator,
// and returns the blocks it allocated on its thread; _spyFreed then counts
// their frees. Unless a test counts frees, it returns nil.
func _spyAllocated(alloc func()) []uintptr {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_spyMu.Lock()
	if !_spyOn {
		_spyMu.Unlock()
		alloc()
		return nil
	}
	_spyThread, _spyCaptured = windows.GetCurrentThreadId(), nil
	_spyMu.Unlock()
	alloc()
	_spyMu.Lock()
	blocks := _spyCaptured
	_spyThread, _spyCaptured = 0, nil
	for _, b := range blocks {
		_spyFrees[b] = 0
	}
	_spyMu.Unlock()
	return blocks
}

// _spyFreed is how often block, which _spyAllocated returned, was freed
// since; it stops counting the block's frees.
func _spyFreed(block uintptr) int {
	_spyMu.Lock()
	defer _spyMu.Unlock()
	n := _spyFrees[block]
	delete(_spyFrees, block)
	return n
}
