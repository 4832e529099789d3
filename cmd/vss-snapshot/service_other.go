//go:build !windows

package main

// newService fails away from Windows: the Volume Shadow Copy Service is
// part of Windows. The command still builds here so that go build ./...
// and go vet ./... work on every system, and its arguments are checked
// before this answer.
func newService() (service, error) { return nil, errNeedsWindows }

// hint is advice for an error whose cause a user can fix; away from
// Windows there is none.
func hint(error) string { return "" }
