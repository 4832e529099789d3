// Command vss-snapshot makes, lists, exposes and deletes Windows shadow
// copies with the Volume Shadow Copy Service, and runs programs while
// shadow copies exist. It is built on the shadow package of this module,
// itself written against the generated bindings of generated/vss.
//
//	vss-snapshot create C: D:                      # persistent shadow copies of C: and D:
//	vss-snapshot exec C: -- robocopy {C:}\data E:\backup /MIR
//	vss-snapshot list --json
//	vss-snapshot delete --volume C:
//	vss-snapshot expose {ID} X:
//	vss-snapshot link {ID} C:\snap
//
// Run "vss-snapshot help" for the commands and "vss-snapshot help COMMAND"
// for one of them. Ctrl-C at any point cancels the step under way, aborts
// the backup and deletes what the command made that was not asked to stay.
//
// Exit status: 0 success; 1 a step failed; 2 bad arguments, or a system
// without VSS; 130 interrupted (after cleaning up); exec returns the
// status of the program it ran.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

const progName = "vss-snapshot"

// Exit statuses; exec also returns its program's.
const (
	exitOK          = 0
	exitFailed      = 1   // a step failed
	exitUsage       = 2   // bad arguments, or no VSS on this system
	exitInterrupted = 130 // Ctrl-C or a termination request, after cleanup
	// exec: the program could not be started (not found, not executable).
	exitCannotRun = 127
)

func main() {
	ctx, stop := signalContext()
	defer stop()
	a := &app{
		stdin:      os.Stdin,
		stdout:     os.Stdout,
		stderr:     os.Stderr,
		env:        os.Environ(),
		progress:   isTerminal(os.Stderr),
		newService: newService,
	}
	code := a.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// signalContext is cancelled by Ctrl-C and Ctrl-Break (os.Interrupt), and
// by closing the console or logging off (SIGTERM on Windows): every step
// in flight is cancelled and what was made is deleted, as cancellation
// does, instead of the process dying with writers' applications frozen
// or temporary shadow copies left.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
