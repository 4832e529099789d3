package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
	svc            *fakeService
	connected      bool
}

// runFake runs the command line args against svc (a fresh fakeService
// when nil).
func runFake(t *testing.T, ctx context.Context, svc *fakeService, progress bool, args ...string) result {
	t.Helper()
	if svc == nil {
		svc = &fakeService{}
	}
	var stdout, stderr bytes.Buffer
	r := result{svc: svc}
	a := &app{
		stdin:    strings.NewReader(""),
		stdout:   &stdout,
		stderr:   &stderr,
		env:      os.Environ(),
		progress: progress,
		newService: func() (service, error) {
			r.connected = true
			return svc, nil
		},
	}
	r.code = a.run(ctx, args)
	r.stdout, r.stderr = stdout.String(), stderr.String()
	return r
}

// TestHelp checks help the way go help has it: "help" and -h list every
// command on stdout with status 0; "help CMD" and "CMD -h" print the same
// page, with the usage line, the flags, examples and the exit statuses.
func TestHelp(t *testing.T) {
	ctx := t.Context()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runFake(t, ctx, nil, false, args...)
		if r.code != exitOK || r.stderr != "" {
			t.Errorf("%q: status %d, stderr %q; want 0 and nothing", args, r.code, r.stderr)
		}
		for _, c := range commands() {
			if !strings.Contains(r.stdout, "\t"+c.name+" ") {
				t.Errorf("%q does not list %s:\n%s", args, c.name, r.stdout)
			}
		}
		for _, want := range []string{"Usage:", "vss-snapshot help <command>", "exit-codes", "environment"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%q lacks %q", args, want)
			}
		}
	}
	wantFlags := map[string][]string{
		"create":   {"-no-writers", "-writer-include", "-writer-exclude", "-timeout", "-provider", "-backup-type", "-context", "-json", "-script"},
		"exec":     {"-persistent", "-no-writers", "-writer-include", "-writer-exclude", "-timeout", "-provider", "-backup-type", "-context", "{C:}"},
		"list":     {"-json", "-id", "-set", "-volume"},
		"delete":   {"-set", "-volume", "-all"},
		"expose":   {"DRIVE:|FOLDER"},
		"unexpose": {"DRIVE:|FOLDER|ID"},
		"link":     {"ID DIR"},
	}
	for _, c := range commands() {
		help := runFake(t, ctx, nil, false, "help", c.name)
		dashH := runFake(t, ctx, nil, false, c.name, "-h")
		if help.code != exitOK || dashH.code != exitOK {
			t.Errorf("help %s: status %d; %s -h: status %d; want 0", c.name, help.code, c.name, dashH.code)
		}
		if help.stdout != dashH.stdout {
			t.Errorf("help %s and %s -h differ:\n%s\n---\n%s", c.name, c.name, help.stdout, dashH.stdout)
		}
		for _, want := range append([]string{"usage: vss-snapshot " + c.name, "Examples:", "Exit status:"}, wantFlags[c.name]...) {
			if !strings.Contains(help.stdout, want) {
				t.Errorf("help %s lacks %q:\n%s", c.name, want, help.stdout)
			}
		}
		if help.connected || dashH.connected {
			t.Errorf("help %s connected to the service", c.name)
		}
	}
	if r := runFake(t, ctx, nil, false, "help", "exit-codes"); r.code != 0 || !strings.Contains(r.stdout, "130") {
		t.Errorf("help exit-codes: %d\n%s", r.code, r.stdout)
	}
	if r := runFake(t, ctx, nil, false, "help", "environment"); r.code != 0 || !strings.Contains(r.stdout, "VSS_SHADOW_C") {
		t.Errorf("help environment: %d\n%s", r.code, r.stdout)
	}
}

// TestUsageErrors checks that bad command lines end with status 2, a
// message that says what is wrong and where the help is, nothing on
// stdout, and no connection to VSS.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
		help string // the help command the message points to
	}{
		{nil, "Usage:", ""},
		{[]string{"--list"}, "unknown flag --list: the commands are words; did you mean 'vss-snapshot list'?", "vss-snapshot help"},
		{[]string{"-keep", `C:\`}, "unknown flag -keep: flags follow the command", "vss-snapshot help"},
		{[]string{`C:\`}, "to copy a volume, run 'vss-snapshot create C:\\' (persistent) or 'vss-snapshot exec C:\\ -- PROGRAM'", "vss-snapshot help"},
		{[]string{"snap", "C:"}, `unknown command "snap"`, "vss-snapshot help"},
		{[]string{"help", "nothing"}, `unknown help topic "nothing"`, "vss-snapshot help"},
		{[]string{"help", "create", "exec"}, "help takes one command", "vss-snapshot help"},
		{[]string{"create"}, "name at least one volume", "vss-snapshot help create"},
		{[]string{"create", ""}, "a volume is empty", "vss-snapshot help create"},
		{[]string{"create", "C:", `c:\`}, "volume c:\\ is named twice", "vss-snapshot help create"},
		{[]string{"create", "--persistent", "C:"}, "flag provided but not defined: -persistent", "vss-snapshot help create"},
		{[]string{"create", "--context", "backup", "C:"}, "context backup is temporary", "vss-snapshot help create"},
		{[]string{"create", "--context", "nope", "C:"}, `--context "nope" is not one of`, "vss-snapshot help create"},
		{[]string{"create", "--context", "app-rollback", "--no-writers", "C:"}, "--context names the context", "vss-snapshot help create"},
		{[]string{"create", "--timeout", "0s", "C:"}, "--timeout must be positive", "vss-snapshot help create"},
		{[]string{"create", "--timeout", "soon", "C:"}, "invalid value", "vss-snapshot help create"},
		{[]string{"create", "--provider", "system", "C:"}, `--provider "system" is not a provider ID`, "vss-snapshot help create"},
		{[]string{"create", "--backup-type", "snapshot", "C:"}, `--backup-type "snapshot" is not one of copy, full`, "vss-snapshot help create"},
		{[]string{"create", "--no-writers", "--writer-exclude", "SqlServerWriter", "C:"}, "--no-writers leaves every writer out", "vss-snapshot help create"},
		{[]string{"create", "--context", "client-accessible", "--writer-include", "x", "C:"}, "context client-accessible takes no writers", "vss-snapshot help create"},
		{[]string{"exec", "C:"}, "give the program to run after --", "vss-snapshot help exec"},
		{[]string{"exec", "C:", "--"}, "give the program to run after --", "vss-snapshot help exec"},
		{[]string{"exec", "--", "cmd"}, "name at least one volume", "vss-snapshot help exec"},
		{[]string{"list", "C:"}, `list takes no arguments, not "C:"`, "vss-snapshot help list"},
		{[]string{"list", "--id", "7"}, `--id "7" is not a shadow copy ID`, "vss-snapshot help list"},
		{[]string{"delete"}, "give shadow copy IDs, or one of", "vss-snapshot help delete"},
		{[]string{"delete", "--all", "--volume", "C:"}, "give shadow copy IDs, or one of", "vss-snapshot help delete"},
		{[]string{"delete", "7"}, `"7" is not a shadow copy ID`, "vss-snapshot help delete"},
		{[]string{"delete", "--set", "x"}, `--set "x" is not a shadow copy set ID`, "vss-snapshot help delete"},
		{[]string{"expose", "{6c42f2b5-0000-4000-8000-000000000001}"}, "give a shadow copy ID and a drive letter", "vss-snapshot help expose"},
		{[]string{"expose", "C:", "X:"}, `"C:" is not a shadow copy ID`, "vss-snapshot help expose"},
		{[]string{"unexpose"}, "give the drive letter, folder or ID", "vss-snapshot help unexpose"},
		{[]string{"link", "x", "C:\\snap"}, `"x" is not a shadow copy ID`, "vss-snapshot help link"},
		{[]string{"link", "-q"}, "flag provided but not defined: -q", "vss-snapshot help link"},
	}
	for _, tt := range tests {
		r := runFake(t, t.Context(), nil, false, tt.args...)
		if r.code != exitUsage {
			t.Errorf("%q: status %d, want %d\n%s", tt.args, r.code, exitUsage, r.stderr)
		}
		if !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%q: stderr %q lacks %q", tt.args, r.stderr, tt.msg)
		}
		if tt.help != "" && !strings.Contains(r.stderr, "run '"+tt.help+"' for usage") {
			t.Errorf("%q: stderr %q does not point to %q", tt.args, r.stderr, tt.help)
		}
		if r.stdout != "" {
			t.Errorf("%q: stdout %q, want nothing", tt.args, r.stdout)
		}
		if r.connected {
			t.Errorf("%q: connected to the service", tt.args)
		}
	}
}

// TestParseFlags checks that flags may come anywhere before "--", and
// that what follows "--" is left alone.
func TestParseFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	json := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 0, "")
	rest, err := parseFlags(fs, []string{"C:", "--json", "D:", "-timeout", "5s", "--", "prog", "--json", "-x"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"C:", "D:", "--", "prog", "--json", "-x"}
	if !slices.Equal(rest, want) || !*json || *timeout != 5*time.Second {
		t.Errorf("got %q, json %t, timeout %v; want %q, true, 5s", rest, *json, *timeout, want)
	}
}

// TestContexts checks the contexts create and exec ask for: vshadow's
// choice for -p and -nw, and create always persistent.
func TestContexts(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"create", "C:"}, "context=app-rollback"},
		{[]string{"create", "--no-writers", "C:"}, "context=nas-rollback"},
		{[]string{"create", "--nw", "C:"}, "context=nas-rollback"},
		{[]string{"create", "--context", "client-accessible", "C:"}, "context=client-accessible"},
		{[]string{"exec", "C:", "--", "prog"}, "context=backup"},
		{[]string{"exec", "--no-writers", "C:", "--", "prog"}, "context=file-share-backup"},
		{[]string{"exec", "-p", "C:", "--", "prog"}, "context=app-rollback"},
		{[]string{"exec", "-p", "-nw", "C:", "--", "prog"}, "context=nas-rollback"},
	}
	for _, tt := range tests {
		svc := &fakeService{createFn: func(context.Context) error { return errors.New("stop here") }}
		r := runFake(t, t.Context(), svc, false, tt.args...)
		if len(svc.calls) == 0 || !strings.Contains(svc.calls[0], tt.want) {
			t.Errorf("%q: calls %q, want Create with %s\n%s", tt.args, svc.calls, tt.want, r.stderr)
		}
	}
}

// TestCreate checks create's request, its table, its JSON and its
// script, and that the set is closed (BackupComplete) before the result
// is printed.
func TestCreate(t *testing.T) {
	svc := &fakeService{}
	script := filepath.Join(tempDir(t), "vars.cmd")
	r := runFake(t, t.Context(), svc, false, "create", "--writer-exclude", "SqlServerWriter,MSSearch Service Writer", "--writer-include", "{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}",
		"--timeout", "2m", "--provider", "{b5946137-7b9f-4925-af80-51abd60b20d5}", "--backup-type", "full", "C:", `D:\mnt\data`, "--script", script)
	if r.code != exitOK {
		t.Fatalf("status %d\n%s", r.code, r.stderr)
	}
	wantCalls := []string{
		`Create [C:\ D:\mnt\data\] context=app-rollback include=[{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}] exclude=[SqlServerWriter MSSearch Service Writer] timeout=2m0s provider={b5946137-7b9f-4925-af80-51abd60b20d5} type=full`,
		"Close",
	}
	if !slices.Equal(svc.calls, wantCalls) {
		t.Errorf("calls\n%q\nwant\n%q", svc.calls, wantCalls)
	}
	for _, want := range []string{"ID", "DEVICE", `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy2`, `D:\mnt\data\`, "app-rollback"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.stderr != "" {
		t.Errorf("stderr %q in a script, want nothing", r.stderr)
	}
	vars, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SET VSS_SHADOW_SET={5b31e1a4-0000-4000-8000-000000000001}\r\n", `SET VSS_SHADOW_C=\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1` + "\r\n", `SET VSS_SHADOW_2_VOLUME=D:\mnt\data\` + "\r\n"} {
		if !strings.Contains(string(vars), want) {
			t.Errorf("script lacks %q:\n%s", want, vars)
		}
	}

	r = runFake(t, t.Context(), nil, false, "create", "--json", "C:")
	var got []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 1 || got[0].Device != `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1` || got[0].Volume != `C:\` {
		t.Errorf("--json printed %s (%v)", r.stdout, err)
	}
}

// TestProgress checks that the steps are shown on a terminal and not in a
// script.
func TestProgress(t *testing.T) {
	r := runFake(t, t.Context(), nil, true, "create", "C:")
	if !strings.Contains(r.stderr, "vss-snapshot: gathering writer metadata...\n") {
		t.Errorf("on a terminal, stderr %q shows no step", r.stderr)
	}
	r = runFake(t, t.Context(), nil, false, "create", "C:")
	if r.stderr != "" {
		t.Errorf("in a script, stderr %q, want nothing", r.stderr)
	}

	// A step that goes on is shown again, with its time so far.
	defer func(d time.Duration) { stillInterval = d }(stillInterval)
	stillInterval = 20 * time.Millisecond
	slow := &fakeService{createFn: func(context.Context) error {
		time.Sleep(100 * time.Millisecond)
		return nil
	}}
	r = runFake(t, t.Context(), slow, true, "create", "C:")
	if !strings.Contains(r.stderr, "vss-snapshot: still taking the shadow copies (") {
		t.Errorf("on a terminal, stderr %q does not show that the long step goes on", r.stderr)
	}
	r = runFake(t, t.Context(), slow, false, "create", "C:")
	if r.stderr != "" {
		t.Errorf("in a script, stderr %q, want nothing", r.stderr)
	}
}

// TestFailures checks the statuses of failed steps: 1 with the step's
// error, 130 after Ctrl-C, and that a failed BackupComplete after create
// names the shadow copies left.
func TestFailures(t *testing.T) {
	veto := errors.New("taking the shadow copies: IVssAsync.QueryStatus: VSS_E_PROVIDER_VETO (0x80042306)")
	r := runFake(t, t.Context(), &fakeService{createFn: func(context.Context) error { return veto }}, false, "create", "C:")
	if r.code != exitFailed || r.stderr != "vss-snapshot: "+veto.Error()+"\n" || r.stdout != "" {
		t.Errorf("failed create: status %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}

	ctx, cancel := context.WithCancel(t.Context())
	svc := &fakeService{createFn: func(ctx context.Context) error {
		cancel() // Ctrl-C during the step
		return ctx.Err()
	}}
	r = runFake(t, ctx, svc, false, "exec", "C:", "--", "prog")
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "vss-snapshot: interrupted\n") {
		t.Errorf("interrupted create: status %d, stderr %q; want %d", r.code, r.stderr, exitInterrupted)
	}

	svc = &fakeService{closeErr: errors.New("completing the backup: VSS_E_BAD_STATE")}
	r = runFake(t, t.Context(), svc, false, "create", "C:")
	if r.code != exitFailed || !strings.Contains(r.stderr, "vss-snapshot delete {6c42f2b5-0000-4000-8000-000000000001}") || r.stdout != "" {
		t.Errorf("failed close: status %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}
}

// TestListDeleteExposeLink checks the other commands' requests and output.
func TestListDeleteExposeLink(t *testing.T) {
	snap := snapshot{ID: "{6c42f2b5-0000-4000-8000-000000000001}", SetID: "{5b31e1a4-0000-4000-8000-000000000001}", Volume: `\\?\Volume{0b7c7e2a-3f7d-4d0e-9a57-54c1b52e5a31}\`,
		Device: `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy9`, Created: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), Context: "app-rollback", Persistent: true}
	svc := &fakeService{snaps: []snapshot{snap}}
	r := runFake(t, t.Context(), svc, false, "list", "--volume", "C:")
	if r.code != 0 || !strings.Contains(r.stdout, snap.Device) || !strings.Contains(r.stdout, snap.Volume) || !strings.HasPrefix(r.stdout, "ID ") || svc.calls[0] != `List {ID: SetID: Volume:C:\}` {
		t.Errorf("list: %d %q %q", r.code, r.stdout, svc.calls)
	}
	// Where the volume is mounted says more than its GUID path.
	snap.MountPoints = []string{`C:\`, `D:\mnt\c\`}
	svc = &fakeService{snaps: []snapshot{snap}}
	r = runFake(t, t.Context(), svc, false, "list")
	if !strings.Contains(r.stdout, "  C:\\  ") || strings.Contains(r.stdout, snap.Volume) {
		t.Errorf("list shows the volume's GUID path, not C:\\:\n%s", r.stdout)
	}
	r = runFake(t, t.Context(), svc, false, "list", "--json")
	var got []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], snap) {
		t.Errorf("list --json: %s (%v)", r.stdout, err)
	}
	r = runFake(t, t.Context(), &fakeService{}, false, "list", "--json")
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty list --json: %q, want []", r.stdout)
	}
	if r = runFake(t, t.Context(), &fakeService{}, false, "list"); r.stdout != "" || r.code != 0 {
		t.Errorf("empty list: %d %q, want nothing", r.code, r.stdout)
	}

	deletes := []struct {
		args  []string
		calls []string
	}{
		{[]string{"delete", "{6c42f2b5-0000-4000-8000-000000000001}", "{6c42f2b5-0000-4000-8000-000000000002}"},
			[]string{"Delete {ID:{6c42f2b5-0000-4000-8000-000000000001} SetID: Volume:}", "Delete {ID:{6c42f2b5-0000-4000-8000-000000000002} SetID: Volume:}"}},
		{[]string{"delete", "--set", "{5b31e1a4-0000-4000-8000-000000000001}"}, []string{"Delete {ID: SetID:{5b31e1a4-0000-4000-8000-000000000001} Volume:}"}},
		{[]string{"delete", "--volume", "D:"}, []string{`Delete {ID: SetID: Volume:D:\}`}},
		{[]string{"delete", "--all"}, []string{"Delete {ID: SetID: Volume:}"}},
	}
	for _, tt := range deletes {
		svc := &fakeService{deleteFn: func(filter) ([]string, error) { return []string{"{6c42f2b5-0000-4000-8000-000000000001}"}, nil }}
		r := runFake(t, t.Context(), svc, false, tt.args...)
		if r.code != 0 || !slices.Equal(svc.calls, tt.calls) || !strings.HasPrefix(r.stdout, "{6c42f2b5-0000-4000-8000-000000000001}\n") {
			t.Errorf("%q: %d, calls %q, stdout %q; want 0 and %q", tt.args, r.code, svc.calls, r.stdout, tt.calls)
		}
	}
	svc = &fakeService{deleteFn: func(filter) ([]string, error) { return nil, nil }}
	if r := runFake(t, t.Context(), svc, false, "delete", "--volume", "D:"); r.code != exitFailed || !strings.Contains(r.stderr, `deleting the shadow copies of D:\: no such shadow copy`) {
		t.Errorf("deleting nothing: %d %q", r.code, r.stderr)
	}

	// Ctrl-C between two deletions: the second is not attempted.
	ctx, cancel := context.WithCancel(t.Context())
	svc = &fakeService{deleteFn: func(f filter) ([]string, error) {
		cancel()
		return []string{f.ID}, nil
	}}
	r = runFake(t, ctx, svc, false, "delete", "{6c42f2b5-0000-4000-8000-000000000001}", "{6c42f2b5-0000-4000-8000-000000000002}")
	if r.code != exitInterrupted || len(svc.calls) != 1 || r.stdout != "{6c42f2b5-0000-4000-8000-000000000001}\n" {
		t.Errorf("interrupted delete: %d, calls %q, stdout %q", r.code, svc.calls, r.stdout)
	}

	id := "{6c42f2b5-0000-4000-8000-000000000001}"
	for _, tt := range []struct {
		args   []string
		call   string
		stdout string
		code   int
	}{
		{[]string{"expose", id, "X:"}, "Expose " + id + " X:", "X:\n", 0},
		{[]string{"unexpose", "X:"}, "Unexpose X:", "", 0},
		{[]string{"link", id, `C:\snap`}, "Link " + id + ` C:\snap`, "C:\\snap\n", 0},
		{[]string{"link", id, "exists"}, "Link " + id + " exists", "", exitFailed},
	} {
		svc := &fakeService{}
		r := runFake(t, t.Context(), svc, false, tt.args...)
		if r.code != tt.code || r.stdout != tt.stdout || !slices.Equal(svc.calls, []string{tt.call}) {
			t.Errorf("%q: %d %q %q; want %d %q %q", tt.args, r.code, r.stdout, svc.calls, tt.code, tt.stdout, tt.call)
		}
	}
}
