package retrieval_test

import (
	"context"
	"testing"

	"reportbot/bench"
	"reportbot/data"
	"reportbot/retrieval"
)

// This test is outside package retrieval because the large corpus is
// package bench's (bench.Repeat), and bench imports retrieval.

// Coverage must mean the same on a large corpus: with the report repeated
// to 2,000 passages, IDF grows for every word, and a question's own filler
// word (unseen) must not come to outweigh the rest of it.
func TestCoverageHoldsOnALargeCorpus(t *testing.T) {
	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	lx, _ := retrieval.DefaultLexicon()
	ix, err := retrieval.Build(bench.Repeat(c, 2000), lx)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	covered := []string{"2024年GDP增长目标是多少?", "渝中可以借助哪些国家战略机遇", "政府工作人员自身有什么不足", "预期目标是按照什么原则制定的?", "渝中当前正处于什么时期", "区政府向哪些人表示感谢?", "城市更新工作还有什么不足"}
	for _, q := range covered {
		if res, err := ix.Search(context.Background(), q, 3); err != nil || !res.Covered {
			t.Errorf("%q: not covered on 2,000 passages (coverage %.2f)", q, res.Coverage)
		}
	}
	for _, q := range []string{"明天重庆天气怎么样?", "推荐一家好吃的火锅店", "怎么办理护照", "今天股市行情如何", "你好", "渝中区有什么好吃的"} {
		if res, _ := ix.Search(context.Background(), q, 3); res.Covered {
			t.Errorf("%q: covered on 2,000 passages (coverage %.2f)", q, res.Coverage)
		}
	}
}
