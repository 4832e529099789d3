package main

import (
	"fmt"
	"sync"
	"time"
)

// stillInterval is how often a step that goes on is shown again, with the
// time it has taken. Tests shorten it.
var stillInterval = 15 * time.Second

// progress shows the steps of a long operation on stderr when it is a
// terminal: each step as it starts, and every stillInterval a line saying
// it still goes on. In a script (stderr a file or a pipe) it shows
// nothing, so that only results and errors are printed.
type progress struct {
	a     *app
	mu    sync.Mutex // the service may report from another goroutine
	step  string
	since time.Time
	timer *time.Timer
	done  bool
}

// startProgress returns the progress of one operation; call its stop when
// the operation is over.
func (a *app) startProgress() *progress {
	return &progress{a: a}
}

// report is the function the service reports steps to: nil when nothing
// is to be shown.
func (p *progress) report() func(step string) {
	if !p.a.progress {
		return nil
	}
	return p.show
}

func (p *progress) show(step string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.step, p.since = step, time.Now()
	fmt.Fprintf(p.a.stderr, "%s: %s...\n", progName, step)
	if p.timer != nil {
		p.timer.Stop()
	}
	p.timer = time.AfterFunc(stillInterval, func() { p.still(step) })
}

// still shows that step still goes on, unless another has started.
func (p *progress) still(step string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done || p.step != step {
		return
	}
	fmt.Fprintf(p.a.stderr, "%s: still %s (%v)\n", progName, step, time.Since(p.since).Round(time.Second))
	p.timer = time.AfterFunc(stillInterval, func() { p.still(step) })
}

// stop ends the progress: nothing is shown after it returns.
func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = true
	if p.timer != nil {
		p.timer.Stop()
	}
}
