package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/tests/internal/wine"
)

// partialIface is the interface the partial binding of the flagship spec
// binds in part, and partialUnbound the slots it leaves to reserved_slots:
// the first six, before the methods it binds, and the last one, after them.
const partialIface = "IVssBackupComponents"

var partialUnbound = []int{3, 4, 5, 6, 7, 8, 50}

// partialSpec is the flagship spec with the methods of iface at the slots
// unbound left out and reserved slots in their place: the same slots, or
// the slots reserved lists when it is not nil. move gives some of the
// methods that stay other slots.
func partialSpec(t *testing.T, iface string, unbound, reserved []int, move map[int]int) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(readFlagshipSpec(t), &doc); err != nil {
		t.Fatal(err)
	}
	value := func(m *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	var it *yaml.Node
	for _, n := range value(doc.Content[0], "interfaces").Content {
		if value(n, "name").Value == iface {
			it = n
		}
	}
	if it == nil {
		t.Fatalf("the flagship spec has no interface %s", iface)
	}
	methods := value(it, "methods")
	kept := methods.Content[:0]
	removed := 0
	for _, m := range methods.Content {
		var slot int
		if err := value(m, "slot").Decode(&slot); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(unbound, slot) {
			removed++
			continue
		}
		if to, ok := move[slot]; ok {
			value(m, "slot").Value = fmt.Sprint(to)
		}
		kept = append(kept, m)
	}
	if removed != len(unbound) {
		t.Fatalf("%s has methods at %d of the slots %v", iface, removed, unbound)
	}
	methods.Content = kept
	if reserved == nil {
		reserved = unbound
	}
	list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range reserved {
		list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(s)})
	}
	it.Content = append(it.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "reserved_slots"}, list)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPartialBindingKeepsTheLayout generates the flagship spec with some
// methods of IVssBackupComponents left unbound and their slots reserved.
// The vtable keeps its size and every bound method its slot, in the model
// and in the generated Go code, whose compile-time layout checks must hold
// on amd64 and 386 (the generated tests, with fakes whose vtables leave the
// reserved slots empty, compile too).
func TestPartialBindingKeepsTheLayout(t *testing.T) {
	full := flagshipModel(t)
	spec := partialSpec(t, partialIface, partialUnbound, nil, nil)
	raw, err := gen.GenerateBytes("spec/vss.yaml", spec, gen.Options{})
	if err != nil {
		t.Fatalf("the partial binding is refused: %v", err)
	}
	partial, err := buildSpec("spec/vss.yaml", spec)
	if err != nil {
		t.Fatal(err)
	}
	byName := func(s *model.Spec, name string) *model.Interface {
		for _, it := range s.Interfaces {
			if it.Name == name {
				return it
			}
		}
		t.Fatalf("no interface %s", name)
		return nil
	}
	for _, it := range full.Interfaces {
		p := byName(partial, it.Name)
		if p.VtableSize() != it.VtableSize() {
			t.Errorf("%s: vtable of %d slots, want %d as in the full spec", it.Name, p.VtableSize(), it.VtableSize())
		}
		for _, m := range p.AllMethods() {
			if want := it.Slots()[m.Slot]; want == nil || want.Name != m.Name {
				t.Errorf("%s: %s is at slot %d, where the full spec has %v", it.Name, m.Name, m.Slot, want)
			}
		}
	}
	if got := byName(partial, partialIface).Reserved; !slices.Equal(got, partialUnbound) {
		t.Errorf("%s reserves %v, want %v", partialIface, got, partialUnbound)
	}

	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	const pkgDir = "tests/testdata/partial-vss"
	replace := map[string]string{}
	tmp := t.TempDir()
	for _, f := range raw {
		if strings.Contains(f.Name, "/") || !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		real := filepath.Join(tmp, f.Name)
		if err := os.WriteFile(real, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, filepath.FromSlash(pkgDir), f.Name)] = real
	}
	overlay := writeOverlay(t, replace)
	for _, arch := range []string{"amd64", "386"} {
		cmd := exec.Command("go", "test", "-c", "-vet=off", "-o", filepath.Join(t.TempDir(), "partial.test.exe"), "-overlay", overlay, "./"+pkgDir)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the partial binding does not compile for windows/%s: %v\n%s", arch, err, out)
		}
	}
}

// TestPartialBindingConformance compiles the C conformance file of the
// partial binding against the SDK headers: the bound methods' slots and the
// vtable's size must agree with them although six methods before the bound
// ones and one after them are not declared. Moving one bound method into a
// reserved slot (and reserving its own) must then fail on that method's
// slot, in IVssBackupComponents and in every interface that inherits it.
func TestPartialBindingConformance(t *testing.T) {
	compilers := wine.RequireCompilers(t)
	full := flagshipModel(t)
	var moved string
	var heirs []string
	for _, it := range full.Interfaces {
		for _, x := range it.Chain() {
			if x.Name == partialIface {
				heirs = append(heirs, it.Name)
			}
		}
		if it.Name == partialIface {
			moved = it.Slots()[9].Name
		}
	}
	var want []string
	for _, h := range heirs {
		want = append(want, h+"."+moved+" slot")
	}
	slices.Sort(want)

	good := conformanceFile(t, partialSpec(t, partialIface, partialUnbound, nil, nil))
	// The method at slot 9 goes to slot 8; slot 9 is reserved instead.
	bad := conformanceFile(t, partialSpec(t, partialIface, partialUnbound, []int{3, 4, 5, 6, 7, 9, 50}, map[int]int{9: 8}))
	for _, cc := range compilers {
		t.Run(cc.GOARCH, func(t *testing.T) {
			t.Parallel()
			if out, err := cc.Compile(t.Context(), good, filepath.Join(t.TempDir(), "good.exe")); err != nil {
				t.Errorf("the partial binding disagrees with the SDK headers (%v); failed facts %q\n%s", err, failedAssertions(out), out)
			}
			out, err := cc.Compile(t.Context(), bad, filepath.Join(t.TempDir(), "bad.exe"))
			if err == nil {
				t.Fatalf("the conformance file compiled although %s.%s is one slot early", partialIface, moved)
			}
			if got := failedAssertions(out); !slices.Equal(got, want) {
				t.Errorf("failed facts %q, want %q\n%s", got, want, out)
			}
		})
	}
}
