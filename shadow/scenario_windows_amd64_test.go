package shadow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow"
	"github.com/vssgen/vssgen/shadow/shadowtest"
)

// The scenarios below take the package through the fake VSS service of
// shadowtest. After each, success or failure, checkClean asserts that
// every COM reference was released, that no shadow copy is left but the
// persistent ones the scenario asked for, and that the backup was
// completed or aborted as the protocol requires.

func checkClean(t *testing.T, svc *shadowtest.Service, keep ...windows.GUID) {
	t.Helper()
	if err := svc.Check(keep...); err != nil {
		t.Errorf("after the scenario:\n%v\ncalls: %s", err, strings.Join(svc.Calls(), ", "))
	}
}

func fastRetries(t *testing.T) {
	t.Cleanup(shadow.SetRetryDelays([]time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}))
}

// called checks that method was called at least once (want true) or never.
func called(t *testing.T, svc *shadowtest.Service, method string, want bool) {
	t.Helper()
	if got := svc.Called(method) > 0; got != want {
		t.Errorf("%s called: %t, want %t; calls: %s", method, got, want, strings.Join(svc.Calls(), ", "))
	}
}

func TestCreateAndClose(t *testing.T) {
	svc := shadowtest.New()
	var steps []string
	set, err := svc.Shadow().Create(t.Context(), []string{`C:`, `D:\`}, shadow.Options{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Volumes) != 2 {
		t.Fatalf("%d volumes, want 2", len(set.Volumes))
	}
	for i, want := range []string{`C:\`, `D:\`} {
		v := set.Volumes[i]
		if v.Path != want || !strings.HasPrefix(v.DevicePath, `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy`) || v.SetID != set.ID || v.Persistent() {
			t.Errorf("volume %d: %+v", i, v)
		}
		if !svc.Exists(v.ID) {
			t.Errorf("the shadow copy of %s does not exist while the set is open", v.Path)
		}
		if v.Created.IsZero() || time.Since(v.Created) > time.Hour || v.SetCount != 2 {
			t.Errorf("volume %d: created %v, set count %d", i, v.Created, v.SetCount)
		}
	}
	if len(set.Writers) != 2 {
		t.Errorf("writers %+v, want the fake's two", set.Writers)
	}
	if len(steps) == 0 || !strings.Contains(strings.Join(steps, "\n"), "taking the shadow copies") {
		t.Errorf("progress: %q", steps)
	}
	if err := set.Close(); err != nil {
		t.Fatal(err)
	}
	if err := set.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	called(t, svc, "BackupComplete", true)
	called(t, svc, "AbortBackup", false)
	checkClean(t, svc)
}

// TestCloseFromAnotherGoroutine closes a set on another goroutine than the
// one that made it: the package keeps the set's COM thread.
func TestCloseFromAnotherGoroutine(t *testing.T) {
	svc := shadowtest.New()
	set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- set.Close() }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	checkClean(t, svc)
}

func TestPersistent(t *testing.T) {
	svc := shadowtest.New()
	set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{Persistent: true})
	if err != nil {
		t.Fatal(err)
	}
	id := set.Volumes[0].ID
	if !set.Volumes[0].Persistent() || set.Context != vss.VSS_CTX_APP_ROLLBACK {
		t.Errorf("context %v, attributes %#x", set.Context, set.Volumes[0].Attributes)
	}
	if err := set.Close(); err != nil {
		t.Fatal(err)
	}
	if !svc.Exists(id) {
		t.Fatal("Close deleted a persistent shadow copy")
	}
	// The check bites: a persistent copy not asked for is reported.
	if err := svc.Check(); err == nil || !strings.Contains(err.Error(), "did not ask for it") {
		t.Errorf("Check without keeping the copy: %v", err)
	}
	checkClean(t, svc, id)

	n, err := svc.Shadow().Delete(t.Context(), shadow.Filter{ID: id})
	if err != nil || n != 1 {
		t.Fatalf("Delete: %d, %v", n, err)
	}
	checkClean(t, svc)
}

func TestNoWriters(t *testing.T) {
	for _, tt := range []struct {
		opts shadow.Options
		want vss.VSS_SNAPSHOT_CONTEXT
	}{
		{shadow.Options{NoWriters: true, Persistent: true}, vss.VSS_CTX_NAS_ROLLBACK},
		{shadow.Options{Context: vss.VSS_CTX_FILE_SHARE_BACKUP}, vss.VSS_CTX_FILE_SHARE_BACKUP},
	} {
		svc := shadowtest.New()
		set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if set.Context != tt.want || len(set.Writers) != 0 {
			t.Errorf("%+v: context %v, writers %+v", tt.opts, set.Context, set.Writers)
		}
		called(t, svc, "GatherWriterMetadata", false)
		id := set.Volumes[0].ID
		if err := set.Close(); err != nil {
			t.Fatal(err)
		}
		var keep []windows.GUID
		if tt.opts.Persistent {
			keep = append(keep, id)
		}
		checkClean(t, svc, keep...)
	}
}

func TestWriterSelection(t *testing.T) {
	db := shadowtest.DefaultWriters[1]
	sys := shadowtest.DefaultWriters[0]
	for _, tt := range []struct {
		name string
		opts shadow.Options
	}{
		{"exclude by name", shadow.Options{ExcludeWriters: []string{strings.ToUpper(db.Name)}}},
		{"exclude by instance", shadow.Options{ExcludeWriters: []string{db.Instance.String()}}},
		{"exclude by class", shadow.Options{ExcludeWriters: []string{strings.Trim(db.Class.String(), "{}")}}},
		{"include by name", shadow.Options{IncludeWriters: []string{sys.Name}}},
		{"include by class", shadow.Options{IncludeWriters: []string{sys.Class.String()}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc := shadowtest.New()
			// The database writer vetoes: the set succeeds only if it is left out.
			svc.Inject(shadowtest.WriterVeto(db.Name, "PrepareForBackup", vss.VSS_E_WRITERERROR_RETRYABLE))
			set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Writers) != 1 || set.Writers[0].Name != sys.Name {
				t.Errorf("writers %+v, want only %s", set.Writers, sys.Name)
			}
			if err := set.Close(); err != nil {
				t.Fatal(err)
			}
			checkClean(t, svc)
		})
	}
	t.Run("unknown writer", func(t *testing.T) {
		svc := shadowtest.New()
		_, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{ExcludeWriters: []string{"No Such Writer"}})
		if err == nil || !strings.Contains(err.Error(), `"No Such Writer"`) || !strings.Contains(err.Error(), db.Name) {
			t.Errorf("error %v, want one naming the writer and the writers there are", err)
		}
		called(t, svc, "StartSnapshotSet", false)
		checkClean(t, svc)
	})
}

func TestWriterVeto(t *testing.T) {
	for _, tt := range []struct {
		step, wantStep string
		code           vss.HRESULT
	}{
		{"PrepareForBackup", "preparing for backup", vss.VSS_E_WRITERERROR_RETRYABLE},
		{"DoSnapshotSet", "taking the shadow copies", vss.VSS_E_WRITER_NOT_RESPONDING},
	} {
		t.Run(tt.step, func(t *testing.T) {
			svc := shadowtest.New()
			svc.Inject(shadowtest.WriterVeto("Fake Database Writer", tt.step, tt.code))
			_, err := svc.Shadow().Create(t.Context(), []string{`C:\`, `D:\`}, shadow.Options{Persistent: true})
			if !errors.Is(err, tt.code) {
				t.Fatalf("error %v, want one matching %v", err, tt.code.String())
			}
			var e *shadow.Error
			if !errors.As(err, &e) || e.Step != tt.wantStep {
				t.Errorf("error %#v, want the step %q", err, tt.wantStep)
			}
			_, meaning, _ := strings.Cut(tt.code.Error(), "): ")
			for _, want := range []string{`"Fake Database Writer"`, tt.code.String(), "IVssBackupComponents.GetWriterStatus", meaning} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the message lacks %q: %v", want, err)
				}
			}
			called(t, svc, "AbortBackup", true)
			checkClean(t, svc) // persistent copies of a failed set are deleted too
		})
	}
}

func TestProviderVeto(t *testing.T) {
	svc := shadowtest.New()
	svc.Inject(shadowtest.ProviderVeto("DoSnapshotSet"))
	_, err := svc.Shadow().Create(t.Context(), []string{`C:\`, `D:\`}, shadow.Options{})
	var ve *vss.Error
	if !errors.Is(err, vss.VSS_E_PROVIDER_VETO) || !errors.As(err, &ve) || ve.Method != vss.IVssBackupComponents_DoSnapshotSet {
		t.Fatalf("error %v, want DoSnapshotSet's VSS_E_PROVIDER_VETO", err)
	}
	called(t, svc, "AbortBackup", true)
	called(t, svc, "DeleteSnapshots", true)
	checkClean(t, svc)
}

func TestInProgressIsRetried(t *testing.T) {
	fastRetries(t)
	svc := shadowtest.New()
	svc.Inject(shadowtest.InProgress(2))
	var retries int
	set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{Progress: func(s string) {
		if strings.Contains(s, "trying again") {
			retries++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if retries != 2 || svc.Called("Create") != 3 {
		t.Errorf("%d retries and %d backup components, want 2 and 3", retries, svc.Called("Create"))
	}
	if err := set.Close(); err != nil {
		t.Fatal(err)
	}
	checkClean(t, svc)
}

func TestInProgressGivesUp(t *testing.T) {
	fastRetries(t)
	svc := shadowtest.New()
	svc.Inject(shadowtest.InProgress(0)) // every time
	_, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{})
	if !errors.Is(err, vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS) {
		t.Fatalf("error %v, want VSS_E_SNAPSHOT_SET_IN_PROGRESS", err)
	}
	if n := svc.Called("Create"); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
	checkClean(t, svc)
}

func TestTimeout(t *testing.T) {
	for _, ignore := range []bool{false, true} {
		name := "Cancel heeded"
		if ignore {
			name = "Cancel ignored"
		}
		t.Run(name, func(t *testing.T) {
			svc := shadowtest.New()
			svc.Inject(shadowtest.Hang("DoSnapshotSet", ignore))
			start := time.Now()
			_, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{Timeout: 300 * time.Millisecond})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Create took %v", d)
			}
			if ignore && !strings.Contains(err.Error(), "still pending after Cancel") {
				t.Errorf("the error does not say the operation ignored Cancel: %v", err)
			}
			called(t, svc, "Cancel DoSnapshotSet", true)
			called(t, svc, "AbortBackup", true)
			called(t, svc, "DeleteSnapshots", true)
			checkClean(t, svc)
		})
	}
}

// TestProviderTimeout is a timeout VSS reports itself: the provider could
// not flush the volume's writes in time.
func TestProviderTimeout(t *testing.T) {
	svc := shadowtest.New()
	svc.Inject(shadowtest.Fault{Method: "DoSnapshotSet", Async: true, Code: vss.VSS_E_FLUSH_WRITES_TIMEOUT})
	_, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{})
	if !errors.Is(err, vss.VSS_E_FLUSH_WRITES_TIMEOUT) {
		t.Fatalf("error %v", err)
	}
	checkClean(t, svc)
}

// TestCancelDuringDoSnapshotSet cancels the context while DoSnapshotSet
// runs: the operation is cancelled, the backup aborted and the shadow
// copies, which exist already, deleted.
func TestCancelDuringDoSnapshotSet(t *testing.T) {
	svc := shadowtest.New()
	svc.Inject(shadowtest.Hang("DoSnapshotSet", false))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, err := svc.Shadow().Create(ctx, []string{`C:\`, `D:\`}, shadow.Options{Persistent: true, Progress: func(step string) {
		if step == "taking the shadow copies" {
			time.AfterFunc(50*time.Millisecond, cancel)
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	var e *shadow.Error
	if !errors.As(err, &e) || e.Step != "taking the shadow copies" {
		t.Errorf("error %v, want the step taking the shadow copies", err)
	}
	called(t, svc, "Cancel DoSnapshotSet", true)
	called(t, svc, "AbortBackup", true)
	called(t, svc, "DeleteSnapshots", true)
	checkClean(t, svc)
}

func TestBackupCompleteFails(t *testing.T) {
	svc := shadowtest.New()
	svc.Inject(shadowtest.FailBackupComplete(vss.VSS_E_UNEXPECTED_WRITER_ERROR))
	set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = set.Close()
	if !errors.Is(err, vss.VSS_E_UNEXPECTED_WRITER_ERROR) || !strings.Contains(err.Error(), "completing the backup") {
		t.Fatalf("Close: %v, want the failure of BackupComplete", err)
	}
	called(t, svc, "DeleteSnapshots", true)
	checkClean(t, svc)
}

// TestFaultAtEveryStep makes each step of Create fail in turn, as a call
// and, where the step is asynchronous, as its operation: Create fails with
// the code and the step, and leaves nothing behind.
func TestFaultAtEveryStep(t *testing.T) {
	const code = vss.VSS_E_UNEXPECTED
	faults := []shadowtest.Fault{
		{Method: "Create", Code: vss.E_ACCESSDENIED},
		{Method: "InitializeForBackup", Code: code},
		{Method: "SetContext", Code: code},
		{Method: "GatherWriterMetadata", Code: code},
		{Method: "GatherWriterMetadata", Code: vss.VSS_E_WRITER_INFRASTRUCTURE, Async: true},
		{Method: "StartSnapshotSet", Code: code},
		{Method: "AddToSnapshotSet", Code: vss.VSS_E_VOLUME_NOT_SUPPORTED},
		{Method: "SetBackupState", Code: code},
		{Method: "PrepareForBackup", Code: code},
		{Method: "PrepareForBackup", Code: vss.VSS_E_UNEXPECTED_WRITER_ERROR, Async: true},
		{Method: "GatherWriterStatus", Code: code},
		{Method: "DoSnapshotSet", Code: code},
		{Method: "DoSnapshotSet", Code: vss.VSS_E_INSUFFICIENT_STORAGE, Async: true},
		{Method: "Query", Code: code},
		// A success code PrepareForBackup does not document: the stub
		// returns it as an error beside the IVssAsync, which must be released.
		{Method: "PrepareForBackup", Code: vss.S_FALSE},
	}
	for _, f := range faults {
		name := f.Method + " " + f.Code.String()
		if f.Async {
			name += " async"
		}
		for _, persistent := range []bool{false, true} {
			t.Run(name+map[bool]string{true: " persistent"}[persistent], func(t *testing.T) {
				svc := shadowtest.New()
				svc.Inject(f)
				set, err := svc.Shadow().Create(t.Context(), []string{`C:\`, `D:\`}, shadow.Options{Persistent: persistent})
				if err == nil {
					set.Close()
					t.Fatal("Create succeeded")
				}
				var e *shadow.Error
				if !errors.Is(err, f.Code) || !errors.As(err, &e) || e.Step == "" {
					t.Errorf("error %v, want a step's error matching %v", err, f.Code.String())
				}
				checkClean(t, svc)
			})
		}
	}
}

func TestErrorMessage(t *testing.T) {
	svc := shadowtest.New()
	svc.Inject(shadowtest.Fault{Method: "AddToSnapshotSet", Code: vss.VSS_E_PROVIDER_VETO})
	_, err := svc.Shadow().Create(t.Context(), []string{`D:`}, shadow.Options{})
	general, _ := strings.CutPrefix(vss.VSS_E_PROVIDER_VETO.Error(), "VSS_E_PROVIDER_VETO (0x80042306): ")
	method, _ := vss.IVssBackupComponents_AddToSnapshotSet.Meaning(vss.VSS_E_PROVIDER_VETO)
	for _, want := range []string{`adding D:\ to the shadow copy set: `, "IVssBackupComponents.AddToSnapshotSet", "VSS_E_PROVIDER_VETO (0x80042306)", method, "vssgen explain VSS_E_PROVIDER_VETO: " + general} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the message lacks %q: %v", want, err)
		}
	}
	checkClean(t, svc)
}

func TestBadArguments(t *testing.T) {
	svc := shadowtest.New()
	for _, vols := range [][]string{nil, {""}, {`C:\`, `c:`}} {
		if _, err := svc.Shadow().Create(t.Context(), vols, shadow.Options{}); err == nil {
			t.Errorf("Create(%q) succeeded", vols)
		}
	}
	if _, err := svc.Shadow().Create(t.Context(), []string{`Q:\`}, shadow.Options{}); !errors.Is(err, vss.VSS_E_OBJECT_NOT_FOUND) {
		t.Errorf("a volume the service does not have: %v", err)
	}
	if _, err := svc.Shadow().Delete(t.Context(), shadow.Filter{}); err == nil {
		t.Error("Delete with the zero Filter succeeded")
	}
	checkClean(t, svc)
}

func TestManage(t *testing.T) {
	svc := shadowtest.New()
	s := svc.Shadow()
	ctx := t.Context()
	c1 := svc.AddSnapshot(`C:\`)
	c2 := svc.AddSnapshot(`C:\`)
	d := svc.AddSnapshot(`D:\`)

	all, err := s.List(ctx, shadow.Filter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("List: %d, %v", len(all), err)
	}
	onC, err := s.List(ctx, shadow.Filter{Volume: "c:"})
	if err != nil || len(onC) != 2 || onC[0].Volume != shadowtest.DefaultVolumes[0].Name {
		t.Fatalf("List C: %+v, %v", onC, err)
	}
	got, err := s.Get(ctx, d)
	if err != nil || got.ID != d || got.DevicePath == "" || !got.Persistent() {
		t.Fatalf("Get: %+v, %v", got, err)
	}
	if _, err := s.Get(ctx, windows.GUID{Data1: 42}); !errors.Is(err, vss.VSS_E_OBJECT_NOT_FOUND) {
		t.Errorf("Get of a missing copy: %v", err)
	}

	exposed, err := s.Expose(ctx, c1, "X")
	if err != nil || exposed != "X:" {
		t.Fatalf("Expose: %q, %v", exposed, err)
	}
	if got, _ := s.Get(ctx, c1); got.ExposedName != "X:" {
		t.Errorf("exposed name %q after Expose", got.ExposedName)
	}
	if err := s.Unexpose(ctx, c1); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, c1); got.ExposedName != "" {
		t.Errorf("exposed name %q after Unexpose", got.ExposedName)
	}
	if err := s.Unexpose(ctx, c1); !errors.Is(err, vss.VSS_E_OBJECT_NOT_FOUND) {
		t.Errorf("Unexpose of a copy not exposed: %v", err)
	}

	if n, err := s.Delete(ctx, shadow.Filter{Volume: `C:\`}); err != nil || n != 2 {
		t.Errorf("Delete C: %d, %v", n, err)
	}
	if svc.Exists(c1) || svc.Exists(c2) || !svc.Exists(d) {
		t.Error("Delete of C: deleted the wrong copies")
	}
	checkClean(t, svc, d)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.List(cancelled, shadow.Filter{}); !errors.Is(err, context.Canceled) {
		t.Errorf("List with a cancelled context: %v", err)
	}
	checkClean(t, svc, d)
}

func TestDeleteSet(t *testing.T) {
	svc := shadowtest.New()
	set, err := svc.Shadow().Create(t.Context(), []string{`C:\`, `D:\`}, shadow.Options{Persistent: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Close(); err != nil {
		t.Fatal(err)
	}
	n, err := svc.Shadow().Delete(t.Context(), shadow.Filter{SetID: set.ID})
	if err != nil || n != 2 {
		t.Fatalf("Delete: %d, %v", n, err)
	}
	checkClean(t, svc)
}

// TestLinkRefusesOtherPaths checks that Link links only to a shadow
// copy's device. Wine's CreateSymbolicLink makes no link, so the link
// itself is checked only on Windows.
func TestLinkRefusesOtherPaths(t *testing.T) {
	if err := shadow.Link(t.Context(), `C:\shadow-link-test`, `C:\Windows`); err == nil {
		t.Error("Link to a directory that is not a shadow copy's device succeeded")
	}
}

// TestProviderAndBackupType passes a provider and a backup type through,
// and the copy backup by default.
func TestProviderAndBackupType(t *testing.T) {
	for _, tt := range []struct {
		opts shadow.Options
		want vss.VSS_BACKUP_TYPE
		err  vss.HRESULT
	}{
		{shadow.Options{}, vss.VSS_BT_COPY, vss.S_OK},
		{shadow.Options{Provider: shadowtest.SystemProvider, BackupType: vss.VSS_BT_FULL}, vss.VSS_BT_FULL, vss.S_OK},
		{shadow.Options{Provider: windows.GUID{Data1: 1}}, vss.VSS_BT_UNDEFINED, vss.VSS_E_PROVIDER_NOT_REGISTERED},
	} {
		svc := shadowtest.New()
		set, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, tt.opts)
		switch {
		case tt.err != vss.S_OK:
			if !errors.Is(err, tt.err) {
				t.Errorf("%+v: %v, want %v", tt.opts, err, tt.err.String())
			}
		case err != nil:
			t.Errorf("%+v: %v", tt.opts, err)
		default:
			if got := svc.BackupType(); got != tt.want {
				t.Errorf("%+v: backup type %v, want %v", tt.opts, got, tt.want)
			}
			if set.Volumes[0].Provider != shadowtest.SystemProvider {
				t.Errorf("provider %v", set.Volumes[0].Provider)
			}
			set.Close()
		}
		checkClean(t, svc)
	}
}
