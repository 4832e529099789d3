package emit

import (
	"slices"

	"github.com/vssgen/vssgen/gen/model"
)

// The requester's path through a shadow copy, as Microsoft documents it:
// the function that creates the backup components, the object's name, and
// its methods in the order a backup calls them. The package comment names
// the steps the spec has; the shadow copy example needs every one of them
// with the shape it calls.
const (
	backupInterface = "IVssBackupComponents"
	asyncInterface  = "IVssAsync"
)

var createFunctions = []string{"CreateVssBackupComponentsInternal", "CreateVssBackupComponents"}

// shadowCopyStep is one call of the sequence and the Go shape the example
// calls it with: its parameters outside the reserved ones, each as shape
// spells it.
type shadowCopyStep struct {
	name   string
	params []string
}

var shadowCopySteps = []shadowCopyStep{
	{"InitializeForBackup", []string{"in string"}},
	{"SetContext", []string{"in VSS_SNAPSHOT_CONTEXT"}},
	{"GatherWriterMetadata", []string{"out IVssAsync"}},
	{"StartSnapshotSet", []string{"out GUID"}},
	{"AddToSnapshotSet", []string{"in string", "in GUID", "out GUID"}},
	{"SetBackupState", []string{"in bool", "in bool", "in VSS_BACKUP_TYPE", "in bool"}},
	{"PrepareForBackup", []string{"out IVssAsync"}},
	{"DoSnapshotSet", []string{"out IVssAsync"}},
	{"GetSnapshotProperties", []string{"in GUID", "out VSS_SNAPSHOT_PROP"}},
	{"BackupComplete", []string{"out IVssAsync"}},
}

// The enum values and the field the example uses.
const (
	contextBackup  = "VSS_CTX_BACKUP"
	backupTypeCopy = "VSS_BT_COPY"
	deviceField    = "SnapshotDeviceObject"
)

// shape spells a method's Go parameters outside the reserved ones, for
// comparison with shadowCopyStep.params. A method with documented success
// codes returns them too, which the example does not expect: its shape is nil.
func shape(m *model.Method) []string {
	if len(m.SuccessCodes()) > 0 {
		return nil
	}
	out := []string{}
	for _, p := range m.Params {
		if p.Reserved {
			continue
		}
		s := p.Dir.String() + " "
		switch t := p.Type; t.Kind {
		case model.WString, model.BSTRKind:
			s += "string"
		case model.Boolean:
			s += "bool"
		case model.GUIDKind:
			s += "GUID"
		case model.EnumKind, model.InterfaceKind:
			s += t.C
		case model.StructKind:
			if p.Dir != model.Out || p.ByPtr || !t.Struct.Frees() {
				return nil // the example expects the Go copy
			}
			s += t.C
		default:
			s += t.Go
		}
		if p.ByPtr && p.Type.Kind != model.StructKind {
			s += " by pointer"
		}
		out = append(out, s)
	}
	return out
}

// requester is what the spec has of the requester's path.
type requester struct {
	create *model.Method    // the function that creates the backup components, or nil
	backup *model.Interface // IVssBackupComponents, or nil
	async  *model.Interface // IVssAsync when WaitContext is generated, or nil
	steps  []*model.Method  // the methods of shadowCopySteps the backup components have, in order
	// complete is set when the shadow copy example can be written: every
	// step, the create function and WaitContext are there with the shapes
	// the example calls, and the enums have the values it passes.
	complete bool
}

func findRequester(s *model.Spec) requester {
	var r requester
	for _, fn := range s.Functions {
		if r.create == nil && slices.Contains(createFunctions, fn.Name) {
			r.create = fn
		}
	}
	for _, it := range s.Interfaces {
		switch it.Name {
		case backupInterface:
			r.backup = it
		case asyncInterface:
			if hasAsync(s) {
				r.async = it
			}
		}
	}
	if r.backup == nil {
		return r
	}
	methods := map[string]*model.Method{}
	for _, m := range r.backup.AllMethods() {
		methods[m.Name] = m
	}
	complete := r.create != nil && r.async != nil &&
		slices.Equal(shape(r.create), []string{"out " + backupInterface})
	for _, step := range shadowCopySteps {
		m := methods[step.name]
		if m == nil {
			complete = false
			continue
		}
		r.steps = append(r.steps, m)
		complete = complete && slices.Equal(shape(m), step.params)
	}
	r.complete = complete && hasEnumValue(s, "VSS_SNAPSHOT_CONTEXT", contextBackup) &&
		hasEnumValue(s, "VSS_BACKUP_TYPE", backupTypeCopy) && snapshotHasDevice(r.steps)
	return r
}

func hasEnumValue(s *model.Spec, enum, value string) bool {
	for _, e := range s.Enums {
		if e.Name == enum {
			return slices.ContainsFunc(e.Values, func(v *model.EnumValue) bool { return v.Name == value })
		}
	}
	return false
}

// snapshotHasDevice reports whether the properties GetSnapshotProperties
// returns have the device path as a Go string.
func snapshotHasDevice(steps []*model.Method) bool {
	for _, m := range steps {
		if m.Name != "GetSnapshotProperties" {
			continue
		}
		for _, p := range m.Params {
			if p.Dir == model.Out && p.Type.Kind == model.StructKind {
				return slices.ContainsFunc(p.Type.Struct.Fields, func(f *model.Field) bool {
					return f.GoName == deviceField && f.Type.Kind == model.WString
				})
			}
		}
	}
	return false
}

// waitable is the method whose IVssAsync the WaitContext example waits
// for: DoSnapshotSet when the spec has it, else the first method (in
// interface order) that takes nothing and returns only an IVssAsync.
func waitable(s *model.Spec) *model.Method {
	var first *model.Method
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			if !slices.Equal(shape(m), []string{"out " + asyncInterface}) {
				continue
			}
			if it.Name == backupInterface && m.Name == "DoSnapshotSet" {
				return m
			}
			if first == nil {
				first = m
			}
		}
	}
	return first
}
