//go:build windows

package shadow

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// Options say how Create takes a shadow copy set. The zero value takes
// temporary shadow copies with the writers taking part, in a copy backup
// (VSS_BT_COPY, which truncates no application logs), with a provider
// VSS chooses and no time limit but ctx's.
type Options struct {
	// Persistent keeps the shadow copies after Close and after the program
	// exits, until Delete deletes them (VSS_VOLSNAP_ATTR_PERSISTENT and
	// VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE, vshadow's -p).
	Persistent bool
	// NoWriters takes the shadow copies without involving the writers
	// (VSS_VOLSNAP_ATTR_NO_WRITERS, vshadow's -nw): faster, but applications
	// such as databases are not brought to a consistent state.
	NoWriters bool
	// Context adds attribute bits to the context Persistent and NoWriters
	// make, such as those of VSS_CTX_CLIENT_ACCESSIBLE. Zero adds none.
	Context vss.VSS_SNAPSHOT_CONTEXT
	// Provider is the ID of the provider to use; the zero GUID lets VSS
	// choose (the system provider unless a hardware provider claims the
	// volume).
	Provider windows.GUID
	// IncludeWriters, when not empty, limits the writers that take part to
	// these; ExcludeWriters keeps these out. Each entry is a writer's name
	// ("Microsoft Hyper-V VSS Writer", matched without regard to case), its
	// class ID or its instance ID (a GUID, with or without braces). A name
	// no writer has is an error.
	IncludeWriters []string
	ExcludeWriters []string
	// Timeout bounds Create as a whole, and Close; zero means no bound
	// besides ctx.
	Timeout time.Duration
	// BackupType is what SetBackupState tells the writers; zero means
	// VSS_BT_COPY.
	BackupType vss.VSS_BACKUP_TYPE
	// Progress, when not nil, is called with a short description of each
	// step before it starts ("taking the shadow copies"), for a program to
	// show on a terminal. It is called on the package's COM thread and must
	// not call the package.
	Progress func(step string)
}

// Snapshot is one shadow copy, as VSS describes it.
type Snapshot struct {
	ID    windows.GUID // the shadow copy's ID
	SetID windows.GUID // the ID of its shadow copy set
	// SetCount is how many shadow copies the set had when it was created.
	SetCount int
	// DevicePath is the shadow copy's device, such as
	// \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy7; add a backslash and
	// a path to read a file of the copy.
	DevicePath string
	// Volume is the volume GUID path of the original volume, such as
	// \\?\Volume{0b7c7e2a-3f7d-4d0e-9a57-54c1b52e5a31}\.
	Volume             string
	OriginatingMachine string // the machine of the original volume
	ServiceMachine     string // the machine whose VSS made the copy
	// ExposedName and ExposedPath say where the copy is exposed, if it is.
	ExposedName string
	ExposedPath string
	Provider    windows.GUID // the provider that made the copy
	// Attributes are the copy's VSS_VOLSNAP_ATTR_ bits, its context included.
	Attributes vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES
	Created    time.Time
	State      vss.VSS_SNAPSHOT_STATE
}

// Persistent reports whether the copy outlives the program that made it.
func (s Snapshot) Persistent() bool {
	return s.Attributes&vss.VSS_VOLSNAP_ATTR_PERSISTENT != 0
}

// Set is a shadow copy set that Create made. Close it when done.
type Set struct {
	ID      windows.GUID
	Context vss.VSS_SNAPSHOT_CONTEXT // the context the set was made in
	// Volumes are the volumes of the set, in the order Create was given.
	Volumes []Volume
	// Writers are the writers that took part, with their state after the
	// shadow copies were taken; empty when writers were left out.
	Writers []Writer

	op *operation // the backup components, on their COM thread; nil once closed
}

// Volume is one volume of a Set and its shadow copy.
type Volume struct {
	Path string // the volume as given to Create, with a trailing backslash
	Snapshot
}

// Writer is a VSS writer that took part in a Set.
type Writer struct {
	Name     string
	Class    windows.GUID // the writer's class ID
	Instance windows.GUID // the ID of this instance of the writer
	State    vss.VSS_WRITER_STATE
	Failure  vss.HRESULT // the writer's failure, if State says it failed
}

// Filter selects existing shadow copies for List and Delete. Fields that
// are set must all match; the zero Filter selects every shadow copy.
type Filter struct {
	ID     windows.GUID // one shadow copy
	SetID  windows.GUID // the shadow copies of one set
	Volume string       // the copies of one volume: C:\, a mounted folder or a volume GUID path
}

// Service says where the package gets its VSS backup components. The zero
// Service, and a nil *Service, use the system's vssapi.dll; tests give a
// fake VSS service's.
type Service struct {
	// NewBackupComponents creates an IVssBackupComponents, whose reference
	// the package then owns and releases. Nil means
	// vss.CreateVssBackupComponentsInternal.
	NewBackupComponents func() (*vss.IVssBackupComponents, error)
	// VolumeName turns a volume as a user writes it (C:\, a mounted folder)
	// into its volume GUID path, to compare with Snapshot.Volume. Nil means
	// GetVolumeNameForVolumeMountPoint.
	VolumeName func(path string) (string, error)
}

// Error is a failed step of a VSS operation. It wraps the failure, such as
// the generated *vss.Error of the method that failed, or the context's
// error, and what failed while cleaning up after it, if anything.
type Error struct {
	Step    string // what was being done, such as "taking the shadow copies"
	Err     error  // why it failed
	Cleanup error  // what failed while cleaning up after Err, or nil
}

// Error gives the step, the failure and, for a VSS code, what the code
// means in general as vssgen explain says it, besides what it means for
// the method; then what failed while cleaning up, if anything.
func (e *Error) Error() string {
	msg := e.Step + ": " + e.Err.Error() + explain(e.Err)
	if e.Cleanup != nil {
		msg += "; cleaning up after that also failed: " + e.Cleanup.Error() + explain(e.Cleanup)
	}
	return msg
}

// explain gives, for an error that carries a *vss.Error, the general
// meaning of its code in the form " (VSS_E_X: meaning)", or "" when the
// message has it already or the code is unknown.
func explain(err error) string {
	var e *vss.Error
	if !errors.As(err, &e) {
		return ""
	}
	general := e.Documented.Error() // "NAME (0x...): meaning", or a note for an unknown code
	_, meaning, ok := strings.Cut(general, "): ")
	if !ok || strings.Contains(err.Error(), meaning) {
		return ""
	}
	return " (vssgen explain " + e.Documented.String() + ": " + meaning + ")"
}

// Unwrap returns Err and, if set, Cleanup, so errors.Is and errors.As look
// into both.
func (e *Error) Unwrap() []error {
	if e.Cleanup == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cleanup}
}

// Create takes a shadow copy of each volume (C:\, a mounted folder or a
// volume GUID path; the trailing backslash may be left off) as one set.
func Create(ctx context.Context, volumes []string, opts Options) (*Set, error) {
	return (*Service)(nil).Create(ctx, volumes, opts)
}

// Close ends the backup: it tells the writers the backup is complete
// (BackupComplete), deletes the shadow copies unless they are persistent,
// and releases the backup components. It is bounded by Options.Timeout.
// Closing a closed Set does nothing.
func (s *Set) Close() error {
	return s.CloseContext(context.Background())
}

// List returns the shadow copies f selects, in every context.
func List(ctx context.Context, f Filter) ([]Snapshot, error) {
	return (*Service)(nil).List(ctx, f)
}

// Get returns the shadow copy with the given ID. When there is none, the
// error matches vss.VSS_E_OBJECT_NOT_FOUND.
func Get(ctx context.Context, id windows.GUID) (Snapshot, error) {
	return (*Service)(nil).Get(ctx, id)
}

// Delete deletes the shadow copies f selects and returns how many it
// deleted. The zero Filter is refused: to delete every shadow copy on the
// machine, List them and delete each.
func Delete(ctx context.Context, f Filter) (int, error) {
	return (*Service)(nil).Delete(ctx, f)
}

// Expose makes the shadow copy with the given ID visible at where, a drive
// letter (X: or X) or an empty directory, and returns the name VSS exposed
// it under. Expose it only while it exists: a copy that is not persistent
// goes when the Set that made it is closed, so expose persistent ones.
func Expose(ctx context.Context, id windows.GUID, where string) (string, error) {
	return (*Service)(nil).Expose(ctx, id, where)
}

// Unexpose undoes Expose.
func Unexpose(ctx context.Context, id windows.GUID) error {
	return (*Service)(nil).Unexpose(ctx, id)
}

// Link makes link a directory symbolic link to the shadow copy whose
// device path is devicePath (Snapshot.DevicePath), so that ordinary file
// functions read the copy through it: with link C:\snap, C:\snap\Users is
// the copy's \Users. os.Remove removes the link and leaves the copy alone.
// Creating symbolic links takes an elevated process or developer mode.
func Link(ctx context.Context, link, devicePath string) error {
	return linkTo(ctx, link, devicePath)
}
