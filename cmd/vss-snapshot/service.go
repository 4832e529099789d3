package main

import (
	"context"
	"errors"
	"time"
)

// service is what the subcommands need of the Volume Shadow Copy Service.
// On Windows it is the shadow package over the real service (or over a
// fake one in tests); elsewhere every call fails with errNeedsWindows. The
// subcommands hold no VSS logic of their own: parsing, output, exec and
// exit codes are theirs, every VSS step is the service's.
type service interface {
	// Create makes a shadow copy set as req asks, reporting each long
	// step to progress. The set stays until Close, which deletes what is
	// not persistent. When ctx is cancelled Create cleans up and fails.
	Create(ctx context.Context, req createRequest, progress func(step string)) (snapshotSet, error)
	// List returns the shadow copies that match f.
	List(ctx context.Context, f filter) ([]snapshot, error)
	// Delete deletes the shadow copies that match f (at least one of its
	// fields is set) and returns the IDs of those it deleted.
	Delete(ctx context.Context, f filter) ([]string, error)
	// Expose makes shadow copy id visible at a drive letter (X:) or an
	// empty folder and returns the name it was exposed as.
	Expose(ctx context.Context, id, at string) (string, error)
	// Unexpose undoes Expose; at is the drive letter, folder or shadow
	// copy ID.
	Unexpose(ctx context.Context, at string) error
	// Link makes dir a directory symbolic link to shadow copy id's root.
	Link(ctx context.Context, id, dir string) error
}

// snapshotSet is a set made by Create.
type snapshotSet interface {
	// ID is the set's ID.
	ID() string
	// Snapshots are the set's shadow copies, in the order of the volumes
	// asked for.
	Snapshots() []snapshot
	// Close ends the backup, deletes the shadow copies that are not
	// persistent and releases everything; it runs even when ctx is done.
	Close(ctx context.Context) error
}

// createRequest is what create and exec ask of the service.
type createRequest struct {
	Volumes []string
	// Context is a VSS context name of contextNames.
	Context string
	// IncludeWriters and ExcludeWriters name writers by name or ID.
	IncludeWriters []string
	ExcludeWriters []string
	// Timeout bounds each asynchronous VSS step.
	Timeout time.Duration
	// Provider is a provider ID, or empty for the service's choice.
	Provider string
	// BackupType is a name of backupTypes.
	BackupType string
}

// filter selects shadow copies; empty fields match everything.
type filter struct {
	ID     string
	SetID  string
	Volume string
}

// snapshot describes one shadow copy, as list prints it.
type snapshot struct {
	ID     string `json:"id"`
	SetID  string `json:"set_id"`
	Volume string `json:"volume"`
	// MountPoints are where the original volume is mounted (C:\), when
	// known.
	MountPoints []string  `json:"mount_points,omitempty"`
	Device      string    `json:"device"`
	Created     time.Time `json:"created,omitzero"`
	Provider    string    `json:"provider,omitempty"`
	Context     string    `json:"context,omitempty"`
	Persistent  bool      `json:"persistent"`
	Exposed     string    `json:"exposed,omitempty"`
}

// errNeedsWindows is the failure of every service call away from Windows.
var errNeedsWindows = errors.New("shadow copies need the Volume Shadow Copy Service of Windows")

// contextNames are the VSS contexts create and exec offer, by the name the
// --context flag takes, with whether each is persistent and whether
// writers take part (from VSS_SNAPSHOT_CONTEXT's documentation).
var contextNames = []contextInfo{
	{"backup", "VSS_CTX_BACKUP", false, true},
	{"file-share-backup", "VSS_CTX_FILE_SHARE_BACKUP", false, false},
	{"app-rollback", "VSS_CTX_APP_ROLLBACK", true, true},
	{"nas-rollback", "VSS_CTX_NAS_ROLLBACK", true, false},
	{"client-accessible", "VSS_CTX_CLIENT_ACCESSIBLE", true, false},
	{"client-accessible-writers", "VSS_CTX_CLIENT_ACCESSIBLE_WRITERS", true, true},
}

// contextInfo describes a VSS context.
type contextInfo struct {
	Name       string // the --context name
	Const      string // VSS_SNAPSHOT_CONTEXT's name
	Persistent bool   // the shadow copies outlive the requester
	Writers    bool   // writers take part
}

// contextFor is the context vshadow picks for its -p and -nw switches.
func contextFor(persistent, noWriters bool) string {
	switch {
	case persistent && noWriters:
		return "nas-rollback"
	case persistent:
		return "app-rollback"
	case noWriters:
		return "file-share-backup"
	}
	return "backup"
}

// backupTypes are the VSS_BACKUP_TYPE values --backup-type takes.
var backupTypes = []struct{ Name, Const string }{
	{"copy", "VSS_BT_COPY"},
	{"full", "VSS_BT_FULL"},
	{"incremental", "VSS_BT_INCREMENTAL"},
	{"differential", "VSS_BT_DIFFERENTIAL"},
	{"log", "VSS_BT_LOG"},
}
