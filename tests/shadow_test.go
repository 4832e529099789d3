package tests

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/tests/internal/wine"
)

// The snapshot library and its fake VSS service, as the go command names
// them from the module root.
const (
	shadowPkg     = "./shadow"
	shadowTestPkg = "./shadow/shadowtest"
)

// TestShadowBuildsForWindows builds the library for every architecture the
// generated package has layouts for, and vets it there, its examples and
// tests included.
func TestShadowBuildsForWindows(t *testing.T) {
	root := repoRoot(t)
	for _, arch := range []string{"amd64", "386", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			env := []string{"GOOS=windows", "GOARCH=" + arch, "CGO_ENABLED=0"}
			goCmd(t, root, env, "build", "-o", filepath.Join(t.TempDir(), "shadow.a"), shadowPkg)
			goCmd(t, root, env, "vet", shadowPkg+"/...")
		})
	}
}

// shadowScenarios are the library's tests that take it through the fake
// VSS service; each ends by checking that every reference was released,
// that no shadow copy was left but those asked for, and that the backup
// was completed or aborted.
var shadowScenarios = []string{
	"TestCreateAndClose", "TestCloseFromAnotherGoroutine", "TestPersistent", "TestNoWriters",
	"TestWriterSelection", "TestWriterVeto", "TestProviderVeto", "TestInProgressIsRetried",
	"TestInProgressGivesUp", "TestTimeout", "TestProviderTimeout", "TestCancelDuringDoSnapshotSet",
	"TestBackupCompleteFails", "TestFaultAtEveryStep", "TestErrorMessage", "TestBadArguments",
	"TestManage", "TestDeleteSet", "TestProviderAndBackupType", "TestMutantsAreCaught", "TestSystemServiceUnderWine",
}

// shadowFakeTests are the fake service's own tests: out-of-order calls,
// reference counts, the completion of a backup, Cancel, COM on the calling
// thread.
var shadowFakeTests = []string{"TestOutOfOrderIsBadState", "TestReferencesCounted", "TestCompletionRequired", "TestCancel", "TestSnapshotProperties", "TestCOMChecked"}

// TestShadowUnderWine runs the tests of the library and of its fake VSS
// service as windows/amd64 binaries under Wine: the library calls the
// generated stubs, and the fake answers through vtables of
// syscall.NewCallback functions. The library's scenarios run with Wine
// reporting Windows 10 and Vista, whose Close also gathers the writers'
// status after BackupComplete. Every scenario must pass, and every mutant
// (a Release, a deletion or CoInitializeEx skipped) must have been caught.
func TestShadowUnderWine(t *testing.T) {
	p := wine.Shared(t)
	root := repoRoot(t)
	lib := wine.BuildTest(t, root, shadowPkg)
	fake := wine.BuildTest(t, root, shadowTestPkg)

	for _, v := range []wine.Version{wine.Win10, wine.Vista} {
		t.Run("shadow/"+v.Name, func(t *testing.T) {
			out, err := p.RunTest(t.Context(), v, lib)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, name := range shadowScenarios {
				if !strings.Contains(out, "--- PASS: "+name+" ") {
					t.Errorf("%s did not run and pass:\n%s", name, out)
				}
			}
			if strings.Contains(out, "--- SKIP: TestSystemServiceUnderWine") {
				t.Errorf("TestSystemServiceUnderWine skipped under Wine:\n%s", out)
			}
			// Each mutant subtest logs how it was caught; none may pass
			// unnoticed.
			mutants := regexp.MustCompile(`--- PASS: TestMutantsAreCaught/`).FindAllString(out, -1)
			caught := regexp.MustCompile(`skipping "[^"]+" is caught: shadowtest: `).FindAllString(out, -1)
			if len(mutants) < 10 || len(caught) != len(mutants) {
				t.Errorf("%d mutants passed and %d were logged as caught, want the same number, at least 10:\n%s", len(mutants), len(caught), out)
			}
		})
	}
	t.Run("shadowtest", func(t *testing.T) {
		out, err := p.RunTest(t.Context(), wine.Win10, fake)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, name := range shadowFakeTests {
			if !strings.Contains(out, "--- PASS: "+name+" ") {
				t.Errorf("%s did not run and pass:\n%s", name, out)
			}
		}
	})
}
