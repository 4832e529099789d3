package emit

import (
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Query emits query_windows.go when the spec says from which Windows
// release on some interfaces exist: for each, an accessor that asks an
// object for it (backup.QueryEx3() for IVssBackupComponentsEx3) and, on a
// system too old for it, says so with an *UnavailableError. The error
// type and the helper do not vary with the spec; they are in _verbatim.
func Query(s *model.Spec, cfg Config) ([]Output, error) {
	var available []*model.Interface
	for _, it := range s.DeclaredInterfaces {
		if it.Since != nil && it.HasIID {
			available = append(available, it)
		}
	}
	if len(available) == 0 {
		return nil, nil
	}
	f := newGoFile(s, cfg, "windows")
	for _, it := range available {
		recv, name := Accessor(it)
		// The text is the spec's: it goes through docComment, whole lines only.
		for _, line := range docComment(fmt.Sprintf("%s asks v for %s, which Microsoft documents on %s (Windows %s and later). The caller releases what it returns. On an older system a refusal is an *UnavailableError that wraps the refusal.", name, it.Name, it.SinceText, it.Since.Version())) {
			f.Add(line)
		}
		f.Func().Params(Id("v").Op("*").Id(recv.Name)).Id(name).Params().Params(Op("*").Id(it.Name), Error()).Block(
			List(Id("p"), Err()).Op(":=").Id("_query").Call(
				Qual("unsafe", "Pointer").Call(Id("v")),
				Op("&").Id("IID_"+it.Name),
				Lit(it.Name),
				Lit(int(it.Since.Major)), Lit(int(it.Since.Minor)),
				Lit(it.Since.Version()),
				Lit(it.SinceText),
			),
			If(Err().Op("!=").Nil()).Block(Return(Nil(), Err())),
			Return(Parens(Op("*").Id(it.Name)).Call(Id("p")), Nil()),
		)
	}
	file, err := render("query_windows.go", f)
	if err != nil {
		return nil, err
	}

	// The test: a table of the accessors here, the logic in _verbatim.
	tf := newGoFile(s, cfg, "windows")
	tf.Comment("// _queryCases are the accessors of the interfaces whose availability the")
	tf.Comment("// spec gives: from is the interface the accessor extends, and major.minor")
	tf.Comment("// the oldest Windows version Microsoft documents the interface on.")
	tf.Var().Id("_queryCases").Op("=").Index().Struct(
		List(Id("from"), Id("iface")).String(),
		List(Id("major"), Id("minor")).Uint32(),
		Id("query").Func().Params(Qual("unsafe", "Pointer")).Params(Qual("unsafe", "Pointer"), Error()),
	).ValuesFunc(func(g *Group) {
		for _, it := range available {
			recv, name := Accessor(it)
			g.Line().Values(Dict{
				Id("from"):  Lit(recv.Name),
				Id("iface"): Lit(it.Name),
				Id("major"): Lit(int(it.Since.Major)),
				Id("minor"): Lit(int(it.Since.Minor)),
				Id("query"): Func().Params(Id("p").Qual("unsafe", "Pointer")).Params(Qual("unsafe", "Pointer"), Error()).Block(
					List(Id("q"), Err()).Op(":=").Parens(Op("*").Id(recv.Name)).Call(Id("p")).Dot(name).Call(),
					Return(Qual("unsafe", "Pointer").Call(Id("q")), Err()),
				),
			})
		}
		g.Line()
	})
	table, err := render("query_windows_test.go", tf)
	if err != nil {
		return nil, err
	}
	static, err := verbatimFiles(s, cfg, "available_windows.go", "available_windows_test.go")
	if err != nil {
		return nil, err
	}
	return append([]Output{file, table}, static...), nil
}

// Accessor is where the accessor of it goes and its name: on the oldest
// base whose name it extends, named for the rest (IVssBackupComponentsEx3
// gets IVssBackupComponents.QueryEx3), or else on IUnknown, named for the
// whole interface (QueryIFoo).
func Accessor(it *model.Interface) (recv *model.Interface, name string) {
	for x := it.Base; x != nil; x = x.Base {
		if !x.Builtin && strings.HasPrefix(it.Name, x.Name) && len(it.Name) > len(x.Name) {
			recv = x
		}
	}
	if recv == nil {
		for x := it; x != nil; x = x.Base {
			recv = x // IUnknown, the root of the chain
		}
		return recv, fmt.Sprintf("Query%s", it.Name)
	}
	return recv, "Query" + strings.TrimPrefix(it.Name, recv.Name)
}
