// Command vss-snapshot takes a shadow copy of one volume with the Volume
// Shadow Copy Service and prints the shadow copy's device path, such as
// \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy7. It is a complete VSS
// requester written against the generated package
// github.com/vssgen/vssgen/generated/vss:
//
//	vss-snapshot C:\              # a temporary shadow copy, gone when the command exits
//	vss-snapshot -keep D:\        # a persistent one, kept until deleted
//	vss-snapshot -timeout 2m -v C:\
//
// By default the shadow copy is made in the VSS_CTX_BACKUP context: it is
// not persistent, and VSS deletes it as soon as the command releases its
// backup components, that is, when the command exits. With -keep it is made
// in the VSS_CTX_APP_ROLLBACK context, which is persistent: it stays until
// it is deleted, for example with "vssadmin delete shadows /shadow={ID}",
// and the command prints that ID. Both are copy backups (VSS_BT_COPY), so
// writers such as SQL Server or Exchange do not record them as backups and
// truncate no logs.
//
// The command needs an elevated prompt (administrator or backup operator),
// a process of the machine's own architecture (VSS refuses 32-bit programs
// on 64-bit Windows) and Windows; on other systems it only says so.
//
// Exit status: 0 success; 1 a VSS step failed, with a message that names the
// step and the method; 2 bad arguments or not Windows.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

const (
	exitOK     = 0
	exitFailed = 1 // a step of the shadow copy failed
	exitUsage  = 2 // bad arguments, or a system without VSS
)

const progName = "vss-snapshot"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses the arguments and takes the shadow copy; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer) int {
	opts, exit, ok := parseArgs(args, stdout, stderr)
	if !ok {
		return exit
	}
	return snapshot(opts, stdout, stderr)
}

// options are what the command line asks for.
type options struct {
	// volume is the volume to copy, in the form AddToSnapshotSet wants:
	// ending in a backslash (C:\, a mounted folder or a volume GUID path).
	volume string
	// timeout bounds each asynchronous VSS operation separately.
	timeout time.Duration
	// keep asks for a persistent shadow copy that outlives the command.
	keep bool
	// verbose logs each step on stderr before it starts.
	verbose bool
}

const defaultTimeout = 10 * time.Minute

// parseArgs parses the command line. When ok is false the command is over
// with status exit: help was printed (0) or the arguments were bad (2).
func parseArgs(args []string, stdout, stderr io.Writer) (opts options, exit int, ok bool) {
	fs := flag.NewFlagSet(progName, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // help and errors are printed below
	fs.DurationVar(&opts.timeout, "timeout", defaultTimeout, "how long to wait for each asynchronous VSS operation (writers gathering metadata, preparing, taking the shadow copy, completing)")
	fs.BoolVar(&opts.keep, "keep", false, "make a persistent shadow copy (VSS_CTX_APP_ROLLBACK) that stays after the command exits, and print its ID")
	fs.BoolVar(&opts.verbose, "v", false, "log each step on stderr")

	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(stdout, fs)
		return opts, exitOK, false
	case err != nil:
		// The flag package has printed what is wrong.
		return opts, usageError(stderr, ""), false
	case fs.NArg() != 1:
		return opts, usageError(stderr, "give exactly one volume, such as C:\\"), false
	case opts.timeout <= 0:
		return opts, usageError(stderr, fmt.Sprintf("-timeout must be positive, not %v", opts.timeout)), false
	}
	opts.volume = volumePath(fs.Arg(0))
	if opts.volume == `\` {
		return opts, usageError(stderr, "the volume is empty"), false
	}
	return opts, exitOK, true
}

// usageError prints msg, if any, and where to find help; it returns the
// exit status for bad arguments.
func usageError(stderr io.Writer, msg string) int {
	if msg != "" {
		fmt.Fprintf(stderr, "%s: %s\n", progName, msg)
	}
	fmt.Fprintf(stderr, "run '%s -h' for usage\n", progName)
	return exitUsage
}

// volumePath gives the volume as AddToSnapshotSet wants it: with the
// trailing backslash people often leave off (C: becomes C:\).
func volumePath(arg string) string {
	if strings.HasSuffix(arg, `\`) {
		return arg
	}
	return arg + `\`
}

func printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `usage: %s [-keep] [-timeout DURATION] [-v] VOLUME

Takes a shadow copy of VOLUME (C:\, a mounted folder or a volume GUID path)
with the Volume Shadow Copy Service and prints its device path on stdout.

Without -keep the shadow copy is temporary (VSS_CTX_BACKUP): VSS deletes it
when the command exits. With -keep it is persistent (VSS_CTX_APP_ROLLBACK)
and stays until deleted with "vssadmin delete shadows /shadow={ID}"; the ID
is printed on stderr. Run it from an elevated prompt.

Example:
  %s -timeout 2m C:\

Flags:
`, progName, progName)
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
	fmt.Fprintf(w, `
Exit status: 0 success; 1 a VSS step failed (the message names the step and
the method); 2 bad arguments or not Windows.
`)
}

// reportError prints err, which may span several lines, with the
// command's name before each line.
func reportError(stderr io.Writer, err error) {
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(stderr, "%s: %s\n", progName, line)
	}
}
