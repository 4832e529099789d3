package emit

import (
	"slices"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// emitFunctions writes the DLL entry points: one lazily loaded DLL per name,
// one procedure each, and the check every call makes first.
func emitFunctions(f *File, s *model.Spec) {
	if len(s.Functions) == 0 {
		return
	}
	var dlls []string
	for _, fn := range s.Functions {
		if !slices.Contains(dlls, fn.DLL) {
			dlls = append(dlls, fn.DLL)
		}
	}
	f.Comment("// The DLLs are loaded from the system directory on first use, never from")
	f.Comment("// the current directory.")
	f.Var().DefsFunc(func(g *Group) {
		for _, d := range dlls {
			g.Id(dllVar(d)).Op("=").Qual(winPkg, "NewLazySystemDLL").Call(Lit(d))
		}
		for _, fn := range s.Functions {
			g.Id("_proc" + fn.Name).Op("=").Id(dllVar(fn.DLL)).Dot("NewProc").Call(Lit(fn.Name))
		}
	})

	emitWOW64(f, s)

	if s.RefusesWOW64() {
		f.Comment("// _loadProc refuses WOW64 for the functions of the DLLs that do, and loads")
		f.Comment("// the procedure p of the function m, with an error that names the DLL and")
		f.Comment("// the procedure when either is missing: the error of a system DLL that")
		f.Comment("// does not load names neither.")
	} else {
		f.Comment("// _loadProc loads the procedure p of the function m, with an error that")
		f.Comment("// names the DLL and the procedure when either is missing: the error of a")
		f.Comment("// system DLL that does not load names neither.")
	}
	f.Func().Id("_loadProc").Params(Id("m").Id("Method"), Id("p").Op("*").Qual(winPkg, "LazyProc")).Error().BlockFunc(func(g *Group) {
		if s.RefusesWOW64() {
			g.If(Id("_isWOW64").Call()).Block(
				Switch(Id("m").Dot("Interface").Call()).BlockFunc(func(g *Group) {
					for _, d := range s.DLLs {
						if d.RefusesWOW64 != "" {
							g.Case(Lit(d.Name)).Block(Return(Id(wow64Var(s, d.Name))))
						}
					}
				}),
			)
		}
		g.If(Err().Op(":=").Id("p").Dot("Find").Call(), Err().Op("!=").Nil()).Block(
			Return(Qual("fmt", "Errorf").Call(Lit("%s is not available: %w"), Id("m"), Err())),
		)
		g.Return(Nil())
	})

	for _, fn := range s.Functions {
		if !needsArch(fn) {
			emitMethod(f, fn, "")
		}
	}
}

// dllVar names the variable of a DLL: vssapi.dll is _dll_vssapi. DLL names
// are validated to letters, digits, - and _, and are lower case.
func dllVar(dll string) string {
	return "_dll_" + strings.ReplaceAll(strings.TrimSuffix(dll, ".dll"), "-", "_")
}

// wow64Refusals are the distinct reasons the spec's DLLs give for refusing
// WOW64 (refuses_wow64), in the order of the DLLs.
func wow64Refusals(s *model.Spec) []string {
	var texts []string
	for _, d := range s.DLLs {
		if d.RefusesWOW64 != "" && !slices.Contains(texts, d.RefusesWOW64) {
			texts = append(texts, d.RefusesWOW64)
		}
	}
	return texts
}

// wow64Var names the error a function of dll returns under WOW64: ErrWOW64
// itself when the spec gives one reason, else one that wraps it.
func wow64Var(s *model.Spec, dll string) string {
	if len(wow64Refusals(s)) == 1 {
		return "ErrWOW64"
	}
	return "_errWOW64" + strings.TrimPrefix(dllVar(dll), "_dll")
}

// emitWOW64 writes ErrWOW64 and the check that returns it, when a DLL of
// the spec refuses 32-bit processes on 64-bit Windows (refuses_wow64); the
// spec's own words say why. A spec whose DLLs do not refuse WOW64 gets
// neither, and its functions are called in any process.
func emitWOW64(f *File, s *model.Spec) {
	texts := wow64Refusals(s)
	if len(texts) == 0 {
		return
	}
	var names []string
	for _, d := range s.DLLs {
		if d.RefusesWOW64 != "" {
			names = append(names, d.Name)
		}
	}
	const advice = "build the program for the machine's architecture"
	for _, l := range wrap("ErrWOW64 is what the functions of " + strings.Join(names, ", ") + " return in a 32-bit process on 64-bit Windows (WOW64), without calling them: the spec says that they do not support such a process.") {
		f.Comment("// " + l)
	}
	if len(texts) == 1 {
		f.Var().Id("ErrWOW64").Op("=").Qual("errors", "New").Call(Lit(texts[0] + "; " + advice))
	} else {
		f.Var().Id("ErrWOW64").Op("=").Qual("errors", "New").Call(Lit("32-bit processes on 64-bit Windows (WOW64) are not supported; " + advice))
		f.Comment("// The errors of each DLL that refuses WOW64 say why, and wrap ErrWOW64.")
		f.Var().DefsFunc(func(g *Group) {
			for _, d := range s.DLLs {
				if d.RefusesWOW64 != "" {
					g.Id(wow64Var(s, d.Name)).Op("=").Qual("fmt", "Errorf").Call(Lit("%w: "+d.RefusesWOW64), Id("ErrWOW64"))
				}
			}
		})
	}

	f.Comment("// _isWOW64 reports whether this is a 32-bit process on 64-bit Windows.")
	f.Func().Id("_isWOW64").Params().Bool().Block(
		Id("_wow64Once").Dot("Do").Call(Func().Params().Block(
			Var().Id("wow64").Bool(),
			Err().Op(":=").Qual(winPkg, "IsWow64Process").Call(Qual(winPkg, "CurrentProcess").Call(), Op("&").Id("wow64")),
			Id("_wow64").Op("=").Err().Op("==").Nil().Op("&&").Id("wow64"),
		)),
		Return(Id("_wow64")),
	)
	f.Var().Defs(
		Id("_wow64Once").Qual("sync", "Once"),
		Id("_wow64").Bool(),
	)
}
