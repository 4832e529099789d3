package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
)

// fakeService is a service that records what the command asks of it, for
// the tests of parsing, output and exit statuses. (The tests of the real
// service, over the shadow package's fake VSS, are in the Windows tests.)
type fakeService struct {
	mu       sync.Mutex
	calls    []string
	snaps    []snapshot
	createFn func(ctx context.Context) error // the outcome of Create
	closeErr error
	closed   int
	closeCtx error // ctx.Err() seen by Close
	deleteFn func(filter) ([]string, error)
}

func (f *fakeService) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeService) Create(ctx context.Context, req createRequest, progress func(string)) (snapshotSet, error) {
	f.record("Create %v context=%s include=%v exclude=%v timeout=%v provider=%s type=%s", req.Volumes, req.Context, req.IncludeWriters, req.ExcludeWriters, req.Timeout, req.Provider, req.BackupType)
	for _, step := range []string{"gathering writer metadata", "taking the shadow copies"} {
		if progress != nil {
			progress(step)
		}
	}
	if f.createFn != nil {
		if err := f.createFn(ctx); err != nil {
			return nil, err
		}
	}
	set := &fakeSet{f: f, id: "{5b31e1a4-0000-4000-8000-000000000001}"}
	for i, v := range req.Volumes {
		set.snaps = append(set.snaps, snapshot{
			ID:      fmt.Sprintf("{6c42f2b5-0000-4000-8000-%012d}", i+1),
			SetID:   set.id,
			Volume:  v,
			Device:  fmt.Sprintf(`\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy%d`, i+1),
			Context: req.Context,
		})
	}
	return set, nil
}

type fakeSet struct {
	f     *fakeService
	id    string
	snaps []snapshot
}

func (s *fakeSet) ID() string            { return s.id }
func (s *fakeSet) Snapshots() []snapshot { return s.snaps }
func (s *fakeSet) Close(ctx context.Context) error {
	s.f.record("Close")
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.closed++
	s.f.closeCtx = ctx.Err()
	return s.f.closeErr
}

func (f *fakeService) List(ctx context.Context, flt filter) ([]snapshot, error) {
	f.record("List %+v", flt)
	return f.snaps, nil
}

func (f *fakeService) Delete(ctx context.Context, flt filter) ([]string, error) {
	f.record("Delete %+v", flt)
	if f.deleteFn != nil {
		return f.deleteFn(flt)
	}
	return []string{flt.ID}, nil
}

func (f *fakeService) Expose(ctx context.Context, id, at string) (string, error) {
	f.record("Expose %s %s", id, at)
	return at, nil
}

func (f *fakeService) Unexpose(ctx context.Context, at string) error {
	f.record("Unexpose %s", at)
	return nil
}

func (f *fakeService) Link(ctx context.Context, id, dir string) error {
	f.record("Link %s %s", id, dir)
	if dir == "exists" {
		return errors.New("the directory exists")
	}
	return nil
}

// tempDir is t.TempDir without its check that the removal succeeded: under
// Wine that removal fails with "Invalid function" (a known difference from
// Windows), which would fail tests that have nothing to do with it.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "vss-snapshot-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
