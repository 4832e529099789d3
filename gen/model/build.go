package model

import (
	"fmt"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vssgen/vssgen/gen/load"
)

// Build validates a raw spec and returns its model. file names the spec in
// problem positions; source is what generated headers call it. Every problem
// is collected and returned at once as load.Problems, in file order.
func Build(raw *load.Spec, file, source string) (*Spec, error) {
	b := &builder{file: file, spec: &Spec{Source: source}, names: map[string]string{},
		refusedOS: map[string]bool{}, refusedCodes: map[string]bool{}, refusedTypes: map[string]bool{}, types: builtinTypes()}
	b.reserveGenerated()
	b.pkg(raw.Package)
	b.osVersions(raw.OSVersions)
	b.hresults(raw.HRESULTs)
	b.enums(raw.Enums)
	structs := b.declareStructs(raw.Structs)
	its := b.declareInterfaces(raw.Interfaces)
	b.structFields(structs)
	b.interfaceMethods(its)
	b.functions(raw.Functions)
	b.dlls(raw.DLLs)
	b.structFrees(structs)
	b.checkParamShadowing()
	b.checkResultOuts()
	if len(b.problems) > 0 {
		sort.SliceStable(b.problems, func(i, j int) bool {
			pi, pj := b.problems[i].Pos, b.problems[j].Pos
			return pi.Line < pj.Line || pi.Line == pj.Line && pi.Col < pj.Col
		})
		return nil, b.problems
	}
	return b.spec, nil
}

type builder struct {
	file     string
	spec     *Spec
	problems load.Problems
	os       map[string]*OSVersion
	codes    map[string]*HRESULT
	// names maps every package-level Go identifier the emitters will declare
	// to what declares it, so two spec names that become one Go name are caught.
	names map[string]string
	// refusedOS and refusedCodes hold the ids and names of table entries
	// that were declared but refused; references to them are not reported
	// a second time.
	refusedOS, refusedCodes map[string]bool
	// refusedTypes holds the names of enums, structs and interfaces that
	// were refused for their name; parameters and fields of that type are
	// not reported a second time.
	refusedTypes map[string]bool
	// paramPositions are the parameters' names, checked against the
	// package-level names once every declaration is known.
	paramPositions []paramPosition
	// types are the parameter and field types by their SDK names: the
	// built-in ones and the spec's enums, structs and interfaces.
	types map[string]*Type
}

func (b *builder) errorf(p load.Pos, format string, args ...any) {
	b.problems = append(b.problems, load.Problem{File: b.file, Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// Generated names that spec names must not take. They are the fixed
// declarations of the generated package (see gen/emit).
var fixedNames = []string{
	"HRESULT", "Error", "NewError", "Method", "OSVersion", "Documented", "CurrentOSVersion", "ErrWOW64",
	"IUnknown", "IUnknownVtbl", "IID_IUnknown", "IUnknown_QueryInterface", "IUnknown_AddRef", "IUnknown_Release",
	// the generated tests
	"TestHRESULTTable", "TestHRESULTUnknown", "TestHRESULTNoAllocation", "TestHRESULTFormat",
	"TestMethods", "TestDocumented", "TestErrorMatching", "TestEnumStrings",
	"TestStubs", "TestIUnknownStubs", "TestStubOSNotes", "TestCurrentOSVersion", "TestStubAllocations", "BenchmarkStubs",
	"TestDLLFunctions", "TestWaitContext", "TestBSTRNUL",
	// the generated examples
	"ExampleHRESULT", "ExampleNewError", "ExampleIVssAsync_WaitContext", "Example_shadowCopy",
}

func (b *builder) reserveGenerated() {
	for _, n := range fixedNames {
		b.names[n] = "a declaration vssgen always generates"
	}
}

// declare records a package-level Go name; it reports a collision at p.
func (b *builder) declare(p load.Pos, name, what string) {
	if prev, ok := b.names[name]; ok {
		b.errorf(p, "%s: Go name %s is already taken by %s", what, name, prev)
		return
	}
	b.names[name] = what
}

// goName checks that s can name a Go declaration.
func (b *builder) goName(s load.Str, what string) bool {
	switch {
	case !s.Set || s.Value == "":
		return false
	case !isASCIIIdentifier(s.Value) && token.IsIdentifier(s.Value):
		b.errorf(s.Pos, "%s %q holds %U, which is not ASCII: names must be ASCII, so that no look-alike letter of another script passes for the SDK's", what, s.Value, nonASCII(s.Value))
		return false
	case !token.IsIdentifier(s.Value):
		if token.IsKeyword(s.Value) {
			b.errorf(s.Pos, "%s %q is a Go keyword", what, s.Value)
		} else {
			b.errorf(s.Pos, "%s %q is not a Go identifier", what, s.Value)
		}
		return false
	case types.Universe.Lookup(s.Value) != nil:
		b.errorf(s.Pos, "%s %q is a predeclared Go name", what, s.Value)
		return false
	case strings.HasPrefix(s.Value, "_"):
		b.errorf(s.Pos, "%s %q must not start with an underscore (generated helpers do)", what, s.Value)
		return false
	}
	return true
}

// exportedName checks that s can name a declaration of the generated
// package that other packages use: a code, enum, enum value, struct,
// interface, method or function. Those keep the SDK's names, which start
// with an upper-case letter; a lower-case one would make the Go name
// unexported, and the declaration useless outside the package.
func (b *builder) exportedName(s load.Str, what string) bool {
	if !b.goName(s, what) {
		return false
	}
	if !token.IsExported(s.Value) {
		b.errorf(s.Pos, "%s %q must start with an upper-case letter, or the Go name would not be exported", what, s.Value)
		return false
	}
	return true
}

func (b *builder) required(p load.Pos, s load.Str, what string) bool {
	if s.Bad {
		return false // refused by the load stage, which said why
	}
	if !s.Set || strings.TrimSpace(s.Value) == "" {
		b.errorf(p, "%s is required", what)
		return false
	}
	return true
}

// text checks prose that ends up in comments, strings and documents. Line
// breaks and tabs are allowed; other control characters, invisible format
// characters such as the bidirectional overrides that can make a comment
// read differently from what the compiler sees, and the other characters
// that draw nothing are refused (see invisible), so that nothing invisible
// reaches generated files.
func (b *builder) text(s load.Str, what string) string {
	for _, r := range s.Value {
		if kind := invisible(r); kind != "" {
			b.errorf(s.Pos, "%s contains the %s %U", what, kind, r)
			return ""
		}
	}
	return strings.TrimSpace(s.Value)
}

func (b *builder) pkg(s load.Str) {
	if !b.required(load.Pos{Line: 1, Col: 1}, s, "package") {
		return
	}
	if err := CheckPackageName(s.Value); err != nil {
		b.errorf(s.Pos, "package %v", err)
		return
	}
	b.spec.Package = s.Value
}

var osIDRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
var osVersionRE = regexp.MustCompile(`^(\d{1,4})\.(\d{1,4})$`)

func (b *builder) osVersions(raw []load.OSVersion) {
	b.os = map[string]*OSVersion{}
	var prev *OSVersion
	for _, r := range raw {
		ok := b.required(r.Pos, r.ID, "os version id")
		ok = b.required(r.Pos, r.Name, "os version name") && ok
		ok = b.required(r.Pos, r.Version, "os version version") && ok
		if !ok {
			b.refusedOS[r.ID.Value] = true
			continue
		}
		if !osIDRE.MatchString(r.ID.Value) {
			b.errorf(r.ID.Pos, "os version id %q must be lower-case letters, digits and underscores", r.ID.Value)
			b.refusedOS[r.ID.Value] = true
			continue
		}
		m := osVersionRE.FindStringSubmatch(r.Version.Value)
		if m == nil {
			b.errorf(r.Version.Pos, "os version %q must be major.minor, like \"6.1\"", r.Version.Value)
			b.refusedOS[r.ID.Value] = true
			continue
		}
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		o := &OSVersion{ID: r.ID.Value, Name: b.text(r.Name, "os version name"), Major: uint32(major), Minor: uint32(minor)}
		if _, dup := b.os[o.ID]; dup {
			b.errorf(r.ID.Pos, "os version %q is declared twice", o.ID)
			continue
		}
		if prev != nil && !(o.Major > prev.Major || o.Major == prev.Major && o.Minor > prev.Minor) {
			b.errorf(r.Version.Pos, "os version %s (%s) must be newer than %s (%s): the table is ordered oldest first", o.ID, o.Version(), prev.ID, prev.Version())
		}
		b.os[o.ID] = o
		b.spec.OSVersions = append(b.spec.OSVersions, o)
		prev = o
	}
}

func (b *builder) hresults(raw []load.HRESULT) {
	b.codes = map[string]*HRESULT{}
	byValue := map[uint32]*HRESULT{}
	type alias struct {
		h   *HRESULT
		raw load.HRESULT
	}
	var aliases []alias
	isAlias := map[string]bool{}
	for _, r := range raw {
		if r.AliasOf.Set {
			isAlias[r.Name.Value] = true
		}
	}
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "hresult name") || !b.exportedName(r.Name, "hresult name") {
			b.refusedCodes[r.Name.Value] = true
			continue
		}
		name := r.Name.Value
		if !r.Value.Set {
			if !r.Value.Bad {
				b.errorf(r.Pos, "hresult %s: value is required", name)
			}
			b.refusedCodes[name] = true
			continue
		}
		if r.Value.Value < 0 || r.Value.Value > 0xFFFFFFFF {
			b.errorf(r.Value.Pos, "hresult %s: value %s is outside the 32-bit range 0 to 0xFFFFFFFF", name, signedHex(r.Value.Value))
			b.refusedCodes[name] = true
			continue
		}
		h := &HRESULT{Name: name, Value: uint32(r.Value.Value), Header: b.header(r.Header, "hresult "+name)}
		if b.required(r.Pos, r.Doc, "hresult "+name+": doc") {
			h.Doc = b.text(r.Doc, "hresult "+name+": doc")
		}
		if _, dup := b.codes[name]; dup {
			b.errorf(r.Name.Pos, "hresult %s is declared twice", name)
			continue
		}
		b.declare(r.Name.Pos, name, "hresult "+name)
		if want, ok := severityFromName(name); ok && want != h.Failed() {
			if want {
				b.errorf(r.Value.Pos, "hresult %s: the name says failure but %s has the severity bit clear", name, h.Hex())
			} else {
				b.errorf(r.Value.Pos, "hresult %s: the name says success but %s has the severity bit set", name, h.Hex())
			}
		}
		b.codes[name] = h
		if r.AliasOf.Set {
			aliases = append(aliases, alias{h, r})
		} else if other, dup := byValue[h.Value]; dup {
			b.errorf(r.Value.Pos, "hresult %s: value %s is already %s (mark a second name with alias_of)", name, h.Hex(), other.Name)
			continue
		} else {
			byValue[h.Value] = h
		}
		b.spec.HRESULTs = append(b.spec.HRESULTs, h)
	}
	for _, a := range aliases {
		target, ok := b.codes[a.raw.AliasOf.Value]
		switch {
		case !ok:
			b.errorf(a.raw.AliasOf.Pos, "hresult %s: alias_of names unknown code %q", a.h.Name, a.raw.AliasOf.Value)
		case isAlias[target.Name]:
			b.errorf(a.raw.AliasOf.Pos, "hresult %s: alias_of must name a code that is not itself an alias", a.h.Name)
		case target.Value != a.h.Value:
			b.errorf(a.raw.AliasOf.Pos, "hresult %s: value %s differs from %s's %s", a.h.Name, a.h.Hex(), target.Name, target.Hex())
		default:
			a.h.AliasOf = target
		}
	}
	// Notes may name any code of the table in returns_instead, so they are
	// read once the table is complete.
	for _, r := range raw {
		h, ok := b.codes[r.Name.Value]
		if !ok || len(r.Notes) == 0 || h.Notes != nil {
			continue // refused, without notes, or declared twice (reported above)
		}
		h.Notes = []*Note{}
		what := "hresult " + h.Name + ": note"
		for _, n := range r.Notes {
			note := b.note(n, what)
			if note == nil {
				continue
			}
			if note.ReturnsInstead == h {
				b.errorf(n.ReturnsInstead.Pos, "%s: returns_instead names the code itself", what)
				continue
			}
			h.Notes = append(h.Notes, note)
		}
	}
	sort.SliceStable(b.spec.HRESULTs, func(i, j int) bool {
		hi, hj := b.spec.HRESULTs[i], b.spec.HRESULTs[j]
		return hi.Value < hj.Value || hi.Value == hj.Value && hi.Name < hj.Name
	})
}

// signedHex writes v the way a spec usually does: 0x180004005, -0x1.
func signedHex(v int64) string {
	if v < 0 {
		return fmt.Sprintf("-0x%X", uint64(-v))
	}
	return fmt.Sprintf("0x%X", v)
}

// severityFromName reads the convention of the SDK's names: E_ and _E_ name
// failures, S_ and _S_ successes. It reports false when the name follows neither.
func severityFromName(name string) (failed, ok bool) {
	switch {
	case strings.HasPrefix(name, "E_") || strings.Contains(name, "_E_"):
		return true, true
	case strings.HasPrefix(name, "S_") || strings.Contains(name, "_S_"):
		return false, true
	}
	return false, false
}

// headerRE matches the name of a C header, optionally in a subdirectory of
// the include path: vss.h, ddk/ntddk.h.
var headerRE = regexp.MustCompile(`^[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*(?:/[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*)*\.h$`)

var guidRE = regexp.MustCompile(`^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$`)

func parseGUID(s string) (GUID, bool) {
	m := guidRE.FindStringSubmatch(s)
	if m == nil || (strings.HasPrefix(s, "{") != strings.HasSuffix(s, "}")) {
		return GUID{}, false
	}
	var g GUID
	d1, _ := strconv.ParseUint(m[1], 16, 32)
	d2, _ := strconv.ParseUint(m[2], 16, 16)
	d3, _ := strconv.ParseUint(m[3], 16, 16)
	g.Data1, g.Data2, g.Data3 = uint32(d1), uint16(d2), uint16(d3)
	rest := m[4] + m[5]
	for i := range g.Data4 {
		v, _ := strconv.ParseUint(rest[2*i:2*i+2], 16, 8)
		g.Data4[i] = byte(v)
	}
	return g, true
}
