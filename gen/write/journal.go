package write

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// JournalName is the file in the output directory that records a
// transaction while it runs. A run killed before it finished (SIGKILL, a
// crash, a power cut before the data reached the disk aside) leaves it
// behind, and the next run reads it to finish or undo what was begun.
const JournalName = ".vssgen.journal"

// journal records one transaction: the directories it makes and, for each
// file, whether a new version is staged beside it and whether its old
// version is kept beside it until the transaction is committed. The staged
// and kept copies have names derived from the file's (tempName,
// backupName), so a journal cannot point the writer at other files.
type journal struct {
	Format string        `json:"format"` // journalFormat
	State  string        `json:"state"`  // statePending or stateCommitted
	Dirs   []string      `json:"dirs,omitempty"`
	Files  []journalFile `json:"files"`
}

type journalFile struct {
	Name   string `json:"name"`
	New    bool   `json:"new,omitempty"`    // a new version is staged at tempName(Name)
	Old    bool   `json:"old,omitempty"`    // the file existed; kept at backupName(Name) once linked
	Remove bool   `json:"remove,omitempty"` // the file is removed
	staged bool   // the staged copy exists (this run made it, or a journal says it may)
}

const (
	journalFormat  = "vssgen journal 1"
	statePending   = "pending"
	stateCommitted = "committed"
)

func tempName(name string) string {
	return path.Join(path.Dir(name), "."+path.Base(name)+".vssgen-new")
}
func backupName(name string) string {
	return path.Join(path.Dir(name), "."+path.Base(name)+".vssgen-old")
}

func osPath(dir, name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }

// writeJournal records j in dir. The first record is created exclusively;
// a later one replaces it through a rename, so that a reader sees one
// record or the other, never a mixture.
func writeJournal(dir string, j *journal, first bool) error {
	data, err := json.MarshalIndent(j, "", "\t")
	if err != nil {
		return err
	}
	p := filepath.Join(dir, JournalName)
	if first {
		return createFile(p, append(data, '\n'), 0o644)
	}
	return replaceFile(p, append(data, '\n'), 0o644)
}

// createFile writes a new file at p, refusing to replace anything there,
// and removes what it made when writing fails.
func createFile(p string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL|openFlags, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
	}
	return err
}

// replaceFile replaces p by a file holding data, atomically.
func replaceFile(p string, data []byte, mode fs.FileMode) error {
	t := p + ".tmp"
	if err := os.Remove(t); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := createFile(t, data, mode); err != nil {
		return err
	}
	if err := os.Rename(t, p); err != nil {
		os.Remove(t)
		return err
	}
	return nil
}

// readJournal reads dir's journal; it returns nil when there is none.
func readJournal(dir string) (*journal, error) {
	p := filepath.Join(dir, JournalName)
	data, _, err := readRegular(p, MaxFileSize, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		// Only the first record can be cut short (later ones are renamed
		// into place), and it is written before anything else is touched.
		return &journal{State: "incomplete"}, nil
	}
	if j.Format != journalFormat || (j.State != statePending && j.State != stateCommitted) {
		return nil, fmt.Errorf("%s is not a journal this vssgen understands (format %q, state %q); finish with the vssgen that wrote it, or remove it after checking the directory", p, j.Format, j.State)
	}
	for _, name := range append(slices.Clone(j.Dirs), names(j.Files)...) {
		if !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("%s names %q, which is not a path inside the output directory; remove the journal after checking the directory", p, name)
		}
		if err := checkDirs(dir, name); err != nil {
			return nil, err
		}
	}
	for i := range j.Files {
		j.Files[i].staged = j.Files[i].New
	}
	return &j, nil
}

func names(files []journalFile) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

// undoResult says what a rollback did and what it could not do.
type undoResult struct {
	restored, removed []string // files put back, new files taken out
	remains           []string // files and directories that could not be removed
	failed            []string // files that could not be restored, with where their old version is
}

func (u *undoResult) clean() bool { return len(u.remains) == 0 && len(u.failed) == 0 }

// rollback undoes a pending transaction, newest step first: every kept old
// version goes back in place (with its permissions, since it is the same
// file), new files (those with the marker) and staged copies are removed, and so are the
// directories the transaction made. The journal is removed last, and only
// when everything else succeeded, so that an unfinished rollback is tried
// again by the next run.
func rollback(dir string, j *journal, marker string) *undoResult {
	u := &undoResult{}
	remove := func(p string) bool {
		err := os.Remove(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			u.remains = append(u.remains, p)
			return false
		}
		return err == nil
	}
	for i := len(j.Files) - 1; i >= 0; i-- {
		f := j.Files[i]
		target := osPath(dir, f.Name)
		if f.Old {
			backup := osPath(dir, backupName(f.Name))
			if _, err := os.Lstat(backup); err == nil {
				// When target and backup are still one file, rename does
				// nothing and the backup name is removed below.
				same := false
				if a, err := os.Lstat(target); err == nil {
					if b, err := os.Lstat(backup); err == nil {
						same = os.SameFile(a, b)
					}
				}
				if err := os.Rename(backup, target); err != nil {
					u.failed = append(u.failed, fmt.Sprintf("%s (its old version is in %s)", target, backup))
				} else {
					if !same {
						u.restored = append(u.restored, f.Name)
					}
					remove(backup)
				}
			}
		} else if f.New {
			// Only a file the run put there goes: one with the marker.
			if head, _, err := readRegular(target, markerSpan, true); err == nil && isGenerated(head, marker) && remove(target) {
				u.removed = append(u.removed, f.Name)
			}
		}
		if f.New && f.staged {
			remove(osPath(dir, tempName(f.Name)))
		}
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		remove(osPath(dir, j.Dirs[i]))
	}
	if u.clean() {
		remove(filepath.Join(dir, JournalName))
	}
	slices.Sort(u.restored)
	slices.Sort(u.removed)
	return u
}

// finish completes a committed transaction: the kept old versions are no
// longer needed. It returns what could not be removed.
func finish(dir string, j *journal) []string {
	var remains []string
	for _, f := range j.Files {
		for _, p := range []string{backupName(f.Name), tempName(f.Name)} {
			if (p == tempName(f.Name) && !f.New) || (p == backupName(f.Name) && !f.Old) {
				continue
			}
			if err := os.Remove(osPath(dir, p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				remains = append(remains, osPath(dir, p))
			}
		}
	}
	if len(remains) == 0 {
		if err := os.Remove(filepath.Join(dir, JournalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			remains = append(remains, filepath.Join(dir, JournalName))
		}
	}
	return remains
}

// Recover finishes or undoes a transaction that a killed run left in dir,
// and says what it did; it returns "" when there was none. A transaction
// that had not reached its commit point is undone, so dir holds what it held
// before that run; one that had is finished, so dir holds that run's output.
// A file the run was adding is removed only when it carries marker. The
// caller must hold dir's lock.
func Recover(dir, marker string) (string, error) {
	j, err := readJournal(dir)
	if err != nil || j == nil {
		return "", err
	}
	p := filepath.Join(dir, JournalName)
	switch j.State {
	case "incomplete":
		// The first record is written before anything else is touched, so a
		// run killed while writing it changed nothing.
		if err := os.Remove(p); err != nil {
			return "", err
		}
		return fmt.Sprintf("removed the incomplete journal of a run interrupted before it changed anything in %s", dir), nil
	case stateCommitted:
		if remains := finish(dir, j); len(remains) > 0 {
			return "", fmt.Errorf("an interrupted run had written %s completely, but its leftovers could not be removed: %s", dir, strings.Join(remains, ", "))
		}
		return fmt.Sprintf("an interrupted run had written %s completely; removed the old versions it kept", dir), nil
	}
	u := rollback(dir, j, marker)
	if !u.clean() {
		return "", fmt.Errorf("undoing the interrupted run recorded in %s: %s", p, u.problems())
	}
	return fmt.Sprintf("an interrupted run had not finished writing %s; undone: %s", dir, u.summary()), nil
}

func (u *undoResult) summary() string {
	var parts []string
	if len(u.restored) > 0 {
		parts = append(parts, "restored "+strings.Join(u.restored, ", "))
	}
	if len(u.removed) > 0 {
		parts = append(parts, "removed the new "+strings.Join(u.removed, ", "))
	}
	if len(parts) == 0 {
		return "it had not replaced any file yet"
	}
	return strings.Join(parts, "; ")
}

func (u *undoResult) problems() string {
	var parts []string
	if len(u.failed) > 0 {
		parts = append(parts, "could not restore "+strings.Join(u.failed, ", "))
	}
	if len(u.remains) > 0 {
		parts = append(parts, "could not remove "+strings.Join(u.remains, ", "))
	}
	return strings.Join(parts, "; ")
}
