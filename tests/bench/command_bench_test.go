package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCommandVsStringer runs, in each iteration, the vssgen command on
// the flagship spec (into a fresh directory, so every file is written) and
// the stringer command on the same HRESULT constants (writing only their
// String method), timing each on its own. Interleaving the two makes their
// ratio, reported as stringer/vssgen, fair on a machine whose load changes
// during the run. The output sizes show how much more vssgen produces.
func BenchmarkCommandVsStringer(b *testing.B) {
	tools := b.TempDir()
	vssgen := buildTool(b, tools, "github.com/vssgen/vssgen/cmd/vssgen")
	stringer := buildTool(b, tools, "golang.org/x/tools/cmd/stringer")
	spec, err := filepath.Abs(specPath)
	if err != nil {
		b.Fatal(err)
	}

	// stringer loads its package with go/packages, so it needs a module.
	pkg := b.TempDir()
	constants, err := os.ReadFile("stringerhr/hresult.go")
	if err != nil {
		b.Fatal(err)
	}
	writeFile(b, filepath.Join(pkg, "go.mod"), []byte("module example.com/stringerhr\n\ngo 1.26\n"))
	writeFile(b, filepath.Join(pkg, "hresult.go"), constants)
	stringerEnv := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")

	outs := b.TempDir()
	var vssgenTime, stringerTime time.Duration
	var vssgenBytes, stringerBytes int64
	n := 0
	for b.Loop() {
		out := filepath.Join(outs, strconv.Itoa(n))
		n++
		start := time.Now()
		run(b, exec.Command(vssgen, "-q", "-spec", spec, "-out", out))
		vssgenTime += time.Since(start)

		cmd := exec.Command(stringer, "-type", "HRESULT")
		cmd.Dir, cmd.Env = pkg, stringerEnv
		start = time.Now()
		run(b, cmd)
		stringerTime += time.Since(start)

		if n == 1 {
			vssgenBytes = treeSize(b, out)
			stringerBytes = treeSize(b, filepath.Join(pkg, "hresult_string.go"))
		}
	}
	b.ReportMetric(vssgenTime.Seconds()*1000/float64(n), "vssgen-ms/run")
	b.ReportMetric(stringerTime.Seconds()*1000/float64(n), "stringer-ms/run")
	b.ReportMetric(float64(stringerTime)/float64(vssgenTime), "stringer/vssgen")
	b.ReportMetric(float64(vssgenBytes), "vssgen-bytes")
	b.ReportMetric(float64(stringerBytes), "stringer-bytes")
}

// buildTool builds the command of a package this module requires into dir.
func buildTool(b *testing.B, dir, pkg string) string {
	b.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		b.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func run(b *testing.B, cmd *exec.Cmd) {
	b.Helper()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", cmd, err, out)
	}
}

func writeFile(b *testing.B, name string, data []byte) {
	b.Helper()
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

// treeSize is the number of bytes in the regular files at or under root.
func treeSize(b *testing.B, root string) int64 {
	b.Helper()
	var total int64
	err := filepath.Walk(root, func(_ string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			total += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}
