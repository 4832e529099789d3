package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/load"
)

// TestManyProblemsAreCapped: a spec with far more problems than anyone
// reads prints the first load.MaxListed, a count of the rest and the
// summary with the full number, rather than a line each.
func TestManyProblemsAreCapped(t *testing.T) {
	const n = 1500
	var spec strings.Builder
	spec.WriteString("package: vss\nhresults:\n")
	for i := range n {
		fmt.Fprintf(&spec, "  - {name: e_%d, value: %d, doc: A lower-case name.}\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(path, []byte(spec.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-spec", path, "-out", filepath.Join(t.TempDir(), "out")}, &stdout, &stderr); code != exitError {
		t.Fatalf("exit status %d, want %d\n%s", code, exitError, &stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != load.MaxListed+2 {
		t.Fatalf("stderr holds %d lines, want %d listed problems, a count and a summary", len(lines), load.MaxListed)
	}
	wantLast := fmt.Sprintf("%s:%d:12: hresult name \"e_%d\" must start with an upper-case letter, or the Go name would not be exported", path, load.MaxListed+2, load.MaxListed-1)
	if got := lines[load.MaxListed-1]; got != wantLast {
		t.Errorf("last problem listed:\n got %q\nwant %q", got, wantLast)
	}
	if got, want := lines[load.MaxListed], fmt.Sprintf("… and %d more problems", n-load.MaxListed); got != want {
		t.Errorf("count line %q, want %q", got, want)
	}
	if got, want := lines[load.MaxListed+1], fmt.Sprintf("vssgen: %d problem(s) in the spec; nothing was written", n); got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}
