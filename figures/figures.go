// Package figures holds the key figures of the loaded reports, extracted
// by rules when they are loaded: each target a report sets for its year
// and each result it reviews of the year before ("国内生产总值增长5%左右",
// "城镇新增就业1256万人"), with its indicator normalised (国内生产总值 and
// 地区生产总值 are one), value, unit and qualifier, and where it stands.
// Every figure is a span of a cited sentence; a sentence the rules do not
// understand yields nothing rather than a wrong figure.
//
// On the figures it answers what staff compare: a report's headline
// figures, one indicator beside itself across years and places, and what
// a report says that the same issuer's report of the year before did not.
package figures

import (
	"encoding/json"
	"fmt"
	"strings"

	"reportbot/data"
	"reportbot/retrieval"
)

// Kind says what a figure is.
type Kind int

const (
	// Target is a figure the report sets for its own year.
	Target Kind = iota + 1
	// Result is a figure the report gives of the year before.
	Result
)

func (k Kind) String() string {
	switch k {
	case Target:
		return "target"
	case Result:
		return "result"
	}
	return "unknown"
}

// MarshalText writes the kind by its name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind written by MarshalText.
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "target":
		*k = Target
	case "result":
		*k = Result
	default:
		return fmt.Errorf("unknown figure kind %q", b)
	}
	return nil
}

// Figure is one figure of a report.
type Figure struct {
	// Indicator is the indicator's name, normalised: "地区生产总值" for
	// 国内生产总值 and 全市生产总值 too. An indicator the table does not
	// list keeps the name it is written with.
	Indicator string `json:"indicator"`
	// Label is the indicator as written ("国内生产总值"), or, in a list
	// with 分别, the part of the list that names it ("城镇").
	Label string `json:"label"`
	// Known says the indicator is one of the table's (indicators.txt).
	Known bool `json:"known,omitempty"`
	// Measure says what is measured: the level, the growth or the fall.
	Measure Measure `json:"measure,omitempty"`
	// Verb is the word between indicator and value, as written: 增长,
	// 控制在, or "" (城镇调查失业率5.5%左右).
	Verb string `json:"verb,omitempty"`
	// Value is the number as written ("5", "1.4"); ValueTo the end of a
	// range ("6%－6.5%"), or "".
	Value   string `json:"value"`
	ValueTo string `json:"value_to,omitempty"`
	// Num and NumTo are Value and ValueTo read as numbers.
	Num   float64 `json:"num"`
	NumTo float64 `json:"num_to,omitempty"`
	// Unit is as written: "%", "万人", "万亿斤".
	Unit string `json:"unit"`
	// Qualifier is the word that bounds the value: after it (左右, 以上,
	// 以内) or, when none follows, before it (约, 不低于, 超过, 力争).
	Qualifier string `json:"qualifier,omitempty"`
	// Kind is target or result; Year the year the figure is for (the
	// report's year for a target, the year before for a result; 0 when
	// the report does not say its year).
	Kind Kind `json:"kind"`
	Year int  `json:"year,omitempty"`
	// Goal says the figure is in the report's list of main targets (主要
	// 预期目标).
	Goal bool `json:"goal,omitempty"`

	// Where it stands: report, section, paragraph number, sentence index
	// in the paragraph.
	ReportID  string `json:"report"`
	Section   string `json:"section"`
	Paragraph int    `json:"paragraph"`
	Sentence  int    `json:"sentence"`
	// Spans are byte ranges of the paragraph's text: the indicator as
	// written, the figure (qualifier before, value, unit, qualifier
	// after: "5%左右"), and the clause from indicator to figure.
	LabelSpan  data.Span `json:"label_span"`
	FigureSpan data.Span `json:"figure_span"`
	ClauseSpan data.Span `json:"clause_span"`

	// Para is the paragraph the figure is in.
	Para *data.Paragraph `json:"-"`
}

// Text is the figure as written: "5%左右", "约1500亿元".
func (f *Figure) Text() string { return f.span(f.FigureSpan) }

// Clause is the clause that states the figure, as written:
// "国内生产总值增长5%左右".
func (f *Figure) Clause() string { return f.span(f.ClauseSpan) }

func (f *Figure) span(sp data.Span) string {
	if f.Para == nil {
		return ""
	}
	return f.Para.Text[sp.Start:sp.End]
}

// MarshalJSON writes the figure's fields and, for a reader without the
// paragraph, its text and clause as written.
func (f Figure) MarshalJSON() ([]byte, error) {
	type fields Figure // without this method
	return json.Marshal(struct {
		fields
		Text   string `json:"text"`
		Clause string `json:"clause"`
	}{fields(f), f.Text(), f.Clause()})
}

// SentenceText is the sentence the figure stands in.
func (f *Figure) SentenceText() string { return f.Para.Sentence(f.Sentence) }

// Report is the report the figure is from.
func (f *Figure) Report() *data.Report { return f.Para.Report }

// Key names what the figure measures, so that two figures with one key
// can be compared: the indicator and the measure ("地区生产总值/增长").
func (f *Figure) Key() string { return f.Indicator + "/" + string(f.Measure) }

// Name is how a line of figures names what it measures: the indicator,
// with 增长 or 下降 for a growth or a fall ("地区生产总值增长").
func (f *Figure) Name() string {
	if f.Measure == Level {
		return f.Indicator
	}
	return f.Indicator + string(f.Measure)
}

// Set is the figures of a corpus.
type Set struct {
	corpus   *data.Corpus
	table    *table
	byReport map[string][]Figure
}

// Extract reads the figures of every report of c. lx gives the synonyms
// that indicators are normalised through; with nil, the embedded lexicon
// is used.
func Extract(c *data.Corpus, lx *retrieval.Lexicon) (*Set, error) {
	if lx == nil {
		var err error
		if lx, err = retrieval.DefaultLexicon(); err != nil {
			return nil, err
		}
	}
	t, err := parseTable(indicatorsText, lx)
	if err != nil {
		return nil, err
	}
	s := &Set{corpus: c, table: t, byReport: make(map[string][]Figure, len(c.Reports))}
	for _, r := range c.Reports {
		s.byReport[r.ID] = t.report(r)
	}
	return s, nil
}

// Corpus is the corpus the figures are from.
func (s *Set) Corpus() *data.Corpus {
	if s == nil {
		return nil
	}
	return s.corpus
}

// Report returns the figures of a report, in reading order.
func (s *Set) Report(id string) []Figure {
	if s == nil {
		return nil
	}
	return s.byReport[id]
}

// report extracts the figures of one report.
func (t *table) report(r *data.Report) []Figure {
	var out []Figure
	for _, p := range r.Paragraphs {
		part := partOf(p)
		// A part about a five-year plan ("“十三五”时期发展成就和“十四五”时期
		// 主要目标任务") gives that period's figures, not a year's.
		period := p.Section != nil && hasAny(p.Section.Title+"\x00"+p.Section.Parent, planPeriods)
		// The list of main targets runs from its opening words
		// ("主要预期目标是：") to the first sentence after them with no
		// figure in it.
		goalAt, inList := -1, false
		for si, sp := range p.Sentences {
			sent := p.Text[sp.Start:sp.End]
			if goalAt < 0 {
				if g := goalStart(sent); g > 0 {
					goalAt, inList = sp.Start+g, true
				}
			}
			cls := t.parseSentence(p.Text, sp)
			if len(cls) == 0 && inList && sp.Start >= goalAt {
				inList = false
			}
			if len(cls) == 0 {
				continue
			}
			kind, ok := kindOf(sent, part, false)
			ok = ok && !period
			for _, cl := range cls {
				if goal := inList && cl.clause.Start >= goalAt; goal {
					out = append(out, figure(p, si, cl, Target, true))
				} else if ok {
					out = append(out, figure(p, si, cl, kind, false))
				}
			}
		}
	}
	return out
}

func figure(p *data.Paragraph, si int, cl clause, kind Kind, goal bool) Figure {
	text := p.Text
	f := Figure{
		Indicator: cl.indicator, Known: cl.known, Measure: cl.measure, Verb: cl.verb,
		Value: text[cl.value.Start:cl.value.End], Num: cl.num,
		Unit: text[cl.unit.Start:cl.unit.End],
		Kind: kind, Goal: goal,
		ReportID: p.Report.ID, Section: p.SectionTitle(), Paragraph: p.Number, Sentence: si,
		LabelSpan: cl.phrase, FigureSpan: cl.figure, ClauseSpan: cl.clause, Para: p,
	}
	f.Label = text[cl.phrase.Start:cl.phrase.End]
	if f.Label == "" {
		f.Label = f.Indicator
	}
	if cl.valueTo.End > cl.valueTo.Start {
		f.ValueTo, f.NumTo = text[cl.valueTo.Start:cl.valueTo.End], cl.to
	}
	switch {
	case cl.post != "":
		f.Qualifier = cl.post
	case cl.pre != "":
		f.Qualifier = cl.pre
	}
	if y := p.Report.Year; y > 0 {
		f.Year = y
		if kind == Result {
			f.Year = y - 1
		}
	}
	return f
}

// goalWords open a report's list of main targets, before its colon:
// "今年发展主要预期目标是：".
var goalWords = []string{"预期目标是", "预期目标为", "主要目标是", "主要目标为", "主要预期目标", "主要目标"}

// goalStart is where, in a sentence, the list of main targets begins
// (after "主要预期目标是："), or 0.
func goalStart(s string) int {
	if !strings.Contains(s, "目标") {
		return 0
	}
	for _, w := range goalWords {
		i := strings.Index(s, w)
		if i < 0 {
			continue
		}
		rest := s[i+len(w):]
		for _, colon := range []string{"：", ":"} {
			if strings.HasPrefix(rest, colon) {
				return i + len(w) + len(colon)
			}
		}
	}
	return 0
}

// Words that say a sentence speaks of the year's targets or of the year
// before's results, whatever part of the report it stands in.
var (
	targetWords = []string{"预期目标", "目标是", "目标为", "力争", "今年", "确保"}
	// (上年 is not one: "比上年增加1.6万亿元" compares a target with the
	// year before.)
	resultWords = []string{"去年", "过去一年", "一年来"}
)

// kindOf says whether the figures of a sentence are targets or results:
// in the list of main targets, targets; else by the sentence's own words
// (今年, 预期目标 / 去年, 过去一年) when they say one and not the other;
// else by the part of the report it stands in (the plan or the review).
// A review sentence about several years (五年来, 年均) gives no year's
// result, and a sentence nothing places gives nothing.
func kindOf(sent string, part retrieval.Tense, goal bool) (Kind, bool) {
	if goal {
		return Target, true
	}
	target, result := hasAny(sent, targetWords), hasAny(sent, resultWords)
	var k Kind
	switch {
	case target && !result:
		k = Target
	case result && !target:
		k = Result
	case part == retrieval.Plan:
		k = Target
	case part == retrieval.Done:
		k = Result
	default:
		return 0, false
	}
	if k == Result && hasAny(sent, multiYear) {
		return 0, false
	}
	return k, true
}

// partOf is the part of its report a paragraph stands in, as searching
// reads it, and, where its headings do not say, by words of these
// reports' headings that searching does not need ("对今年政府工作的建议").
func partOf(p *data.Paragraph) retrieval.Tense {
	if t := retrieval.PartOf(p); t != retrieval.EitherTense {
		return t
	}
	if p.Section == nil {
		return retrieval.EitherTense
	}
	for _, h := range []string{p.Section.Title, p.Section.Parent} {
		switch {
		case hasAny(h, []string{"今年", "建议"}):
			return retrieval.Plan
		case hasAny(h, []string{"去年", "成绩", "成就"}):
			return retrieval.Done
		}
	}
	return retrieval.EitherTense
}

// planPeriods name a five-year plan's period in a heading.
var planPeriods = []string{"时期", "十三五", "十四五", "十五五"}

func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
