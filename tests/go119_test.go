package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/tests/internal/wine"
)

// Go 1.21 and later run only on Windows 10 and Server 2016 or later. Backup
// agents that must still run on Windows 7 and Server 2008 R2 build with Go
// 1.20 or older, and only such programs ever meet the OS-version notes
// about systems before Windows 7. So the generated package must build with
// the oldest toolchain Debian ships, Go 1.19, and the golang.org/x/sys
// release that last supports it.
const (
	go119XSys    = "v0.30.0" // the last golang.org/x/sys whose go.mod says go 1.18
	go119Package = "golang-1.19-go"
)

// TestGeneratedPackageBuildsWithGo119 builds generated/vss and
// generated/ole, without their tests, with the real Go 1.19 toolchain for
// windows/amd64 and 386 (the architectures Windows 7 runs on) and for
// Linux. It is part of the Windows
// tiers: without Go 1.19 it skips, or fails under VSSGEN_REQUIRE_WINE=1.
func TestGeneratedPackageBuildsWithGo119(t *testing.T) {
	if testing.Short() {
		t.Skip("builds with a second toolchain; skipped in -short mode")
	}
	goCmd := findGo119()
	if goCmd == "" {
		wine.Skip(t, "Go 1.19 not found: install Debian's %s, or set VSSGEN_GO119 to its go command", go119Package)
	}
	root := repoRoot(t)
	sum, err := os.ReadFile(filepath.Join("testdata", "go119", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module example.com/old\n\ngo 1.19\n\nrequire golang.org/x/sys " + go119XSys + "\n",
		"go.sum": string(sum),
	}
	// Both committed packages: the flagship's and the real-COM tier's,
	// whose spec uses constructs the flagship does not.
	for _, pkg := range []string{"vss", "ole"} {
		src := filepath.Join(root, "generated", pkg)
		entries, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			// The generated tests use today's standard library; the package
			// is what an old program imports. generate.go is this repository's.
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "generate.go" {
				continue
			}
			data, err := os.ReadFile(filepath.Join(src, name))
			if err != nil {
				t.Fatal(err)
			}
			files[pkg+"/"+name] = string(data)
		}
	}
	mod := t.TempDir()
	writeFiles(t, mod, files)

	goroot := filepath.Dir(filepath.Dir(goCmd))
	for _, target := range []struct{ goos, goarch string }{{"windows", "amd64"}, {"windows", "386"}, {"linux", "amd64"}} {
		cmd := exec.Command(goCmd, "build", "./...")
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOROOT="+goroot, "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0",
			"GOOS="+target.goos, "GOARCH="+target.goarch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("Go 1.19 build for %s/%s: %v\n%s", target.goos, target.goarch, err, out)
		}
	}
}

// findGo119 returns the go command of Go 1.19, or "".
func findGo119() string {
	if p := os.Getenv("VSSGEN_GO119"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/lib/go-1.19/bin/go", "go1.19"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}
