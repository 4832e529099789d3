package write

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffAppliesFromTheModuleRoot: with DiffDir set, the diff names each
// file from the module root (a/generated/vss/changed.go), and git apply and
// patch -p1, run there, turn the old tree into the one Apply would write:
// changed, new (in new directories) and removed files alike.
func TestDiffAppliesFromTheModuleRoot(t *testing.T) {
	tools := map[string][]string{
		"git apply": {"git", "apply", "--whitespace=nowarn"},
		"patch -p1": {"patch", "-p1", "--batch", "--silent"},
	}
	for name, argv := range tools {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			if _, err := exec.LookPath(argv[0]); err != nil {
				t.Skipf("%s is not installed", argv[0])
			}
			root := t.TempDir()
			out := filepath.Join(root, "generated", "vss")
			writeTree(t, out, existing)

			// What Apply would leave, in a copy of the same tree.
			want := t.TempDir()
			writeTree(t, filepath.Join(want, "generated", "vss"), existing)
			wp, err := NewPlan(filepath.Join(want, "generated", "vss"), produced, marker)
			if err != nil {
				t.Fatal(err)
			}
			if err := wp.Apply(); err != nil {
				t.Fatal(err)
			}

			p, err := NewPlan(out, produced, marker)
			if err != nil {
				t.Fatal(err)
			}
			p.DiffDir = "generated/vss"
			diff := p.Diff()
			for _, label := range []string{
				"--- a/generated/vss/changed.go\n+++ b/generated/vss/changed.go\n",
				"--- /dev/null\n+++ b/generated/vss/conformance/deep/vss_conformance.c\n",
				"--- a/generated/vss/stale.go\n+++ /dev/null\n",
			} {
				if !strings.Contains(diff, label) {
					t.Errorf("diff lacks the labels\n%s\n--- diff:\n%s", label, diff)
				}
			}
			patchFile := filepath.Join(t.TempDir(), "fix.diff")
			if err := os.WriteFile(patchFile, []byte(diff), 0o644); err != nil {
				t.Fatal(err)
			}
			if argv[0] == "git" {
				check := exec.Command("git", "apply", "--check", patchFile)
				check.Dir = root
				if b, err := check.CombinedOutput(); err != nil {
					t.Fatalf("git apply --check: %v\n%s\n--- diff:\n%s", err, b, diff)
				}
			}
			cmd := exec.Command(argv[0], append(argv[1:], "-i", patchFile)...)
			if argv[0] == "git" {
				cmd = exec.Command(argv[0], append(argv[1:], patchFile)...)
			}
			cmd.Dir = root
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s\n--- diff:\n%s", name, err, b, diff)
			}
			got, wantTree := snapshot(t, root), snapshot(t, want)
			for path, e := range wantTree {
				if g, ok := got[path]; !ok || g.Data != e.Data {
					t.Errorf("after %s, %s holds %q, want %q", name, path, g.Data, e.Data)
				}
			}
			for path, g := range got {
				// patch may leave empty directories behind; files must match.
				if _, ok := wantTree[path]; !ok && g.Mode.IsRegular() {
					t.Errorf("after %s, %s exists; Apply would have removed it", name, path)
				}
			}
		})
	}
}

// TestDiffWithoutDiffDirNamesFilesFromDir: the labels name files relative
// to the output directory when DiffDir is empty.
func TestDiffWithoutDiffDirNamesFilesFromDir(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, existing)
	p, err := NewPlan(dir, produced, marker)
	if err != nil {
		t.Fatal(err)
	}
	if diff := p.Diff(); !strings.Contains(diff, "--- a/changed.go\n+++ b/changed.go\n") {
		t.Errorf("diff:\n%s", diff)
	}
}
