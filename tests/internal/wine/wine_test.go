package wine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/tests/internal/wine"
)

// The prefix runs a Go program (so the ProcessPrng shim works), reports
// each configured Windows version to RtlGetVersion, passes the expected
// version in the environment, and supports COM and Go callbacks.
func TestPrefixRunsGoPrograms(t *testing.T) {
	p := wine.Shared(t)
	exe := wine.Build(t, ".", "./testdata/smoke")
	for _, v := range wine.Versions() {
		t.Run(v.Name, func(t *testing.T) {
			out, err := p.Run(t.Context(), v, exe, nil)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			text := strings.ReplaceAll(string(out), "\r\n", "\n")
			for _, want := range []string{
				"RtlGetVersion " + v.String(),
				"expected " + v.String(),
				"CoInitializeEx S_OK",
				"callback 427",
			} {
				if !strings.Contains(text, want+"\n") {
					t.Errorf("output lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// recorder stands in for a testing.TB to see what Skip does with it.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skip(args ...any)                  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestSkipFailsWhenRequired(t *testing.T) {
	for _, tt := range []struct {
		env             string
		skipped, failed bool
	}{
		{"", true, false},
		{"0", true, false},
		{"1", false, true},
	} {
		t.Setenv(wine.RequireEnv, tt.env)
		r := &recorder{TB: t}
		wine.Skip(r, "install %s", "wine64")
		if got := r.skipped != ""; got != tt.skipped {
			t.Errorf("%s=%q: skipped = %v, want %v", wine.RequireEnv, tt.env, got, tt.skipped)
		}
		if got := r.failed != ""; got != tt.failed {
			t.Errorf("%s=%q: failed = %v, want %v", wine.RequireEnv, tt.env, got, tt.failed)
		}
		for _, msg := range []string{r.skipped, r.failed} {
			if msg != "" && !strings.Contains(msg, "install wine64") {
				t.Errorf("%s=%q: message %q does not say what to install", wine.RequireEnv, tt.env, msg)
			}
		}
	}
}
