package tests

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/tests/internal/wine"
)

// snapshotCmd is the shadow copy command, as the go command names it from
// the module root.
const snapshotCmd = "./cmd/vss-snapshot"

// TestSnapshotBuildsForWindows builds cmd/vss-snapshot for every
// architecture the generated package has layouts for. The command calls
// methods that exist per architecture (AddToSnapshotSet and
// GetSnapshotProperties take a GUID by value), so each build checks that
// the generated package offers all it uses there.
func TestSnapshotBuildsForWindows(t *testing.T) {
	root := repoRoot(t)
	for _, arch := range []string{"amd64", "386", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			exe := filepath.Join(t.TempDir(), "vss-snapshot.exe")
			goCmd(t, root, []string{"GOOS=windows", "GOARCH=" + arch, "CGO_ENABLED=0"}, "build", "-o", exe, snapshotCmd)
		})
	}
}

// TestSnapshotUnderWine runs the command under Wine, whose vssapi.dll
// answers CreateVssBackupComponentsInternal with E_NOTIMPL. The command
// must get through COM's initialisation, fail at exactly that step with
// status 1 and a message naming the step, the entry point and the code,
// and end without a crash: no Go panic, no Wine crash report, and no step
// after the failed one.
func TestSnapshotUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.Build(t, repoRoot(t), snapshotCmd)

	out, err := p.Run(t.Context(), wine.Win10, exe, []string{"-v", "-timeout", "1m", `C:\`})
	text := strings.ReplaceAll(string(out), "\r\n", "\n")
	for _, crash := range []string{"panic:", "goroutine ", "fatal error:", "Unhandled exception", "Unhandled page fault", "Backtrace:"} {
		if strings.Contains(text, crash) {
			t.Fatalf("the output contains %q, a sign of a crash:\n%s", crash, text)
		}
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("want the command to run and exit with status 1, got %v\n%s", err, text)
	}
	if exit.ExitCode() != 1 {
		t.Errorf("exit status %d, want 1 (a failed step)\n%s", exit.ExitCode(), text)
	}

	// -v logs each step as it starts: the steps before the creation ran,
	// the creation failed, and nothing was attempted after it (no
	// InitializeForBackup, no AbortBackup, no device path).
	wantLines := []string{
		"vss-snapshot: initialising COM",
		"vss-snapshot: setting COM security",
		"vss-snapshot: creating the backup components",
		"vss-snapshot: creating the backup components: vssapi.dll!CreateVssBackupComponentsInternal: E_NOTIMPL (0x80004001): ",
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != len(wantLines) {
		t.Fatalf("want %d lines, got %d:\n%s", len(wantLines), len(lines), text)
	}
	last := len(wantLines) - 1
	for i, want := range wantLines[:last] {
		if lines[i] != want {
			t.Errorf("line %d is %q, want %q", i+1, lines[i], want)
		}
	}
	// The error ends with the code's meaning, which is the spec's text.
	if !strings.HasPrefix(lines[last], wantLines[last]) {
		t.Errorf("the error is %q, want it to start with %q", lines[last], wantLines[last])
	}
}
