// Package buildinfo says which vssgen is running, from the build
// information the go command records in every binary.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// ModulePath is the module vssgen is built from.
const ModulePath = "github.com/vssgen/vssgen"

// devel is what the go command records for a module built from a checkout.
const devel = "(devel)"

// Version is the vssgen module's version: a release such as v1.2.0 when
// installed through the module proxy, "(devel)" when built from a checkout
// (recent go commands may instead record a pseudo-version derived from the
// repository). It is what -stamp writes into generated headers.
func Version() string {
	info, _ := debug.ReadBuildInfo()
	return version(info)
}

// Describe is Version followed by the repository revision the binary was
// built from and whether the checkout had local changes, when the go
// command recorded them (it does for builds inside a repository checkout):
//
//	(devel) vcs.revision=4f1c2a9 vcs.modified=true
func Describe() string {
	info, _ := debug.ReadBuildInfo()
	return describe(info)
}

func version(info *debug.BuildInfo) string {
	if info == nil {
		return devel
	}
	m := &info.Main
	// Run as a tool of another module (go tool vssgen), vssgen is a
	// dependency of the build; find it among the dependencies.
	if m.Path != ModulePath {
		for _, d := range info.Deps {
			if d.Path == ModulePath {
				m = d
				break
			}
		}
	}
	if m.Replace != nil {
		m = m.Replace // a replacement by a directory has no version: (devel) below
	}
	if m.Version == "" {
		return devel
	}
	return m.Version
}

func describe(info *debug.BuildInfo) string {
	parts := []string{version(info)}
	// The go command records the revision of the main module's repository;
	// it describes vssgen only when vssgen is the main module.
	if info != nil && info.Main.Path == ModulePath {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				parts = append(parts, s.Key+"="+s.Value)
			}
		}
	}
	return strings.Join(parts, " ")
}
