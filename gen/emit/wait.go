package emit

import (
	"github.com/vssgen/vssgen/gen/model"
)

// Wait emits wait_windows.go, a context-aware wait on IVssAsync, when the
// spec declares IVssAsync with Cancel, Wait and QueryStatus and the three
// status codes. Backup tools keep tripping over IVssAsync.Wait: a wait that
// times out leaves the operation pending and the next step fails.
// WaitContext instead waits until the operation ends or the context does,
// cancels the operation in the second case, and turns the final status into
// the same OS-aware errors the stubs return.
//
// Nothing of WaitContext depends on the spec but the package name, so it is
// ordinary Go in _verbatim, copied as it is: see verbatimFiles.
func Wait(s *model.Spec, cfg Config) ([]Output, error) {
	if !hasAsync(s) {
		return nil, nil
	}
	return verbatimFiles(s, cfg, "wait_windows.go", "wait_cause_windows.go", "wait_cause_go119_windows.go")
}

// hasAsync reports whether the spec declares what WaitContext uses, in the
// shapes it was written for: Cancel() (HRESULT, error), Wait(uint32) error
// and QueryStatus() (HRESULT, error), with the status codes it compares.
func hasAsync(s *model.Spec) bool {
	var it *model.Interface
	for _, x := range s.Interfaces {
		if x.Name == "IVssAsync" {
			it = x
		}
	}
	if it == nil {
		return false
	}
	methods := map[string]*model.Method{}
	for _, m := range it.Methods {
		methods[m.Name] = m
	}
	cancel, wait, qs := methods["Cancel"], methods["Wait"], methods["QueryStatus"]
	if cancel == nil || wait == nil || qs == nil {
		return false
	}
	cancelOK := len(goParams(cancel)) == 0 && len(cancel.SuccessCodes()) > 0
	w := goParams(wait)
	waitOK := len(w) == 1 && w[0].Dir == model.In && w[0].Type.Go == "uint32" && len(wait.SuccessCodes()) == 0
	q := goParams(qs)
	qsOK := len(q) == 1 && q[0].Dir == model.Out && q[0].Type.Kind == model.Status && len(qs.SuccessCodes()) == 0
	codes := map[string]bool{}
	for _, h := range s.HRESULTs {
		codes[h.Name] = true
	}
	return cancelOK && waitOK && qsOK && codes["VSS_S_ASYNC_PENDING"] && codes["VSS_S_ASYNC_CANCELLED"]
}

// goParams are the parameters of m that its Go signature shows.
func goParams(m *model.Method) []*model.Param {
	var out []*model.Param
	for _, p := range m.Params {
		if !p.Reserved {
			out = append(out, p)
		}
	}
	return out
}
