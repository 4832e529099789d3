// Command vssgen generates Go bindings for Windows' Volume Shadow Copy
// Service from a YAML spec. Run from a module root with no flags it
// regenerates generated/vss from spec/vss.yaml.
//
// Exit status: 0 on success, 1 when -check finds the tree stale, 2 for a bad
// spec, bad flags or any other error (nothing is written then).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/load"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const (
	exitOK    = 0
	exitStale = 1
	exitError = 2
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vssgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		specPath = fs.String("spec", "spec/vss.yaml", "the YAML spec to read")
		out      = fs.String("out", "generated/vss", "the directory to write the generated package to")
		pkg      = fs.String("pkg", "", "package name of the generated code (default: the spec's package)")
		check    = fs.Bool("check", false, "write nothing; print a unified diff of what would change and exit 1 if anything would")
		quiet    = fs.Bool("q", false, "do not print the summary line")
		version  = fs.Bool("version", false, "print vssgen's version and exit")
		stamp    = fs.Bool("stamp", false, "name vssgen's version in every generated header (off by default, so upgrading vssgen does not touch every file)")
	)
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vssgen: unexpected argument %q (see vssgen -h)\n", fs.Arg(0))
		return exitError
	}
	if *version {
		fmt.Fprintln(stdout, "vssgen", buildVersion())
		return exitOK
	}
	opt := gen.Options{Spec: *specPath, Out: *out, Package: *pkg}
	if *stamp {
		opt.Version = buildVersion()
	}
	start := time.Now()
	plan, err := gen.Plan(opt)
	if err != nil {
		report(stderr, err)
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
		fmt.Fprintf(stderr, "vssgen: %s is stale: %d file(s) differ from %s; run vssgen to regenerate\n", *out, len(plan.Write)+len(plan.Remove), *specPath)
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

// report prints spec problems one per line, as compilers do, and any other error once.
func report(stderr io.Writer, err error) {
	var problems load.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(stderr, p.Error())
		}
		fmt.Fprintf(stderr, "vssgen: %d problem(s) in the spec; nothing was written\n", len(problems))
		return
	}
	fmt.Fprintf(stderr, "vssgen: %v\n", err)
}

func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(unknown)"
	}
	return info.Main.Version
}

func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `vssgen generates Go bindings for the Volume Shadow Copy Service from a YAML spec.

Usage:
  vssgen [flags]

Examples:
  vssgen                                   regenerate generated/vss from spec/vss.yaml
  vssgen -spec vss.yaml -out . -pkg vss    generate into the current directory
  vssgen -check                            fail with a diff when generated/ is stale

Flags:
`)
	fs.PrintDefaults()
}
