package emit

// The tests of OS-version notes and of the version the stubs detect.

import (
	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

type osNote struct {
	m   *model.Method
	sub model.Substitution
}

func (c comTests) osNotes() []osNote {
	var out []osNote
	for _, m := range c.stubbed {
		for _, sub := range m.Substitutions() {
			if sub.Observed.Failed() { // a success code never becomes an error
				out = append(out, osNote{m, sub})
			}
		}
	}
	return out
}

func noteFields(n *model.Note) (before, on Code) {
	before = Id("OSVersion").Values()
	if n.Before != nil {
		before = osLit(n.Before)
	}
	on = Nil()
	if len(n.On) > 0 {
		on = Index().Id("OSVersion").ValuesFunc(func(v *Group) {
			for _, o := range n.On {
				v.Add(osLit(o))
			}
		})
	}
	return before, on
}

func (c comTests) testOSNotes(f *File) {
	f.Comment("// _osNoteCases are the OS-version notes that make a method return one code")
	f.Comment("// where its documentation names another, with the systems each note is about")
	f.Comment("// written out as data.")
	f.Var().Id("_osNoteCases").Op("=").Index().Struct(
		Id("m").Id("Method"),
		List(Id("observed"), Id("documented")).Id("HRESULT"),
		Id("before").Id("OSVersion").Comment("// the note is about systems older than this, or"),
		Id("on").Index().Id("OSVersion").Comment("// about these (any build)"),
	).ValuesFunc(func(g *Group) {
		for _, n := range c.osNotes() {
			before, on := noteFields(n.sub.Note)
			g.Line().Values(Id(n.m.ID()), Id(n.sub.Observed.Name), Id(n.sub.Documented.Name), before, on)
		}
		g.Line()
	})
	f.Comment("// _noteApplies reports whether a note about systems older than before, or")
	f.Comment("// about those in on, is about the system v.")
	f.Func().Id("_noteApplies").Params(List(Id("v"), Id("before")).Id("OSVersion"), Id("on").Index().Id("OSVersion")).Bool().Block(
		If(Id("v").Op("==").Parens(Id("OSVersion").Values())).Block(Return(False())),
		If(Id("v").Dot("Major").Op("<").Id("before").Dot("Major").Op("||").Id("v").Dot("Major").Op("==").Id("before").Dot("Major").Op("&&").Id("v").Dot("Minor").Op("<").Id("before").Dot("Minor")).Block(
			Return(True()),
		),
		For(List(Id("_"), Id("o")).Op(":=").Range().Id("on")).Block(
			If(Id("o").Dot("Major").Op("==").Id("v").Dot("Major").Op("&&").Id("o").Dot("Minor").Op("==").Id("v").Dot("Minor")).Block(Return(True())),
		),
		Return(False()),
	)

	tc := func(field string) *Statement { return Id("tc").Dot(field) }
	f.Comment("// TestStubOSNotes has each stub fail with the code an OS-version note is")
	f.Comment("// about. On the systems the note names the error must match the documented")
	f.Comment("// code too, elsewhere only the code returned; the version is the one the")
	f.Comment("// stubs detect. Each outcome is logged for harnesses to check.")
	f.Func().Id("TestStubOSNotes").Params(tPtr()).Block(
		Id("_fakeFrees").Call(Id("t")),
		Id("current").Op(":=").Id("CurrentOSVersion").Call(),
		For(List(Id("_"), Id("tc")).Op(":=").Range().Id("_osNoteCases")).Block(
			Id("applies").Op(":=").Id("_noteApplies").Call(Id("current"), tc("before"), tc("on")),
			Id("st").Op(":=").Id("_stubs").Index(tc("m")),
			Id("obj").Op(":=").Id("_newFake").Call(Id("st").Dot("iface")),
			Id("obj").Dot("result").Op("=").Add(tc("observed")),
			Var().Id("err").Error(),
			Id("_fakeStack").Call(Func().Params().Block(Id("err").Op("=").Id("st").Dot("call").Call(Id("obj"), Id("st").Dot("params")).Dot("err"))),
			Id("matches").Op(":=").Qual("errors", "Is").Call(Id("err"), tc("documented")),
			Id("t").Dot("Logf").Call(Lit("%s returned %s on Windows %s: errors.Is(err, %s) = %t"),
				tc("m"), tc("observed").Dot("String").Call(), Id("current"), tc("documented").Dot("String").Call(), Id("matches")),
			If(Id("matches").Op("!=").Id("applies")).Block(
				errorf("%s returned %s on Windows %s: errors.Is(err, %s) = %t, want %t",
					tc("m"), tc("observed").Dot("String").Call(), Id("current"), tc("documented").Dot("String").Call(), Id("matches"), Id("applies")),
			),
			If(Op("!").Qual("errors", "Is").Call(Id("err"), tc("observed"))).Block(
				errorf("%s returned %s: errors.Is(%v, %s) = false",
					tc("m"), tc("observed").Dot("String").Call(), Id("err"), tc("observed").Dot("String").Call()),
			),
		),
	)
}

func (c comTests) testCurrentOS(f *File) {
	f.Comment("// TestCurrentOSVersion checks the version that stubs put into their errors.")
	f.Comment("// A harness that decides which version Windows reports (Wine can) names it")
	f.Comment("// in VSSGEN_EXPECT_OS_VERSION as major.minor.build.")
	f.Func().Id("TestCurrentOSVersion").Params(tPtr()).Block(
		Id("got").Op(":=").Id("CurrentOSVersion").Call(),
		If(Id("got").Dot("Major").Op("==").Lit(0)).Block(
			fatalf("CurrentOSVersion() = %s, want a known version", Id("got")),
		),
		Id("want").Op(":=").Qual("os", "Getenv").Call(Lit("VSSGEN_EXPECT_OS_VERSION")),
		If(Id("want").Op("==").Lit("")).Block(
			Id("t").Dot("Logf").Call(Lit("running on Windows %s; set VSSGEN_EXPECT_OS_VERSION to check it"), Id("got")),
			Return(),
		),
		If(Id("got").Dot("String").Call().Op("!=").Id("want")).Block(
			fatalf("CurrentOSVersion() = %s, want %s", Id("got"), Id("want")),
		),
	)
}
