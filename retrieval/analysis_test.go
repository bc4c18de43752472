package retrieval

import (
	"testing"
)

// The generated set of traditional characters must hold every character
// OpenCC's t2s changes on its own, or Normalize would skip a conversion.
func TestTraditionalSetCoversOpenCC(t *testing.T) {
	conv, err := simplifier()
	if err != nil {
		t.Fatal(err)
	}
	missed := 0
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if traditional[r] {
			continue
		}
		if out, err := conv.Convert(string(r)); err != nil || out != string(r) {
			missed++
			if missed <= 5 {
				t.Errorf("%c (U+%04X) → %q by OpenCC but not in lexicon/traditional.txt", r, r, out)
			}
		}
	}
	if missed > 0 {
		t.Errorf("%d characters missed; run go generate ./retrieval", missed)
	}
	for _, tc := range []struct{ in, want string }{
		{"渝中區經濟發展", "渝中区经济发展"},
		{"ＧＤＰ增長目標", "gdp增长目标"},
		{"软信服务", "软信服务"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
