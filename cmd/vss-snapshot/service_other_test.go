//go:build !windows

package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestNeedsWindows checks that away from Windows every command with valid
// arguments ends with status 2 and a message saying why, and prints
// nothing on stdout.
func TestNeedsWindows(t *testing.T) {
	id := "{6c42f2b5-0000-4000-8000-000000000001}"
	for _, args := range [][]string{
		{"create", "C:"},
		{"exec", "C:", "--", "cmd"},
		{"list"},
		{"delete", id},
		{"expose", id, "X:"},
		{"unexpose", "X:"},
		{"link", id, "snap"},
	} {
		var stdout, stderr bytes.Buffer
		a := &app{stdin: os.Stdin, stdout: &stdout, stderr: &stderr, newService: newService}
		if code := a.run(t.Context(), args); code != exitUsage {
			t.Errorf("%q: status %d, want %d", args, code, exitUsage)
		}
		if !strings.Contains(stderr.String(), "need the Volume Shadow Copy Service of Windows") {
			t.Errorf("%q: stderr %q does not say that the command needs Windows", args, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: stdout %q, want nothing", args, stdout.String())
		}
	}
}
