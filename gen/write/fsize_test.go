//go:build linux

package write

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// helperFileSizeLimit runs in a subprocess: it limits the size of files the
// process may write to 64 KiB (ulimit -f 64), so that writing a larger
// staged copy fails in the kernel, and applies a plan that needs one.
func helperFileSizeLimit(dir string) {
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	lim.Cur = 64 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	files := append([]File{{Name: "big.go", Data: []byte("// " + marker + "\n" + strings.Repeat("// filler\n", 20000))}}, produced...)
	p, err := NewPlan(dir, files, marker)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	err = p.Apply()
	fmt.Fprintln(os.Stderr, "apply:", err, "clean:", Clean(err))
	if err == nil {
		os.Exit(0)
	}
	os.Exit(1)
}

// TestFileSizeLimitLeavesNothing runs the real error path of staging a
// file: the kernel refuses the write (EFBIG under RLIMIT_FSIZE), and the
// half-written staged copy must be removed with everything else.
func TestFileSizeLimitLeavesNothing(t *testing.T) {
	dir := ready(t)
	before := snapshot(t, dir)
	out, err := helper(t, "fsize", dir).CombinedOutput()
	if code := exitCode(err); code != 1 {
		t.Fatalf("helper exited with %d (%v), want 1:\n%s", code, err, out)
	}
	want := "apply: writing " + filepath.Join(dir, "big.go") + ": write " + filepath.Join(dir, ".big.go.vssgen-new") + ": file too large clean: true\n"
	if string(out) != want {
		t.Errorf("helper said\n%s\nwant\n%s", out, want)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(interface{ ExitCode() int }); ok {
		return ee.ExitCode()
	}
	return -1
}

// TestAppendOnlyDirectorySaysWhatRemains: in a directory where files can
// be made but not removed or renamed away (chattr +a), the run fails and
// cannot remove its staged copies; the error must name every file it
// leaves, and not claim that nothing changed. Once the directory is
// writable again, the journal left behind lets the next run undo the rest.
func TestAppendOnlyDirectorySaysWhatRemains(t *testing.T) {
	dir := ready(t)
	before := snapshot(t, dir)
	if out, err := exec.Command("chattr", "+a", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make the directory append-only (needs root and a file system with attributes): %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-a", dir).Run() })
	p, err := NewPlan(dir, produced, marker)
	if err != nil {
		t.Fatal(err)
	}
	err = p.Apply()
	var ae *ApplyError
	if !errors.As(err, &ae) || Clean(err) || !errors.Is(err, syscall.EPERM) {
		t.Fatalf("Apply returned %v, want EPERM with files that remain", err)
	}
	// Every path the directory holds now and did not before is named.
	var extra []string
	for name := range snapshot(t, dir) {
		if _, ok := before[name]; !ok {
			extra = append(extra, filepath.Join(dir, filepath.FromSlash(name)))
		}
	}
	slices.Sort(extra)
	remains := slices.Sorted(slices.Values(ae.Remains))
	if diff := cmp.Diff(extra, remains); diff != "" {
		t.Errorf("what remains, as found (-) and as reported (+):\n%s", diff)
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "; these remain: ") {
		t.Errorf("message %q does not say what remains", err)
	}
	if !slices.Contains(ae.Remains, filepath.Join(dir, JournalName)) {
		t.Errorf("the journal is not among what remains: %v", ae.Remains)
	}
	// The old files kept their contents all along.
	for name, e := range before {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if e.Mode.IsRegular() && (err != nil || string(data) != e.Data) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	if out, err := exec.Command("chattr", "-a", dir).CombinedOutput(); err != nil {
		t.Fatalf("chattr -a: %v: %s", err, out)
	}
	if _, err := Recover(dir, marker); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("after recovery (-before +after):\n%s", diff)
	}
}
