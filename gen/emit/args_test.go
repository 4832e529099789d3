package emit

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/load"
	"github.com/vssgen/vssgen/gen/model"
)

// abiSpec puts a GUID (16 bytes) and a FILETIME (8 bytes) by value at every
// position class of the three Windows calling conventions: first, right
// before the last register, straddling the last register and the stack,
// after the registers are used up, several in a row, reserved, and in a DLL
// function, which has no this pointer. DWORDs a1..a7 fill the positions
// before, and z follows to show where later arguments go.
const abiSpec = `package: abi
hresults:
  - {name: S_OK, value: 0x00000000, doc: Success.}
interfaces:
  - name: IAbi
    iid: 11111111-2222-3333-4444-555555555555
    base: IUnknown
    header: abi.h
    methods:
%s
functions:
%s
`

// abiParams are the spec parameters of a list such as "a1 a2 G z": aN and z
// are DWORDs, names starting with G GUIDs, with F FILETIMEs, with R
// reserved GUIDs, with L LONGLONGs, with U ULONGLONGs and with Q reserved
// LONGLONGs; with I LARGE_INTEGERs and with J ULARGE_INTEGERs, the 8-byte
// unions; with S SIZE_Ts, with T LONG_PTRs, with W WORDs, with H SHORTs and
// with E REFIIDs.
func abiParams(list string) string {
	var b strings.Builder
	for _, name := range strings.Fields(list) {
		typ, extra := "DWORD", ""
		switch name[0] {
		case 'G':
			typ = "VSS_ID"
		case 'F':
			typ = "FILETIME"
		case 'R':
			typ, extra = "VSS_ID", ", reserved: true"
		case 'L':
			typ = "LONGLONG"
		case 'U':
			typ = "ULONGLONG"
		case 'Q':
			typ, extra = "LONGLONG", ", reserved: true"
		case 'I':
			typ = "LARGE_INTEGER"
		case 'J':
			typ = "ULARGE_INTEGER"
		case 'S':
			typ = "SIZE_T"
		case 'T':
			typ = "LONG_PTR"
		case 'W':
			typ = "WORD"
		case 'H':
			typ = "SHORT"
		case 'E':
			typ = "REFIID"
		}
		fmt.Fprintf(&b, "          - {name: %s, dir: in, type: %s%s}\n", name, typ, extra)
	}
	return b.String()
}

// abiWord tells what an argument word of a stub holds, from the Go
// expression the emitter wrote for it: "a1" (an integer), "G[8:16]" (bytes
// 8 to 16 of the stub's own variable G), "&G" (the address of the stub's
// variable G, a copy of the caller's value), "p" (the pointer p),
// "_bool(b)" or "unused" (a literal zero).
func abiWord(t *testing.T, code string) string {
	t.Helper()
	e, err := parser.ParseExpr(code)
	if err != nil {
		t.Fatalf("argument word %s: %v", code, err)
	}
	bad := func() string { t.Fatalf("argument word of an unknown form: %s", code); return "" }
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.INT && e.Value == "0" {
			return "unused"
		}
	case *ast.CallExpr:
		fun, ok := e.Fun.(*ast.Ident)
		if !ok || len(e.Args) == 0 {
			return bad()
		}
		// pointer returns "&X" of unsafe.Pointer(&X) and "X" of unsafe.Pointer(X).
		pointer := func(x ast.Expr) string {
			c, ok := x.(*ast.CallExpr)
			if !ok || len(c.Args) != 1 {
				return bad()
			}
			if sel, ok := c.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Pointer" {
				return bad()
			}
			if id, ok := c.Args[0].(*ast.Ident); ok {
				return id.Name
			}
			u, ok := c.Args[0].(*ast.UnaryExpr)
			if !ok || u.Op != token.AND {
				return bad()
			}
			id, ok := u.X.(*ast.Ident)
			if !ok {
				return bad()
			}
			return "&" + id.Name
		}
		switch fun.Name {
		case "uintptr":
			if id, ok := e.Args[0].(*ast.Ident); ok {
				return id.Name
			}
			// uintptr(uint32(L)): the low 4 bytes of the integer L.
			if c, ok := e.Args[0].(*ast.CallExpr); ok && len(c.Args) == 1 {
				if f, ok := c.Fun.(*ast.Ident); ok && f.Name == "uint32" {
					if id, ok := c.Args[0].(*ast.Ident); ok {
						return id.Name + "[0:4]"
					}
				}
			}
			// uintptr(uint64(L) >> 32): the high 4 bytes of the integer L.
			if b, ok := e.Args[0].(*ast.BinaryExpr); ok && b.Op == token.SHR {
				if lit, ok := b.Y.(*ast.BasicLit); ok && lit.Value == "32" {
					if c, ok := b.X.(*ast.CallExpr); ok && len(c.Args) == 1 {
						if f, ok := c.Fun.(*ast.Ident); ok && f.Name == "uint64" {
							if id, ok := c.Args[0].(*ast.Ident); ok {
								return id.Name + "[4:8]"
							}
						}
					}
				}
			}
			// buf.guid(&G): the address of a 16-byte aligned copy of G
			// (amd64), which counts as the address of the stub's copy.
			if c, ok := e.Args[0].(*ast.CallExpr); ok {
				if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "guid" && len(c.Args) == 1 {
					if u, ok := c.Args[0].(*ast.UnaryExpr); ok && u.Op == token.AND {
						if id, ok := u.X.(*ast.Ident); ok {
							return "&" + id.Name
						}
					}
				}
			}
			return pointer(e.Args[0])
		case "_bool":
			if id, ok := e.Args[0].(*ast.Ident); ok {
				return "_bool(" + id.Name + ")"
			}
		case "_word32", "_word64":
			size := 4
			if fun.Name == "_word64" {
				size = 8
			}
			lit, ok := e.Args[1].(*ast.BasicLit)
			if !ok {
				return bad()
			}
			i, err := strconv.Atoi(lit.Value)
			if err != nil {
				return bad()
			}
			v := pointer(e.Args[0])
			if !strings.HasPrefix(v, "&") {
				return bad()
			}
			return fmt.Sprintf("%s[%d:%d]", v[1:], size*i, size*(i+1))
		}
	}
	return bad()
}

// abiPlace is where argument word i (the this pointer, if any, being word
// 0) goes under the calling convention of arch, as syscall.SyscallN passes
// its words: on amd64 rcx, rdx, r8, r9, then the stack after the 32 bytes
// of home space; on 386 the stack, first word lowest (stdcall); on arm64
// x0-x7, then the stack.
func abiPlace(arch model.Arch, i int) string {
	switch arch {
	case model.AMD64:
		if i < 4 {
			return []string{"rcx", "rdx", "r8", "r9"}[i]
		}
		return fmt.Sprintf("sp+%d", 8*i)
	case model.I386:
		return fmt.Sprintf("sp+%d", 4*i)
	case model.ARM64:
		if i < 8 {
			return fmt.Sprintf("x%d", i)
		}
		return fmt.Sprintf("sp+%d", 8*(i-8))
	}
	panic("no architecture " + arch)
}

// The argument words of stubs with a GUID, FILETIME or 64-bit integer by value, in every
// position class, are where each Windows ABI wants them. The expected
// placements are written out by hand from the ABI rules, not derived from
// the emitter:
//   - amd64: an 8-byte struct goes in one word (register or stack slot);
//     a larger one goes as the address of a copy the caller made;
//   - 386 (stdcall): every argument is on the stack in order, a struct as
//     its bytes in 4-byte words, the GUID as 4 words, the FILETIME as 2;
//   - arm64 (AAPCS64): a composite of up to 16 bytes goes in as many
//     consecutive x registers as it has 8-byte words, or, if not enough of
//     x0-x7 are left, wholly on the stack; it is never split between x7 and
//     the stack, and once that happened (NGRN = 8), every later argument is
//     on the stack too, x7 staying unused;
//   - a LONGLONG or ULONGLONG is one word (register or stack slot) on amd64
//     and arm64, where it fits x7, and two stack words on 386, the low half
//     at the lower address, with no padding before it.
func TestByValueArgumentWords(t *testing.T) {
	type placement map[model.Arch]string
	cases := []struct {
		name, params string
		function     bool // a DLL function: no this pointer
		want         placement
	}{{
		name: "GuidFirst", params: "G z",
		want: placement{
			model.AMD64: "rcx=this rdx=&G r8=z",
			model.I386:  "sp+0=this sp+4=G[0:4] sp+8=G[4:8] sp+12=G[8:12] sp+16=G[12:16] sp+20=z",
			model.ARM64: "x0=this x1=G[0:8] x2=G[8:16] x3=z",
		},
	}, {
		name: "GuidInX6X7", params: "a1 a2 a3 a4 a5 G z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=&G sp+56=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 " +
				"sp+24=G[0:4] sp+28=G[4:8] sp+32=G[8:12] sp+36=G[12:16] sp+40=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=G[0:8] x7=G[8:16] sp+0=z",
		},
	}, {
		// One register left: the GUID goes to the stack, x7 stays unused,
		// and z follows the GUID on the stack rather than taking x7.
		name: "GuidStraddlesX7", params: "a1 a2 a3 a4 a5 a6 G z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=&G sp+64=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 " +
				"sp+28=G[0:4] sp+32=G[4:8] sp+36=G[8:12] sp+40=G[12:16] sp+44=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=unused sp+0=G[0:8] sp+8=G[8:16] sp+16=z",
		},
	}, {
		name: "GuidAfterRegisters", params: "a1 a2 a3 a4 a5 a6 a7 G z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=a7 sp+64=&G sp+72=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 sp+28=a7 " +
				"sp+32=G[0:4] sp+36=G[4:8] sp+40=G[8:12] sp+44=G[12:16] sp+48=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=a7 sp+0=G[0:8] sp+8=G[8:16] sp+16=z",
		},
	}, {
		name: "FourGuids", params: "G1 G2 G3 G4 z",
		want: placement{
			model.AMD64: "rcx=this rdx=&G1 r8=&G2 r9=&G3 sp+32=&G4 sp+40=z",
			model.I386: "sp+0=this sp+4=G1[0:4] sp+8=G1[4:8] sp+12=G1[8:12] sp+16=G1[12:16] " +
				"sp+20=G2[0:4] sp+24=G2[4:8] sp+28=G2[8:12] sp+32=G2[12:16] " +
				"sp+36=G3[0:4] sp+40=G3[4:8] sp+44=G3[8:12] sp+48=G3[12:16] " +
				"sp+52=G4[0:4] sp+56=G4[4:8] sp+60=G4[8:12] sp+64=G4[12:16] sp+68=z",
			model.ARM64: "x0=this x1=G1[0:8] x2=G1[8:16] x3=G2[0:8] x4=G2[8:16] x5=G3[0:8] x6=G3[8:16] " +
				"x7=unused sp+0=G4[0:8] sp+8=G4[8:16] sp+16=z",
		},
	}, {
		// A FILETIME is 8 bytes: one word on amd64 and arm64, so it fits x7.
		name: "FiletimeInX7", params: "a1 a2 a3 a4 a5 a6 F z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=F[0:8] sp+64=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 " +
				"sp+28=F[0:4] sp+32=F[4:8] sp+36=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=F[0:8] sp+0=z",
		},
	}, {
		name: "FiletimeAfterRegisters", params: "a1 a2 a3 a4 a5 a6 a7 F z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=a7 sp+64=F[0:8] sp+72=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 sp+28=a7 " +
				"sp+32=F[0:4] sp+36=F[4:8] sp+40=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=a7 sp+0=F[0:8] sp+8=z",
		},
	}, {
		name: "FiletimeThenGuid", params: "a1 a2 a3 a4 a5 F G z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=F[0:8] sp+56=&G sp+64=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=F[0:4] sp+28=F[4:8] " +
				"sp+32=G[0:4] sp+36=G[4:8] sp+40=G[8:12] sp+44=G[12:16] sp+48=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=F[0:8] x7=unused sp+0=G[0:8] sp+8=G[8:16] sp+16=z",
		},
	}, {
		// A reserved GUID takes the words of a zero GUID, at the same places.
		name: "ReservedGuidStraddlesX7", params: "a1 a2 a3 a4 a5 a6 R z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=&_R sp+64=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 " +
				"sp+28=_R[0:4] sp+32=_R[4:8] sp+36=_R[8:12] sp+40=_R[12:16] sp+44=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=unused sp+0=_R[0:8] sp+8=_R[8:16] sp+16=z",
		},
	}, {
		// Without a this pointer the same rules start at the first register.
		name: "FuncGuidInX6X7", params: "a1 a2 a3 a4 a5 a6 G z", function: true,
		want: placement{
			model.AMD64: "rcx=a1 rdx=a2 r8=a3 r9=a4 sp+32=a5 sp+40=a6 sp+48=&G sp+56=z",
			model.I386: "sp+0=a1 sp+4=a2 sp+8=a3 sp+12=a4 sp+16=a5 sp+20=a6 " +
				"sp+24=G[0:4] sp+28=G[4:8] sp+32=G[8:12] sp+36=G[12:16] sp+40=z",
			model.ARM64: "x0=a1 x1=a2 x2=a3 x3=a4 x4=a5 x5=a6 x6=G[0:8] x7=G[8:16] sp+0=z",
		},
	}, {
		name: "FuncGuidStraddlesX7", params: "a1 a2 a3 a4 a5 a6 a7 G z", function: true,
		want: placement{
			model.AMD64: "rcx=a1 rdx=a2 r8=a3 r9=a4 sp+32=a5 sp+40=a6 sp+48=a7 sp+56=&G sp+64=z",
			model.I386: "sp+0=a1 sp+4=a2 sp+8=a3 sp+12=a4 sp+16=a5 sp+20=a6 sp+24=a7 " +
				"sp+28=G[0:4] sp+32=G[4:8] sp+36=G[8:12] sp+40=G[12:16] sp+44=z",
			model.ARM64: "x0=a1 x1=a2 x2=a3 x3=a4 x4=a5 x5=a6 x6=a7 x7=unused sp+0=G[0:8] sp+8=G[8:16] sp+16=z",
		},
	}, {
		// A 64-bit integer by value: one word on amd64 and arm64 (L is the
		// whole integer), two stack words on 386, the low half first.
		name: "LonglongFirst", params: "L z",
		want: placement{
			model.AMD64: "rcx=this rdx=L r8=z",
			model.I386:  "sp+0=this sp+4=L[0:4] sp+8=L[4:8] sp+12=z",
			model.ARM64: "x0=this x1=L x2=z",
		},
	}, {
		// On arm64 an 8-byte integer fits the last register, x7.
		name: "LonglongInX7", params: "a1 a2 a3 a4 a5 a6 L z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=L sp+64=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 " +
				"sp+28=L[0:4] sp+32=L[4:8] sp+36=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=L sp+0=z",
		},
	}, {
		name: "UlonglongAfterRegisters", params: "a1 a2 a3 a4 a5 a6 a7 U z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=a7 sp+64=U sp+72=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 sp+28=a7 " +
				"sp+32=U[0:4] sp+36=U[4:8] sp+40=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=a7 sp+0=U sp+8=z",
		},
	}, {
		// Two in a row, as ChangeDiffAreaMaximumSizeEx would pass them.
		name: "TwoLonglongs", params: "a1 L1 L2 z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=L1 r9=L2 sp+32=z",
			model.I386:  "sp+0=this sp+4=a1 sp+8=L1[0:4] sp+12=L1[4:8] sp+16=L2[0:4] sp+20=L2[4:8] sp+24=z",
			model.ARM64: "x0=this x1=a1 x2=L1 x3=L2 x4=z",
		},
	}, {
		// A reserved one is zero in as many words.
		name: "ReservedLonglong", params: "a1 Q z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=unused r9=z",
			model.I386:  "sp+0=this sp+4=a1 sp+8=unused sp+12=unused sp+16=z",
			model.ARM64: "x0=this x1=a1 x2=unused x3=z",
		},
	}, {
		name: "FuncLonglong", params: "a1 L z", function: true,
		want: placement{
			model.AMD64: "rcx=a1 rdx=L r8=z",
			model.I386:  "sp+0=a1 sp+4=L[0:4] sp+8=L[4:8] sp+12=z",
			model.ARM64: "x0=a1 x1=L x2=z",
		},
	}, {
		// The 8-byte unions LARGE_INTEGER and ULARGE_INTEGER go as LONGLONG
		// does (IStream::Seek, SetSize): one word where it fits x7 on arm64,
		// two stack words on 386, the low half (LowPart) first.
		name: "LargeIntegerInX7", params: "a1 a2 a3 a4 a5 a6 I z",
		want: placement{
			model.AMD64: "rcx=this rdx=a1 r8=a2 r9=a3 sp+32=a4 sp+40=a5 sp+48=a6 sp+56=I sp+64=z",
			model.I386: "sp+0=this sp+4=a1 sp+8=a2 sp+12=a3 sp+16=a4 sp+20=a5 sp+24=a6 " +
				"sp+28=I[0:4] sp+32=I[4:8] sp+36=z",
			model.ARM64: "x0=this x1=a1 x2=a2 x3=a3 x4=a4 x5=a5 x6=a6 x7=I sp+0=z",
		},
	}, {
		name: "LargeIntegerThenUlarge", params: "I J a1",
		want: placement{
			model.AMD64: "rcx=this rdx=I r8=J r9=a1",
			model.I386:  "sp+0=this sp+4=I[0:4] sp+8=I[4:8] sp+12=J[0:4] sp+16=J[4:8] sp+20=a1",
			model.ARM64: "x0=this x1=I x2=J x3=a1",
		},
	}, {
		name: "FuncUlargeInteger", params: "J z", function: true,
		want: placement{
			model.AMD64: "rcx=J rdx=z",
			model.I386:  "sp+0=J[0:4] sp+4=J[4:8] sp+8=z",
			model.ARM64: "x0=J x1=z",
		},
	}, {
		// Pointer-sized integers, the 2-byte ones and a REFIID (the GUID's
		// address) are one word each on every architecture: 4 bytes on 386.
		name: "OneWordEach", params: "S T W H E z",
		want: placement{
			model.AMD64: "rcx=this rdx=S r8=T r9=W sp+32=H sp+40=E sp+48=z",
			model.I386:  "sp+0=this sp+4=S sp+8=T sp+12=W sp+16=H sp+20=E sp+24=z",
			model.ARM64: "x0=this x1=S x2=T x3=W x4=H x5=E x6=z",
		},
	}}

	var methods, functions strings.Builder
	slot := 3
	for _, tc := range cases {
		if tc.function {
			fmt.Fprintf(&functions, "  - name: %s\n    dll: abi.dll\n    params:\n%s", tc.name,
				strings.ReplaceAll(abiParams(tc.params), "          -", "      -"))
			fmt.Fprintf(&functions, "    returns:\n      - {code: S_OK, meaning: Done.}\n")
			continue
		}
		fmt.Fprintf(&methods, "      - name: %s\n        slot: %d\n        params:\n%s", tc.name, slot, abiParams(tc.params))
		fmt.Fprintf(&methods, "        returns:\n          - {code: S_OK, meaning: Done.}\n")
		slot++
	}
	text := fmt.Sprintf(abiSpec, methods.String(), functions.String())
	raw, err := load.Bytes("abi.yaml", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	s, err := model.Build(raw, "abi.yaml", "abi.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	byName := map[string]*model.Method{}
	for _, m := range s.Functions {
		byName[m.Name] = m
	}
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			byName[m.Name] = m
		}
	}
	for _, tc := range cases {
		m := byName[tc.name]
		if m == nil {
			t.Fatalf("%s is not in the spec", tc.name)
		}
		for _, arch := range model.Arches {
			var words []string
			if !tc.function {
				words = append(words, "this")
			}
			for _, a := range shapeOf(m, arch).args {
				words = append(words, abiWord(t, fmt.Sprintf("%#v", a)))
			}
			var got []string
			for i, w := range words {
				got = append(got, abiPlace(arch, i)+"="+w)
			}
			if g := strings.Join(got, " "); g != tc.want[arch] {
				t.Errorf("%s(%s) on %s:\n got  %s\n want %s", tc.name, tc.params, arch, g, tc.want[arch])
			}
		}
	}
}

// In spec/vss.yaml, IVssBackupComponentsEx.SetSelectedForRestoreEx has its
// second GUID where only x7 is left on arm64: it goes wholly to the stack.
func TestSetSelectedForRestoreExOnARM64(t *testing.T) {
	s := loadSpec(t, "../../spec/vss.yaml", "spec/vss.yaml")
	for _, it := range s.Interfaces {
		for _, m := range it.Methods {
			if m.Name != "SetSelectedForRestoreEx" {
				continue
			}
			words := []string{"this"}
			for _, a := range shapeOf(m, model.ARM64).args {
				words = append(words, abiWord(t, fmt.Sprintf("%#v", a)))
			}
			var got []string
			for i, w := range words {
				got = append(got, abiPlace(model.ARM64, i)+"="+w)
			}
			const want = "x0=this x1=writerId[0:8] x2=writerId[8:16] x3=ct x4=_wszLogicalPath x5=_wszComponentName " +
				"x6=_bool(bSelectedForRestore) x7=unused sp+0=instanceId[0:8] sp+8=instanceId[8:16]"
			if g := strings.Join(got, " "); g != want {
				t.Errorf("SetSelectedForRestoreEx on arm64:\n got  %s\n want %s", g, want)
			}
			return
		}
	}
	t.Fatal("spec/vss.yaml no longer has SetSelectedForRestoreEx")
}

// TestArgWordsMatchStubs holds model.Method.ArgWords, which validation
// compares with syscall.SyscallN's limit, to the argument words the stubs
// really pass, for every method and function of the flagship and feature
// specs and of a spec built to put GUIDs and FILETIMEs in every position
// class (in registers, straddling x7 on arm64, on the stack).
func TestArgWordsMatchStubs(t *testing.T) {
	var b strings.Builder
	b.WriteString("package: words\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\ninterfaces:\n  - name: IWords\n    iid: none\n    base: IUnknown\n    methods:\n")
	for i := range 10 {
		fmt.Fprintf(&b, "      - name: M%d\n        slot: %d\n        params:\n", i, 3+i)
		for j := range i {
			fmt.Fprintf(&b, "          - {name: dw%d, dir: in, type: DWORD}\n", j)
		}
		b.WriteString("          - {name: id, dir: in, type: VSS_ID}\n          - {name: ft, dir: in, type: FILETIME}\n")
		b.WriteString("          - {name: rsv, dir: in, type: VSS_ID, reserved: true}\n          - {name: last, dir: in, type: VSS_ID}\n")
	}
	specs := []*model.Spec{
		loadSpec(t, "../../spec/vss.yaml", "spec/vss.yaml"),
		loadFeatureSpec(t),
		buildSpec(t, b.String(), "words.yaml"),
	}
	checked := 0
	for _, s := range specs {
		var methods []*model.Method
		for _, it := range s.Interfaces {
			methods = append(methods, it.Methods...)
		}
		methods = append(methods, s.Functions...)
		for _, m := range methods {
			for _, a := range model.Arches {
				got := len(shapeOf(m, a).args)
				if m.Interface != nil {
					got++ // the this pointer, which the stub passes before the shape's words
				}
				if want := m.ArgWords(a); got != want {
					t.Errorf("%s on %s: the stub passes %d words, ArgWords says %d", m.FullName(), a, got, want)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d method and architecture pairs; the specs should give more", checked)
	}
}

// TestResultAssembly checks how each stub makes its Go result of what the
// call returned, per architecture, against the Windows ABIs written out by
// hand: a result comes back in EAX (386), RAX (amd64) or x0 (arm64), which
// syscall.SyscallN returns first; a 64-bit one comes back in EDX:EAX on 386,
// the high half in EDX, which SyscallN returns second, and in the one
// register elsewhere. A result narrower than the register is its low bytes:
// the rest is undefined. A pointer is the register's bits.
func TestResultAssembly(t *testing.T) {
	type want struct{ call, ret string }
	one := func(ret string) map[model.Arch]want {
		w := want{"_r, _, _", ret}
		return map[model.Arch]want{model.AMD64: w, model.I386: w, model.ARM64: w}
	}
	wide := func(typ string) map[model.Arch]want {
		conv := typ + "(_r)"
		edx := typ + "(uint64(_r) | uint64(_r2)<<32)"
		if typ == "uint64" {
			edx = "uint64(_r) | uint64(_r2)<<32"
		}
		return map[model.Arch]want{
			model.AMD64: {"_r, _, _", conv},
			model.I386:  {"_r, _r2, _", edx},
			model.ARM64: {"_r, _, _", conv},
		}
	}
	cases := []struct {
		result string
		want   map[model.Arch]want
	}{
		{"ULONG", one("uint32(_r)")},
		{"INT", one("int32(_r)")},
		{"WORD", one("uint16(_r)")},
		{"SHORT", one("int16(_r)")},
		{"BYTE", one("uint8(_r)")},
		{"SIZE_T", one("uintptr(_r)")},
		{"LONG_PTR", one("int(_r)")},
		{"BOOL", one("int32(_r) != 0")},
		{"boolean", one("uint8(_r) != 0")},
		{"PVOID", one("*(*unsafe.Pointer)(unsafe.Pointer(&_r))")},
		{"IThing", one("*(**IThing)(unsafe.Pointer(&_r))")},
		{"COLOR", one("COLOR(_r)")},
		{"ULONGLONG", wide("uint64")},
		{"LONGLONG", wide("int64")},
		{"ULARGE_INTEGER", wide("uint64")},
		{"LARGE_INTEGER", wide("int64")},
	}
	var methods, functions strings.Builder
	for i, tc := range cases {
		fmt.Fprintf(&methods, "      - {name: R%d, slot: %d, result: %s}\n", i, 3+i, tc.result)
		fmt.Fprintf(&functions, "  - {name: F%d, dll: abi.dll, result: %s}\n", i, tc.result)
	}
	text := "package: abi\nhresults:\n  - {name: S_OK, value: 0, doc: Success.}\n" +
		"enums:\n  - {name: COLOR, values: [{name: RED, value: 1}]}\n" +
		"interfaces:\n  - name: IThing\n    iid: none\n    base: IUnknown\n    methods:\n" + methods.String() +
		"functions:\n" + functions.String()
	s := buildSpec(t, text, "abi.yaml")
	var all []*model.Method
	for _, it := range s.Interfaces {
		if it.Name == "IThing" {
			all = append(all, it.Methods...)
		}
	}
	all = append(all, s.Functions...)
	if len(all) != 2*len(cases) {
		t.Fatalf("the spec has %d methods and functions, want %d", len(all), 2*len(cases))
	}
	callRE := regexp.MustCompile(`(?m)^\s*(.*) := syscall\.SyscallN\(`)
	retRE := regexp.MustCompile(`(?m)^\s*ret = (.*)$`)
	for i, m := range all {
		tc := cases[i%len(cases)]
		for _, arch := range model.Arches {
			f := NewFile("abi")
			emitMethod(f, m, arch)
			src := fmt.Sprintf("%#v", f)
			call, ret := callRE.FindStringSubmatch(src), retRE.FindStringSubmatch(src)
			if call == nil || ret == nil {
				t.Errorf("%s (%s) on %s: no call or no ret in\n%s", m.FullName(), tc.result, arch, src)
				continue
			}
			if got := (want{call[1], ret[1]}); got != tc.want[arch] {
				t.Errorf("%s (%s) on %s:\n got  %s := SyscallN; ret = %s\n want %s := SyscallN; ret = %s",
					m.FullName(), tc.result, arch, got.call, got.ret, tc.want[arch].call, tc.want[arch].ret)
			}
		}
	}
}
