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

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Str is a string scalar with its position; Set reports whether the key was present.
type Str struct {
	Value string
	Pos   Pos
	Set   bool
}

// Int is an integer scalar (decimal, 0x hex, 0o octal or 0b binary) with its position.
type Int struct {
	Value int64
	Pos   Pos
	Set   bool
}

// Bool is a boolean scalar with its position.
type Bool struct {
	Value bool
	Pos   Pos
	Set   bool
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

// Struct is a C struct or union.
type Struct struct {
	Pos    Pos
	Name   Str     `yaml:"name"`
	GoName Str     `yaml:"go_name"`
	Header Str     `yaml:"header"`
	Doc    Str     `yaml:"doc"`
	Union  Bool    `yaml:"union"`
	Free   Str     `yaml:"free"`
	Fields []Field `yaml:"fields"`
}

// Field is a member of a struct or union.
type Field struct {
	Pos    Pos
	Name   Str `yaml:"name"`
	GoName Str `yaml:"go_name"`
	Type   Str `yaml:"type"`
	Doc    Str `yaml:"doc"`
}

// Function is an entry point exported by a DLL.
type Function struct {
	Pos     Pos
	Name    Str      `yaml:"name"`
	DLL     Str      `yaml:"dll"`
	Doc     Str      `yaml:"doc"`
	Void    Bool     `yaml:"void"`
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
	Doc     Str    `yaml:"doc"`
	AliasOf Str    `yaml:"alias_of"`
	Notes   []Note `yaml:"notes"`
}

// Interface is one COM interface.
type Interface struct {
	Pos     Pos
	Name    Str      `yaml:"name"`
	IID     Str      `yaml:"iid"`
	Base    Str      `yaml:"base"`
	Header  Str      `yaml:"header"`
	Doc     Str      `yaml:"doc"`
	Methods []Method `yaml:"methods"`
}

// Method is one method of an interface.
type Method struct {
	Pos         Pos
	Name        Str      `yaml:"name"`
	Slot        Int      `yaml:"slot"`
	Doc         Str      `yaml:"doc"`
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
	Doc      Str  `yaml:"doc"`
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

// Bytes loads a spec from data; name is used in problem positions.
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
		return nil, Problems{syntaxProblem(name, err)}
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
		return nil, w.problems
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
// expected key") into a positioned problem. yaml.v3 gives no column for
// syntax errors, so the column is 1.
func syntaxProblem(name string, err error) Problem {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Problem{name, Pos{line, 1}, "YAML syntax error: " + m[2]}
	}
	return Problem{name, Pos{1, 1}, "YAML syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
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
)

// value decodes n into v; what names the value in messages ("field slot").
func (w *walker) value(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		w.errorf(n, "%s: YAML anchors and aliases are not supported in a spec", what)
		return
	}
	switch v.Type() {
	case strType:
		if s, ok := w.scalar(n, what, "a string"); ok {
			if n.Tag != "!!str" {
				w.errorf(n, "%s: expected a string, found %s %q (quote it)", what, kindName(n), n.Value)
				return
			}
			v.Set(reflect.ValueOf(Str{s, Pos{n.Line, n.Column}, true}))
		}
		return
	case intType:
		if s, ok := w.scalar(n, what, "an integer"); ok {
			i, err := parseInt(n, s)
			if err != nil {
				w.errorf(n, "%s: %v", what, err)
				return
			}
			v.Set(reflect.ValueOf(Int{i, Pos{n.Line, n.Column}, true}))
		}
		return
	case boolType:
		if s, ok := w.scalar(n, what, "true or false"); ok {
			if n.Tag != "!!bool" || (s != "true" && s != "false") {
				w.errorf(n, "%s: expected true or false, found %q", what, s)
				return
			}
			v.Set(reflect.ValueOf(Bool{s == "true", Pos{n.Line, n.Column}, true}))
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
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			w.value(item, s.Index(i), fmt.Sprintf("%s[%d]", what, i))
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
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type == posType {
			v.Field(i).Set(reflect.ValueOf(Pos{n.Line, n.Column}))
			continue
		}
		key := f.Tag.Get("yaml")
		fields[key] = i
		known = append(known, key)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.errorf(k, "%s: keys must be plain words", what)
			continue
		}
		idx, ok := fields[k.Value]
		if !ok {
			w.errorf(k, "%s: unknown field %q (known fields: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if seen[k.Value] {
			w.errorf(k, "%s: field %q appears twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		w.value(val, v.Field(idx), "field "+k.Value)
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
