package figures

import (
	"slices"
	"testing"

	"reportbot/data"
)

// The fixture pair: a city's reports of 2024 and 2025, the second with
// new phrases (“两重”, 低空经济, 新质生产力, “人工智能+”, 以旧换新) and changed
// targets.
func TestNewThisYear(t *testing.T) {
	c, err := data.Load("testdata/consecutive")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Extract(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	pairs := s.Pairs()
	if len(pairs) != 1 || pairs[0][0].ID != "qingshan-2025" || pairs[0][1].ID != "qingshan-2024" {
		t.Fatalf("pairs %v", pairs)
	}
	n := s.New(pairs[0][0])
	var texts []string
	for i, p := range n.Phrases {
		texts = append(texts, p.Text)
		if i > 0 && p.Weight > n.Phrases[i-1].Weight {
			t.Errorf("%s ranked after %s with more weight", p.Text, n.Phrases[i-1].Text)
		}
		sent := p.Para.Sentences[p.Sentence]
		if p.Para.Text[p.Span.Start:p.Span.End] != p.Text || p.Span.Start < sent.Start || p.Span.End > sent.End {
			t.Errorf("%s: not at its span in its sentence", p.Text)
		}
	}
	for _, want := range []string{"低空经济", "新质生产力", "两重", "人工智能+", "消费品以旧换新"} {
		if !slices.Contains(texts, want) {
			t.Errorf("new phrase %q not found in %q", want, texts)
		}
	}
	for _, old := range []string{"战略性新兴产业", "民生实事", "消费促进月"} {
		if slices.Contains(texts, old) {
			t.Errorf("%q is in last year's report too, but listed as new", old)
		}
	}
	changed := map[string]string{}
	for _, ch := range n.Changed {
		changed[ch.Key] = ch.Prev.Text() + "→" + ch.This.Text()
	}
	for k, v := range map[string]string{
		"地区生产总值/增长": "5.5%左右→5%左右",
		"城镇新增就业/":   "6万人以上→6.5万人以上",
		"城镇调查失业率/":  "5.5%以内→5.5%左右",
		"居民消费价格/增长": "3%左右→2%左右",
	} {
		if changed[k] != v {
			t.Errorf("change of %s: %q, want %q", k, changed[k], v)
		}
	}
	if len(n.NewTargets) != 1 || n.NewTargets[0].Indicator != "研发经费投入强度" {
		t.Errorf("new targets %+v", n.NewTargets)
	}
	if len(n.Dropped) != 1 || n.Dropped[0].Indicator != "一般公共预算收入" {
		t.Errorf("dropped targets %+v", n.Dropped)
	}
	if s.New(pairs[0][1]) != nil {
		t.Error("the 2024 report has no loaded year before, yet New compared it")
	}
}

// The real corpus has no two consecutive years of one issuer: the State
// Council's 2019, 2021, 2023 and 2025 are two years apart.
func TestNoConsecutivePairInTheRealCorpus(t *testing.T) {
	s := realFigures(t)
	if p := s.Pairs(); len(p) != 0 {
		t.Errorf("pairs %v", p)
	}
}
