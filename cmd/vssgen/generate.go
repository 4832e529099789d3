package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
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
		wait     = fs.Duration("wait", time.Minute, "how long to wait while another vssgen run writes to the same -out, e.g. -wait 5m")
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

	if *out == "" {
		fmt.Fprintln(stderr, "vssgen: -out is empty; name the output directory (-out . for the current one)")
		return exitError
	}

	opt := gen.Options{Spec: *specPath, Out: *out, Package: *pkg}
	if *stamp {
		opt.Version = buildinfo.Version()
	}
	start := time.Now()
	if !*check {
		return generate(opt, *wait, *quiet, start, stderr)
	}
	plan, err := gen.Plan(opt)
	if err != nil {
		reportSpecError(stderr, "vssgen", err, "; nothing was written")
		return exitError
	}
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

// generate writes the package. SIGINT and SIGTERM roll the transaction
// back before vssgen exits; a run killed outright leaves a journal that the
// next run finishes or undoes, and says so.
func generate(opt gen.Options, wait time.Duration, quiet bool, start time.Time, stderr io.Writer) int {
	files, err := gen.Generate(opt)
	if err != nil {
		reportSpecError(stderr, "vssgen", err, "; nothing was written")
		return exitError
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case s := <-sigs:
			cancel(fmt.Errorf("stopped by %s", signalName(s)))
		case <-ctx.Done():
		}
	}()
	res, err := gen.WriteFiles(ctx, opt.Out, files, wait)
	if res != nil && res.Recovered != "" {
		fmt.Fprintf(stderr, "vssgen: %s\n", res.Recovered)
	}
	switch {
	case err != nil && write.Clean(err):
		fmt.Fprintf(stderr, "vssgen: %v (nothing was changed)\n", err)
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "vssgen: %v\n", err)
		return exitError
	}
	if len(res.Remains) > 0 {
		fmt.Fprintf(stderr, "vssgen: %s is written, but these leftovers could not be removed: %s\n", opt.Out, strings.Join(res.Remains, ", "))
	}
	if !quiet {
		fmt.Fprintf(stderr, "vssgen: %s: %d written, %d unchanged, %d removed in %s\n",
			opt.Out, len(res.Write), len(res.Unchanged), len(res.Remove), time.Since(start).Round(time.Millisecond))
	}
	return exitOK
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
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
Runs into one -out take turns (see -wait). On SIGINT or SIGTERM a run undoes
what it began; a run killed outright is finished or undone by the next one.

Exit status: 0 success; 1 when -check finds the package stale; 2 for a bad
spec, bad flags, an interrupt or any other error, after which nothing on disk
has changed unless the message lists files that remain.
`)
}
