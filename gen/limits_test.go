package gen_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
)

// TestWorstShapesStayBounded generates the fastest-growing shapes at the
// largest size the spec limits accept and checks that the output stays
// within a bound proportional to the spec: at most 150 bytes of output per
// byte of spec (spec/vss.yaml gives about 10) and 16 MiB in all. The
// figures are logged; BENCHMARKS.md records them with memory.
func TestWorstShapesStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates several large specs; skipped in -short mode")
	}
	for _, s := range worstShapes() {
		files, err := gen.GenerateBytes("synthetic.yaml", s.spec, gen.Options{})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		out := 0
		for _, f := range files {
			out += len(f.Data)
		}
		t.Logf("%s: spec %d bytes, output %d bytes, %.1f bytes per spec byte", s.name, len(s.spec), out, float64(out)/float64(len(s.spec)))
		if out > 150*len(s.spec) || out > 16<<20 {
			t.Errorf("%s: %d bytes of output from %d of spec, more than 150 per byte or 16 MiB", s.name, out, len(s.spec))
		}
	}
}

// TestOutputLimit lowers the output limit below what spec/vss.yaml gives:
// generation must fail, name the spec and the limit, and return no files.
func TestOutputLimit(t *testing.T) {
	files, err := gen.Generate(gen.Options{Spec: "../spec/vss.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range files {
		total += len(f.Data)
	}
	// The flagship spec must stay far below the limit: at most a fiftieth of
	// it (5.1 MB), which leaves room for the whole SDK surface.
	if total*50 > gen.MaxOutputSize {
		t.Errorf("spec/vss.yaml gives %d bytes, more than a fiftieth of the limit of %d", total, gen.MaxOutputSize)
	}
	defer gen.SetOutputLimit(total - 1)()
	files, err = gen.Generate(gen.Options{Spec: "../spec/vss.yaml"})
	if err == nil || files != nil {
		t.Fatalf("with a limit one byte short: %d files, error %v; want no files and an error", len(files), err)
	}
	for _, want := range []string{"../spec/vss.yaml: ", "more than the " + strconv.Itoa(total-1)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
