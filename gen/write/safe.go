package write

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
)

// MaxFileSize is the most vssgen reads of a file already in the output
// directory, the same limit as for specs, unless the file it would write
// there is larger. A file in the way that is larger still is refused rather
// than read, so that a link to /dev/zero or a huge file cannot exhaust memory.
const MaxFileSize = 8 << 20

// ErrUnsafe is wrapped by the errors for symbolic links and special files
// found inside the output directory.
var ErrUnsafe = errors.New("vssgen reads, writes and removes only regular files and real directories inside the output directory")

// kind names what a file mode is, for messages.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	default:
		return "not a regular file"
	}
}

// refuseLink turns the error of an open with O_NOFOLLOW on a symbolic link
// into the refusal that names it.
func refuseLink(p string, err error) error {
	if info, lerr := os.Lstat(p); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link: %w", p, ErrUnsafe)
	}
	return err
}

// checkDirs refuses when a directory between dir and the file name (a
// relative, slash-separated path) is a symbolic link or not a directory.
// Directories that do not exist yet are fine: the writer makes them.
func checkDirs(dir, name string) error {
	sub := path.Dir(name)
	if sub == "." {
		return nil
	}
	p := dir
	for _, elem := range splitPath(sub) {
		p = filepath.Join(p, elem)
		info, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return err
		case info.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link to a directory; vssgen does not follow it: %w", p, ErrUnsafe)
		case !info.IsDir():
			return fmt.Errorf("%s is %s where vssgen needs a directory: %w", p, kind(info.Mode()), &fs.PathError{Op: "mkdir", Path: p, Err: syscall.ENOTDIR})
		}
	}
	return nil
}

func splitPath(p string) []string {
	var out []string
	for p != "." && p != "" {
		out = append([]string{path.Base(p)}, out...)
		p = path.Dir(p)
	}
	return out
}

// readRegular reads the file at p, which must be a regular file and not a
// symbolic link, reading at most limit bytes (or only the first limit when
// head is set). It reports fs.ErrNotExist for a missing file and the
// file's permissions otherwise.
func readRegular(p string, limit int64, head bool) ([]byte, fs.FileMode, error) {
	info, err := os.Lstat(p)
	if err != nil {
		return nil, 0, err
	}
	if !info.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is %s: %w", p, kind(info.Mode()), ErrUnsafe)
	}
	if !head && info.Size() > limit {
		return nil, 0, fmt.Errorf("%s is larger than %d MiB, the most vssgen reads of a file in the output directory", p, limit>>20)
	}
	f, err := os.OpenFile(p, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, 0, refuseLink(p, err)
	}
	defer f.Close()
	// What was opened must be what Lstat saw, not something put there since.
	opened, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if !opened.Mode().IsRegular() || !os.SameFile(info, opened) {
		return nil, 0, fmt.Errorf("%s changed while vssgen read it: %w", p, ErrUnsafe)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", p, err)
	}
	if int64(len(data)) > limit {
		if head {
			return data[:limit], opened.Mode().Perm(), nil
		}
		return nil, 0, fmt.Errorf("%s is larger than %d MiB, the most vssgen reads of a file in the output directory", p, limit>>20)
	}
	return data, opened.Mode().Perm(), nil
}
