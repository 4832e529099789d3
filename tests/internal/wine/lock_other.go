//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package wine

import (
	"fmt"
	"runtime"
)

// lockFile is unsupported here: Wine runs Windows programs on Unix systems
// only, so no prefix is ever made on this one.
func lockFile(path string) (unlock func(), err error) {
	return nil, fmt.Errorf("cannot lock %s: the Wine harness does not run on %s", path, runtime.GOOS)
}

func tryLockFile(path string) (unlock func(), ok bool) { return nil, false }
