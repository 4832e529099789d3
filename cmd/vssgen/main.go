// Command vssgen generates Go bindings for Windows' Volume Shadow Copy
// Service from a YAML spec. Run from a module root with no arguments it
// regenerates generated/vss from spec/vss.yaml. Its other commands explain
// an HRESULT (vssgen explain CODE), start a spec in a downstream module
// (vssgen init) and print the spec's JSON Schema (vssgen schema).
//
// Exit status: 0 on success; 1 when -check finds the tree stale or explain
// finds the code neither in the spec nor in its built-in VSS spec; 2 for a
// bad spec, bad arguments, an interrupt or any other error (nothing is
// written then, unless the message lists files that could not be removed).
//
// This package parses arguments, dispatches and chooses exit codes; the
// work is done by the gen packages.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vssgen/vssgen/gen/load"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const (
	exitOK       = 0
	exitStale    = 1 // -check found differences
	exitNotFound = 1 // explain: neither the spec nor the built-in one holds the code
	exitError    = 2
)

// A command is one of vssgen's subcommands.
type command struct {
	name    string
	summary string // one line for the overview
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands are vssgen's subcommands; generate is the default. They are set
// in init because generate's help lists them, which a variable initializer
// referring to runGenerate could not allow (an initialization cycle).
var commands []command

func init() {
	commands = []command{
		{"generate", "generate the Go package from the spec (the default command)", runGenerate},
		{"explain", "explain an HRESULT given by name or value", runExplain},
		{"init", "start a spec and its go:generate file in your module", runInit},
		{"schema", "print the JSON Schema of the spec format", runSchema},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "help" {
			return runHelp(args[1:], stdout, stderr)
		}
		for _, c := range commands {
			if args[0] == c.name {
				return c.run(args[1:], stdout, stderr)
			}
		}
	}
	return runGenerate(args, stdout, stderr)
}

// runHelp serves "vssgen help [command]" as "vssgen [command] -h".
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runGenerate([]string{"-h"}, stdout, stderr)
	}
	for _, c := range commands {
		if args[0] == c.name {
			return c.run([]string{"-h"}, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "vssgen help: unknown command %q (commands: %s)\n", args[0], commandNames())
	return exitError
}

func commandNames() string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// newFlagSet makes a flag set whose help (-h) goes to stdout, as output the
// user asked for, and whose errors go to stderr with a pointer to the help.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // parse reports errors and prints help itself
	return fs
}

// parse parses args with fs. When it returns false, the command is over:
// help was printed (exit 0) or the arguments were bad (exit 2).
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, help func(io.Writer)) (exit int, ok bool) {
	err := fs.Parse(args)
	return parseResult(fs, err, stdout, stderr, help)
}

func parseResult(fs *flag.FlagSet, err error, stdout, stderr io.Writer, help func(io.Writer)) (exit int, ok bool) {
	switch {
	case errors.Is(err, flag.ErrHelp):
		help(stdout)
		return exitOK, false
	case err != nil:
		// The flag package has printed what is wrong.
		fmt.Fprintf(stderr, "run '%s -h' for usage\n", fs.Name())
		return exitError, false
	}
	return exitOK, true
}

// printFlags lists fs's flags the way the flag package does, to w.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}

// reportSpecError prints spec problems one per line, as compilers do (the
// first load.MaxListed, then a count of the rest), and any other error once.
func reportSpecError(stderr io.Writer, prog string, err error, consequence string) {
	var problems load.Problems
	if errors.As(err, &problems) {
		fmt.Fprintln(stderr, problems.Error()) // at most load.MaxListed of them
		fmt.Fprintf(stderr, "%s: %d problem(s) in the spec%s\n", prog, len(problems), consequence)
		return
	}
	fmt.Fprintf(stderr, "%s: %v\n", prog, err)
}
