//go:build windows

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// snapshot takes the shadow copy and prints its device path.
func snapshot(opts options, stdout, stderr io.Writer) int {
	// COM's state belongs to the OS thread: CoInitializeEx and
	// CoUninitialize must run on the same one, so this goroutine stays on it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	// Ctrl+C cancels the operation being waited for (through
	// IVssAsync.Cancel) and aborts the backup, instead of killing the
	// process while writers hold their applications frozen.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	r := &requester{opts: opts, stdout: stdout, stderr: stderr}
	if err := r.takeShadowCopy(ctx); err != nil {
		reportError(stderr, err)
		if errors.Is(err, vss.E_ACCESSDENIED) {
			fmt.Fprintf(stderr, "%s: VSS answers only to administrators and backup operators: run the command from an elevated prompt\n", progName)
		}
		return exitFailed
	}
	return exitOK
}

// requester is one run of the command: a VSS requester that takes one
// shadow copy of one volume.
type requester struct {
	opts   options
	stdout io.Writer
	stderr io.Writer
}

// takeShadowCopy goes through the requester's side of a VSS backup, prints
// the device path of the shadow copy and releases everything it acquired.
// Every error names the step that failed; errors from the generated
// bindings go on to name the method and the HRESULT.
func (r *requester) takeShadowCopy(ctx context.Context) (err error) {
	r.logStep("initialising COM")
	if err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED); err != nil && err != sFalse {
		return fmt.Errorf("initialising COM: %w", comError(err))
	}
	defer windows.CoUninitialize()

	r.logStep("setting COM security")
	if err := initializeSecurity(); err != nil {
		return fmt.Errorf("setting COM security: %w", err)
	}

	r.logStep("creating the backup components")
	backup, err := vss.CreateVssBackupComponentsInternal()
	if err != nil {
		return fmt.Errorf("creating the backup components: %w", err)
	}
	// Releasing the backup components ends the session; VSS deletes a
	// shadow copy that is not persistent at that moment.
	defer backup.Release()

	r.logStep("initialising for backup")
	// "" passes a NULL document: a backup that imports no transported shadow copies.
	if err := backup.InitializeForBackup(""); err != nil {
		return fmt.Errorf("initialising for backup: %w", err)
	}

	snapshotContext := vss.VSS_CTX_BACKUP
	if r.opts.keep {
		snapshotContext = vss.VSS_CTX_APP_ROLLBACK
	}
	step := "setting the context to " + snapshotContext.String()
	r.logStep(step)
	if err := backup.SetContext(snapshotContext); err != nil {
		// Windows XP knows only VSS_CTX_BACKUP, which is the default, and
		// answers every SetContext with E_NOTIMPL.
		if snapshotContext != vss.VSS_CTX_BACKUP || !errors.Is(err, vss.E_NOTIMPL) {
			return fmt.Errorf("%s: %w", step, err)
		}
	}

	if err := r.await(ctx, "gathering writer metadata", vss.IVssBackupComponents_GatherWriterMetadata, backup.GatherWriterMetadata); err != nil {
		return err
	}
	// The command selects no components, so it reads none of the metadata
	// the writers sent; it can go at once.
	r.logStep("freeing the writer metadata")
	if err := backup.FreeWriterMetadata(); err != nil {
		return fmt.Errorf("freeing the writer metadata: %w", err)
	}

	r.logStep("starting the shadow copy set")
	setID, err := backup.StartSnapshotSet()
	if err != nil {
		return fmt.Errorf("starting the shadow copy set: %w", err)
	}
	// From StartSnapshotSet until DoSnapshotSet has succeeded, a failure
	// must be reported to VSS with AbortBackup so the writers clean up.
	created := false
	defer func() {
		if created || err == nil {
			return
		}
		r.logStep("aborting the backup")
		if abortErr := backup.AbortBackup(); abortErr != nil {
			err = fmt.Errorf("%w\naborting the backup after that failure: %w", err, abortErr)
		}
	}()

	step = "adding " + r.opts.volume + " to shadow copy set " + setID.String()
	r.logStep(step)
	// GUID_NULL as the provider lets VSS choose one (the system provider,
	// unless a hardware provider claims the volume).
	snapshotID, err := backup.AddToSnapshotSet(r.opts.volume, windows.GUID{})
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}

	// Not component mode, no bootable system state, a copy backup: writers
	// take part so that the shadow copy is consistent, but record no
	// backup (no log truncation, no backup stamps).
	r.logStep("setting the backup state")
	if err := backup.SetBackupState(false, false, vss.VSS_BT_COPY, false); err != nil {
		return fmt.Errorf("setting the backup state: %w", err)
	}

	if err := r.await(ctx, "preparing for backup", vss.IVssBackupComponents_PrepareForBackup, backup.PrepareForBackup); err != nil {
		return err
	}
	if err := r.await(ctx, "taking the shadow copy", vss.IVssBackupComponents_DoSnapshotSet, backup.DoSnapshotSet); err != nil {
		return err
	}
	created = true

	// The writers' backup session is open now whatever happens next, so
	// BackupComplete is called even when the properties cannot be read.
	step = "reading the properties of shadow copy " + snapshotID.String()
	r.logStep(step)
	props, propsErr := backup.GetSnapshotProperties(snapshotID)
	if propsErr != nil {
		propsErr = fmt.Errorf("%s: %w", step, propsErr)
	} else {
		r.report(props)
	}
	completeErr := r.await(ctx, "completing the backup", vss.IVssBackupComponents_BackupComplete, backup.BackupComplete)
	if completeErr == nil && vss.CurrentOSVersion().OlderThan(6, 1) {
		completeErr = r.finishWriterSession(ctx, backup)
	}
	return errors.Join(propsErr, completeErr)
}

// report prints the device path on stdout, alone on its line so that
// scripts can read it, and on stderr what becomes of the shadow copy.
func (r *requester) report(props vss.SnapshotProperties) {
	fmt.Fprintln(r.stdout, props.SnapshotDeviceObject)
	if r.opts.keep {
		fmt.Fprintf(r.stderr, "%s: kept shadow copy %v of %s; delete it with: vssadmin delete shadows /shadow=%v\n",
			progName, props.SnapshotId, props.OriginalVolumeName, props.SnapshotId)
		return
	}
	fmt.Fprintf(r.stderr, "%s: shadow copy %v of %s is deleted when the command exits (-keep keeps it)\n",
		progName, props.SnapshotId, props.OriginalVolumeName)
}

// finishWriterSession gathers the writers' status after BackupComplete.
// Before Windows 7 the writers' session reaches its completed state only
// then (a note of IVssBackupComponents.BackupComplete); the status itself
// is not needed.
func (r *requester) finishWriterSession(ctx context.Context, backup *vss.IVssBackupComponents) error {
	if err := r.await(ctx, "gathering writer status", vss.IVssBackupComponents_GatherWriterStatus, backup.GatherWriterStatus); err != nil {
		return err
	}
	r.logStep("freeing the writer status")
	if err := backup.FreeWriterStatus(); err != nil {
		return fmt.Errorf("freeing the writer status: %w", err)
	}
	return nil
}

// await runs one asynchronous step: start begins the operation op, and
// await waits for its outcome at most -timeout, releases the IVssAsync and
// names step in any error.
func (r *requester) await(ctx context.Context, step string, op vss.Method, start func() (*vss.IVssAsync, error)) error {
	r.logStep(step)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", step, context.Cause(ctx))
	}
	async, err := start()
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	defer async.Release()
	ctx, cancel := context.WithTimeoutCause(ctx, r.opts.timeout,
		fmt.Errorf("no outcome within %v (see -timeout)", r.opts.timeout))
	defer cancel()
	if err := async.WaitContext(ctx, op); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	return nil
}

// logStep says on stderr, under -v, which step starts.
func (r *requester) logStep(step string) {
	if r.opts.verbose {
		fmt.Fprintf(r.stderr, "%s: %s\n", progName, step)
	}
}

// sFalse is S_FALSE as golang.org/x/sys/windows reports it from
// CoInitializeEx: COM was already initialised on this thread, which is
// success and still needs its CoUninitialize.
const sFalse = syscall.Errno(1)

// comError gives a failed COM plumbing call's HRESULT with the system's
// text for it and its value.
func comError(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Errorf("%w (0x%08X)", err, uint32(errno))
	}
	return err
}

// CoInitializeSecurity is not in golang.org/x/sys/windows.
var (
	ole32                    = windows.NewLazySystemDLL("ole32.dll")
	procCoInitializeSecurity = ole32.NewProc("CoInitializeSecurity")
)

const (
	rpcCAuthnLevelPktPrivacy = 6    // RPC_C_AUTHN_LEVEL_PKT_PRIVACY
	rpcCImpLevelIdentify     = 2    // RPC_C_IMP_LEVEL_IDENTIFY
	eoacDynamicCloaking      = 0x40 // EOAC_DYNAMIC_CLOAKING
	cAuthSvcDefault          = ^uintptr(0)
)

// initializeSecurity sets the process's COM security as Microsoft's
// requester samples do. Writers in other processes call back into this
// one, so no security descriptor restricts who may call; calls are
// encrypted, and a writer may learn this process's identity but not act
// with it.
func initializeSecurity() error {
	if err := procCoInitializeSecurity.Find(); err != nil {
		return err
	}
	r, _, _ := syscall.SyscallN(procCoInitializeSecurity.Addr(),
		0,               // pSecDesc: NULL, any writer may call back
		cAuthSvcDefault, // cAuthSvc: -1, COM chooses the authentication services
		0,               // asAuthSvc
		0,               // pReserved1
		rpcCAuthnLevelPktPrivacy,
		rpcCImpLevelIdentify,
		0, // pAuthList
		eoacDynamicCloaking,
		0, // pReserved3
	)
	if hr := uint32(r); vss.HRESULT(hr).Failed() {
		return comError(syscall.Errno(hr))
	}
	return nil
}
