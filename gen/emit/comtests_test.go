package emit

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// featureSpec uses every feature of the format once.
const featureSpec = "../testdata/golden/features/spec.yaml"

func loadFeatureSpec(t *testing.T) *model.Spec {
	t.Helper()
	raw, err := load.File(featureSpec)
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.Build(raw, featureSpec, "gen/testdata/golden/features/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every documented return code, every status code and one unknown failure
// become a call of TestStubs; status codes travel in the HRESULT
// out-parameter of a call that succeeds.
func TestCOMTestCases(t *testing.T) {
	var got []string
	for _, tc := range newCOMTests(loadFeatureSpec(t)).stubCases() {
		got = append(got, tc.name)
	}
	want := []string{
		"IWidget.Spin/S_OK",
		"IWidget.Spin/S_FALSE",
		"IWidget.Spin/WID_E_UNEXPECTED",
		"IWidget.Spin/undocumented 0x8004FFFF",
		"IWidget.Status/S_OK",
		"IWidget.Status/E_INVALIDARG",
		"IWidget.Status/S_OK/pHr=WID_S_PENDING",
		"IWidget.Status/undocumented 0x8004FFFF",
		"ISuperWidget.Fly/S_OK",
		"ISuperWidget.Fly/WID_E_BROKEN",
		"ISuperWidget.Fly/undocumented 0x8004FFFF",
	}
	if !slices.Equal(got, want) {
		t.Errorf("cases\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The values passed and written must differ between positions, or a
// swapped or dropped argument could go unnoticed.
func TestCOMTestValuesAreDistinct(t *testing.T) {
	s := loadFeatureSpec(t)
	seen := map[uint32]string{}
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			for i := range m.Params {
				for _, v := range []uint32{inValue(m, i), outValue(m, i)} {
					if other, dup := seen[v]; dup {
						t.Errorf("%s parameter %d uses %#x, as does %s", m.FullName(), i, v, other)
					}
					if v >= 1<<31 {
						t.Errorf("%#x does not fit an int32", v)
					}
					seen[v] = m.FullName()
				}
			}
		}
	}
}

// The generated Windows tests of the feature spec compile for every
// Windows architecture Go supports here. Running them takes Windows or
// Wine (see tests/wine_test.go); compiling them catches what only some
// word sizes get wrong. The package exists only in a go build overlay.
func TestCOMTestsCompileForWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a generated package three times; skipped in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	outs, err := All(loadFeatureSpec(t), Config{})
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	const pkgDir = "gen/emit/testdata/comtests"
	tmp := t.TempDir()
	replace := map[string]string{}
	for _, o := range outs {
		if strings.Contains(o.Name, "/") || !strings.HasSuffix(o.Name, ".go") {
			continue
		}
		real := filepath.Join(tmp, o.Name)
		if err := os.WriteFile(real, o.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, filepath.FromSlash(pkgDir), o.Name)] = real
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "386", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			// -vet=off: vet would change into the package directory, which
			// is not on disk.
			cmd := exec.Command(goTool, "test", "-c", "-vet=off", "-o", filepath.Join(t.TempDir(), "widgets.test.exe"),
				"-overlay", overlayFile, "./"+pkgDir)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("GOOS=windows GOARCH=%s go test -c: %v\n%s", arch, err, out)
			}
		})
	}
}
