package emit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/model"
)

// TestArgWordsMatchStubs holds model.Method.ArgWords, which validation
// compares with syscall.SyscallN's limit, to the argument words the stubs
// really pass, for every method and function of the flagship and feature
// specs and of a spec built to put GUIDs and FILETIMEs in every position
// class (in registers, straddling x7 on arm64, on the stack).
func TestArgWordsMatchStubs(t *testing.T) {
	var b strings.Builder
	b.WriteString("package: words\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\ninterfaces:\n  - name: IWords\n    base: IUnknown\n    methods:\n")
	for i := range 10 {
		fmt.Fprintf(&b, "      - name: M%d\n        slot: %d\n        params:\n", i, 3+i)
		for j := range i {
			fmt.Fprintf(&b, "          - {name: dw%d, dir: in, type: DWORD}\n", j)
		}
		b.WriteString("          - {name: id, dir: in, type: VSS_ID}\n          - {name: ft, dir: in, type: FILETIME}\n")
		b.WriteString("          - {name: r, dir: in, type: VSS_ID, reserved: true}\n          - {name: last, dir: in, type: VSS_ID}\n")
	}
	specs := []*model.Spec{
		loadSpec(t, "../../spec/vss.yaml", "spec/vss.yaml"),
		loadFeatureSpec(t),
		buildSpec(t, b.String(), "words.yaml"),
	}
	checked := 0
	for _, s := range specs {
		var methods []*model.Method
		for _, it := range s.Interfaces {
			methods = append(methods, it.Methods...)
		}
		methods = append(methods, s.Functions...)
		for _, m := range methods {
			for _, a := range model.Arches {
				got := len(shapeOf(m, a).args)
				if m.Interface != nil {
					got++ // the this pointer, which the stub passes before the shape's words
				}
				if want := m.ArgWords(a); got != want {
					t.Errorf("%s on %s: the stub passes %d words, ArgWords says %d", m.FullName(), a, got, want)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d method and architecture pairs; the specs should give more", checked)
	}
}
