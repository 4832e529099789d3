package model

import (
	"fmt"
	"strings"

	"github.com/vssgen/vssgen/gen/load"
)

// MaxArgWords is how many argument words syscall.SyscallN passes: every Go
// release from 1.19 on panics with "SyscallN has too many arguments" above
// it (maxArgs in the runtime's syscall_windows.go). The this pointer of a
// COM method counts.
const MaxArgWords = 42

// ArgWords is how many argument words a call of m passes on a, the this
// pointer of a method included. Every parameter is one word except a GUID
// or FILETIME passed by value (reserved or not), and a 64-bit integer by
// value, which takes two words on 386, whose words depend on the
// architecture (see gen/emit/args.go, which makes the words):
//   - amd64: one word, the 8-byte FILETIME itself or a pointer to a copy
//     of the 16-byte GUID;
//   - 386: the struct's bytes as 4-byte words;
//   - arm64: the struct's bytes as 8-byte words, after zero words that fill
//     the rest of x0-x7 when the struct would straddle x7 and the stack.
func (m *Method) ArgWords(a Arch) int {
	words := 0
	if m.Interface != nil {
		words = 1
	}
	for _, p := range m.Params {
		if p.Dir == In && !p.ByPtr && p.Type.Is64() {
			// A 64-bit integer by value: two stack words on 386, one
			// register or stack slot elsewhere.
			words++
			if a == I386 {
				words++
			}
			continue
		}
		if p.Dir != In || p.ByPtr || p.Type.Kind != GUIDKind && p.Type.Kind != Filetime {
			words++
			continue
		}
		size := p.Type.Size(a)
		switch a {
		case AMD64:
			words++
		case I386:
			words += size / 4
		case ARM64:
			n := size / 8
			if words < 8 && words+n > 8 {
				words = 8
			}
			words += n
		default:
			panic(fmt.Sprintf("model: no argument words for architecture %q", a))
		}
	}
	return words
}

// checkArgWords refuses a method or function that passes more argument
// words than syscall.SyscallN accepts on some architecture, naming each
// architecture where it does and the count there.
func (b *builder) checkArgWords(m *Method, pos load.Pos, what string) {
	var over []string
	same := true
	for _, a := range Arches {
		n := m.ArgWords(a)
		if n > MaxArgWords {
			over = append(over, fmt.Sprintf("%d on %s", n, a))
		}
		same = same && n == m.ArgWords(Arches[0])
	}
	if len(over) == 0 {
		return
	}
	words := strings.Join(over, ", ")
	if same {
		words = fmt.Sprintf("%d on every architecture", m.ArgWords(Arches[0]))
	}
	this := ""
	if m.Interface != nil {
		this = ", the this pointer included"
	}
	b.errorf(pos, "%s: passes too many argument words (%s%s), more than the %d that syscall.SyscallN accepts; the call would panic",
		what, words, this, MaxArgWords)
}
