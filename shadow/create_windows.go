//go:build windows

package shadow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// inProgressDelays are the pauses before Create tries again after
// VSS_E_SNAPSHOT_SET_IN_PROGRESS: another program is making a shadow copy
// set, which takes seconds.
var inProgressDelays = []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}

// operation is a Set's backup components and the COM thread they live on.
type operation struct {
	thread     *comThread
	backup     *vss.IVssBackupComponents
	svc        *Service
	persistent bool
	timeout    time.Duration
	progress   func(string)
}

// context gives the context Create asks VSS for.
func (o Options) context() vss.VSS_SNAPSHOT_CONTEXT {
	c := o.Context
	if o.Persistent {
		c |= vss.VSS_SNAPSHOT_CONTEXT(vss.VSS_VOLSNAP_ATTR_PERSISTENT | vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE)
	}
	if o.NoWriters {
		c |= vss.VSS_SNAPSHOT_CONTEXT(vss.VSS_VOLSNAP_ATTR_NO_WRITERS)
	}
	return c
}

func (o Options) step(step string) {
	if o.Progress != nil {
		o.Progress(step)
	}
}

// volumePaths checks the volumes and gives each its trailing backslash.
func volumePaths(volumes []string) ([]string, error) {
	if len(volumes) == 0 {
		return nil, errors.New("shadow: no volume to copy")
	}
	paths := make([]string, len(volumes))
	seen := map[string]bool{}
	for i, v := range volumes {
		if v == "" {
			return nil, errors.New("shadow: a volume is empty")
		}
		if !strings.HasSuffix(v, `\`) {
			v += `\`
		}
		if seen[strings.ToLower(v)] {
			return nil, fmt.Errorf("shadow: volume %s is given twice", v)
		}
		seen[strings.ToLower(v)] = true
		paths[i] = v
	}
	return paths, nil
}

// Create is the package's Create, with s's backup components.
func (s *Service) Create(ctx context.Context, volumes []string, opts Options) (*Set, error) {
	paths, err := volumePaths(volumes)
	if err != nil {
		return nil, err
	}
	if opts.BackupType == vss.VSS_BT_UNDEFINED {
		opts.BackupType = vss.VSS_BT_COPY
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		set, err := s.createOnce(ctx, paths, opts)
		if err == nil || !errors.Is(err, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS) || attempt == len(inProgressDelays) {
			return set, err
		}
		delay := inProgressDelays[attempt]
		opts.step(fmt.Sprintf("another shadow copy set is being made; trying again in %v", delay))
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, &Error{Step: "waiting to try again", Err: errors.Join(err, context.Cause(ctx))}
		case <-timer.C:
		}
	}
}

// creation is one attempt of Create, on its COM thread.
type creation struct {
	svc     *Service
	opts    Options
	paths   []string
	context vss.VSS_SNAPSHOT_CONTEXT
	backup  *vss.IVssBackupComponents

	setID    windows.GUID
	started  bool // StartSnapshotSet succeeded: a failure must abort the backup
	snapshot bool // DoSnapshotSet was called: shadow copies may exist
	ids      []windows.GUID
	writers  []Writer
}

func (s *Service) createOnce(ctx context.Context, paths []string, opts Options) (*Set, error) {
	thread, err := startCOM()
	if err != nil {
		return nil, err
	}
	c := &creation{svc: s, opts: opts, paths: paths, context: opts.context()}
	var set *Set
	thread.run(func() {
		set, err = c.run(ctx)
		if err != nil {
			err = c.cleanUp(err)
		}
	})
	if err != nil {
		thread.stop()
		return nil, err
	}
	set.op = &operation{thread: thread, backup: c.backup, svc: s, persistent: opts.Persistent || c.context&vss.VSS_SNAPSHOT_CONTEXT(vss.VSS_VOLSNAP_ATTR_PERSISTENT) != 0, timeout: opts.Timeout, progress: opts.Progress}
	return set, nil
}

// noWriters reports whether the writers stay out of the set.
func (c *creation) noWriters() bool {
	return vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(c.context)&vss.VSS_VOLSNAP_ATTR_NO_WRITERS != 0
}

// run goes through the protocol up to the shadow copies' properties.
func (c *creation) run(ctx context.Context) (*Set, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Step: "starting", Err: context.Cause(ctx)}
	}
	var include, exclude []Writer
	if len(c.opts.IncludeWriters)+len(c.opts.ExcludeWriters) > 0 && !c.noWriters() {
		var err error
		if include, exclude, err = c.resolveWriters(ctx); err != nil {
			return nil, err
		}
	}

	backup, err := c.initialize("creating the backup components")
	if err != nil {
		return nil, err
	}
	c.backup = backup

	if !c.noWriters() {
		if err := c.chooseWriters(include, exclude); err != nil {
			return nil, err
		}
		if err := c.await(ctx, "gathering writer metadata", vss.IVssBackupComponents_GatherWriterMetadata, backup.GatherWriterMetadata); err != nil {
			return nil, err
		}
		if err := c.readWriters(); err != nil {
			return nil, err
		}
	}

	c.opts.step("starting the shadow copy set")
	c.setID, err = backup.StartSnapshotSet()
	if err != nil {
		return nil, &Error{Step: "starting the shadow copy set", Err: err}
	}
	c.started = true

	for _, p := range c.paths {
		step := "adding " + p + " to the shadow copy set"
		c.opts.step(step)
		id, err := backup.AddToSnapshotSet(p, c.opts.Provider)
		if err != nil {
			return nil, &Error{Step: step, Err: err}
		}
		c.ids = append(c.ids, id)
	}

	c.opts.step("setting the backup state")
	if err := backup.SetBackupState(false, false, c.opts.BackupType, false); err != nil {
		return nil, &Error{Step: "setting the backup state to " + c.opts.BackupType.String(), Err: err}
	}

	if err := c.await(ctx, "preparing for backup", vss.IVssBackupComponents_PrepareForBackup, backup.PrepareForBackup); err != nil {
		return nil, err
	}
	if err := c.checkWriters(ctx, "preparing for backup"); err != nil {
		return nil, err
	}

	c.snapshot = true
	if err := c.await(ctx, "taking the shadow copies", vss.IVssBackupComponents_DoSnapshotSet, backup.DoSnapshotSet); err != nil {
		return nil, err
	}
	if err := c.checkWriters(ctx, "taking the shadow copies"); err != nil {
		return nil, err
	}

	c.opts.step("reading the shadow copies' properties")
	snaps, err := query(backup, Filter{SetID: c.setID}, "")
	if err != nil {
		return nil, &Error{Step: "reading the properties of shadow copy set " + c.setID.String(), Err: err}
	}
	set := &Set{ID: c.setID, Context: c.context, Writers: c.writers}
	for i, id := range c.ids {
		v := Volume{Path: c.paths[i]}
		for _, sn := range snaps {
			if sn.ID == id {
				v.Snapshot = sn
			}
		}
		if v.ID != id {
			return nil, &Error{Step: "reading the properties of shadow copy " + id.String() + " of " + c.paths[i], Err: vss.VSS_E_OBJECT_NOT_FOUND}
		}
		set.Volumes = append(set.Volumes, v)
	}
	return set, nil
}

// initialize creates backup components, initialises them for backup and
// sets the context.
func (c *creation) initialize(step string) (*vss.IVssBackupComponents, error) {
	c.opts.step(step)
	backup, err := c.svc.newBackup()
	if err != nil {
		return nil, &Error{Step: step, Err: err}
	}
	if err := initialize(backup, c.context); err != nil {
		release(backup, "backup components after a failed initialisation")
		return nil, err
	}
	return backup, nil
}

// initialize initialises backup for backup in the context ctx.
func initialize(backup *vss.IVssBackupComponents, ctx vss.VSS_SNAPSHOT_CONTEXT) error {
	// "" passes a NULL document: a backup that imports nothing.
	if err := backup.InitializeForBackup(""); err != nil {
		return &Error{Step: "initialising for backup", Err: err}
	}
	if err := backup.SetContext(ctx); err != nil {
		// Windows XP knows only VSS_CTX_BACKUP, the default, and answers
		// every SetContext with E_NOTIMPL.
		if ctx != vss.VSS_CTX_BACKUP || !errors.Is(err, vss.E_NOTIMPL) {
			return &Error{Step: "setting the context to " + ctx.String(), Err: err}
		}
	}
	return nil
}

// await runs an asynchronous step: start begins the operation op, and
// await waits for its outcome until ctx is done, when it cancels it.
func (c *creation) await(ctx context.Context, step string, op vss.Method, start func() (*vss.IVssAsync, error)) error {
	return await(ctx, c.opts.Progress, step, op, start)
}

func await(ctx context.Context, progress func(string), step string, op vss.Method, start func() (*vss.IVssAsync, error)) error {
	if progress != nil {
		progress(step)
	}
	if err := ctx.Err(); err != nil {
		return &Error{Step: step, Err: context.Cause(ctx)}
	}
	async, err := start()
	if err != nil {
		if async != nil {
			// A success code the method does not document comes back as an
			// error beside the object.
			release(async, "IVssAsync beside an error")
		}
		return &Error{Step: step, Err: err}
	}
	defer release(async, "IVssAsync of "+op.Name())
	if err := async.WaitContext(ctx, op); err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = errors.Join(err, context.Cause(ctx))
		}
		return &Error{Step: step, Err: err}
	}
	return nil
}

// cleanUp undoes a failed attempt: from StartSnapshotSet on it aborts the
// backup, and after DoSnapshotSet it deletes what the set holds; then it
// releases the backup components. What fails here is added to err.
func (c *creation) cleanUp(err error) error {
	if c.backup == nil {
		return err
	}
	var cleanup []error
	if c.started {
		c.opts.step("aborting the backup")
		if e := c.backup.AbortBackup(); e != nil {
			cleanup = append(cleanup, fmt.Errorf("aborting the backup: %w", e))
		}
	}
	if c.snapshot && !skipDelete("after a failed Create") {
		c.opts.step("deleting the shadow copies made")
		if _, _, e := c.backup.DeleteSnapshots(c.setID, vss.VSS_OBJECT_SNAPSHOT_SET, true); e != nil && !errors.Is(e, vss.VSS_E_OBJECT_NOT_FOUND) {
			cleanup = append(cleanup, fmt.Errorf("deleting shadow copy set %v: %w", c.setID, e))
		}
	}
	release(c.backup, "backup components after a failed Create")
	c.backup = nil
	if len(cleanup) == 0 {
		return err
	}
	var e *Error
	if errors.As(err, &e) && e.Cleanup == nil {
		e.Cleanup = errors.Join(cleanup...)
		return e
	}
	return &Error{Step: "cleaning up", Err: err, Cleanup: errors.Join(cleanup...)}
}

// Writers

// writerIdentities gathers the metadata of the writers taking part in
// backup and gives their identities.
func writerIdentities(backup *vss.IVssBackupComponents) ([]Writer, error) {
	n, err := backup.GetWriterMetadataCount()
	if err != nil {
		return nil, &Error{Step: "counting the writers", Err: err}
	}
	writers := make([]Writer, 0, n)
	for i := uint32(0); i < n; i++ {
		_, md, err := backup.GetWriterMetadata(i)
		if err != nil {
			return nil, &Error{Step: fmt.Sprintf("reading the metadata of writer %d", i), Err: err}
		}
		inst, class, name, _, _, err := md.GetIdentity()
		release(md, "writer metadata")
		if err != nil {
			return nil, &Error{Step: fmt.Sprintf("reading the identity of writer %d", i), Err: err}
		}
		writers = append(writers, Writer{Name: name, Class: class, Instance: inst})
	}
	return writers, nil
}

// resolveWriters finds the writers IncludeWriters and ExcludeWriters name,
// in a first session of their own: writers are chosen before
// GatherWriterMetadata, and only the metadata says what names they have.
func (c *creation) resolveWriters(ctx context.Context) (include, exclude []Writer, err error) {
	backup, err := c.initialize("finding the writers to include and exclude")
	if err != nil {
		return nil, nil, err
	}
	defer release(backup, "backup components that found the writers")
	if err := c.await(ctx, "gathering writer metadata to find the writers", vss.IVssBackupComponents_GatherWriterMetadata, backup.GatherWriterMetadata); err != nil {
		return nil, nil, err
	}
	all, err := writerIdentities(backup)
	if err != nil {
		return nil, nil, err
	}
	if err := backup.FreeWriterMetadata(); err != nil {
		return nil, nil, &Error{Step: "freeing the writer metadata", Err: err}
	}
	if include, err = matchWriters(all, c.opts.IncludeWriters); err != nil {
		return nil, nil, err
	}
	if exclude, err = matchWriters(all, c.opts.ExcludeWriters); err != nil {
		return nil, nil, err
	}
	return include, exclude, nil
}

// matchWriters gives the writers that each of names names.
func matchWriters(all []Writer, names []string) ([]Writer, error) {
	var found []Writer
	for _, name := range names {
		id, idErr := windows.GUIDFromString("{" + strings.Trim(name, "{}") + "}")
		n := 0
		for _, w := range all {
			if idErr == nil && (w.Class == id || w.Instance == id) || idErr != nil && strings.EqualFold(w.Name, name) {
				found = append(found, w)
				n++
			}
		}
		if n == 0 {
			var have []string
			for _, w := range all {
				have = append(have, fmt.Sprintf("%q", w.Name))
			}
			return nil, fmt.Errorf("shadow: no writer is named or has the ID %q; the writers are %s", name, strings.Join(have, ", "))
		}
	}
	return found, nil
}

// chooseWriters tells VSS which writers take part.
func (c *creation) chooseWriters(include, exclude []Writer) error {
	if len(include) > 0 {
		classes := make([]windows.GUID, len(include))
		for i, w := range include {
			classes[i] = w.Class
		}
		c.opts.step("including writers")
		if err := c.backup.EnableWriterClasses(&classes[0], uint32(len(classes))); err != nil {
			return &Error{Step: "including writers", Err: err}
		}
	}
	if len(exclude) > 0 {
		instances := make([]windows.GUID, len(exclude))
		for i, w := range exclude {
			instances[i] = w.Instance
		}
		c.opts.step("excluding writers")
		if err := c.backup.DisableWriterInstances(&instances[0], uint32(len(instances))); err != nil {
			return &Error{Step: "excluding writers", Err: err}
		}
	}
	return nil
}

// readWriters records the writers taking part and frees their metadata.
func (c *creation) readWriters() error {
	writers, err := writerIdentities(c.backup)
	if err != nil {
		return err
	}
	c.writers = writers
	if err := c.backup.FreeWriterMetadata(); err != nil {
		return &Error{Step: "freeing the writer metadata", Err: err}
	}
	return nil
}

// checkWriters gathers the writers' status after step and fails when one
// of them failed: VSS reports a writer's veto there, not as the step's
// outcome.
func (c *creation) checkWriters(ctx context.Context, step string) error {
	if c.noWriters() {
		return nil
	}
	statuses, err := writerStatus(ctx, c.backup, c.opts.Progress)
	if err != nil {
		return err
	}
	c.writers = statuses
	var failed []error
	for _, w := range statuses {
		if w.Failure.Failed() || w.State >= vss.VSS_WS_FAILED_AT_IDENTIFY && w.State <= vss.VSS_WS_FAILED_AT_BACKUPSHUTDOWN {
			code := w.Failure
			if !code.Failed() {
				code = vss.E_FAIL
			}
			failed = append(failed, &Error{
				Step: fmt.Sprintf("writer %q (%s)", w.Name, w.State),
				Err:  vss.NewError(vss.IVssBackupComponents_GetWriterStatus, code, vss.CurrentOSVersion()),
			})
		}
	}
	if len(failed) > 0 {
		return &Error{Step: step, Err: errors.Join(failed...)}
	}
	return nil
}

// writerStatus gathers and reads the writers' status.
func writerStatus(ctx context.Context, backup *vss.IVssBackupComponents, progress func(string)) ([]Writer, error) {
	if err := await(ctx, progress, "gathering writer status", vss.IVssBackupComponents_GatherWriterStatus, backup.GatherWriterStatus); err != nil {
		return nil, err
	}
	n, err := backup.GetWriterStatusCount()
	if err != nil {
		return nil, &Error{Step: "counting the writers' status", Err: err}
	}
	var writers []Writer
	for i := uint32(0); i < n; i++ {
		inst, class, name, state, failure, err := backup.GetWriterStatus(i)
		if err != nil {
			return nil, &Error{Step: fmt.Sprintf("reading the status of writer %d", i), Err: err}
		}
		writers = append(writers, Writer{Name: name, Class: class, Instance: inst, State: state, Failure: failure})
	}
	if err := backup.FreeWriterStatus(); err != nil {
		return nil, &Error{Step: "freeing the writer status", Err: err}
	}
	return writers, nil
}

// CloseContext is Close, bounded by ctx as well as by Options.Timeout.
func (s *Set) CloseContext(ctx context.Context) error {
	if s == nil || s.op == nil {
		return nil
	}
	op := s.op
	s.op = nil
	if op.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, op.timeout)
		defer cancel()
	}
	var err error
	op.thread.run(func() { err = op.close(ctx, s.ID) })
	op.thread.stop()
	return err
}

// close completes the backup, deletes the set unless it is persistent and
// releases the backup components, whatever fails on the way.
func (op *operation) close(ctx context.Context, setID windows.GUID) error {
	var errs []error
	if err := await(ctx, op.progress, "completing the backup", vss.IVssBackupComponents_BackupComplete, op.backup.BackupComplete); err != nil {
		errs = append(errs, err)
	} else if vss.CurrentOSVersion().OlderThan(6, 1) {
		// Before Windows 7 the writers' session ends only when their status
		// is gathered after BackupComplete (a note of BackupComplete).
		if _, err := writerStatus(ctx, op.backup, op.progress); err != nil {
			errs = append(errs, err)
		}
	}
	if !op.persistent && !skipDelete("on Close") {
		if op.progress != nil {
			op.progress("deleting the shadow copies")
		}
		if _, _, err := op.backup.DeleteSnapshots(setID, vss.VSS_OBJECT_SNAPSHOT_SET, true); err != nil && !errors.Is(err, vss.VSS_E_OBJECT_NOT_FOUND) {
			errs = append(errs, &Error{Step: "deleting shadow copy set " + setID.String(), Err: err})
		}
	}
	release(op.backup, "backup components on Close")
	return errors.Join(errs...)
}
