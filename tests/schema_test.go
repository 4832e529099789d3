package tests

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
	"github.com/vssgen/vssgen/gen/scaffold"
)

// The spec's JSON Schema serves editors: a YAML language server completes
// keys and flags mistakes with it while vssgen is nowhere in sight. These
// tests hold it to the loader. Every spec in the repository that vssgen
// accepts, the schema accepts; every spec of the invalid catalogue that
// vssgen refuses, the schema refuses too, unless schemaCannotJudge lists
// the case with the reason a schema cannot see the problem.

const (
	schemaPath = "../spec/vss.schema.json"
	// schemaModeline is how a spec names its schema on its first line; the
	// path after it is relative to the spec.
	schemaModeline = "# yaml-language-server: $schema="
	// catalogueDir holds the invalid specs, NAME.yaml beside NAME.golden.
	catalogueDir = "testdata/invalid"
)

// schemaCannotJudge lists the catalogue cases whose every problem lies
// beyond what a JSON Schema can express, with the reason.
var schemaCannotJudge = map[string]string{
	"inheritance_too_deep":    "the depth of a chain of bases is counted along references between list items",
	"struct_too_large":        "a struct's size is computed from the sizes of the types its fields name",
	"too_many_words":          "the argument words of a call follow from each parameter's type and each architecture's calling convention",
	"alias_errors":            "alias_of must name another entry of the same value that is not an alias: a cross-reference",
	"cyclic_base":             "a base chain that runs in a circle is a cross-reference between list items",
	"duplicate_code":          "a name declared twice is a duplicate across list items",
	"duplicate_method":        "a method declared twice, or hiding an inherited one, is a duplicate across list items and interfaces",
	"duplicate_value":         "two names for one value is a duplicate across list items",
	"duplicate_keys":          "a key given twice is a YAML-level error: decoded, the document keeps one of the values",
	"anchors":                 "the schema sees the document with anchors and aliases expanded",
	"alias_bomb":              "the schema sees the document with aliases expanded, which is what vssgen refuses to do",
	"comments_only":           "a file of comments holds no YAML document to validate",
	"empty":                   "an empty file holds no YAML document to validate",
	"two_documents":           "the schema validates one document; a second one is invisible to it",
	"invalid_utf8":            "the bytes are not text, so there is no document to validate",
	"control_characters":      "raw control characters in the file are a YAML-level error: there is no document to validate",
	"integer_overflow":        "integers past 64 bits do not survive YAML decoding as numbers",
	"syntax_bad_indent":       "a YAML syntax error: there is no document to validate",
	"syntax_tab_indent":       "a YAML syntax error: there is no document to validate",
	"syntax_unclosed_flow":    "a YAML syntax error: there is no document to validate",
	"syntax_tab_after_scalar": "a YAML syntax error: there is no document to validate",
	"syntax_bad_indent_deep":  "a YAML syntax error: there is no document to validate",
	"slot_gap":                "slots must run on from the base without gaps: a relation between list items and the base interface",
	"unknown_codes":           "codes must be in the hresults table: a cross-reference",
	"unknown_os_version":      "notes must name ids of os_versions: a cross-reference",
	"struct_cycle":            "a struct that contains itself is a cycle of references between list items",
	"yaml_tags_unseen":        "a YAML tag that leaves the value's JSON form as it was (!!float 4 is the number 4) is gone once the document is decoded",
	"hr_param":                "hr is taken only in a method that documents a success code other than S_OK: a cross-reference to the hresults table",
}

// TestSchemaAcceptsEverySpec validates every spec that vssgen accepts
// against the schema: the specs of the repository, which must also name
// the schema on their first line, the specs inside the command's test
// scripts, and the starter spec vssgen init writes.
func TestSchemaAcceptsEverySpec(t *testing.T) {
	schema := compileSchema(t)
	root := filepath.Dir(schemaDirAbs(t))
	specs := map[string][]byte{} // name for messages → content
	modelines := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || path == filepath.Join(root, "tests", filepath.FromSlash(catalogueDir)) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		switch filepath.Ext(path) {
		case ".yaml", ".yml":
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if isSpec(data) {
				specs[rel] = data
				modelines[rel] = path
			}
		case ".txtar":
			a, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if ext := filepath.Ext(f.Name); (ext == ".yaml" || ext == ".yml") && isSpec(f.Data) {
					specs[rel+":"+f.Name] = f.Data
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	starter, err := scaffold.Files("vss", false)
	if err != nil {
		t.Fatal(err)
	}
	specs["vssgen init's "+scaffold.SpecFile] = starter[0].Data

	for _, must := range []string{filepath.Join("spec", "vss.yaml"), "vssgen init's " + scaffold.SpecFile} {
		if _, ok := specs[must]; !ok {
			t.Errorf("%s was not found among the specs", must)
		}
	}
	accepted := 0
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		data := specs[name]
		if _, err := buildSpec(name, data); err != nil {
			continue // a spec of some test's that vssgen refuses; the catalogue test covers refusals
		}
		accepted++
		if err := validateYAML(schema, data); err != nil {
			t.Errorf("%s: vssgen accepts it but the schema refuses it:\n%v", name, err)
		}
		if path, ok := modelines[name]; ok {
			checkModeline(t, name, path, data)
		}
	}
	t.Logf("validated %d specs that vssgen accepts", accepted)
	if accepted < 3 {
		t.Errorf("only %d specs were checked; the walk of the repository is broken", accepted)
	}
}

// checkModeline checks that a spec file's first line names the schema by a
// relative path that leads to spec/vss.schema.json.
func checkModeline(t *testing.T, name, path string, data []byte) {
	t.Helper()
	first, _, _ := bytes.Cut(data, []byte("\n"))
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(first)), schemaModeline)
	if !ok {
		t.Errorf("%s: the first line must name the schema for editors: %s<path of spec/vss.schema.json relative to the spec>", name, schemaModeline)
		return
	}
	got, err := filepath.Abs(filepath.Join(filepath.Dir(path), filepath.FromSlash(ref)))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(schemaDirAbs(t), "vss.schema.json"); got != want {
		t.Errorf("%s: the first line names %s, which is not spec/vss.schema.json", name, ref)
	}
}

// TestSchemaRefusesInvalidCatalogue checks that the schema refuses every
// spec of the invalid catalogue that vssgen refuses, except the cases
// listed in schemaCannotJudge; and that those cases really are beyond it.
func TestSchemaRefusesInvalidCatalogue(t *testing.T) {
	schema := compileSchema(t)
	paths, err := filepath.Glob(filepath.Join(catalogueDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("the invalid catalogue %s holds no specs", catalogueDir)
	}
	cases := map[string]bool{}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		cases[name] = true
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := buildSpec(path, data); err == nil {
			t.Errorf("%s: vssgen accepts this spec of the invalid catalogue", path)
			continue
		}
		verdict := validateYAML(schema, data)
		var notJSON *notJSONError
		reason, listed := schemaCannotJudge[name]
		switch {
		case listed && verdict != nil && !errors.As(verdict, &notJSON):
			t.Errorf("%s: listed as beyond the schema (%s), but the schema refuses it: take it off schemaCannotJudge\n%v", path, reason, verdict)
		case listed:
		case errors.As(verdict, &notJSON):
			t.Errorf("%s: vssgen refuses it and the schema never sees it (%v); if that is right, list it in schemaCannotJudge with the reason", path, verdict)
		case verdict == nil:
			t.Errorf("%s: vssgen refuses it but the schema accepts it; make the schema say what is wrong, or list the case in schemaCannotJudge with the reason a schema cannot", path)
		}
	}
	for name := range schemaCannotJudge {
		if !cases[name] {
			t.Errorf("schemaCannotJudge lists %q, which is not in %s", name, catalogueDir)
		}
	}
}

// TestSchemaRefusesSingleProblems checks the schema on specs that each hold
// exactly one problem of a kind a schema can see, so that no rule hides
// behind another one in the same spec. vssgen must refuse each of them too.
func TestSchemaRefusesSingleProblems(t *testing.T) {
	schema := compileSchema(t)
	tests := []struct{ name, old, new string }{
		{"unknown top-level key", "package: vss\n", "package: vss\nversion: 2\n"},
		{"unknown hresult key", "doc: Success.}", "doc: Success., since: win7}"},
		{"package missing", "package: vss\n", ""},
		{"package a keyword", "package: vss", "package: func"},
		{"os id upper case", "id: win7,", "id: Win7,"},
		{"os version unquoted", `version: "6.1"`, "version: 6.1"},
		{"os version not major.minor", `version: "6.1"`, `version: "6"`},
		{"hresult value negative", "value: 0x80042302", "value: -1"},
		{"hresult value past 32 bits", "value: 0x80042302", "value: 0x180042302"},
		{"hresult value a string", "value: 0x80042302", `value: "0x80042302"`},
		{"hresult doc missing", ", doc: Unexpected failure inside VSS.", ""},
		{"hresult doc blank", "doc: Unexpected failure inside VSS.", `doc: "  "`},
		{"failure name, success value", "value: 0x80042302", "value: 0x00042302"},
		{"success name, failure value", "value: 0x0004230A", "value: 0x8004230A"},
		{"hresult name predeclared", "name: E_UNEXPECTED,", "name: error,"},
		{"hresult name starts with underscore", "name: E_UNEXPECTED,", "name: _E_UNEXPECTED,"},
		{"hresult name taken by the generated package", "name: E_UNEXPECTED,", "name: NewError,"},
		{"interface IUnknown declared", "name: IVssAsync\n", "name: IUnknown\n"},
		{"iid not a GUID", "iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e", "iid: 507c37b4-cf5b-4e95-b0af"},
		{"iid with one brace", "iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e", `iid: "{507c37b4-cf5b-4e95-b0af-14eb9767467e"`},
		{"base missing", "    base: IUnknown\n", ""},
		{"iid missing on an interface derived from IUnknown", "    iid: 665c1d5f-c218-414d-a05d-7fef5f9d5c86\n", ""},
		{"iid none in upper case", "iid: 665c1d5f-c218-414d-a05d-7fef5f9d5c86", "iid: None"},
		{"method name not exported", "name: Cancel", "name: cancel"},
		{"header not a file name", "header: vss.h", `header: "vss.h */ x"`},
		{"slot in IUnknown", "slot: 3", "slot: 2"},
		{"slot beyond any vtable", "slot: 3", "slot: 1024"},
		{"reserved slot in IUnknown", "reserved_slots: [5, 6]", "reserved_slots: [2, 5, 6]"},
		{"reserved slot beyond any vtable", "reserved_slots: [5, 6]", "reserved_slots: [5, 6, 1024]"},
		{"reserved slot twice", "reserved_slots: [5, 6]", "reserved_slots: [5, 6, 6]"},
		{"reserved slot not an integer", "reserved_slots: [5, 6]", "reserved_slots: [5, six]"},
		{"slot missing", "        slot: 3\n", ""},
		{"method named vtable", "name: Cancel", "name: vtable"},
		{"dir neither in nor out", "dir: in", "dir: inout"},
		{"parameter type not a C name", "type: DWORD", `type: "DWORD *"`},
		{"by neither value nor pointer", "by: pointer}", "by: reference}"},
		{"built-in out type by pointer", "{name: pcComponents, dir: out, type: UINT}", "{name: pcComponents, dir: out, type: UINT, by: pointer}"},
		{"slot of an interface without IUnknown negative", "slot: 0", "slot: -1"},
		{"via other than async", "via: async}", "via: later}"},
		{"via on a status code", "{code: VSS_S_ASYNC_FINISHED, meaning: Finished.}", "{code: VSS_S_ASYNC_FINISHED, meaning: Finished., via: async}"},
		{"enum value past 32 bits", "value: 0xFFFFFFFF, combination", "value: 0x100000000, combination"},
		{"enum value below the int32 range", "value: 0xFFFFFFFF, combination", "value: -2147483649, combination"},
		{"enum value missing", "{name: VSS_BT_FULL, value: 1}", "{name: VSS_BT_FULL}"},
		{"enum value name predeclared", "{name: VSS_BT_FULL,", "{name: string,"},
		{"enum flags not a boolean", "flags: true", "flags: yes please"},
		{"struct without fields", "    union: true\n    fields:\n", "    union: true\n    unused:\n"},
		{"field name not a C identifier", "{name: Count,", "{name: 2Count,"},
		{"field Go name not exported", "{name: Count,", "{name: count,"},
		{"field go_name not exported", "go_name: SnapshotId", "go_name: snapshotId"},
		{"struct go_name not exported", "go_name: SnapshotProperties", "go_name: snapshotProperties"},
		{"struct go_name taken by the generated package", "go_name: SnapshotProperties", "go_name: ErrWOW64"},
		{"free without go_name", "    go_name: SnapshotProperties\n", ""},
		{"go_name without free", "    free: VssFreeSnapshotPropertiesInternal\n", ""},
		{"dll not a file name", "dll: vssapi.dll", "dll: vssapi"},
		{"dll with a directory", "dll: vssapi.dll", `dll: 'C:\Windows\System32\vssapi.dll'`},
		{"function without dll", "    dll: vssapi.dll\n", ""},
		{"void function with returns", "    void: true\n", "    void: true\n    returns: [{code: S_OK, meaning: Freed.}]\n"},
		{"parameter named like a stub local", "name: dwMilliseconds", "name: err"},
		{"reserved not a boolean", "reserved: true", "reserved: yes please"},
		{"enum on a parameter that is not a 4-byte integer", "type: HRESULT, doc: The status.}", "type: HRESULT, enum: VSS_BACKUP_TYPE, doc: The status.}"},
		{"enum on a reserved parameter", "type: INT, reserved: true}", "type: INT, reserved: true, enum: VSS_BACKUP_TYPE}"},
		{"return meaning missing", "{code: S_OK, meaning: Cancelled.}", "{code: S_OK}"},
		{"note with before and on", "before: win7,", "before: win7, on: [vista],"},
		{"note naming no systems", "{before: win7, returns_instead", "{returns_instead"},
		{"note with an empty on list", "before: win7,", "on: [],"},
		{"returns_instead on a method note", "text: Only on old systems.}", "text: Only on old systems., returns_instead: E_UNEXPECTED}"},
		{"returns_instead on a status code note", "meaning: Finished.}", "meaning: Finished., notes: [{before: win7, returns_instead: E_UNEXPECTED, text: No.}]}"},
		{"control character in a doc", "doc: Success.", `doc: "Succ\x1bess."`},
		{"bidirectional override in a meaning", "meaning: Cancelled.", `meaning: "Cancel\u202eled."`},
		{"line separator in a note", "text: Only on old systems.", `text: "Only\u2028on old systems."`},
		{"methods not a list", "    methods:\n", "    methods: {}\n    unused:\n"},
	}
	if _, err := buildSpec("base", []byte(singleProblemBase)); err != nil {
		t.Fatalf("the base spec is refused: %v", err)
	}
	if err := validateYAML(schema, []byte(singleProblemBase)); err != nil {
		t.Fatalf("the schema refuses the base spec: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(singleProblemBase, tt.old) {
				t.Fatalf("the base spec lacks %q", tt.old)
			}
			spec := []byte(strings.Replace(singleProblemBase, tt.old, tt.new, 1))
			if _, err := buildSpec(tt.name, spec); err == nil {
				t.Fatalf("vssgen accepts the spec; the case is not a problem:\n%s", spec)
			}
			if err := validateYAML(schema, spec); err == nil {
				t.Errorf("the schema accepts a spec that vssgen refuses:\n%s", spec)
			}
		})
	}
}

// singleProblemBase is a valid spec that uses every key of the format.
const singleProblemBase = `package: vss
os_versions:
  - {id: vista, name: Windows Vista, version: "6.0"}
  - {id: win7, name: Windows 7, version: "6.1"}
hresults:
  - {name: S_OK, value: 0x00000000, doc: Success.}
  - {name: E_UNEXPECTED, value: 0x8000FFFF, doc: Unexpected failure.}
  - {name: VSS_S_ASYNC_FINISHED, value: 0x0004230A, doc: Finished.}
  - {name: VSS_E_UNEXPECTED, value: 0x80042302, doc: Unexpected failure inside VSS.}
  - {name: VSS_E_UNEXPECTED_OLD, value: 0x80042302, alias_of: VSS_E_UNEXPECTED, doc: Another name.}
  - {name: VSS_E_PROVIDER_VETO, value: 0x80042306, doc: The provider refused.}
enums:
  - name: VSS_BACKUP_TYPE
    header: vss.h
    doc: The kinds of backup.
    values:
      - {name: VSS_BT_UNDEFINED, value: 0, doc: Not set.}
      - {name: VSS_BT_FULL, value: 1}
  - name: VSS_SNAPSHOT_BITS
    flags: true
    values:
      - {name: VSS_SB_NONE, value: 0, combination: true}
      - {name: VSS_SB_ONE, value: 0x1}
      - {name: VSS_SB_ALL, value: 0xFFFFFFFF, combination: true}
structs:
  - name: VSS_SNAPSHOT_PROP
    go_name: SnapshotProperties
    header: vss.h
    doc: One shadow copy.
    free: VssFreeSnapshotPropertiesInternal
    fields:
      - {name: m_SnapshotId, go_name: SnapshotId, type: VSS_ID, doc: Its identity.}
      - {name: Count, type: LONG}
  - name: VSS_OBJECT_UNION
    union: true
    fields:
      - {name: Snap, type: VSS_SNAPSHOT_PROP}
      - {name: Type, type: VSS_BACKUP_TYPE}
functions:
  - name: CreateVssBackupComponentsInternal
    dll: vssapi.dll
    doc: Creates the backup components.
    params:
      - {name: ppBackup, dir: out, type: IVssBackupComponents}
    returns:
      - {code: S_OK, meaning: Created.}
  - name: VssFreeSnapshotPropertiesInternal
    dll: VSSAPI.DLL
    void: true
    params:
      - {name: pProp, dir: in, type: VSS_SNAPSHOT_PROP, by: pointer}
interfaces:
  - name: IVssWriterComponents
    base: none
    header: vsbackup.h
    methods:
      - name: GetComponentCount
        slot: 0
        params:
          - {name: pcComponents, dir: out, type: UINT}
  - name: IVssBackupComponents
    iid: 665c1d5f-c218-414d-a05d-7fef5f9d5c86
    base: IUnknown
    reserved_slots: [5, 6]
    methods:
      - name: DoSnapshotSet
        slot: 3
        params:
          - {name: ppAsync, dir: out, type: IVssAsync}
        returns:
          - {code: S_OK, meaning: Started.}
          - {code: VSS_E_PROVIDER_VETO, meaning: The provider refused., via: async}
      - name: GetSnapshotProperties
        slot: 4
        params:
          - {name: SnapshotId, dir: in, type: VSS_ID}
          - {name: pIds, dir: in, type: VSS_ID, by: pointer}
          - {name: eType, dir: in, type: VSS_BACKUP_TYPE, by: value}
          - {name: pProp, dir: out, type: VSS_SNAPSHOT_PROP}
          - {name: pObj, dir: out, type: VSS_OBJECT_UNION, by: pointer}
  - name: IVssAsync
    iid: 507c37b4-cf5b-4e95-b0af-14eb9767467e
    base: IUnknown
    header: vss.h
    doc: Tracks an asynchronous operation.
    methods:
      - name: Cancel
        slot: 3
        doc: Cancels.
        notes:
          - {on: [vista], text: Only on old systems.}
        returns:
          - {code: S_OK, meaning: Cancelled.}
          - code: VSS_E_UNEXPECTED
            meaning: Unexpected.
            notes:
              - {before: win7, returns_instead: E_UNEXPECTED, text: Older systems return E_UNEXPECTED.}
      - name: QueryStatus
        slot: 4
        params:
          - {name: pHrResult, dir: out, type: HRESULT, doc: The status.}
          - {name: pReserved, dir: out, type: INT, reserved: true}
        status_codes:
          - {code: VSS_S_ASYNC_FINISHED, meaning: Finished.}
      - name: Wait
        slot: 5
        params:
          - {name: dwMilliseconds, dir: in, type: DWORD}
`

// TestSchemaMatchesLoader checks that the schema knows exactly the keys the
// loader knows, object by object, and the parameter types the model knows,
// and that every key has a description for the editor to show.
func TestSchemaMatchesLoader(t *testing.T) {
	var doc map[string]any
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	defs, _ := doc["definitions"].(map[string]any)
	resolve := func(s map[string]any) map[string]any {
		for {
			ref, ok := s["$ref"].(string)
			if !ok {
				return s
			}
			s, _ = defs[strings.TrimPrefix(ref, "#/definitions/")].(map[string]any)
		}
	}
	// keysOnlyInLoader are keys a schema object leaves out on purpose.
	keysOnlyInLoader := map[string]string{
		"note.returns_instead": "only the notes of return codes name a code that arrives instead",
		"statusCode.via":       "a status code arrives through the HRESULT out-parameter, never as the final status of an IVssAsync",
	}
	checked := 0
	var walk func(where string, s map[string]any, typ reflect.Type)
	walk = func(where string, s map[string]any, typ reflect.Type) {
		checked++
		if s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties must be false, so that editors flag unknown keys as vssgen does", where)
		}
		props, _ := s["properties"].(map[string]any)
		loaderKeys := map[string]reflect.Type{}
		for i := 0; i < typ.NumField(); i++ {
			if key := typ.Field(i).Tag.Get("yaml"); key != "" {
				loaderKeys[key] = typ.Field(i).Type
			}
		}
		for key := range props {
			if _, ok := loaderKeys[key]; !ok {
				t.Errorf("%s: the schema knows key %q, which the loader (load.%s) does not", where, key, typ.Name())
			}
		}
		for key, ft := range loaderKeys {
			prop, ok := props[key].(map[string]any)
			if !ok {
				if _, onPurpose := keysOnlyInLoader[where+"."+key]; !onPurpose {
					t.Errorf("%s: the loader (load.%s) knows key %q, which the schema does not", where, typ.Name(), key)
				}
				continue
			}
			if d, _ := prop["description"].(string); d == "" {
				t.Errorf("%s.%s has no description", where, key)
			}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && !slices.Contains([]string{"Str", "Int", "Bool"}, ft.Elem().Name()) {
				items, _ := prop["items"].(map[string]any)
				ref, _ := items["$ref"].(string)
				name := strings.TrimPrefix(ref, "#/definitions/")
				walk(name, resolve(items), ft.Elem())
			}
		}
	}
	walk("spec", doc, reflect.TypeOf(load.Spec{}))
	if checked < 13 {
		t.Errorf("only %d schema objects were compared with the loader", checked)
	}

	// Types are open-ended (the spec's enums, structs and interfaces are
	// types too), so the schema lists the built-in ones for the editor to
	// offer, and refuses them where only a struct will do; both lists must
	// be the model's.
	builtin := model.BuiltinTypeNames()
	for _, where := range []struct{ def, key string }{{"typeName", "examples"}, {"builtinType", "enum"}} {
		list, _ := defs[where.def].(map[string]any)[where.key].([]any)
		var names []string
		for _, v := range list {
			names = append(names, v.(string))
		}
		sort.Strings(names)
		if !slices.Equal(names, builtin) {
			t.Errorf("definitions.%s.%s lists %v, the model's built-in types are %v", where.def, where.key, names, builtin)
		}
	}
	for _, where := range []string{"param", "field"} {
		typ := resolve(defs[where].(map[string]any))["properties"].(map[string]any)["type"].(map[string]any)
		if typ["$ref"] != "#/definitions/typeName" {
			t.Errorf("%s.type must refer to #/definitions/typeName, the one list of built-in types", where)
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s is not JSON: %v", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("%s is not a valid JSON Schema: %v", schemaPath, err)
	}
	return s
}

func schemaDirAbs(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Dir(schemaPath))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// isSpec reports whether YAML data looks like a vssgen spec: a mapping with
// a key of the format at its top level. Other YAML (CI configuration, say)
// is not a spec.
func isSpec(data []byte) bool {
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return false
	}
	for _, k := range []string{"package", "os_versions", "hresults", "enums", "structs", "interfaces", "functions"} {
		if _, ok := top[k]; ok {
			return true
		}
	}
	return false
}

func buildSpec(name string, data []byte) (*model.Spec, error) {
	raw, err := load.Bytes(name, data)
	if err != nil {
		return nil, err
	}
	return model.Build(raw, name, name)
}

// notJSONError says that a spec could not be turned into a JSON document
// for the schema: it is not YAML, or holds values JSON has no form for.
type notJSONError struct{ err error }

func (e *notJSONError) Error() string { return "no JSON document to validate: " + e.err.Error() }

// validateYAML decodes a spec as an editor's YAML language server would,
// turns it into JSON values and validates them against the schema.
func validateYAML(schema *jsonschema.Schema, data []byte) error {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return &notJSONError{err}
	}
	if doc == nil {
		return &notJSONError{errors.New("the file holds no YAML document")}
	}
	v, err := jsonValue(doc)
	if err != nil {
		return &notJSONError{err}
	}
	return schema.Validate(v)
}

// jsonValue converts what yaml.v3 decodes into interface{} to the values
// encoding/json would produce, with numbers as json.Number so that no
// integer loses precision.
func jsonValue(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, string:
		return v, nil
	case int:
		return json.Number(strconv.Itoa(v)), nil
	case int64:
		return json.Number(strconv.FormatInt(v, 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(v, 10)), nil
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, fmt.Errorf("JSON has no number %v", v)
		}
		return json.Number(strconv.FormatFloat(v, 'g', -1, 64)), nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			var err error
			if out[i], err = jsonValue(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			var err error
			if out[k], err = jsonValue(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("JSON has no form for the YAML value %v (%T)", v, v)
}
