package retrieval

import "testing"

func TestMendTypos(t *testing.T) {
	ix := seed(t)
	for in, want := range map[string]string{
		"固定资产头资增长": "固定资产投资增长", // 头 for 投
		"城市更新":     "城市更新",     // nothing to mend
		"预期木标":     "预期目标",     // 木 for 目
		"预期目木":     "预期目木",     // at a phrase's end: one unknown bigram is not enough
	} {
		if got, _ := ix.mend(in); got != want {
			t.Errorf("mend(%q) = %q, want %q", in, got, want)
		}
	}
}
