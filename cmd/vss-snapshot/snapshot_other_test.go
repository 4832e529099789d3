//go:build !windows

package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestNeedsWindows checks that, away from Windows, a valid command line
// ends with exit status 2 and a message saying why, and prints nothing on
// stdout where a device path would go.
func TestNeedsWindows(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if exit := run([]string{`C:\`}, &stdout, &stderr); exit != exitUsage {
		t.Errorf("exit status %d, want %d", exit, exitUsage)
	}
	if !strings.Contains(stderr.String(), "need Windows") {
		t.Errorf("stderr %q does not say that the command needs Windows", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
}
