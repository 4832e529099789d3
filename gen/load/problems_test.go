package load

import (
	"fmt"
	"strings"
	"testing"
)

// TestProblemsErrorCapped: a spec with a huge number of problems prints the
// first MaxListed and a count of the rest, not a line each.
func TestProblemsErrorCapped(t *testing.T) {
	for _, n := range []int{1, MaxListed, MaxListed + 1, 150000} {
		ps := make(Problems, n)
		for i := range ps {
			ps[i] = Problem{"s.yaml", Pos{i + 1, 1}, "bad"}
		}
		lines := strings.Split(ps.Error(), "\n")
		listed := min(n, MaxListed)
		want := listed
		if n > MaxListed {
			want++
		}
		if len(lines) != want {
			t.Errorf("%d problems: %d lines, want %d", n, len(lines), want)
			continue
		}
		if got, want := lines[listed-1], fmt.Sprintf("s.yaml:%d:1: bad", listed); got != want {
			t.Errorf("%d problems: last listed line %q, want %q", n, got, want)
		}
		if n > MaxListed {
			if got, want := lines[len(lines)-1], fmt.Sprintf("… and %d more problems", n-MaxListed); got != want {
				t.Errorf("%d problems: last line %q, want %q", n, got, want)
			}
		}
	}
}
