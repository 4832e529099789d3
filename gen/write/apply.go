package write

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// osOps are the file operations Apply uses; tests replace them to simulate
// a full disk or a failing rename.
type osOps struct {
	mkdirAll  func(string, fs.FileMode) error
	writeTemp func(p string, data []byte, mode fs.FileMode) error
	link      func(oldpath, newpath string) error
	rename    func(oldpath, newpath string) error
	remove    func(string) error
}

var ops = osOps{
	mkdirAll:  os.MkdirAll,
	writeTemp: writeTemp,
	link:      os.Link,
	rename:    os.Rename,
	remove:    os.Remove,
}

// writeTemp writes a staged copy at p with the given permissions, replacing
// a leftover of an earlier run there but never following a link. When
// writing, setting the permissions or closing fails, it removes the file it
// made: a failed stage leaves nothing behind.
func writeTemp(p string, data []byte, mode fs.FileMode) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL|openFlags, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
		return err
	}
	return nil
}

// ApplyError is the error of a failed Apply. The transaction was rolled
// back; Remains lists what the rollback could not remove or restore, and is
// empty when the directory holds exactly what it held before.
type ApplyError struct {
	Err     error
	Remains []string
}

func (e *ApplyError) Error() string {
	if len(e.Remains) == 0 {
		return e.Err.Error()
	}
	msg := fmt.Sprintf("%v; these remain: %s", e.Err, strings.Join(e.Remains, ", "))
	for _, r := range e.Remains {
		if filepath.Base(r) == JournalName {
			return msg + " (the next run undoes the rest from the journal once the directory lets it)"
		}
	}
	return msg
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Clean reports whether err, returned by Apply or Write, left the output
// directory exactly as it was.
func Clean(err error) bool {
	var ae *ApplyError
	return !errors.As(err, &ae) || len(ae.Remains) == 0
}

// Apply carries the plan out; see ApplyContext.
func (p *Plan) Apply() error { return p.ApplyContext(context.Background()) }

// ApplyContext carries the plan out as one transaction across all files.
// It records the transaction in dir's journal, makes the missing
// directories, stages every new version beside its file, keeps a link to
// every old version it replaces or removes, and only then renames the new
// versions into place and removes the stale files. When every step has
// succeeded, it marks the journal committed (the commit point), removes
// the old versions and the journal. On failure, or when ctx ends before the
// commit point, it undoes every step and returns an *ApplyError; the
// directory then holds exactly what it held before, unless the error lists
// files that remain. A run killed in the middle leaves the journal, from
// which Recover finishes or undoes the transaction.
//
// After success, Remains lists leftovers that could not be removed after
// the commit point (the output itself is complete).
func (p *Plan) ApplyContext(ctx context.Context) (err error) {
	if !p.Stale() {
		return nil
	}
	// The journal lives in dir, so dir is made first, outside the journal,
	// and removed again on failure.
	made := MissingDirs(p.Dir)
	if len(made) > 0 {
		if err := ops.mkdirAll(p.Dir, 0o755); err != nil {
			RemoveDirs(made)
			return &ApplyError{Err: err}
		}
	}
	j := &journal{Format: journalFormat, State: statePending}
	seen := map[string]bool{}
	for _, f := range p.Write {
		var chain []string
		for d := path.Dir(f.Name); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			if _, err := os.Lstat(osPath(p.Dir, d)); err == nil {
				break
			}
			chain = append(chain, d)
		}
		for i := len(chain) - 1; i >= 0; i-- {
			j.Dirs = append(j.Dirs, chain[i])
		}
		_, existed := p.old[f.Name]
		j.Files = append(j.Files, journalFile{Name: f.Name, New: true, Old: existed})
	}
	for _, name := range p.Remove {
		j.Files = append(j.Files, journalFile{Name: name, Remove: true, Old: true})
	}
	if err := writeJournal(p.Dir, j, true); err != nil {
		RemoveDirs(made)
		return &ApplyError{Err: fmt.Errorf("writing the journal: %w", err), Remains: leftover(filepath.Join(p.Dir, JournalName))}
	}
	defer func() {
		if err != nil {
			u := rollback(p.Dir, j, p.marker)
			if u.clean() {
				RemoveDirs(made)
				err = &ApplyError{Err: err}
				return
			}
			// The journal stays, so that the next run tries the undo again.
			err = &ApplyError{Err: err, Remains: append(append(u.failed, u.remains...), filepath.Join(p.Dir, JournalName))}
		}
	}()
	step := func(name string) error {
		pause(ctx, name)
		return context.Cause(ctx)
	}
	if err := step("journal"); err != nil {
		return err
	}
	for _, d := range j.Dirs {
		if err := ops.mkdirAll(osPath(p.Dir, d), 0o755); err != nil {
			return err
		}
	}
	// Stage every new version next to its file.
	for i, f := range p.Write {
		target := osPath(p.Dir, f.Name)
		if err := ops.writeTemp(osPath(p.Dir, tempName(f.Name)), f.Data, p.modeFor(f.Name)); err != nil {
			return fmt.Errorf("writing %s: %w", target, err)
		}
		j.Files[i].staged = true
		if err := step(fmt.Sprintf("stage-%d", i+1)); err != nil {
			return err
		}
	}
	// Keep every old version the transaction replaces or removes.
	for _, f := range j.Files {
		if f.Old {
			if err := p.keep(f.Name); err != nil {
				return err
			}
		}
	}
	if err := step("kept"); err != nil {
		return err
	}
	// Rename into place, then remove stale files.
	for i, f := range p.Write {
		target := osPath(p.Dir, f.Name)
		if err := ops.rename(osPath(p.Dir, tempName(f.Name)), target); err != nil {
			return fmt.Errorf("writing %s: %w", target, err)
		}
		j.Files[i].staged = false
		if err := step(fmt.Sprintf("rename-%d", i+1)); err != nil {
			return err
		}
	}
	for i, name := range p.Remove {
		target := osPath(p.Dir, name)
		if err := ops.remove(target); err != nil {
			return fmt.Errorf("removing stale %s: %w", target, err)
		}
		if err := step(fmt.Sprintf("remove-%d", i+1)); err != nil {
			return err
		}
	}
	// The commit point.
	j.State = stateCommitted
	if err := writeJournal(p.Dir, j, false); err != nil {
		j.State = statePending
		return fmt.Errorf("committing: %w", err)
	}
	pause(ctx, "committed")
	p.Remains = finish(p.Dir, j)
	return nil
}

// keep links the old version of name to its backup name, or copies it there
// where the file system has no hard links.
func (p *Plan) keep(name string) error {
	target, backup := osPath(p.Dir, name), osPath(p.Dir, backupName(name))
	if err := os.Remove(backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("keeping the old %s: %w", target, err)
	}
	if ops.link(target, backup) == nil {
		return nil
	}
	if err := writeTemp(backup, p.old[name], p.oldMode[name]); err != nil {
		return fmt.Errorf("keeping the old %s: %w", target, err)
	}
	return nil
}

// leftover returns p in a list when it exists.
func leftover(p string) []string {
	if _, err := os.Lstat(p); err == nil {
		return []string{p}
	}
	return nil
}

// RemoveDirs removes the directories a run made, deepest first, as far as
// they are empty.
func RemoveDirs(deepestFirst []string) {
	for _, d := range deepestFirst {
		os.Remove(d)
	}
}

// MissingDirs lists d and its ancestors that do not exist yet, deepest
// first: what MkdirAll(d) will make, for RemoveDirs to undo.
func MissingDirs(d string) []string {
	var out []string
	for {
		if _, err := os.Lstat(d); err == nil {
			return out
		}
		out = append(out, d)
		parent := filepath.Dir(d)
		if parent == d {
			return out
		}
		d = parent
	}
}

// PauseEnv names the environment variable with which tests stop a run at a
// step of its transaction ("journal", "stage-N", "kept", "rename-N",
// "remove-N", "committed") to interrupt it there. The run prints "vssgen: paused at
// STEP" on stderr and waits until it is signalled or a minute has passed.
const PauseEnv = "VSSGEN_TEST_PAUSE"

func pause(ctx context.Context, step string) {
	if os.Getenv(PauseEnv) != step {
		return
	}
	fmt.Fprintf(os.Stderr, "vssgen: paused at %s\n", step)
	select {
	case <-ctx.Done():
	case <-time.After(time.Minute):
	}
}
