package main

// These tests run the command, parsing and output included, against the
// fake VSS service of package shadowtest, through the shadow package and
// the generated vtables, as on Windows. After each run the fake checks
// that every COM reference was released, that no shadow copy was left
// that should not be, and that the backup was completed or aborted.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow/shadowtest"
)

// runShadow runs the command line args against fake.
func runShadow(t *testing.T, ctx context.Context, fake *shadowtest.Service, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := &app{
		stdin:  strings.NewReader(""),
		stdout: &stdout,
		stderr: &stderr,
		env:    os.Environ(),
		newService: func() (service, error) {
			return &shadowService{svc: fake.Shadow(), mountPoints: fakeMountPoints}, nil
		},
	}
	code := a.run(ctx, args)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// fakeMountPoints is where the fake's volumes are mounted.
func fakeMountPoints(volume string) []string {
	for _, v := range shadowtest.DefaultVolumes {
		if strings.EqualFold(v.Name, volume) {
			return []string{v.Path}
		}
	}
	return nil
}

// check fails t with what the fake found wrong, keeping the IDs in keep.
func check(t *testing.T, fake *shadowtest.Service, keep ...windows.GUID) {
	t.Helper()
	if err := fake.Check(keep...); err != nil {
		t.Errorf("after the command:\n%v\ncalls: %q", err, fake.Calls())
	}
}

// TestShadowLifecycle goes through create, list, expose, unexpose and
// delete as an administrator would.
func TestShadowLifecycle(t *testing.T) {
	fake := shadowtest.New()
	ctx := t.Context()

	r := runShadow(t, ctx, fake, "create", "--json", "C:", `D:\`)
	if r.code != exitOK {
		t.Fatalf("create: status %d\n%s", r.code, r.stderr)
	}
	var made []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &made); err != nil || len(made) != 2 {
		t.Fatalf("create --json printed %s (%v)", r.stdout, err)
	}
	kept := fake.Existing()
	if len(kept) != 2 {
		t.Fatalf("create made %d shadow copies, want 2", len(kept))
	}
	for i, vol := range []string{`C:\`, `D:\`} {
		if made[i].Volume != vol || !strings.HasPrefix(made[i].Device, `\\?\GLOBALROOT\Device\`) || !made[i].Persistent || made[i].Context != "app-rollback" {
			t.Errorf("create's shadow copy %d: %+v", i, made[i])
		}
	}
	check(t, fake, kept...)

	r = runShadow(t, ctx, fake, "list")
	if r.code != exitOK || !strings.Contains(r.stdout, made[0].Device) || !strings.Contains(r.stdout, made[1].Device) {
		t.Errorf("list: status %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "  D:\\  ") {
		t.Errorf("list does not show D:\\ where the volume is mounted:\n%s", r.stdout)
	}
	r = runShadow(t, ctx, fake, "list", "--json", "--volume", "D:")
	var listed []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil || len(listed) != 1 || listed[0].ID != made[1].ID || !slices.Equal(listed[0].MountPoints, []string{`D:\`}) {
		t.Errorf("list --volume D: printed %s (%v), want %s only, mounted at D:\\", r.stdout, err, made[1].ID)
	}
	check(t, fake, kept...)

	r = runShadow(t, ctx, fake, "expose", made[0].ID, "X:")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "X:") {
		t.Errorf("expose: status %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = runShadow(t, ctx, fake, "unexpose", "x:")
	if r.code != exitOK {
		t.Errorf("unexpose: status %d\n%s", r.code, r.stderr)
	}
	r = runShadow(t, ctx, fake, "unexpose", "Y:")
	if r.code != exitFailed || !strings.Contains(r.stderr, "no shadow copy is exposed at Y:") {
		t.Errorf("unexpose Y:: status %d\n%s", r.code, r.stderr)
	}
	check(t, fake, kept...)

	r = runShadow(t, ctx, fake, "delete", "--set", made[0].SetID)
	if r.code != exitOK || strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("delete --set: status %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	if left := fake.Existing(); len(left) != 0 {
		t.Errorf("delete --set left %v", left)
	}
	r = runShadow(t, ctx, fake, "delete", made[0].ID)
	if r.code != exitFailed || !strings.Contains(r.stderr, "no such shadow copy") {
		t.Errorf("deleting a deleted copy: status %d\n%s", r.code, r.stderr)
	}
	check(t, fake)
}

// TestShadowDelete checks delete by ID, by volume and --all against
// shadow copies made earlier.
func TestShadowDelete(t *testing.T) {
	fake := shadowtest.New()
	c1, c2, d1 := fake.AddSnapshot(`C:\`), fake.AddSnapshot(`C:\`), fake.AddSnapshot(`D:\`)
	r := runShadow(t, t.Context(), fake, "delete", "--volume", "c:")
	if r.code != exitOK || !slices.Equal(fake.Existing(), []windows.GUID{d1}) {
		t.Errorf("delete --volume c:: status %d, left %v\n%s", r.code, fake.Existing(), r.stderr)
	}
	for _, id := range []windows.GUID{c1, c2} {
		if !strings.Contains(r.stdout, id.String()) {
			t.Errorf("delete --volume did not print %v:\n%s", id, r.stdout)
		}
	}
	fake.AddSnapshot(`D:\`)
	r = runShadow(t, t.Context(), fake, "delete", "--all")
	if r.code != exitOK || len(fake.Existing()) != 0 {
		t.Errorf("delete --all: status %d, left %v\n%s", r.code, fake.Existing(), r.stderr)
	}
	check(t, fake)
}

// TestShadowExec checks that exec's program sees the shadow copies, that
// its status is exec's and that the temporary shadow copies are gone
// afterwards; with --persistent they stay.
func TestShadowExec(t *testing.T) {
	exe := self(t)
	for _, status := range []int{0, 3} {
		fake := shadowtest.New()
		r := runShadow(t, t.Context(), fake, "exec", "C:", `C:\mnt\data`, "--", exe, "print", strconv.Itoa(status), "{C:}", "{2}")
		if r.code != status {
			t.Errorf("status %d, want the program's %d\n%s", r.code, status, r.stderr)
		}
		out := strings.ReplaceAll(r.stdout, "\r\n", "\n")
		if !strings.Contains(out, `arg \\?\GLOBALROOT\Device\`) || !strings.Contains(out, "env VSS_SHADOW_COUNT=2\n") || !strings.Contains(out, `env VSS_SHADOW_2_VOLUME=C:\mnt\data\`) {
			t.Errorf("the program saw:\n%s", out)
		}
		if left := fake.Existing(); len(left) != 0 {
			t.Errorf("exec left %v", left)
		}
		check(t, fake)
	}

	fake := shadowtest.New()
	r := runShadow(t, t.Context(), fake, "exec", "--persistent", "D:", "--", exe, "print", "0")
	if r.code != exitOK || len(fake.Existing()) != 1 {
		t.Errorf("exec --persistent: status %d, shadow copies %v\n%s", r.code, fake.Existing(), r.stderr)
	}
	check(t, fake, fake.Existing()...)
}

// TestShadowFaults injects the fake's faults under exec: each ends with
// status 1 and the code named, the program does not run when the shadow
// copies could not be made, and nothing is left behind. Another program's
// set in progress, a transient state, is waited out.
func TestShadowFaults(t *testing.T) {
	exe := self(t)
	tests := []struct {
		name       string
		fault      shadowtest.Fault
		code       string // named on stderr; "" for success
		programRan bool
	}{
		{"writer veto", shadowtest.WriterVeto("Fake Database Writer", "PrepareForBackup", vss.VSS_E_WRITERERROR_RETRYABLE), "VSS_E_WRITERERROR_RETRYABLE", false},
		{"provider veto", shadowtest.ProviderVeto("DoSnapshotSet"), "VSS_E_PROVIDER_VETO", false},
		{"set in progress, once", shadowtest.InProgress(1), "", true},
		{"not elevated", shadowtest.Fault{Method: "Create", Code: vss.E_ACCESSDENIED}, "E_ACCESSDENIED (0x80070005)", false},
		{"failed BackupComplete", shadowtest.FailBackupComplete(vss.VSS_E_BAD_STATE), "VSS_E_BAD_STATE", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := shadowtest.New()
			fake.Inject(tt.fault)
			r := runShadow(t, t.Context(), fake, "exec", "C:", "--", exe, "print", "0", "RAN")
			want := exitFailed
			if tt.code == "" {
				want = exitOK
			}
			if r.code != want {
				t.Errorf("status %d, want %d\n%s", r.code, want, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.code) {
				t.Errorf("stderr does not name %s:\n%s", tt.code, r.stderr)
			}
			if elevate := strings.Contains(r.stderr, "run the command from an elevated prompt"); elevate != (tt.fault.Code == vss.E_ACCESSDENIED) {
				t.Errorf("advice to elevate: %t, want it for E_ACCESSDENIED only", elevate)
			}
			if ran := strings.Contains(r.stdout, "arg RAN"); ran != tt.programRan {
				t.Errorf("the program ran: %t, want %t", ran, tt.programRan)
			}
			check(t, fake)
		})
	}
}

// TestShadowWriters checks that writers are named to the library as
// given: a writer the service does not have is an error, and no shadow
// copy stays.
func TestShadowWriters(t *testing.T) {
	fake := shadowtest.New()
	r := runShadow(t, t.Context(), fake, "create", "--writer-exclude", "fake database writer", "C:")
	if r.code != exitOK || len(fake.Existing()) != 1 {
		t.Errorf("--writer-exclude: status %d\n%s", r.code, r.stderr)
	}
	check(t, fake, fake.Existing()...)

	fake = shadowtest.New()
	r = runShadow(t, t.Context(), fake, "create", "--writer-include", "No Such Writer", "C:")
	if r.code != exitFailed || !strings.Contains(r.stderr, "No Such Writer") {
		t.Errorf("--writer-include of an unknown writer: status %d\n%s", r.code, r.stderr)
	}
	check(t, fake)
}

// TestShadowCtrlC interrupts the command while DoSnapshotSet is pending,
// once where the operation heeds Cancel and once where it does not (the
// library then gives up at --timeout): the command exits 130, the program
// never runs, and the backup is aborted with nothing left behind.
func TestShadowCtrlC(t *testing.T) {
	exe := self(t)
	for _, ignoreCancel := range []bool{false, true} {
		fake := shadowtest.New()
		fake.Inject(shadowtest.Hang("DoSnapshotSet", ignoreCancel))
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			defer cancel()
			for fake.Called("DoSnapshotSet") == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
		}()
		begin := time.Now()
		r := runShadow(t, ctx, fake, "exec", "--timeout", "5s", "C:", "--", exe, "print", "0", "RAN")
		cancel()
		if r.code != exitInterrupted {
			t.Errorf("ignoreCancel %t: status %d, want %d\n%s", ignoreCancel, r.code, exitInterrupted, r.stderr)
		}
		if strings.Contains(r.stdout, "arg RAN") {
			t.Errorf("ignoreCancel %t: the program ran", ignoreCancel)
		}
		if d := time.Since(begin); d > 30*time.Second {
			t.Errorf("ignoreCancel %t: the command took %v", ignoreCancel, d)
		}
		check(t, fake)
	}
}

// TestShadowLink checks that link makes a directory symbolic link to the
// shadow copy's root, found by its ID, and that an unknown ID makes none.
func TestShadowLink(t *testing.T) {
	fake := shadowtest.New()
	id := fake.AddSnapshot(`C:\`)
	dir := filepath.Join(tempDir(t), "snap")

	r := runShadow(t, t.Context(), fake, "link", "{6c42f2b5-0000-4000-8000-000000000009}", dir)
	if r.code != exitFailed || !strings.Contains(r.stderr, "VSS_E_OBJECT_NOT_FOUND") {
		t.Errorf("link to an unknown ID: status %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Lstat(dir); err == nil {
		t.Errorf("link to an unknown ID made %s", dir)
	}

	r = runShadow(t, t.Context(), fake, "list", "--json", "--id", id.String())
	var listed []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil || len(listed) != 1 {
		t.Fatalf("list --id printed %s (%v)", r.stdout, err)
	}
	r = runShadow(t, t.Context(), fake, "link", id.String(), dir)
	if r.code != exitOK || r.stdout != dir+"\n" {
		t.Fatalf("link: status %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	// Wine makes the link as a Unix symbolic link to a path that does not
	// exist there, and cannot read it back: its target is checked on
	// Windows only.
	if !underWine() {
		target, err := os.Readlink(dir)
		if err != nil || target != listed[0].Device+`\` {
			t.Errorf("the link points to %q (%v), want %q", target, err, listed[0].Device+`\`)
		}
	}
	check(t, fake, id)
}

// underWine reports whether the test runs under Wine, whose ntdll.dll
// exports wine_get_version.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// TestVolumeMountPoints checks the lookup list uses by default on the
// system's own C: drive, and that a volume the system does not have gives
// nothing rather than an error.
func TestVolumeMountPoints(t *testing.T) {
	buf := make([]uint16, 64)
	if err := windows.GetVolumeNameForVolumeMountPoint(windows.StringToUTF16Ptr(`C:\`), &buf[0], uint32(len(buf))); err != nil {
		t.Fatalf("the volume GUID path of C:\\: %v", err)
	}
	name := windows.UTF16ToString(buf)
	if got := volumeMountPoints(name); !slices.Contains(got, `C:\`) {
		t.Errorf("volumeMountPoints(%s) = %q, want C:\\ among them", name, got)
	}
	if got := volumeMountPoints(shadowtest.DefaultVolumes[1].Name); got != nil {
		t.Errorf("volumeMountPoints of a volume that does not exist = %q", got)
	}
}

// TestShadowOptions checks that create's flags reach VSS: the backup type
// (copy unless asked), the provider (one the service lacks is refused)
// and the context, which list reads back from the shadow copy.
func TestShadowOptions(t *testing.T) {
	fake := shadowtest.New()
	r := runShadow(t, t.Context(), fake, "create", "C:")
	if r.code != exitOK || fake.BackupType() != vss.VSS_BT_COPY {
		t.Errorf("create: status %d, backup type %v, want VSS_BT_COPY\n%s", r.code, fake.BackupType(), r.stderr)
	}
	check(t, fake, fake.Existing()...)

	fake = shadowtest.New()
	r = runShadow(t, t.Context(), fake, "create", "--backup-type", "full", "--provider", "b5946137-7b9f-4925-af80-51abd60b20d5", "--context", "client-accessible-writers", "--json", "D:")
	var made []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &made); r.code != exitOK || err != nil || len(made) != 1 {
		t.Fatalf("create: status %d, stdout %s (%v)\n%s", r.code, r.stdout, err, r.stderr)
	}
	if fake.BackupType() != vss.VSS_BT_FULL {
		t.Errorf("backup type %v, want VSS_BT_FULL", fake.BackupType())
	}
	r = runShadow(t, t.Context(), fake, "list", "--json", "--id", made[0].ID)
	var listed []snapshot
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil || len(listed) != 1 ||
		listed[0].Context != "client-accessible-writers" || !listed[0].Persistent || !strings.EqualFold(listed[0].Provider, shadowtest.SystemProvider.String()) {
		t.Errorf("list --id printed %s (%v), want the context client-accessible-writers and the system provider", r.stdout, err)
	}
	check(t, fake, fake.Existing()...)

	fake = shadowtest.New()
	r = runShadow(t, t.Context(), fake, "create", "--provider", "{6c42f2b5-0000-4000-8000-000000000009}", "C:")
	if r.code != exitFailed || !strings.Contains(r.stderr, "VSS_E_PROVIDER_NOT_REGISTERED") {
		t.Errorf("an unknown provider: status %d\n%s", r.code, r.stderr)
	}
	check(t, fake)
}
