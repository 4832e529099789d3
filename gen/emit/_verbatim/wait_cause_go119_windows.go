//go:build windows && !go1.20

package vss

import "context"

// _contextCause is why ctx is done. Go 1.19 has no causes: ctx.Err().
func _contextCause(ctx context.Context) error { return ctx.Err() }
