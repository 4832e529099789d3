package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

var deleteCmd = &command{
	name:  "delete",
	args:  "[flags] [ID...]",
	short: "delete shadow copies by ID, by set or by volume",
	long: `Delete deletes the shadow copies with the given IDs, those of a set
(--set, vshadow -dx), those of a volume (--volume), or every shadow copy on
the machine (--all, vshadow -da). It prints the ID of each shadow copy it
deleted. Deleting nothing is a failure, so that a mistyped ID is noticed.`,
	examples: `	vss-snapshot delete {ID}
	vss-snapshot delete --set {SET-ID}
	vss-snapshot delete --volume D:`,
	setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) int {
		var f filterFlags
		fs.StringVar(&f.set, "set", "", "delete the shadow copies of the set with this `ID`")
		fs.StringVar(&f.volume, "volume", "", "delete every shadow copy of this `volume`")
		all := fs.Bool("all", false, "delete every shadow copy on the machine")
		return func(ctx context.Context, a *app, args []string) int {
			ids := dropDashDash(args)
			chosen := 0
			for _, given := range []bool{len(ids) > 0, f.set != "", f.volume != "", *all} {
				if given {
					chosen++
				}
			}
			if chosen != 1 {
				return a.usageError("give shadow copy IDs, or one of --set, --volume and --all", "delete")
			}
			var filters []filter
			for _, id := range ids {
				if !guidPattern.MatchString(id) {
					return a.usageError(fmt.Sprintf("%q is not a shadow copy ID", id), "delete")
				}
				filters = append(filters, filter{ID: id})
			}
			if len(ids) == 0 {
				flt, err := f.filter()
				if err != nil {
					return a.usageError(err.Error(), "delete")
				}
				filters = append(filters, flt)
			}
			svc, code := a.connect(ctx)
			if svc == nil {
				return code
			}
			var errs []error
			deleted := 0
			for _, flt := range filters {
				gone, err := svc.Delete(ctx, flt)
				for _, id := range gone {
					fmt.Fprintln(a.stdout, id)
				}
				deleted += len(gone)
				if err != nil {
					errs = append(errs, fmt.Errorf("deleting %s: %w", describe(flt), err))
				} else if len(gone) == 0 {
					errs = append(errs, fmt.Errorf("deleting %s: no such shadow copy", describe(flt)))
				}
				if ctx.Err() != nil {
					break
				}
			}
			if ctx.Err() != nil && len(errs) == 0 {
				errs = append(errs, fmt.Errorf("deleting: %w", ctx.Err()))
			}
			if len(errs) > 0 {
				return a.fail(ctx, errors.Join(errs...))
			}
			return exitOK
		}
	},
}

// describe names what f selects, for messages.
func describe(f filter) string {
	switch {
	case f.ID != "":
		return "shadow copy " + f.ID
	case f.SetID != "":
		return "shadow copy set " + f.SetID
	case f.Volume != "":
		return "the shadow copies of " + f.Volume
	}
	return "every shadow copy"
}
