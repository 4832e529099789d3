package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionAndDescribe(t *testing.T) {
	tests := []struct {
		name          string
		info          *debug.BuildInfo
		version, long string
	}{
		{
			name:    "no build information",
			info:    nil,
			version: "(devel)", long: "(devel)",
		},
		{
			name:    "installed from the module proxy",
			info:    &debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "v1.2.0"}},
			version: "v1.2.0", long: "v1.2.0",
		},
		{
			name: "built in a checkout with VCS stamping",
			info: &debug.BuildInfo{
				Main: debug.Module{Path: ModulePath, Version: "(devel)"},
				Settings: []debug.BuildSetting{
					{Key: "GOOS", Value: "linux"},
					{Key: "vcs", Value: "git"},
					{Key: "vcs.revision", Value: "4f1c2a9e"},
					{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
					{Key: "vcs.modified", Value: "true"},
				},
			},
			version: "(devel)", long: "(devel) vcs.revision=4f1c2a9e vcs.modified=true",
		},
		{
			name:    "built in a checkout without VCS stamping",
			info:    &debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: ""}},
			version: "(devel)", long: "(devel)",
		},
		{
			name: "a tool of another module",
			info: &debug.BuildInfo{
				Main: debug.Module{Path: "example.com/backup", Version: "(devel)"},
				Deps: []*debug.Module{
					{Path: "gopkg.in/yaml.v3", Version: "v3.0.1"},
					{Path: ModulePath, Version: "v1.3.0"},
				},
				// The revision is the other module's, not vssgen's.
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}},
			},
			version: "v1.3.0", long: "v1.3.0",
		},
		{
			name: "a tool replaced by a directory",
			info: &debug.BuildInfo{
				Main: debug.Module{Path: "example.com/backup"},
				Deps: []*debug.Module{{Path: ModulePath, Version: "v1.3.0", Replace: &debug.Module{Path: "../vssgen"}}},
			},
			version: "(devel)", long: "(devel)",
		},
		{
			name: "a tool replaced by another version",
			info: &debug.BuildInfo{
				Main: debug.Module{Path: "example.com/backup"},
				Deps: []*debug.Module{{Path: ModulePath, Version: "v1.3.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.3.1"}}},
			},
			version: "v1.3.1", long: "v1.3.1",
		},
	}
	for _, tt := range tests {
		if got := version(tt.info); got != tt.version {
			t.Errorf("%s: version = %q, want %q", tt.name, got, tt.version)
		}
		if got := describe(tt.info); got != tt.long {
			t.Errorf("%s: describe = %q, want %q", tt.name, got, tt.long)
		}
	}
}

// TestRunningBinary reads this test binary's own build information, as
// vssgen -version does.
func TestRunningBinary(t *testing.T) {
	v, d := Version(), Describe()
	if v == "" || !strings.HasPrefix(d, v) {
		t.Errorf("Version = %q, Describe = %q; want a version that Describe starts with", v, d)
	}
}
