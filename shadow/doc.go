// Package shadow takes, lists, exposes and deletes Windows shadow copies
// through the Volume Shadow Copy Service (VSS). It is a small library on
// top of the generated binding github.com/vssgen/vssgen/generated/vss that
// gets the requester's protocol right, including on every failure path:
//
//	set, err := shadow.Create(ctx, []string{`C:\`, `D:\`}, shadow.Options{Timeout: 2 * time.Minute})
//	if err != nil {
//		return err // names the step; errors.Is(err, vss.VSS_E_WRITER_NOT_RESPONDING) works
//	}
//	defer set.Close() // deletes the shadow copies unless they are persistent
//	for _, v := range set.Volumes {
//		fmt.Println(v.Path, v.DevicePath) // C:\ \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy7
//	}
//
// # The protocol
//
// Create goes through InitializeForBackup, SetContext, GatherWriterMetadata,
// StartSnapshotSet, AddToSnapshotSet for each volume, SetBackupState,
// PrepareForBackup and DoSnapshotSet, and reads each shadow copy's
// properties. From StartSnapshotSet on, a failure is reported to VSS with
// AbortBackup and every shadow copy created is deleted; Set.Close calls
// BackupComplete, deletes the set unless it is persistent, and releases the
// backup components. Every COM reference taken is released on every path.
//
// # Contexts and cancellation
//
// Every function takes a context.Context. When it is done during an
// asynchronous VSS step (gathering writer metadata, preparing, taking the
// shadow copies), the step's IVssAsync is cancelled, the backup aborted and
// whatever was created deleted; the error then wraps ctx's error. A
// VSS_E_SNAPSHOT_SET_IN_PROGRESS (another program is taking shadow copies)
// is retried a few times before Create gives up.
//
// # Errors
//
// A failed step comes back as an *Error that names the step ("adding C:\ to
// the shadow copy set") and wraps what failed: the generated *vss.Error of
// the method, whose code errors.Is matches (OS-version notes included), or
// the context's error. Its message ends with what vssgen explain says about
// the code.
//
// # COM
//
// The caller does nothing about COM: each call runs on an OS thread of its
// own that the package initialises for COM (multithreaded apartment) and
// uninitialises when the call, or for a Set its Close, is over.
//
// # Other systems
//
// VSS is part of Windows: away from Windows the package holds only this
// documentation. Read the API with GOOS=windows go doc -all.
//
// # Tests
//
// Service says where the backup components come from: the system's
// vssapi.dll by default, or a fake VSS service in tests, such as the one in
// package shadowtest, which checks the protocol, the references and the
// shadow copies left behind.
package shadow
