// Package scaffold writes the starting point of a downstream package: a
// small but real spec (IVssAsync with the codes it uses), the spec's JSON
// Schema beside it so that an editor's YAML language server can check it
// without fetching anything, and a gen.go holding the go:generate line.
// It never overwrites a file: if any target exists, it writes nothing.
package scaffold

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/gen/write"
	"github.com/vssgen/vssgen/spec"
)

var (
	//go:embed vss.yaml.tmpl
	specTemplateText string
	//go:embed gen.go.tmpl
	genTemplateText string
)

// The names of the files Files produces. The spec's first line names
// SchemaFile by a relative path, so the two must stay side by side.
const (
	SpecFile   = "vss.yaml"
	SchemaFile = spec.SchemaFile
	GenFile    = "gen.go"
)

// DefaultPackage is the package name used when a directory's name cannot
// be made into one.
const DefaultPackage = "vss"

var templates = map[string]*template.Template{
	SpecFile: template.Must(template.New(SpecFile).Option("missingkey=error").Parse(specTemplateText)),
	GenFile:  template.Must(template.New(GenFile).Option("missingkey=error").Parse(genTemplateText)),
}

// Schema returns the JSON Schema of the spec format.
func Schema() []byte { return spec.Schema() }

// File is one starter file; Name is relative to the target directory.
type File struct {
	Name string
	Data []byte
}

// Files renders the starter files for a Go package named pkg, in the order
// a reader would open them: the spec, its schema, the go:generate file.
// With full, the spec is vssgen's flagship spec (the whole requester
// surface of spec/vss.yaml) renamed to pkg, to be trimmed to what the
// module calls; otherwise it is the small starter spec.
func Files(pkg string, full bool) ([]File, error) {
	if err := CheckPackageName(pkg); err != nil {
		return nil, err
	}
	var specText []byte
	var err error
	if full {
		specText, err = fullSpec(pkg)
	} else {
		specText, err = render(SpecFile, pkg)
	}
	if err != nil {
		return nil, err
	}
	gen, err := render(GenFile, pkg)
	if err != nil {
		return nil, err
	}
	return []File{{SpecFile, specText}, {SchemaFile, Schema()}, {GenFile, gen}}, nil
}

// flagshipPackageLine is the flagship spec's package line, which fullSpec
// replaces; the flagship spec keeps its other lines, comments included.
const flagshipPackageLine = "\npackage: vss\n"

// fullSpec returns the flagship spec with its package named pkg.
func fullSpec(pkg string) ([]byte, error) {
	text := spec.VSS()
	if bytes.Count(text, []byte(flagshipPackageLine)) != 1 {
		return nil, errors.New("the built-in flagship spec has no single top-level \"package: vss\" line")
	}
	return bytes.Replace(text, []byte(flagshipPackageLine), []byte("\npackage: "+pkg+"\n"), 1), nil
}

func render(name, pkg string) ([]byte, error) {
	var buf bytes.Buffer
	err := templates[name].Execute(&buf, struct{ Package string }{pkg})
	return buf.Bytes(), err
}

// CheckPackageName reports whether pkg can name the package, by the rule
// generate applies to a spec's package (model.CheckPackageName), so that
// init never writes a spec that generate refuses.
func CheckPackageName(pkg string) error {
	return model.CheckPackageName(pkg)
}

// PackageName makes a package name from a directory's base name the way
// Go authors name packages: lower-case ASCII letters and digits, starting
// with a letter ("VSS-Bindings" becomes "vssbindings"). It returns
// DefaultPackage when no letter is left or the result cannot name a
// package (a Go keyword, main, documentation).
func PackageName(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	var b strings.Builder
	for _, r := range strings.ToLower(filepath.Base(dir)) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if CheckPackageName(name) != nil {
		return DefaultPackage
	}
	return name
}

// ExistsError says which targets already exist; Write then wrote nothing.
type ExistsError struct {
	Paths []string
}

func (e *ExistsError) Error() string {
	if len(e.Paths) == 1 {
		return e.Paths[0] + " already exists"
	}
	return strings.Join(e.Paths, ", ") + " already exist"
}

// Write creates the files in dir, creating dir and its parents as needed,
// and returns the paths it wrote. If any target exists it writes nothing
// and returns an *ExistsError naming every such target. On any other
// failure it removes what it created, so dir is as it was.
func Write(dir string, files []File) (written []string, err error) {
	var existing []string
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if _, err := os.Lstat(p); err == nil {
			existing = append(existing, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if len(existing) > 0 {
		return nil, &ExistsError{existing}
	}

	created := write.MissingDirs(dir)
	defer func() {
		if err == nil {
			return
		}
		for _, p := range written {
			os.Remove(p)
		}
		write.RemoveDirs(created)
		written = nil
	}()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		// O_EXCL keeps the promise even if the file appeared since the check above.
		out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return written, &ExistsError{[]string{p}}
		}
		if err != nil {
			return written, err
		}
		written = append(written, p)
		_, err = out.Write(f.Data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return written, nil
}

// InModule reports whether dir lies inside a Go module: whether dir or one
// of its parents holds a go.mod. The go:generate line in GenFile runs
// "go tool vssgen", which needs one.
func InModule(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return false
		}
		d = parent
	}
}
