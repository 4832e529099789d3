package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// printUsage is "vss-snapshot help": what the command is, its commands
// and where to read more, as go help prints it.
func (a *app) printUsage(w io.Writer) {
	fmt.Fprintf(w, `vss-snapshot makes and manages Windows shadow copies with the Volume
Shadow Copy Service (VSS). Run it from an elevated prompt, as a program of
the machine's own architecture.

Usage:

	vss-snapshot <command> [flags] [arguments]

The commands are:

`)
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, `
Use "vss-snapshot help <command>" or "vss-snapshot <command> -h" for more
about a command. Flags may be written -flag or --flag, and may come before
or after the other arguments.

Additional help topics:

	environment  the variables and placeholders exec gives its program
	exit-codes   what each exit status means

Examples:

	vss-snapshot exec C: -- robocopy {C:}\Users E:\backup /MIR
	vss-snapshot create --no-writers D:
	vss-snapshot list --volume D:
	vss-snapshot delete --set {SET-ID}
`)
}

// commandHelp is "vss-snapshot help COMMAND" and "COMMAND -h".
func (a *app) commandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: vss-snapshot %s %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.long))
	fs := newFlagSet(c)
	c.setup(fs)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if c.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n\n%s\n", strings.TrimRight(c.examples, "\n"))
	}
	fmt.Fprintf(w, "\nExit status: %s\n", exitSummary(c.name))
}

// exitSummary is the one-line exit status of a command.
func exitSummary(name string) string {
	if name == "exec" {
		return "the program's own; 1 a step failed, or cleanup failed\nafter the program exited 0; 2 bad arguments; 127 the program could not\nbe started; 130 interrupted (see 'vss-snapshot help exit-codes')."
	}
	return "0 success; 1 a step failed; 2 bad arguments; 130 interrupted\n(see 'vss-snapshot help exit-codes')."
}

const exitCodesHelp = `Every vss-snapshot command exits with one of these statuses:

	0    success
	1    a step failed: the message names the step, the VSS method and
	     the code, as in
	     vss-snapshot: taking the shadow copies: ...: VSS_E_PROVIDER_VETO (0x80042306): ...
	2    bad arguments (the message says which and where the help is),
	     or a system without the Volume Shadow Copy Service
	130  interrupted by Ctrl-C, Ctrl-Break or a console close, after
	     cleaning up: the step in flight was cancelled, the backup
	     aborted, and shadow copies that were not to stay deleted

exec runs a program and returns the program's exit status. When the
program exited 0 but the cleanup after it failed, exec exits 1; when the
program cannot be started it exits 127.

A failure to clean up is always reported, with the IDs of what is left,
so that "vss-snapshot delete" can finish the job.
`

const environmentHelp = `exec runs its program with these environment variables, numbered in the
order the volumes were given:

	VSS_SHADOW_SET          the shadow copy set's ID
	VSS_SHADOW_COUNT        how many shadow copies the set has
	VSS_SHADOW_1            the first shadow copy's device path, such as
	                        \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy7
	VSS_SHADOW_1_ID         its ID
	VSS_SHADOW_1_VOLUME     the volume it copies, as given (C:\)
	VSS_SHADOW_C            the device path of the copy of drive C:, for
	                        each volume given as a drive letter

In the program's arguments these placeholders are replaced:

	{1}, {2}, ...   the device path of the first, second, ... shadow copy
	{C:}            the device path of the copy of drive C:
	{set}           the set's ID

Device paths have no trailing backslash: {C:}\Users\me names a folder in
the shadow copy of C:. Other text in braces is left as it is.

create --script FILE writes the same variables as a cmd script of SET
lines, as vshadow -script does.
`

// dropDashDash removes the "--" parseFlags keeps.
func dropDashDash(args []string) []string {
	before, after, found := splitDashDash(args)
	if !found {
		return args
	}
	return append(append([]string(nil), before...), after...)
}
