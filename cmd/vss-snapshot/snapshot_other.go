//go:build !windows

package main

import (
	"fmt"
	"io"
	"runtime"
)

// snapshot only explains itself: the Volume Shadow Copy Service is part of
// Windows. The command still builds here so that go build ./... and go vet
// ./... work on every system.
func snapshot(_ options, _, stderr io.Writer) int {
	fmt.Fprintf(stderr, "%s: shadow copies need Windows' Volume Shadow Copy Service, and this is %s; build the command with GOOS=windows\n", progName, runtime.GOOS)
	return exitUsage
}
