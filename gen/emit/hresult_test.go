package emit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hresultProbe runs in the generated package of the feature spec. Its
// expected texts are written out by hand: the SDK writes an HRESULT as 0x
// and eight upper-case hex digits, so small codes keep their leading zeros.
const hresultProbe = `package widgets

import (
	"fmt"
	"testing"
)

func TestProbeHRESULTText(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{S_FALSE.Error(), "S_FALSE (0x00000001): Success with nothing to report."},
		{HRESULT(1).String(), "S_FALSE"},
		{fmt.Sprintf("%v", S_FALSE), "S_FALSE (0x00000001): Success with nothing to report."},
		{S_OK.Error(), "S_OK (0x00000000): Success."},
		{WID_S_PENDING.Error(), "WID_S_PENDING (0x00041002): The widget is still spinning."},
		{WID_E_BROKEN.Error(), "WID_E_BROKEN (0x80041001): The widget is broken: */ stays a comment."},
		{HRESULT(2).String(), "HRESULT(0x00000002)"},
		{HRESULT(2).Error(), "HRESULT(0x00000002): unknown success code, facility 0, code 2"},
		{HRESULT(0x8004FFFF).Error(), "HRESULT(0x8004FFFF): unknown failure code, facility 4, code 65535"},
	} {
		if tt.got != tt.want {
			t.Errorf("got  %q\nwant %q", tt.got, tt.want)
		}
	}
}
`

// The generated String and Error print a code as the SDK does, 0x and
// eight hex digits, also for a small code such as S_FALSE (0x00000001):
// the feature spec's package is built and a hand-written test run in it.
// Only the portable files take part, so the host builds it.
func TestHRESULTTextKeepsEightDigits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package; skipped in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	outs, err := All(loadFeatureSpec(t), Config{})
	if err != nil {
		t.Fatal(err)
	}
	// A module of its own in a temporary directory: the portable files
	// import only the standard library.
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte("module example.com/widgets\n\ngo 1.19\n"))
	for _, o := range outs {
		// The package's own tests stay out: the probe alone decides.
		if strings.Contains(o.Name, "/") || !strings.HasSuffix(o.Name, ".go") || strings.HasSuffix(o.Name, "_test.go") {
			continue
		}
		write(o.Name, o.Data)
	}
	write("probe_test.go", []byte(hresultProbe))
	cmd := exec.Command(goTool, "test", "-count=1", "-run", "^TestProbeHRESULTText$", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test in the generated package: %v\n%s", err, out)
	}
}
