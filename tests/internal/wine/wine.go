// Package wine is the test harness for the Windows tiers: it runs Windows
// programs, above all windows/amd64 Go test binaries, under Wine on a Linux
// machine, and finds the mingw-w64 C compilers that check generated code
// against the Windows SDK headers.
//
// A test that runs a package's Windows tests under Wine:
//
//	func TestUnderWine(t *testing.T) {
//		p := wine.Shared(t) // skips, or fails under VSSGEN_REQUIRE_WINE=1, without Wine
//		exe := wine.BuildTest(t, "..", "./generated/vss")
//		out, err := p.RunTest(t.Context(), wine.Win7, exe, "-test.run=TestStubs")
//		if err != nil {
//			t.Fatalf("%v\n%s", err, out)
//		}
//	}
//
// Tools that are missing make a test skip with a message that names the
// Debian packages to install. When the environment sets
// VSSGEN_REQUIRE_WINE=1 (CI does), such a skip is a failure instead, so the
// tiers cannot pass by not running.
//
// Go's Windows runtime needs ProcessPrng from bcryptprimitives.dll, which
// Debian's Wine 8 lacks. The harness builds a small DLL that provides it
// (shim/bcryptprimitives.c, over RtlGenRandom) with x86_64-w64-mingw32-gcc
// and installs it in a private Wine prefix; it never uses ~/.wine.
package wine

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RequireEnv names the environment variable that turns skips for missing
// tools into failures when it is set to 1.
const RequireEnv = "VSSGEN_REQUIRE_WINE"

// ExpectOSVersionEnv names the environment variable through which the
// harness tells a program which Windows version Wine reports to it, as
// major.minor.build. The generated Windows tests compare it with
// CurrentOSVersion.
const ExpectOSVersionEnv = "VSSGEN_EXPECT_OS_VERSION"

// Skip skips t with a message that should say what to install. When
// VSSGEN_REQUIRE_WINE=1 is set it fails t with that message instead.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1 makes this a failure)", msg, RequireEnv)
		return
	}
	t.Skip(msg)
}

// Tools are the programs the Wine tier runs.
type Tools struct {
	Wine       string // the 64-bit Wine loader (Debian: /usr/lib/wine/wine64)
	Wineserver string // the wineserver of that Wine
	CC         string // x86_64-w64-mingw32-gcc, which builds the shim DLL
}

// FindTools looks for Wine and the x86_64 mingw-w64 compiler. The error
// names the Debian packages that provide what is missing.
func FindTools() (Tools, error) {
	var tools Tools
	var missing []string
	tools.Wine = lookFirst("wine64", "/usr/lib/wine/wine64", "/usr/lib64/wine/wine64", "wine")
	if tools.Wine == "" {
		missing = append(missing, "wine64 (Debian package wine64)")
	} else {
		tools.Wineserver = lookFirst("wineserver",
			filepath.Join(filepath.Dir(tools.Wine), "wineserver"),
			filepath.Join(filepath.Dir(tools.Wine), "wineserver64"))
		if tools.Wineserver == "" {
			missing = append(missing, "wineserver (Debian package wine64)")
		}
	}
	tools.CC = lookFirst("x86_64-w64-mingw32-gcc")
	if tools.CC == "" {
		missing = append(missing, "x86_64-w64-mingw32-gcc (Debian package gcc-mingw-w64-x86-64)")
	}
	if len(missing) > 0 {
		return tools, fmt.Errorf("the Wine tier needs %s", strings.Join(missing, " and "))
	}
	return tools, nil
}

// RequireTools returns the tools or skips t (see Skip) when any is missing.
func RequireTools(t testing.TB) Tools {
	t.Helper()
	tools, err := FindTools()
	if err != nil {
		Skip(t, "%v; install what is missing to run this test", err)
	}
	return tools
}

// lookFirst returns the first of the candidates that is an executable: a
// bare name is looked up in PATH, a path is taken as it is.
func lookFirst(candidates ...string) string {
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				return abs
			}
			return p
		}
	}
	return ""
}

// Version is a Windows version Wine can report to the programs it runs.
type Version struct {
	// Name is Wine's name for the version, the value of
	// HKCU\Software\Wine\Version.
	Name string
	// What RtlGetVersion reports when the prefix is set to Name.
	Major, Minor, Build uint32
}

// String is major.minor.build, the form of ExpectOSVersionEnv and of the
// generated package's OSVersion.String.
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Build) }

// The versions the tiers run under. Wine 8 answers RtlGetVersion with these
// numbers for the names.
var (
	WinXP64 = Version{Name: "winxp64", Major: 5, Minor: 2, Build: 3790}
	Vista   = Version{Name: "vista", Major: 6, Minor: 0, Build: 6002}
	Win7    = Version{Name: "win7", Major: 6, Minor: 1, Build: 7601}
	Win10   = Version{Name: "win10", Major: 10, Minor: 0, Build: 18362}
)

// Versions lists WinXP64, Vista, Win7 and Win10, oldest first.
func Versions() []Version { return []Version{WinXP64, Vista, Win7, Win10} }

// OlderThan reports whether v is older than major.minor.
func (v Version) OlderThan(major, minor uint32) bool {
	return v.Major < major || v.Major == major && v.Minor < minor
}

// errNoPass reports a Go test binary that exited with status 0 but did not
// print PASS: Wine sometimes reports status 0 for a program that crashed.
var errNoPass = errors.New("the test binary exited with status 0 but did not print PASS (did it crash under Wine?)")
