package shadow_test

import (
	"strings"
	"testing"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow"
	"github.com/vssgen/vssgen/shadow/shadowtest"
)

// TestMutantsAreCaught shows that the checks after each scenario bite: the
// package is made to skip one Release or one deletion, at one point, or
// its CoInitializeEx, and the fake service must report what that leaves.
func TestMutantsAreCaught(t *testing.T) {
	createClose := func(t *testing.T, svc *shadowtest.Service) {
		set, err := svc.Shadow().Create(t.Context(), []string{`C:\`, `D:\`}, shadow.Options{})
		if err != nil {
			t.Fatal(err)
		}
		set.Close()
	}
	failedCreate := func(t *testing.T, svc *shadowtest.Service) {
		svc.Inject(shadowtest.ProviderVeto("DoSnapshotSet"))
		if _, err := svc.Shadow().Create(t.Context(), []string{`C:\`}, shadow.Options{}); err == nil {
			t.Fatal("Create succeeded despite the veto")
		}
	}
	manage := func(t *testing.T, svc *shadowtest.Service) {
		id := svc.AddSnapshot(`C:\`)
		svc.AddSnapshot(`D:\`)
		s := svc.Shadow()
		if _, err := s.List(t.Context(), shadow.Filter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Expose(t.Context(), id, "X:"); err != nil {
			t.Fatal(err)
		}
		if err := s.Unexpose(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delete(t.Context(), shadow.Filter{Volume: `D:\`}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delete(t.Context(), shadow.Filter{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	const notReleased, notDeleted = "not released", "was not deleted"
	tests := []struct {
		point    string
		scenario func(*testing.T, *shadowtest.Service)
		want     string
	}{
		{"release IVssAsync of " + vss.IVssBackupComponents_DoSnapshotSet.Name(), createClose, "IVssAsync (DoSnapshotSet of backup components #1) has 1 reference(s) left"},
		{"release IVssAsync of " + vss.IVssBackupComponents_GatherWriterMetadata.Name(), createClose, notReleased},
		{"release IVssAsync of " + vss.IVssBackupComponents_BackupComplete.Name(), createClose, notReleased},
		{"release writer metadata", createClose, "IVssExamineWriterMetadata"},
		{"release backup components on Close", createClose, "IVssBackupComponents (backup components #1) has 1 reference(s) left"},
		{"delete on Close", createClose, notDeleted},
		{"release backup components after a failed Create", failedCreate, notReleased},
		{"release IVssAsync of " + vss.IVssBackupComponents_DoSnapshotSet.Name(), failedCreate, notReleased},
		{"delete after a failed Create", failedCreate, notDeleted},
		{"release IVssEnumObject of Query", manage, "IVssEnumObject"},
		{"release IVssBackupComponentsEx2", manage, notReleased},
		{"release backup components of a query", manage, notReleased},
		{"delete shadow copy", manage, `of D:\ remains`},
		{"initialise COM", createClose, "has not initialised COM"},
	}
	for _, tt := range tests {
		t.Run(tt.point, func(t *testing.T) {
			hits := 0
			t.Cleanup(shadow.SetMutation(func(point string) bool {
				if point == tt.point && hits == 0 {
					hits++
					return true
				}
				return false
			}))
			svc := shadowtest.New()
			tt.scenario(t, svc)
			if hits != 1 {
				t.Fatalf("the scenario never reached %q", tt.point)
			}
			err := svc.Check()
			if err == nil {
				t.Fatalf("skipping %q went unnoticed", tt.point)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("skipping %q: Check says\n%v\nwhich lacks %q", tt.point, err, tt.want)
			}
			t.Logf("skipping %q is caught: %v", tt.point, err)
		})
	}
}
