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

	f.Comment("// ErrWOW64 is returned by the DLL entry points in a 32-bit process on")
	f.Comment("// 64-bit Windows: the Volume Shadow Copy Service does not support WOW64,")
	f.Comment("// so such a process must not create backup components at all.")
	f.Var().Id("ErrWOW64").Op("=").Qual("errors", "New").Call(Lit("the Volume Shadow Copy Service does not support 32-bit processes on 64-bit Windows (WOW64); build the program for the machine's architecture"))

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

	f.Comment("// _procFakes maps a procedure to the address of a fake that the package's own")
	f.Comment("// tests call in its place, so that they can pass arguments to a function")
	f.Comment("// without acting on the system; it stays empty in every program.")
	f.Var().Id("_procFakes").Map(Op("*").Qual(winPkg, "LazyProc")).Uintptr()
	f.Comment("// _procAddr is the address a stub calls for the procedure p.")
	f.Func().Id("_procAddr").Params(Id("p").Op("*").Qual(winPkg, "LazyProc")).Uintptr().Block(
		If(List(Id("a"), Id("ok")).Op(":=").Id("_procFakes").Index(Id("p")), Id("ok")).Block(Return(Id("a"))),
		Return(Id("p").Dot("Addr").Call()),
	)
	f.Comment("// _loadProc refuses WOW64 and loads the procedure p of the function m, with")
	f.Comment("// an error that names the DLL and the procedure when either is missing: the")
	f.Comment("// error of a system DLL that does not load names neither.")
	f.Func().Id("_loadProc").Params(Id("m").Id("Method"), Id("p").Op("*").Qual(winPkg, "LazyProc")).Error().Block(
		If(Id("_isWOW64").Call()).Block(Return(Id("ErrWOW64"))),
		If(List(Id("_"), Id("ok")).Op(":=").Id("_procFakes").Index(Id("p")), Id("ok")).Block(Return(Nil())),
		If(Err().Op(":=").Id("p").Dot("Find").Call(), Err().Op("!=").Nil()).Block(
			Return(Qual("fmt", "Errorf").Call(Lit("%s is not available: %w"), Id("m"), Err())),
		),
		Return(Nil()),
	)

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
