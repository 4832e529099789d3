package wine

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// Compiler is a mingw-w64 C compiler for one Windows architecture.
type Compiler struct {
	GOARCH string // the Go name of the target architecture: amd64 or 386
	Path   string // x86_64-w64-mingw32-gcc or i686-w64-mingw32-gcc
}

// compilerSpecs are the compilers the SDK tier uses, with the Debian
// packages that install them.
var compilerSpecs = []struct{ goarch, name, pkg string }{
	{"amd64", "x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64"},
	{"386", "i686-w64-mingw32-gcc", "gcc-mingw-w64-i686"},
}

// sdkHeaders are the headers the conformance files include; probing them
// tells a missing mingw-w64 -dev package from a broken compiler.
var sdkHeaders = []string{"windows.h", "vss.h", "vsbackup.h", "vsserror.h", "winerror.h"}

// FindCompilers returns the x86_64 and i686 mingw-w64 compilers, checking
// that each can include the SDK headers. The error names the Debian
// packages that provide what is missing.
func FindCompilers(ctx context.Context) ([]Compiler, error) {
	var found []Compiler
	var missing []string
	for _, spec := range compilerSpecs {
		p := lookFirst(spec.name)
		if p == "" {
			missing = append(missing, fmt.Sprintf("%s (Debian package %s)", spec.name, spec.pkg))
			continue
		}
		c := Compiler{GOARCH: spec.goarch, Path: p}
		if err := c.probeHeaders(ctx); err != nil {
			missing = append(missing, fmt.Sprintf("the SDK headers for %s (Debian package mingw-w64-x86-64-dev or mingw-w64-i686-dev; %v)", spec.name, err))
			continue
		}
		found = append(found, c)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the SDK tier needs %s", strings.Join(missing, " and "))
	}
	return found, nil
}

// RequireCompilers returns both compilers or skips t (see Skip).
func RequireCompilers(t testing.TB) []Compiler {
	t.Helper()
	cs, err := FindCompilers(t.Context())
	if err != nil {
		Skip(t, "%v; install what is missing to run this test", err)
	}
	return cs
}

// probeHeaders preprocesses a file that includes every SDK header.
func (c Compiler) probeHeaders(ctx context.Context) error {
	var src strings.Builder
	for _, h := range sdkHeaders {
		fmt.Fprintf(&src, "#include <%s>\n", h)
	}
	cmd := exec.CommandContext(ctx, c.Path, "-E", "-x", "c", "-o", "/dev/null", "-")
	cmd.Stdin = strings.NewReader(src.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		return fmt.Errorf("%v: %s", err, first)
	}
	return nil
}

// Compile compiles and links the C program src into the Windows program
// out, as C11 with every warning an error, and returns the compiler's
// messages. A failed static assertion shows up in them with its message.
func (c Compiler) Compile(ctx context.Context, src, out string, extraArgs ...string) ([]byte, error) {
	args := append([]string{"-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-o", out, src}, extraArgs...)
	return exec.CommandContext(ctx, c.Path, args...).CombinedOutput()
}
