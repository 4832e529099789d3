package main

import (
	"fmt"
	"sync"
)

// progressFunc is what Create reports its steps to: on a terminal each
// step is shown on stderr as it starts; in a script (stderr a file or a
// pipe) nothing is, so that only results and errors are printed.
func (a *app) progressFunc() func(step string) {
	if !a.progress {
		return nil
	}
	var mu sync.Mutex // the service may report from another goroutine
	return func(step string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(a.stderr, "%s: %s...\n", progName, step)
	}
}
