package model

import "testing"

func TestQuotePath(t *testing.T) {
	for in, want := range map[string]string{
		"spec/vss.yaml":                      "spec/vss.yaml",
		"a--->b<img src=x>.yaml":             "a--->b<img src=x>.yaml", // plain: each output escapes its own comment syntax
		"日本/スペック.yaml":                       "日本/スペック.yaml",
		"evil\u202eyaml.go.yaml":             `"evil\u202Eyaml.go.yaml"`,
		"in\u034fvis\u3164.yaml":             `"in\u034Fvis\u3164.yaml"`,
		"a\nb \"c\" \\.yaml":                 `"a\u000Ab \"c\" \\.yaml"`,
		"bad\xffutf8.yaml":                   `"bad\xffutf8.yaml"`,
		"tag\U000E0041.yaml":                 `"tag\U000E0041.yaml"`,
		"braille\u2800blank.yaml":            `"braille\u2800blank.yaml"`,
		"space and tab\t.yaml":               `"space and tab\u0009.yaml"`,
		"nbsp\u00a0 passes for a space.yaml": `"nbsp\u00A0 passes for a space.yaml"`,
	} {
		if got := QuotePath(in); got != want {
			t.Errorf("QuotePath(%q) = %s, want %s", in, got, want)
		}
	}
}
