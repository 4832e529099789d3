package gen_test

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/emit"
	"github.com/vssgen/vssgen/gen/load"
)

// fuzzProblemRE is the form of every problem reported for the fuzzed spec.
var fuzzProblemRE = regexp.MustCompile(`^fuzz\.yaml:[1-9]\d*:[1-9]\d*: \S`)

// goDirectiveRE matches the comments the Go toolchain reads as instructions.
var goDirectiveRE = regexp.MustCompile(`^(//go:|//line |/\*line |//export |//extern |//\s*\+build)`)

// FuzzGenerate runs load, validation and every emitter on arbitrary input.
// Whatever the input, generation must not panic; a refused spec must come
// back as load.Problems, each "fuzz.yaml:line:col: message" on one line; an
// accepted spec must give Go files that parse, that start with the
// generated-code header and that carry no directive the generator does not
// write for the flagship spec. The seed corpus is every spec of the
// repository: the flagship, the golden cases and the catalogue of invalid
// specs.
func FuzzGenerate(f *testing.F) {
	var seeds []string
	// The golden feature spec uses every construct of the format in a few
	// kilobytes. The flagship spec is left out: at 140 KiB each run of it
	// takes long enough that the fuzzer spends its time minimising
	// mutations of it instead of exploring.
	for _, pattern := range []string{"testdata/golden/*/spec.yaml", "../tests/testdata/invalid/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, m...)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed specs found")
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}

	// The directives the generator writes itself, per file.
	flagship, err := gen.Generate(gen.Options{Spec: "../spec/vss.yaml"})
	if err != nil {
		f.Fatal(err)
	}
	ownDirectives := map[string][]string{}
	for _, file := range flagship {
		if path.Ext(file.Name) == ".go" {
			ownDirectives[file.Name] = goDirectives(f, file.Name, file.Data)
		}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := gen.GenerateBytes("fuzz.yaml", data, gen.Options{})
		if err != nil {
			var problems load.Problems
			if !errors.As(err, &problems) || len(problems) == 0 {
				t.Fatalf("error without a position: %v", err)
			}
			for _, p := range problems {
				if msg := p.Error(); !fuzzProblemRE.MatchString(msg) || strings.ContainsAny(msg, "\n\r") {
					t.Errorf("problem not of the form fuzz.yaml:line:col: message: %q", msg)
				}
			}
			return
		}
		for _, file := range files {
			if path.Ext(file.Name) != ".go" {
				continue
			}
			first, _, _ := strings.Cut(string(file.Data), "\n")
			if first != "// "+emit.GeneratedMarker {
				t.Errorf("%s starts with %q, not the generated-code header", file.Name, first)
			}
			for _, d := range goDirectives(t, file.Name, file.Data) {
				if !slices.Contains(ownDirectives[file.Name], d) {
					t.Errorf("%s carries the directive %q, which the generator does not write", file.Name, d)
				}
			}
		}
	})
}

// goDirectives parses a generated Go file and lists its directive comments.
func goDirectives(t testing.TB, name string, src []byte) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("generated %s does not parse: %v\n%s", name, err, src)
	}
	var out []string
	for _, g := range f.Comments {
		for _, c := range g.List {
			if goDirectiveRE.MatchString(c.Text) {
				out = append(out, c.Text)
			}
		}
	}
	return out
}
