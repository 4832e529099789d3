package emit

import (
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

const winPkg = "golang.org/x/sys/windows"

// callShape is everything a stub needs to pass its parameters: the Go
// parameters and results of its signature, statements before the call
// (string conversions), the argument words after the this pointer,
// statements after the call (copying and freeing out-values), and the
// results to return.
type callShape struct {
	params, results []Code
	pre             []Code
	args            []Code
	post            []Code
	returned        []Code
	// needsArch says the argument words depend on the architecture.
	needsArch bool
}

// shapeOf derives the call shape of m for arch (empty arch: any, valid only
// when no parameter needs per-architecture words).
func shapeOf(m *model.Method, arch model.Arch) callShape {
	var c callShape
	words := 0
	if m.Interface != nil {
		words = 1 // the this pointer
	}
	for _, p := range m.Params {
		c.param(p, arch, &words)
	}
	if m.Result != nil {
		// What the method returns in place of an HRESULT, as it is.
		c.addResult("ret", goType(m.Result))
		c.needsArch = c.needsArch || m.Result.Is64()
	}
	if len(m.SuccessCodes()) > 0 {
		c.results = append(c.results, Id("hr").Id("HRESULT"))
		c.returned = append(c.returned, Id("hr"))
	}
	if m.ReturnsHRESULT() || m.Interface == nil {
		// A DLL function that returns no HRESULT still fails when its DLL
		// or procedure cannot be loaded.
		c.results = append(c.results, Err().Error())
		c.returned = append(c.returned, Err())
	}
	return c
}

// resultValue converts what the call returned into the Go value of a
// result of type t: r is the return register (EAX, RAX, x0); r2 is EDX on
// 386, which holds the high half of a 64-bit result there, and "" where one
// register holds the whole result.
func resultValue(t *model.Type, r, r2 string) Code {
	switch t.Kind {
	case model.Boolean:
		// Only the C type's own bytes: the rest of the register is undefined.
		return Id(t.Go).Call(Id(r)).Op("!=").Lit(0)
	case model.RawPointer, model.InterfaceKind:
		// Reading the word's bits as a pointer, rather than converting
		// uintptr to unsafe.Pointer, keeps go vet's pointer check meaningful.
		return Op("*").Parens(Op("*").Add(goType(t))).Call(Qual("unsafe", "Pointer").Call(Op("&").Id(r)))
	}
	if r2 != "" {
		v := Uint64().Call(Id(r)).Op("|").Uint64().Call(Id(r2)).Op("<<").Lit(32)
		if t.Go == "uint64" {
			return v
		}
		return goType(t).(*Statement).Clone().Call(v)
	}
	return goType(t).(*Statement).Clone().Call(Id(r))
}

// goType is the Go type of a parameter's value in a signature.
func goType(t *model.Type) Code {
	switch t.Kind {
	case model.Boolean:
		return Bool()
	case model.WString, model.BSTRKind:
		return String()
	case model.GUIDKind:
		return Qual(winPkg, "GUID")
	case model.GUIDRef:
		return Op("*").Qual(winPkg, "GUID")
	case model.Filetime:
		return Qual(winPkg, "Filetime")
	case model.RawPointer:
		return Qual("unsafe", "Pointer")
	case model.InterfaceKind:
		return Op("*").Id(t.Interface.Name)
	case model.StructKind:
		return Id(t.Struct.Name)
	}
	return Id(t.Go)
}

// rawType is the Go type of the C-layout representation (struct fields).
func rawType(t *model.Type) Code {
	switch t.Kind {
	case model.Boolean, model.Integer:
		return Id(t.Go)
	case model.WString, model.BSTRKind:
		return Op("*").Uint16()
	}
	return goType(t)
}

func (c *callShape) addResult(name string, typ Code) {
	c.results = append(c.results, Id(name).Add(typ))
	c.returned = append(c.returned, Id(name))
}

func ptrArg(x Code) Code { return Uintptr().Call(Qual("unsafe", "Pointer").Call(x)) }

func (c *callShape) param(p *model.Param, arch model.Arch, words *int) {
	name, local := p.Name, "_"+p.Name
	t := p.Type
	if p.Reserved {
		if byValueStruct(p) {
			// A reserved GUID or FILETIME still takes a struct's argument
			// words, all zero: a lone 0 would be a NULL pointer on amd64 and
			// would shift every later argument on 386.
			c.pre = append(c.pre, Var().Id(local).Add(goType(t)))
			c.needsArch = true
			c.byValue(local, t, arch, words)
			return
		}
		if byValue64(p) && arch == model.I386 {
			// A reserved 64-bit integer still takes two stack words on 386.
			c.needsArch = true
			c.args = append(c.args, Lit(0), Lit(0))
			*words += 2
			return
		}
		if byValue64(p) {
			c.needsArch = true
		}
		c.args = append(c.args, Lit(0))
		*words++
		return
	}
	switch {
	case p.Dir == model.In && p.ByPtr:
		typ := Op("*").Add(rawType(t))
		if t.Kind == model.GUIDKind {
			typ = Op("*").Qual(winPkg, "GUID")
		}
		c.params = append(c.params, Id(name).Add(typ))
		c.args = append(c.args, ptrArg(Id(name)))
		*words++
	case p.Dir == model.In && p.Optional && (t.Kind == model.WString || t.Kind == model.BSTRKind):
		// nil passes NULL; a string, even "", passes the string.
		c.params = append(c.params, Id(name).Op("*").String())
		c.pre = append(c.pre, Var().Id(local).Op("*").Uint16())
		conv := Qual(winPkg, "UTF16PtrFromString")
		if t.Kind == model.BSTRKind {
			conv = Id("_sysAllocString")
		}
		c.pre = append(c.pre, If(Id(name).Op("!=").Nil()).Block(
			If(List(Id(local), Err()).Op("=").Add(conv).Call(Op("*").Id(name)), Err().Op("!=").Nil()).Block(Return()),
		))
		if t.Kind == model.BSTRKind {
			c.pre = append(c.pre, Defer().Id("_sysFreeString").Call(Id(local)))
		}
		c.args = append(c.args, ptrArg(Id(local)))
		*words++
	case byValue64(p):
		c.params = append(c.params, Id(name).Add(goType(t)))
		c.needsArch = true
		c.args = append(c.args, int64Words(name, arch, words)...)
	case p.Dir == model.In:
		c.params = append(c.params, Id(name).Add(goType(t)))
		switch t.Kind {
		case model.Boolean:
			c.args = append(c.args, Id("_bool").Call(Id(name)))
		case model.WString:
			c.pre = append(c.pre,
				List(Id(local), Err()).Op(":=").Qual(winPkg, "UTF16PtrFromString").Call(Id(name)),
				If(Err().Op("!=").Nil()).Block(Return()),
			)
			c.args = append(c.args, ptrArg(Id(local)))
		case model.BSTRKind:
			c.pre = append(c.pre,
				List(Id(local), Err()).Op(":=").Id("_sysAllocString").Call(Id(name)),
				If(Err().Op("!=").Nil()).Block(Return()),
				Defer().Id("_sysFreeString").Call(Id(local)),
			)
			c.args = append(c.args, ptrArg(Id(local)))
		case model.RawPointer:
			c.args = append(c.args, Uintptr().Call(Id(name)))
		case model.InterfaceKind, model.GUIDRef:
			c.args = append(c.args, ptrArg(Id(name)))
		case model.GUIDKind, model.Filetime:
			c.needsArch = true
			c.byValue(name, t, arch, words)
			return
		default:
			c.args = append(c.args, Uintptr().Call(Id(name)))
		}
		*words++
	case p.ByPtr: // out, a pointer to a struct the callee owns
		c.addResult(name, Op("*").Id(t.Struct.Name))
		c.args = append(c.args, ptrArg(Op("&").Id(name)))
		*words++
	default: // out
		*words++
		switch t.Kind {
		case model.Boolean:
			c.addResult(name, Bool())
			c.pre = append(c.pre, Var().Id(local).Id(t.Go))
			c.args = append(c.args, ptrArg(Op("&").Id(local)))
			c.post = append(c.post, Id(name).Op("=").Id(local).Op("!=").Lit(0))
		case model.WString:
			c.addResult(name, String())
			c.pre = append(c.pre, Var().Id(local).Op("*").Uint16())
			c.args = append(c.args, ptrArg(Op("&").Id(local)))
			c.post = append(c.post, If(Id(local).Op("!=").Nil()).Block(
				Id(name).Op("=").Qual(winPkg, "UTF16PtrToString").Call(Id(local)),
				Qual(winPkg, "CoTaskMemFree").Call(Qual("unsafe", "Pointer").Call(Id(local))),
			))
		case model.BSTRKind:
			c.addResult(name, String())
			c.pre = append(c.pre, Var().Id(local).Op("*").Uint16())
			c.args = append(c.args, ptrArg(Op("&").Id(local)))
			c.post = append(c.post, If(Id(local).Op("!=").Nil()).Block(
				Id(name).Op("=").Id("_bstrString").Call(Id(local)),
				Id("_sysFreeString").Call(Id(local)),
			))
		case model.StructKind:
			if st := t.Struct; st.Frees() {
				// The service allocated the strings inside: copy them to Go
				// and free the original, so the caller cannot leak it.
				c.addResult(name, Id(st.GoName))
				c.pre = append(c.pre, Var().Id(local).Id(st.Name))
				c.args = append(c.args, ptrArg(Op("&").Id(local)))
				c.post = append(c.post, If(Op("!").Id("_hr").Dot("Failed").Call()).Block(
					Id(name).Op("=").Id(local).Dot("goCopy").Call(),
					Id("_").Op("=").Id(freeVar(st)).Call(Op("&").Id(local)),
				))
				return
			}
			c.addResult(name, Id(t.Struct.Name))
			c.args = append(c.args, ptrArg(Op("&").Id(name)))
		default:
			c.addResult(name, goType(t))
			c.args = append(c.args, ptrArg(Op("&").Id(name)))
		}
	}
}

// byValueStruct reports whether p is a GUID or FILETIME passed by value,
// reserved or not: its argument words depend on the architecture.
func byValueStruct(p *model.Param) bool {
	return p.Dir == model.In && !p.ByPtr && (p.Type.Kind == model.GUIDKind || p.Type.Kind == model.Filetime)
}

// byValue64 reports whether p is a 64-bit integer (LONGLONG, ULONGLONG)
// passed by value, reserved or not: its argument words depend on the
// architecture.
func byValue64(p *model.Param) bool {
	return p.Dir == model.In && !p.ByPtr && p.Type.Is64()
}

// int64Words passes the 64-bit integer v by value:
//   - amd64 and arm64: one 8-byte word, a register or a stack slot, like
//     any integer;
//   - 386 (stdcall): two 4-byte stack words, the low one first (at the lower
//     address), with no padding before them.
func int64Words(v string, arch model.Arch, words *int) []Code {
	switch arch {
	case model.AMD64, model.ARM64:
		*words++
		return []Code{Uintptr().Call(Id(v))}
	case model.I386:
		*words += 2
		return []Code{
			Uintptr().Call(Uint32().Call(Id(v))),
			Uintptr().Call(Uint64().Call(Id(v)).Op(">>").Lit(32)),
		}
	}
	panic("emit: no architecture for a 64-bit integer parameter")
}

// byValue passes the GUID or FILETIME variable v by value. On amd64 a
// struct larger than 8 bytes goes as the address of a copy that the
// convention wants 16-byte aligned, while a Go variable of it is only
// 4-byte aligned: the copy is made in a stack buffer of the stub's, at its
// first 16-byte boundary, which allocates nothing.
func (c *callShape) byValue(v string, t *model.Type, arch model.Arch, words *int) {
	if arch == model.AMD64 && t.Size(arch) > 8 {
		buf := "_" + strings.TrimPrefix(v, "_") + "Copy"
		c.pre = append(c.pre, Var().Id(buf).Id("_aligned16"))
		c.args = append(c.args, Uintptr().Call(Id(buf).Dot("guid").Call(Op("&").Id(v))))
		*words++
		return
	}
	c.args = append(c.args, byValueWords(v, t, arch, words)...)
}

// byValueWords passes the 16-byte GUID or 8-byte FILETIME variable v by value, which
// each Windows ABI does differently:
//   - amd64: a struct larger than 8 bytes goes by reference to a copy the
//     caller makes; an 8-byte one goes in one register;
//   - 386 (stdcall): the struct's bytes are pushed as 4-byte stack words;
//   - arm64: a struct up to 16 bytes goes in one or two 8-byte registers,
//     and never straddles the last register and the stack: if it does not
//     fit in x0-x7 it goes wholly on the stack.
func byValueWords(v string, t *model.Type, arch model.Arch, words *int) []Code {
	name := Id(v)
	size := t.Size(arch)
	switch arch {
	case model.AMD64:
		*words++
		if size > 8 {
			// v is the stub's own copy, so the callee cannot change the caller's value.
			return []Code{ptrArg(Op("&").Add(name))}
		}
		return []Code{Id("_word64").Call(Qual("unsafe", "Pointer").Call(Op("&").Add(name)), Lit(0))}
	case model.I386:
		var out []Code
		for i := 0; i < size/4; i++ {
			out = append(out, Id("_word32").Call(Qual("unsafe", "Pointer").Call(Op("&").Add(name)), Lit(i)))
			*words++
		}
		return out
	case model.ARM64:
		var out []Code
		n := size / 8
		if *words < 8 && *words+n > 8 {
			// The rest of the registers stay unused; the struct and every
			// later argument go to the stack.
			for ; *words < 8; *words++ {
				out = append(out, Lit(0))
			}
		}
		for i := 0; i < n; i++ {
			out = append(out, Id("_word64").Call(Qual("unsafe", "Pointer").Call(Op("&").Add(name)), Lit(i)))
			*words++
		}
		return out
	}
	panic("emit: no architecture for a by-value struct parameter")
}
