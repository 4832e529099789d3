package model

import (
	"fmt"
	"go/token"
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
