package emit

import (
	"fmt"
	"slices"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Examples emits the package's Example functions, which go doc and
// pkg.go.dev show beside what they use and go test compiles:
//   - example_test.go, for every platform: ExampleHRESULT decodes a code
//     from a log and ExampleNewError shows errors.Is across an OS-version
//     note. Both have their output, which go test checks, on Linux as under
//     Wine;
//   - example_windows_test.go: ExampleIVssAsync_WaitContext and
//     Example_shadowCopy, the requester's sequence. They call a real VSS
//     service, so they have no output: go test and go vet only compile them.
//
// Each example is emitted only when the spec has what it uses. The code is
// vssgen's own; the spec contributes identifiers, values and versions.
func Examples(s *model.Spec, cfg Config) ([]Output, error) {
	var outs []Output
	portable := newGoFile(s, cfg, "")
	n := 0
	if h := logCode(s); h != nil {
		exampleHRESULT(portable, h)
		n++
	}
	if ex := osNoteExample(s); ex != nil {
		exampleNewError(portable, ex)
		n++
	}
	if n > 0 {
		file, err := render("example_test.go", portable)
		if err != nil {
			return nil, err
		}
		outs = append(outs, file)
	}

	windows := newGoFile(s, cfg, "windows")
	n = 0
	if m := waitable(s); m != nil && hasAsync(s) {
		exampleWaitContext(windows, m)
		n++
	}
	if r := findRequester(s); r.complete {
		exampleShadowCopy(windows, r)
		n++
	}
	if n > 0 {
		file, err := render("example_windows_test.go", windows)
		if err != nil {
			return nil, err
		}
		outs = append(outs, file)
	}
	return outs, nil
}

// logCode is the code the HRESULT example decodes: the one issue reports
// quote most (VSS_E_UNEXPECTED_PROVIDER_ERROR) when the spec has it, else
// its first failure code of a facility other than FACILITY_NULL, else its
// first failure code. Alias names are skipped: String gives the first name.
func logCode(s *model.Spec) *model.HRESULT {
	var first, firstFacility *model.HRESULT
	for _, h := range s.HRESULTs {
		if h.AliasOf != nil || !h.Failed() {
			continue
		}
		if h.Name == "VSS_E_UNEXPECTED_PROVIDER_ERROR" {
			return h
		}
		if first == nil {
			first = h
		}
		if firstFacility == nil && h.Facility() != 0 {
			firstFacility = h
		}
	}
	if firstFacility != nil {
		return firstFacility
	}
	return first
}

func exampleHRESULT(f *File, h *model.HRESULT) {
	commentPara(f, fmt.Sprintf("A log shows a code as a number, such as %#x. HRESULT of it gives the SDK's name and what the code means.", h.Value))
	f.Func().Id("ExampleHRESULT").Params().Block(
		Id("code").Op(":=").Id("HRESULT").Call(Id(hexLit(h.Value))),
		Qual("fmt", "Println").Call(Id("code").Dot("String").Call()),
		Qual("fmt", "Println").Call(Id("code").Dot("Error").Call()),
		Qual("fmt", "Printf").Call(Lit("%#x failed=%t facility=%d code=%#x\n"), Id("code"), Id("code").Dot("Failed").Call(), Id("code").Dot("Facility").Call(), Id("code").Dot("Code").Call()),
		Comment("// Output:"),
		Comment("// "+h.Name),
		Comment("// "+h.ErrorText()),
		Comment(fmt.Sprintf("// %#x failed=%t facility=%d code=%#x", h.Value, h.Failed(), h.Facility(), h.Code())),
	)
}

// noteExample is a method with an OS-version note that substitutes a code,
// and two versions of the spec's table: one where the note applies and one
// where it does not.
type noteExample struct {
	method         *model.Method
	sub            model.Substitution
	applies, newer *model.OSVersion
	appliesMatched bool // errors.Is(error on applies, documented), as the model computes it
	newerMatched   bool
}

// osNoteExample finds the first substitution of the spec (interfaces, then
// functions) for which the OS table has a version the note covers and one
// it does not.
func osNoteExample(s *model.Spec) *noteExample {
	var methods []*model.Method
	for _, it := range s.Interfaces {
		methods = append(methods, it.Methods...)
	}
	methods = append(methods, s.Functions...)
	for _, m := range methods {
		for _, sub := range m.Substitutions() {
			var applies, not *model.OSVersion
			for _, o := range s.OSVersions {
				if o.Major == 0 && o.Minor == 0 {
					continue // the zero OSVersion means unknown
				}
				if sub.Note.AppliesTo(o) {
					applies = o // the newest one the note covers
				} else if not == nil && applies != nil {
					not = o
				}
			}
			if applies == nil || not == nil {
				continue
			}
			ex := &noteExample{method: m, sub: sub, applies: applies, newer: not}
			ex.appliesMatched = m.Documented(sub.Observed, applies) == sub.Documented
			ex.newerMatched = m.Documented(sub.Observed, not) == sub.Documented
			if ex.appliesMatched != ex.newerMatched {
				return ex
			}
		}
	}
	return nil
}

func osVersionLit(o *model.OSVersion) Code {
	return Id("OSVersion").Values(Id("Major").Op(":").Lit(int(o.Major)), Id("Minor").Op(":").Lit(int(o.Minor)))
}

func exampleNewError(f *File, ex *noteExample) {
	m, obs, doc := ex.method, ex.sub.Observed.Name, ex.sub.Documented.Name
	commentPara(f, fmt.Sprintf("The documentation of %s names %s, with an OS-version note: Windows %s returns %s in its place, Windows %s does not. The *Error of a failed call knows the version it ran on, so errors.Is matches the documented code exactly where the note applies. NewError builds that *Error for any method, code and version, as the stubs do.",
		m.FullName(), doc, ex.applies.Version(), obs, ex.newer.Version()))
	f.Func().Id("ExampleNewError").Params().Block(
		Id("older").Op(":=").Id("NewError").Call(Id(m.ID()), Id(obs), osVersionLit(ex.applies)),
		Id("newer").Op(":=").Id("NewError").Call(Id(m.ID()), Id(obs), osVersionLit(ex.newer)),
		Qual("fmt", "Println").Call(Lit(ex.applies.Version()+":"), Qual("errors", "Is").Call(Id("older"), Id(doc))),
		Qual("fmt", "Println").Call(Lit(ex.newer.Version()+":"), Qual("errors", "Is").Call(Id("newer"), Id(doc))),
		Qual("fmt", "Println").Call(Lit(ex.newer.Version()+":"), Qual("errors", "Is").Call(Id("newer"), Id(obs))),
		Comment("// Output:"),
		Comment(fmt.Sprintf("// %s: %t", ex.applies.Version(), ex.appliesMatched)),
		Comment(fmt.Sprintf("// %s: %t", ex.newer.Version(), ex.newerMatched)),
		Comment(fmt.Sprintf("// %s: true", ex.newer.Version())),
	)
}

func exampleWaitContext(f *File, m *model.Method) {
	it := m.Interface.Name
	commentPara(f, fmt.Sprintf("%s hands back an %s, through which the operation it starts reports how it ended. WaitContext polls it until then, or until the context is done, when it cancels the operation. A failure the operation reports comes back as an *Error of %s, as from a failed call.",
		m.FullName(), asyncInterface, m.FullName()))
	f.Func().Id("Example"+asyncInterface+"_WaitContext").Params().Block(
		Id("wait").Op(":=").Func().Params(Id("ctx").Qual("context", "Context"), Id("obj").Op("*").Id(it)).Error().Block(
			List(Id("async"), Err()).Op(":=").Id("obj").Dot(m.GoMethodName()).Call(),
			If(Err().Op("!=").Nil()).Block(Return(Err())),
			Defer().Id("async").Dot("Release").Call(),
			Comment("// Ten minutes at most; then WaitContext cancels the operation and"),
			Comment("// returns the context's error."),
			List(Id("ctx"), Id("cancel")).Op(":=").Qual("context", "WithTimeout").Call(Id("ctx"), Lit(10).Op("*").Qual("time", "Minute")),
			Defer().Id("cancel").Call(),
			Return(Id("async").Dot("WaitContext").Call(Id("ctx"), Id(m.ID()))),
		),
		Line(),
		Var().Id("obj").Op("*").Id(it).Comment("// an object ready for "+m.Name),
		Err().Op(":=").Id("wait").Call(Qual("context", "Background").Call(), Id("obj")),
		Switch().Block(
			Case(Qual("errors", "Is").Call(Err(), Qual("context", "DeadlineExceeded"))).Block(
				Qual("log", "Print").Call(Lit(m.Name+" did not end within ten minutes and was cancelled")),
			),
			Case(Err().Op("!=").Nil()).Block(
				Qual("log", "Print").Call(Err()),
			),
		),
	)
}

// exampleShadowCopy writes the requester's sequence. findRequester has
// checked that every call has the shape written here.
func exampleShadowCopy(f *File, r requester) {
	backup := func(method string) *Statement { return Id("backup").Dot(method) }
	check := func(step string, call Code) Code {
		return If(Err().Op(":=").Add(call), Err().Op("!=").Nil()).Block(
			Return(Lit(""), Qual("fmt", "Errorf").Call(Lit(step+": %w"), Err())),
		)
	}
	wait := func(step, method string) Code {
		return If(Err().Op(":=").Id("wait").Call(Lit(step), Id(backupInterface+"_"+method), backup(method)), Err().Op("!=").Nil()).Block(
			Return(Lit(""), Err()),
		)
	}
	text := "A requester takes a shadow copy of one volume and reads the path of the copy's device, through which the volume's files can be read as they were. It needs an elevated prompt: without one " + r.create.Name +
		" fails with E_ACCESSDENIED. The copy is temporary (" + contextBackup + "): VSS deletes it when the backup components are released. A requester also calls CoInitializeSecurity once, after CoInitializeEx, as Microsoft's samples do."
	if slices.ContainsFunc(r.backup.AllMethods(), func(m *model.Method) bool { return m.Name == "AbortBackup" }) {
		text += " When a step after StartSnapshotSet fails, it calls AbortBackup."
	}
	commentPara(f, text)
	f.Func().Id("Example_shadowCopy").Params().Block(
		Id("shadowCopy").Op(":=").Func().Params(Id("ctx").Qual("context", "Context"), Id("volume").String()).Params(String(), Error()).Block(
			Comment("// COM belongs to the thread: stay on it until CoUninitialize."),
			Qual("runtime", "LockOSThread").Call(),
			Defer().Qual("runtime", "UnlockOSThread").Call(),
			Comment("// S_FALSE comes back as an error: COM was initialised on this thread"),
			Comment("// already, which is fine and still takes its CoUninitialize."),
			If(Err().Op(":=").Qual(winPkg, "CoInitializeEx").Call(Lit(0), Qual(winPkg, "COINIT_MULTITHREADED")),
				Err().Op("!=").Nil().Op("&&").Err().Op("!=").Qual("syscall", "Errno").Call(Lit(1))).Block(
				Return(Lit(""), Err()),
			),
			Defer().Qual(winPkg, "CoUninitialize").Call(),
			Line(),
			List(Id("backup"), Err()).Op(":=").Id(r.create.Name).Call(),
			If(Err().Op("!=").Nil()).Block(Return(Lit(""), Err())),
			Defer().Id("backup").Dot("Release").Call(),
			Comment("// wait runs one step that finishes in the background."),
			Id("wait").Op(":=").Func().Params(Id("step").String(), Id("op").Id("Method"), Id("start").Func().Params().Params(Op("*").Id(asyncInterface), Error())).Error().Block(
				List(Id("async"), Err()).Op(":=").Id("start").Call(),
				If(Err().Op("!=").Nil()).Block(Return(Qual("fmt", "Errorf").Call(Lit("%s: %w"), Id("step"), Err()))),
				Defer().Id("async").Dot("Release").Call(),
				List(Id("ctx"), Id("cancel")).Op(":=").Qual("context", "WithTimeout").Call(Id("ctx"), Lit(10).Op("*").Qual("time", "Minute")),
				Defer().Id("cancel").Call(),
				If(Err().Op(":=").Id("async").Dot("WaitContext").Call(Id("ctx"), Id("op")), Err().Op("!=").Nil()).Block(
					Return(Qual("fmt", "Errorf").Call(Lit("%s: %w"), Id("step"), Err())),
				),
				Return(Nil()),
			),
			Line(),
			Comment("// \"\" passes no document: a backup that imports no shadow copies."),
			check("initialising for backup", backup("InitializeForBackup").Call(Lit(""))),
			check("setting the context", backup("SetContext").Call(Id(contextBackup))),
			wait("gathering writer metadata", "GatherWriterMetadata"),
			List(Id("setID"), Err()).Op(":=").Add(backup("StartSnapshotSet").Call()),
			If(Err().Op("!=").Nil()).Block(Return(Lit(""), Err())),
			Comment("// A zero provider ID lets VSS choose the provider."),
			List(Id("snapshotID"), Err()).Op(":=").Add(backup("AddToSnapshotSet").Call(Id("volume"), Qual(winPkg, "GUID").Values())),
			If(Err().Op("!=").Nil()).Block(Return(Lit(""), Qual("fmt", "Errorf").Call(Lit("adding %s to shadow copy set %v: %w"), Id("volume"), Id("setID"), Err()))),
			Comment("// Not component mode, no bootable system state, and a copy backup,"),
			Comment("// which leaves the writers' backup history alone."),
			check("setting the backup state", backup("SetBackupState").Call(False(), False(), Id(backupTypeCopy), False())),
			wait("preparing for backup", "PrepareForBackup"),
			wait("taking the shadow copy", "DoSnapshotSet"),
			List(Id("props"), Err()).Op(":=").Add(backup("GetSnapshotProperties").Call(Id("snapshotID"))),
			If(Err().Op("!=").Nil()).Block(Return(Lit(""), Err())),
			wait("completing the backup", "BackupComplete"),
			Return(Id("props").Dot(deviceField), Nil()),
		),
		Line(),
		List(Id("device"), Err()).Op(":=").Id("shadowCopy").Call(Qual("context", "Background").Call(), Lit(`C:\`)),
		If(Err().Op("!=").Nil()).Block(Qual("log", "Fatal").Call(Err())),
		Qual("fmt", "Println").Call(Id("device")),
	)
}

// commentPara adds vssgen's own prose, wrapped, as comment lines.
func commentPara(f *File, text string) {
	for _, c := range docComment(text) {
		f.Add(c)
	}
}
