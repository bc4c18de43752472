package retrieval

import "testing"

func TestWantOf(t *testing.T) {
	for q, want := range map[string]Want{
		"今年就业目标是多少？":              WantFigure,
		"报告是什么时候作的":               WantDate,
		"谁作的报告":                   WantWho,
		"今年有哪些民生实事":               WantList,
		"how much is the deficit": WantFigure,
		"城市更新":                    WantAny,
	} {
		if got := wantOf(Normalize(q)); got != want {
			t.Errorf("%q: want %v, got %v", q, want, got)
		}
	}
}

func TestSentenceKinds(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want Want
		ok   bool
	}{
		{"城镇新增就业1200万人以上", WantFigure, true},
		{"地区生产总值增长6%左右", WantFigure, true},
		{"赤字率拟按3%安排", WantFigure, true},
		{"粮食产量1.37万亿斤", WantFigure, true},
		{"提高百分之五", WantFigure, true},
		{"我们要坚持稳中求进工作总基调", WantFigure, false},
		{"第一，坚持党的领导", WantFigure, false},
		{"十四五规划", WantFigure, false},
		{"2024年1月15日在区第十八届人民代表大会上", WantDate, true},
		{"今年是关键之年", WantDate, false},
		{"推进教育、医疗、养老等民生事业", WantList, true},
	} {
		if got := tc.want.satisfies(tc.s); got != tc.ok {
			t.Errorf("%v.satisfies(%q) = %v, want %v", tc.want, tc.s, got, tc.ok)
		}
	}
}
