package tests

import (
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen"
)

// asyncSpec is a spec whose IVssAsync takes the given method entries.
func asyncSpec(methods string) string {
	return `package: shapes
hresults:
  - {name: S_OK, value: 0, doc: Success.}
  - {name: VSS_S_ASYNC_PENDING, value: 0x00042309, doc: Pending.}
  - {name: VSS_S_ASYNC_FINISHED, value: 0x0004230A, doc: Finished.}
  - {name: VSS_S_ASYNC_CANCELLED, value: 0x0004230B, doc: Cancelled.}
interfaces:
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    methods:
` + methods
}

const (
	cancelWithStatus = `      - name: Cancel
        slot: 3
        returns: [{code: VSS_S_ASYNC_FINISHED, meaning: Finished already.}]
`
	waitDWORD = `      - name: Wait
        slot: 4
        params: [{name: dwMilliseconds, dir: in, type: DWORD}]
`
	queryStatusSDK = `      - name: QueryStatus
        slot: 5
        params:
          - {name: pHrResult, dir: out, type: HRESULT}
          - {name: pReserved, dir: out, type: INT, reserved: true}
`
)

// TestWaitContextOnlyForItsShape generates packages whose IVssAsync differs
// from the SDK's in one method each. WaitContext was written for the SDK's
// shapes: it is generated for them and for no other, and every package,
// with or without it, compiles for Windows.
func TestWaitContextOnlyForItsShape(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated packages for Windows; skipped in -short mode")
	}
	shapes := []struct {
		name, methods string
		wait          bool
	}{
		{"the SDK's", cancelWithStatus + waitDWORD + queryStatusSDK, true},
		{"QueryStatus with a second out-parameter", cancelWithStatus + waitDWORD + `      - name: QueryStatus
        slot: 5
        params:
          - {name: pHrResult, dir: out, type: HRESULT}
          - {name: pExtra, dir: out, type: DWORD}
`, false},
		{"QueryStatus with an in-parameter", cancelWithStatus + waitDWORD + `      - name: QueryStatus
        slot: 5
        params:
          - {name: dwFlags, dir: in, type: DWORD}
          - {name: pHrResult, dir: out, type: HRESULT}
`, false},
		{"Cancel without a success code", `      - {name: Cancel, slot: 3}
` + waitDWORD + queryStatusSDK, false},
		{"Wait without its timeout", cancelWithStatus + `      - {name: Wait, slot: 4}
` + queryStatusSDK, false},
		{"no Wait", cancelWithStatus + `      - name: QueryStatus
        slot: 4
        params: [{name: pHrResult, dir: out, type: HRESULT}]
`, false},
	}
	mod := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/shapes\n\ngo " + repoGoVersion(t) + "\n\nrequire golang.org/x/sys " + xsysVersion(t) + "\n",
		"go.sum": xsysSums(t),
	}
	for i, sh := range shapes {
		out, err := gen.GenerateBytes("shapes.yaml", []byte(asyncSpec(sh.methods)), gen.Options{})
		if err != nil {
			t.Fatalf("%s: %v", sh.name, err)
		}
		hasWait := false
		for _, f := range out {
			hasWait = hasWait || f.Name == "wait_windows.go"
			files["p"+string(rune('a'+i))+"/"+f.Name] = string(f.Data)
		}
		if hasWait != sh.wait {
			t.Errorf("IVssAsync with %s: wait_windows.go generated: %t, want %t", sh.name, hasWait, sh.wait)
		}
	}
	writeFiles(t, mod, files)
	for _, arch := range []string{"amd64", "386"} {
		out := goCmd(t, mod, []string{"GOOS=windows", "GOARCH=" + arch}, "vet", "./...")
		if strings.TrimSpace(out) != "" {
			t.Logf("go vet for windows/%s: %s", arch, out)
		}
	}
}
