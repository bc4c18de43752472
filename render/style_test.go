package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"reportbot/data"
	"reportbot/retrieval"
)

// The span that answers is bolded, not every matched word: the figure
// with its indicator, the item of a list; never a lone common word, nor
// the report's own region.
func TestAnswerSpans(t *testing.T) {
	ix, _ := testIndex(t)
	for _, tc := range []struct {
		q    string
		want []string // bold of the first passage; nil for none
	}{
		{"2024年GDP增长目标是多少?", []string{"地区生产总值增长6%左右"}},
		{"渝中有多少人才?", []string{"23万人才“支撑”"}},
		{"渝中发展面临哪些困难和挑战?", []string{"前行的征程依然面临一些困难和挑战"}},
	} {
		res, err := ix.Search(context.Background(), tc.q, 3)
		if err != nil || !res.Covered {
			t.Fatalf("%q: %v, covered %v", tc.q, err, res != nil && res.Covered)
		}
		if got := highlighted(res.Passages[0]); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: bold %q, want %q", tc.q, got, tc.want)
		}
		for _, p := range res.Passages {
			for _, b := range highlighted(p) {
				if b == "渝中" || b == "问题" || b == "发展" || len([]rune(b)) < 2 {
					t.Errorf("%q: %s bolds filler %q", tc.q, Citation(p), b)
				}
			}
		}
	}
	// One common word matched: nothing bolded.
	p := retrieval.Passage{Report: "渝中区政府工作报告", Text: "扎实开展“四风”突出问题专项整治，成效明显。", Highlights: []data.Span{{Start: strings.Index("扎实开展“四风”突出问题专项整治，成效明显。", "问题"), End: strings.Index("扎实开展“四风”突出问题专项整治，成效明显。", "问题") + len("问题")}}}
	if got := AnswerSpans(p); got != nil {
		t.Errorf("one common word: bold %v, want none", got)
	}
	// The region's name, matched in every passage, is not content.
	text := "渝中区地区生产总值增长6%。"
	p = retrieval.Passage{Report: "渝中区政府工作报告", Text: text, Highlights: []data.Span{{Start: 0, End: len("渝中区")}}}
	if got := AnswerSpans(p); got != nil {
		t.Errorf("only the region matched: bold %v, want none", got)
	}
}

func TestShortCitations(t *testing.T) {
	ix, c := testIndex(t)
	st := Style{Corpus: c}
	res, err := ix.Search(context.Background(), "渝中发展面临哪些困难和挑战?", 3)
	if err != nil || len(res.Passages) < 2 {
		t.Fatalf("%v, %d passages", err, len(res.Passages))
	}
	m := validate(t, st.Answer(res, 1)[0])
	var cites []string
	for _, line := range strings.Split(m.text, "\n") {
		if strings.HasPrefix(line, "[") {
			cites = append(cites, line)
		}
	}
	// The report named once, on the first citation; the section by its
	// number and the paragraph within it.
	if len(cites) != len(res.Passages) || cites[0] != "[1] 《重庆市渝中区人民政府工作报告》开篇 · 第3段" || cites[1] != "[2] 开篇 · 第1段" {
		t.Errorf("citations %q", cites)
	}
	gdp, _ := ix.Search(context.Background(), "2024年GDP增长目标是多少?", 3)
	gdp.Passages = gdp.Passages[:1]
	if got := st.Cite(gdp.Passages[0]); got != "《重庆市渝中区人民政府工作报告》二 · 第3段" {
		t.Errorf("Cite = %q", got)
	}
	one := validate(t, st.Answer(gdp, 1)[0])
	if !strings.HasSuffix(one.text, "\n《重庆市渝中区人民政府工作报告》二 · 第3段") || strings.Contains(one.text, "[1]") {
		t.Errorf("a one-passage answer: %q", one.text)
	}
	if en := (Style{Corpus: c, English: true}).Cite(gdp.Passages[0]); en != "《重庆市渝中区人民政府工作报告》 二 · para. 3" {
		t.Errorf("English Cite = %q", en)
	}
	// Pages of a longer answer say which results they show.
	page := validate(t, st.Page(res, 4, 7)[0])
	if want := fmt.Sprintf("\n第4–%d条，共7条", 3+len(res.Passages)); !strings.HasSuffix(page.text, want) {
		t.Errorf("page footer %q missing: %q", want, page.text)
	}
}

func TestSectionLabel(t *testing.T) {
	for title, want := range map[string]string{
		"二、2024年工作安排":  "二",
		"十二、其他":        "十二",
		"3. 民生":        "3",
		"第一章 总则":       "第一章",
		"开篇":           "开篇",
		"救护繁育与栖息地修复工作": "救护繁育与栖息地修…",
	} {
		if got := sectionLabel(&data.Section{Title: title}); got != want {
			t.Errorf("sectionLabel(%q) = %q, want %q", title, got, want)
		}
	}
	if got := sectionLabel(&data.Section{Title: "（三）优化营商环境", Parent: "一、2023年工作回顾"}); got != "一（三）" {
		t.Errorf("a sub-section: %q", got)
	}
}

// A section is read in one message a page: its paragraphs in full, none
// collapsed, each with its number in the section.
func TestSectionPage(t *testing.T) {
	_, c := testIndex(t)
	st := Style{Corpus: c}
	sec := c.Reports[0].Sections[1]
	html, pages := st.Section(sec, 1)
	m := validate(t, html)
	if pages != 3 || strings.Contains(html, "expandable") || !strings.HasPrefix(m.text, "《重庆市渝中区人民政府工作报告》二、2024年工作安排\n") {
		t.Errorf("%d pages, page 2:\n%s", pages, html)
	}
	if !strings.Contains(m.text, "\n第3段\n") || !strings.HasSuffix(m.text, "\n第4段") {
		t.Errorf("page 2 does not hold paragraphs 3 and 4: %q", m.text)
	}
	if last, _ := st.Section(sec, 99); !strings.HasSuffix(validate(t, last).text, "第5段") {
		t.Errorf("a page past the end is not the last")
	}
}

// An excerpt says it is one when the bot says what it did not find; a
// report with the address of its published text links to it.
func TestExcerptAndSource(t *testing.T) {
	r := &data.Report{ID: "x", Title: "某某县人民政府工作报告", Name: "某某县政府工作报告（2024年）", Excerpt: true, Source: "https://www.example.gov.cn/gzbg/2024.html", Paragraphs: make([]*data.Paragraph, 5)}
	st := Style{Corpus: &data.Corpus{Reports: []*data.Report{r}}}
	m := validate(t, st.NotCovered(nil))
	if !strings.HasPrefix(m.text, "我在收录的《某某县政府工作报告（2024年）》节选（5段）里没有找到相关的段落。") {
		t.Errorf("not covered, excerpt: %q", m.text)
	}
	if links := m.entities("text_link"); len(links) != 1 || links[0].URL != r.Source {
		t.Errorf("not covered: links %+v, want the source", links)
	}
	if en := validate(t, Style{Corpus: st.Corpus, English: true}.NotCovered(nil)); !strings.Contains(en.text, "the excerpt of 《某某县政府工作报告（2024年）》 I hold (5 paragraphs)") {
		t.Errorf("English: %q", en.text)
	}
	p := retrieval.Passage{ReportID: "x", Report: r.Title, Section: "开篇", Paragraph: 0, Text: "某某县人民政府工作报告"}
	html := st.Passage(p)
	if !strings.Contains(html, `<a href="https://www.example.gov.cn/gzbg/2024.html">《某某县政府工作报告（2024年）》</a>`) {
		t.Errorf("the citation does not link the report to its source: %s", html)
	}
	// A relative address ("本文地址:/baogao/…") is no link.
	r.Source = "/baogao/xn/10234.html"
	if html := st.Passage(p); strings.Contains(html, "<a ") {
		t.Errorf("a relative source is linked: %s", html)
	}
}
