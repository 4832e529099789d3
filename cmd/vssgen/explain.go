package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/vssgen/vssgen/gen"
	"github.com/vssgen/vssgen/gen/explain"
)

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("vssgen explain", stderr)
	specPath := fs.String("spec", "spec/vss.yaml", "the YAML spec `file` to look codes up in, e.g. -spec vss/vss.yaml")
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
	spec, err := gen.LoadModel(*specPath)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "vssgen explain: %v (name your spec with -spec)\n", err)
		return exitError
	}
	if err != nil {
		reportSpecError(stderr, "vssgen explain", err, "")
		return exitError
	}
	e := explain.Explain(spec, arg)
	fmt.Fprint(stdout, e)
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
  vssgen explain [-spec FILE] CODE

Explains an HRESULT: its name, value, severity, facility and code, its
meaning, every method and DLL function of the spec that documents it with
the meaning there (marking codes that arrive through the IVssAsync a method
returns), and the OS-version notes that go with it, including the codes older
systems return in its place. A value the spec does not hold is still decoded.

CODE is a name or a value in any common form:
  vssgen explain VSS_E_UNEXPECTED            a name (any case)
  vssgen explain 0x8004230f                  hex, also 0X8004230F
  vssgen explain 8004230F                    8 hex digits, as event logs print codes
  vssgen explain -2147212529                 signed decimal, as an int32 prints
  vssgen explain 2147754767                  unsigned decimal
  vssgen explain 0x80070005 -spec vss.yaml   look in another spec

Flags:
`)
	printFlags(w, fs)
	fmt.Fprint(w, `
Exit status: 0 when the spec holds the code; 1 when it does not (the value
is still decoded); 2 for a malformed CODE or a bad spec.
`)
}
