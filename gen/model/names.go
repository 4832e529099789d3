package model

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckPackageName says why name cannot name the generated package, or
// returns nil when it can. vssgen init and generate (the spec's package
// and -pkg) both ask it, so that init never writes a spec that generate
// refuses. A package name is an ASCII identifier (the schema asks for
// ASCII, and non-ASCII names invite look-alikes), not a Go keyword or the
// blank identifier; main is for commands, and go/build skips a package
// named documentation, so neither would build as a library.
func CheckPackageName(name string) error {
	switch {
	case !isASCIIIdentifier(name):
		return fmt.Errorf("%q is not a valid Go package name (an ASCII letter or underscore, then ASCII letters, digits and underscores)", name)
	case token.IsKeyword(name):
		return fmt.Errorf("%q is a Go keyword, which cannot name a package", name)
	case name == "_":
		return fmt.Errorf("%q, the blank identifier, cannot name a package", name)
	case name == "main":
		return fmt.Errorf("%q is for commands; give the generated package a name of its own", name)
	case name == "documentation":
		return fmt.Errorf("%q is a name go build ignores; give the generated package another name", name)
	}
	return nil
}

// isASCIIIdentifier reports whether s is a Go identifier written in ASCII
// alone: a letter or underscore, then letters, digits and underscores.
func isASCIIIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// defaultIgnorable are the code points of the Unicode property
// Default_Ignorable_Code_Point (DerivedCoreProperties.txt, unchanged from
// Unicode 6.0 to 15.1): characters a renderer shows as nothing. The
// unicode package has no table of it, so the ranges are written here.
// Those that are also format characters (Cf) are refused as such already;
// the others are combining marks and Hangul fillers that draw nothing
// (U+034F COMBINING GRAPHEME JOINER, U+115F and U+1160, U+3164, U+FFA0),
// variation selectors, and code points reserved as ignorable.
var defaultIgnorable = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x00AD, Hi: 0x00AD, Stride: 1},
		{Lo: 0x034F, Hi: 0x034F, Stride: 1},
		{Lo: 0x061C, Hi: 0x061C, Stride: 1},
		{Lo: 0x115F, Hi: 0x1160, Stride: 1},
		{Lo: 0x17B4, Hi: 0x17B5, Stride: 1},
		{Lo: 0x180B, Hi: 0x180F, Stride: 1},
		{Lo: 0x200B, Hi: 0x200F, Stride: 1},
		{Lo: 0x202A, Hi: 0x202E, Stride: 1},
		{Lo: 0x2060, Hi: 0x206F, Stride: 1},
		{Lo: 0x3164, Hi: 0x3164, Stride: 1},
		{Lo: 0xFE00, Hi: 0xFE0F, Stride: 1},
		{Lo: 0xFEFF, Hi: 0xFEFF, Stride: 1},
		{Lo: 0xFFA0, Hi: 0xFFA0, Stride: 1},
		{Lo: 0xFFF0, Hi: 0xFFF8, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x1BCA0, Hi: 0x1BCA3, Stride: 1},
		{Lo: 0x1D173, Hi: 0x1D17A, Stride: 1},
		{Lo: 0xE0000, Hi: 0xE0FFF, Stride: 1},
	},
}

// invisible names what kind of character r is when prose must not hold
// it, or returns "" when it may: line breaks and tabs may; other control
// characters, format characters (bidirectional overrides among them), the
// line and paragraph separators, the default-ignorable code points, and
// U+2800 BRAILLE PATTERN BLANK, which is no whitespace but draws as one,
// may not, so that nothing invisible reaches a generated file.
func invisible(r rune) string {
	switch {
	case r == '\n' || r == '\t':
		return ""
	case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
		return "control character"
	case unicode.Is(defaultIgnorable, r) || r == '\u2800':
		return "invisible character"
	}
	return ""
}

// nonASCII returns the first character of s outside ASCII.
func nonASCII(s string) rune {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return r
		}
	}
	return 0
}

// QuotePath is how generated files name a path: as it is when every
// character shows as itself, and otherwise as a double-quoted Go string in
// which each character that does not (control, format and bidirectional
// characters, the other invisible ones, bytes that are not UTF-8) is
// written as an escape, so that a file name cannot hide text, reorder a
// header line or break out of the comment that holds it. Each output adds
// what its own comment syntax needs (see gen/emit).
func QuotePath(p string) string {
	plain := utf8.ValidString(p)
	for _, r := range p {
		if invisible(r) != "" || r == '\n' || r == '\t' || !unicode.IsPrint(r) && r != ' ' {
			plain = false
		}
	}
	if plain {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, p[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case invisible(r) != "" || r == '\n' || r == '\t' || !unicode.IsPrint(r) && r != ' ':
			if r > 0xFFFF {
				fmt.Fprintf(&b, `\U%08X`, r)
			} else {
				fmt.Fprintf(&b, `\u%04X`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}
