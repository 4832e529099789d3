//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vssgen/vssgen/gen/write"
)

// These tests run the real command as separate processes (the copy of the
// test binary that testscript puts on PATH as "vssgen"), concurrently or
// interrupted by signals, and look only at what is left on disk and what
// the runs said.

const smallSpec = `package: shadow
os_versions:
  - {id: vista, name: Windows Vista, version: "6.0"}
  - {id: win7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Success.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
  - {name: VSS_E_UNEXPECTED, value: 0x80042302, doc: Unexpected failure inside VSS.}
interfaces:
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    header: vss.h
    methods:
      - name: Cancel
        slot: 3
        returns:
          - {code: S_OK, meaning: Cancelled.}
          - code: VSS_E_UNEXPECTED
            meaning: Unexpected failure.
            notes:
              - {before: win7, returns_instead: E_UNEXPECTED, text: Older systems return E_UNEXPECTED.}
`

// fixture is a spec and the complete outputs of two runs over it, one
// with -pkg one and one with -pkg two: every file differs between them,
// and each has a conformance file the other does not.
type fixture struct {
	bin, spec string
	one, two  map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	bin, err := exec.LookPath("vssgen")
	if err != nil {
		t.Fatalf("the vssgen under test is not on PATH: %v", err)
	}
	dir := t.TempDir()
	f := &fixture{bin: bin, spec: filepath.Join(dir, "vss.yaml")}
	if err := os.WriteFile(f.spec, []byte(smallSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"one", "two"} {
		out := filepath.Join(dir, pkg)
		if b, err := f.command(out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		tree := files(t, out)
		if pkg == "one" {
			f.one = tree
		} else {
			f.two = tree
		}
	}
	return f
}

// countFiles is how many files, not directories, a tree of files holds:
// what the summary line counts.
func countFiles(tree map[string]string) int {
	n := 0
	for _, v := range tree {
		if v != "dir" {
			n++
		}
	}
	return n
}

func (f *fixture) command(out, pkg string, env ...string) *exec.Cmd {
	cmd := exec.Command(f.bin, "-spec", f.spec, "-out", out, "-pkg", pkg)
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// files records every path under dir: files with their bytes, directories
// as "dir", anything else by its type.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.IsDir():
			out[filepath.ToSlash(rel)] = "dir"
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = string(data)
		default:
			out[filepath.ToSlash(rel)] = d.Type().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func put(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for name, data := range tree {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if data == "dir" {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// same reports whether got is exactly want, and describes the difference.
func same(want, got map[string]string) string {
	return cmp.Diff(want, got)
}

// TestConcurrentRuns starts two runs into one output directory at the same
// moment, many times: into a missing directory with the same package, and
// over an existing package with two different package names. Both runs
// must succeed (the second waits for the first), and the directory must
// then hold exactly one run's whole output, nothing mixed and nothing left
// over (no staged copy, journal or lock file).
func TestConcurrentRuns(t *testing.T) {
	f := newFixture(t)
	const tries = 25
	for try := 0; try < tries; try++ {
		for _, overwrite := range []bool{false, true} {
			out := filepath.Join(t.TempDir(), "out")
			pkgs := []string{"one", "one"}
			if overwrite {
				put(t, out, f.one)
				pkgs = []string{"two", "one"}
			}
			var wg sync.WaitGroup
			results := make([]string, 2)
			codes := make([]int, 2)
			for i, pkg := range pkgs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b, err := f.command(out, pkg).CombinedOutput()
					results[i], codes[i] = string(b), exitCode(err)
				}()
			}
			wg.Wait()
			for i := range pkgs {
				if codes[i] != 0 {
					t.Errorf("try %d (overwrite %v): run %d exited %d: %s", try, overwrite, i, codes[i], results[i])
				}
			}
			got := files(t, out)
			if d1, d2 := same(f.one, got), same(f.two, got); d1 != "" && (!overwrite || d2 != "") {
				t.Fatalf("try %d (overwrite %v): the directory is neither run's output (-one +got):\n%s", try, overwrite, d1)
			}
		}
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// paused starts a run that regenerates out (holding package one) as
// package two and stops at step of its transaction; it returns the running
// command and a function that waits for it and returns its exit status and
// everything it printed.
func (f *fixture) paused(t *testing.T, out, step string) (*exec.Cmd, func() (int, string)) {
	t.Helper()
	cmd := f.command(out, "two", write.PauseEnv+"="+step)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var said bytes.Buffer
	lines := bufio.NewScanner(pipe)
	for lines.Scan() {
		fmt.Fprintln(&said, lines.Text())
		if lines.Text() == "vssgen: paused at "+step {
			break
		}
	}
	if !strings.Contains(said.String(), "paused at "+step) {
		cmd.Wait()
		t.Fatalf("the run never paused at %s: %s", step, said.String())
	}
	return cmd, func() (int, string) {
		for lines.Scan() {
			fmt.Fprintln(&said, lines.Text())
		}
		return exitCode(cmd.Wait()), said.String()
	}
}

// steps are points of a transaction over a package of some 14 files that turns
// package one into package two: the journal written, staging under way,
// some files renamed into place (the directory mixed), all renamed, the
// stale file removed, the commit point passed.
var steps = []string{"journal", "stage-2", "rename-1", "rename-6", "rename-11", "remove-1", "committed"}

// TestSignalsRollBack sends SIGINT and SIGTERM to runs stopped at each
// step: before the commit point the run must undo everything, say so and
// exit 2, leaving the old package exactly; after it, the run completes.
func TestSignalsRollBack(t *testing.T) {
	f := newFixture(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, step := range steps {
			out := filepath.Join(t.TempDir(), "out")
			put(t, out, f.one)
			cmd, wait := f.paused(t, out, step)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			code, said := wait()
			name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]
			got := files(t, out)
			if step == "committed" {
				if want := fmt.Sprintf("%d written, 0 unchanged, 1 removed", countFiles(f.two)); code != 0 || !strings.Contains(said, want) {
					t.Errorf("%s after the commit point: exit %d, said:\n%s", name, code, said)
				}
				if d := same(f.two, got); d != "" {
					t.Errorf("%s after the commit point: not the new package (-want +got):\n%s", name, d)
				}
				continue
			}
			if want := "vssgen: stopped by " + name + " (nothing was changed)\n"; code != 2 || !strings.HasSuffix(said, want) {
				t.Errorf("%s at %s: exit %d, said:\n%s\nwant exit 2 and a last line %q", name, step, code, said, want)
			}
			if d := same(f.one, got); d != "" {
				t.Errorf("%s at %s: the old package is not back (-want +got):\n%s", name, step, d)
			}
		}
	}
}

// TestKilledRunIsFinishedOrUndone kills runs (SIGKILL) at each step, then
// starts the next run, which must say what it found and did before its
// own work. Before the commit point the next run, regenerating the old
// package, must find it whole again (nothing to write); after it, the new
// package must be complete.
func TestKilledRunIsFinishedOrUndone(t *testing.T) {
	f := newFixture(t)
	for _, step := range steps {
		out := filepath.Join(t.TempDir(), "out")
		put(t, out, f.one)
		cmd, wait := f.paused(t, out, step)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		wait()
		if _, err := os.Lstat(filepath.Join(out, write.JournalName)); err != nil {
			t.Fatalf("killed at %s: no journal: %v", step, err)
		}
		// -check refuses while the journal is there, and changes nothing.
		b, err := exec.Command(f.bin, "-spec", f.spec, "-out", out, "-pkg", "one", "-check").CombinedOutput()
		if exitCode(err) != 2 || !strings.Contains(string(b), "holds the journal of a vssgen run that is still writing or was interrupted") {
			t.Errorf("killed at %s: -check exited %d: %s", step, exitCode(err), b)
		}
		pkg, want, said := "one", f.one, "vssgen: an interrupted run had not finished writing "+out+"; undone: "
		summary := fmt.Sprintf("0 written, %d unchanged, 0 removed", countFiles(f.one))
		if step == "committed" {
			pkg, want, said = "two", f.two, "vssgen: an interrupted run had written "+out+" completely; removed the old versions it kept\n"
			summary = fmt.Sprintf("0 written, %d unchanged, 0 removed", countFiles(f.two))
		}
		b, err = f.command(out, pkg).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(b), said) || !strings.Contains(string(b), summary) {
			t.Errorf("killed at %s, the next run (%v) said:\n%s\nwant it to start with %q and report %q", step, err, b, said, summary)
		}
		if d := same(want, files(t, out)); d != "" {
			t.Errorf("killed at %s, after the next run (-want +got):\n%s", step, d)
		}
	}
}

// TestAppendOnlyOutputSaysWhatRemains: where the run can make files but
// not remove them (chattr +a), it fails, and its message names what it
// leaves instead of claiming that nothing changed.
func TestAppendOnlyOutputSaysWhatRemains(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "out")
	put(t, out, f.one)
	if b, err := exec.Command("chattr", "+a", out).CombinedOutput(); err != nil {
		t.Skipf("cannot make the directory append-only (needs root and a file system with attributes): %v: %s", err, b)
	}
	t.Cleanup(func() { exec.Command("chattr", "-a", out).Run() })
	b, err := f.command(out, "two").CombinedOutput()
	said := string(b)
	if exitCode(err) != 2 || strings.Contains(said, "nothing was changed") {
		t.Errorf("exit %d, said:\n%s\nwant exit 2 without \"nothing was changed\"", exitCode(err), said)
	}
	for name := range files(t, out) {
		if _, ok := f.one[name]; !ok && !strings.Contains(said, filepath.Join(out, filepath.FromSlash(name))) {
			t.Errorf("%s remains, but the message does not name it:\n%s", name, said)
		}
	}
	for name, data := range f.one {
		if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name))); data != "dir" && (err != nil || string(b) != data) {
			t.Errorf("%s does not hold its old bytes (%v)", name, err)
		}
	}
}

// TestLockTimeout: a run that finds another one writing to its -out waits
// at most -wait, then gives up with a message naming the other process,
// and changes nothing.
func TestLockTimeout(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "out")
	put(t, out, f.one)
	holder, wait := f.paused(t, out, "journal") // holds the lock while paused
	b, err := exec.Command(f.bin, "-spec", f.spec, "-out", out, "-pkg", "one", "-wait", "200ms").CombinedOutput()
	want := fmt.Sprintf("vssgen: another vssgen run is writing to the directory (process %d): gave up after waiting 200ms for its lock %s; wait longer with -wait (nothing was changed)\n",
		holder.Process.Pid, filepath.Join(out, write.LockName))
	if exitCode(err) != 2 || string(b) != want {
		t.Errorf("exit %d, said:\n%s\nwant exit 2 and:\n%s", exitCode(err), b, want)
	}
	holder.Process.Signal(syscall.SIGTERM)
	if code, said := wait(); code != 2 {
		t.Errorf("the holder exited %d: %s", code, said)
	}
	if d := same(f.one, files(t, out)); d != "" {
		t.Errorf("the directory changed (-want +got):\n%s", d)
	}
}

// TestReadOnlyOutput: where no file can be made (chattr +i, which binds
// root too), a run with nothing to change still succeeds without its lock
// file, and a run that would change something fails and changes nothing.
func TestReadOnlyOutput(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "out")
	put(t, out, f.one)
	if b, err := exec.Command("chattr", "+i", out).CombinedOutput(); err != nil {
		t.Skipf("cannot make the directory immutable (needs root and a file system with attributes): %v: %s", err, b)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", out).Run() })
	b, err := f.command(out, "one").CombinedOutput()
	if exitCode(err) != 0 || !strings.Contains(string(b), fmt.Sprintf(": 0 written, %d unchanged, 0 removed in ", countFiles(f.one))) {
		t.Errorf("nothing to change: exit %d, said:\n%s", exitCode(err), b)
	}
	b, err = f.command(out, "two").CombinedOutput()
	want := "vssgen: locking " + out + ": open " + filepath.Join(out, write.LockName) + ": operation not permitted (nothing was changed)\n"
	if exitCode(err) != 2 || string(b) != want {
		t.Errorf("something to change: exit %d, said:\n%s\nwant:\n%s", exitCode(err), b, want)
	}
	if d := same(f.one, files(t, out)); d != "" {
		t.Errorf("the directory changed (-want +got):\n%s", d)
	}
}

// TestWaiterOutlivesAFailedFirstRun: a run that made -out and is stopped
// removes -out again; a second run waiting for its lock meanwhile must
// still write the whole package there.
func TestWaiterOutlivesAFailedFirstRun(t *testing.T) {
	f := newFixture(t)
	for try := 0; try < 5; try++ {
		out := filepath.Join(t.TempDir(), "new", "out")
		first, wait := f.paused(t, out, "journal")
		second := f.command(out, "one")
		var said bytes.Buffer
		second.Stderr = &said
		if err := second.Start(); err != nil {
			t.Fatal(err)
		}
		// Give the second run time to reach the lock; the outcome must be
		// the same whether or not it has.
		time.Sleep(100 * time.Millisecond)
		first.Process.Signal(syscall.SIGTERM)
		if code, s := wait(); code != 2 {
			t.Errorf("the first run exited %d: %s", code, s)
		}
		if err := second.Wait(); err != nil {
			t.Fatalf("the second run failed (%v): %s", err, said.String())
		}
		if d := same(f.one, files(t, out)); d != "" {
			t.Errorf("not the second run's package (-want +got):\n%s", d)
		}
	}
}
