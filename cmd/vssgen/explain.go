package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/explain"
	"github.com/vssgen/vssgen/gen/model"
)

// defaultSpec is where both generate and explain look for the spec.
const defaultSpec = "spec/vss.yaml"

// flagSet reports whether the command line set the flag.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("vssgen explain", stderr)
	specPath := fs.String("spec", defaultSpec, "the YAML spec `file` to look codes up in first, e.g. -spec vss/vss.yaml")
	all := fs.Bool("all", false, "list every method that documents the code, even past one screen, e.g. -all")
	codes, err := parseInterspersed(fs, args)
	if exit, ok := parseResult(fs, err, stdout, stderr, func(w io.Writer) { explainHelp(w, fs) }); !ok {
		return exit
	}
	if len(codes) != 1 {
		fmt.Fprintln(stderr, "vssgen explain: give one CODE, a name like VSS_E_UNEXPECTED or a value like 0x8004230f (see vssgen explain -h)")
		return exitError
	}
	arg, err := explain.ParseArg(codes[0])
	if err != nil {
		fmt.Fprintf(stderr, "vssgen explain: %v\n", err)
		return exitError
	}
	builtin, err := explain.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "vssgen explain: %v\n", err)
		return exitError
	}
	// The user's spec answers first; vssgen's own flagship spec answers for
	// every code it lacks. Without -spec and without spec/vss.yaml (outside
	// this repository), the flagship spec answers alone.
	specs := []*model.Spec{builtin}
	spec, err := gen.LoadModel(*specPath)
	switch {
	case errors.Is(err, os.ErrNotExist) && !flagSet(fs, "spec"):
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(stderr, "vssgen explain: %v (name your spec with -spec)\n", err)
		return exitError
	case err != nil:
		reportSpecError(stderr, "vssgen explain", err, "")
		return exitError
	default:
		specs = []*model.Spec{spec, builtin}
	}
	e := explain.Lookup(arg, specs...)
	if len(e.Ambiguous) > 0 {
		// Picking one would explain a code the user may not have meant.
		var names []string
		for _, h := range e.Ambiguous {
			names = append(names, fmt.Sprintf("%s (%s)", h.Name, h.Hex()))
		}
		fmt.Fprintf(stderr, "vssgen explain: %s is ambiguous: %s holds %s, which differ from it only in case; give one of them exactly\n",
			arg.Text, e.Spec.Source, strings.Join(names, ", "))
		return exitError
	}
	fmt.Fprint(stdout, e.Text(*all))
	if !e.Found() {
		return exitNotFound
	}
	return exitOK
}

// negativeNumber matches an argument such as -2147212542: a value to
// explain, never a flag, since no flag is named by digits.
var negativeNumber = regexp.MustCompile(`^-[0-9]`)

// parseInterspersed parses flags that may come before or after the
// positional arguments ("vssgen explain 0x8004230f -spec vss.yaml") and
// returns the positional ones. A negative number is positional; "--" ends
// the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		for len(args) > 0 && negativeNumber.MatchString(args[0]) {
			positional = append(positional, args[0])
			args = args[1:]
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func explainHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage:
  vssgen explain [-spec FILE] [-all] CODE

Explains an HRESULT: its name, value, severity, facility and code, its
meaning, every method and DLL function of the spec that documents it with
the meaning there (marking codes that arrive through the IVssAsync a method
returns), and the OS-version notes that go with it, including the codes older
systems return in its place. Methods with the same meaning and notes are
listed together, and the output keeps to one screen unless -all is given.

The spec named by -spec (default spec/vss.yaml) answers first; for a code it
lacks, vssgen's built-in VSS spec answers, and the source line says which
did. Without -spec and without spec/vss.yaml, the built-in spec answers alone. A value neither holds is still decoded, and recognised as an NTSTATUS
(such as 0xC0000005, STATUS_ACCESS_VIOLATION) or a Win32 error code (such as
5, ERROR_ACCESS_DENIED) when it is one.

CODE is a name or a value in one of these forms:
  vssgen explain VSS_E_UNEXPECTED            a name (any case)
  vssgen explain 0x8004230f                  hex, also 0X8004230F
  vssgen explain 8004230F                    8 hex digits, as event logs print codes
  vssgen explain -2147212529                 signed decimal, as an int32 prints
  vssgen explain 2147754767                  unsigned decimal
  vssgen explain 0x80070005 -spec vss.yaml   look in another spec first
  vssgen explain -all S_OK                   every method, past one screen

Other forms are refused rather than guessed at: a + sign, 0b and 0o
prefixes, exponents such as 1e3, digit separators, and hex without 0x
unless it has exactly 8 digits (write 0x4230a, not 4230a). A name is
matched exactly, else ignoring case; when several names of the spec differ
from it only in case (E_Case and E_CASE for e_case), vssgen lists them and
exits 2 rather than pick one.

Flags:
`)
	printFlags(w, fs)
	fmt.Fprint(w, `
Exit status: 0 when the spec or the built-in one holds the code; 1 when
neither does (the value is still decoded); 2 for a malformed CODE, a name
that matches several codes only ignoring case, or a bad spec.
`)
}
