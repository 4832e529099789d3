package write

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LockName is the lock file a run holds in the output directory while it
// plans and writes; it is removed when the run ends.
const LockName = ".vssgen.lock"

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 20 * time.Millisecond

// maxRemake bounds how often lockDir makes its directory again after a
// failed run removed it: each time, that run is still removing what it made.
const maxRemake = 100

// dirLock is a held lock on an output directory.
type dirLock struct {
	f    *os.File
	path string
}

// ErrLocked is returned (wrapped) when another run held the lock for
// longer than the wait allowed.
var ErrLocked = errors.New("another vssgen run is writing to the directory")

// lockDir takes the exclusive lock of dir, which must exist, waiting at
// most wait for another run to let go of it. ctx ends the wait early.
func lockDir(ctx context.Context, dir string, wait time.Duration) (*dirLock, error) {
	path := filepath.Join(dir, LockName)
	deadline := time.Now().Add(wait)
	remade := 0
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|openFlags, 0o644)
		if errors.Is(err, fs.ErrNotExist) && remade < maxRemake {
			// A run that made dir and then failed removes it again, empty,
			// while this one waits; it may be removing dir's parents while
			// this one makes dir again, so a missing parent means try again.
			remade++
			if err := os.MkdirAll(dir, 0o755); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("locking %s: %w", dir, err)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", dir, refuseLink(path, err))
		}
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if ok {
			// The holder before us may have removed the file it locked, which
			// we then locked too; only the file the path names now counts.
			held, herr := f.Stat()
			named, nerr := os.Lstat(path)
			if herr == nil && nerr == nil && os.SameFile(held, named) && named.Mode().IsRegular() {
				f.Truncate(0)
				f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
				return &dirLock{f: f, path: path}, nil
			}
			unlock(f)
			f.Close()
			continue
		}
		holder := ""
		if data, err := os.ReadFile(path); err == nil {
			if pid := strings.TrimSpace(string(data)); pid != "" {
				holder = " (process " + pid + ")"
			}
		}
		f.Close()
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("%w%s: gave up after waiting %s for its lock %s; wait longer with -wait",
				ErrLocked, holder, wait, path)
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(lockPoll):
		}
	}
}

// release lets go of the lock and removes the lock file. It reports the
// lock file's path when the file could not be removed.
func (l *dirLock) release() (remains string) {
	var err error
	if removeLockWhileHeld {
		err = os.Remove(l.path)
		unlock(l.f)
		l.f.Close()
	} else {
		unlock(l.f)
		l.f.Close()
		// Fails, harmlessly, while another run has the file open.
		os.Remove(l.path)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return l.path
	}
	return ""
}
