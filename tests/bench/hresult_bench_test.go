// Package bench holds the benchmarks of BENCHMARKS.md that need more than
// one package: the generated HRESULT methods against stringer's, and the
// vssgen command against the stringer command.
package bench

import (
	"math/rand/v2"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/tests/bench/stringerhr"
)

const specPath = "../../spec/vss.yaml"

// knownCodes are the values of every code of the flagship spec, in a fixed
// shuffled order, so that neither lookup is measured on a pattern a branch
// predictor can learn.
func knownCodes(tb testing.TB) []uint32 {
	tb.Helper()
	spec, err := gen.LoadModel(specPath)
	if err != nil {
		tb.Fatal(err)
	}
	var codes []uint32
	for _, h := range spec.HRESULTs {
		codes = append(codes, h.Value)
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
	return codes
}

// TestSameNamesAsStringer: for every known code, vssgen's String says what
// stringer's does, so the benchmark compares like with like.
func TestSameNamesAsStringer(t *testing.T) {
	for _, c := range knownCodes(t) {
		if got, want := vss.HRESULT(c).String(), stringerhr.HRESULT(c).String(); got != want {
			t.Errorf("HRESULT(%#x): vssgen says %q, stringer %q", c, got, want)
		}
	}
}

// TestKnownCodesDoNotAllocate: String and Error of a known code return a
// string constant.
func TestKnownCodesDoNotAllocate(t *testing.T) {
	codes := knownCodes(t)
	for _, m := range []struct {
		name   string
		method func(vss.HRESULT) string
	}{
		{"String", vss.HRESULT.String},
		{"Error", vss.HRESULT.Error},
	} {
		allocs := testing.AllocsPerRun(100, func() {
			for _, c := range codes {
				sink = m.method(vss.HRESULT(c))
			}
		})
		if allocs != 0 {
			t.Errorf("%s allocates %v times per run over %d known codes, want 0", m.name, allocs, len(codes))
		}
	}
}

var sink string

// BenchmarkHRESULTString measures String on the known codes in turn: the
// method vssgen generates, the one stringer generates for the same
// constants, and vssgen's Error, which returns the longer text.
func BenchmarkHRESULTString(b *testing.B) {
	codes := knownCodes(b)
	b.Run("vssgen-String", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink = vss.HRESULT(codes[i%len(codes)]).String()
			i++
		}
	})
	b.Run("stringer-String", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink = stringerhr.HRESULT(codes[i%len(codes)]).String()
			i++
		}
	})
	b.Run("vssgen-Error", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink = vss.HRESULT(codes[i%len(codes)]).Error()
			i++
		}
	})
}
