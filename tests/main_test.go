package tests

import (
	"os"
	"testing"
)

// TestMain removes what tests shared across the package: the file proxy
// that serves this checkout to downstream modules.
func TestMain(m *testing.M) {
	code := m.Run()
	if proxyDir != "" {
		os.RemoveAll(proxyDir)
	}
	os.Exit(code)
}
