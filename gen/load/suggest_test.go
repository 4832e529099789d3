package load

import "testing"

func TestSuggest(t *testing.T) {
	known := []string{"BOOL", "DWORD", "HRESULT", "VSS_ID", "name", "returns", "returns_instead", "win7", "winxp"}
	for _, tt := range []struct{ word, want string }{
		{"DWROD", "DWORD"},    // two letters swapped
		{"dword", "DWORD"},    // case only
		{"DWORDS", "DWORD"},   // one letter too many
		{"retuns", "returns"}, // one letter missing
		{"returns_insted", "returns_instead"},
		{"HRSULT", "HRESULT"},
		{"nmae", "name"},
		{"FLOAT", ""}, // nothing like it
		{"guid", ""},  // two edits from a four-letter word is too far
		{"win8", "win7"},
		{"DWORD", ""}, // the word itself is not a suggestion
	} {
		if got := Suggest(tt.word, known); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
