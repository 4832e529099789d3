// Package load reads a vssgen spec file into raw structs that remember where
// every value stood in the file, so that later stages can report problems as
// "file:line:col: message".
//
// The YAML is parsed by gopkg.in/yaml.v3 into a node tree and then mapped onto
// the raw structs by a small reflective walker instead of yaml.v3's decoder:
// the decoder stops at the first type error, reports lines without columns and
// cannot keep a position for every scalar. The walker rejects unknown fields,
// duplicate keys, anchors and aliases, and collects every problem at once.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxSpecSize is the largest spec file accepted. The flagship spec is about
// 100 KiB; a limit keeps a stray multi-gigabyte file from exhausting memory.
const MaxSpecSize = 8 << 20

// Pos is a position in the spec file; Line and Col count from 1.
type Pos struct {
	Line, Col int
}

// Problem is one positioned problem in a spec file.
type Problem struct {
	File string
	Pos  Pos
	Msg  string
}

func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Pos.Line, p.Pos.Col, p.Msg)
}

// Problems is every problem found in a spec, in file order. It is the error
// type returned by the load and model stages.
type Problems []Problem

// MaxListed is how many problems Error lists. A spec with thousands of
// problems is usually one mistake repeated (or not a spec at all); the first
// thousand show it, and a count says how many more there are.
const MaxListed = 1000

// Error lists the problems one a line, at most MaxListed of them, followed
// by a line that counts the rest.
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps[:min(len(ps), MaxListed)] {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	if more := len(ps) - MaxListed; more > 0 {
		fmt.Fprintf(&b, "\n… and %d more problems", more)
	}
	return b.String()
}

// Str is a string scalar with its position; Set reports whether the key was
// present with a value of the right kind. Bad reports that the key was
// present but its value was refused, or that a misspelt key stood for it;
// the problem is reported already, so later stages stay quiet about it.
type Str struct {
	Value string
	Pos   Pos
	Set   bool
	Bad   bool // given, but its value was refused (and reported)
}

// Int is an integer scalar (decimal, 0x hex, 0o octal or 0b binary) with its position.
type Int struct {
	Value int64
	Pos   Pos
	Set   bool
	Bad   bool // given, but its value was refused (and reported)
}

// Bool is a boolean scalar with its position.
type Bool struct {
	Value bool
	Pos   Pos
	Set   bool
	Bad   bool // given, but its value was refused (and reported)
}

// Spec is the raw top level of a spec file.
type Spec struct {
	Pos        Pos
	Package    Str         `yaml:"package"`
	OSVersions []OSVersion `yaml:"os_versions"`
	HRESULTs   []HRESULT   `yaml:"hresults"`
	Enums      []Enum      `yaml:"enums"`
	Structs    []Struct    `yaml:"structs"`
	Interfaces []Interface `yaml:"interfaces"`
	Functions  []Function  `yaml:"functions"`
	DLLs       []DLL       `yaml:"dlls"`
}

// DLL states what holds for every function of one DLL.
type DLL struct {
	Pos     Pos
	Refused Keys
	Name    Str `yaml:"name"`
	// RefusesWOW64 says why the DLL's functions must not be called in a
	// 32-bit process on 64-bit Windows; absent, they may be.
	RefusesWOW64 Str `yaml:"refuses_wow64"`
}

// Enum is an enum or flag set.
type Enum struct {
	Pos    Pos
	Name   Str         `yaml:"name"`
	Header Str         `yaml:"header"`
	Doc    Str         `yaml:"doc"`
	Flags  Bool        `yaml:"flags"`
	Values []EnumValue `yaml:"values"`
}

// EnumValue is one constant of an enum.
type EnumValue struct {
	Pos         Pos
	Name        Str  `yaml:"name"`
	Value       Int  `yaml:"value"`
	Doc         Str  `yaml:"doc"`
	Combination Bool `yaml:"combination"`
}

// Keys are the keys of a mapping whose values were refused, or that a
// misspelt key stood for; the problem is reported already.
type Keys map[string]bool

// Struct is a C struct or union.
type Struct struct {
	Pos     Pos
	Refused Keys
	Name    Str     `yaml:"name"`
	GoName  Str     `yaml:"go_name"`
	Header  Str     `yaml:"header"`
	Doc     Str     `yaml:"doc"`
	Union   Bool    `yaml:"union"`
	Free    Str     `yaml:"free"`
	Fields  []Field `yaml:"fields"`
}

// Field is a member of a struct or union.
type Field struct {
	Pos    Pos
	Name   Str `yaml:"name"`
	GoName Str `yaml:"go_name"`
	Type   Str `yaml:"type"`
	// Free names the function that frees what the callee allocated for
	// this field: CoTaskMemFree or SysFreeString.
	Free Str `yaml:"free"`
	Doc  Str `yaml:"doc"`
}

// Function is an entry point exported by a DLL.
type Function struct {
	Pos     Pos
	Name    Str      `yaml:"name"`
	DLL     Str      `yaml:"dll"`
	Header  Str      `yaml:"header"`
	Doc     Str      `yaml:"doc"`
	Void    Bool     `yaml:"void"`
	Result  Str      `yaml:"result"`
	Params  []Param  `yaml:"params"`
	Returns []Return `yaml:"returns"`
	// ReturnsUndocumented says why the function lists no return codes.
	ReturnsUndocumented Str `yaml:"returns_undocumented"`
}

// OSVersion is one entry of the ordered os_versions table.
type OSVersion struct {
	Pos     Pos
	ID      Str `yaml:"id"`
	Name    Str `yaml:"name"`
	Version Str `yaml:"version"`
}

// HRESULT is one entry of the hresults table.
type HRESULT struct {
	Pos     Pos
	Name    Str    `yaml:"name"`
	Value   Int    `yaml:"value"`
	Header  Str    `yaml:"header"`
	Doc     Str    `yaml:"doc"`
	AliasOf Str    `yaml:"alias_of"`
	Notes   []Note `yaml:"notes"`
}

// Interface is one COM interface.
type Interface struct {
	Pos           Pos
	Name          Str       `yaml:"name"`
	IID           Str       `yaml:"iid"`
	Base          Str       `yaml:"base"`
	Header        Str       `yaml:"header"`
	Doc           Str       `yaml:"doc"`
	ReservedSlots []Int     `yaml:"reserved_slots"`
	Available     Available `yaml:"available"`
	SecondaryBase Str       `yaml:"secondary_base"`
	Methods       []Method  `yaml:"methods"`
}

// Available says from which Windows release on an interface exists.
type Available struct {
	Pos   Pos
	Since Str `yaml:"since"`
	Text  Str `yaml:"text"`
}

// Method is one method of an interface.
type Method struct {
	Pos         Pos
	Name        Str      `yaml:"name"`
	GoName      Str      `yaml:"go_name"` // the Go method's name, when not Name
	Slot        Int      `yaml:"slot"`
	Doc         Str      `yaml:"doc"`
	Result      Str      `yaml:"result"`
	Params      []Param  `yaml:"params"`
	Returns     []Return `yaml:"returns"`
	StatusCodes []Return `yaml:"status_codes"`
	Notes       []Note   `yaml:"notes"`
	// ReturnsUndocumented says why the method lists no return codes.
	ReturnsUndocumented Str `yaml:"returns_undocumented"`
}

// Param is one parameter of a method, after the implicit this pointer.
type Param struct {
	Pos      Pos
	Name     Str  `yaml:"name"`
	Dir      Str  `yaml:"dir"`
	Type     Str  `yaml:"type"`
	By       Str  `yaml:"by"`
	Enum     Str  `yaml:"enum"`
	Reserved Bool `yaml:"reserved"`
	Optional Bool `yaml:"optional"`
	// Length and Free describe an out buffer the callee allocates: the
	// out-parameter that receives its length, and the function that frees it.
	Length Str `yaml:"length"`
	Free   Str `yaml:"free"`
	Doc    Str `yaml:"doc"`
}

// Return is a documented return code of a method, or a documented status code
// delivered through an out-parameter. Notes is nil when the key is absent, so
// the code's own notes apply, and non-nil (perhaps empty) when the method
// gives notes of its own in their place.
type Return struct {
	Pos     Pos
	Code    Str    `yaml:"code"`
	Meaning Str    `yaml:"meaning"`
	Via     Str    `yaml:"via"`
	Notes   []Note `yaml:"notes"`
}

// Note is an OS-version note from Microsoft's documentation.
type Note struct {
	Pos            Pos
	Refused        Keys
	Before         Str   `yaml:"before"`
	On             []Str `yaml:"on"`
	Text           Str   `yaml:"text"`
	ReturnsInstead Str   `yaml:"returns_instead"`
}

// File reads and loads the spec at path. Problems are reported with path as
// given, so messages match what the user typed.
//
// Only a regular file (or a link to one) is read: a named pipe, device or
// directory is refused before it is opened, so that a pipe nobody writes to
// cannot make vssgen wait forever, and /dev/zero cannot fill memory.
func File(path string) (*Spec, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(path, info); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file opened must still be the one checked.
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(path, info); err != nil {
		return nil, err
	}
	// Read one byte past the limit to tell "at the limit" from "over it".
	data, err := io.ReadAll(io.LimitReader(f, MaxSpecSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Bytes(path, data)
}

// regular refuses a spec that is not a regular file, naming what it is.
func regular(path string, info os.FileInfo) error {
	m := info.Mode()
	what := ""
	switch {
	case m.IsRegular():
		return nil
	case m&os.ModeNamedPipe != 0:
		what = "a named pipe"
	case m&os.ModeSocket != 0:
		what = "a socket"
	case m&os.ModeDevice != 0:
		what = "a device"
	case m.IsDir():
		what = "a directory"
	default:
		what = "not a regular file"
	}
	return fmt.Errorf("%s is %s; vssgen reads a spec only from a regular file", path, what)
}

// Bytes loads a spec from data; name is used in problem positions. When the
// file is a YAML mapping but some of it does not fit the format (an unknown
// field, a value of the wrong kind), Bytes returns the spec as far as it
// could be read together with the problems, so that the model stage can
// report its problems with them: every problem of a spec at once.
func Bytes(name string, data []byte) (*Spec, error) {
	if len(data) > MaxSpecSize {
		return nil, Problems{{name, Pos{1, 1}, fmt.Sprintf("spec is larger than the %d MiB limit", MaxSpecSize>>20)}}
	}
	if !utf8.Valid(data) {
		return nil, Problems{{name, invalidUTF8Pos(data), "spec is not valid UTF-8"}}
	}
	if ps := controlChars(name, data); len(ps) > 0 {
		return nil, ps
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{{name, Pos{1, 1}, "spec is empty"}}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err == io.EOF {
		return nil, Problems{{name, Pos{1, 1}, "spec is empty (it holds only comments)"}}
	} else if err != nil {
		return nil, Problems{syntaxProblem(name, data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Problems{{name, Pos{extra.Line, extra.Column}, "spec holds more than one YAML document"}}
	}
	w := &walker{file: name}
	var spec Spec
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	w.value(root, reflect.ValueOf(&spec).Elem(), "spec")
	if len(w.problems) > 0 {
		if root.Kind != yaml.MappingNode {
			return nil, w.problems
		}
		// The spec as far as it could be read, so that the model stage
		// reports its problems together with these.
		return &spec, w.problems
	}
	return &spec, nil
}

// maxControlProblems caps the problems reported for control characters, so
// that a binary file gives a screenful rather than a line per byte.
const maxControlProblems = 10

// controlChars reports the characters YAML does not allow in a file: the C0
// and C1 controls other than tab, line feed, carriage return and NEL, and
// DEL. yaml.v3 refuses them too, but without saying where.
func controlChars(name string, data []byte) Problems {
	var ps Problems
	line, col := 1, 1
	for _, r := range string(data) {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case r == '\t' || r == '\r' || r == '\u0085':
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			if len(ps) == maxControlProblems {
				return append(ps, Problem{name, Pos{line, col}, fmt.Sprintf("more control characters follow; only the first %d are listed", maxControlProblems)})
			}
			ps = append(ps, Problem{name, Pos{line, col}, fmt.Sprintf("spec contains the control character %U, which YAML does not allow", r)})
		}
		col++
	}
	return ps
}

// invalidUTF8Pos finds the line and column of the first byte that is not UTF-8.
func invalidUTF8Pos(data []byte) Pos {
	line, col := 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return Pos{line, col}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml.v3 parse error ("yaml: line 3: did not find
// expected key") into a positioned problem at the place the problem is.
//
// yaml.v3 names the line of the construct it was reading rather than of the
// offending character: for a scanner error (a tab, a stray character) the
// line where the scalar or key being scanned began, which may be lines
// before the tab; for a parser error (a key at the wrong indentation, an
// unclosed flow collection) the line before the one where the enclosing
// list or mapping began, since it prints that mark counting from 0. It gives
// no column. So the position is found again in the text: the tab itself,
// or the line from which the text stops being YAML.
func syntaxProblem(name string, data []byte, err error) Problem {
	msg := err.Error()
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return Problem{name, Pos{1, 1}, "YAML syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	msg = m[2]
	pos := Pos{line, 1}
	lines := strings.SplitAfter(string(data), "\n")
	switch {
	case strings.Contains(msg, "tab character"):
		// A tab where indentation is expected: the first tab in the
		// indentation of a line at or after the one yaml.v3 names.
		if p, ok := findTab(lines, line, true); ok {
			pos = p
		}
	case msg == "found character that cannot start any token":
		// yaml.v3 names the right line; a tab is the usual culprit.
		if p, ok := findTab(lines[:min(line, len(lines))], line, false); ok {
			pos = p
		}
	case strings.HasPrefix(msg, "did not find expected"):
		pos = parserProblemPos(lines, line+1, msg)
		if pos.Line == len(lines) && strings.TrimSpace(lines[len(lines)-1]) == "" {
			msg += " before the end of the file"
		}
	}
	return Problem{name, pos, "YAML syntax error: " + msg}
}

// findTab finds the first tab on line from (counting from 1) or after it;
// inIndent limits the search to tabs that only blanks precede on their line.
func findTab(lines []string, from int, inIndent bool) (Pos, bool) {
	for i := max(from-1, 0); i < len(lines); i++ {
		col := 1
		for _, r := range lines[i] {
			if r == '\t' {
				return Pos{i + 1, col}, true
			}
			if inIndent && r != ' ' {
				break
			}
			col++
		}
	}
	return Pos{}, false
}

// parseBudget bounds the bytes parserProblemPos parses to find a problem.
const parseBudget = 32 << 20

// parserProblemPos finds where a parser error lies, given the line where
// the enclosing collection begins: the first line whose addition makes the
// text fail to parse with the same message. Lines before the problem parse
// on their own as long as no cut falls inside a multi-line flow collection
// or quoted string, so a binary search finds it; a result that does not
// hold up falls back to the collection's first line.
func parserProblemPos(lines []string, start int, msg string) Pos {
	start = min(max(start, 1), len(lines))
	firstCol := func(line int) Pos {
		col := 1
		for _, r := range lines[line-1] {
			if r != ' ' && r != '\t' {
				break
			}
			col++
		}
		return Pos{line, col}
	}
	// The search parses at most parseBudget bytes in all, so that a
	// syntax error deep in a spec of several MiB costs seconds at most;
	// past it, the collection's first line has to do.
	budget := parseBudget
	prefixErr := func(n int) error {
		var doc yaml.Node
		text := strings.Join(lines[:n], "")
		budget -= len(text)
		err := yaml.NewDecoder(strings.NewReader(text)).Decode(&doc)
		if err == io.EOF {
			return nil
		}
		return err
	}
	lo, hi := start-1, len(lines) // lines[:lo] parse (assumed), lines[:hi] do not
	if prefixErr(lo) != nil {
		return firstCol(start)
	}
	for hi-lo > 1 {
		if budget < 0 {
			return firstCol(start)
		}
		mid := (lo + hi) / 2
		if prefixErr(mid) == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	if err := prefixErr(hi); err == nil || !strings.HasSuffix(err.Error(), ": "+msg) {
		return firstCol(start)
	}
	return firstCol(hi)
}

// walker maps a yaml.v3 node tree onto the raw structs.
type walker struct {
	file     string
	problems Problems
}

func (w *walker) errorf(n *yaml.Node, format string, args ...any) {
	w.problems = append(w.problems, Problem{w.file, Pos{n.Line, n.Column}, fmt.Sprintf(format, args...)})
}

var (
	posType  = reflect.TypeOf(Pos{})
	strType  = reflect.TypeOf(Str{})
	intType  = reflect.TypeOf(Int{})
	boolType = reflect.TypeOf(Bool{})
	keysType = reflect.TypeOf(Keys{})
)

// value decodes n into v; what names the value in messages ("field slot").
// It reports whether the value was taken; a refused scalar is marked Bad.
func (w *walker) value(n *yaml.Node, v reflect.Value, what string) bool {
	before := len(w.problems)
	w.decode(n, v, what)
	if len(w.problems) == before {
		return true
	}
	markBad(v, Pos{n.Line, n.Column})
	return false
}

// markBad marks a scalar whose value was refused, or that a misspelt key
// stood for, so that the model stage does not call it missing.
func markBad(v reflect.Value, p Pos) {
	switch v.Type() {
	case strType:
		v.Set(reflect.ValueOf(Str{Pos: p, Bad: true}))
	case intType:
		v.Set(reflect.ValueOf(Int{Pos: p, Bad: true}))
	case boolType:
		v.Set(reflect.ValueOf(Bool{Pos: p, Bad: true}))
	}
}

func (w *walker) decode(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		w.errorf(n, "%s: YAML anchors and aliases are not supported in a spec", what)
		return
	}
	if n.Style&yaml.TaggedStyle != 0 {
		// An explicit tag changes what a value is (!!str 3 is a string,
		// !!float 4 a number with a fraction) where the reader sees a
		// plain value; a spec's values have one kind each, so say it plainly.
		w.errorf(n, "%s: YAML tags such as %s are not supported in a spec; write the value without it", what, n.Tag)
		return
	}
	switch v.Type() {
	case strType:
		if s, ok := w.scalar(n, what, "a string"); ok {
			if n.Tag != "!!str" {
				w.errorf(n, "%s: expected a string, found %s %q (quote it)", what, kindName(n), n.Value)
				return
			}
			v.Set(reflect.ValueOf(Str{Value: s, Pos: Pos{n.Line, n.Column}, Set: true}))
		}
		return
	case intType:
		if s, ok := w.scalar(n, what, "an integer"); ok {
			i, err := parseInt(n, s)
			if err != nil {
				w.errorf(n, "%s: %v", what, err)
				return
			}
			v.Set(reflect.ValueOf(Int{Value: i, Pos: Pos{n.Line, n.Column}, Set: true}))
		}
		return
	case boolType:
		if s, ok := w.scalar(n, what, "true or false"); ok {
			if n.Tag != "!!bool" || (s != "true" && s != "false") {
				w.errorf(n, "%s: expected true or false, found %q", what, s)
				return
			}
			v.Set(reflect.ValueOf(Bool{Value: s == "true", Pos: Pos{n.Line, n.Column}, Set: true}))
		}
		return
	}
	switch v.Kind() {
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			// "key:" with nothing after it is an empty list, and a present
			// one: non-nil, as for "key: []".
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		if n.Kind != yaml.SequenceNode {
			w.errorf(n, "%s: expected a list, found %s", what, kindName(n))
			return
		}
		// An entry refused as a whole (an alias, a scalar where a mapping
		// belongs) is left out, so that later stages do not report it
		// again as an entry with every field missing. A refused scalar
		// stays, marked Bad, so that later stages know something stood
		// there (a reserved slot, say, whose absence would look like a gap).
		s := reflect.MakeSlice(v.Type(), 0, len(n.Content))
		for i, item := range n.Content {
			e := reflect.New(v.Type().Elem()).Elem()
			ok := w.value(item, e, fmt.Sprintf("%s[%d]", what, i))
			scalar := e.Type() == strType || e.Type() == intType || e.Type() == boolType
			// A mapping refused for its tag was never read, so it has no
			// position and is left out like any entry refused as a whole.
			read := item.Kind == yaml.MappingNode && item.Anchor == "" && item.Style&yaml.TaggedStyle == 0
			if ok || scalar || read {
				s = reflect.Append(s, e)
			}
		}
		v.Set(s)
	case reflect.Struct:
		w.mapping(n, v, what)
	default:
		panic("load: unsupported raw field type " + v.Type().String())
	}
}

func (w *walker) scalar(n *yaml.Node, what, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		w.errorf(n, "%s: expected %s, found %s", what, want, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (w *walker) mapping(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind != yaml.MappingNode {
		w.errorf(n, "%s: expected a mapping, found %s", what, kindName(n))
		return
	}
	t := v.Type()
	fields := map[string]int{}
	var known []string
	refused := Keys{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		switch f.Type {
		case posType:
			v.Field(i).Set(reflect.ValueOf(Pos{n.Line, n.Column}))
			continue
		case keysType:
			v.Field(i).Set(reflect.ValueOf(refused))
			continue
		}
		key := f.Tag.Get("yaml")
		fields[key] = i
		known = append(known, key)
	}
	given := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		given[n.Content[i].Value] = true
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.errorf(k, "%s: keys must be plain words", what)
			continue
		}
		if k.Style&yaml.TaggedStyle != 0 {
			w.errorf(k, "%s: key %q: YAML tags such as %s are not supported in a spec; write the key without it", what, k.Value, k.Tag)
			continue
		}
		idx, ok := fields[k.Value]
		if !ok {
			if k.Value == "<<" {
				// A YAML merge key: the fields it would have brought in
				// are not missing, merely refused with it.
				w.errorf(k, "%s: YAML merge keys (<<) are not supported in a spec", what)
				for key, i := range fields {
					if !given[key] {
						markBad(v.Field(i), Pos{k.Line, k.Column})
						refused[key] = true
					}
				}
			} else if near := Suggest(k.Value, known); near != "" {
				w.errorf(k, "%s: unknown field %q; did you mean %s?", what, k.Value, near)
				if !given[near] {
					// The misspelt key stands for the missing one.
					markBad(v.Field(fields[near]), Pos{k.Line, k.Column})
					refused[near] = true
				}
			} else {
				w.errorf(k, "%s: unknown field %q (known fields: %s)", what, k.Value, strings.Join(known, ", "))
			}
			continue
		}
		if seen[k.Value] {
			w.errorf(k, "%s: field %q appears twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if !w.value(val, v.Field(idx), "field "+k.Value) {
			refused[k.Value] = true
		}
	}
}

// intLiteralRE matches the plain YAML integers vssgen accepts: decimal, hex,
// octal and binary, with optional sign and digit separators.
var intLiteralRE = regexp.MustCompile(`^[-+]?(?:0[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0[oO]_*[0-7][0-7_]*|0[bB]_*[01][01_]*|[0-9][0-9_]*)$`)

// parseInt accepts YAML integers written in decimal, hex, octal or binary.
// yaml.v3 resolves these for us (Tag "!!int"), except that it gives up on
// integers past 64 bits and tags them as numbers or strings; those are
// reported as too large rather than as a type error.
func parseInt(n *yaml.Node, s string) (int64, error) {
	literal := n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && intLiteralRE.MatchString(s)
	if n.Tag != "!!int" && !(literal && (n.Tag == "!!float" || n.Tag == "!!str")) {
		return 0, fmt.Errorf("expected an integer, found %s %q", kindName(n), s)
	}
	i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
	switch {
	case err == nil:
		return i, nil
	case errors.Is(err, strconv.ErrRange) || literal:
		return 0, fmt.Errorf("integer %s is too large", s)
	default:
		return 0, fmt.Errorf("expected an integer, found %q", s)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!str":
		return "a string"
	case "!!int":
		return "an integer"
	case "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	}
	return "a " + strings.TrimPrefix(n.Tag, "!!")
}
