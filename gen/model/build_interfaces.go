package model

import (
	"fmt"
	"go/token"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/vssgen/vssgen/gen/load"
)

// unknown is the built-in IUnknown, the root of every interface.
func unknown() *Interface {
	iu := &Interface{
		Name:    "IUnknown",
		IID:     GUID{0, 0, 0, [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}},
		HasIID:  true,
		Header:  "unknwn.h",
		Doc:     "IUnknown is the root of every COM interface: interface discovery and reference counting.",
		Builtin: true,
	}
	for i, name := range []string{"QueryInterface", "AddRef", "Release"} {
		iu.Methods = append(iu.Methods, &Method{Interface: iu, Name: name, Slot: i})
	}
	return iu
}

// declaredInterfaces carries what declareInterfaces learnt to interfaceMethods.
type declaredInterfaces struct {
	root     *Interface
	declared []*Interface
	rawOf    map[*Interface]load.Interface
}

// declareInterfaces names every interface and resolves its base, so that
// parameters anywhere in the spec can refer to any interface.
func (b *builder) declareInterfaces(raw []load.Interface) declaredInterfaces {
	root := unknown()
	byName := map[string]*Interface{root.Name: root}
	byIID := map[GUID]*Interface{root.IID: root}
	rawOf := map[*Interface]load.Interface{}
	var declared []*Interface
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "interface name") {
			continue
		}
		if r.Name.Value == "IUnknown" {
			b.errorf(r.Name.Pos, "IUnknown is built in; interfaces name it as their base")
			continue
		}
		if !b.exportedName(r.Name, "interface name") {
			b.refusedTypes[r.Name.Value] = true
			continue
		}
		if _, dup := byName[r.Name.Value]; dup {
			b.errorf(r.Name.Pos, "interface %s is declared twice", r.Name.Value)
			continue
		}
		it := &Interface{Name: r.Name.Value}
		if r.Header.Set {
			// The header is named in comments and C #include lines, so it
			// must be a plain file name and nothing more.
			if headerRE.MatchString(r.Header.Value) {
				it.Header = r.Header.Value
			} else {
				b.errorf(r.Header.Pos, "interface %s: header %q is not a C header file name like vss.h", it.Name, r.Header.Value)
			}
		}
		it.Doc = b.text(r.Doc, "interface "+it.Name+": doc")
		if a := r.Available; a.Pos != (load.Pos{}) {
			if b.required(a.Pos, a.Since, "interface "+it.Name+": available: since") {
				it.Since = b.osRef(a.Since, "interface "+it.Name+": available: since")
			}
			if b.required(a.Pos, a.Text, "interface "+it.Name+": available: text") {
				it.SinceText = b.text(a.Text, "interface "+it.Name+": available: text")
			}
		}
		b.declare(r.Name.Pos, it.Name, "interface "+it.Name)
		b.declare(r.Name.Pos, it.Name+"Vtbl", "the vtable of interface "+it.Name)
		b.declare(r.Name.Pos, "IID_"+it.Name, "the IID of interface "+it.Name)
		// The C++-only interfaces of vsbackup.h (IVssWMComponent and others)
		// have no IID; the spec says so with iid: none, checked below once
		// the bases are known.
		if r.IID.Set && r.IID.Value != "none" {
			if g, ok := parseGUID(r.IID.Value); !ok {
				b.errorf(r.IID.Pos, "interface %s: iid %q is not a GUID like 507c37b4-cf5b-4e95-b0af-14eb9767467e, or none for an interface that has no IID", it.Name, r.IID.Value)
			} else if other, dup := byIID[g]; dup {
				b.errorf(r.IID.Pos, "interface %s: iid %s is already the IID of %s", it.Name, g, other.Name)
			} else {
				it.IID, it.HasIID = g, true
				byIID[g] = it
			}
		}
		byName[it.Name] = it
		rawOf[it] = r
		declared = append(declared, it)
	}
	// Resolve bases, then refuse cycles before anything walks the chains.
	// An interface whose base is not known is left out of the checks that
	// depend on its base, so that one mistake gives one message.
	unresolved := map[*Interface]bool{}
	for _, it := range declared {
		r := rawOf[it]
		if !b.required(r.Pos, r.Base, "interface "+it.Name+": base") {
			it.Base = root
			unresolved[it] = true
			continue
		}
		if r.Base.Value == "none" {
			// A C++ interface whose vtable starts with its own methods.
			it.Base = nil
			continue
		}
		base, ok := byName[r.Base.Value]
		switch {
		case !ok && strings.EqualFold(r.Base.Value, "none"):
			b.errorf(r.Base.Pos, "interface %s: unknown base interface %q; write none in lower case for an interface that does not start with IUnknown", it.Name, r.Base.Value)
			it.Base = nil // what was meant, so that its slots are judged from 0
			continue
		case !ok && b.refusedTypes[r.Base.Value]:
			it.Base = root // its name is reported already
			unresolved[it] = true
			continue
		case !ok:
			if near := load.Suggest(r.Base.Value, slices.Sorted(maps.Keys(byName))); near != "" {
				b.errorf(r.Base.Pos, "interface %s: unknown base interface %q; did you mean %s?", it.Name, r.Base.Value, near)
			} else {
				b.errorf(r.Base.Pos, "interface %s: unknown base interface %q (name IUnknown, an interface of the spec, or none)", it.Name, r.Base.Value)
			}
			it.Base = root
			unresolved[it] = true
			continue
		}
		it.Base = base
	}
	// Only the members of a cycle are reported; an interface whose chain
	// merely runs into a cycle is fine once the cycle is broken below. Each
	// interface is walked once: a walk stops at an interface an earlier
	// walk has finished.
	cyclic := map[*Interface]bool{}
	state := map[*Interface]int{} // 1 on the current walk, 2 finished
	for _, it := range declared {
		var path []*Interface
		x := it
		for ; x != nil && state[x] == 0; x = x.Base {
			state[x] = 1
			path = append(path, x)
		}
		if x != nil && state[x] == 1 {
			for _, c := range path[slices.Index(path, x):] {
				cyclic[c] = true
			}
		}
		for _, p := range path {
			state[p] = 2
		}
	}
	for _, it := range declared {
		if cyclic[it] {
			b.errorf(rawOf[it].Base.Pos, "interface %s: base chain is cyclic", it.Name)
			it.Base = root
			unresolved[it] = true
		}
	}
	// An interface whose vtable starts with IUnknown's methods can be asked
	// for with QueryInterface, so the generated package needs its IID. A
	// missing iid is far more often forgotten than meant: the interfaces
	// that really have none say so with iid: none.
	for _, it := range declared {
		r := rawOf[it]
		if r.IID.Set || r.IID.Bad || unresolved[it] || !derivesFrom(it, root) {
			continue
		}
		b.errorf(r.Pos, "interface %s: iid is required for an interface derived from IUnknown; write iid: none if it has none, as the C++-only interfaces of vsbackup.h do", it.Name)
	}
	// A secondary base is IUnknown, for an interface whose own chain lacks it.
	for _, it := range declared {
		r := rawOf[it].SecondaryBase
		switch {
		case !r.Set || r.Bad:
		case r.Value != root.Name:
			b.errorf(r.Pos, "interface %s: secondary_base %q: only IUnknown can be a secondary base", it.Name, r.Value)
		case unresolved[it]:
		case derivesFrom(it, root):
			b.errorf(r.Pos, "interface %s: secondary_base IUnknown: the interface has IUnknown in its chain of bases already", it.Name)
		default:
			it.Secondary = root
		}
	}
	// Availability becomes an accessor that asks for the interface with
	// QueryInterface, which needs its IID.
	for _, it := range declared {
		a := rawOf[it].Available
		switch {
		case it.Since == nil || unresolved[it]:
		case !derivesFrom(it, root):
			b.errorf(a.Pos, "interface %s: available needs an interface derived from IUnknown, since vssgen makes it an accessor that calls QueryInterface", it.Name)
		case !it.HasIID && !rawOf[it].IID.Bad:
			b.errorf(a.Pos, "interface %s: available needs the interface's iid, since vssgen makes it an accessor that asks for the interface by its IID", it.Name)
		}
	}
	declared = b.refuseDeepChains(root, declared, rawOf)
	for _, it := range append([]*Interface{root}, declared...) {
		b.types[it.Name] = &Type{C: it.Name, Kind: InterfaceKind, Go: "*" + it.Name, Local: true, Interface: it}
	}
	return declaredInterfaces{root, declared, rawOf}
}

// derivesFrom reports whether base is in it's chain of bases.
func derivesFrom(it, base *Interface) bool {
	for x := it.Base; x != nil; x = x.Base {
		if x == base {
			return true
		}
	}
	return false
}

// interfaceMethods builds the methods of every interface.
func (b *builder) interfaceMethods(d declaredInterfaces) {
	root, declared, rawOf := d.root, d.declared, d.rawOf
	// Slots depend on the base's methods, so build bases first.
	// The vtables' lengths are counted before each interface is built, so
	// that a spec past MaxVtableEntries is refused before the work grows
	// with it.
	done := map[*Interface]bool{root: true}
	length := map[*Interface]int{root: len(root.Methods)} // of each vtable built
	total, over := 0, false
	var build func(it *Interface)
	build = func(it *Interface) {
		if it == nil || done[it] {
			return
		}
		done[it] = true
		build(it.Base)
		if over {
			return
		}
		n := len(rawOf[it].Methods)
		if it.Base != nil {
			n += length[it.Base]
		}
		if total += n; total > MaxVtableEntries {
			b.errorf(rawOf[it].Name.Pos, "interface %s: the vtables of the interfaces up to this one hold %d methods, inherited ones counted in every interface that inherits them, more than the %d vssgen accepts; each is checked and tested in every vtable that holds it",
				it.Name, total, MaxVtableEntries)
			over = true
			return
		}
		b.methods(it, rawOf[it].Methods, rawOf[it].ReservedSlots)
		length[it] = len(it.Methods)
		if it.Base != nil {
			length[it] += length[it.Base]
		}
	}
	for _, it := range declared {
		build(it)
	}
	b.spec.Interfaces = append([]*Interface{root}, sortByBase(declared)...)
	b.spec.DeclaredInterfaces = append([]*Interface{root}, declared...)
}

// sortByBase orders interfaces so that bases come first and siblings by name.
func sortByBase(its []*Interface) []*Interface {
	depths := map[*Interface]int{}
	for _, it := range its {
		depths[it] = len(it.Chain()) // at most MaxBases+2: refuseDeepChains ran
	}
	depth := func(it *Interface) int { return depths[it] }
	out := append([]*Interface(nil), its...)
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := depth(out[i]), depth(out[j])
		return di < dj || di == dj && out[i].Name < out[j].Name
	})
	return out
}

func (b *builder) methods(it *Interface, raw []load.Method, reserved []load.Int) {
	inherited := it.Base.AllMethods()
	// The first slot of the interface's own is one past the base's last
	// valid one (a method's or a reserved one), so a slot refused in the
	// base does not shift every message about this interface.
	first := it.Base.VtableSize()
	names := map[string]bool{}
	goNames := map[string]string{} // Go method name -> the method that has it
	for _, m := range inherited {
		names[m.Name] = true
		goNames[m.GoMethodName()] = "the inherited method " + m.FullName()
	}
	type slotUse struct {
		what string // the method, for messages
		pos  load.Pos
	}
	slots := map[int]slotUse{}
	slotRefused := false
	// takeSlot checks r's slot and takes it. A method refused for its name
	// still takes a valid slot, so that no gap is reported in its place;
	// quiet leaves problems with its slot unreported, as its name already was.
	takeSlot := func(r load.Method, what string, quiet bool) int {
		v := r.Slot.Value
		_, taken := slots[int(v)]
		pos, problem := r.Slot.Pos, ""
		switch {
		case !r.Slot.Set && r.Slot.Bad:
			quiet = true // the load stage said what is wrong with it
		case !r.Slot.Set:
			pos, problem = r.Pos, fmt.Sprintf("%s: slot is required", what)
		case v < 0:
			problem = fmt.Sprintf("%s: slot %d is negative", what, v)
		case v < int64(first):
			problem = fmt.Sprintf("%s: slot %d belongs to the base interface %s (its methods take slots 0 to %d)", what, v, baseName(it), first-1)
		case v > 1023:
			problem = fmt.Sprintf("%s: slot %d is beyond any real vtable", what, v)
		case taken:
			other := slots[int(v)]
			problem = fmt.Sprintf("%s: slot %d is taken twice: %s has it too, at %d:%d", what, v, other.what, other.pos.Line, other.pos.Col)
		default:
			slots[int(v)] = slotUse{what, r.Slot.Pos}
			return int(v)
		}
		slotRefused = true
		if !quiet {
			b.errorf(pos, "%s", problem)
		}
		return 0
	}
	for _, r := range raw {
		if !b.required(r.Pos, r.Name, "method name") || !b.exportedName(r.Name, "method name") {
			takeSlot(r, "a method of "+it.Name, true)
			continue
		}
		m := &Method{Interface: it, Name: r.Name.Value}
		what := "method " + m.FullName()
		if names[m.Name] {
			b.errorf(r.Name.Pos, "%s is declared twice (or hides an inherited method)", what)
			takeSlot(r, what, true)
			continue
		}
		// The Go type of an interface embeds its base and its vtable struct
		// embeds the base's vtable struct (its vtable method and IUnknown's
		// lpVtbl field are unexported, so no method name can take them).
		// IVssAsync also gets WaitContext (gen/emit/wait.go).
		if r.GoName.Set {
			if !b.goName(r.GoName, what+": go_name") {
				takeSlot(r, what, true)
				continue
			}
			if !token.IsExported(r.GoName.Value) {
				b.errorf(r.GoName.Pos, "%s: go_name %q must start with an upper-case letter", what, r.GoName.Value)
				takeSlot(r, what, true)
				continue
			}
			m.GoName = r.GoName.Value
		}
		goName, goPos := m.GoMethodName(), r.Name.Pos
		if m.GoName != "" {
			goPos = r.GoName.Pos
		}
		if it.Base != nil && (goName == it.Base.Name || goName == it.Base.Name+"Vtbl") ||
			it.Name == "IVssAsync" && goName == "WaitContext" {
			b.errorf(goPos, "%s: Go name %s is already taken by a member vssgen generates for %s", what, goName, it.Name)
			takeSlot(r, what, true)
			continue
		}
		if other, ok := goNames[goName]; ok {
			b.errorf(goPos, "%s: Go method name %s is already taken by %s", what, goName, other)
			takeSlot(r, what, true)
			continue
		}
		names[m.Name] = true
		goNames[goName] = "method " + m.FullName()
		b.declare(r.Name.Pos, m.ID(), what)
		m.Doc = b.text(r.Doc, what+": doc")
		m.Slot = takeSlot(r, what, false)
		b.result(m, r.Result, what)
		b.params(m, r.Params)
		b.checkArgWords(m, r.Name.Pos, what)
		m.Returns = b.returns(m, r.Returns, what+": returns", true)
		m.ReturnsUndocumented = b.undocumented(r.Returns, r.ReturnsUndocumented, what)
		m.StatusCodes = b.returns(m, r.StatusCodes, what+": status_codes", false)
		b.checkResultNames(m, r.Params)
		b.checkResultCodes(m, "result: "+r.Result.Value, r.Returns, r.ReturnsUndocumented, what)
		if len(m.StatusCodes) > 0 && !m.hasStatusOut() {
			b.errorf(r.StatusCodes[0].Pos, "%s: status_codes need an out parameter of type HRESULT", what)
		}
		for _, n := range r.Notes {
			if note := b.note(n, what+": note"); note != nil {
				if note.ReturnsInstead != nil {
					b.errorf(n.ReturnsInstead.Pos, "%s: returns_instead belongs on a note of a return code, not of the method", what)
				}
				m.Notes = append(m.Notes, note)
			}
		}
		it.Methods = append(it.Methods, m)
	}
	// Reserved slots hold methods the spec does not bind, so that a partial
	// binding keeps the vtable's layout without declaring every method.
	for _, r := range reserved {
		v := r.Value
		switch {
		case !r.Set:
			slotRefused = true // the load stage said what is wrong with it
		case v < 0:
			b.errorf(r.Pos, "interface %s: reserved slot %d is negative", it.Name, v)
			slotRefused = true
		case v < int64(first):
			b.errorf(r.Pos, "interface %s: reserved slot %d belongs to the base interface %s (its methods take slots 0 to %d)", it.Name, v, baseName(it), first-1)
			slotRefused = true
		case v > 1023:
			b.errorf(r.Pos, "interface %s: reserved slot %d is beyond any real vtable", it.Name, v)
			slotRefused = true
		default:
			if other, taken := slots[int(v)]; taken {
				b.errorf(r.Pos, "interface %s: reserved slot %d is taken twice: %s has it too, at %d:%d", it.Name, v, other.what, other.pos.Line, other.pos.Col)
				continue
			}
			slots[int(v)] = slotUse{"a reserved slot of " + it.Name, r.Pos}
			it.Reserved = append(it.Reserved, int(v))
		}
	}
	slices.Sort(it.Reserved)
	sort.SliceStable(it.Methods, func(i, j int) bool { return it.Methods[i].Slot < it.Methods[j].Slot })
	// Slots must run on from the base without gaps: a gap means a method is
	// missing, and every later call would go to the wrong function. A slot
	// refused above may be the missing one, so gaps are sought only when
	// every slot is known.
	if slotRefused {
		return
	}
	want := first
	for _, s := range slices.Sorted(maps.Keys(slots)) {
		if s != want {
			use := slots[s]
			b.errorf(use.pos, "%s: slot %d leaves a gap; the next free slot of %s is %d (bind the methods in between, or list their slots in reserved_slots)", use.what, s, it.Name, want)
			break
		}
		want++
	}
}

func (m *Method) hasStatusOut() bool {
	for _, p := range m.Params {
		if p.Dir == Out && p.Type.C == "HRESULT" && !p.Reserved {
			return true
		}
	}
	return false
}

// ImportedPackages are the names under which the generated Go files, tests
// included, import packages. A parameter of one of these names would hide
// the package from the stub's body, or from the generated test that calls
// the stub; tests/invalid_test.go checks that every import of the
// generated files is listed here.
var ImportedPackages = []string{
	"context", "debug", "errors", "fmt", "log", "os", "reflect", "runtime", "slices",
	"strconv", "strings", "sync", "syscall", "testing", "time", "unsafe", "utf16", "windows",
}

// stubLocals are the names a stub declares inside each method, which
// parameters must not shadow: the receiver v and the result err. ("hr"
// names the result that carries success codes, when there is one, and the
// locals _r and _hr hold what the call returns; see checkParamShadowing.)
var stubLocals = map[string]string{"v": "the receiver v", "err": "the result err"}

func init() {
	for _, name := range ImportedPackages {
		stubLocals[name] = "the package " + name + ", which the generated files import"
	}
}

func (b *builder) params(m *Method, raw []load.Param) {
	seen := map[string]bool{}
	for _, r := range raw {
		what := m.what() + ": parameter"
		if !b.required(r.Pos, r.Name, what+" name") || !b.goName(r.Name, what+" name") {
			continue
		}
		p := &Param{Name: r.Name.Value, Reserved: r.Reserved.Value}
		what += " " + p.Name
		if used, ok := stubLocals[p.Name]; ok {
			b.errorf(r.Name.Pos, "%s: the name is used by the generated stub (%s); rename it", what, used)
		}
		if seen[p.Name] {
			b.errorf(r.Name.Pos, "%s is declared twice", what)
		}
		seen[p.Name] = true
		b.paramPositions = append(b.paramPositions, paramPosition{m, p.Name, r.Name.Pos})
		p.Doc = b.text(r.Doc, what+": doc")
		switch r.Dir.Value {
		case "in":
			p.Dir = In
		case "out":
			p.Dir = Out
		default:
			if r.Dir.Set {
				b.errorf(r.Dir.Pos, "%s: dir %q must be in or out", what, r.Dir.Value)
			} else if !r.Dir.Bad {
				b.errorf(r.Pos, "%s: dir is required (in or out)", what)
			}
		}
		switch {
		case !r.By.Set || r.By.Value == "value":
		case r.By.Value == "pointer":
			p.ByPtr = true
		default:
			b.errorf(r.By.Pos, "%s: by %q must be value or pointer", what, r.By.Value)
		}
		if b.required(r.Pos, r.Type, what+": type") {
			p.Type = b.typeRef(r.Type, what)
		}
		if p.Type == nil {
			continue
		}
		if r.Enum.Set && !b.paramEnum(p, r, what) {
			continue
		}
		if problem := p.passable(); problem != "" {
			b.errorf(r.Type.Pos, "%s: %s", what, problem)
			continue
		}
		if r.Optional.Value && !b.optional(p, r, what) {
			continue
		}
		if (r.Length.Set || r.Free.Set) && !b.buffer(p, r, what) {
			continue
		}
		m.Params = append(m.Params, p)
	}
	b.bufferLengths(m, raw)
}

// buffer marks p as an out buffer the callee allocates (length: and free:),
// which the stub returns as a []byte copy after freeing the original. Its
// length is resolved by bufferLengths once every parameter is known.
func (b *builder) buffer(p *Param, r load.Param, what string) bool {
	key := r.Length
	if !key.Set {
		key = r.Free
	}
	switch {
	case !r.Length.Set:
		b.errorf(r.Free.Pos, "%s: free needs length, the out-parameter that receives the buffer's length", what)
		return false
	case !r.Free.Set:
		b.errorf(r.Length.Pos, "%s: length needs free, the function that frees the buffer (CoTaskMemFree)", what)
		return false
	case p.Dir != Out:
		b.errorf(key.Pos, "%s: length and free describe a buffer the callee allocates, so they apply to out parameters", what)
		return false
	case p.Reserved:
		b.errorf(key.Pos, "%s: a reserved parameter is always passed as NULL; a buffer would never arrive", what)
		return false
	case p.ByPtr || p.Header != nil:
		b.errorf(key.Pos, "%s: a buffer is a pointer to BYTE elements already; by and enum do not apply", what)
		return false
	case p.Type.Kind != Integer || p.Type.Bytes != 1:
		b.errorf(r.Type.Pos, "%s: a buffer holds BYTE elements (Go []byte), not %s", what, p.Type.C)
		return false
	}
	if _, ok := BufferFrees[r.Free.Value]; !ok {
		b.errorf(r.Free.Pos, "%s: unknown free function %q; buffers are freed with CoTaskMemFree", what, r.Free.Value)
		return false
	}
	p.Buffer = &Buffer{Free: r.Free.Value}
	return true
}

// bufferLengths resolves the length: of each buffer of m to another
// out-parameter of m: a 4-byte unsigned integer the callee writes, which no
// other buffer uses. A buffer whose length cannot be resolved is dropped,
// so that no emitter sees it half-made.
func (b *builder) bufferLengths(m *Method, raw []load.Param) {
	byName := map[string]*Param{}
	for _, p := range m.Params {
		byName[p.Name] = p
	}
	var keep []*Param
	for _, p := range m.Params {
		if p.Buffer == nil {
			keep = append(keep, p)
			continue
		}
		// The raw parameter of the same name that says length: another
		// parameter may share the name (an error reported elsewhere), and
		// its entry has no length to point at.
		var r load.Param
		for _, x := range raw {
			if x.Name.Value == p.Name && x.Length.Value != "" {
				r = x
				break
			}
		}
		what := m.what() + ": parameter " + p.Name
		l, ok := byName[r.Length.Value]
		switch {
		case !ok:
			var names []string
			for _, q := range m.Params {
				if q != p {
					names = append(names, q.Name)
				}
			}
			if near := load.Suggest(r.Length.Value, names); near != "" {
				b.errorf(r.Length.Pos, "%s: length %q is no parameter of the method; did you mean %s?", what, r.Length.Value, near)
			} else {
				b.errorf(r.Length.Pos, "%s: length %q is no parameter of the method", what, r.Length.Value)
			}
			continue
		case l == p:
			b.errorf(r.Length.Pos, "%s: length names the buffer itself; name the out-parameter that receives its length", what)
			continue
		case l.Dir != Out || l.Reserved || l.ByPtr || l.Buffer != nil || l.Type.Kind != Integer || l.Type.Bytes != 4 || l.Type.Signed:
			b.errorf(r.Length.Pos, "%s: length %s must be an out-parameter of type ULONG, DWORD or UINT that the callee writes, not %s", what, l.Name, l.CDecl())
			continue
		case l.LengthOf != nil:
			b.errorf(r.Length.Pos, "%s: length %s is the length of %s already", what, l.Name, l.LengthOf.Name)
			continue
		}
		p.Buffer.Length, l.LengthOf = l, p
		keep = append(keep, p)
	}
	m.Params = keep
}

// paramEnum gives p, declared by the header as a plain integer, the enum
// the documentation says it takes (enum: on the parameter). The Go
// signature then takes the enum's type; the header's type stays for C. The
// two must have the same size, so that the argument words do not change.
func (b *builder) paramEnum(p *Param, r load.Param, what string) bool {
	t, ok := b.types[r.Enum.Value]
	if !ok || t.Kind != EnumKind {
		b.errorf(r.Enum.Pos, "%s: enum %q is not an enum of the spec (enums: %s)", what, r.Enum.Value, strings.Join(b.enumNames(), ", "))
		return false
	}
	switch {
	case p.Type.Kind != Integer:
		b.errorf(r.Enum.Pos, "%s: enum %s applies only to an integer type such as LONG or DWORD, not %s", what, t.C, p.Type.C)
		return false
	case p.Type.PtrSized:
		b.errorf(r.Enum.Pos, "%s: enum %s is 4 bytes but %s is as wide as a pointer (8 bytes on amd64 and arm64): the argument would change size", what, t.C, p.Type.C)
		return false
	case p.Type.Bytes != t.Bytes:
		b.errorf(r.Enum.Pos, "%s: enum %s is %d bytes but %s is %d: the argument would change size", what, t.C, t.Bytes, p.Type.C, p.Type.Bytes)
		return false
	case p.Reserved:
		b.errorf(r.Enum.Pos, "%s: a reserved parameter is left out of the Go signature, so enum %s has no use", what, t.C)
		return false
	}
	p.Header, p.Type = p.Type, t
	return true
}

// optional marks p as one the caller may pass as NULL (optional: true). It
// applies to what can be NULL, strings and pointers, that the caller passes;
// a reserved parameter is always NULL already.
func (b *builder) optional(p *Param, r load.Param, what string) bool {
	switch {
	case p.Reserved:
		b.errorf(r.Optional.Pos, "%s: a reserved parameter is always passed as NULL; optional does not apply", what)
		return false
	case p.Dir == Out:
		b.errorf(r.Optional.Pos, "%s: optional applies to in parameters; the stub always passes an out parameter somewhere to write", what)
		return false
	case !p.ByPtr && p.Type.Kind != WString && p.Type.Kind != BSTRKind && p.Type.Kind != RawPointer && p.Type.Kind != InterfaceKind && p.Type.Kind != GUIDRef:
		b.errorf(r.Optional.Pos, "%s: optional applies to strings and pointers, which can be NULL; %s passed by value cannot", what, p.Type.C)
		return false
	}
	p.Optional = true
	return true
}

// enumNames lists the spec's enums in its order, for messages.
func (b *builder) enumNames() []string {
	var names []string
	for _, e := range b.spec.Enums {
		names = append(names, e.Name)
	}
	if len(names) == 0 {
		return []string{"none declared"}
	}
	return names
}

// checkParamShadowing refuses parameters named like a package-level name
// the stub's body refers to, which the parameter would hide: HRESULT, the
// method's identifier, and the struct and free function of an out-parameter
// the stub copies and frees. Other package-level names are fine: the body
// does not use them.
func (b *builder) checkParamShadowing() {
	for _, p := range b.paramPositions {
		used := map[string]bool{"HRESULT": true, p.method.ID(): true}
		for _, q := range p.method.Params {
			if st := q.Type.Struct; q.Dir == Out && !q.ByPtr && st != nil && st.Frees() {
				used[st.Name] = true
				if st.Free != nil {
					used[st.Free.Name] = true
				}
			}
		}
		if used[p.name] {
			b.errorf(p.pos, "%s: parameter %s hides %s, which the generated stub uses; rename it", p.method.what(), p.name, b.names[p.name])
		}
		if p.name == "r" || p.name == "hr" && len(p.method.SuccessCodes()) == 0 {
			for _, q := range p.method.Params {
				if q.Name == p.name && q.stubLocal() {
					b.errorf(p.pos, "%s: parameter %s: the stub would keep it in _%s, its own local for what the call returns; rename it", p.method.what(), p.name, p.name)
				}
			}
		}
	}
}

// stubLocal reports whether the stub keeps the parameter in a local
// variable named after it with a leading underscore (see gen/emit/args.go):
// strings passed in, GUIDs and FILETIMEs that are reserved, and
// out-parameters it converts after the call.
func (p *Param) stubLocal() bool {
	t := p.Type
	switch {
	case t == nil:
		return false
	case p.Reserved:
		return p.Dir == In && !p.ByPtr && (t.Kind == GUIDKind || t.Kind == Filetime)
	case p.Dir == In:
		return !p.ByPtr && (t.Kind == WString || t.Kind == BSTRKind)
	case p.ByPtr:
		return false
	}
	return t.Kind == Boolean || t.Kind == WString || t.Kind == BSTRKind || t.Kind == StructKind && t.Struct.Frees()
}

// checkResultNames refuses a parameter named hr when the stub returns the
// method's success codes in a result of that name, and one named ret when
// it returns the method's result (result:) in ret.
func (b *builder) checkResultNames(m *Method, raw []load.Param) {
	for _, r := range raw {
		switch {
		case r.Name.Value == "hr" && len(m.SuccessCodes()) > 0:
			b.errorf(r.Name.Pos, "%s: parameter hr: the stub returns the method's success codes as hr; rename it", m.what())
		case r.Name.Value == "ret" && m.Result != nil:
			b.errorf(r.Name.Pos, "%s: parameter ret: the stub returns the method's %s result as ret; rename it", m.what(), m.Result.C)
		}
	}
}

// result reads result:, what a method or function returns when it is not
// an HRESULT: void, or a type that comes back in the return register (an
// integer of any size, BOOL, an enum, PVOID or an interface pointer).
// HRESULT, the default, may be written out.
func (b *builder) result(m *Method, s load.Str, what string) {
	if !s.Set {
		return
	}
	if s.Value == "void" {
		m.Void = true
		return
	}
	t := b.typeRef(s, what+": result")
	if t == nil {
		return
	}
	switch t.Kind {
	case Status:
	case Integer, Boolean, EnumKind, RawPointer, InterfaceKind:
		m.Result = t
	case WString, BSTRKind:
		b.errorf(s.Pos, "%s: result %s: a returned string has no owner vssgen knows to free it; declare the result PVOID", what, t.C)
	default:
		b.errorf(s.Pos, "%s: result %s: a struct or GUID returned by value goes through a hidden pointer, which vssgen does not pass; a result is void, HRESULT, an integer, BOOL, an enum, PVOID or an interface", what, t.C)
	}
}

// checkResultCodes refuses return codes on a method or function that does
// not return an HRESULT: result says so (or void: true, for a function).
func (b *builder) checkResultCodes(m *Method, result string, returns []load.Return, undocumented load.Str, what string) {
	if m.ReturnsHRESULT() {
		return
	}
	returnsWhat, and := fmt.Sprintf("returns %s (%s), not an HRESULT", m.ResultC(), result), ", and"
	if m.Void {
		returnsWhat, and = fmt.Sprintf("returns nothing (%s)", result), " and"
	}
	if len(returns) > 0 {
		b.errorf(returns[0].Pos, "%s %s%s cannot document return codes", what, returnsWhat, and)
	}
	if undocumented.Set {
		b.errorf(undocumented.Pos, "%s %s, which says already that it has no return codes; drop returns_undocumented", what, returnsWhat)
	}
}

// checkResultOuts refuses an out-parameter of a struct with a free function
// in a method or function that returns no HRESULT: the stub frees such a
// struct only when the call succeeded, which only an HRESULT tells.
func (b *builder) checkResultOuts() {
	for _, p := range b.paramPositions {
		m := p.method
		if m.ReturnsHRESULT() {
			continue
		}
		for _, q := range m.Params {
			if st := q.Type.Struct; q.Name == p.name && q.Dir == Out && !q.ByPtr && !q.Reserved && st != nil && st.Free != nil {
				b.errorf(p.pos, "%s: parameter %s: the stub frees a %s only after a call that succeeded, which only an HRESULT tells, but the method returns %s", m.what(), q.Name, st.Name, m.ResultC())
			}
		}
	}
}

// passable says why a parameter cannot be passed, or "" when it can.
func (p *Param) passable() string {
	t := p.Type
	switch {
	case p.Dir == In && !p.ByPtr && t.Kind == StructKind:
		return "structs are passed by pointer (by: pointer)"
	case p.ByPtr && t.Kind == InterfaceKind:
		return "interfaces are pointers already; by: pointer does not apply"
	case p.ByPtr && p.Dir == Out && t.Kind != StructKind:
		return "an out parameter passed by pointer must be a struct"
	case t.Kind == GUIDRef && p.ByPtr:
		return t.C + " is the address of a GUID already; by: pointer does not apply"
	case t.Kind == GUIDRef && p.Dir == Out:
		return t.C + " is a const GUID the callee reads; a GUID the callee writes is {dir: out, type: GUID}"
	}
	return ""
}

// typeRef resolves a type name.
func (b *builder) typeRef(s load.Str, what string) *Type {
	if t, ok := b.types[s.Value]; ok {
		return t
	}
	if b.refusedTypes[s.Value] {
		return nil // its declaration is reported already
	}
	if near := load.Suggest(s.Value, slices.Sorted(maps.Keys(b.types))); near != "" {
		b.errorf(s.Pos, "%s: unknown type %q; did you mean %s?", what, s.Value, near)
		return nil
	}
	b.errorf(s.Pos, "%s: unknown type %q (known: %s, or an enum, struct or interface of the spec)", what, s.Value, strings.Join(BuiltinTypeNames(), ", "))
	return nil
}

// BuiltinTypeNames lists the SDK types every spec may use, sorted.
func BuiltinTypeNames() []string {
	return slices.Sorted(maps.Keys(builtinTypes()))
}

type paramPosition struct {
	method *Method
	name   string
	pos    load.Pos
}

func baseName(it *Interface) string {
	if it.Base == nil {
		return "none"
	}
	return it.Base.Name
}

// what names the method or function in messages.
func (m *Method) what() string {
	if m.Interface == nil {
		return "function " + m.Name
	}
	return "method " + m.FullName()
}

// code resolves a reference to the hresults table; p is where the entry
// holding the reference starts, for when the reference is missing.
func (b *builder) code(p load.Pos, s load.Str, what string) *HRESULT {
	if !b.required(p, s, what) {
		return nil
	}
	h, ok := b.codes[s.Value]
	if !ok {
		if b.refusedCodes[s.Value] {
			return nil
		}
		if near := load.Suggest(s.Value, slices.Sorted(maps.Keys(b.codes))); near != "" {
			b.errorf(s.Pos, "%s: %q is not in the hresults table; did you mean %s?", what, s.Value, near)
		} else {
			b.errorf(s.Pos, "%s: %q is not in the hresults table", what, s.Value)
		}
		return nil
	}
	return h
}

// returns builds a method's return codes (returnCodes true) or its status
// codes, which arrive through the HRESULT out-parameter: only return codes
// may arrive through an IVssAsync or have another code stand in for them.
func (b *builder) returns(m *Method, raw []load.Return, what string, returnCodes bool) []*Return {
	var out []*Return
	seen := map[*HRESULT]bool{}
	instead := map[*HRESULT]*HRESULT{}
	for _, r := range raw {
		h := b.code(r.Pos, r.Code, what+" code")
		if h == nil {
			continue
		}
		if seen[h] {
			b.errorf(r.Code.Pos, "%s: %s is listed twice", what, h.Name)
			continue
		}
		seen[h] = true
		ret := &Return{Code: h}
		switch {
		case !r.Via.Set:
		case r.Via.Value != "async":
			b.errorf(r.Via.Pos, "%s %s: via %q must be async (or left out for the call itself)", what, h.Name, r.Via.Value)
		case !returnCodes:
			b.errorf(r.Via.Pos, "%s %s: via applies to return codes only; a status code arrives through the HRESULT out-parameter", what, h.Name)
		default:
			ret.Async = true
		}
		if b.required(r.Pos, r.Meaning, what+" "+h.Name+": meaning") {
			ret.Meaning = b.text(r.Meaning, what+" "+h.Name+": meaning")
		}
		if r.Notes == nil {
			// No notes of the method's own: the code's notes apply. A status
			// code arrives through an out-parameter, where no other code
			// stands in for it, so it takes only the notes without
			// returns_instead.
			for _, note := range h.Notes {
				if ri := note.ReturnsInstead; ri != nil {
					if !returnCodes {
						continue
					}
					if instead[ri] != nil && instead[ri] != h {
						b.errorf(r.Code.Pos, "%s %s: the code's note makes %s stand for it, but %s already stands for %s on some systems; give this code notes of its own", what, h.Name, ri.Name, ri.Name, instead[ri].Name)
						continue
					}
					instead[ri] = h
				}
				ret.Notes = append(ret.Notes, note)
			}
		}
		for _, n := range r.Notes {
			note := b.note(n, what+" "+h.Name+": note")
			if note == nil {
				continue
			}
			if ri := note.ReturnsInstead; ri != nil {
				switch {
				case !returnCodes:
					b.errorf(n.ReturnsInstead.Pos, "%s %s: returns_instead applies to return codes only", what, h.Name)
				case ri == h:
					b.errorf(n.ReturnsInstead.Pos, "%s %s: returns_instead names the code itself", what, h.Name)
				case instead[ri] != nil && instead[ri] != h:
					b.errorf(n.ReturnsInstead.Pos, "%s %s: %s already stands for %s on some systems; one observed code cannot stand for two", what, h.Name, ri.Name, instead[ri].Name)
				default:
					instead[ri] = h
				}
			}
			ret.Notes = append(ret.Notes, note)
		}
		out = append(out, ret)
	}
	return out
}

// undocumented reads returns_undocumented, the reason a method or function
// lists no return codes. It takes the place of returns, so both together are
// refused, as is an empty reason.
func (b *builder) undocumented(returns []load.Return, s load.Str, what string) string {
	if !s.Set {
		return ""
	}
	if strings.TrimSpace(s.Value) == "" {
		b.errorf(s.Pos, "%s: returns_undocumented needs the reason no codes are listed, such as \"The reference page has no return value section.\"", what)
		return ""
	}
	if len(returns) > 0 {
		b.errorf(s.Pos, "%s: returns_undocumented says the documentation lists no return codes, but returns lists some; keep one of them", what)
		return ""
	}
	return b.text(s, what+": returns_undocumented")
}

func (b *builder) note(r load.Note, what string) *Note {
	n := &Note{}
	if b.required(r.Pos, r.Text, what+" text") {
		n.Text = b.text(r.Text, what+" text")
	}
	switch {
	case r.Before.Set && len(r.On) > 0:
		b.errorf(r.Pos, "%s: give either before or on, not both", what)
		return nil
	case r.Before.Set:
		o := b.osRef(r.Before, what)
		if o == nil {
			return nil
		}
		if b.spec.OSVersions[0] == o {
			b.errorf(r.Before.Pos, "%s: no os version in the table is older than %q", what, o.ID)
		}
		n.Before = o
	case len(r.On) > 0:
		for _, id := range r.On {
			o := b.osRef(id, what)
			if o == nil {
				return nil
			}
			n.On = append(n.On, o)
		}
	case r.Before.Bad || r.Refused["on"]:
		return nil // the load stage said what is wrong with them
	default:
		b.errorf(r.Pos, "%s: say which systems it is about with before: or on:", what)
		return nil
	}
	if r.ReturnsInstead.Set {
		n.ReturnsInstead = b.code(r.Pos, r.ReturnsInstead, what+" returns_instead")
	}
	return n
}

// declaredOS lists the ids of os_versions, for messages about an id that
// is not among them.
func (b *builder) declaredOS() string {
	if len(b.spec.OSVersions) == 0 {
		return "os_versions declares none"
	}
	ids := make([]string, len(b.spec.OSVersions))
	for i, o := range b.spec.OSVersions {
		ids[i] = o.ID
	}
	return "os_versions declares " + strings.Join(ids, ", ")
}

// osRef resolves a reference to an id of os_versions, or reports it.
func (b *builder) osRef(id load.Str, what string) *OSVersion {
	if id.Bad {
		return nil // the load stage said what is wrong with it
	}
	o, ok := b.os[id.Value]
	if !ok && !b.refusedOS[id.Value] {
		b.errorf(id.Pos, "%s: unknown os version %q (%s)", what, id.Value, b.declaredOS())
	}
	return o
}

// MaxBases is how many interfaces an interface may inherit from, IUnknown
// included. The deepest chain of the SDK's VSS interfaces is 5
// (IVssBackupComponentsEx4 to IUnknown). Each interface's vtable, checks
// and tests repeat every inherited method, so output grows with the square
// of a chain's length.
const MaxBases = 32

// MaxVtableEntries is how many methods the vtables of a spec's interfaces
// may hold together, inherited methods counted again in each interface
// that inherits them. spec/vss.yaml has 521; generated output grows
// by about 300 bytes for each.
const MaxVtableEntries = 20_000

// refuseDeepChains refuses interfaces with more than MaxBases bases and
// leaves them, and the interfaces derived from them, out of what is built
// further. Only the first interface past the limit on each chain is
// reported. Depths are computed once per interface.
func (b *builder) refuseDeepChains(root *Interface, declared []*Interface, rawOf map[*Interface]load.Interface) []*Interface {
	depth := map[*Interface]int{root: 0}
	depthOf := func(it *Interface) int {
		var path []*Interface
		x := it
		for ; x != nil; x = x.Base {
			if _, ok := depth[x]; ok {
				break
			}
			path = append(path, x)
		}
		d := -1 // an interface without IUnknown has no base at all
		if x != nil {
			d = depth[x]
		}
		for i := len(path) - 1; i >= 0; i-- {
			d++
			depth[path[i]] = d
		}
		return depth[it]
	}
	var kept []*Interface
	for _, it := range declared {
		switch d := depthOf(it); {
		case d == MaxBases+1:
			b.errorf(rawOf[it].Base.Pos, "interface %s inherits from %d interfaces (from %s to %s), more than the %d vssgen accepts; each interface repeats every inherited method, so output grows with the square of the chain",
				it.Name, d, it.Base.Name, it.Chain()[d].Name, MaxBases)
		case d <= MaxBases:
			kept = append(kept, it)
		}
	}
	return kept
}
