package model_test

import (
	"fmt"
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// TestStructLayouts pins the layouts computed for the flagship spec's
// structs to the sizes mingw-w64's gcc reports for the SDK's definitions
// (the conformance tier checks every offset against the headers; this test
// keeps the layout code honest without the cross-compilers).
func TestStructLayouts(t *testing.T) {
	raw, err := load.File("../../spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Build(raw, "spec/vss.yaml", "spec/vss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[model.Arch][2]int{ // size, alignment
		"VSS_SNAPSHOT_PROP": {model.AMD64: {128, 8}, model.I386: {96, 8}, model.ARM64: {128, 8}},
		"VSS_PROVIDER_PROP": {model.AMD64: {72, 8}, model.I386: {60, 4}, model.ARM64: {72, 8}},
		"VSS_OBJECT_UNION":  {model.AMD64: {128, 8}, model.I386: {96, 8}, model.ARM64: {128, 8}},
		"VSS_OBJECT_PROP":   {model.AMD64: {136, 8}, model.I386: {104, 8}, model.ARM64: {136, 8}},
		"VSS_COMPONENTINFO": {model.AMD64: {72, 8}, model.I386: {48, 4}, model.ARM64: {72, 8}},
	}
	seen := 0
	for _, st := range spec.Structs {
		w, ok := want[st.Name]
		if !ok {
			continue
		}
		seen++
		for arch, sa := range w {
			l := st.Layout(arch)
			if l.Size != sa[0] || l.Align != sa[1] {
				t.Errorf("%s on %s: size %d align %d, want size %d align %d", st.Name, arch, l.Size, l.Align, sa[0], sa[1])
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d structs", seen, len(want))
	}
}

// TestPaddingFor386 checks the padding Go needs where C aligns 8-byte
// members to 8 on 386 and Go aligns them to 4.
func TestPaddingFor386(t *testing.T) {
	i64 := &model.Type{C: "LONGLONG", Kind: model.Integer, Go: "int64", Bytes: 8, Signed: true}
	i32 := &model.Type{C: "LONG", Kind: model.Integer, Go: "int32", Bytes: 4, Signed: true}
	st := &model.Struct{Name: "S", Fields: []*model.Field{
		{Name: "a", GoName: "A", Type: i32},
		{Name: "b", GoName: "B", Type: i64},
		{Name: "c", GoName: "C", Type: i32},
	}}
	l := st.Layout(model.I386)
	if l.Size != 24 || l.Offsets[1] != 8 || l.PadBefore[1] != 4 || l.TailPad != 4 {
		t.Errorf("386 layout = %+v, want size 24, b at 8 after 4 bytes of padding, 4 bytes of tail padding", l)
	}
	l = st.Layout(model.AMD64)
	if l.Size != 24 || l.Offsets[1] != 8 || l.PadBefore[1] != 0 || l.TailPad != 0 {
		t.Errorf("amd64 layout = %+v, want size 24 with no explicit padding", l)
	}
}

// TestSmallUnions checks the Go representation of unions whose members are
// narrower than 4 bytes: an array of words of the union's alignment that
// covers its C size (a union of bytes was [0]uint32, of size 0).
func TestSmallUnions(t *testing.T) {
	u8 := &model.Type{C: "BYTE", Kind: model.Integer, Go: "uint8", Bytes: 1}
	i32 := &model.Type{C: "LONG", Kind: model.Integer, Go: "int32", Bytes: 4, Signed: true}
	three := &model.Struct{Name: "THREE", Fields: []*model.Field{
		{Name: "a", GoName: "A", Type: u8}, {Name: "b", GoName: "B", Type: u8}, {Name: "c", GoName: "C", Type: u8},
	}}
	for _, tt := range []struct {
		name   string
		fields []*model.Type
		size   int
		n      int
		word   string
	}{
		{"one byte", []*model.Type{u8}, 1, 1, "uint8"},
		{"three bytes", []*model.Type{u8, {C: "THREE", Kind: model.StructKind, Struct: three}}, 3, 3, "uint8"},
		{"a LONG beside a byte", []*model.Type{u8, i32}, 4, 1, "uint32"},
	} {
		u := &model.Struct{Name: "U", Union: true}
		for i, f := range tt.fields {
			u.Fields = append(u.Fields, &model.Field{Name: string(rune('a' + i)), GoName: string(rune('A' + i)), Type: f})
		}
		for _, a := range model.Arches {
			if got := u.Layout(a).Size; got != tt.size {
				t.Errorf("%s on %s: size %d, want %d", tt.name, a, got, tt.size)
			}
			if n, word := u.UnionWords(a); n != tt.n || word != tt.word {
				t.Errorf("%s on %s: [%d]%s, want [%d]%s", tt.name, a, n, word, tt.n, tt.word)
			}
		}
	}
}

// TestSDKTypeLayouts lays out the SDK's pointer-sized integers, 2-byte
// integers and 8-byte unions by the Microsoft ABI's rules, worked out by
// hand: SIZE_T, ULONG_PTR, LONG_PTR and DWORD_PTR take 4 bytes, 4-aligned,
// on 386 and 8 bytes, 8-aligned, on amd64 and arm64; LARGE_INTEGER and
// ULARGE_INTEGER are 8 bytes, 8-aligned in C everywhere, where Go aligns
// them to 4 on 386 and must pad.
func TestSDKTypeLayouts(t *testing.T) {
	raw, err := load.Bytes("s.yaml", []byte(`package: s
structs:
  - name: S
    fields:
      - {name: cb, go_name: Cb, type: SIZE_T}
      - {name: li, go_name: Li, type: LARGE_INTEGER}
      - {name: w, go_name: W, type: WORD}
      - {name: s, go_name: S, type: SHORT}
      - {name: ulp, go_name: Ulp, type: ULONG_PTR}
      - {name: uli, go_name: Uli, type: ULARGE_INTEGER}
      - {name: lp, go_name: Lp, type: LONG_PTR}
      - {name: dwp, go_name: Dwp, type: DWORD_PTR}
      - {name: us, go_name: Us, type: USHORT}
`))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Build(raw, "s.yaml", "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arch        model.Arch
		offsets     []int
		size, align int
		padBefore   []int
		tailPad     int
	}{
		{model.I386, []int{0, 8, 16, 18, 20, 24, 32, 36, 40}, 48, 8, []int{0, 4, 0, 0, 0, 0, 0, 0, 0}, 4},
		{model.AMD64, []int{0, 8, 16, 18, 24, 32, 40, 48, 56}, 64, 8, make([]int, 9), 0},
		{model.ARM64, []int{0, 8, 16, 18, 24, 32, 40, 48, 56}, 64, 8, make([]int, 9), 0},
	} {
		l := spec.Structs[0].Layout(tc.arch)
		if fmt.Sprint(l.Offsets) != fmt.Sprint(tc.offsets) || l.Size != tc.size || l.Align != tc.align ||
			fmt.Sprint(l.PadBefore) != fmt.Sprint(tc.padBefore) || l.TailPad != tc.tailPad {
			t.Errorf("on %s: offsets %v size %d align %d pads %v tail %d, want offsets %v size %d align %d pads %v tail %d",
				tc.arch, l.Offsets, l.Size, l.Align, l.PadBefore, l.TailPad, tc.offsets, tc.size, tc.align, tc.padBefore, tc.tailPad)
		}
	}
}
