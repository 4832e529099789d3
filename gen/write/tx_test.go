package write

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// helperEnv makes the test binary, run by a test below, act as a writer
// process instead of running tests.
const helperEnv = "VSSGEN_WRITE_HELPER"

// TestHelperProcess is not a test: it is the body of the processes other
// tests start and interrupt.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("run as a subprocess by other tests")
	}
	dir := os.Getenv("VSSGEN_WRITE_DIR")
	switch mode {
	case "apply":
		p, err := NewPlan(dir, produced, marker)
		if err == nil {
			err = p.Apply()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "apply:", err)
			os.Exit(1)
		}
	case "fsize":
		helperFileSizeLimit(dir)
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		os.Exit(3)
	}
	os.Exit(0)
}

// helper starts the test binary as a helper process in mode on dir.
func helper(t *testing.T, mode, dir string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "VSSGEN_WRITE_DIR="+dir)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// ready is an output directory as a previous run left it, with the
// permissions an owner chose for two files.
func ready(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, existing)
	for name, mode := range map[string]fs.FileMode{"changed.go": 0o600, "stale.go": 0o640} {
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// applied is what the directory ready makes holds after a successful run.
func applied(t *testing.T) map[string]entry {
	t.Helper()
	dir := ready(t)
	p, err := NewPlan(dir, produced, marker)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	if len(p.Remains) > 0 {
		t.Fatalf("leftovers after a clean run: %v", p.Remains)
	}
	return snapshot(t, dir)
}

// TestKilledRunIsRecovered kills a writing process (SIGKILL on Unix, which
// nothing can catch) at every kind of step of its transaction, from the
// journal's first record to the commit point, and then has Recover finish
// or undo what it left: before the commit point the directory must come
// back byte for byte and with its permissions, after it the directory
// must be the complete new output; no staged copy, kept old version or
// journal may remain, and Recover must say what it did.
func TestKilledRunIsRecovered(t *testing.T) {
	after := applied(t)
	for _, step := range []string{"journal", "stage-1", "stage-4", "kept", "rename-1", "rename-3", "rename-4", "remove-1", "committed"} {
		t.Run(step, func(t *testing.T) {
			dir := ready(t)
			before := snapshot(t, dir)
			cmd := helper(t, "apply", dir, PauseEnv+"="+step)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForPause(t, stderr, step)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			if _, err := os.Lstat(filepath.Join(dir, JournalName)); err != nil {
				t.Fatalf("the killed run left no journal: %v", err)
			}
			if _, err := NewPlan(dir, produced, marker); err == nil || !strings.Contains(err.Error(), "holds the journal of a vssgen run that is still writing or was interrupted") {
				t.Errorf("planning over an interrupted transaction: %v, want a refusal", err)
			}
			msg, err := Recover(dir, marker)
			if err != nil {
				t.Fatal(err)
			}
			want, wantMsg := before, "an interrupted run had not finished writing"
			if step == "committed" {
				want, wantMsg = after, "an interrupted run had written "+dir+" completely"
			}
			if !strings.HasPrefix(msg, wantMsg) {
				t.Errorf("Recover said %q, want it to start with %q", msg, wantMsg)
			}
			if diff := cmp.Diff(want, snapshot(t, dir)); diff != "" {
				t.Errorf("after recovery (-want +got):\n%s", diff)
			}
			if msg, err := Recover(dir, marker); msg != "" || err != nil {
				t.Errorf("a second Recover: %q, %v; want nothing to do", msg, err)
			}
		})
	}
}

// TestRecoverSaysWhatItUndid checks the message for a run killed with two
// files renamed into place: the replaced one is named as restored, the new
// one as removed.
func TestRecoverSaysWhatItUndid(t *testing.T) {
	dir := ready(t)
	cmd := helper(t, "apply", dir, PauseEnv+"=rename-2")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForPause(t, stderr, "rename-2")
	cmd.Process.Kill()
	cmd.Wait()
	msg, err := Recover(dir, marker)
	if err != nil {
		t.Fatal(err)
	}
	want := "an interrupted run had not finished writing " + dir + "; undone: restored changed.go; removed the new new.go"
	if msg != want {
		t.Errorf("Recover said\n%q, want\n%q", msg, want)
	}
}

func waitForPause(t *testing.T, stderr io.Reader, step string) {
	t.Helper()
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if lines.Text() == "vssgen: paused at "+step {
			return
		}
	}
	t.Fatalf("the writer never paused at %s", step)
}

// cancellingOps are the real file operations, except that call number n
// of op, once done, cancels ctx as a signal would.
func cancellingOps(op string, n int, cancel context.CancelCauseFunc) osOps {
	calls := 0
	after := func(name string) {
		if name == op {
			calls++
			if calls == n {
				cancel(errSignal)
			}
		}
	}
	return osOps{
		mkdirAll: func(d string, perm fs.FileMode) error {
			defer after("mkdirAll")
			return os.MkdirAll(d, perm)
		},
		writeTemp: func(p string, data []byte, mode fs.FileMode) error {
			defer after("writeTemp")
			return writeTemp(p, data, mode)
		},
		link: func(o, n string) error {
			defer after("link")
			return os.Link(o, n)
		},
		rename: func(o, n string) error {
			defer after("rename")
			return os.Rename(o, n)
		},
		remove: func(p string) error {
			defer after("remove")
			return os.Remove(p)
		},
	}
}

var errSignal = errors.New("stopped by SIGTERM")

// TestInterruptRollsBack cancels the context, as SIGINT and SIGTERM do in
// vssgen, right after each file operation in turn: Apply must return the
// cause and leave the directory exactly as it was, including after the
// last rename and removal, since the commit point comes after them.
func TestInterruptRollsBack(t *testing.T) {
	realOps := ops
	defer func() { ops = realOps }()
	for _, op := range []string{"mkdirAll", "writeTemp", "link", "rename", "remove"} {
		interrupted := 0
		for n := 1; ; n++ {
			dir := ready(t)
			before := snapshot(t, dir)
			p, err := NewPlan(dir, produced, marker)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancelCause(context.Background())
			ops = cancellingOps(op, n, cancel)
			err = p.ApplyContext(ctx)
			ops = realOps
			if ctx.Err() == nil {
				if err != nil {
					t.Fatal(err)
				}
				break
			}
			interrupted++
			if !errors.Is(err, errSignal) || !Clean(err) {
				t.Errorf("%s call %d: ApplyContext returned %v, want the signal and a clean rollback", op, n, err)
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("interrupted after %s call %d, the directory changed (-before +after):\n%s", op, n, diff)
			}
		}
		if interrupted == 0 {
			t.Errorf("no call of %s was made", op)
		}
	}
}

// TestLinkFailureKeepsCopies: on a file system without hard links the old
// versions are kept as copies, and a failure still restores them with their
// permissions.
func TestLinkFailureKeepsCopies(t *testing.T) {
	realOps := ops
	defer func() { ops = realOps }()
	dir := ready(t)
	before := snapshot(t, dir)
	p, err := NewPlan(dir, produced, marker)
	if err != nil {
		t.Fatal(err)
	}
	ops = failingOps("rename", 3)
	ops.link = func(o, n string) error { return &os.LinkError{Op: "link", Old: o, New: n, Err: errors.ErrUnsupported} }
	err = p.Apply()
	ops = realOps
	if err == nil || !Clean(err) {
		t.Fatalf("Apply returned %v, want the rename's failure and a clean rollback", err)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("directory changed (-before +after):\n%s", diff)
	}
}

// TestLargeFilesInOutputAreRefused: a produced file's name or a generated
// file in the output directory larger than the limit is refused, not read;
// a large file that is not ours is never read beyond its first line.
func TestLargeFilesInOutputAreRefused(t *testing.T) {
	big := "// " + marker + "\n" + strings.Repeat("x", MaxFileSize)
	for _, name := range []string{"changed.go", "stale_big.go"} {
		dir := ready(t)
		writeTree(t, dir, map[string]string{name: big})
		_, err := NewPlan(dir, produced, marker)
		want := filepath.Join(dir, name) + " is larger than 8 MiB, the most vssgen reads of a file in the output directory"
		if err == nil || err.Error() != want {
			t.Errorf("%s: NewPlan returned %v, want %q", name, err, want)
		}
	}
	dir := ready(t)
	writeTree(t, dir, map[string]string{"data.bin": strings.Repeat("x", MaxFileSize+1)})
	if _, err := NewPlan(dir, produced, marker); err != nil {
		t.Errorf("a large file that is not ours: %v", err)
	}
	// A produced file larger than the limit can still replace its old self.
	large := []File{{Name: "changed.go", Data: []byte(big)}}
	writeTree(t, dir, map[string]string{"changed.go": strings.Replace(big, "xx", "yy", 1)})
	p, err := NewPlan(dir, large, marker)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Write) != 1 {
		t.Errorf("plan writes %d files, want 1", len(p.Write))
	}
}

// TestLockSerialisesWriters: a second lock on a directory waits for the
// first, fails after its wait with a message naming the holder, and gets
// the lock once the first is released, even though the first removed the
// lock file as it let go.
func TestLockSerialisesWriters(t *testing.T) {
	dir := t.TempDir()
	first, err := lockDir(context.Background(), dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lockDir(context.Background(), dir, 100*time.Millisecond)
	wantPrefix := fmt.Sprintf("another vssgen run is writing to the directory (process %d): gave up after waiting 100ms for its lock %s; wait longer with -wait", os.Getpid(), filepath.Join(dir, LockName))
	if !errors.Is(err, ErrLocked) || !strings.HasPrefix(err.Error(), wantPrefix) {
		t.Errorf("second lock: %v, want an error starting %q", err, wantPrefix)
	}
	got := make(chan *dirLock)
	go func() {
		l, err := lockDir(context.Background(), dir, 10*time.Second)
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	time.Sleep(3 * lockPoll)
	select {
	case <-got:
		t.Fatal("a second writer got the lock while the first held it")
	default:
	}
	if r := first.release(); r != "" {
		t.Errorf("release left %s", r)
	}
	second := <-got
	if second == nil {
		return
	}
	if _, err := lockDir(context.Background(), dir, 0); !errors.Is(err, ErrLocked) {
		t.Errorf("a third writer: %v, want ErrLocked while the second holds the lock", err)
	}
	second.release()
	if _, err := os.Lstat(filepath.Join(dir, LockName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock file after release: %v, want it removed", err)
	}
	// A signal ends the wait.
	held, err := lockDir(context.Background(), dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errSignal)
	if _, err := lockDir(ctx, dir, time.Minute); !errors.Is(err, errSignal) {
		t.Errorf("waiting with a cancelled context: %v, want the signal", err)
	}
}

// TestRecoverKeepsForeignFiles: a file without the marker where the killed
// run was adding one (written by hand after the run died) is not the run's
// and is left alone.
func TestRecoverKeepsForeignFiles(t *testing.T) {
	dir := ready(t)
	cmd := helper(t, "apply", dir, PauseEnv+"=rename-2")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForPause(t, stderr, "rename-2")
	cmd.Process.Kill()
	cmd.Wait()
	writeTree(t, dir, map[string]string{"new.go": "package vss // by hand\n"})
	msg, err := Recover(dir, marker)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(msg, "new.go") {
		t.Errorf("Recover said %q; new.go is not the run's", msg)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "new.go")); err != nil || string(data) != "package vss // by hand\n" {
		t.Errorf("new.go: %q, %v", data, err)
	}
}

// TestJournalsThatCannotBeTrusted: a journal cut short while its first
// record was written (nothing had been touched then) is removed with a
// note; one of another format, or naming paths outside the directory or
// through a link, is refused and nothing is touched.
func TestJournalsThatCannotBeTrusted(t *testing.T) {
	for _, tc := range []struct {
		journal, want string
		wantErr       bool
	}{
		{`{"format": "vssgen journal 1", "state": "pend`, "removed the incomplete journal of a run interrupted before it changed anything in ", false},
		{`{"format": "vssgen journal 9", "state": "pending", "files": []}`, `is not a journal this vssgen understands (format "vssgen journal 9", state "pending")`, true},
		{`{"format": "vssgen journal 1", "state": "pending", "files": [{"name": "../outside.go", "new": true}]}`, `names "../outside.go", which is not a path inside the output directory`, true},
		{`{"format": "vssgen journal 1", "state": "pending", "files": [{"name": "link/x.go", "new": true}]}`, `link is a symbolic link to a directory; vssgen does not follow it`, true},
	} {
		dir := ready(t)
		if err := os.Symlink(t.TempDir(), filepath.Join(dir, "link")); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		writeTree(t, dir, map[string]string{JournalName: tc.journal})
		before := snapshot(t, dir)
		msg, err := Recover(dir, marker)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("journal %s: Recover returned %q, %v; want an error containing %q", tc.journal, msg, err, tc.want)
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("journal %s: the directory changed (-before +after):\n%s", tc.journal, diff)
			}
			continue
		}
		if err != nil || !strings.HasPrefix(msg, tc.want) {
			t.Errorf("journal %s: Recover returned %q, %v; want %q", tc.journal, msg, err, tc.want)
		}
		if _, err := os.Lstat(filepath.Join(dir, JournalName)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("journal %s is still there: %v", tc.journal, err)
		}
	}
}
