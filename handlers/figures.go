package handlers

// Key figures: /figures (a report's headline targets and results), the
// button that shows a figure's sentence, comparisons asked as questions
// ("2023年和2025年GDP目标对比", "各省GDP目标"), and /new (what a report says
// that the year before's does not). The figures themselves are package
// figures'; how they look is package render's.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/render"
	"reportbot/retrieval"
	"reportbot/store"
)

// figureButtonsPerRow is how many numbered buttons a row of the key
// figures' keyboard holds.
const figureButtonsPerRow = 8

// maxFigureButtons bounds the buttons under the key figures (Telegram
// allows 100).
const maxFigureButtons = 48

// KeyFigures answers /figures [地区] [年份]: the headline targets and
// results of a report, one line per indicator, with a numbered button per
// line that shows its sentences. With no arguments it is the bot's own
// report.
func (s *Service) KeyFigures(chat Chat, args string) Reply {
	set := s.figures()
	if set == nil {
		return reply(render.Escape(s.Say(chat, "没有提取报告里的数字。", "No figures were extracted from the reports.")))
	}
	r, problem := s.ReportFor(args)
	if problem != "" {
		return reply(render.Escape(problem))
	}
	ri := slices.Index(s.Corpus().Reports, r)
	lines := set.Headline(r)
	out := Reply{Messages: render.Figures(r, lines)}
	var row []Button
	for i := range lines[:min(len(lines), maxFigureButtons)] {
		row = append(row, Button{Text: strconv.Itoa(i + 1), Data: figureData(s.Corpus().Version, ri, i)})
		if len(row) == figureButtonsPerRow {
			out.Buttons, row = append(out.Buttons, row), nil
		}
	}
	if len(row) > 0 {
		out.Buttons = append(out.Buttons, row)
	}
	return out
}

// FigureSentence answers a key figure's button: the sentences of line n
// of report ri's key figures. version is the corpus version the button
// was made for; a button of another corpus is stale.
func (s *Service) FigureSentence(chat Chat, version string, ri, n int) Reply {
	c := s.Corpus()
	gone := reply(render.Escape(s.Say(chat, "这个按钮已过期（报告可能已更新），请重新发送 /figures。", "This button has expired (the reports may have changed); send /figures again.")))
	if s.figures() == nil || !strings.HasPrefix(c.Version, version) || version == "" || ri < 0 || ri >= len(c.Reports) {
		return gone
	}
	lines := s.figures().Headline(c.Reports[ri])
	if n < 0 || n >= len(lines) {
		return gone
	}
	return Reply{Messages: render.FigureSentences(lines[n].Target, lines[n].Result)}
}

// ReportFor finds the report /figures or /new is asked for: the place
// and the year args name ("北京 2025", "国务院 2023", "2023"): the newest of
// the place's reports when no year is named; of the bot's own place,
// then the country's, when no place is; the bot's own report when args
// name neither. problem says, in the user's words, why none is found.
func (s *Service) ReportFor(args string) (r *data.Report, problem string) {
	c := s.Corpus()
	args = strings.TrimSpace(args)
	if args == "" || s.figures() == nil {
		return c.Reports[0], ""
	}
	q, err := s.understand(args)
	if err != nil && q == nil {
		return c.Reports[0], ""
	}
	var cands []*data.Report
	switch {
	case len(q.Where.Places) > 0:
		place := q.Where.Places[0]
		rs, _ := s.figures().RegionReports(place)
		if len(rs) == 0 {
			return nil, fmt.Sprintf("没有收录%s的报告。收录了这些地区的报告：%s。", place, regions(c))
		}
		cands = rs
	default:
		own, _ := s.figures().RegionReports(c.Reports[0].Region)
		national, _ := s.figures().RegionReports(retrieval.National)
		cands = append(own, national...)
		for _, r := range c.Reports {
			if !slices.Contains(cands, r) {
				cands = append(cands, r)
			}
		}
	}
	if len(q.When.Years) > 0 {
		y := q.When.Years[0]
		for _, r := range cands {
			if r.Year == y {
				return r, ""
			}
		}
		return nil, fmt.Sprintf("没有收录%d年的这份报告。收录的报告：%s。", y, reportList(cands))
	}
	if len(q.Where.Places) == 0 {
		return c.Reports[0], ""
	}
	return cands[0], ""
}

// regions lists the loaded reports' regions.
func regions(c *data.Corpus) string {
	var out []string
	for _, r := range c.Reports {
		if r.Region != "" && !slices.Contains(out, r.Region) {
			out = append(out, r.Region)
		}
	}
	return strings.Join(out, "、")
}

func reportList(rs []*data.Report) string {
	var out []string
	for _, r := range rs[:min(len(rs), 8)] {
		out = append(out, "《"+r.Name+"》")
	}
	if len(rs) > 8 {
		out = append(out, fmt.Sprintf("等%d份", len(rs)))
	}
	return strings.Join(out, "、")
}

// New answers /new [地区] [年份] and questions such as "今年报告有哪些新提法":
// what a report says that its issuer's report of the year before does
// not, when both are loaded; else it says plainly that no such pair is.
func (s *Service) New(chat Chat, args string) Reply {
	set := s.figures()
	if set == nil {
		return reply(render.Escape(s.Say(chat, "没有提取报告里的数字。", "No figures were extracted from the reports.")))
	}
	c := s.Corpus()
	pairs := set.Pairs()
	if len(pairs) == 0 {
		return reply(render.Escape(render.NoPair(c)))
	}
	r := pairs[0][0]
	if strings.TrimSpace(args) != "" {
		var problem string
		if r, problem = s.ReportFor(args); problem != "" {
			return reply(render.Escape(problem))
		}
	} else if own := c.Reports[0]; set.New(own) != nil {
		r = own
	}
	n := set.New(r)
	if n == nil {
		return reply(render.Escape(fmt.Sprintf("没有收录《%s》上一年（%d年）的报告，无法比较。有连续两年报告的：%s。", r.Name, r.Year-1, pairList(pairs))))
	}
	return Reply{Messages: render.Novelty(n)}
}

func pairList(pairs [][2]*data.Report) string {
	var out []string
	for _, p := range pairs {
		out = append(out, fmt.Sprintf("%s %d–%d年", p[0].Region, p[1].Year, p[0].Year))
	}
	return strings.Join(out, "、")
}

// answerFigures answers the questions figures answer better than
// passages: a comparison of one indicator across years or places, and
// what is new in a report. ok is false for every other question, which
// takes the normal answer path.
func (s *Service) answerFigures(ctx context.Context, chat Chat, question string) (Reply, bool) {
	set := s.figures()
	if set == nil || s.Answerer == nil {
		return Reply{}, false
	}
	if figures.AsksNew(question) {
		r := s.New(chat, "")
		r.Outcome = "answered"
		s.recordFigures(ctx, chat, question, nil)
		return r, true
	}
	if !set.NamesIndicator(question) {
		return Reply{}, false
	}
	q, err := s.understand(question)
	if err != nil {
		return Reply{}, false
	}
	ask, ok := set.Understand(question, q)
	if !ok {
		return Reply{}, false
	}
	cmp := set.Compare(ask)
	var sections []string
	for _, sd := range cmp.Sides {
		if sd.Figure != nil {
			sections = append(sections, sd.Figure.Section)
		}
	}
	s.recordFigures(ctx, chat, question, sections)
	return Reply{Messages: render.Comparison(cmp), Outcome: "answered"}, true
}

// recordFigures counts a question figures answered in the chat's
// statistics.
func (s *Service) recordFigures(ctx context.Context, chat Chat, question string, sections []string) {
	if s.Store == nil {
		return
	}
	err := s.Store.RecordQuestion(ctx, chat.ID, s.Day(s.now()), store.QuestionRecord{Question: question, Covered: true, Sections: sections[:min(PageSize, len(sections))]})
	if err != nil {
		s.log().Debug("question not counted", "chat", chat.ID, "err", err)
	}
	attrs := []any{"chat", chat.ID, "figures", true}
	if s.LogQuestions {
		attrs = append(attrs, "question", question)
	}
	s.log().Info("question answered", attrs...)
}

// understand reads a question with the index served now.
func (s *Service) understand(text string) (*retrieval.Query, error) {
	ix, release := s.Answerer.Index.Acquire()
	defer release()
	return ix.Understand(text)
}

// figures are the key figures of the reports served now.
func (s *Service) figures() *figures.Set {
	if s.CurrentFigures != nil {
		if f := s.CurrentFigures(); f != nil {
			return f
		}
	}
	return s.Figures
}
