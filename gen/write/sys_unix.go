//go:build unix

package write

import "golang.org/x/sys/unix"

// openFlags are added to every open of a file inside the output directory:
// a symbolic link is refused rather than followed, and opening a named pipe
// returns at once instead of waiting for a writer.
const openFlags = unix.O_NOFOLLOW | unix.O_NONBLOCK

// removeLockWhileHeld: on Unix the holder removes the lock file before it
// lets go of the lock; a waiter that then gets the lock on the removed file
// sees that the path no longer names it and tries again.
const removeLockWhileHeld = true

// errReadOnly is the error of making a file on a read-only file system.
var errReadOnly error = unix.EROFS
