package tests

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/modfile"
	"gopkg.in/yaml.v3"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// hostileProse is spec text written to break out of wherever a generator
// might put it: Go and C comments, string literals, Markdown, directives and
// the C preprocessor.
var hostileProse = []string{
	"*/ func init() { panic(\"injected\") } /*",
	"/* an unterminated block comment",
	"Closes the doc.\n}\n\nfunc init() { panic(\"injected\") }\n\nvar _ = `",
	"Backticks: `raw` ``` and a fence\n```go\npackage main\n```",
	"//go:generate touch injected",
	"Line one.\n//go:build ignore\n\n// +build ignore",
	"//line injected.go:1:1",
	"/*line injected.go:1:1*/ text",
	"#include <stdio.h>\n#define S_OK 1\n#pragma once\n# error injected",
	"A C line continuation at the end of a comment line \\",
	"Trigraphs ??/\n??= define X",
	"\"quoted\" 'single' \\ and a backslash-n \\n that is not a newline",
	"%s %d %v %% %!x verbs that must not be formatted",
	"<!-- an HTML comment --> <script>alert(1)</script> [a link](javascript:alert(1)) | a | table |",
	"- a list item",
	"1. an ordered item",
	"# a heading",
	"---",
	"    indented like a code block",
	"\ttab\tseparated\ttext\t",
	"Unicode: ünïcödé — “quotes” 中文 😀",
	strings.Repeat("x", 100_000),
	strings.Repeat("long line ", 10_000),
}

// TestSpecProseIsInert generates a spec whose every prose field holds
// hostile text, and the same spec with plain text, and compares the two: the
// prose may change comments and the contents of string literals, nothing
// else. Every generated file is checked according to its kind (Go, Markdown,
// C), and a kind without a check fails the test. The hostile Go package must
// also build, vet and pass its generated tests for Linux and Windows, as
// must the package of a spec of unusual names.
func TestSpecProseIsInert(t *testing.T) {
	hostileSpec := proseSpec(func(i int) string { return hostileProse[i] })
	plainSpec := proseSpec(func(i int) string { return fmt.Sprintf("Plain prose number %d.", i) })

	// The hostile text must reach the model intact, or the test proves nothing.
	raw, err := load.Bytes("hostile.yaml", hostileSpec)
	if err != nil {
		t.Fatalf("the hostile spec does not load: %v", err)
	}
	m, err := model.Build(raw, "hostile.yaml", "hostile.yaml")
	if err != nil {
		t.Fatalf("the hostile spec is refused: %v", err)
	}
	for i, h := range proseCodes(m) {
		if want := strings.TrimSpace(hostileProse[i]); h.Doc != want {
			t.Fatalf("hostile prose %d did not survive loading: got %q, want %q", i, h.Doc, want)
		}
	}

	hostile, err := gen.GenerateBytes("hostile.yaml", hostileSpec, gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := gen.GenerateBytes("hostile.yaml", plainSpec, gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hostile) != len(plain) {
		t.Fatalf("hostile prose changed the set of files: %d files, want %d", len(hostile), len(plain))
	}
	for i, f := range hostile {
		p := plain[i]
		if f.Name != p.Name {
			t.Fatalf("file %d is %s, want %s", i, f.Name, p.Name)
		}
		t.Run(f.Name, func(t *testing.T) {
			if bad := fmtErrorRE.Find(f.Data); bad != nil {
				t.Errorf("prose was used as a format string: %q appears", bad)
			}
			switch path.Ext(f.Name) {
			case ".go":
				checkGoInert(t, f.Name, f.Data, p.Data)
			case ".md":
				checkMarkdownInert(t, string(f.Data), string(p.Data))
			case ".c", ".h":
				checkCInert(t, string(f.Data), string(p.Data))
			default:
				t.Errorf("no inertness check for files like %s: add one", f.Name)
			}
		})
	}

	t.Run("compiles", func(t *testing.T) {
		if testing.Short() {
			t.Skip("builds the generated packages for several platforms; skipped in -short mode")
		}
		names, err := gen.GenerateBytes("names.yaml", []byte(unusualNamesSpec), gen.Options{})
		if err != nil {
			t.Fatalf("the spec of unusual names is refused: %v", err)
		}
		mod := t.TempDir()
		files := map[string]string{
			// The go line is this repository's: x/sys may require a later
			// patch release than "go 1.26", and with -mod=readonly (as in
			// CI) the go command will not raise it.
			"go.mod": "module example.com/inert\n\ngo " + repoGoVersion(t) + "\n\nrequire golang.org/x/sys " + xsysVersion(t) + "\n",
			"go.sum": xsysSums(t),
		}
		for _, f := range hostile {
			files["vss/"+f.Name] = string(f.Data)
		}
		for _, f := range names {
			files["names/"+f.Name] = string(f.Data)
		}
		writeFiles(t, mod, files)
		goCmd(t, mod, nil, "vet", "./...")
		goCmd(t, mod, nil, "test", "-count=1", "./...")
		for _, arch := range []string{"amd64", "386", "arm64"} {
			goCmd(t, mod, []string{"GOOS=windows", "GOARCH=" + arch}, "vet", "./...")
		}
	})
}

// unusualNamesSpec is a valid spec whose names a careless generator would
// trip over: lower-case and odd names (in ASCII, as names must be), codes
// named like the methods of HRESULT, parameters named like the generated
// package's declarations
// and like the locals of generated tests, methods named like the embedded
// fields of deeper bases. It is built beside the hostile prose.
const unusualNamesSpec = `package: names
os_versions:
  - {id: old, name: Old, version: "5.1"}
  - {id: new, name: New, version: "6.1"}
hresults:
  - {name: S_OK, value: 0, doc: Success.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected.}
  - {name: Mixed_case_code, value: 0x80040001, doc: A name in mixed case.}
  - {name: Trailing_underscore_, value: 0x80040002, doc: A name that ends in an underscore.}
  - {name: String, value: 0x80040003, doc: Named like a method of HRESULT.}
  - {name: Format, value: 0x00040004, doc: Named like a method of HRESULT.}
  - {name: Code, value: 0x00040005, doc: Named like a method of HRESULT.}
  - {name: Is, value: 0x00040006, doc: Named like a method of Error.}
  - {name: ALIAS_OF_STRING, value: 0x80040003, alias_of: String, doc: An alias.}
interfaces:
  - name: IFoo
    iid: 00000000-0000-0000-0000-000000000001
    base: IUnknown
    header: foo.h
    methods:
      - name: String
        slot: 3
        params:
          - {name: Error, dir: in, type: DWORD}
          - {name: OSVersion, dir: out, type: ULONG}
          - {name: Method, dir: out, type: HRESULT}
        status_codes:
          - {code: Format, meaning: A status.}
        returns:
          - {code: S_OK, meaning: OK.}
          - {code: Code, meaning: A success.}
          - code: Mixed_case_code
            meaning: Fails.
            notes:
              - {before: new, returns_instead: E_UNEXPECTED, text: Older systems say E_UNEXPECTED.}
      - name: Error
        slot: 4
        params:
          - {name: IFoo, dir: in, type: LONG}
          - {name: NewError, dir: in, type: INT}
          - {name: Documented, dir: in, type: UINT}
          - {name: CurrentOSVersion, dir: in, type: DWORD}
          - {name: S_OK, dir: in, type: DWORD}
          - {name: t, dir: in, type: DWORD}
          - {name: b, dir: in, type: DWORD}
          - {name: tt, dir: in, type: DWORD}
          - {name: obj, dir: in, type: DWORD}
          - {name: i, dir: in, type: DWORD}
        returns:
          - {code: Is, meaning: Named Is.}
          - {code: Trailing_underscore_, meaning: Ends in an underscore.}
  - name: ILower_case
    iid: 00000000-0000-0000-0000-000000000002
    base: IFoo
    methods:
      - {name: Mixed_Case_method, slot: 5}
      - {name: IUnknown, slot: 6}
      - {name: IUnknownVtbl, slot: 7}
  - name: IDeep
    iid: 00000000-0000-0000-0000-000000000003
    base: ILower_case
    methods:
      - {name: QueryInterfaceEx, slot: 8}
      - {name: IFoo, slot: 9}
`

// fmtErrorRE matches what fmt writes for a verb without its argument:
// %!s(MISSING), %!(EXTRA string=...), %!d(string=...).
var fmtErrorRE = regexp.MustCompile(`%!\w?\(`)

// proseSpec is a spec with one interface per prose string, in which every
// field that takes prose holds text(i): OS version names, code docs,
// interface and method docs, parameter docs, meanings of return and status
// codes, and both kinds of note.
func proseSpec(text func(i int) string) []byte {
	type M = map[string]any
	var osVersions, codes, interfaces []M
	for i := range hostileProse {
		osVersions = append(osVersions, M{"id": fmt.Sprintf("os%d", i), "name": text(i), "version": fmt.Sprintf("5.%d", i)})
	}
	last := fmt.Sprintf("os%d", len(hostileProse)-1)
	codes = append(codes,
		M{"name": "S_OK", "value": 0, "doc": "Success."},
		M{"name": "E_UNEXPECTED", "value": uint32(0x8000FFFF), "doc": "Unexpected failure."},
	)
	for i := range hostileProse {
		codes = append(codes,
			M{"name": fmt.Sprintf("PROSE_E_%d", i), "value": 0x80041000 + uint32(i), "doc": text(i)},
			M{"name": fmt.Sprintf("PROSE_S_%d", i), "value": 0x00041000 + uint32(i), "doc": text(i)},
			M{"name": fmt.Sprintf("PROSE_E_ALIAS_%d", i), "value": 0x80041000 + uint32(i), "alias_of": fmt.Sprintf("PROSE_E_%d", i), "doc": text(i)},
		)
		interfaces = append(interfaces, M{
			"name":   fmt.Sprintf("IProse%d", i),
			"iid":    fmt.Sprintf("00000000-0000-0000-0000-%012x", i+1),
			"base":   "IUnknown",
			"header": "prose.h",
			"doc":    text(i),
			"methods": []M{{
				"name": "Call",
				"slot": 3,
				"doc":  text(i),
				"params": []M{
					{"name": "dwIn", "dir": "in", "type": "DWORD", "doc": text(i)},
					{"name": "pStatus", "dir": "out", "type": "HRESULT", "doc": text(i)},
					{"name": "pReserved", "dir": "out", "type": "INT", "reserved": true, "doc": text(i)},
				},
				"status_codes": []M{{"code": fmt.Sprintf("PROSE_S_%d", i), "meaning": text(i)}},
				"returns": []M{
					{"code": "S_OK", "meaning": text(i)},
					{"code": fmt.Sprintf("PROSE_S_%d", i), "meaning": text(i)},
					{"code": fmt.Sprintf("PROSE_E_%d", i), "meaning": text(i), "notes": []M{
						{"before": last, "returns_instead": "E_UNEXPECTED", "text": text(i)},
						{"on": []string{"os0", last}, "text": text(i)},
					}},
				},
				"notes": []M{{"on": []string{fmt.Sprintf("os%d", i)}, "text": text(i)}},
			}},
		})
	}
	data, err := yaml.Marshal(M{"package": "vss", "os_versions": osVersions, "hresults": codes, "interfaces": interfaces})
	if err != nil {
		panic(err)
	}
	return data
}

// proseCodes lists the PROSE_E_ codes of the spec in the order of hostileProse.
func proseCodes(m *model.Spec) []*model.HRESULT {
	byName := map[string]*model.HRESULT{}
	for _, h := range m.HRESULTs {
		byName[h.Name] = h
	}
	var out []*model.HRESULT
	for i := range hostileProse {
		out = append(out, byName[fmt.Sprintf("PROSE_E_%d", i)])
	}
	return out
}

// directiveRE matches the comments the Go toolchain reads as instructions.
var directiveRE = regexp.MustCompile(`^(//go:|//line |/\*line |//export |//extern |//\s*\+build)`)

// checkGoInert compares a Go file generated from hostile prose with the one
// from plain prose: both must parse, hold the same tokens once comments are
// dropped and string literals blanked, and carry the same directives.
func checkGoInert(t *testing.T, name string, hostile, plain []byte) {
	t.Helper()
	fset := token.NewFileSet()
	hf, err := parser.ParseFile(fset, name, hostile, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("does not parse: %v", err)
	}
	pf, err := parser.ParseFile(fset, name, plain, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("the plain version does not parse: %v", err)
	}
	if diff := cmp.Diff(goTokens(t, plain), goTokens(t, hostile)); diff != "" {
		t.Errorf("prose changed the code, not only comments and string contents (-plain +hostile):\n%s", diff)
	}
	directives := func(f *ast.File) []string {
		var out []string
		for _, g := range f.Comments {
			for _, c := range g.List {
				if directiveRE.MatchString(c.Text) {
					out = append(out, c.Text)
				}
			}
		}
		return out
	}
	if diff := cmp.Diff(directives(pf), directives(hf)); diff != "" {
		t.Errorf("prose changed the directives (-plain +hostile):\n%s", diff)
	}
	if diff := cmp.Diff(topLevelNames(t, name, plain), topLevelNames(t, name, hostile)); diff != "" {
		t.Errorf("prose changed the declarations (-plain +hostile):\n%s", diff)
	}
}

// goTokens lists src's tokens without comments, with the contents of string
// and character literals blanked and automatic semicolons made explicit.
func goTokens(t *testing.T, src []byte) []string {
	t.Helper()
	var s scanner.Scanner
	fset := token.NewFileSet()
	var errs []string
	s.Init(fset.AddFile("", -1, len(src)), src, func(pos token.Position, msg string) {
		errs = append(errs, fmt.Sprintf("%s: %s", pos, msg))
	}, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.STRING, token.CHAR:
			lit = tok.String()
		case token.SEMICOLON:
			lit = ";"
		}
		out = append(out, tok.String()+" "+lit)
	}
	if len(errs) > 0 {
		t.Fatalf("scanning: %s", strings.Join(errs, "; "))
	}
	return out
}

// checkMarkdownInert compares Markdown generated from hostile prose with the
// plain version line by line: every line must keep its block kind (heading,
// list item, table row, fence, HTML comment, paragraph) and hold as many
// unescaped markup characters as the plain line does.
func checkMarkdownInert(t *testing.T, hostile, plain string) {
	t.Helper()
	hl, pl := strings.Split(hostile, "\n"), strings.Split(plain, "\n")
	if len(hl) != len(pl) {
		t.Fatalf("prose changed the number of lines: %d, want %d", len(hl), len(pl))
	}
	for i := range hl {
		if h, p := markdownShape(hl[i]), markdownShape(pl[i]); h != p {
			t.Errorf("line %d: prose changed the Markdown structure: %s, want %s\nhostile: %.200q\nplain:   %.200q", i+1, h, p, hl[i], pl[i])
		}
	}
}

var (
	mdListRE   = regexp.MustCompile(`^ {0,3}([-+*]|\d{1,9}[.)])( |$)`)
	mdRuleRE   = regexp.MustCompile(`^ {0,3}(([-*_=])\s*){3,}$`)
	mdHeadRE   = regexp.MustCompile(`^ {0,3}#{1,6}( |$)`)
	mdFenceRE  = regexp.MustCompile("^ {0,3}(```|~~~)")
	mdIndentRE = regexp.MustCompile(`^( {4}|\t)`)
)

// markdownShape describes the structure of one Markdown line: its block kind
// and how many of each markup character it holds unescaped.
func markdownShape(line string) string {
	kind := "paragraph"
	switch {
	case line == "":
		kind = "blank"
	case strings.HasPrefix(line, "<!--"):
		kind = "html comment"
	case mdFenceRE.MatchString(line):
		kind = "fence"
	case mdHeadRE.MatchString(line):
		kind = "heading"
	case mdRuleRE.MatchString(line):
		kind = "rule"
	case mdListRE.MatchString(line):
		kind = "list item"
	case strings.HasPrefix(line, "|"):
		kind = "table row"
	case mdIndentRE.MatchString(line):
		kind = "indented code"
	}
	counts := map[rune]int{}
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case strings.ContainsRune("`*_[]<>|&!", r):
			counts[r]++
		}
	}
	return fmt.Sprintf("%s %v", kind, counts)
}

// checkCInert compares C generated from hostile prose with the plain version:
// after the translation phases that come before tokens (trigraphs, line
// splicing), with comments removed and literals blanked, the code lines and
// preprocessor lines must be the same.
func checkCInert(t *testing.T, hostile, plain string) {
	t.Helper()
	h, err := cCodeLines(hostile)
	if err != nil {
		t.Fatalf("hostile C: %v", err)
	}
	p, err := cCodeLines(plain)
	if err != nil {
		t.Fatalf("plain C: %v", err)
	}
	if diff := cmp.Diff(p, h); diff != "" {
		t.Errorf("prose changed the C code or preprocessor lines (-plain +hostile):\n%s", diff)
	}
}

var trigraphs = strings.NewReplacer("??=", "#", "??/", "\\", "??'", "^", "??(", "[", "??)", "]", "??!", "|", "??<", "{", "??>", "}", "??-", "~")

// cCodeLines returns the non-blank lines of C source as a compiler sees them
// once comments are gone and the contents of string and character literals
// blanked, whitespace collapsed.
func cCodeLines(src string) ([]string, error) {
	src = trigraphs.Replace(src)
	src = strings.ReplaceAll(src, "\\\r\n", "")
	src = strings.ReplaceAll(src, "\\\n", "")
	var b strings.Builder
	for i := 0; i < len(src); {
		switch {
		case strings.HasPrefix(src[i:], "//"):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			b.WriteByte(' ')
			i += end
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, errors.New("unterminated block comment")
			}
			// A block comment is one space, but its line breaks still end lines.
			b.WriteString(" " + strings.Repeat("\n", strings.Count(src[i:i+2+end], "\n")))
			i += 2 + end + 2
		case src[i] == '"' || src[i] == '\'':
			q := src[i]
			j := i + 1
			for ; j < len(src) && src[j] != q; j++ {
				if src[j] == '\\' {
					j++
				} else if src[j] == '\n' {
					return nil, errors.New("unterminated literal")
				}
			}
			if j >= len(src) {
				return nil, errors.New("unterminated literal")
			}
			b.WriteString(string(q) + string(q))
			i = j + 1
		default:
			b.WriteByte(src[i])
			i++
		}
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines = append(lines, strings.Join(f, " "))
		}
	}
	return lines, nil
}

// TestControlCharactersInProseAreRefused puts each control and invisible
// format character, written as a YAML escape, into a doc: every one must be
// refused with the position of the doc.
func TestControlCharactersInProseAreRefused(t *testing.T) {
	var refused []rune
	for r := rune(0); r < 0x20; r++ {
		if r != '\t' && r != '\n' {
			refused = append(refused, r)
		}
	}
	for r := rune(0x7f); r < 0xa0; r++ {
		refused = append(refused, r)
	}
	refused = append(refused, '\u00ad', '\u061c', '\u200b', '\u200e', '\u200f', '\u2028', '\u2029',
		'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff')
	for _, r := range refused {
		spec := fmt.Sprintf("package: vss\nhresults:\n  - name: S_OK\n    value: 0\n    doc: \"Suc\\U%08Xcess.\"\n", r)
		_, err := gen.GenerateBytes("ctl.yaml", []byte(spec), gen.Options{})
		want := fmt.Sprintf("ctl.yaml:5:10: hresult S_OK: doc contains the control character %U", r)
		if err == nil || err.Error() != want {
			t.Errorf("%U in a doc: got %v, want %q", r, err, want)
		}
	}
}

// xsysVersion is the version of golang.org/x/sys this module requires.
// repoGoMod is this repository's go.mod, parsed.
func repoGoMod(t *testing.T) *modfile.File {
	t.Helper()
	path := filepath.Join(repoRoot(t), "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// repoGoVersion is the version on this repository's go line.
func repoGoVersion(t *testing.T) string {
	t.Helper()
	f := repoGoMod(t)
	if f.Go == nil {
		t.Fatal("go.mod has no go line")
	}
	return f.Go.Version
}

// xsysVersion is the golang.org/x/sys this repository requires.
func xsysVersion(t *testing.T) string {
	t.Helper()
	for _, r := range repoGoMod(t).Require {
		if r.Mod.Path == "golang.org/x/sys" {
			return r.Mod.Version
		}
	}
	t.Fatal("go.mod does not require golang.org/x/sys")
	return ""
}

// xsysSums are this module's go.sum lines for golang.org/x/sys, so that a
// module in a temporary directory builds from the module cache alone.
func xsysSums(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "golang.org/x/sys ") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// invisibleRanges are the code points of the Unicode property
// Default_Ignorable_Code_Point as DerivedCoreProperties.txt lists them
// (Unicode 14.0; the same from 6.0 to 15.1), with U+2800 BRAILLE PATTERN
// BLANK, which draws as a space without being one. Written out here from
// the Unicode data rather than taken from vssgen, so that the test does not
// check the table against itself.
var invisibleRanges = [][2]rune{
	{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160},
	{0x17B4, 0x17B5}, {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E},
	{0x2060, 0x206F}, {0x2800, 0x2800}, {0x3164, 0x3164}, {0xFE00, 0xFE0F},
	{0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8},
	{0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
}

// TestInvisibleCharactersInProseAreRefused puts every default-ignorable
// code point into a doc: vssgen must refuse each at the doc's position, and
// the schema each one of the Basic Multilingual Plane, which its pattern
// can name. Visible neighbours stay accepted.
func TestInvisibleCharactersInProseAreRefused(t *testing.T) {
	schema := compileSchema(t)
	spec := func(r rune) []byte {
		return []byte(fmt.Sprintf("package: vss\nhresults:\n  - name: S_OK\n    value: 0\n    doc: \"Suc\\U%08Xcess.\"\n", r))
	}
	for _, rg := range invisibleRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			_, err := gen.GenerateBytes("inv.yaml", spec(r), gen.Options{})
			if err == nil || !strings.HasPrefix(err.Error(), "inv.yaml:5:10: hresult S_OK: doc contains the ") || !strings.HasSuffix(err.Error(), fmt.Sprintf(" character %U", r)) {
				t.Errorf("%U in a doc: got %v, want it refused at 5:10", r, err)
			}
			if r <= 0xFFFF && validateYAML(schema, spec(r)) == nil {
				t.Errorf("%U in a doc: the schema accepts it; add it to definitions.text.pattern", r)
			}
		}
	}
	for _, r := range []rune{'é', 'Е', '\u00A0', '\u0300', '\u1161', '\u3165', '\u2801', '\uFFA1'} {
		if _, err := gen.GenerateBytes("vis.yaml", spec(r), gen.Options{}); err != nil {
			t.Errorf("%U in a doc is refused: %v", r, err)
		}
	}
}

// hostilePaths are spec file names written to break out of the header
// lines that name the spec: an HTML comment closed early, C and Go comment
// ends, a line break, bidirectional controls that reorder the line, and
// characters that draw nothing.
var hostilePaths = []string{
	"a--->b<img src=x onerror=alert(1)>c.yaml",
	"a--!>b<img src=x onerror=alert(1)>c.yaml",
	"x*/ int injected; /*y.yaml",
	"line\nfunc init() { panic(1) }\n.yaml",
	"evil\u202eyaml.go\u202c.yaml",
	"iso\u2066late\u2069.yaml",
	"in\u034fvis\u115fible\u3164.yaml",
	"bad\xffutf8.yaml",
	"`code` and \"quotes\" \\.yaml",
}

// TestSpecPathIsInert generates a spec under each hostile file name and
// compares the output with the same spec under a plain name: the name may
// change comments and nothing else, no generated file may hold a character
// that does not show as itself, and REFERENCE.md's header stays one HTML
// comment a line.
func TestSpecPathIsInert(t *testing.T) {
	data, err := os.ReadFile("../spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := gen.GenerateBytes("plain.yaml", data, gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plainByName := map[string][]byte{}
	for _, f := range plain {
		plainByName[f.Name] = f.Data
	}
	for _, name := range hostilePaths {
		files, err := gen.GenerateBytes(name, data, gen.Options{})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		for _, f := range files {
			want := plainByName[f.Name]
			if !utf8.Valid(f.Data) {
				t.Errorf("%q: %s is not UTF-8", name, f.Name)
			}
			for _, r := range string(f.Data) {
				if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || inRanges(r, invisibleRanges)) {
					t.Errorf("%q: %s holds %U", name, f.Name, r)
					break
				}
			}
			t.Run(fmt.Sprintf("%q/%s", name, f.Name), func(t *testing.T) {
				switch path.Ext(f.Name) {
				case ".go":
					checkGoInert(t, f.Name, f.Data, want)
				case ".c", ".h":
					checkCInert(t, string(f.Data), string(want))
				case ".md":
					checkMarkdownHeader(t, string(f.Data))
				default:
					t.Errorf("no check for files like %s: add one", f.Name)
				}
			})
		}
	}
}

// checkMarkdownHeader checks that each header line of REFERENCE.md is one
// whole HTML comment, and that the spec's name in the text stands in a code
// span, where HTML is inert.
func checkMarkdownHeader(t *testing.T, md string) {
	t.Helper()
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if l == "" {
			break
		}
		body, ok := strings.CutPrefix(l, "<!-- ")
		body, ok2 := strings.CutSuffix(body, " -->")
		if !ok || !ok2 || strings.Contains(body, "--") || strings.Contains(body, "-->") {
			t.Errorf("header line %d is not one HTML comment: %q", i+1, l)
		}
	}
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, "Generated from `"); ok {
			code, after, ok := strings.Cut(rest, "`")
			if !ok || !strings.HasPrefix(after, ". ") || strings.Contains(after, "<") {
				t.Errorf("the spec's name does not stand in one code span: %q (code %q)", l, code)
			}
			return
		}
	}
	t.Error(`REFERENCE.md has no "Generated from" line`)
}

func inRanges(r rune, ranges [][2]rune) bool {
	for _, rg := range ranges {
		if rg[0] <= r && r <= rg[1] {
			return true
		}
	}
	return false
}
