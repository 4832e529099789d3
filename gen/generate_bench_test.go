package gen_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
)

// BenchmarkGenerateFlagship generates spec/vss.yaml in memory: load,
// validation and every emitter, without the writer.
func BenchmarkGenerateFlagship(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gen.Generate(gen.Options{Spec: "../spec/vss.yaml"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScaleCodes generates synthetic specs of 1k, 10k and 100k codes
// with one interface. Time and bytes allocated per code should stay flat as
// the table grows ten- and a hundredfold.
func BenchmarkScaleCodes(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		spec := codesSpec(n)
		b.Run(fmt.Sprintf("codes=%d", n), func(b *testing.B) {
			benchmarkGenerate(b, spec, n, "code")
		})
	}
}

// BenchmarkScaleMethods generates synthetic specs of 100, 1k and 10k methods
// (interfaces of 100 methods each, every method with parameters, return
// codes and OS notes). Time and bytes allocated per method should stay flat.
func BenchmarkScaleMethods(b *testing.B) {
	for _, n := range []int{100, 1_000, 10_000} {
		spec := methodsSpec(n)
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			benchmarkGenerate(b, spec, n, "method")
		})
	}
}

// benchmarkGenerate generates spec in memory once per iteration and reports,
// besides time and allocation per run, both per unit of size.
func benchmarkGenerate(b *testing.B, spec []byte, n int, unit string) {
	if len(spec) > load.MaxSpecSize {
		b.Fatalf("the synthetic spec has %d bytes, more than the %d the loader accepts", len(spec), load.MaxSpecSize)
	}
	b.ReportAllocs()
	var out int
	for b.Loop() {
		files, err := gen.GenerateBytes("synthetic.yaml", spec, gen.Options{})
		if err != nil {
			b.Fatal(err)
		}
		out = 0
		for _, f := range files {
			out += len(f.Data)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/"+unit)
	b.ReportMetric(float64(out), "out-bytes")
}

// codesSpec is a spec of n codes, alternately failures and successes, and
// one interface whose method documents a few of them.
func codesSpec(n int) []byte {
	var b bytes.Buffer
	b.WriteString("package: synthetic\nos_versions:\n  - {id: old, name: Old, version: \"5.1\"}\n  - {id: new, name: New, version: \"6.1\"}\nhresults:\n")
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, "  - {name: SYN_E_%06d, value: 0x%08X, doc: Failure %d.}\n", i, 0x80040000+uint32(i), i)
		} else {
			fmt.Fprintf(&b, "  - {name: SYN_S_%06d, value: 0x%08X, doc: Success %d.}\n", i, 0x00040000+uint32(i), i)
		}
	}
	b.WriteString(`interfaces:
  - name: ISynthetic
    iid: 00000000-0000-0000-0000-000000000001
    base: IUnknown
    header: synthetic.h
    methods:
      - name: Run
        slot: 3
        returns:
          - {code: SYN_S_000001, meaning: Done.}
          - code: SYN_E_000002
            meaning: Failed.
            notes:
              - {before: new, returns_instead: SYN_E_000000, text: Older systems report the other code.}
`)
	return b.Bytes()
}

// methodsSpec is a spec of n methods in interfaces of 100 methods each.
func methodsSpec(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`package: synthetic
os_versions:
  - {id: old, name: Old, version: "5.1"}
  - {id: new, name: New, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Success.}
  - {name: S_FALSE, value: 0x00000001, doc: Success with nothing done.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
  - {name: E_INVALIDARG, value: 0x80070057, doc: A bad argument.}
  - {name: SYN_E_UNEXPECTED, value: 0x80042302, doc: Unexpected failure of the service.}
  - {name: SYN_S_PENDING, value: 0x00042309, doc: Still running.}
interfaces:
`)
	const perInterface = 100
	for i := range (n + perInterface - 1) / perInterface {
		fmt.Fprintf(&b, "  - name: ISynthetic%d\n    iid: 00000000-0000-0000-0000-%012x\n    base: IUnknown\n    header: synthetic.h\n    doc: Synthetic interface %d.\n    methods:\n", i, i+1, i)
		for j := range min(perInterface, n-i*perInterface) {
			fmt.Fprintf(&b, `      - name: Method%d
        slot: %d
        doc: Synthetic method %d of interface %d.
        params:
          - {name: dwFlags, dir: in, type: DWORD, doc: Flags.}
          - {name: pStatus, dir: out, type: HRESULT, doc: The status.}
          - {name: pCount, dir: out, type: ULONG, doc: A count.}
        status_codes:
          - {code: SYN_S_PENDING, meaning: Still running.}
        returns:
          - {code: S_OK, meaning: Done.}
          - {code: S_FALSE, meaning: Nothing to do.}
          - {code: E_INVALIDARG, meaning: Bad flags.}
          - code: SYN_E_UNEXPECTED
            meaning: Unexpected failure.
            notes:
              - {before: new, returns_instead: E_UNEXPECTED, text: Older systems report E_UNEXPECTED.}
`, j, 3+j, j, i)
		}
	}
	return b.Bytes()
}

// BenchmarkWorstShapes generates the spec shapes whose output grows
// fastest with their size, each at the largest size the limits accept
// (gen/model: MaxBases, MaxVtableEntries and the slot limit): a chain of
// interfaces, each repeating what it inherits; a wide tree, one large
// interface and many that derive from it; and a method with many by-pointer
// parameters, whose C signature check once listed every const and
// non-const combination. It reports the spec's size, the output's, and
// their ratio.
func BenchmarkWorstShapes(b *testing.B) {
	for _, s := range worstShapes() {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			var out int
			for b.Loop() {
				files, err := gen.GenerateBytes("synthetic.yaml", s.spec, gen.Options{})
				if err != nil {
					b.Fatal(err)
				}
				out = 0
				for _, f := range files {
					out += len(f.Data)
				}
			}
			b.ReportMetric(float64(len(s.spec)), "spec-bytes")
			b.ReportMetric(float64(out), "out-bytes")
			b.ReportMetric(float64(out)/float64(len(s.spec)), "out/spec")
		})
	}
}

type shape struct {
	name string
	spec []byte
}

// worstShapes are the shapes of BenchmarkWorstShapes and
// TestWorstShapesStayBounded.
func worstShapes() []shape {
	return []shape{
		{"chain=32x31", chainSpec(32, 31)},
		{"wide=1000+18", wideSpec(1000, 18)},
		{"byptr=20", byPointerSpec(20)},
		{"byptr=41", byPointerSpec(41)},
	}
}

const shapeHeader = "package: synthetic\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\ninterfaces:\n"

// chainSpec is a chain of depth interfaces, each deriving from the one
// before and declaring per methods of one DWORD parameter.
func chainSpec(depth, per int) []byte {
	var b bytes.Buffer
	b.WriteString(shapeHeader)
	slot := 3
	for i := range depth {
		base := "IUnknown"
		if i > 0 {
			base = fmt.Sprintf("IChain%d", i-1)
		}
		fmt.Fprintf(&b, "  - name: IChain%d\n    iid: none\n    base: %s\n    methods:\n", i, base)
		for j := range per {
			fmt.Fprintf(&b, "      - {name: M%d_%d, slot: %d, params: [{name: dw, dir: in, type: DWORD}]}\n", i, j, slot)
			slot++
		}
	}
	return b.Bytes()
}

// wideSpec is an interface of n methods and k interfaces that derive from
// it, each with one method of its own.
func wideSpec(n, k int) []byte {
	var b bytes.Buffer
	b.WriteString(shapeHeader)
	b.WriteString("  - name: IWide\n    iid: none\n    base: IUnknown\n    methods:\n")
	for i := range n {
		fmt.Fprintf(&b, "      - {name: M%d, slot: %d, params: [{name: dw, dir: in, type: DWORD}]}\n", i, 3+i)
	}
	for i := range k {
		fmt.Fprintf(&b, "  - {name: IDerived%d, iid: none, base: IWide, methods: [{name: D%d, slot: %d}]}\n", i, i, 3+n)
	}
	return b.Bytes()
}

// byPointerSpec is one method with n in-parameters passed by pointer.
func byPointerSpec(n int) []byte {
	var b bytes.Buffer
	b.WriteString(shapeHeader)
	b.WriteString("  - name: IPointers\n    iid: none\n    base: IUnknown\n    methods:\n      - name: Take\n        slot: 3\n        params:\n")
	for i := range n {
		fmt.Fprintf(&b, "          - {name: p%d, dir: in, type: VSS_ID, by: pointer}\n", i)
	}
	return b.Bytes()
}
