//go:build !unix && !windows

package write

import "os"

const openFlags = 0

const removeLockWhileHeld = true

// tryLock: these systems (Plan 9, WebAssembly) have no advisory locks, so
// runs into one directory are not serialised there.
func tryLock(f *os.File) (bool, error) { return true, nil }

func unlock(f *os.File) error { return nil }
