package tests

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/tests/internal/wine"
)

// flagshipSpec is the spec the tiers check, relative to this directory.
const flagshipSpec = "../spec/vss.yaml"

// conformanceFile generates the C conformance file from spec (the bytes
// of a spec, named like spec/vss.yaml) and writes it into a temporary
// directory, returning its path.
func conformanceFile(t *testing.T, spec []byte) string {
	t.Helper()
	files, err := gen.GenerateBytes("spec/vss.yaml", spec, gen.Options{})
	if err != nil {
		t.Fatalf("generating from the spec: %v", err)
	}
	for _, f := range files {
		if strings.HasPrefix(f.Name, "conformance/") && strings.HasSuffix(f.Name, ".c") {
			src := filepath.Join(t.TempDir(), filepath.Base(f.Name))
			if err := os.WriteFile(src, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			return src
		}
	}
	t.Fatalf("the generator produced no conformance/*.c file")
	return ""
}

func readFlagshipSpec(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(flagshipSpec)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// failedAssertions lists the messages of the static assertions a compiler
// reported as failed.
func failedAssertions(out []byte) []string {
	var msgs []string
	for _, m := range regexp.MustCompile(`static assertion failed: "([^"]*)"`).FindAllSubmatch(out, -1) {
		msgs = append(msgs, string(m[1]))
	}
	slices.Sort(msgs)
	return slices.Compact(msgs)
}

// iidsMatch is what the conformance program prints when every IID agrees.
var iidsMatch = regexp.MustCompile(`(?m)^vss_conformance: all (\d+) IIDs match the SDK\r?$`)

// TestConformance holds spec/vss.yaml against the mingw-w64 SDK headers:
// the generated C file must compile for x86_64 and i686 (every slot,
// method signature and HRESULT value agrees), and the x86_64 program must
// find every IID equal when it runs under Wine. Wine cannot run i686
// programs without wine32, so the IIDs are compared on x86_64 only; they
// are the same bytes on both.
func TestConformance(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	src := conformanceFile(t, readFlagshipSpec(t))
	var amd64Exe string
	for _, c := range compilers {
		t.Run("compile/"+c.GOARCH, func(t *testing.T) {
			exe := filepath.Join(t.TempDir(), "vss_conformance.exe")
			if out, err := c.Compile(t.Context(), src, exe); err != nil {
				t.Fatalf("the SDK headers disagree with the spec (%v); failed facts: %q\n%s", err, failedAssertions(out), out)
			}
			if c.GOARCH == "amd64" {
				// Kept beyond the subtest: the IID check below runs it.
				dst := filepath.Join(filepath.Dir(src), "vss_conformance_amd64.exe")
				if err := os.Rename(exe, dst); err != nil {
					t.Fatal(err)
				}
				amd64Exe = dst
			}
		})
	}
	t.Run("iids", func(t *testing.T) {
		if amd64Exe == "" {
			t.Fatal("no x86_64 program to run: its compilation failed")
		}
		p := wine.Shared(t)
		out, err := p.Run(t.Context(), wine.Win10, amd64Exe, nil)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		m := iidsMatch.FindSubmatch(out)
		if m == nil {
			t.Fatalf("the program did not report matching IIDs:\n%s", out)
		}
		t.Logf("%s IIDs match the SDK", m[1])
	})
}

// editSpec replaces old, which must occur exactly once, with new.
func editSpec(t *testing.T, spec []byte, old, new string) []byte {
	t.Helper()
	if n := bytes.Count(spec, []byte(old)); n != 1 {
		t.Fatalf("the spec holds %q %d times, want once", old, n)
	}
	return bytes.Replace(spec, []byte(old), []byte(new), 1)
}

// TestConformanceBites changes one fact in a copy of the spec at a time
// and expects the SDK check to fail naming exactly that fact: the
// compilation for a slot or a value, the program run under Wine for an
// IID. The generator refuses gaps between slots, so the slot case swaps
// two methods' slots.
func TestConformanceBites(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	cc := compilers[0] // x86_64: the facts are the same for every target
	spec := readFlagshipSpec(t)

	for _, tt := range []struct {
		name  string
		edit  func(*testing.T, []byte) []byte
		facts []string // the failed static assertions, sorted
	}{
		{
			name: "slots swapped",
			edit: func(t *testing.T, s []byte) []byte {
				s = editSpec(t, s, "        slot: 4\n", "        slot: @@\n")
				s = editSpec(t, s, "        slot: 5\n", "        slot: 4\n")
				return editSpec(t, s, "        slot: @@\n", "        slot: 5\n")
			},
			facts: []string{"IVssAsync.QueryStatus slot", "IVssAsync.Wait slot"},
		},
		{
			name: "value changed",
			edit: func(t *testing.T, s []byte) []byte {
				return editSpec(t, s, "value: 0x80042302\n", "value: 0x8004230A\n")
			},
			facts: []string{"VSS_E_UNEXPECTED value"},
		},
		{
			name: "parameter type changed",
			edit: func(t *testing.T, s []byte) []byte {
				return editSpec(t, s, "dir: in, type: DWORD,", "dir: in, type: UINT,")
			},
			facts: []string{"IVssAsync.Wait parameters"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := conformanceFile(t, tt.edit(t, spec))
			out, err := cc.Compile(t.Context(), src, filepath.Join(t.TempDir(), "vss_conformance.exe"))
			if err == nil {
				t.Fatalf("the conformance file compiled although the spec contradicts the SDK")
			}
			if got := failedAssertions(out); !slices.Equal(got, tt.facts) {
				t.Fatalf("failed facts %q, want %q\n%s", got, tt.facts, out)
			}
		})
	}

	t.Run("iid changed", func(t *testing.T) {
		src := conformanceFile(t, editSpec(t, spec,
			"iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e\n", "iid: 507c37b4-cf5b-4e95-b0af-14eb9767467f\n"))
		exe := filepath.Join(t.TempDir(), "vss_conformance.exe")
		if out, err := cc.Compile(t.Context(), src, exe); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		p := wine.Shared(t)
		out, err := p.Run(t.Context(), wine.Win10, exe, nil)
		if err == nil {
			t.Fatalf("the program accepted an IID the SDK does not have:\n%s", out)
		}
		want := "IVssAsync IID: the SDK has {507c37b4-cf5b-4e95-b0af-14eb9767467e}, the spec has {507c37b4-cf5b-4e95-b0af-14eb9767467f}"
		if !bytes.Contains(out, []byte(want)) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
		if bytes.Contains(out, []byte("IUnknown IID")) {
			t.Errorf("an IID that was not changed was reported:\n%s", out)
		}
	})
}
