package retrieval

import (
	"slices"
	"testing"
)

func TestWhenFromQuestion(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q        string
		years    []int
		relative []int
		tense    Tense
	}{
		{"2023年GDP预期目标", []int{2023}, nil, Plan},
		{"二〇二三年赤字率安排多少", []int{2023}, nil, Plan},
		{"2022年实际赤字率是多少", []int{2022}, nil, Done},
		{"专项债 2023", []int{2023}, nil, EitherTense},
		{"China 2019 GDP growth target 是多少", []int{2019}, nil, Plan},
		{"2018年中国GDP增长了多少？", []int{2018}, nil, Done},
		{"浙江去年城镇新增就业多少人", nil, []int{-1}, Done},
		{"今年全国打算新增多少工作岗位？", nil, []int{0}, Plan},
		{"前年和去年的粮食产量", nil, []int{-2, -1}, Done},
		{"明年的打算", nil, []int{1}, Plan},
		// Amounts and long numbers are not years.
		{"新增就业1200万人以上", nil, nil, EitherTense},
		{"2000亿元专项债", nil, nil, EitherTense},
		{"12023年", nil, nil, EitherTense},
		{"增长5.5%左右", nil, nil, EitherTense},
		{"3000年", nil, nil, EitherTense},
		{"二〇二三", nil, nil, EitherTense},
	} {
		q, err := lx.Parse(tc.q)
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if !slices.Equal(q.When.Years, tc.years) || !slices.Equal(q.When.Relative, tc.relative) || q.When.Tense != tc.tense {
			t.Errorf("%q: years %v relative %v tense %v, want %v %v %v", tc.q, q.When.Years, q.When.Relative, q.When.Tense, tc.years, tc.relative, tc.tense)
		}
	}
}

func TestKeyTellsTimesApart(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, q := range []string{"2023年GDP目标", "2025年GDP目标", "去年GDP目标", "今年GDP目标"} {
		p, err := lx.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := keys[p.Key()]; ok {
			t.Errorf("%q and %q share the cache key %q", q, other, p.Key())
		}
		keys[p.Key()] = q
	}
}
