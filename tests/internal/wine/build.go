package wine

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goTool is the go command that runs the tests, so the Windows binaries
// are built by the same toolchain.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// BuildTest compiles the tests of package pkg (an import path or a
// ./relative path, resolved in the module directory dir) into a
// windows/amd64 test binary in a temporary directory of t, and returns its
// path. flags go to go test -c, for example "-overlay", file. The go
// command sees the test's environment with GOOS, GOARCH and CGO_ENABLED
// set; change anything else (GOFLAGS, GOWORK) with t.Setenv first. A build
// failure fails t.
func BuildTest(t testing.TB, dir, pkg string, flags ...string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), exeName(pkg, ".test.exe"))
	args := append([]string{"test", "-c", "-o", exe}, flags...)
	goBuild(t, dir, append(args, pkg))
	return exe
}

// Build compiles the main package pkg (resolved in dir as for BuildTest)
// into a windows/amd64 program in a temporary directory of t and returns
// its path.
func Build(t testing.TB, dir, pkg string, flags ...string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), exeName(pkg, ".exe"))
	args := append([]string{"build", "-o", exe}, flags...)
	goBuild(t, dir, append(args, pkg))
	return exe
}

func exeName(pkg, suffix string) string {
	name := path.Base(filepath.ToSlash(pkg))
	if name == "." || name == "/" || name == "" {
		name = "pkg"
	}
	return name + suffix
}

func goBuild(t testing.TB, dir string, args []string) {
	t.Helper()
	cmd := exec.Command(goTool(), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=windows GOARCH=amd64 go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
