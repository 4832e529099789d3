package explain

import "sort"

// winName is a value with its SDK name, an entry of the generated tables
// in winerrors.go.
type winName struct {
	value uint32
	name  string
}

// find looks a value up in a table sorted by value.
func find(table []winName, v uint32) string {
	i := sort.Search(len(table), func(i int) bool { return table[i].value >= v })
	if i < len(table) && table[i].value == v {
		return table[i].name
	}
	return ""
}

// Win32Name is the SDK's name of a Win32 error code (ERROR_ACCESS_DENIED
// for 5), or "" for a code golang.org/x/sys/windows does not name.
func Win32Name(code uint32) string { return find(win32Names[:], code) }

// NTStatusName is the SDK's name of an NTSTATUS (STATUS_ACCESS_VIOLATION
// for 0xC0000005), or "" for a value golang.org/x/sys/windows does not name.
func NTStatusName(v uint32) string { return find(ntstatusNames[:], v) }
