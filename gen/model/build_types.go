package model

import (
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"github.com/vssgen/vssgen/gen/load"
)

// enums builds the enums and flag sets and registers them as types.
func (b *builder) enums(raw []load.Enum) {
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "enum name") || !b.exportedName(r.Name, "enum name") {
			b.refusedTypes[r.Name.Value] = true
			continue
		}
		e := &Enum{Name: r.Name.Value, Flags: r.Flags.Value}
		what := "enum " + e.Name
		if _, dup := b.types[e.Name]; dup {
			b.errorf(r.Name.Pos, "%s: type %s is declared twice", what, e.Name)
			continue
		}
		b.declare(r.Name.Pos, e.Name, what)
		e.Header = b.header(r.Header, what)
		e.Doc = b.text(r.Doc, what+": doc")
		seen := map[int32]string{}
		for _, rv := range r.Values {
			if !b.required(rv.Pos, rv.Name, what+": value name") || !b.exportedName(rv.Name, what+": value name") {
				continue
			}
			v := &EnumValue{Name: rv.Name.Value, Combination: rv.Combination.Value}
			vwhat := what + " value " + v.Name
			b.declare(rv.Name.Pos, v.Name, vwhat)
			v.Doc = b.text(rv.Doc, vwhat+": doc")
			switch {
			case !rv.Value.Set:
				if !rv.Value.Bad {
					b.errorf(rv.Pos, "%s: value is required", vwhat)
				}
				continue
			case rv.Value.Value < -1<<31 || rv.Value.Value > 0xFFFFFFFF:
				b.errorf(rv.Value.Pos, "%s: %d does not fit a 32-bit C enum (-2147483648 to 2147483647, or a bit pattern up to 0xFFFFFFFF)", vwhat, rv.Value.Value)
				continue
			}
			// C enums are 32-bit ints; hex values above 0x7FFFFFFF are their bit patterns.
			v.Value = int32(uint32(rv.Value.Value))
			if other, dup := seen[v.Value]; dup && !e.Flags {
				b.errorf(rv.Value.Pos, "%s: value %d is already %s", vwhat, v.Value, other)
				continue
			}
			seen[v.Value] = v.Name
			e.Values = append(e.Values, v)
		}
		b.spec.Enums = append(b.spec.Enums, e)
		b.types[e.Name] = &Type{C: e.Name, Kind: EnumKind, Go: e.Name, Local: true, Bytes: 4, Signed: true, Enum: e}
	}
}

// header checks a C header file name, which reaches comments and #include lines.
func (b *builder) header(s load.Str, what string) string {
	if !s.Set {
		return ""
	}
	if !headerRE.MatchString(s.Value) {
		b.errorf(s.Pos, "%s: header %q is not a C header file name like vss.h", what, s.Value)
		return ""
	}
	return s.Value
}

type declaredStruct struct {
	s   *Struct
	raw load.Struct
}

// declareStructs registers every struct name first, so fields may refer to
// structs declared later in the file.
func (b *builder) declareStructs(raw []load.Struct) []declaredStruct {
	var out []declaredStruct
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "struct name") || !b.exportedName(r.Name, "struct name") {
			b.refusedTypes[r.Name.Value] = true
			continue
		}
		st := &Struct{Name: r.Name.Value, Union: r.Union.Value}
		what := "struct " + st.Name
		if _, dup := b.types[st.Name]; dup {
			b.errorf(r.Name.Pos, "%s: type %s is declared twice", what, st.Name)
			continue
		}
		b.declare(r.Name.Pos, st.Name, what)
		st.Header = b.header(r.Header, what)
		st.Doc = b.text(r.Doc, what+": doc")
		if r.GoName.Set && b.goName(r.GoName, what+": go_name") {
			if !token.IsExported(r.GoName.Value) {
				b.errorf(r.GoName.Pos, "%s: go_name %q must start with an upper-case letter", what, r.GoName.Value)
			} else {
				st.GoName = r.GoName.Value
				b.declare(r.GoName.Pos, st.GoName, what+" (its Go copy)")
			}
		}
		b.types[st.Name] = &Type{C: st.Name, Kind: StructKind, Go: st.Name, Local: true, Struct: st}
		out = append(out, declaredStruct{st, r})
	}
	return out
}

// structFields resolves the fields of every struct, refuses structs that
// contain themselves, and orders the spec's structs members first.
func (b *builder) structFields(ds []declaredStruct) {
	for _, d := range ds {
		st, what := d.s, "struct "+d.s.Name
		goNames := map[string]bool{}
		for _, rf := range d.raw.Fields {
			if !b.required(rf.Pos, rf.Name, what+": field name") {
				continue
			}
			f := &Field{Name: rf.Name.Value}
			fwhat := what + " field " + f.Name
			if !cIdentRE.MatchString(f.Name) {
				b.errorf(rf.Name.Pos, "%s: %q is not a C identifier", fwhat, f.Name)
				continue
			}
			switch {
			case rf.GoName.Set:
				if !b.goName(rf.GoName, fwhat+": go_name") {
					continue
				}
				if !token.IsExported(rf.GoName.Value) {
					b.errorf(rf.GoName.Pos, "%s: go_name %q must start with an upper-case letter", fwhat, rf.GoName.Value)
					continue
				}
				f.GoName = rf.GoName.Value
			case !token.IsExported(f.Name):
				b.errorf(rf.Name.Pos, "%s: the Go field must be exported; give a go_name that starts with an upper-case letter", fwhat)
				continue
			default:
				f.GoName = f.Name
			}
			if goNames[f.GoName] {
				b.errorf(rf.Name.Pos, "%s: Go field name %s is used twice", fwhat, f.GoName)
				continue
			}
			goNames[f.GoName] = true
			f.Doc = b.text(rf.Doc, fwhat+": doc")
			if !b.required(rf.Pos, rf.Type, fwhat+": type") {
				continue
			}
			if f.Type = b.typeRef(rf.Type, fwhat); f.Type == nil {
				continue
			}
			if f.Type.Kind == InterfaceKind {
				b.errorf(rf.Type.Pos, "%s: interface pointers in structs are not supported; use PVOID", fwhat)
				continue
			}
			if f.Type.Kind == GUIDRef {
				b.errorf(rf.Type.Pos, "%s: %s is a parameter type, the address of a GUID the callee reads; a GUID member is type GUID", fwhat, f.Type.C)
				continue
			}
			st.Fields = append(st.Fields, f)
		}
		if len(st.Fields) == 0 && len(d.raw.Fields) == 0 && !d.raw.Refused["fields"] {
			b.errorf(d.raw.Pos, "%s has no fields", what)
		}
	}
	// Depth-first: a struct after the structs it contains; a cycle is an error.
	state := map[*Struct]int{} // 1 visiting, 2 done
	var visit func(d declaredStruct) bool
	byStruct := map[*Struct]declaredStruct{}
	for _, d := range ds {
		byStruct[d.s] = d
	}
	var path []string // the structs being visited, outermost first
	visit = func(d declaredStruct) bool {
		switch state[d.s] {
		case 1:
			through := path[slices.Index(path, d.s.Name)+1:]
			if len(through) == 0 {
				b.errorf(d.raw.Name.Pos, "struct %s contains itself", d.s.Name)
			} else {
				b.errorf(d.raw.Name.Pos, "struct %s contains itself through %s", d.s.Name, strings.Join(through, ", "))
			}
			return false
		case 2:
			return true
		}
		state[d.s] = 1
		path = append(path, d.s.Name)
		ok := true
		for _, f := range d.s.Fields {
			if f.Type.Kind == StructKind && !visit(byStruct[f.Type.Struct]) {
				ok = false
			}
		}
		path = path[:len(path)-1]
		state[d.s] = 2
		if ok {
			b.spec.Structs = append(b.spec.Structs, d.s)
		}
		return ok
	}
	for _, d := range ds {
		visit(d)
	}
	// Compute every layout now, bases first: the model is read-only once
	// built, and emitters read it concurrently. A struct beyond
	// MaxStructSize is refused; one that contains such a struct says so
	// instead of a size.
	tooLarge := map[*Struct]bool{}
	for _, st := range b.spec.Structs {
		var sizes []string
		same := true
		for _, a := range Arches {
			n := st.Layout(a).Size
			if n > MaxStructSize {
				sizes = append(sizes, fmt.Sprintf("%d bytes on %s", n, a))
			}
			same = same && n == st.Layout(Arches[0]).Size
		}
		if len(sizes) == 0 {
			continue
		}
		if same {
			sizes = []string{fmt.Sprintf("%d bytes on every architecture", st.Layout(Arches[0]).Size)}
		}
		tooLarge[st] = true
		pos, what := byStruct[st].raw.Name.Pos, "struct"
		if st.Union {
			what = "union"
		}
		inner := ""
		for _, f := range st.Fields {
			if f.Type.Kind == StructKind && tooLarge[f.Type.Struct] {
				inner = fmt.Sprintf("member %s is %s, which is too large itself", f.Name, f.Type.Struct.Name)
				break
			}
		}
		if inner != "" {
			b.errorf(pos, "%s %s is larger than the %d bytes (64 KiB) a struct or union may take: %s", what, st.Name, MaxStructSize, inner)
			continue
		}
		b.errorf(pos, "%s %s takes %s, more than the %d bytes (64 KiB) a struct or union may take", what, st.Name, strings.Join(sizes, ", "), MaxStructSize)
	}
}

// functions builds the DLL entry points.
func (b *builder) functions(raw []load.Function) {
	dllKeys := map[string]string{}
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "function name") || !b.exportedName(r.Name, "function name") {
			continue
		}
		m := &Method{Name: r.Name.Value, Void: r.Void.Value, Slot: -1}
		what := m.what()
		if b.required(r.Pos, r.DLL, what+": dll") {
			if dllRE.MatchString(r.DLL.Value) {
				m.DLL = strings.ToLower(r.DLL.Value)
				// The generated variable of a DLL is named after it with - as _.
				key := strings.ReplaceAll(m.DLL, "-", "_")
				if other, ok := dllKeys[key]; ok && other != m.DLL {
					b.errorf(r.DLL.Pos, "%s: dll %s and %s differ only in - and _; name each DLL one way", what, other, m.DLL)
				}
				dllKeys[key] = m.DLL
			} else {
				b.errorf(r.DLL.Pos, "%s: dll %q is not a DLL file name like vssapi.dll", what, r.DLL.Value)
			}
		}
		b.declare(r.Name.Pos, m.Name, what)
		b.declare(r.Name.Pos, m.ID(), what+" (its identifier)")
		m.Header = b.header(r.Header, what)
		m.Doc = b.text(r.Doc, what+": doc")
		result := "result: " + r.Result.Value
		if r.Void.Value && r.Result.Set {
			b.errorf(r.Result.Pos, "%s: give result or void: true, not both (void: true is result: void)", what)
		} else if r.Void.Value {
			result = "void: true"
		}
		b.result(m, r.Result, what)
		b.params(m, r.Params)
		b.checkArgWords(m, r.Name.Pos, what)
		m.Returns = b.returns(m, r.Returns, what+": returns", true)
		m.ReturnsUndocumented = b.undocumented(r.Returns, r.ReturnsUndocumented, what)
		b.checkResultNames(m, r.Params)
		b.checkResultCodes(m, result, r.Returns, r.ReturnsUndocumented, what)
		b.spec.Functions = append(b.spec.Functions, m)
	}
}

// dlls collects the DLLs of the functions, in the order they first appear,
// and gives each what the dlls list states of it.
func (b *builder) dlls(raw []load.DLL) {
	for _, fn := range b.spec.Functions {
		if fn.DLL != "" && b.spec.DLL(fn.DLL) == nil {
			b.spec.DLLs = append(b.spec.DLLs, &DLL{Name: fn.DLL})
		}
	}
	stated := map[string]load.Pos{}
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "dll name") {
			continue
		}
		if !dllRE.MatchString(r.Name.Value) {
			b.errorf(r.Name.Pos, "dll %q is not a DLL file name like vssapi.dll", r.Name.Value)
			continue
		}
		name := strings.ToLower(r.Name.Value)
		what := "dll " + name
		if pos, dup := stated[name]; dup {
			b.errorf(r.Name.Pos, "%s is listed twice in dlls (first at %d:%d)", what, pos.Line, pos.Col)
			continue
		}
		stated[name] = r.Name.Pos
		d := b.spec.DLL(name)
		if d == nil {
			b.errorf(r.Name.Pos, "%s: no function names it as its dll, so what dlls states of it applies to nothing", what)
			continue
		}
		if !r.RefusesWOW64.Set && !r.RefusesWOW64.Bad && !r.Refused["refuses_wow64"] {
			b.errorf(r.Pos, "%s states nothing: give refuses_wow64, or leave it out of dlls", what)
			continue
		}
		if r.RefusesWOW64.Set && strings.TrimSpace(r.RefusesWOW64.Value) == "" {
			b.errorf(r.RefusesWOW64.Pos, "%s: refuses_wow64 is empty; say why the DLL's functions must not run in a 32-bit process on 64-bit Windows", what)
		} else if r.RefusesWOW64.Set {
			d.RefusesWOW64 = OneLine(b.text(r.RefusesWOW64, what+": refuses_wow64"))
		}
	}
}

// fieldFrees resolves the free functions the fields of d name (free: on a
// field) and reports whether any field has one. A field's free applies to a
// string field of a struct that is not a union: CoTaskMemFree to LPCWSTR and
// VSS_PWSZ, SysFreeString to BSTR. The struct needs a go_name for the copy.
func (b *builder) fieldFrees(d declaredStruct) bool {
	byName := map[string]*Field{}
	for _, f := range d.s.Fields {
		byName[f.Name] = f
	}
	found := false
	for _, rf := range d.raw.Fields {
		if !rf.Free.Set {
			continue
		}
		f := byName[rf.Name.Value]
		if f == nil {
			continue // refused already
		}
		what := "struct " + d.s.Name + " field " + f.Name
		kind, ok := FieldFrees[rf.Free.Value]
		switch {
		case d.s.Union:
			b.errorf(rf.Free.Pos, "%s: a union's member cannot name a free function: which member holds what the callee allocated is not known", what)
		case !ok:
			b.errorf(rf.Free.Pos, "%s: free %q is not a function a field can name (CoTaskMemFree for LPCWSTR and VSS_PWSZ, SysFreeString for BSTR)", what, rf.Free.Value)
		case f.Type.Kind != WString && f.Type.Kind != BSTRKind:
			b.errorf(rf.Free.Pos, "%s: free applies to string fields; %s holds nothing the Go copy can take over", what, f.Type.C)
		case f.Type.Kind != kind:
			want := "CoTaskMemFree"
			if f.Type.Kind == BSTRKind {
				want = "SysFreeString"
			}
			b.errorf(rf.Free.Pos, "%s: %s is freed with %s, not %s", what, f.Type.C, want, rf.Free.Value)
		case d.s.GoName == "":
			b.errorf(rf.Free.Pos, "%s: a struct with a field to free needs a go_name for the Go copy that out-parameters return", what)
		default:
			f.Free = rf.Free.Value
			found = true
		}
	}
	return found
}

var cIdentRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var dllRE = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[dD][lL][lL]$`) // ASCII alone: (?i) would let U+017F pass for s and U+212A for k

// structFrees resolves each struct's free function: a DLL function taking
// a pointer to the struct and returning nothing. Stubs call it as
// "_ = Free(&copy)", which compiles only for that shape.
func (b *builder) structFrees(ds []declaredStruct) {
	byName := map[string]*Method{}
	for _, f := range b.spec.Functions {
		byName[f.Name] = f
	}
	for _, d := range ds {
		fieldFrees := b.fieldFrees(d)
		if !d.raw.Free.Set {
			// A field that names a free function, even one refused,
			// explains the go_name.
			named := false
			for _, rf := range d.raw.Fields {
				named = named || rf.Free.Set || rf.Free.Bad
			}
			if d.s.GoName != "" && !d.raw.Free.Bad && !named {
				b.errorf(d.raw.GoName.Pos, "struct %s: go_name names the Go copy made when free is set, on the struct or on a field; set free too", d.s.Name)
			}
			continue
		}
		if fieldFrees {
			b.errorf(d.raw.Free.Pos, "struct %s: free %s frees the whole struct, fields included; drop the fields' free, or the struct's", d.s.Name, d.raw.Free.Value)
			for _, f := range d.s.Fields {
				f.Free = ""
			}
			continue
		}
		f, ok := byName[d.raw.Free.Value]
		switch {
		case !ok:
			b.errorf(d.raw.Free.Pos, "struct %s: free names unknown function %q", d.s.Name, d.raw.Free.Value)
		case len(f.Params) != 1 || f.Params[0].Type.Struct != d.s || !f.Params[0].ByPtr || f.Params[0].Dir != In || f.Params[0].Reserved:
			b.errorf(d.raw.Free.Pos, "struct %s: free function %s must take one %s by pointer (dir: in, by: pointer)", d.s.Name, f.Name, d.s.Name)
		case !f.Void:
			b.errorf(d.raw.Free.Pos, "struct %s: free function %s must return nothing (void: true)", d.s.Name, f.Name)
		case d.s.GoName == "":
			b.errorf(d.raw.Free.Pos, "struct %s: a struct with free needs a go_name for the Go copy that out-parameters return", d.s.Name)
		default:
			d.s.Free = f
		}
	}
}
