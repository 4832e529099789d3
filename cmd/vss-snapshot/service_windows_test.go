package main

import (
	"testing"

	"github.com/vssgen/vssgen/generated/vss"
)

// TestContextOptions checks the context table the help prints against the
// generated constants: every name maps to the constant it claims, and
// persistence and writers follow from the constant's bits.
func TestContextOptions(t *testing.T) {
	for _, c := range contextNames {
		o, ok := contextOptions[c.Name]
		if !ok {
			t.Errorf("context %s has no shadow options", c.Name)
			continue
		}
		if o.ctx.String() != c.Const {
			t.Errorf("context %s is %v, want %s", c.Name, o.ctx, c.Const)
		}
		bits := vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(o.ctx)
		if persistent := bits&vss.VSS_VOLSNAP_ATTR_PERSISTENT != 0; persistent != c.Persistent || o.persistent != c.Persistent {
			t.Errorf("context %s: persistent %t in the help, %t in the options, %t in the constant", c.Name, c.Persistent, o.persistent, persistent)
		}
		if writers := bits&vss.VSS_VOLSNAP_ATTR_NO_WRITERS == 0; writers != c.Writers || o.noWriters == c.Writers {
			t.Errorf("context %s: writers %t in the help, no-writers %t in the options, writers %t in the constant", c.Name, c.Writers, o.noWriters, writers)
		}
		// A shadow copy's attributes name its context back, whatever
		// other bits they hold.
		if got := contextName(bits | vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY | vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL); got != c.Name {
			t.Errorf("contextName of %s's bits = %s", c.Name, got)
		}
	}
	if got := contextName(vss.VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE); got != "0x4" {
		t.Errorf("contextName of an unknown mix = %s, want 0x4", got)
	}
}

func TestParseGUID(t *testing.T) {
	for _, s := range []string{"{6c42f2b5-0000-4000-8000-000000000001}", "6c42f2b5-0000-4000-8000-000000000001"} {
		g, err := parseGUID(s)
		if err != nil || g.String() != "{6C42F2B5-0000-4000-8000-000000000001}" {
			t.Errorf("parseGUID(%q) = %v, %v", s, g, err)
		}
	}
	if _, err := parseGUID("C:"); err == nil {
		t.Error("parseGUID(C:) succeeded")
	}
}
