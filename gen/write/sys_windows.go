package write

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// openFlags: Windows opens neither pipes nor links unasked through the
// paths vssgen checks with Lstat first, so nothing is added.
const openFlags = 0

// removeLockWhileHeld: Windows does not remove a file another process has
// open, so the lock file is removed after the lock is released, and only
// when nobody else has it open.
const removeLockWhileHeld = false

// tryLock takes an exclusive lock on the first byte of f without waiting;
// it reports false when another process holds it.
func tryLock(f *os.File) (bool, error) {
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return false, nil
	}
	return err == nil, err
}

func unlock(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}

// errReadOnly is the error of making a file on write-protected media.
var errReadOnly error = windows.ERROR_WRITE_PROTECT
