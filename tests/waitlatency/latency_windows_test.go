package waitlatency

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/vssgen/vssgen/generated/vss"
)

// fakeAsync is an IVssAsync whose operation ends at a known moment: its
// QueryStatus reports VSS_S_ASYNC_PENDING until then, and its Wait returns
// at that moment or when its timeout runs out, whichever comes first, as
// the service's Wait does. VSS has no real counterpart under Wine.
type fakeAsync struct {
	vtbl *[6]uintptr // IUnknown's three methods, then Cancel, Wait, QueryStatus

	mu      sync.Mutex
	endsAt  time.Time
	waits   int
	queries int
}

var (
	fakeVtblOnce sync.Once
	fakeVtbl     [6]uintptr
)

func newFakeAsync(endsAt time.Time) *fakeAsync {
	fakeVtblOnce.Do(func() {
		fakeVtbl = [6]uintptr{
			syscall.NewCallback(func(this *fakeAsync, riid, ppv uintptr) uintptr { return 0x80004002 }), // E_NOINTERFACE
			syscall.NewCallback(func(this *fakeAsync) uintptr { return 1 }),
			syscall.NewCallback(func(this *fakeAsync) uintptr { return 0 }),
			syscall.NewCallback(func(this *fakeAsync) uintptr { return 0 }), // Cancel: S_OK
			syscall.NewCallback(func(this *fakeAsync, ms uintptr) uintptr { return this.wait(ms) }),
			syscall.NewCallback(func(this *fakeAsync, status *int32, reserved uintptr) uintptr { return this.queryStatus(status) }),
		}
	})
	return &fakeAsync{vtbl: &fakeVtbl, endsAt: endsAt}
}

func (f *fakeAsync) wait(ms uintptr) uintptr {
	f.mu.Lock()
	f.waits++
	left := time.Until(f.endsAt)
	f.mu.Unlock()
	if limit := time.Duration(uint32(ms)) * time.Millisecond; uint32(ms) != 0xFFFFFFFF && left > limit {
		left = limit
	}
	if left > 0 {
		time.Sleep(left)
	}
	return 0 // S_OK: the wait itself succeeded
}

func (f *fakeAsync) queryStatus(status *int32) uintptr {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries++
	s := vss.VSS_S_ASYNC_PENDING
	if !time.Now().Before(f.endsAt) {
		s = vss.VSS_S_ASYNC_FINISHED
	}
	*status = int32(s)
	return 0
}

// runLength is how long each fake operation runs before it ends.
const runLength = 30 * time.Millisecond

// BenchmarkWaitContextLatency waits with WaitContext on operations that
// end runLength after they start and reports, besides the time per wait,
// the median and the worst delay from the operation's end to WaitContext's
// return, and the COM calls per wait.
func BenchmarkWaitContextLatency(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.Logf("Windows %s", vss.CurrentOSVersion())
	late := make([]time.Duration, 0, b.N)
	calls := 0
	for i := 0; i < b.N; i++ {
		f := newFakeAsync(time.Now().Add(runLength))
		err := (*vss.IVssAsync)(unsafe.Pointer(f)).WaitContext(context.Background(), vss.IVssBackupComponents_DoSnapshotSet)
		returned := time.Now()
		if err != nil {
			b.Fatalf("WaitContext = %v, want nil", err)
		}
		late = append(late, returned.Sub(f.endsAt))
		calls += f.waits + f.queries
		runtime.KeepAlive(f)
	}
	slices.Sort(late)
	b.ReportMetric(float64(late[len(late)/2])/float64(time.Millisecond), "ms-late-median")
	b.ReportMetric(float64(late[len(late)-1])/float64(time.Millisecond), "ms-late-max")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
}
