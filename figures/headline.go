package figures

import (
	"slices"
	"strings"

	"reportbot/data"
)

// Line is one indicator of a report's key figures: the target the report
// sets for its year and the result it gives of the year before, either
// of which may be nil.
type Line struct {
	// Key is what both figures measure (Figure.Key).
	Key            string
	Target, Result *Figure
}

// Lead is how the line names its indicator: as the first of its figures
// writes it ("国内生产总值增长", "城镇调查失业率控制在").
func (l Line) Lead() string {
	if l.Target != nil {
		return l.Target.Lead()
	}
	return l.Result.Lead()
}

// Lead is the clause before the figure ("国内生产总值增长" of
// "国内生产总值增长5%左右"), or, where the clause does not name the
// indicator there (a list with 分别, a part after 、), the indicator and
// its measure.
func (f *Figure) Lead() string {
	if f.LabelSpan.End > f.LabelSpan.Start && f.ClauseSpan.Start <= f.LabelSpan.Start && f.LabelSpan.End <= f.FigureSpan.Start && f.FigureSpan.Start <= f.ClauseSpan.End {
		lead := f.Para.Text[f.ClauseSpan.Start:f.FigureSpan.Start]
		if !strings.Contains(lead, "、") && !strings.Contains(lead, "分别") {
			// Scope words that say when or where (全年, 全省, 预计) stay;
			// verbs that tie the clause to the one before (带动, 推动) go.
			for {
				w := prefixIn(lead, leadVerbs)
				if w == "" {
					return lead
				}
				lead = lead[len(w):]
			}
		}
	}
	return f.Name()
}

// leadVerbs open a clause without saying anything of its figure.
var leadVerbs = []string{"带动", "推动", "实现", "确保", "其中", "努力", "实施"}

// maxResults bounds the results of the year before a report's key
// figures show beside its targets: its review gives hundreds of figures,
// the headline ones are those of the table's indicators.
const maxResults = 16

// Headline returns a report's key figures, one line per indicator: the
// targets of its list of main targets in the list's order (or, for a
// report with no such list, its targets of the table's indicators), each
// beside the year before's result of the same indicator and measure when
// the review gives one; then the review's other results of the table's
// indicators, in the table's order. Of several figures for one indicator
// the first stands.
func (s *Set) Headline(r *data.Report) []Line {
	figs := s.Report(r.ID)
	var lines []Line
	at := map[string]int{}
	goal := slices.ContainsFunc(figs, func(f Figure) bool { return f.Goal })
	for i := range figs {
		f := &figs[i]
		if f.Kind != Target || (goal && !f.Goal) || (!goal && !f.Known) {
			continue
		}
		if _, ok := at[f.Key()]; ok {
			continue
		}
		at[f.Key()] = len(lines)
		lines = append(lines, Line{Key: f.Key(), Target: f})
	}
	var extra []Line
	for i := range figs {
		f := &figs[i]
		if f.Kind != Result || !f.Known {
			continue
		}
		if n, ok := at[f.Key()]; ok {
			if lines[n].Result == nil {
				lines[n].Result = f
			}
			continue
		}
		if len(extra) == maxResults {
			continue
		}
		at[f.Key()] = -1
		extra = append(extra, Line{Key: f.Key(), Result: f})
	}
	slices.SortStableFunc(extra, func(a, b Line) int { return s.order(a.Result) - s.order(b.Result) })
	return append(lines, extra...)
}

// order is where a figure's indicator stands in the table.
func (s *Set) order(f *Figure) int {
	if a, ok := s.table.lookup(f.Indicator); ok {
		return a.ind.order
	}
	return len(s.table.inds)
}
