package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// childGrace is how long exec waits, after Ctrl-C, for its program to end
// on its own (it got the Ctrl-C too) before killing it and cleaning up.
// Tests shorten it.
var childGrace = 10 * time.Second

var execCmd = &command{
	name:  "exec",
	args:  "[flags] VOLUME... -- PROGRAM [ARGUMENT...]",
	short: "run a program while shadow copies of volumes exist",
	long: `Exec makes a shadow copy of each VOLUME, runs PROGRAM while they exist,
then deletes them and exits with PROGRAM's exit status. The shadow copies
are temporary unless --persistent is given (vshadow -exec).

PROGRAM finds the device paths in environment variables (VSS_SHADOW_1,
VSS_SHADOW_C, ...), and placeholders in its arguments are replaced: {1}
or {C:} by a device path, {set} by the set's ID. See 'vss-snapshot help
environment'. PROGRAM's standard input, output and error are exec's.

Ctrl-C reaches PROGRAM as well; exec waits up to 10s for it to end, then
ends it, deletes the shadow copies and exits with status 130. A Ctrl-C
while the shadow copies are being made cancels that and cleans up.`,
	examples: `	vss-snapshot exec C: -- robocopy {C:}\Users E:\backup\Users /MIR
	vss-snapshot exec C: D: -- cmd /c backup.cmd     (backup.cmd reads %VSS_SHADOW_D%)
	vss-snapshot exec --no-writers --timeout 5m E: -- restic backup {E:}\data`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		var f setFlags
		f.define(fs, true)
		return func(ctx context.Context, a *app, args []string) int {
			volumes, program, found := splitDashDash(args)
			if !found || len(program) == 0 {
				return a.usageError("give the program to run after --, as in: vss-snapshot exec C: -- cmd /c backup.cmd", "exec")
			}
			req, err := f.request(volumes, false)
			if err != nil {
				return a.usageError(err.Error(), "exec")
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			return a.exec(ctx, svc, req, program)
		}
	},
}

func (a *app) exec(ctx context.Context, svc service, req createRequest, program []string) int {
	prog := a.startProgress()
	set, err := svc.Create(ctx, req, prog.report())
	prog.stop()
	if err != nil {
		return a.fail(ctx, err)
	}
	snaps := set.Snapshots()
	env := shadowEnv(req.Volumes, set.ID(), snaps)
	args := substitute(program, req.Volumes, set.ID(), snaps)

	status, runErr := a.runProgram(ctx, args, env)

	// The cleanup runs whatever happened, Ctrl-C included.
	closeErr := set.Close(context.WithoutCancel(ctx))
	switch {
	case runErr != nil:
		fmt.Fprintf(a.stderr, "%s: %v\n", progName, runErr)
	case ctx.Err() == nil && status != 0 && a.progress:
		fmt.Fprintf(a.stderr, "%s: %s exited with status %d\n", progName, args[0], status)
	}
	if closeErr != nil {
		code := a.fail(ctx, fmt.Errorf("cleaning up after %s: %w", args[0], closeErr))
		a.reportLeft(snaps)
		if status != 0 && ctx.Err() == nil {
			return status
		}
		return code
	}
	if ctx.Err() != nil {
		fmt.Fprintf(a.stderr, "%s: interrupted; the shadow copies are cleaned up\n", progName)
		return exitInterrupted
	}
	return status
}

// runProgram runs args with env added to the command's environment and
// returns its exit status. runErr is set when it could not run at all.
func (a *app) runProgram(ctx context.Context, args, env []string) (status int, runErr error) {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(append([]string(nil), a.env...), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, a.stdout, a.stderr
	// On Ctrl-C the program, in the same console, is interrupted too:
	// give it time to end before it is killed.
	cmd.Cancel = func() error {
		_ = cmd.Process.Signal(os.Interrupt) // not supported on Windows, where the console did it
		return nil
	}
	cmd.WaitDelay = childGrace
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode(), nil
	case errors.As(err, &exit):
		// Killed by a signal (Unix): report it as a shell does.
		return exitInterrupted, nil
	case cmd.Process == nil:
		return exitCannotRun, fmt.Errorf("running %s: %w", args[0], err)
	}
	return exitFailed, fmt.Errorf("running %s: %w", args[0], err)
}

// shadowEnv are the variables exec sets (see environmentHelp); volumes
// are as given, in the order of snaps.
func shadowEnv(volumes []string, setID string, snaps []snapshot) []string {
	env := []string{"VSS_SHADOW_SET=" + setID, "VSS_SHADOW_COUNT=" + strconv.Itoa(len(snaps))}
	for i, s := range snaps {
		n := strconv.Itoa(i + 1)
		vol := s.Volume
		if i < len(volumes) {
			vol = volumes[i]
		}
		env = append(env,
			"VSS_SHADOW_"+n+"="+s.Device,
			"VSS_SHADOW_"+n+"_ID="+s.ID,
			"VSS_SHADOW_"+n+"_VOLUME="+vol)
		if d, ok := driveLetter(vol); ok {
			env = append(env, "VSS_SHADOW_"+d+"="+s.Device)
		}
	}
	return env
}

// substitute replaces the placeholders of environmentHelp in args.
func substitute(args, volumes []string, setID string, snaps []snapshot) []string {
	repl := []string{"{set}", setID}
	for i, s := range snaps {
		repl = append(repl, "{"+strconv.Itoa(i+1)+"}", s.Device)
		if i < len(volumes) {
			if d, ok := driveLetter(volumes[i]); ok {
				repl = append(repl, "{"+d+":}", s.Device, "{"+strings.ToLower(d)+":}", s.Device)
			}
		}
	}
	r := strings.NewReplacer(repl...)
	out := make([]string, len(args))
	for i, arg := range args {
		out[i] = r.Replace(arg)
	}
	return out
}

// driveLetter is the upper-case letter of a volume given as X: or X:\.
func driveLetter(vol string) (string, bool) {
	v := strings.TrimSuffix(vol, `\`)
	if len(v) == 2 && v[1] == ':' {
		c := v[0] &^ 0x20 // upper case
		if c >= 'A' && c <= 'Z' {
			return string(c), true
		}
	}
	return "", false
}
