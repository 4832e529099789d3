package emit

import (
	"bytes"
	"embed"
	"fmt"

	"github.com/vssgen/vssgen/gen/model"
)

// The files in _verbatim are generated code that does not vary with the
// spec. They are ordinary Go, in package vss, each starting with its build
// constraint or its package clause, so that they read, format and review
// as Go; the directory's
// leading underscore keeps the go command from building them on their own,
// since they use what the spec-driven files declare. They are compiled and
// vetted as part of generated/vss, whose freshness test holds the copies
// to these originals.
//
//go:embed _verbatim/*.go
var verbatim embed.FS

// verbatimFiles returns the named files of _verbatim as outputs: the
// generated header, then the file as it is but for the package clause,
// which names the spec's package.
func verbatimFiles(s *model.Spec, cfg Config, names ...string) ([]Output, error) {
	var outs []Output
	for _, name := range names {
		src, err := verbatim.ReadFile("_verbatim/" + name)
		if err != nil {
			return nil, fmt.Errorf("internal error: %v", err)
		}
		const clause = "package vss\n"
		constrained := bytes.HasPrefix(src, []byte("//go:build "))
		if !constrained && !bytes.HasPrefix(src, []byte(clause)) || bytes.Count(src, []byte("\n"+clause))+bytes.Count(src[:len(clause)], []byte(clause)) != 1 {
			return nil, fmt.Errorf("internal error: _verbatim/%s must start with its //go:build line or its package clause, and hold one %q", name, clause[:len(clause)-1])
		}
		var buf bytes.Buffer
		for _, l := range headerLines(s, cfg) {
			buf.WriteString("// " + l + "\n")
		}
		if constrained {
			buf.WriteString("//\n") // the build constraint goes on in the header's comment block
		} else {
			buf.WriteString("\n") // a blank line: the header is not the package's doc comment
		}
		buf.Write(bytes.Replace(src, []byte(clause), []byte("package "+s.Package+"\n"), 1))
		outs = append(outs, Output{Name: name, Data: buf.Bytes()})
	}
	return outs, nil
}
