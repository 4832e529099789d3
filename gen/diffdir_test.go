package gen_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
)

// TestDiffDir: diffs name the output directory from the root of the module
// that holds it, wherever vssgen runs, so that they apply from there.
func TestDiffDir(t *testing.T) {
	root := t.TempDir()
	mod := filepath.Join(root, "mod")
	for _, d := range []string{"mod/vss", "mod/internal/gen/vss", "plain/out"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		wd, out, want string
	}{
		{"mod", "vss", "vss"},
		{"mod", ".", ""},
		{"mod/vss", ".", "vss"},
		{"mod/internal/gen/vss", ".", "internal/gen/vss"},
		{"mod/internal", "gen/vss", "internal/gen/vss"},
		{"mod", "not/yet/made", "not/yet/made"}, // an output directory that does not exist yet
		{"plain", "out", "out"},                 // outside a module: from the current directory
		{"plain/out", ".", ""},
		{"plain/out", "..", ""}, // above the current directory: names relative to -out
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.wd+":"+tt.out, "/", "_"), func(t *testing.T) {
			t.Chdir(filepath.Join(root, filepath.FromSlash(tt.wd)))
			if got := gen.DiffDir(tt.out); got != tt.want {
				t.Errorf("DiffDir(%q) in %s = %q, want %q", tt.out, tt.wd, got, tt.want)
			}
		})
	}
}
