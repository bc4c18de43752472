package render

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/retrieval"
)

const realCorpus = "../../shared/corpus/txt"

var (
	realFigOnce sync.Once
	realFigIx   *retrieval.Index
	realFigSet  *figures.Set
	realFigErr  error
)

// realFigures is the real corpus's index and figures, or a skip when the
// corpus is not here.
func realFigures(t *testing.T) (*retrieval.Index, *figures.Set) {
	t.Helper()
	if _, err := os.Stat(realCorpus); err != nil {
		t.Skipf("the real corpus %s is not here (%v): these tests render its figures", realCorpus, err)
	}
	realFigOnce.Do(func() {
		c, err := data.Load(realCorpus)
		if err != nil {
			realFigErr = err
			return
		}
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			realFigErr = err
			return
		}
		if realFigIx, realFigErr = retrieval.Build(c, lx); realFigErr != nil {
			return
		}
		realFigSet, realFigErr = figures.Extract(c, lx)
	})
	if realFigErr != nil {
		t.Fatal(realFigErr)
	}
	return realFigIx, realFigSet
}

// /figures of every real report is one message within 4096 UTF-16 units
// that Telegram's HTML parser accepts, one line per indicator with the
// figures in bold, each followed by its paragraph number.
func TestFiguresOfEveryReport(t *testing.T) {
	_, s := realFigures(t)
	for _, r := range s.Corpus().Reports {
		lines := s.Headline(r)
		msgs := Figures(r, lines)
		if len(msgs) != 1 {
			t.Errorf("%s: %d messages, want one compact message", r.ID, len(msgs))
		}
		m := validate(t, msgs[0])
		bold := map[string]bool{}
		for _, e := range m.entities("bold") {
			bold[m.sub(e)] = true
		}
		for i, l := range lines {
			for _, f := range []*figures.Figure{l.Target, l.Result} {
				if f == nil {
					continue
				}
				if !bold[f.Text()] {
					t.Errorf("%s line %d: figure %q not in bold", r.ID, i+1, f.Text())
				}
				if !strings.Contains(m.text, f.Text()+"〔"+strconv.Itoa(f.Paragraph)+"〕") {
					t.Errorf("%s line %d: figure %q without its paragraph number", r.ID, i+1, f.Text())
				}
			}
		}
		if r.ID == "国务院政府工作报告-2025" {
			for _, want := range []string{"国内生产总值增长 5%左右〔18〕 · 2024年 5%〔3〕", "城镇新增就业 1200万人以上〔18〕 · 2024年 1256万人〔3〕"} {
				if !strings.Contains(m.text, want) {
					t.Errorf("%s: no line %q in\n%s", r.ID, want, m.text)
				}
			}
		}
		text := FiguresText(r, lines, Brackets)
		for _, l := range lines {
			if l.Target != nil && !strings.Contains(text, "【"+l.Target.Text()+"】") {
				t.Errorf("%s: the text form lacks %q", r.ID, l.Target.Text())
			}
		}
	}
}

// A figure's button shows its sentences: quoted, the figure in bold,
// cited.
func TestFigureSentences(t *testing.T) {
	_, s := realFigures(t)
	for _, r := range s.Corpus().Reports {
		for _, l := range s.Headline(r) {
			for _, msg := range FigureSentences(l.Target, l.Result) {
				m := validate(t, msg)
				if len(m.entities("expandable_blockquote")) == 0 || !strings.Contains(m.text, "第") {
					t.Fatalf("%s: no quoted, cited sentence in %q", r.ID, m.text)
				}
			}
		}
	}
}

// Comparisons render as messages Telegram accepts, each side's figure in
// bold beside its cited sentence, what is missing said in words.
func TestComparisonsRender(t *testing.T) {
	ix, s := realFigures(t)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"2023年和2025年GDP目标对比", []string{"2025年：5%左右", "2023年：5%左右", "《国务院政府工作报告（2023年）》", "持平"}},
		{"重庆和四川今年GDP目标", []string{"重庆市·渝中区（2024年）：6%左右", "四川省：没有收录四川省的报告。"}},
		{"今年的就业目标比去年高吗", []string{"2025年：1200万人以上", "2024年：没有收录国务院2024年的报告。", "回顾的2024年实际：1256万人"}},
		{"各省GDP目标", []string{"西藏自治区（2025年） 7%以上 · 地区生产总值增长7%以上〔19〕", "渝中区（2024年） 6%左右"}},
	} {
		q, err := ix.Understand(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := s.Understand(tc.q, q)
		if !ok {
			t.Fatalf("%s: not a comparison", tc.q)
		}
		c := s.Compare(a)
		msgs := Comparison(c)
		var all string
		for _, msg := range msgs {
			all += validate(t, msg).text + "\n"
		}
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: no %q in\n%s", tc.q, w, all)
			}
		}
		for _, sd := range c.Sides {
			if sd.Figure != nil && c.Ask.Mode != figures.EveryRegion && !strings.Contains(all, sd.Figure.SentenceText()) {
				t.Errorf("%s: %s's sentence is not quoted", tc.q, sd.Label)
			}
		}
		if text := ComparisonText(c, Brackets); !strings.Contains(text, "【") {
			t.Errorf("%s: the text form marks no figure", tc.q)
		}
	}
}

// What is new renders within Telegram's rules; with no consecutive pair
// loaded the bot says so plainly.
func TestNoveltyRenders(t *testing.T) {
	c, err := data.Load("../figures/testdata/consecutive")
	if err != nil {
		t.Fatal(err)
	}
	s, err := figures.Extract(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := s.New(s.Pairs()[0][0])
	var all string
	for _, msg := range Novelty(n) {
		all += validate(t, msg).text
	}
	for _, w := range []string{"新提法", "低空经济", "地区生产总值增长 5.5%左右〔上年", "新增 研发经费投入强度", "不再列出 一般公共预算收入增长"} {
		if !strings.Contains(all, w) {
			t.Errorf("no %q in\n%s", w, all)
		}
	}
	_, real := realFigures(t)
	np := NoPair(real.Corpus())
	if !strings.Contains(np, "连续两年") || !strings.Contains(np, "全国 2019、2021、2023、2025年") {
		t.Errorf("NoPair: %s", np)
	}
}

// The digest's part: as many lines as fit in the room given.
func TestFiguresWithin(t *testing.T) {
	_, s := realFigures(t)
	for _, r := range s.Corpus().Reports {
		lines := s.Headline(r)
		for _, limit := range []int{120, 400, 2048} {
			html := FiguresWithin(r, lines, limit)
			if html == "" {
				continue
			}
			if n := validate(t, html); units(n.text) > limit {
				t.Errorf("%s: %d units in a room of %d", r.ID, units(n.text), limit)
			}
		}
	}
}
