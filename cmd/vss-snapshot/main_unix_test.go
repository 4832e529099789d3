//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// TestSignalContext checks that SIGINT (Ctrl-C on a terminal) and SIGTERM
// cancel the command's context instead of ending the process.
func TestSignalContext(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		ctx, stop := signalContext()
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
			t.Errorf("%v did not cancel the context", sig)
		}
		stop()
	}
}
