package vss

import (
	"fmt"
	"strconv"
)

// _formatString rebuilds the directive that made fmt call a Format method
// (flags, width, precision and verb), as fmt.FormatString does from Go
// 1.20 on; this package also builds with Go 1.19.
func _formatString(st fmt.State, verb rune) string {
	b := []byte{'%'}
	for _, flag := range "+-# 0" {
		if st.Flag(int(flag)) {
			b = append(b, byte(flag))
		}
	}
	if w, ok := st.Width(); ok {
		b = strconv.AppendInt(b, int64(w), 10)
	}
	if p, ok := st.Precision(); ok {
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(p), 10)
	}
	return string(append(b, string(verb)...))
}
