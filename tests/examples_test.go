package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestGeneratedExamplesVetForWindows vets the generated package, its
// Windows examples included, for windows/amd64, 386 and arm64. Those
// examples have no output (they would call a real VSS service), so go test
// only compiles them, and only for the architecture it runs on; vet also
// checks that each example's name refers to what it documents.
func TestGeneratedExamplesVetForWindows(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "generated", "vss", "example_windows_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"func ExampleIVssAsync_WaitContext()", "func Example_shadowCopy()"} {
		if !strings.Contains(string(src), name) {
			t.Errorf("example_windows_test.go lacks %s", name)
		}
	}
	for _, arch := range []string{"amd64", "386", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "vet", "./generated/vss")
			cmd.Dir = ".."
			cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("GOOS=windows GOARCH=%s go vet ./generated/vss: %v\n%s", arch, err, out)
			}
		})
	}
}
