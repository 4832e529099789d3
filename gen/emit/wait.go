package emit

import (
	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Wait emits wait_windows.go, a context-aware wait on IVssAsync, when the
// spec declares IVssAsync with Cancel and QueryStatus and the three status
// codes. Backup tools keep tripping over IVssAsync.Wait: a wait that times
// out leaves the operation pending and the next step fails. WaitContext
// instead waits until the operation ends or the context does, cancels the
// operation in the second case, and turns the final status into the same
// OS-aware errors the stubs return.
func Wait(s *model.Spec, cfg Config) ([]Output, error) {
	if !hasAsync(s) {
		return nil, nil
	}
	f := newGoFile(s, cfg, "windows")
	f.Comment("// WaitContext waits until the asynchronous operation behind v ends or ctx")
	f.Comment("// is done, and reports how the operation ended. op is the method that")
	f.Comment("// returned v (IVssBackupComponents_DoSnapshotSet, say): a failure status is")
	f.Comment("// returned as an *Error of op, so errors.Is works with op's documented codes")
	f.Comment("// and OS-version notes as for a failed call.")
	f.Comment("//")
	f.Comment("// It polls QueryStatus rather than calling Wait with a timeout, which")
	f.Comment("// Windows Server 2003 and XP do not support. When ctx is done first it")
	f.Comment("// calls Cancel and returns ctx's error, unless the operation had finished")
	f.Comment("// or failed by then, which is reported instead. An operation that is still")
	f.Comment("// pending after Cancel is reported as an error that wraps ctx's error.")
	f.Func().Params(Id("v").Op("*").Id("IVssAsync")).Id("WaitContext").Params(Id("ctx").Qual("context", "Context"), Id("op").Id("Method")).Error().Block(
		Id("delay").Op(":=").Lit(5).Op("*").Qual("time", "Millisecond"),
		For().Block(
			List(Id("done"), Err()).Op(":=").Id("v").Dot("_finalStatus").Call(Id("op")),
			If(Id("done")).Block(Return(Err())),
			Id("timer").Op(":=").Qual("time", "NewTimer").Call(Id("delay")),
			Select().Block(
				Case(Op("<-").Id("ctx").Dot("Done").Call()).Block(
					Id("timer").Dot("Stop").Call(),
					Return(Id("v").Dot("_cancel").Call(Id("ctx"), Id("op"))),
				),
				Case(Op("<-").Id("timer").Dot("C")).Block(),
			),
			Id("delay").Op("=").Min(Id("delay").Op("*").Lit(2), Lit(200).Op("*").Qual("time", "Millisecond")),
		),
	)
	f.Comment("// _finalStatus reads the operation's status: done is false while it is pending.")
	f.Func().Params(Id("v").Op("*").Id("IVssAsync")).Id("_finalStatus").Params(Id("op").Id("Method")).Params(Id("done").Bool(), Err().Error()).Block(
		List(Id("status"), Err()).Op(":=").Id("v").Dot("QueryStatus").Call(),
		Switch().Block(
			Case(Err().Op("!=").Nil()).Block(Return(True(), Err())),
			Case(Id("status").Op("==").Id("VSS_S_ASYNC_PENDING")).Block(Return(False(), Nil())),
			Case(Id("status").Dot("Failed").Call()).Block(Return(True(), Id("_newError").Call(Id("op"), Id("status")))),
			Case(Id("status").Op("==").Id("VSS_S_ASYNC_CANCELLED")).Block(
				Return(True(), Qual("fmt", "Errorf").Call(Lit("%s: the operation was cancelled: %w"), Id("op"), Id("status"))),
			),
		),
		Return(True(), Nil()),
	)
	f.Comment("// _cancel cancels the operation after ctx is done and reports the outcome.")
	f.Func().Params(Id("v").Op("*").Id("IVssAsync")).Id("_cancel").Params(Id("ctx").Qual("context", "Context"), Id("op").Id("Method")).Error().Block(
		List(Id("_"), Err()).Op(":=").Id("v").Dot("Cancel").Call(),
		If(Err().Op("!=").Nil()).Block(
			Return(Qual("fmt", "Errorf").Call(Lit("%s: %w (and cancelling failed: %v)"), Id("op"), Qual("context", "Cause").Call(Id("ctx")), Err())),
		),
		List(Id("status"), Err()).Op(":=").Id("v").Dot("QueryStatus").Call(),
		Switch().Block(
			Case(Err().Op("!=").Nil()).Block(Return(Qual("fmt", "Errorf").Call(Lit("%s: %w (and reading the status after cancelling failed: %v)"), Id("op"), Qual("context", "Cause").Call(Id("ctx")), Err()))),
			Case(Id("status").Op("==").Id("VSS_S_ASYNC_PENDING")).Block(
				Return(Qual("fmt", "Errorf").Call(Lit("%s: %w, and the operation is still pending after Cancel"), Id("op"), Qual("context", "Cause").Call(Id("ctx")))),
			),
			Case(Id("status").Op("==").Id("VSS_S_ASYNC_CANCELLED")).Block(
				Return(Qual("fmt", "Errorf").Call(Lit("%s: cancelled: %w"), Id("op"), Qual("context", "Cause").Call(Id("ctx")))),
			),
			Case(Id("status").Dot("Failed").Call()).Block(Return(Id("_newError").Call(Id("op"), Id("status")))),
		),
		Return(Nil()), // it finished before Cancel took effect
	)
	file, err := render("wait_windows.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{file}, nil
}

// hasAsync reports whether the spec declares what WaitContext uses.
func hasAsync(s *model.Spec) bool {
	var it *model.Interface
	for _, x := range s.Interfaces {
		if x.Name == "IVssAsync" {
			it = x
		}
	}
	if it == nil {
		return false
	}
	methods := map[string]*model.Method{}
	for _, m := range it.Methods {
		methods[m.Name] = m
	}
	qs, cancel := methods["QueryStatus"], methods["Cancel"]
	if qs == nil || cancel == nil || len(qs.Params) == 0 || qs.Params[0].Dir != model.Out || qs.Params[0].Type.Kind != model.Status {
		return false
	}
	codes := map[string]bool{}
	for _, h := range s.HRESULTs {
		codes[h.Name] = true
	}
	return codes["VSS_S_ASYNC_PENDING"] && codes["VSS_S_ASYNC_CANCELLED"] && len(cancel.Params) == 0
}
