package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args []string
		want options
	}{
		{[]string{`C:\`}, options{volume: `C:\`, timeout: defaultTimeout}},
		// AddToSnapshotSet wants the trailing backslash people leave off.
		{[]string{"D:"}, options{volume: `D:\`, timeout: defaultTimeout}},
		{[]string{`\\?\Volume{0b7c7e2a-3f7d-4d0e-9a57-54c1b52e5a31}\`}, options{volume: `\\?\Volume{0b7c7e2a-3f7d-4d0e-9a57-54c1b52e5a31}\`, timeout: defaultTimeout}},
		{[]string{"-keep", "-timeout", "90s", "-v", `C:\mnt\data`}, options{volume: `C:\mnt\data\`, timeout: 90 * time.Second, keep: true, verbose: true}},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		got, exit, ok := parseArgs(tt.args, &stdout, &stderr)
		if !ok || exit != exitOK || got != tt.want {
			t.Errorf("parseArgs(%q) = %+v, %d, %t, want %+v, 0, true\n%s", tt.args, got, exit, ok, tt.want, stderr.String())
		}
	}
}

func TestParseArgsRefuses(t *testing.T) {
	tests := []struct {
		args []string
		msg  string // what stderr must say
	}{
		{nil, "give exactly one volume"},
		{[]string{`C:\`, `D:\`}, "give exactly one volume"},
		{[]string{""}, "the volume is empty"},
		{[]string{"-timeout", "0s", `C:\`}, "-timeout must be positive"},
		{[]string{"-timeout", "-1m", `C:\`}, "-timeout must be positive"},
		{[]string{"-timeout", "soon", `C:\`}, "invalid value"},
		{[]string{"-persistent", `C:\`}, "flag provided but not defined: -persistent"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		_, exit, ok := parseArgs(tt.args, &stdout, &stderr)
		if ok || exit != exitUsage {
			t.Errorf("parseArgs(%q): ok %t, exit %d, want false, %d", tt.args, ok, exit, exitUsage)
		}
		if !strings.Contains(stderr.String(), tt.msg) || !strings.Contains(stderr.String(), "run 'vss-snapshot -h' for usage") {
			t.Errorf("parseArgs(%q) printed %q, want %q and a pointer to -h", tt.args, stderr.String(), tt.msg)
		}
		if stdout.Len() != 0 {
			t.Errorf("parseArgs(%q) printed %q on stdout", tt.args, stdout.String())
		}
	}
}

// TestHelp checks that -h prints the usage on stdout, as output asked for,
// with every flag, and ends the command successfully.
func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if exit := run([]string{"-h"}, &stdout, &stderr); exit != exitOK {
		t.Errorf("exit status %d, want 0", exit)
	}
	for _, want := range []string{"usage: vss-snapshot", "-keep", "-timeout", "-v", "Exit status"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stdout.String())
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("help printed %q on stderr", stderr.String())
	}
}
