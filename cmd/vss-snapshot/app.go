package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// app is one run of the command, with everything it touches outside
// itself, so that tests can run it whole.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// env is the environment exec's program starts from.
	env []string
	// progress shows the long steps on stderr: it is a terminal.
	progress bool
	// newService connects to the shadow copy service.
	newService func() (service, error)
}

// command is one subcommand. setup defines its flags on fs and returns
// the function that runs it with the arguments left after the flags.
type command struct {
	name     string
	args     string // the usage line after the name
	short    string // one line for the command list
	long     string // the help text, before the flags
	examples string
	setup    func(fs *flag.FlagSet) func(ctx context.Context, a *app, args []string) int
}

// commands are the subcommands, in the order help lists them.
func commands() []*command {
	return []*command{createCmd, execCmd, listCmd, deleteCmd, exposeCmd, unexposeCmd, linkCmd}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run runs the command line args (without the program's name) and
// returns the exit status.
func (a *app) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.printUsage(a.stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return a.help(args[1:])
	}
	c := findCommand(args[0])
	if c == nil {
		return a.usageError(unknownCommand(args[0]), "")
	}
	fs := newFlagSet(c)
	runCmd := c.setup(fs)
	rest, err := parseFlags(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		a.commandHelp(a.stdout, c)
		return exitOK
	}
	if err != nil {
		return a.usageError(err.Error(), c.name)
	}
	return runCmd(ctx, a, rest)
}

// unknownCommand says what is wrong with a first argument that is no
// command, with a guess at what was meant.
func unknownCommand(arg string) string {
	name := strings.TrimLeft(arg, "-")
	switch {
	case strings.HasPrefix(arg, "-") && findCommand(name) != nil:
		return fmt.Sprintf("unknown flag %s: the commands are words; did you mean 'vss-snapshot %s'?", arg, name)
	case strings.HasPrefix(arg, "-"):
		return fmt.Sprintf("unknown flag %s: flags follow the command, as in 'vss-snapshot create %s C:'", arg, arg)
	case len(strings.TrimSuffix(arg, `\`)) == 2 && arg[1] == ':':
		return fmt.Sprintf("unknown command %q: to copy a volume, run 'vss-snapshot create %s' (persistent) or 'vss-snapshot exec %s -- PROGRAM'", arg, arg, arg)
	}
	return fmt.Sprintf("unknown command %q", arg)
}

// help is "vss-snapshot help [COMMAND]".
func (a *app) help(args []string) int {
	switch {
	case len(args) == 0:
		a.printUsage(a.stdout)
		return exitOK
	case len(args) > 1:
		return a.usageError("help takes one command", "")
	case args[0] == "exit-codes":
		fmt.Fprint(a.stdout, exitCodesHelp)
		return exitOK
	case args[0] == "environment":
		fmt.Fprint(a.stdout, environmentHelp)
		return exitOK
	}
	c := findCommand(args[0])
	if c == nil {
		return a.usageError(fmt.Sprintf("unknown help topic %q", args[0]), "")
	}
	a.commandHelp(a.stdout, c)
	return exitOK
}

// usageError reports bad arguments to cmd (empty for the command itself)
// and where the help is; it returns exitUsage.
func (a *app) usageError(msg, cmd string) int {
	fmt.Fprintf(a.stderr, "%s: %s\n", progName, msg)
	if cmd == "" {
		fmt.Fprintf(a.stderr, "run '%s help' for usage\n", progName)
	} else {
		fmt.Fprintf(a.stderr, "run '%s help %s' for usage\n", progName, cmd)
	}
	return exitUsage
}

// fail reports err, which may span lines, and returns the exit status for
// it: exitInterrupted when ctx was cancelled by a signal, else exitFailed.
func (a *app) fail(ctx context.Context, err error) int {
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(a.stderr, "%s: %s\n", progName, line)
	}
	if h := hint(err); h != "" {
		fmt.Fprintf(a.stderr, "%s: %s\n", progName, h)
	}
	if errors.Is(err, errNeedsWindows) {
		return exitUsage
	}
	if ctx.Err() != nil {
		fmt.Fprintf(a.stderr, "%s: interrupted\n", progName)
		return exitInterrupted
	}
	return exitFailed
}

// connect connects to the service, reporting a failure.
func (a *app) connect(ctx context.Context) (service, int) {
	svc, err := a.newService()
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return svc, exitOK
}

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(progName+" "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by usageError, help by commandHelp
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args the way restic and gh do: flags may come before,
// between or after the other arguments, and "--" ends the flags. What is
// not a flag is returned in order; after "--" everything is, with the
// "--" itself kept so that exec can find its program.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		consumed := args[:len(args)-len(left)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(append(rest, "--"), left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// splitDashDash splits args at the first "--".
func splitDashDash(args []string) (before, after []string, found bool) {
	for i, arg := range args {
		if arg == "--" {
			return args[:i], args[i+1:], true
		}
	}
	return args, nil, false
}

// volumePath gives a volume as VSS wants it: with the trailing backslash
// people often leave off (C: becomes C:\).
func volumePath(arg string) string {
	if strings.HasSuffix(arg, `\`) {
		return arg
	}
	return arg + `\`
}

// listFlag is a flag that may be given many times, each time with one
// value or a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}
