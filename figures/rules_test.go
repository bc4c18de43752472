package figures

import (
	"strings"
	"testing"

	"reportbot/data"
	"reportbot/retrieval"
)

var testTable = func() *table {
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		panic(err)
	}
	t, err := parseTable(indicatorsText, lx)
	if err != nil {
		panic(err)
	}
	return t
}()

// parsed is a clause as a test states it.
type parsed struct {
	indicator, label, measure, value, to, unit, qual string
}

func sentenceFigures(text string) []parsed {
	var out []parsed
	for _, sp := range data.SplitSentences(text) {
		for _, cl := range testTable.parseSentence(text, sp) {
			p := parsed{indicator: cl.indicator, label: text[cl.phrase.Start:cl.phrase.End], measure: string(cl.measure),
				value: text[cl.value.Start:cl.value.End], unit: text[cl.unit.Start:cl.unit.End], qual: cl.post}
			if cl.post == "" {
				p.qual = cl.pre
			}
			if cl.valueTo.End > cl.valueTo.Start {
				p.to = text[cl.valueTo.Start:cl.valueTo.End]
			}
			out = append(out, p)
		}
	}
	return out
}

// The forms of the lists of main targets and of the review, each read as
// a report writes it.
func TestRulesReadTheForms(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []parsed
	}{
		{"地区生产总值增长6%左右。", []parsed{{"地区生产总值", "地区生产总值", "增长", "6", "", "%", "左右"}}},
		{"国内生产总值增长5%左右；城镇新增就业1200万人以上。", []parsed{
			{"地区生产总值", "国内生产总值", "增长", "5", "", "%", "左右"},
			{"城镇新增就业", "城镇新增就业", "", "1200", "", "万人", "以上"}}},
		{"居民消费价格涨幅2%左右。", []parsed{{"居民消费价格", "居民消费价格", "增长", "2", "", "%", "左右"}}},
		{"粮食产量1.37万亿斤。", []parsed{{"粮食产量", "粮食产量", "", "1.37", "", "万亿斤", ""}}},
		{"城镇调查失业率控制在5.5%以内。", []parsed{{"城镇调查失业率", "城镇调查失业率", "", "5.5", "", "%", "以内"}}},
		{"国内生产总值增长6%－6.5%。", []parsed{{"地区生产总值", "国内生产总值", "增长", "6", "6.5", "%", ""}}},
		{"全年国内生产总值增长3%，城镇新增就业1206万人。", []parsed{
			{"地区生产总值", "国内生产总值", "增长", "3", "", "%", ""},
			{"城镇新增就业", "城镇新增就业", "", "1206", "", "万人", ""}}},
		{"经济增长5.5％左右。", []parsed{{"地区生产总值", "经济", "增长", "5.5", "", "％", "左右"}}},
		{"国内生产总值达到134.9万亿元、增长5%。", []parsed{
			{"地区生产总值", "国内生产总值", "", "134.9", "", "万亿元", ""},
			{"地区生产总值", "", "增长", "5", "", "%", ""}}},
		{"地区生产总值增长7%以上、力争达到8%。", []parsed{
			{"地区生产总值", "地区生产总值", "增长", "7", "", "%", "以上"},
			{"地区生产总值", "", "增长", "8", "", "%", "力争"}}},
		{"外汇储备超过3.2万亿美元。", []parsed{{"外汇储备", "外汇储备", "", "3.2", "", "万亿美元", "超过"}}},
		{"城镇、农村居民人均可支配收入分别增长5%、6.5%左右。", []parsed{
			{"城镇居民人均可支配收入", "城镇", "增长", "5", "", "%", "左右"},
			{"农村居民人均可支配收入", "农村居民人均可支配收入", "增长", "6.5", "", "%", "左右"}}},
		{"城乡居民人均可支配收入分别增长8%和10%。", []parsed{
			{"城镇居民人均可支配收入", "城乡居民人均可支配收入", "增长", "8", "", "%", ""},
			{"农村居民人均可支配收入", "城乡居民人均可支配收入", "增长", "10", "", "%", ""}}},
		{"城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内。", []parsed{
			{"城镇调查失业率", "城镇调查失业率", "", "5", "", "%", "以内"},
			{"居民消费价格", "居民消费价格涨幅", "增长", "3", "", "%", "以内"}}},
		{"社会消费品零售总额2.76万亿元增长6.1%。", []parsed{
			{"社会消费品零售总额", "社会消费品零售总额", "", "2.76", "", "万亿元", ""},
			{"社会消费品零售总额", "", "增长", "6.1", "", "%", ""}}},
		{"主要预期目标是:地区生产总值增长6%左右,区级一般公共预算收入增长6%。", []parsed{
			{"地区生产总值", "地区生产总值", "增长", "6", "", "%", "左右"},
			{"一般公共预算收入", "区级一般公共预算收入", "增长", "6", "", "%", ""}}},
		{"城镇调查失业率均值5.2%。", []parsed{{"城镇调查失业率", "城镇调查失业率", "", "5.2", "", "%", ""}}},
		{"全员劳动生产率16.8万元/人左右。", []parsed{{"全员劳动生产率", "全员劳动生产率", "", "16.8", "", "万元/人", "左右"}}},
	} {
		got := sentenceFigures(tc.text)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d figures %+v, want %d %+v", tc.text, len(got), got, len(tc.want), tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: figure %d is %+v, want %+v", tc.text, i, got[i], tc.want[i])
			}
		}
	}
}

// What the rules do not understand yields nothing rather than a wrong
// figure.
func TestRulesYieldNothingUnsure(t *testing.T) {
	for _, text := range []string{
		"调查失业率稳定在5%左右的较低水平。",              // something after the figure
		"粮食产量首次跃上1.4万亿斤新台阶。",              // a verb the rules do not know
		"集成电路、生物医药、人工智能三大先导产业规模达到1.8万亿元。", // a list with no 分别: whose figure?
		"五年来，国内生产总值年均增长5.2%。",             // a period's average
		"新增公园141座、累计达到973座。",              // an action, then a sum over years
		"地级及以上城市细颗粒物（PM2.5）平均浓度下降2.7%。",   // a number inside the name
		"旅游收入创新高，分别增长15.8%和11.5%。",        // 分别 with no names beside it
		"总量达到60013亿元。",                    // of what?
		"全区普及率提高至72.2%。",                  // of what?
		"连续12年稳定在500亿斤以上。",
		"2024年是实施“十四五”规划的关键一年。",
		"居民收入增长与经济增长同步。",
	} {
		for _, f := range sentenceFigures(text) {
			t.Errorf("%s: read %+v", text, f)
		}
	}
}

// Targets and results: the list of main targets is targets; the review's
// figures results of the year before; a sentence's own words decide
// where the part of the report does not; a review sentence about several
// years gives no year's result.
func TestKinds(t *testing.T) {
	text := `2025年某某市政府工作报告
一、2024年工作回顾
过去一年，全市地区生产总值增长5.6%，城镇新增就业6.2万人。
五年来，全市地区生产总值年均增长6.1%，城镇新增就业累计达到30万人，一般公共预算收入增长到500亿元。
二、2025年工作安排
今年全市经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业6.5万人以上。
去年全市规模以上工业增加值增长7.2%。新建5G基站1000个。
`
	r, err := data.Parse("test-2025", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	c := &data.Corpus{Reports: []*data.Report{r}}
	s, err := Extract(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	type fk struct {
		name, text string
		kind       Kind
		year       int
		goal       bool
	}
	var got []fk
	for _, f := range s.Report(r.ID) {
		got = append(got, fk{f.Name(), f.Text(), f.Kind, f.Year, f.Goal})
	}
	want := []fk{
		{"地区生产总值增长", "5.6%", Result, 2024, false},
		{"城镇新增就业", "6.2万人", Result, 2024, false},
		{"地区生产总值增长", "5%左右", Target, 2025, true},
		{"城镇新增就业", "6.5万人以上", Target, 2025, true},
		{"规模以上工业增加值增长", "7.2%", Result, 2024, false},
	}
	if len(got) != len(want) {
		t.Fatalf("figures %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("figure %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// Every figure is a span of its sentence: its text, its clause and its
// indicator as written are where the spans say, inside the sentence.
func TestFiguresAreSpans(t *testing.T) {
	s := realFigures(t)
	n := 0
	for _, r := range s.corpus.Reports {
		for _, f := range s.Report(r.ID) {
			n++
			sent := f.Para.Sentences[f.Sentence]
			for _, sp := range []data.Span{f.FigureSpan, f.ClauseSpan, f.LabelSpan} {
				if sp.Start < sent.Start || sp.End > sent.End || sp.Start > sp.End {
					t.Fatalf("%s#%d: span %v outside its sentence %v", f.ReportID, f.Paragraph, sp, sent)
				}
			}
			if !strings.HasPrefix(strings.TrimPrefix(f.Text(), f.Qualifier), f.Value) || !strings.Contains(f.Text(), f.Unit) || !strings.Contains(f.SentenceText(), f.Qualifier) {
				t.Errorf("%s#%d: figure %q does not hold value %q and unit %q, or its sentence qualifier %q", f.ReportID, f.Paragraph, f.Text(), f.Value, f.Unit, f.Qualifier)
			}
			if !strings.Contains(f.Clause(), f.Text()) {
				t.Errorf("%s#%d: clause %q does not hold its figure %q", f.ReportID, f.Paragraph, f.Clause(), f.Text())
			}
			if f.Label != f.Indicator && !strings.Contains(f.Para.Text, f.Label) {
				t.Errorf("%s#%d: label %q is not in the paragraph", f.ReportID, f.Paragraph, f.Label)
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d figures from the real corpus", n)
	}
}
