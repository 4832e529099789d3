package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/buildinfo"
	"github.com/vssgen/vssgen/gen/write"
)

func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("vssgen", stderr)
	var (
		specPath = fs.String("spec", defaultSpec, "the YAML `file` to read, e.g. -spec vss.yaml")
		out      = fs.String("out", "generated/vss", "the `directory` to write the package to, e.g. -out .")
		pkg      = fs.String("pkg", "", "the package `name`, overriding the spec's package, e.g. -pkg shadow")
		check    = fs.Bool("check", false, "write nothing; print a unified diff and exit 1 if anything would change, e.g. -check in CI")
		quiet    = fs.Bool("q", false, "print no summary line on stderr, e.g. -q in go:generate lines")
		stamp    = fs.Bool("stamp", false, "name vssgen's version in every generated header (off, so an upgrade does not touch every file), e.g. -stamp")
		version  = fs.Bool("version", false, "print vssgen's version and exit, e.g. -version")
	)
	if exit, ok := parse(fs, args, stdout, stderr, func(w io.Writer) { generateHelp(w, fs) }); !ok {
		return exit
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vssgen: unexpected argument %q (commands: %s; see vssgen -h)\n", fs.Arg(0), commandNames())
		return exitError
	}
	if *version {
		fmt.Fprintln(stdout, "vssgen", buildinfo.Describe())
		return exitOK
	}

	opt := gen.Options{Spec: *specPath, Out: *out, Package: *pkg}
	if *stamp {
		opt.Version = buildinfo.Version()
	}
	start := time.Now()
	plan, err := gen.Plan(opt)
	if err != nil {
		reportSpecError(stderr, "vssgen", err, "; nothing was written")
		return exitError
	}
	if *check {
		if !plan.Stale() {
			if !*quiet {
				fmt.Fprintf(stderr, "vssgen: %s is up to date with %s\n", *out, *specPath)
			}
			return exitOK
		}
		fmt.Fprint(stdout, plan.Diff())
		fmt.Fprintf(stderr, "vssgen: %s is stale: %s differ from what %s gives; run without -check to regenerate\n", *out, staleFiles(plan), *specPath)
		return exitStale
	}
	if err := plan.Apply(); err != nil {
		fmt.Fprintf(stderr, "vssgen: %v (nothing was changed)\n", err)
		return exitError
	}
	if !*quiet {
		fmt.Fprintf(stderr, "vssgen: %s: %d written, %d unchanged, %d removed in %s\n",
			*out, len(plan.Write), len(plan.Unchanged), len(plan.Remove), time.Since(start).Round(time.Millisecond))
	}
	return exitOK
}

// staleFiles names the files a plan would write or remove, in name order
// like the diff.
func staleFiles(plan *write.Plan) string {
	var names []string
	for _, f := range plan.Write {
		names = append(names, f.Name)
	}
	for _, name := range plan.Remove {
		names = append(names, name+" (no longer generated)")
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func generateHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `vssgen generates Go bindings for the Volume Shadow Copy Service from a YAML spec.

Usage:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  vssgen %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  vssgen                                      regenerate generated/vss from spec/vss.yaml
  vssgen -spec vss.yaml -out . -pkg vss       generate into the current directory
  vssgen -spec vss.yaml -out . -check         CI: exit 1 with a diff if the package is stale
  vssgen explain 0x8004230f                   what does this code from a log mean?
  vssgen init -dir vss                        start vss/vss.yaml and vss/gen.go in your module
  vssgen init -full -dir vss                  the same, starting from every VSS interface and code
  vssgen schema > vss.schema.json             refresh the schema copy after upgrading vssgen

Run 'vssgen explain -h', 'vssgen init -h' or 'vssgen schema -h' for their flags.

Flags of generate (vssgen [generate] [flags]):
`)
	printFlags(w, fs)
	fmt.Fprint(w, `
Exit status: 0 success; 1 when -check finds the package stale; 2 for a bad
spec, bad flags or any other error, after which nothing on disk has changed.
`)
}
