//go:build windows

package shadow_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow"
)

// TestSystemServiceUnderWine calls the package's functions with the
// system's vssapi.dll, under the Wine harness (which sets
// VSSGEN_EXPECT_OS_VERSION): Wine's CreateVssBackupComponentsInternal
// answers E_NOTIMPL, so each must get through COM's initialisation on its
// own thread and fail at creating the backup components, naming the step
// and the entry point, without a hang or a crash. On Windows it is skipped:
// it would take real shadow copies.
func TestSystemServiceUnderWine(t *testing.T) {
	if os.Getenv("VSSGEN_EXPECT_OS_VERSION") == "" {
		t.Skip("runs under the Wine harness only; on Windows it would take real shadow copies")
	}
	ctx := t.Context()
	_, createErr := shadow.Create(ctx, []string{`C:\`}, shadow.Options{})
	_, listErr := shadow.List(ctx, shadow.Filter{})
	_, deleteErr := shadow.Delete(ctx, shadow.Filter{Volume: `C:\`})
	for name, err := range map[string]error{"Create": createErr, "List": listErr, "Delete": deleteErr} {
		var e *shadow.Error
		if !errors.Is(err, vss.E_NOTIMPL) || !errors.As(err, &e) || e.Step != "creating the backup components" {
			t.Errorf("%s: %v, want E_NOTIMPL at creating the backup components", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "CreateVssBackupComponentsInternal") {
			t.Errorf("%s: the error does not name the entry point: %v", name, err)
		}
		t.Logf("%s under Wine: %v", name, err)
	}
}
