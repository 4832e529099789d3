package explain

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
)

// Arg is what a user asked about: a code's name or a value.
type Arg struct {
	Text    string // as given
	Name    string // set for a name
	Value   uint32 // set for a value
	IsValue bool
}

// ParseArg reads a code the way logs and people write it, in these forms
// and no others:
//
//	VSS_E_UNEXPECTED        a name; matched exactly, or else ignoring case when
//	                        that leaves one candidate (see Lookup)
//	0x80042302, 0X8004230f  hex with a 0x prefix, up to 8 digits
//	0xFFFFFFFF80042302      the same, sign-extended to 64 bits as a Go int64 or C long long prints it
//	80042302, 8004230f      exactly 8 hex digits without prefix, as Windows event logs print codes
//	-2147212542             decimal with a minus sign (as an int32 prints it)
//	2147754754              decimal without a sign
//
// A bare string of digits is decimal unless it is exactly 8 digits long;
// write 0x to force hex. Anything else is refused rather than guessed at:
// a + sign, 0b and 0o prefixes, digit separators, exponents (1e3), and
// hex of other lengths without 0x (4230a), which could as well be a
// mistyped decimal.
func ParseArg(s string) (Arg, error) {
	s = strings.TrimSpace(s)
	a := Arg{Text: s}
	bad := func(why string) (Arg, error) {
		return Arg{}, fmt.Errorf("cannot read %q as an HRESULT: %s", s, why)
	}
	switch {
	case s == "":
		return bad("it is empty")
	case s[0] == '+':
		return bad("a value takes no + sign; write it without one")
	case hasHexPrefix(s):
		digits := s[2:]
		if !isHex(digits) {
			return bad("0x must be followed by hex digits")
		}
		v, err := strconv.ParseUint(digits, 16, 64)
		// Above 32 bits, only the sign extension of a failure code is an HRESULT.
		if err != nil || v > 0xFFFFFFFF && v>>31 != 0x1FFFFFFFF {
			return bad("it does not fit in 32 bits")
		}
		a.Value, a.IsValue = uint32(v), true
	case len(s) == 8 && isHex(s):
		v, _ := strconv.ParseUint(s, 16, 32)
		a.Value, a.IsValue = uint32(v), true
	case isDecimal(s):
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < -1<<31 || v > 1<<32-1 {
			return bad("it is outside the range of a 32-bit value (-2147483648 to 4294967295)")
		}
		a.Value, a.IsValue = uint32(v), true // a negative int32 wraps to its two's complement, as the SDK means it
	case len(s) >= 2 && s[0] == '0' && strings.ContainsRune("bBoO", rune(s[1])):
		return bad("only hex (0x) and decimal values are read, not binary or octal")
	case s[0] >= '0' && s[0] <= '9' || s[0] == '-':
		hint := ""
		if isHex(s) {
			hint = "; write 0x" + s + " if it is hex"
		}
		return bad("a value is decimal, hex after 0x, or exactly 8 hex digits as event logs print them" + hint)
	case token.IsIdentifier(s):
		a.Name = s
	default:
		return bad("give a name like VSS_E_UNEXPECTED or a value like 0x80042302, 80042302 or -2147212542")
	}
	return a, nil
}

func hasHexPrefix(s string) bool {
	return len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func isDecimal(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
