package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// childEnv makes the test binary act as exec's program (see TestMain).
const childEnv = "VSS_SNAPSHOT_TEST_CHILD"

// TestMain lets the test binary be the program exec runs:
//
//	print STATUS ARG...  prints each ARG and the VSS_ variables, exits STATUS
//	wait FILE            creates FILE, then waits to be interrupted or killed
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(child(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func child(args []string) int {
	switch args[0] {
	case "print":
		for _, arg := range args[2:] {
			fmt.Printf("arg %s\n", arg)
		}
		for _, kv := range os.Environ() {
			if strings.HasPrefix(kv, "VSS_SHADOW") {
				fmt.Printf("env %s\n", kv)
			}
		}
		status, _ := strconv.Atoi(args[1])
		return status
	case "wait":
		if err := os.WriteFile(args[1], nil, 0o666); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 99
		}
		time.Sleep(time.Minute)
		return 98 // neither interrupted nor killed
	}
	return 97
}

// self is the test binary, to run as exec's program.
func self(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(childEnv, "1")
	return exe
}

// TestExec checks that exec's program runs while the set exists, sees the
// device paths in its environment and in its arguments, and that exec
// cleans up and exits with the program's status.
func TestExec(t *testing.T) {
	exe := self(t)
	for _, status := range []int{0, 7} {
		svc := &fakeService{}
		r := runFake(t, t.Context(), svc, false, "exec", "C:", `d:\`, "--", exe, "print", strconv.Itoa(status),
			"{1}", `{C:}\Users`, "{d:}", "{set}", "{2}x", "{E:}", "{3}", "{1")
		if r.code != status {
			t.Errorf("status %d, want the program's %d\n%s", r.code, status, r.stderr)
		}
		if len(svc.calls) != 2 || !strings.HasPrefix(svc.calls[0], "Create") || svc.calls[1] != "Close" {
			t.Errorf("calls %q, want Create and Close", svc.calls)
		}
		if svc.closeCtx != nil {
			t.Errorf("Close ran with a done context: %v", svc.closeCtx)
		}
		const dev1, dev2 = `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1`, `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy2`
		for _, want := range []string{
			"arg " + dev1 + "\n",
			"arg " + dev1 + `\Users` + "\n",
			"arg " + dev2 + "\n",
			"arg {5b31e1a4-0000-4000-8000-000000000001}\n",
			"arg " + dev2 + "x\n",
			"arg {E:}\n", // no such volume: left alone
			"arg {3}\n",
			"arg {1\n",
			"env VSS_SHADOW_SET={5b31e1a4-0000-4000-8000-000000000001}\n",
			"env VSS_SHADOW_COUNT=2\n",
			"env VSS_SHADOW_1=" + dev1 + "\n",
			"env VSS_SHADOW_1_ID={6c42f2b5-0000-4000-8000-000000000001}\n",
			"env VSS_SHADOW_1_VOLUME=C:\\\n",
			"env VSS_SHADOW_2_VOLUME=d:\\\n",
			"env VSS_SHADOW_C=" + dev1 + "\n",
			"env VSS_SHADOW_D=" + dev2 + "\n",
		} {
			if !strings.Contains(strings.ReplaceAll(r.stdout, "\r\n", "\n"), want) {
				t.Errorf("the program's output lacks %q:\n%s", want, r.stdout)
			}
		}
	}
}

// TestExecCleanupFails checks exec's status when deleting the set fails:
// 1 after a program that succeeded, the program's after one that failed;
// both name the shadow copies left.
func TestExecCleanupFails(t *testing.T) {
	exe := self(t)
	for _, tt := range []struct{ program, want int }{{0, exitFailed}, {5, 5}} {
		svc := &fakeService{closeErr: errors.New("deleting the shadow copies: VSS_E_OBJECT_NOT_FOUND")}
		r := runFake(t, t.Context(), svc, false, "exec", "C:", "--", exe, "print", strconv.Itoa(tt.program))
		if r.code != tt.want {
			t.Errorf("program %d: status %d, want %d", tt.program, r.code, tt.want)
		}
		for _, want := range []string{"vss-snapshot: cleaning up after ", "VSS_E_OBJECT_NOT_FOUND", "vss-snapshot delete {6c42f2b5-0000-4000-8000-000000000001}"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("program %d: stderr lacks %q:\n%s", tt.program, want, r.stderr)
			}
		}
	}
}

// TestExecCannotRun checks that a program that cannot start gives 127,
// and that the set is deleted all the same.
func TestExecCannotRun(t *testing.T) {
	svc := &fakeService{}
	missing := filepath.Join(tempDir(t), "no-such-program")
	r := runFake(t, t.Context(), svc, false, "exec", "C:", "--", missing)
	if r.code != exitCannotRun || !strings.Contains(r.stderr, "running "+missing) {
		t.Errorf("status %d, stderr %q; want %d and the program named", r.code, r.stderr, exitCannotRun)
	}
	if !slices.Contains(svc.calls, "Close") {
		t.Errorf("calls %q: the set was not closed", svc.calls)
	}
}

// TestExecInterrupted checks Ctrl-C while the program runs: the program
// ends (interrupted, or killed after the grace period), the set is closed
// with a live context, and exec exits 130.
func TestExecInterrupted(t *testing.T) {
	exe := self(t)
	defer func(d time.Duration) { childGrace = d }(childGrace)
	childGrace = 2 * time.Second
	started := filepath.Join(tempDir(t), "started")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		for {
			if _, err := os.Stat(started); err == nil {
				cancel() // Ctrl-C
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	svc := &fakeService{}
	begin := time.Now()
	r := runFake(t, ctx, svc, false, "exec", "C:", "--", exe, "wait", started)
	if r.code != exitInterrupted {
		t.Errorf("status %d, want %d\n%s", r.code, exitInterrupted, r.stderr)
	}
	if !strings.Contains(r.stderr, "interrupted; the shadow copies are cleaned up") {
		t.Errorf("stderr %q does not say the shadow copies are cleaned up", r.stderr)
	}
	if svc.closed != 1 || svc.closeCtx != nil {
		t.Errorf("closed %d times, with context error %v; want once, with a live context", svc.closed, svc.closeCtx)
	}
	if d := time.Since(begin); d > 30*time.Second {
		t.Errorf("exec took %v to end after Ctrl-C", d)
	}
}
