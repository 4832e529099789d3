package wine

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// shimSource is the C source of the bcryptprimitives.dll the prefix gets.
//
//go:embed shim/bcryptprimitives.c
var shimSource []byte

// prefixLayout changes whenever the way a prefix is set up changes, so that
// prefixes cached by older code are not reused.
const prefixLayout = "1"

// readyFile is written into a prefix once it is complete; it holds the key
// the prefix was made for.
const readyFile = "vssgen-ready"

// Timeouts for the steps of the harness. They only bound a hung Wine; no
// test depends on how long anything takes.
const (
	createTimeout = 5 * time.Minute
	toolTimeout   = 2 * time.Minute
)

// Prefix is a private Wine prefix (a WINEPREFIX directory) with the
// bcryptprimitives.dll shim installed, so that Go programs start in it.
//
// Several processes may share one prefix: creating it, switching its
// Windows version and running a program all happen under an exclusive lock
// on a file beside the prefix, so each program sees the version it asked
// for.
type Prefix struct {
	dir   string
	tools Tools
}

// Dir is the prefix directory, the WINEPREFIX of the programs it runs.
func (p *Prefix) Dir() string { return p.dir }

var shared struct {
	sync.Mutex
	prefix *Prefix
}

// Shared returns the prefix this test process shares between its tests,
// creating it on first use. It lives in os.UserCacheDir()/vssgen/wine-<key>,
// where the key is a hash of the shim source and the Wine version, so later
// runs reuse it: a fresh prefix takes several seconds to create. Without a
// user cache directory each caller gets its own prefix in t.TempDir().
//
// Shared skips t (see Skip) when Wine or mingw-w64 gcc is missing. When t
// ends the prefix's wineserver is stopped.
func Shared(t testing.TB) *Prefix {
	t.Helper()
	tools := RequireTools(t)
	shared.Lock()
	defer shared.Unlock()
	if shared.prefix == nil {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Logf("no user cache directory (%v); creating a Wine prefix for this test alone", err)
			return New(t, filepath.Join(t.TempDir(), "wineprefix"))
		}
		key, err := prefixKey(t.Context(), tools)
		if err != nil {
			t.Fatal(err)
		}
		root := filepath.Join(cache, "vssgen")
		p := &Prefix{dir: filepath.Join(root, "wine-"+key), tools: tools}
		if err := p.create(t.Context(), key); err != nil {
			t.Fatal(err)
		}
		removeStalePrefixes(root, filepath.Base(p.dir))
		shared.prefix = p
	}
	p := shared.prefix
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("stopping the wineserver: %v", err)
		}
	})
	return p
}

// New creates a prefix in dir, which the caller owns, or reuses the one a
// previous New left there. It skips t (see Skip) when Wine or mingw-w64 gcc
// is missing. When t ends the prefix's wineserver is stopped.
func New(t testing.TB, dir string) *Prefix {
	t.Helper()
	tools := RequireTools(t)
	key, err := prefixKey(t.Context(), tools)
	if err != nil {
		t.Fatal(err)
	}
	p := &Prefix{dir: dir, tools: tools}
	if err := p.create(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("stopping the wineserver: %v", err)
		}
	})
	return p
}

// prefixKey identifies what a prefix is made from: the shim's source, the
// Wine version and the way the harness sets prefixes up.
func prefixKey(ctx context.Context, tools Tools) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	version, err := exec.CommandContext(ctx, tools.Wine, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %v", tools.Wine, err)
	}
	h := sha256.New()
	for _, part := range [][]byte{shimSource, bytes.TrimSpace(version), []byte(prefixLayout)} {
		h.Write(part)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// lockPath is the file whose lock guards the prefix.
func (p *Prefix) lockPath() string { return p.dir + ".lock" }

// create makes the prefix unless a complete one for key is already there.
// A prefix left half-made by an interrupted run is removed and made again.
func (p *Prefix) create(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()
	if err := os.MkdirAll(filepath.Dir(p.dir), 0o755); err != nil {
		return err
	}
	unlock, err := lockFile(p.lockPath())
	if err != nil {
		return fmt.Errorf("locking the Wine prefix: %v", err)
	}
	defer unlock()

	if ready, err := os.ReadFile(filepath.Join(p.dir, readyFile)); err == nil && string(ready) == key {
		return nil
	}
	if _, err := os.Stat(p.dir); err == nil {
		// A wineserver may still serve the remains; removal goes ahead
		// whether or not stopping it works.
		_ = p.stopLocked(ctx)
		if err := os.RemoveAll(p.dir); err != nil {
			return fmt.Errorf("removing the incomplete Wine prefix: %v", err)
		}
	}

	// wineboot --init lays out drive_c and the registry. It warns that it
	// cannot start 32-bit programs, which the tiers do not need.
	if out, err := p.combinedOutput(p.command(ctx, nil, p.tools.Wine, "wineboot", "--init")); err != nil {
		return fmt.Errorf("creating the Wine prefix %s with wineboot --init: %v\n%s", p.dir, err, out)
	}
	system32 := filepath.Join(p.dir, "drive_c", "windows", "system32")
	if _, err := os.Stat(filepath.Join(system32, "kernel32.dll")); err != nil {
		return fmt.Errorf("wineboot --init left no usable system32 in %s: %v", p.dir, err)
	}

	// The source goes into a directory of its own in the prefix, so that
	// whoever inspects the prefix can see what was built.
	srcDir := filepath.Join(p.dir, "vssgen")
	if err := os.MkdirAll(srcDir, 0o755); err != nil {
		return err
	}
	src := filepath.Join(srcDir, "bcryptprimitives.c")
	if err := os.WriteFile(src, shimSource, 0o644); err != nil {
		return err
	}
	dll := filepath.Join(system32, "bcryptprimitives.dll")
	// No C runtime: the DLL imports advapi32 and nothing else, and its
	// entry point is the DllMain in the source.
	cc := exec.CommandContext(ctx, p.tools.CC, "-shared", "-O2", "-Wall", "-Wextra", "-Werror",
		"-nostdlib", "-Wl,-e,DllMain", "-o", dll, src, "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		return fmt.Errorf("building the bcryptprimitives.dll shim: %v\n%s", err, out)
	}

	// Let wineboot's helper processes finish and the registry reach disk
	// before the prefix is declared complete.
	if err := p.stopLocked(ctx); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(p.dir, readyFile), []byte(key), 0o644)
}

// removeStalePrefixes deletes prefixes that older harness versions or
// other Wine versions left in root, except keep. A prefix somebody holds
// the lock of is in use and stays.
func removeStalePrefixes(root, keep string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "wine-") || e.Name() == keep {
			continue
		}
		dir := filepath.Join(root, e.Name())
		unlock, ok := tryLockFile(dir + ".lock")
		if !ok {
			continue
		}
		os.RemoveAll(dir)
		unlock()
	}
}

// command prepares a Wine tool to run in the prefix. The environment keeps
// Wine quiet and headless: no debug output, no Mono or Gecko installers, no
// desktop menu entries, no display.
func (p *Prefix) command(ctx context.Context, extraEnv []string, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "WINEPREFIX", "WINEARCH", "WINEDEBUG", "WINEDLLOVERRIDES", "WINELOADER", "DISPLAY", "WAYLAND_DISPLAY":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env,
		"WINEPREFIX="+p.dir,
		"WINEARCH=win64",
		"WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d",
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	return cmd
}

// combinedOutput runs cmd and returns what it wrote to stdout and stderr.
// The output goes to a file beside the prefix rather than a pipe: Wine
// starts a wineserver that outlives the program and inherits its output,
// and with a pipe the wait would last until that server exits.
func (p *Prefix) combinedOutput(cmd *exec.Cmd) ([]byte, error) {
	f, err := os.CreateTemp(filepath.Dir(p.dir), ".wine-output-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	runErr := cmd.Run()
	out, err := os.ReadFile(f.Name())
	if err != nil {
		return nil, err
	}
	return out, runErr
}

// Run runs the Windows program exe with args in the prefix, with Wine set
// to report version v, and returns what it printed to stdout and stderr.
// The program also finds v in its environment as ExpectOSVersionEnv; env
// adds further variables (KEY=value).
//
// The error is non-nil when the program could not run or exited with a
// non-zero status. Wine may report status 0 for a program that crashed, so
// callers should also check for output only a finished run prints.
func (p *Prefix) Run(ctx context.Context, v Version, exe string, args []string, env ...string) ([]byte, error) {
	unlock, err := lockFile(p.lockPath())
	if err != nil {
		return nil, fmt.Errorf("locking the Wine prefix: %v", err)
	}
	defer unlock()
	// Wine would quietly make a new prefix, without the shim, in place of
	// one that was removed.
	if _, err := os.Stat(filepath.Join(p.dir, readyFile)); err != nil {
		return nil, fmt.Errorf("the Wine prefix %s is gone or incomplete: %v", p.dir, err)
	}

	// Wine reads the version from the registry when a process starts, so
	// the program started next sees it.
	if err := p.setVersion(ctx, v); err != nil {
		return nil, err
	}

	exe, err = filepath.Abs(exe)
	if err != nil {
		return nil, err
	}
	env = append([]string{ExpectOSVersionEnv + "=" + v.String()}, env...)
	cmd := p.command(ctx, env, p.tools.Wine, append([]string{exe}, args...)...)
	out, err := p.combinedOutput(cmd)
	if err != nil {
		return out, fmt.Errorf("wine %s %s (as %s): %w", filepath.Base(exe), strings.Join(args, " "), v.Name, err)
	}
	return out, nil
}

// setVersion sets the Windows version Wine reports, for a caller that holds
// the lock. reg add now and then fails without a word while a wineserver
// that another test process stopped is still going away; it is tried again
// after making sure no server is left.
func (p *Prefix) setVersion(ctx context.Context, v Version) error {
	var err error
	var out []byte
	for attempt := 0; attempt < 3; attempt++ {
		setCtx, cancel := context.WithTimeout(ctx, toolTimeout)
		if attempt > 0 {
			if stopErr := p.stopLocked(setCtx); stopErr != nil {
				cancel()
				return stopErr
			}
		}
		out, err = p.combinedOutput(p.command(setCtx, nil, p.tools.Wine, "reg", "add", `HKCU\Software\Wine`, "/v", "Version", "/d", v.Name, "/f"))
		cancel()
		if err == nil {
			return nil
		}
	}
	return fmt.Errorf("setting the Wine prefix to %s: %v\n%s", v.Name, err, out)
}

// RunTest runs a Go test binary made by BuildTest under version v with
// -test.v and the given test flags, and returns its output. It reports an
// error unless the binary exits with status 0 and prints PASS as its last
// line, which only a completed run does.
func (p *Prefix) RunTest(ctx context.Context, v Version, exe string, flags ...string) (string, error) {
	out, err := p.Run(ctx, v, exe, append([]string{"-test.v"}, flags...))
	text := strings.ReplaceAll(string(out), "\r\n", "\n")
	if err != nil {
		return text, err
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if lines[len(lines)-1] != "PASS" {
		return text, errNoPass
	}
	return text, nil
}

// Stop stops the prefix's wineserver and with it every program still
// running in the prefix, and waits until it has saved the registry. Running
// another program later starts a new wineserver.
func (p *Prefix) Stop() error {
	unlock, err := lockFile(p.lockPath())
	if err != nil {
		return fmt.Errorf("locking the Wine prefix: %v", err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	return p.stopLocked(ctx)
}

// stopLocked is Stop for a caller that holds the lock. wineserver -k exits
// with status 1 when no server runs, which is not an error here.
func (p *Prefix) stopLocked(ctx context.Context) error {
	for _, flag := range []string{"-k", "-w"} {
		err := p.command(ctx, nil, p.tools.Wineserver, flag).Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return fmt.Errorf("wineserver %s: %v", flag, err)
		}
	}
	return nil
}
