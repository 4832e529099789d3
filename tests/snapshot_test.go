package tests

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestSnapshotUnderWine runs every subcommand under Wine, whose
// vssapi.dll answers CreateVssBackupComponentsInternal with E_NOTIMPL.
// Each must end promptly with status 1 and a message that names the code,
// without a crash (no Go panic, no Wine crash report), without claiming an
// interruption, and without going on as if it had succeeded: exec must not
// run its program, and nothing may print a result.
func TestSnapshotUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.Build(t, repoRoot(t), snapshotCmd)

	id := "{6c42f2b5-0000-4000-8000-000000000001}"
	for _, args := range [][]string{
		{"create", "C:"},
		{"create", "--no-writers", "--timeout", "1m", `C:\`, "D:"},
		{"exec", "C:", "--", "cmd", "/c", "echo", "PROGRAM-RAN"},
		{"list"},
		{"list", "--json"},
		{"delete", id},
		{"delete", "--volume", "C:"},
		{"expose", id, "X:"},
		{"unexpose", "X:"},
		{"link", id, `C:\snap`},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			out, err := p.Run(ctx, wine.Win10, exe, args)
			text := strings.ReplaceAll(string(out), "\r\n", "\n")
			if ctx.Err() != nil {
				t.Fatalf("the command hung:\n%s", text)
			}
			t.Logf("%s", text)
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
			if !strings.Contains(text, "E_NOTIMPL (0x80004001)") {
				t.Errorf("the output does not name E_NOTIMPL:\n%s", text)
			}
			// Everything printed is an error of the command's: no result
			// (a table, JSON, a device path) and no program output.
			for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if wineOwnLine(line) {
					continue
				}
				if !strings.HasPrefix(line, "vss-snapshot: ") || strings.Contains(line, "interrupted") {
					t.Errorf("unexpected line %q in:\n%s", line, text)
				}
			}
		})
	}
}

// wineOwnLine reports whether line is one Wine writes about itself rather
// than the program's output: Wine's client prints, for example, "wine
// client error:258: sendmsg: Bad file descriptor" when its connection to
// the wineserver breaks as the process exits, after the program has
// written everything and chosen its status. It was seen once in a loaded
// run; it says nothing about the command.
func wineOwnLine(line string) bool {
	return strings.HasPrefix(line, "wine client error:")
}

// snapshotWindowsTests are the command's tests that must pass in its
// Windows test binary: exec runs a real Windows program (the test binary
// itself) and Ctrl-C ends it there without a Unix signal.
var snapshotWindowsTests = []string{"TestHelp", "TestUsageErrors", "TestCreate", "TestFailures", "TestExec", "TestExecCleanupFails", "TestExecCannotRun", "TestExecInterrupted", "TestContextOptions", "TestParseGUID",
	"TestShadowLifecycle", "TestShadowDelete", "TestShadowExec", "TestShadowFaults", "TestShadowWriters", "TestShadowCtrlC", "TestShadowLink", "TestVolumeMountPoints", "TestShadowOptions"}

// TestSnapshotTestsUnderWine runs the tests of cmd/vss-snapshot as a
// windows/amd64 test binary under Wine.
func TestSnapshotTestsUnderWine(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.BuildTest(t, repoRoot(t), snapshotCmd)
	out, err := p.RunTest(t.Context(), wine.Win10, exe)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if testing.Verbose() {
		t.Log(out)
	}
	for _, name := range snapshotWindowsTests {
		if !strings.Contains(out, "--- PASS: "+name+" ") {
			t.Errorf("%s did not run and pass:\n%s", name, out)
		}
	}
}
