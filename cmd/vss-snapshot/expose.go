package main

import (
	"context"
	"flag"
	"fmt"
)

var exposeCmd = &command{
	name:  "expose",
	args:  "ID DRIVE:|FOLDER",
	short: "expose a shadow copy as a drive letter or folder",
	long: `Expose makes persistent shadow copy ID readable at a free drive letter
(X:) or an empty folder on an NTFS volume, as vshadow -el and diskshadow's
expose do, and prints where. Undo it with unexpose. Only persistent shadow
copies can be exposed.`,
	examples: `	vss-snapshot expose {ID} X:
	vss-snapshot expose {ID} C:\snapshots\monday`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		return func(ctx context.Context, a *app, args []string) int {
			args = dropDashDash(args)
			if len(args) != 2 {
				return a.usageError("give a shadow copy ID and a drive letter or folder", "expose")
			}
			if !guidPattern.MatchString(args[0]) {
				return a.usageError(fmt.Sprintf("%q is not a shadow copy ID", args[0]), "expose")
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			name, err := svc.Expose(ctx, args[0], args[1])
			if err != nil {
				return a.fail(ctx, fmt.Errorf("exposing shadow copy %s at %s: %w", args[0], args[1], err))
			}
			fmt.Fprintln(a.stdout, name)
			return exitOK
		}
	},
}

var unexposeCmd = &command{
	name:  "unexpose",
	args:  "DRIVE:|FOLDER|ID",
	short: "undo expose",
	long: `Unexpose removes the drive letter or folder through which a shadow copy
was exposed, as diskshadow's unexpose does. The shadow copy stays.`,
	examples: `	vss-snapshot unexpose X:
	vss-snapshot unexpose {ID}`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		return func(ctx context.Context, a *app, args []string) int {
			args = dropDashDash(args)
			if len(args) != 1 {
				return a.usageError("give the drive letter, folder or ID of one exposed shadow copy", "unexpose")
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			if err := svc.Unexpose(ctx, args[0]); err != nil {
				return a.fail(ctx, fmt.Errorf("unexposing %s: %w", args[0], err))
			}
			return exitOK
		}
	},
}

var linkCmd = &command{
	name:  "link",
	args:  "ID DIR",
	short: "make a directory symbolic link to a shadow copy",
	long: `Link makes DIR, which must not exist, a directory symbolic link to the
root of shadow copy ID, so that any program can read the copy through
ordinary paths (as mxk/go-vss does for kopia). Remove it with rmdir DIR;
the shadow copy stays. Making symbolic links needs an elevated prompt or
Developer Mode.`,
	examples: `	vss-snapshot link {ID} C:\snap
	dir C:\snap\Users`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		return func(ctx context.Context, a *app, args []string) int {
			args = dropDashDash(args)
			if len(args) != 2 {
				return a.usageError("give a shadow copy ID and the directory to make", "link")
			}
			if !guidPattern.MatchString(args[0]) {
				return a.usageError(fmt.Sprintf("%q is not a shadow copy ID", args[0]), "link")
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			if err := svc.Link(ctx, args[0], args[1]); err != nil {
				return a.fail(ctx, fmt.Errorf("linking %s to shadow copy %s: %w", args[1], args[0], err))
			}
			fmt.Fprintln(a.stdout, args[1])
			return exitOK
		}
	},
}
