package tests

import (
	"path/filepath"
	"testing"
)

// TestCommandBuildsEverywhere builds the vssgen command for 32-bit and
// Windows platforms as well as this one: a downstream module records it as
// a tool wherever its developers work, and an int constant too large for
// 32 bits, say, fails only there.
func TestCommandBuildsEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-builds the command; skipped in -short mode")
	}
	root := repoRoot(t)
	for _, target := range [][2]string{{"linux", "386"}, {"windows", "amd64"}} {
		exe := filepath.Join(t.TempDir(), "vssgen")
		goCmd(t, root, []string{"GOOS=" + target[0], "GOARCH=" + target[1], "CGO_ENABLED=0"}, "build", "-o", exe, "./cmd/vssgen")
	}
}
