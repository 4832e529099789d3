//go:build windows

package vss

import (
	"context"
	"fmt"
	"time"
)

// WaitContext waits until the asynchronous operation behind v ends or ctx
// is done, and reports how the operation ended. op is the method that
// returned v (IVssBackupComponents_DoSnapshotSet, say): a failure status is
// returned as an *Error of op, so errors.Is works with op's documented codes
// and OS-version notes as for a failed call.
//
// Where Wait honours its timeout (Windows Vista and later) it waits in
// slices of Wait, so that the end of the operation is seen at once and ctx
// within a slice. On Windows Server 2003 and XP, whose Wait knows no
// timeout, and wherever Wait fails while the operation is still pending,
// it polls QueryStatus instead. When ctx is done first it calls Cancel and
// returns ctx's error, unless the operation had finished or failed by
// then, which is reported instead. An operation that is still pending
// after Cancel is reported as an error that wraps ctx's error.
func (v *IVssAsync) WaitContext(ctx context.Context, op Method) error {
	if _waitHonoursTimeout(CurrentOSVersion()) {
		if done, err := v._waitInSlices(ctx, op); done {
			return err
		}
	}
	return v._poll(ctx, op)
}

// _waitSlice is how long one Wait call of WaitContext lasts at most, in
// milliseconds: how late WaitContext may notice that ctx is done.
const _waitSlice = 10

// _waitHonoursTimeout reports whether IVssAsync.Wait takes a timeout on
// Windows v: Windows Server 2003 requires INFINITE and XP has no parameter.
func _waitHonoursTimeout(v OSVersion) bool {
	return !v.OlderThan(6, 0)
}

// _waitInSlices waits with Wait(_waitSlice) until the operation ends or ctx
// is done. done is false when Wait failed while the operation was still
// pending: Wait itself does not work here, and the caller polls instead.
func (v *IVssAsync) _waitInSlices(ctx context.Context, op Method) (done bool, err error) {
	for {
		if done, err := v._finalStatus(op); done {
			return true, err
		}
		select {
		case <-ctx.Done():
			return true, v._cancel(ctx, op)
		default:
		}
		// A Wait that fails because the operation failed is followed by a
		// QueryStatus that reports the failure, so its error adds nothing.
		if err := v.Wait(_waitSlice); err != nil {
			if done, err := v._finalStatus(op); done {
				return true, err
			}
			return false, nil
		}
	}
}

// _poll waits until the operation ends or ctx is done by calling
// QueryStatus after delays that double from 5ms up to 200ms.
func (v *IVssAsync) _poll(ctx context.Context, op Method) error {
	const maxDelay = 200 * time.Millisecond
	delay := 5 * time.Millisecond
	for {
		done, err := v._finalStatus(op)
		if done {
			return err
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return v._cancel(ctx, op)
		case <-timer.C:
		}
		if delay *= 2; delay > maxDelay {
			delay = maxDelay
		}
	}
}

// _finalStatus reads the operation's status: done is false while it is pending.
func (v *IVssAsync) _finalStatus(op Method) (done bool, err error) {
	status, err := v.QueryStatus()
	switch {
	case err != nil:
		return true, err
	case status == VSS_S_ASYNC_PENDING:
		return false, nil
	case status.Failed():
		return true, _newError(op, status)
	case status == VSS_S_ASYNC_CANCELLED:
		return true, fmt.Errorf("%s: the operation was cancelled: %w", op, status)
	}
	return true, nil
}

// _cancel cancels the operation after ctx is done and reports the outcome.
func (v *IVssAsync) _cancel(ctx context.Context, op Method) error {
	_, err := v.Cancel()
	if err != nil {
		return fmt.Errorf("%s: %w (and cancelling failed: %v)", op, _contextCause(ctx), err)
	}
	status, err := v.QueryStatus()
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w (and reading the status after cancelling failed: %v)", op, _contextCause(ctx), err)
	case status == VSS_S_ASYNC_PENDING:
		return fmt.Errorf("%s: %w, and the operation is still pending after Cancel", op, _contextCause(ctx))
	case status == VSS_S_ASYNC_CANCELLED:
		return fmt.Errorf("%s: cancelled: %w", op, _contextCause(ctx))
	case status.Failed():
		return _newError(op, status)
	}
	return nil
}
