package figures

import (
	"sync"
	"testing"

	"reportbot/retrieval"
)

var (
	realIxOnce sync.Once
	realIx     *retrieval.Index
	realIxErr  error
)

// understand reads a question as the bot does: retrieval's understanding
// of its time and place, then the comparison.
func understand(t *testing.T, s *Set, question string) (Ask, bool) {
	t.Helper()
	realIxOnce.Do(func() {
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			realIxErr = err
			return
		}
		realIx, realIxErr = retrieval.Build(s.corpus, lx)
	})
	if realIxErr != nil {
		t.Fatal(realIxErr)
	}
	q, err := realIx.Understand(question)
	if err != nil {
		t.Fatalf("%s: %v", question, err)
	}
	return s.Understand(question, q)
}

type sideWant struct {
	label, figure string // figure "" when the side is missing
}

func checkSides(t *testing.T, question string, c *Comparison, want []sideWant) {
	t.Helper()
	if len(c.Sides) != len(want) {
		t.Fatalf("%s: %d sides %+v, want %d", question, len(c.Sides), c.Sides, len(want))
	}
	for i, w := range want {
		sd := c.Sides[i]
		got := ""
		if sd.Figure != nil {
			got = sd.Figure.Text()
			if !containsSpan(sd.Figure) {
				t.Errorf("%s: side %d's figure is not in its sentence", question, i)
			}
		} else if sd.Missing == "" {
			t.Errorf("%s: side %d has no figure and does not say what is missing", question, i)
		}
		if sd.Label != w.label || got != w.figure {
			t.Errorf("%s: side %d is %s %q (%s), want %s %q", question, i, sd.Label, got, sd.Missing, w.label, w.figure)
		}
	}
}

func containsSpan(f *Figure) bool {
	s := f.Para.Sentences[f.Sentence]
	return s.Start <= f.FigureSpan.Start && f.FigureSpan.End <= s.End
}

// Comparisons across years: one issuer's reports, newest first; the
// question names no place, so the issuer that gives the most of the
// years is taken (the State Council's), and a year no loaded report
// gives says so.
func TestCompareAcrossYears(t *testing.T) {
	s := realFigures(t)
	q := "2023年和2025年GDP目标对比"
	a, ok := understand(t, s, q)
	if !ok || a.Mode != ByYear || a.Indicator != "地区生产总值" || a.Kind != Target {
		t.Fatalf("%s: understood %+v, %v", q, a, ok)
	}
	c := s.Compare(a)
	checkSides(t, q, c, []sideWant{{"2025年", "5%左右"}, {"2023年", "5%左右"}})
	if c.Sides[0].Report.ID != "国务院政府工作报告-2025" || c.Sides[1].Report.ID != "国务院政府工作报告-2023" {
		t.Errorf("%s: reports %s, %s", q, c.Sides[0].Report.ID, c.Sides[1].Report.ID)
	}
	if c.Verdict == "" || c.Note == "" {
		t.Errorf("%s: verdict %q, note %q", q, c.Verdict, c.Note)
	}

	q = "2019年和2021年的就业目标"
	a, _ = understand(t, s, q)
	checkSides(t, q, s.Compare(a), []sideWant{{"2021年", "1100万人以上"}, {"2019年", "1100万人以上"}})

	q = "2024年和2025年的物价目标"
	a, _ = understand(t, s, q)
	c = s.Compare(a)
	checkSides(t, q, c, []sideWant{{"2025年", "2%左右"}, {"2024年", ""}})

	q = "2018年和2022年GDP实际增长多少"
	a, _ = understand(t, s, q)
	if a.Kind != Result {
		t.Fatalf("%s: kind %v", q, a.Kind)
	}
	checkSides(t, q, s.Compare(a), []sideWant{{"2022年", "3%"}, {"2018年", "6.6%"}})
}

// Comparisons across places: each place's newest report; a city with
// no report of its own is answered by its district's, with a note; a
// place with no report says so and goes last.
func TestCompareAcrossRegions(t *testing.T) {
	s := realFigures(t)
	q := "重庆和四川今年GDP目标"
	a, ok := understand(t, s, q)
	if !ok || a.Mode != ByPlace {
		t.Fatalf("%s: understood %+v, %v", q, a, ok)
	}
	c := s.Compare(a)
	checkSides(t, q, c, []sideWant{{"重庆市·渝中区（2024年）", "6%左右"}, {"四川省", ""}})
	if c.Note == "" {
		t.Errorf("%s: no note that 重庆市 is answered by its district", q)
	}

	q = "北京和湖北今年GDP增长目标比较"
	a, _ = understand(t, s, q)
	c = s.Compare(a)
	checkSides(t, q, c, []sideWant{{"北京市（2025年）", "5%左右"}, {"湖北省（2025年）", "6％左右"}})
	if c.Verdict != "北京市（2025年）比湖北省（2025年）低1个百分点" {
		t.Errorf("%s: verdict %q", q, c.Verdict)
	}

	q = "各省GDP目标"
	a, ok = understand(t, s, q)
	if !ok || a.Mode != EveryRegion {
		t.Fatalf("%s: understood %+v, %v", q, a, ok)
	}
	c = s.Compare(a)
	if len(c.Sides) != 28 { // 26 provinces, the country, the district
		t.Errorf("%s: %d sides, want one per loaded region (28)", q, len(c.Sides))
	}
	for i, sd := range c.Sides {
		if sd.Figure == nil {
			t.Errorf("%s: %s gives no GDP target", q, sd.Label)
			continue
		}
		if i > 0 && sd.Year == c.Sides[i-1].Year && c.Sides[i-1].Figure != nil && sd.Figure.Num > c.Sides[i-1].Figure.Num {
			t.Errorf("%s: %s (%s) after %s (%s): not highest first", q, sd.Label, sd.Figure.Text(), c.Sides[i-1].Label, c.Sides[i-1].Figure.Text())
		}
	}
	if last := c.Sides[len(c.Sides)-1]; last.Report.ID != "yuzhong-2024" {
		t.Errorf("%s: the 2024 report is not last (newest first): %s", q, last.Label)
	}
}

// "比去年": the year before's report of the same issuer, when loaded;
// when it is not, the side says so and offers the year before's result
// as this year's report reviews it.
func TestCompareWithLastYear(t *testing.T) {
	s := realFigures(t)
	q := "今年的就业目标比去年高吗"
	a, ok := understand(t, s, q)
	if !ok || a.Mode != SinceLastYear || a.Indicator != "城镇新增就业" || a.Kind != Target {
		t.Fatalf("%s: understood %+v, %v", q, a, ok)
	}
	c := s.Compare(a)
	checkSides(t, q, c, []sideWant{{"2025年", "1200万人以上"}, {"2024年", ""}})
	if in := c.Sides[1].Instead; in == nil || in.Text() != "1256万人" || in.Kind != Result {
		t.Errorf("%s: the year before's result from this year's review: %+v", q, in)
	}
	if c.Note == "" {
		t.Errorf("%s: no note that the district's report gives no employment target", q)
	}
}

// Questions that are not comparisons are left to the normal answer path.
func TestNotComparisons(t *testing.T) {
	s := realFigures(t)
	for _, q := range []string{"2024年GDP增长目标是多少?", "渝中发展面临哪些困难和挑战?", "北京和上海的营商环境", "四川今年GDP目标", "2023年GDP比2022年增长多少"} {
		if a, ok := understand(t, s, q); ok {
			t.Errorf("%s: read as a comparison %+v", q, a)
		}
	}
}
