// Package spec holds vssgen's flagship spec of the VSS requester API and
// the JSON Schema of the spec format, embedded so that the vssgen binary
// carries them wherever it is installed: `vssgen init -full` starts a
// downstream spec from VSS, `vssgen schema` prints Schema, and
// `vssgen explain` falls back on VSS for codes a smaller spec lacks.
package spec

import (
	"bytes"
	_ "embed"
)

// The file names, as they sit side by side here and in a downstream
// module: the spec's first line names the schema by this relative path.
const (
	VSSFile    = "vss.yaml"
	SchemaFile = "vss.schema.json"
)

var (
	//go:embed vss.yaml
	vss []byte
	//go:embed vss.schema.json
	schema []byte
)

// VSS returns the text of spec/vss.yaml, the whole requester surface.
func VSS() []byte { return bytes.Clone(vss) }

// Schema returns the JSON Schema of the spec format (spec/vss.schema.json).
func Schema() []byte { return bytes.Clone(schema) }
