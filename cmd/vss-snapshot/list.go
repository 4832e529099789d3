package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"
)

var listCmd = &command{
	name:  "list",
	args:  "[flags]",
	short: "list the shadow copies",
	long: `List prints the shadow copies on this machine, one a line: ID, set ID,
volume (where it is mounted, such as C:\, when known), creation time,
context and device path (vshadow -q, -qx). With --json it prints them as a
JSON array of objects, with the fields id, set_id, volume (the volume GUID
path), mount_points, device, created, provider, context, persistent and
exposed.`,
	examples: `	vss-snapshot list
	vss-snapshot list --volume C:
	vss-snapshot list --set {SET-ID} --json`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		var f filterFlags
		f.define(fs)
		asJSON := fs.Bool("json", false, "print JSON")
		return func(ctx context.Context, a *app, args []string) int {
			if args = dropDashDash(args); len(args) > 0 {
				return a.usageError(fmt.Sprintf("list takes no arguments, not %q; use --id, --set or --volume", args[0]), "list")
			}
			flt, err := f.filter()
			if err != nil {
				return a.usageError(err.Error(), "list")
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			snaps, err := svc.List(ctx, flt)
			if err != nil {
				return a.fail(ctx, fmt.Errorf("listing the shadow copies: %w", err))
			}
			if *asJSON {
				if snaps == nil {
					snaps = []snapshot{}
				}
				return a.printJSON(snaps)
			}
			if len(snaps) == 0 {
				// Nothing on stdout, so that scripts see an empty list.
				if a.progress {
					fmt.Fprintf(a.stderr, "%s: no shadow copies\n", progName)
				}
				return exitOK
			}
			a.printTable(snaps)
			return exitOK
		}
	},
}

// printTable prints snaps as list does.
func (a *app) printTable(snaps []snapshot) {
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSET\tVOLUME\tCREATED\tCONTEXT\tDEVICE")
	for _, s := range snaps {
		created := "-"
		if !s.Created.IsZero() {
			created = s.Created.Local().Format(time.DateTime)
		}
		ctxName := s.Context
		if ctxName == "" {
			ctxName = "-"
		}
		volume := s.Volume
		if len(s.MountPoints) > 0 {
			volume = s.MountPoints[0] // C:\ says more than \\?\Volume{...}\
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.SetID, volume, created, ctxName, s.Device)
	}
	tw.Flush()
}

// filterFlags are the selection flags of list and delete.
type filterFlags struct {
	id, set, volume string
}

func (f *filterFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.id, "id", "", "only the shadow copy with this `ID`")
	fs.StringVar(&f.set, "set", "", "only the shadow copies of the set with this `ID`")
	fs.StringVar(&f.volume, "volume", "", "only the shadow copies of this `volume`")
}

func (f *filterFlags) filter() (filter, error) {
	flt := filter{ID: f.id, SetID: f.set}
	if f.id != "" && !guidPattern.MatchString(f.id) {
		return flt, fmt.Errorf("--id %q is not a shadow copy ID", f.id)
	}
	if f.set != "" && !guidPattern.MatchString(f.set) {
		return flt, fmt.Errorf("--set %q is not a shadow copy set ID", f.set)
	}
	if f.volume != "" {
		flt.Volume = volumePath(f.volume)
	}
	return flt, nil
}
