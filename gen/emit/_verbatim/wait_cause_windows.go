//go:build windows && go1.20

package vss

import "context"

// _contextCause is why ctx is done: the cause given to a
// context.WithCancelCause or WithTimeoutCause, or else ctx.Err().
func _contextCause(ctx context.Context) error { return context.Cause(ctx) }
