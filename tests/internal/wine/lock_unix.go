//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package wine

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on the file at path, creating it if
// needed, and waits until it gets it. The lock is an flock(2) lock, so two
// holders in one process exclude each other as well, and it is released
// when the process dies. Go opens files close-on-exec, so programs the
// harness starts (a wineserver above all) never inherit it.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// tryLockFile is lockFile without waiting: ok is false when somebody else
// holds the lock or the file cannot be opened.
func tryLockFile(path string) (unlock func(), ok bool) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}
