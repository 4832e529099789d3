//go:build windows

package shadow

import "time"

// SetMutation makes the package skip a Release or a deletion where f
// answers true for the point's name, until restore is called.
func SetMutation(f func(point string) bool) (restore func()) {
	saved := mutate
	mutate = f
	return func() { mutate = saved }
}

// SetRetryDelays replaces the pauses before Create tries again after
// VSS_E_SNAPSHOT_SET_IN_PROGRESS, until restore is called.
func SetRetryDelays(d []time.Duration) (restore func()) {
	saved := inProgressDelays
	inProgressDelays = d
	return func() { inProgressDelays = saved }
}
