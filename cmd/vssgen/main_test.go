package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets scripts run "vssgen": testscript puts a copy of this test
// binary on their PATH under that name, and the copy runs main.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"vssgen": main})
}

// TestScripts runs the command-line scenarios in testdata/script. Each
// script starts in an empty work directory holding its archive's files and
// a copy of the flagship spec at spec/vss.yaml, so that commands run with
// their defaults see what they would see at the root of this repository.
func TestScripts(t *testing.T) {
	flagship, err := os.ReadFile(filepath.Join("..", "..", "spec", "vss.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p := testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":     cmdStatus,
			"gogenerate": cmdGoGenerate,
			"mkfifo":     cmdMkfifo,
		},
		Setup: func(env *testscript.Env) error {
			// Nothing a script runs may reach the network or fetch a toolchain.
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			dir := filepath.Join(env.WorkDir, "spec")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			// O_EXCL: a script's own spec/vss.yaml must not be replaced unseen.
			f, err := os.OpenFile(filepath.Join(dir, "vss.yaml"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return fmt.Errorf("the flagship spec goes to spec/vss.yaml; keep the script's files elsewhere: %w", err)
			}
			if _, err := f.Write(flagship); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		},
	}
	// gotooltest gives scripts a go command with this machine's GOROOT and
	// build cache, for the scenario that builds and tests a downstream module.
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, p)
}

// cmdStatus runs a program and checks its exit status, which "exec" and
// "! exec" cannot tell apart beyond zero and non-zero:
//
//	status 1 vssgen -check
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("status: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdGoGenerate stands in for "go generate ./...": it runs every
// //go:generate line in the Go files below the current directory, each in
// its file's directory, with the vssgen under test standing in for
// "go tool vssgen". The real command would build vssgen through the
// module's tool directive, which needs vssgen published on a module proxy;
// the end-to-end test in tests/ covers that path.
func cmdGoGenerate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || args[0] != "./..." {
		ts.Fatalf("usage: gogenerate ./...")
	}
	root := ts.MkAbs(".")
	// Collect the lines first, as the go command does: running one may add
	// or remove files the walk has not reached yet.
	type directive struct{ file, line string }
	var directives []directive
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// The go command ignores these directories when it matches ./...
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		for _, line := range strings.Split(ts.ReadFile(path), "\n") {
			if strings.HasPrefix(line, "//go:generate ") {
				directives = append(directives, directive{path, line})
			}
		}
		return nil
	})
	ts.Check(err)
	ran := 0
	for _, d := range directives {
		words := strings.Fields(strings.TrimPrefix(d.line, "//go:generate "))
		if len(words) < 3 || words[0] != "go" || words[1] != "tool" || words[2] != "vssgen" {
			ts.Fatalf("%s: %q does not run go tool vssgen", d.file, d.line)
		}
		ts.Check(ts.Chdir(filepath.Dir(d.file)))
		err := ts.Exec("vssgen", words[3:]...)
		ts.Check(ts.Chdir(root))
		if err != nil {
			ts.Fatalf("%s: %s: %v", d.file, d.line, err)
		}
		ran++
	}
	if ran == 0 {
		ts.Fatalf("gogenerate: no //go:generate lines below %s", root)
	}
}

// cmdMkfifo makes a named pipe (Unix only; scripts using it start with
// "[!unix] skip"):
//
//	mkfifo shadow/method.go
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo PATH")
	}
	ts.Check(mkfifo(ts.MkAbs(args[0])))
}
