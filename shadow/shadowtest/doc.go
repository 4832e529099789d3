// Package shadowtest is a fake Volume Shadow Copy Service for the tests of
// package shadow and of programs built on it. It stands behind the vtables
// of the generated binding, so the code under test calls the same stubs as
// against Windows' VSS:
//
//	svc := shadowtest.New()
//	svc.Inject(shadowtest.WriterVeto("Fake Database Writer", "PrepareForBackup", vss.VSS_E_WRITERERROR_RETRYABLE))
//	_, err := svc.Shadow().Create(ctx, []string{`C:\`}, shadow.Options{})
//	// err names the writer and matches vss.VSS_E_WRITERERROR_RETRYABLE
//	if err := svc.Check(); err != nil {
//		t.Error(err) // a reference not released, a shadow copy left behind, a step skipped
//	}
//
// The fake implements the requester's side of the documented protocol as a
// state machine: InitializeForBackup, SetContext, the writer classes and
// instances, GatherWriterMetadata, StartSnapshotSet, AddToSnapshotSet,
// SetBackupState, PrepareForBackup, DoSnapshotSet, GatherWriterStatus,
// GetSnapshotProperties, BackupComplete, AbortBackup, DeleteSnapshots,
// Query, ExposeSnapshot and UnexposeSnapshot. A call out of order gets
// VSS_E_BAD_STATE and is recorded as a problem. Every object it hands out
// (backup components, IVssAsync, writer metadata, enumerators) counts its
// references. It keeps the shadow copies that exist, and Check reports
// what a requester left behind.
//
// Faults (Fault, and the constructors WriterVeto, ProviderVeto,
// InProgress, Hang and FailBackupComplete) make any step fail: the call
// itself, or the asynchronous operation it starts, which may also stay
// pending with or without heeding Cancel.
//
// The fake is built for windows/amd64, where the Windows tests run (under
// Wine on Linux); its vtables take arguments in that calling convention.
// On other systems and architectures the package holds only this
// documentation.
package shadowtest
