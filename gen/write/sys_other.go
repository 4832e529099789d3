//go:build !unix && !windows

package write

import (
	"io/fs"
	"os"
)

const openFlags = 0

const removeLockWhileHeld = true

// tryLock: these systems (Plan 9, WebAssembly) have no advisory locks, so
// runs into one directory are not serialised there.
func tryLock(f *os.File) (bool, error) { return true, nil }

func unlock(f *os.File) error { return nil }

// errReadOnly: these systems report a read-only file system as a
// permission error, which is checked separately.
var errReadOnly = fs.ErrPermission
