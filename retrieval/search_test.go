package retrieval

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"reportbot/data"
)

var (
	seedOnce  sync.Once
	seedIndex *Index
	seedErr   error
)

// seed returns the index of the embedded report, built once per test run.
func seed(t testing.TB) *Index {
	t.Helper()
	seedOnce.Do(func() {
		var c *data.Corpus
		if c, seedErr = data.Load(""); seedErr != nil {
			return
		}
		var lx *Lexicon
		if lx, seedErr = DefaultLexicon(); seedErr != nil {
			return
		}
		seedIndex, seedErr = Build(c, lx)
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return seedIndex
}

func ask(t *testing.T, q string) *Result {
	t.Helper()
	res, err := seed(t).Search(context.Background(), q, 3)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

// targets is the paragraph of the 2024 targets, found by its text.
func targets(t *testing.T) *data.Paragraph {
	for _, p := range seed(t).Corpus().Paragraphs() {
		if strings.Contains(p.Text, "主要预期目标是") {
			return p
		}
	}
	t.Fatal("targets paragraph not found")
	return nil
}

func highlighted(p Passage) []string {
	var out []string
	for _, s := range p.Highlights {
		out = append(out, p.Text[s.Start:s.End])
	}
	return out
}

// A synonym of several characters must really match as a phrase: under
// bigram analysis Bleve's own synonym sources would drop it silently.
func TestMultiCharacterSynonymsMatch(t *testing.T) {
	want := targets(t)
	for _, tc := range []struct{ q, mustHighlight string }{
		{"GDP", "地区生产总值"},
		{"社零", "社会消费品零售总额"},
		{"固投", "固定资产投资"},
		{"财政收入", "一般公共预算收入"},
		{"gross domestic product", "地区生产总值"},
	} {
		res := ask(t, tc.q)
		if !res.Covered || len(res.Passages) == 0 {
			t.Errorf("%q: not covered (coverage %.2f)", tc.q, res.Coverage)
			continue
		}
		top := res.Passages[0]
		if top.Paragraph != want.Number {
			t.Errorf("%q: top passage is paragraph %d, want %d", tc.q, top.Paragraph, want.Number)
		}
		if h := highlighted(top); !containsString(h, tc.mustHighlight) {
			t.Errorf("%q: highlights %q, want %q among them", tc.q, h, tc.mustHighlight)
		}
	}
}

func containsString(list []string, want string) bool {
	for _, s := range list {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func TestTraditionalAndWidthAreFolded(t *testing.T) {
	lx := seed(t).lexicon
	simple, err := lx.Parse("渝中区经济增长目标是多少?")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"渝中區經濟增長目標是多少？", "渝中区经济增长目标是多少？ ", "渝中区　经济增长目标是多少?"} {
		got, err := lx.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		// Full-width spaces split phrases, so compare the words, not the split.
		if strings.ReplaceAll(got.Key(), " ", "") != strings.ReplaceAll(simple.Key(), " ", "") {
			t.Errorf("Parse(%q).Key() = %q, want %q", q, got.Key(), simple.Key())
		}
	}
	res := ask(t, "軟信服務產業發展得怎麼樣")
	if !res.Covered || !strings.Contains(res.Answer, "软信服务") {
		t.Errorf("traditional question: covered=%v answer %q", res.Covered, res.Answer)
	}
}

func TestQuestionWordsAndPunctuationAreNotSearched(t *testing.T) {
	lx := seed(t).lexicon
	for _, q := range []string{"", "   ", "？？？!!!", "🙂🙂", "是什么？", "what is it?", "……", "\x00\x01"} {
		if _, err := lx.Parse(q); !errors.Is(err, ErrNoQuestion) {
			t.Errorf("Parse(%q) = %v, want ErrNoQuestion", q, err)
		}
		if _, err := seed(t).Search(context.Background(), q, 3); !errors.Is(err, ErrNoQuestion) {
			t.Errorf("Search(%q) = %v, want ErrNoQuestion", q, err)
		}
	}
	q, err := lx.Parse("渝中有多少人才?")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(q.Key(), "多少") || !strings.Contains(q.Key(), "渝中") {
		t.Errorf("Parse kept %q", q.Key())
	}
	// Edge-only characters stay inside words: 地 in 地区, 就 in 就业.
	q, _ = lx.Parse("地区就业情况了")
	if !strings.Contains(q.Key(), "地区") || !strings.Contains(q.Key(), "就业") || strings.Contains(q.Key(), "了") {
		t.Errorf("Parse(地区就业情况了).Key() = %q: a word lost a character", q.Key())
	}
}

func TestOffTopicQuestionsAreNotCovered(t *testing.T) {
	for _, q := range []string{"明天重庆天气怎么样?", "推荐一家好吃的火锅店", "怎么办理护照", "今天股市行情如何", "你好", "美国签证怎么办", "比特币价格"} {
		res := ask(t, q)
		if res.Covered || len(res.Passages) != 0 || res.Answer != "" {
			t.Errorf("%q: covered=%v (coverage %.2f), passages %d, answer %q", q, res.Covered, res.Coverage, len(res.Passages), res.Answer)
		}
	}
}

func TestAnswerIsASentenceOfTheTopPassage(t *testing.T) {
	res := ask(t, "金融商贸等传统支柱产业存在什么问题")
	if !res.Covered {
		t.Fatal("not covered")
	}
	top := res.Passages[0]
	if res.Answer != top.AnswerText() {
		t.Errorf("Answer %q is not the top passage's answer sentence %q", res.Answer, top.AnswerText())
	}
	if !strings.Contains(res.Answer, "传统支柱产业体量大但增速放缓") || !strings.HasSuffix(res.Answer, "。") {
		t.Errorf("answer %q: want the whole sentence about 传统支柱产业", res.Answer)
	}
	if len(res.Answer) >= len(top.Text) {
		t.Errorf("answer is the whole paragraph, want one sentence")
	}
}

func TestLongQuestionsAreCut(t *testing.T) {
	q := strings.Repeat("地区生产总值增长目标", 500) // 5,000 characters
	res := ask(t, q)
	if !res.Truncated || utf8.RuneCountInString(res.Question) != MaxQuestionRunes {
		t.Errorf("Truncated=%v, question %d runes, want true and %d", res.Truncated, utf8.RuneCountInString(res.Question), MaxQuestionRunes)
	}
	if !res.Covered {
		t.Errorf("a long question about the targets is still answered")
	}
}

func TestHighlightsAreValidSpans(t *testing.T) {
	for _, q := range []string{"2024年GDP增长目标是多少?", "渝中叠加了哪些发展红利和试点?", "這份政府工作報告是哪天作的"} {
		res := ask(t, q)
		for _, p := range res.Passages {
			if len(p.Highlights) == 0 {
				t.Errorf("%q: passage %d has no highlights", q, p.Paragraph)
			}
			last := 0
			for _, s := range p.Highlights {
				if s.Start < last || s.End <= s.Start || s.End > len(p.Text) || !utf8.ValidString(p.Text[s.Start:s.End]) {
					t.Fatalf("%q: bad highlight %+v in paragraph %d", q, s, p.Paragraph)
				}
				last = s.End
			}
		}
	}
}

// The year of the report stands for 今年 in it.
func TestReportYearMeansThisYear(t *testing.T) {
	res := ask(t, "2024年固定资产投资增长多少")
	if !res.Covered || res.Passages[0].Paragraph != targets(t).Number {
		t.Fatalf("2024年 question did not find the targets paragraph (今年…)")
	}
	if !containsString(highlighted(res.Passages[0]), "今年") {
		t.Errorf("highlights %q: want 今年 matched for 2024年", highlighted(res.Passages[0]))
	}
}

// Scores must come from BM25, which Bleve only applies on a scorch index.
func TestScoringIsBM25(t *testing.T) {
	ix := seed(t)
	mq := bleve.NewMatchQuery("城市更新")
	mq.SetField(fieldText)
	mq.Analyzer = QueryAnalyzerName
	req := bleve.NewSearchRequest(mq)
	req.Explain = true
	res, err := ix.bleve.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	if expl := res.Hits[0].Expl.String(); !strings.Contains(expl, "avgFieldLength") {
		t.Errorf("explanation has no BM25 length normalisation:\n%s", expl)
	}
}

func TestPassagesCiteTheirOwnReport(t *testing.T) {
	def, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	other, err := data.Parse("other-2024", []byte("某某县人民政府工作报告\n\n一、工作回顾\n\n过去一年，全县粮食产量达到三十万吨，茶叶种植面积扩大到五万亩。\n\n二、今年安排\n\n今年要大力发展茶叶加工，建设茶叶交易市场。\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := &data.Corpus{Reports: append(def.Reports, other), Version: "test"}
	lx, _ := DefaultLexicon()
	ix, err := Build(c, lx)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), "茶叶种植面积有多大", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Covered || res.Passages[0].Report != "某某县人民政府工作报告" || res.Passages[0].Section != "一、工作回顾" {
		t.Fatalf("got %+v", res.Passages)
	}
	res, _ = ix.Search(context.Background(), "2024年GDP增长目标", 3)
	if !res.Covered || res.Passages[0].ReportID != data.DefaultReportID {
		t.Errorf("the default report's question cites %q", res.Passages[0].ReportID)
	}
}

// FuzzParse checks query normalisation on any input: no panic, a cut
// question stays valid UTF-8 within the limit, normalising is idempotent,
// and searching what is left works.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2024年GDP增长目标是多少?", "渝中區經濟", "？？？", "🙂", "", "GDP growth target",
		"<b>HTML</b> & *markdown* _x_ [a](b)", "\x00\x1b[31m", strings.Repeat("税", 300),
		"ＧＤＰ　增长", "a\u200bb", "\xff\xfe", "2024年", "是什么是什么",
	} {
		f.Add(s)
	}
	ix := seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		if n := Normalize(s); Normalize(n) != n {
			t.Errorf("Normalize not idempotent: %q → %q → %q", s, n, Normalize(n))
		}
		q, err := ix.lexicon.Parse(s)
		if err != nil && !errors.Is(err, ErrNoQuestion) {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if utf8.RuneCountInString(q.Asked) > MaxQuestionRunes || (utf8.ValidString(s) && !utf8.ValidString(q.Asked)) {
			t.Fatalf("Parse(%q).Asked = %q", s, q.Asked)
		}
		if err != nil {
			return
		}
		res, err := ix.Search(context.Background(), s, 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", s, err)
		}
		for _, p := range res.Passages {
			if p.Answer.End > len(p.Text) || p.Answer.Start >= p.Answer.End {
				t.Fatalf("Search(%q): bad answer span %+v", s, p.Answer)
			}
		}
	})
}

// With several reports, a question naming one finds that report's
// paragraph; the report's name is context, not content, for coverage.
func TestReportNameIsContext(t *testing.T) {
	c, err := data.Load("../data/testdata/reports")
	if err != nil {
		t.Fatal(err)
	}
	lx, _ := DefaultLexicon()
	ix, err := Build(c, lx)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for q, wantReport := range map[string]string{
		"青山区GDP目标":     "青山区人民政府工作报告",
		"成都2024年GDP目标": "成都市人民政府工作报告",
		"渝中GDP增长目标":    "重庆市渝中区人民政府工作报告",
	} {
		res, err := ix.Search(context.Background(), q, 3)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Covered || res.Passages[0].Report != wantReport || !strings.Contains(res.Answer, "地区生产总值增长") {
			t.Errorf("%q: covered=%v, first %q, answer %q; want %q and its targets", q, res.Covered, res.Passages[0].Report, res.Answer, wantReport)
		}
	}
	res, _ := ix.Search(context.Background(), "渝中区有什么好吃的", 3)
	if res.Covered {
		t.Errorf("a question about food is covered (%.2f) because it names the district", res.Coverage)
	}
}
