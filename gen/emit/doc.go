package emit

import (
	"fmt"
	"strings"

	. "github.com/dave/jennifer/jen"

	"github.com/vssgen/vssgen/gen/model"
)

// Doc emits doc.go, the package comment: what the package is, where to
// start, how to read a code from a log, what is built only for Windows and
// where REFERENCE.md is. It is the only package comment of the package; the
// other files put a blank line between their header and the package clause.
// Its sentences are vssgen's own: the spec contributes identifiers and counts,
// and what it says depends only on which of them the spec has.
func Doc(s *model.Spec, cfg Config) ([]Output, error) {
	f := NewFile(s.Package)
	for _, l := range headerLines(s, cfg) {
		f.HeaderComment("// " + l)
	}
	for _, l := range docLines(s) {
		if l == "" {
			f.PackageComment("//")
			continue
		}
		f.PackageComment("// " + l)
	}
	file, err := render("doc.go", f)
	if err != nil {
		return nil, err
	}
	return []Output{file}, nil
}

// docLines are the lines of the package comment, without comment markers.
// Paragraphs are wrapped; an indented line is a code block.
func docLines(s *model.Spec) []string {
	var out []string
	para := func(format string, args ...any) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, wrap(fmt.Sprintf(format, args...))...)
	}
	heading := func(h string) { out = append(out, "", "# "+h) }
	code := func(lines ...string) {
		out = append(out, "")
		for _, l := range lines {
			out = append(out, "\t"+l)
		}
	}

	ifaces, methods := 0, 0
	var firstIface *model.Interface
	for _, it := range s.Interfaces {
		if it.Builtin {
			continue
		}
		if firstIface == nil {
			firstIface = it
		}
		ifaces++
		methods += len(it.Methods)
	}
	var contents []string
	contents = append(contents, count(len(s.HRESULTs), "HRESULT code", "HRESULT codes"))
	if len(s.Enums) > 0 {
		contents = append(contents, count(len(s.Enums), "enum or flag set", "enums and flag sets"))
	}
	if len(s.Structs) > 0 {
		contents = append(contents, count(len(s.Structs), "C struct", "C structs"))
	}
	if ifaces > 0 {
		contents = append(contents, fmt.Sprintf("%s with %s", count(ifaces, "COM interface", "COM interfaces"), count(methods, "method", "methods")))
	}
	if len(s.Functions) > 0 {
		contents = append(contents, count(len(s.Functions), "DLL function", "DLL functions"))
	}
	para("Package %s is the Go binding vssgen generated from %s: %s.", s.Package, s.Source, joinAnd(contents))

	r := findRequester(s)
	if r.create != nil || len(r.steps) > 0 {
		heading("Where to start")
		var text []string
		if r.create != nil {
			text = append(text, fmt.Sprintf("%s creates the %s of one backup, the object a requester works through; release it when done.", r.create.Name, backupInterface))
		}
		if len(r.steps) > 0 {
			var names []string
			for _, m := range r.steps {
				names = append(names, m.Name)
			}
			text = append(text, fmt.Sprintf("A shadow copy takes these methods of %s, in this order: %s.", backupInterface, strings.Join(names, ", ")))
		}
		if r.async != nil {
			text = append(text, fmt.Sprintf("The methods that return an %s finish in the background; %s.WaitContext waits for one until it ends or a context is done.", asyncInterface, asyncInterface))
		}
		para("%s", strings.Join(text, " "))
		text = nil
		if r.complete {
			text = append(text, "The package's example shadowCopy goes through the whole sequence.")
		}
		text = append(text, "COM belongs to the thread that initialised it: call runtime.LockOSThread and CoInitializeEx (golang.org/x/sys/windows) first, on the goroutine that makes the calls.")
		para("%s", strings.Join(text, " "))
	}

	heading("Codes seen in logs")
	if h := logCode(s); h != nil {
		para("HRESULT is a COM status code. Converting the number a log shows gives its name and meaning: HRESULT(%s).String() is %q, Error adds the value and meaning, and the fmt verbs %%x and %%d print the number, as the HRESULT example shows. vssgen explain does the same from the command line.", h.Hex(), h.Name)
	} else {
		para("HRESULT is a COM status code. Converting the number a log shows gives its name and meaning: String is the SDK's name, Error adds the value and meaning, and the fmt verbs %%x and %%d print the number. vssgen explain does the same from the command line.")
	}
	if ifaces > 0 || len(s.Functions) > 0 {
		text := "A failed call returns an *Error that names the method, the code and the Windows version it ran on. Where the documentation says that older versions of Windows return another code, errors.Is matches the documented code too; Documented and NewError apply the same rule to any code and version."
		if osNoteExample(s) != nil {
			text += " The NewError example shows it."
		}
		para("%s", text)
		para("No success code is dropped either. A method whose documentation lists success codes besides S_OK returns the code as hr beside the error. Any other code but S_OK, one the spec does not document for the method, comes back as an *Error whose Code has no failure bit; the out-values are returned as for S_OK, and what they hold is the caller's to release.")
	}

	if ifaces > 0 || len(s.Functions) > 0 {
		heading("Windows only")
		var what []string
		if ifaces > 0 {
			if ifaces == 1 {
				what = append(what, "COM interface")
			} else {
				what = append(what, "COM interfaces")
			}
		}
		if len(s.Functions) > 0 {
			what = append(what, "DLL functions")
		}
		if r.async != nil {
			what = append(what, "WaitContext")
		}
		if len(s.Structs) > 0 {
			what = append(what, "C structs")
		}
		portable := "the codes"
		if len(s.Enums) > 0 {
			portable += ", enums"
		}
		para("The %s %s built only for GOOS=windows; %s, Method, OSVersion, Documented and Error build everywhere. On another system, go doc shows the Windows part when told to build for Windows, in the package's directory:", joinAnd(what), isAre(what), portable)
		var sym string
		switch {
		case r.backup != nil:
			sym = r.backup.Name
		case firstIface != nil:
			sym = firstIface.Name
		default:
			sym = s.Functions[0].Name
		}
		code("GOOS=windows go doc -all", "GOOS=windows go doc "+sym)
	}

	heading("Reference")
	listed := "every code, interface, method and parameter"
	if len(s.Structs) > 0 {
		listed = "every code, interface, method, parameter and struct layout"
	}
	para("REFERENCE.md, beside this file, lists %s with the C declaration and the Go signature, for review when the spec changes. The spec the package is generated from is %s; run go generate after editing it.", listed, s.Source)
	return out
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// isAre is the verb for a list of things: "The COM interface is", "The COM
// interface and WaitContext are".
func isAre(items []string) string {
	if len(items) == 1 && !strings.HasSuffix(items[0], "s") {
		return "is"
	}
	return "are"
}
