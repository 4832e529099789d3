package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/vssgen/vssgen/gen/scaffold"
)

func runInit(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("vssgen init", stderr)
	dir := fs.String("dir", ".", "the `directory` to write the files to, created if missing, e.g. -dir vss")
	pkg := fs.String("pkg", "", "the Go package `name` (default: the directory's name made into one, or "+scaffold.DefaultPackage+"), e.g. -pkg shadow")
	full := fs.Bool("full", false, "start from the whole requester surface (vssgen's spec/vss.yaml: every interface, method and code) instead of IVssAsync alone; trim what you do not call")
	if exit, ok := parse(fs, args, stdout, stderr, func(w io.Writer) { initHelp(w, fs) }); !ok {
		return exit
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vssgen init: unexpected argument %q (see vssgen init -h)\n", fs.Arg(0))
		return exitError
	}
	name := *pkg
	if name == "" {
		name = scaffold.PackageName(*dir)
	}
	files, err := scaffold.Files(name, *full)
	if err != nil {
		fmt.Fprintf(stderr, "vssgen init: -pkg: %v\n", err)
		return exitError
	}
	written, err := scaffold.Write(*dir, files)
	var exists *scaffold.ExistsError
	switch {
	case errors.As(err, &exists):
		fmt.Fprintf(stderr, "vssgen init: %v; init never overwrites a file, so nothing was written\n", err)
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "vssgen init: %v (nothing was written)\n", err)
		return exitError
	}
	fmt.Fprintf(stderr, "vssgen init: wrote %s (package %s)\n", strings.Join(written, ", "), name)
	if !scaffold.InModule(*dir) {
		fmt.Fprintf(stderr, "vssgen init: note: %s is not inside a Go module; the go:generate line needs one (go mod init, then go get -tool %s)\n", *dir, toolPath)
	}
	fmt.Fprintln(stderr, "vssgen init: next, run go generate ./... to generate the package, then go mod tidy once (the package imports golang.org/x/sys/windows)")
	if !*full {
		fmt.Fprintln(stderr, "vssgen init: the spec holds IVssAsync alone; vssgen init -full starts from every interface and code of the VSS requester API")
	}
	return exitOK
}

// toolPath is what downstream modules record with go get -tool.
const toolPath = "github.com/vssgen/vssgen/cmd/vssgen"

func initHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `Usage:
  vssgen init [-dir DIR] [-pkg NAME] [-full]

Starts vssgen in your module by writing three files into DIR:
  %-16s the spec: IVssAsync with the codes it uses, to which you add the
                   interfaces you call; or with -full, every interface and
                   code of the VSS requester API, from which you trim
  %-16s the spec's JSON Schema, which the spec's first line names for editors
  %-16s //go:generate go tool vssgen -spec %s -out . -pkg NAME

It never overwrites a file: if any of the three exists, it writes nothing
and exits 2. Afterwards go generate ./... generates the package beside them.

Examples:
  vssgen init -dir vss                       writes vss/vss.yaml, ... in package vss
  vssgen init -dir internal/shadow -pkg sh   another directory and package name
  vssgen init -full -dir vss                 every VSS interface and code, to trim

Flags:
`, scaffold.SpecFile, scaffold.SchemaFile, scaffold.GenFile, scaffold.SpecFile)
	printFlags(w, fs)
}

func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("vssgen schema", stderr)
	if exit, ok := parse(fs, args, stdout, stderr, schemaHelp); !ok {
		return exit
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vssgen schema: unexpected argument %q (see vssgen schema -h)\n", fs.Arg(0))
		return exitError
	}
	if _, err := stdout.Write(scaffold.Schema()); err != nil {
		fmt.Fprintf(stderr, "vssgen schema: %v\n", err)
		return exitError
	}
	return exitOK
}

func schemaHelp(w io.Writer) {
	fmt.Fprintf(w, `Usage:
  vssgen schema

Prints the JSON Schema of the spec format, the file vssgen init writes as
%s. After upgrading vssgen, refresh your copy with it.

Example:
  go tool vssgen schema > vss/%s
`, scaffold.SchemaFile, scaffold.SchemaFile)
}
