package write

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Result is what Write did.
type Result struct {
	*Plan
	// Recovered says what Write did about a transaction an interrupted run
	// had left in the directory; it is empty when there was none.
	Recovered string
}

// Write puts files into dir as one transaction, serialised with every other
// Write into dir, in this process or another: it makes dir if needed, takes
// dir's lock (waiting at most wait for another run to finish; ctx ends the
// wait too), finishes or undoes a transaction an interrupted run left
// there, plans against what dir holds now and applies the plan. When ctx
// ends before the commit point, the transaction is rolled back and Write
// returns an error wrapping ctx's cause. On error, the Result (when not nil)
// still says what was recovered.
func Write(ctx context.Context, dir string, files []File, marker string, wait time.Duration) (res *Result, err error) {
	if dir == "" {
		return nil, errors.New("the output directory is empty; name one (\".\" for the current directory)")
	}
	made := MissingDirs(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		RemoveDirs(made)
		return nil, err
	}
	lock, err := lockDir(ctx, dir, wait)
	if err != nil && len(made) == 0 && (errors.Is(err, fs.ErrPermission) || errors.Is(err, errReadOnly)) {
		// No run can write to a directory where its lock file cannot be
		// made, this one included; it still succeeds when nothing there
		// would have to change, as on a read-only checkout that is current.
		plan, perr := NewPlan(dir, files, marker)
		if perr != nil {
			return nil, perr
		}
		if plan.Stale() {
			return nil, err
		}
		return &Result{Plan: plan}, nil
	}
	if err != nil {
		RemoveDirs(made)
		return nil, err
	}
	defer func() {
		if remains := lock.release(); remains != "" {
			if err != nil && !Clean(err) {
				var ae *ApplyError
				errors.As(err, &ae)
				ae.Remains = append(ae.Remains, remains)
			} else if err != nil {
				err = &ApplyError{Err: err, Remains: []string{remains}}
			} else {
				res.Remains = append(res.Remains, remains)
			}
		}
		if err != nil && Clean(err) {
			// Empty unless another run is using it.
			RemoveDirs(made)
		}
	}()
	res = &Result{}
	if res.Recovered, err = Recover(dir, marker); err != nil {
		// What the next run needs to try again stays.
		return nil, &ApplyError{Err: err, Remains: leftover(filepath.Join(dir, JournalName))}
	}
	if res.Plan, err = NewPlan(dir, files, marker); err != nil {
		return res, err
	}
	if err := res.Plan.ApplyContext(ctx); err != nil {
		return res, err
	}
	return res, nil
}
