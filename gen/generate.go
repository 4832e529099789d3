// Package gen is vssgen's generator: spec path in, files out. It runs the
// stages in order — load (gen/load), validate into a model (gen/model),
// emit (gen/emit) — and hands the result to gen/write, which puts it on disk
// as one transaction or diffs it against the tree.
package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/vssgen/vssgen/gen/emit"
	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/gen/write"
)

// Options are the inputs of one generation.
type Options struct {
	Spec    string // path of the YAML spec
	Out     string // output directory
	Package string // overrides the spec's package name when set
	Version string // stamped into headers when set
}

// Generate loads and validates the spec and renders every output in memory.
// It writes nothing. Spec problems come back as load.Problems.
func Generate(opt Options) ([]write.File, error) {
	raw, err := load.File(opt.Spec)
	if raw == nil {
		return nil, err
	}
	return fromRaw(raw, err, opt)
}

// GenerateBytes is Generate for a spec already in memory; name stands for
// its path in messages and headers.
func GenerateBytes(name string, data []byte, opt Options) ([]write.File, error) {
	raw, err := load.Bytes(name, data)
	if raw == nil {
		return nil, err
	}
	opt.Spec = name
	return fromRaw(raw, err, opt)
}

// LoadModel loads and validates the spec at path, for tools that read the
// model rather than generate (vssgen explain, tests, benchmarks). Problems
// come back as load.Problems, as from Generate. The model's Source is path
// as given, so that what such tools print names the file the way the user did.
func LoadModel(path string) (*model.Spec, error) {
	raw, err := load.File(path)
	if raw == nil {
		return nil, err
	}
	return build(raw, err, path, path)
}

// build runs the model stage on a loaded spec. loadErr holds the problems
// the load stage found in the parts of the spec it could not read; they
// are reported together with the model's, in file order.
func build(raw *load.Spec, loadErr error, file, source string) (*model.Spec, error) {
	spec, err := model.Build(raw, file, source)
	if loadErr == nil {
		return spec, err
	}
	var all, more load.Problems
	if !errors.As(loadErr, &all) {
		return nil, loadErr
	}
	if errors.As(err, &more) {
		all = append(append(load.Problems(nil), all...), more...)
		sort.SliceStable(all, func(i, j int) bool {
			pi, pj := all[i].Pos, all[j].Pos
			return pi.Line < pj.Line || pi.Line == pj.Line && pi.Col < pj.Col
		})
	} else if err != nil {
		return nil, err
	}
	return nil, all
}

// FromRaw runs the stages after loading.
func FromRaw(raw *load.Spec, opt Options) ([]write.File, error) {
	return fromRaw(raw, nil, opt)
}

func fromRaw(raw *load.Spec, loadErr error, opt Options) ([]write.File, error) {
	if opt.Package != "" {
		// The flag's name is checked here, so that a bad one is blamed on
		// the flag rather than on the spec's package line.
		if err := model.CheckPackageName(opt.Package); err != nil {
			return nil, fmt.Errorf("-pkg: %w", err)
		}
		raw.Package = load.Str{Value: opt.Package, Pos: raw.Package.Pos, Set: true}
	}
	spec, err := build(raw, loadErr, opt.Spec, SourceName(opt.Spec))
	if err != nil {
		return nil, err
	}
	outs, err := emit.All(spec, emit.Config{Version: opt.Version})
	if err != nil {
		return nil, err
	}
	files := make([]write.File, len(outs))
	total := 0
	for i, o := range outs {
		files[i] = write.File{Name: o.Name, Data: o.Data}
		total += len(o.Data)
	}
	if total > outputLimit {
		return nil, fmt.Errorf("%s: the generated files would take %d bytes, more than the %d (%d MiB) vssgen writes", opt.Spec, total, outputLimit, outputLimit>>20)
	}
	return files, nil
}

// MaxOutputSize is the most bytes one generation may produce, all files
// together; the generator refuses a spec that would give more before
// anything is written. The limits of the spec format (see gen/model) keep
// every accepted spec far below it: spec/vss.yaml gives about 2.7 MB.
const MaxOutputSize = 256 << 20

// outputLimit is MaxOutputSize, lowered by tests.
var outputLimit = MaxOutputSize

// Plan generates and compares the result with the output directory. Its
// diff names files relative to the module root that holds the output
// directory, so that it applies from there.
func Plan(opt Options) (*write.Plan, error) {
	files, err := Generate(opt)
	if err != nil {
		return nil, err
	}
	p, err := write.NewPlan(opt.Out, files, emit.GeneratedMarker)
	if err != nil {
		return nil, err
	}
	p.DiffDir = DiffDir(opt.Out)
	return p, nil
}

// DiffDir is how diffs name the output directory out: relative to the root
// of the Go module holding it (where git apply and patch -p1 run), with
// forward slashes. Outside a module it is out relative to the current
// directory. It is "" (names relative to out) when out is that directory
// or lies above it.
func DiffDir(out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		return ""
	}
	base, ok := moduleRoot(abs)
	if !ok {
		if base, err = os.Getwd(); err != nil {
			return ""
		}
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == "." || !filepath.IsLocal(rel) {
		return ""
	}
	return filepath.ToSlash(rel)
}

// moduleRoot is the nearest directory at or above dir (absolute) that
// holds a go.mod.
func moduleRoot(dir string) (string, bool) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// WriteFiles writes generated files into dir as one transaction, serialised
// with other runs writing there (see write.Write).
func WriteFiles(ctx context.Context, dir string, files []write.File, wait time.Duration) (*write.Result, error) {
	return write.Write(ctx, dir, files, emit.GeneratedMarker, wait)
}

// SourceName is how generated headers name the spec: its path relative to
// the root of the Go module holding it, with forward slashes, so the bytes
// do not depend on the directory vssgen runs in. Outside a module it is the
// file name alone. A name with characters that do not show as themselves
// (control, bidirectional, invisible) is quoted with those escaped.
func SourceName(specPath string) string {
	name := filepath.Base(specPath)
	if abs, err := filepath.Abs(specPath); err == nil {
		if root, ok := moduleRoot(filepath.Dir(abs)); ok {
			if rel, err := filepath.Rel(root, abs); err == nil {
				name = filepath.ToSlash(rel)
			}
		}
	}
	return model.QuotePath(name)
}
