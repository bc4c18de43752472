package figures

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"reportbot/data"
	"reportbot/retrieval"
)

// Mode is the kind of comparison a question asks for.
type Mode int

const (
	// ByYear compares one place's figure across the years named
	// ("2023年和2025年GDP目标对比").
	ByYear Mode = iota + 1
	// ByPlace compares the places named ("重庆和四川今年GDP目标").
	ByPlace
	// SinceLastYear compares a report's figure with the same issuer's
	// report of the year before ("今年的就业目标比去年高吗").
	SinceLastYear
	// EveryRegion lists the figure of every loaded region ("各省GDP目标").
	EveryRegion
)

// Ask is a comparison of one indicator that a question asks for.
type Ask struct {
	Mode Mode
	// Indicator is the indicator's name (Figure.Indicator); Asked is how
	// the question names it ("GDP").
	Indicator, Asked string
	// Kind is whether targets or results are compared.
	Kind Kind
	// Measure is the measure the question names (增长, 下降, 总量); with
	// none, a growth is preferred to a level, as reports state them.
	Measure    Measure
	HasMeasure bool
	// Years and Places are those the question names; Now says it names
	// today's year (今年) rather than a calendar year.
	Years  []int
	Places []string
}

// Words that make a question a comparison.
var (
	everyWords = []string{"各省", "各地", "各市", "各区", "各自治区", "各省份", "各地区", "各省区市", "哪些省", "哪个省", "所有省", "全国各省"}
	sinceWords = []string{"比去年", "比上年", "较去年", "较上年", "与去年", "和去年", "跟去年", "同去年", "去年相比", "上年相比", "比上一年"}
	// resultAsked words ask for what was achieved rather than planned.
	resultAsked = []string{"实际", "完成", "实现了", "增长了", "结果"}
	riseAsked   = []string{"增长", "增速", "增幅", "涨幅"}
	fallAsked   = []string{"下降", "降低", "降幅"}
	levelAsked  = []string{"总量", "规模", "多少亿", "多少万"}
)

// growthOverYear is "比2022年增长": the growth of one year over another
// is that year's figure, asked of the normal way, not two years compared.
var growthOverYear = regexp.MustCompile(`(比|较)(19|20)\d\d年?(增长|增加|提高|下降|减少|降低|上涨)`)

// Understand reads a comparison from a question: an indicator the table
// knows, and two years, two places, the year before (比去年) or every
// region (各省). q is the question as retrieval understood it (its years
// and places). ok is false for any other question, which is answered as
// usual.
func (s *Set) Understand(question string, q *retrieval.Query) (Ask, bool) {
	if s == nil || q == nil {
		return Ask{}, false
	}
	text := retrieval.Normalize(question)
	a, asked, ok := s.table.find(text)
	if !ok {
		return Ask{}, false
	}
	ask := Ask{Indicator: a.ind.name, Asked: asked, Kind: Target, Years: slices.Clone(q.When.Years)}
	if a.hasMeas {
		ask.Measure, ask.HasMeasure = a.measure, true
	}
	places := q.Where.Places
	if len(places) > 1 {
		places = slices.DeleteFunc(slices.Clone(places), func(p string) bool { return p == retrieval.National && q.Where.Weak })
	}
	ask.Places = places
	switch {
	case hasAny(text, everyWords):
		ask.Mode = EveryRegion
	case len(ask.Years) >= 2 && !growthOverYear.MatchString(text):
		ask.Mode = ByYear
	case len(ask.Places) >= 2:
		ask.Mode = ByPlace
	case hasAny(text, sinceWords) || (slices.Contains(q.When.Relative, -1) && slices.Contains(q.When.Relative, 0)):
		ask.Mode = SinceLastYear
	default:
		return Ask{}, false
	}
	if q.When.Tense == retrieval.Done || (ask.Mode != SinceLastYear && hasAny(text, resultAsked)) {
		ask.Kind = Result
	}
	if !ask.HasMeasure {
		rest := strings.Replace(text, asked, "", 1)
		switch {
		case hasAny(rest, fallAsked):
			ask.Measure, ask.HasMeasure = Fall, true
		case hasAny(rest, levelAsked):
			ask.Measure, ask.HasMeasure = Level, true
		case hasAny(rest, riseAsked):
			ask.Measure, ask.HasMeasure = Rise, true
		}
	}
	return ask, true
}

// Side is one side of a comparison: a report's figure, or what is
// missing.
type Side struct {
	// Label names the side: its year, its region, or both.
	Label  string
	Report *data.Report // nil when no loaded report is this side's
	Year   int          // the year the figure is for
	Figure *Figure      // nil when the report gives none
	// Missing says plainly what is missing when Figure is nil.
	Missing string
	// Instead is, when the year before's report is not loaded, the
	// result of that year as this side's report reviews it.
	Instead *Figure
}

// Comparison is the answer to an Ask: each side's figure, newest first.
type Comparison struct {
	Ask   Ask
	Sides []Side
	// Note says how the sides were chosen when the question left it open
	// (which issuer's years; a city answered by its districts).
	Note string
	// Verdict compares two sides' values in words ("高0.5个百分点"), when
	// both give one in the same unit.
	Verdict string
}

// What says what is compared: "城镇新增就业目标".
func (a Ask) What() string {
	name := a.Indicator
	if a.HasMeasure && a.Measure != Level && !strings.HasSuffix(name, string(a.Measure)) {
		name += string(a.Measure)
	}
	if a.Kind == Result {
		return name + "（实际）"
	}
	return name + "目标"
}

// Compare answers a comparison from the loaded reports.
func (s *Set) Compare(a Ask) *Comparison {
	c := &Comparison{Ask: a}
	switch a.Mode {
	case ByYear:
		s.byYear(c)
	case ByPlace:
		s.byPlace(c)
	case SinceLastYear:
		s.sinceLastYear(c)
	case EveryRegion:
		s.everyRegion(c)
	}
	c.Verdict = verdict(c)
	return c
}

// yearOf is the year a report's figures of a kind are for.
func yearOf(r *data.Report, k Kind) int {
	if r.Year == 0 {
		return 0
	}
	if k == Result {
		return r.Year - 1
	}
	return r.Year
}

// RegionReports returns the loaded reports of a place (its key, as
// retrieval names places: 四川省, 全国), newest first, and when it has
// none those of the places within it (a city's districts), with wider
// set.
func (s *Set) RegionReports(place string) (rs []*data.Report, wider bool) {
	for _, r := range s.corpus.Reports {
		if r.Region == place {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		for _, r := range s.corpus.Reports {
			if slices.Contains(r.RegionPath, place) {
				rs = append(rs, r)
			}
		}
		wider = len(rs) > 0
	}
	slices.SortStableFunc(rs, func(x, y *data.Report) int { return cmp.Compare(y.Year, x.Year) })
	return rs, wider
}

// side is the side of report r: its figure for the ask, or what is
// missing.
func (s *Set) side(a Ask, r *data.Report, label string) Side {
	sd := Side{Label: label, Report: r, Year: yearOf(r, a.Kind)}
	sd.Figure = s.Pick(r, a)
	if sd.Figure == nil {
		sd.Missing = fmt.Sprintf("《%s》没有给出%s", r.Name, a.What())
	}
	return sd
}

// Pick returns the figure of a report that answers an ask: of its
// indicator and kind, the measure asked (a growth before a level when none
// is), the list of main targets before the rest, the first in reading
// order.
func (s *Set) Pick(r *data.Report, a Ask) *Figure {
	figs := s.Report(r.ID)
	rank := func(f *Figure) int {
		n := 0
		switch {
		case a.HasMeasure && f.Measure == a.Measure:
		case a.HasMeasure:
			n += 4
		case f.Measure == Rise:
		case f.Measure == Level:
			n++
		default:
			n += 2
		}
		if !f.Goal {
			n += 8
		}
		return n
	}
	var best *Figure
	for i := range figs {
		f := &figs[i]
		if f.Indicator != a.Indicator || f.Kind != a.Kind {
			continue
		}
		if best == nil || rank(f) < rank(best) {
			best = f
		}
	}
	return best
}

func (s *Set) byYear(c *Comparison) {
	a := c.Ask
	years := slices.Clone(a.Years)
	slices.Sort(years)
	slices.Reverse(years)
	var group []*data.Report
	region := ""
	if len(a.Places) > 0 {
		var wider bool
		group, wider = s.RegionReports(a.Places[0])
		region = a.Places[0]
		if wider {
			c.Note = fmt.Sprintf("没有收录%s本级的报告，以下来自%s所辖地区的报告。", region, region)
		}
	} else {
		group, region = s.bestGroup(years, a)
		if len(group) > 0 {
			region = issuerName(group[0])
			c.Note = fmt.Sprintf("问题没有说地区：以下是%s的报告（收录的报告中它的年份最全）。", region)
		}
	}
	for _, y := range years {
		var r *data.Report
		for _, g := range group {
			if yearOf(g, a.Kind) == y {
				r = g
				break
			}
		}
		label := strconv.Itoa(y) + "年"
		if r == nil {
			c.Sides = append(c.Sides, Side{Label: label, Year: y, Missing: fmt.Sprintf("没有收录%s%d年的报告", nameOr(region, "这个地区"), reportYearFor(y, a.Kind))})
			continue
		}
		c.Sides = append(c.Sides, s.side(a, r, label))
	}
}

// reportYearFor is the year of the report that gives a year's figure of
// a kind: a year's targets are in its own report, its results in the
// next year's.
func reportYearFor(y int, k Kind) int {
	if k == Result {
		return y + 1
	}
	return y
}

func nameOr(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

// bestGroup picks, for a question that names years and no place, the
// region whose reports give the figure for the most of those years (then
// cover the most of them): the bot's own report's region first among
// equals, then the country's.
func (s *Set) bestGroup(years []int, a Ask) ([]*data.Report, string) {
	var regions []string
	for _, r := range s.corpus.Reports {
		if r.Region != "" && !slices.Contains(regions, r.Region) {
			regions = append(regions, r.Region)
		}
	}
	type score struct{ given, covered, rank int }
	better := func(x, y score) bool {
		if x.given != y.given {
			return x.given > y.given
		}
		if x.covered != y.covered {
			return x.covered > y.covered
		}
		return x.rank < y.rank
	}
	best, bestScore := "", score{-1, -1, 0}
	for i, reg := range regions {
		rs, _ := s.RegionReports(reg)
		sc := score{rank: i + 2}
		if i == 0 {
			sc.rank = 0
		} else if reg == retrieval.National {
			sc.rank = 1
		}
		for _, y := range years {
			for _, r := range rs {
				if yearOf(r, a.Kind) == y {
					sc.covered++
					if s.Pick(r, a) != nil {
						sc.given++
					}
					break
				}
			}
		}
		if better(sc, bestScore) {
			best, bestScore = reg, sc
		}
	}
	if best == "" {
		return nil, ""
	}
	rs, _ := s.RegionReports(best)
	return rs, best
}

func (s *Set) byPlace(c *Comparison) {
	a := c.Ask
	var notes []string
	for _, p := range a.Places {
		rs, wider := s.RegionReports(p)
		if len(a.Years) == 1 {
			rs = slices.DeleteFunc(rs, func(r *data.Report) bool { return yearOf(r, a.Kind) != a.Years[0] })
		}
		if len(rs) == 0 {
			what := p
			if len(a.Years) == 1 {
				what = fmt.Sprintf("%s%d年", p, reportYearFor(a.Years[0], a.Kind))
			}
			c.Sides = append(c.Sides, Side{Label: p, Missing: "没有收录" + what + "的报告"})
			continue
		}
		if wider {
			notes = append(notes, fmt.Sprintf("没有收录%s本级的报告，%s一栏是它所辖地区的报告。", p, p))
			// Each place within it, its newest report.
			seen := map[string]bool{}
			for _, r := range rs {
				if !seen[r.Region] {
					seen[r.Region] = true
					c.Sides = append(c.Sides, s.side(a, r, fmt.Sprintf("%s·%s（%s）", p, r.Region, labelYear(r, a.Kind))))
				}
			}
			continue
		}
		c.Sides = append(c.Sides, s.side(a, rs[0], fmt.Sprintf("%s（%s）", p, labelYear(rs[0], a.Kind))))
	}
	c.Note = strings.Join(notes, "")
	newestFirst(c.Sides)
}

// newestFirst orders sides by year, newest first, keeping the question's
// order among equals; sides with no report go last.
func newestFirst(sides []Side) {
	slices.SortStableFunc(sides, func(x, y Side) int {
		if (x.Report == nil) != (y.Report == nil) {
			if x.Report == nil {
				return 1
			}
			return -1
		}
		return cmp.Compare(y.Year, x.Year)
	})
}

func (s *Set) sinceLastYear(c *Comparison) {
	a := c.Ask
	var base *data.Report
	switch {
	case len(a.Places) > 0:
		rs, _ := s.RegionReports(a.Places[0])
		if len(a.Years) == 1 {
			rs = slices.DeleteFunc(rs, func(r *data.Report) bool { return r.Year != a.Years[0] })
		}
		if len(rs) == 0 {
			c.Sides = append(c.Sides, Side{Label: a.Places[0], Missing: "没有收录" + a.Places[0] + "的报告"})
			return
		}
		base = rs[0]
	default:
		base = s.ownOrNational(a)
		if own := s.corpus.Reports[0]; base != nil && base != own {
			c.Note = fmt.Sprintf("问题没有说地区，《%s》没有给出%s：以下是%s的报告。", own.Name, a.What(), issuerName(base))
		}
	}
	if base == nil {
		return
	}
	c.Sides = append(c.Sides, s.side(a, base, labelYear(base, a.Kind)))
	var prev *data.Report
	for _, r := range s.corpus.Reports {
		if r.Region == base.Region && r.Year > 0 && r.Year == base.Year-1 {
			prev = r
		}
	}
	if prev != nil {
		sd := s.side(a, prev, labelYear(prev, a.Kind))
		c.Sides = append(c.Sides, sd)
		return
	}
	y := yearOf(base, a.Kind) - 1
	sd := Side{Label: strconv.Itoa(y) + "年", Year: y,
		Missing: fmt.Sprintf("没有收录%s%d年的报告", issuerName(base), base.Year-1)}
	if a.Kind == Target {
		// This year's report reviews last year: what it achieved is there.
		sd.Instead = s.Pick(base, Ask{Indicator: a.Indicator, Kind: Result, Measure: a.Measure, HasMeasure: a.HasMeasure})
	}
	c.Sides = append(c.Sides, sd)
}

// issuerName names whose reports a side's are: the issuer (国务院), or the
// region.
func issuerName(r *data.Report) string {
	if r.Issuer != "" {
		return r.Issuer
	}
	return nameOr(r.Region, r.Name)
}

func labelYear(r *data.Report, k Kind) string { return fmt.Sprintf("%d年", yearOf(r, k)) }

// ownOrNational is the report a question that names no place asks
// about: the bot's own report (the corpus's first) when it gives the
// figure, else the country's newest, else the newest that gives it.
func (s *Set) ownOrNational(a Ask) *data.Report {
	if len(s.corpus.Reports) == 0 {
		return nil
	}
	own := s.corpus.Reports[0]
	if s.Pick(own, a) != nil {
		return own
	}
	if rs, _ := s.RegionReports(retrieval.National); len(rs) > 0 && s.Pick(rs[0], a) != nil {
		return rs[0]
	}
	for _, r := range s.newestEach() {
		if s.Pick(r, a) != nil {
			return r
		}
	}
	return own
}

// newestEach returns each region's newest report, in load order.
func (s *Set) newestEach() []*data.Report {
	newest := map[string]*data.Report{}
	for _, r := range s.corpus.Reports {
		if have, ok := newest[r.Region]; !ok || r.Year > have.Year {
			newest[r.Region] = r
		}
	}
	var out []*data.Report
	for _, r := range s.corpus.Reports {
		if newest[r.Region] == r {
			out = append(out, r)
		}
	}
	return out
}

func (s *Set) everyRegion(c *Comparison) {
	a := c.Ask
	var rs []*data.Report
	if len(a.Years) == 1 {
		for _, r := range s.corpus.Reports {
			if yearOf(r, a.Kind) == a.Years[0] {
				rs = append(rs, r)
			}
		}
	} else {
		rs = s.newestEach()
	}
	for _, r := range rs {
		c.Sides = append(c.Sides, s.side(a, r, nameOr(r.Region, r.Name)))
	}
	slices.SortStableFunc(c.Sides, func(x, y Side) int {
		if (x.Figure == nil) != (y.Figure == nil) {
			if x.Figure == nil {
				return 1
			}
			return -1
		}
		if d := cmp.Compare(y.Year, x.Year); d != 0 {
			return d
		}
		if x.Figure != nil && y.Figure != nil && sameUnit(x.Figure.Unit, y.Figure.Unit) {
			return cmp.Compare(y.Figure.Num, x.Figure.Num)
		}
		return 0
	})
}

// verdict compares the first two sides' values when both are in one
// unit: "2025年比2023年高0.5个百分点", "持平".
func verdict(c *Comparison) string {
	if c.Ask.Mode == EveryRegion || len(c.Sides) != 2 {
		return ""
	}
	x, y := c.Sides[0].Figure, c.Sides[1].Figure
	if x == nil || y == nil || !sameUnit(x.Unit, y.Unit) || x.Measure != y.Measure || x.NumTo != 0 || y.NumTo != 0 {
		return ""
	}
	d := math.Round((x.Num-y.Num)*1000) / 1000
	unit := x.Unit
	if isPercent(unit) {
		unit = "个百分点"
	}
	if math.Abs(d) < 1e-9 {
		if x.Qualifier != y.Qualifier {
			return fmt.Sprintf("%s与%s数值相同（%s / %s）", c.Sides[0].Label, c.Sides[1].Label, x.Text(), y.Text())
		}
		return fmt.Sprintf("%s与%s持平", c.Sides[0].Label, c.Sides[1].Label)
	}
	word := "高"
	if d < 0 {
		word, d = "低", -d
	}
	if x.Measure == Fall {
		word = map[string]string{"高": "降幅大", "低": "降幅小"}[word]
	}
	return fmt.Sprintf("%s比%s%s%s%s", c.Sides[0].Label, c.Sides[1].Label, word, strconv.FormatFloat(d, 'f', -1, 64), unit)
}

func sameUnit(a, b string) bool { return a == b || (isPercent(a) && isPercent(b)) }

// NamesIndicator reports whether a question names an indicator the table
// knows: a cheap look before a question is parsed as a comparison.
func (s *Set) NamesIndicator(question string) bool {
	if s == nil {
		return false
	}
	_, _, ok := s.table.find(retrieval.Normalize(question))
	return ok
}

// noveltyWords ask what is new in a report's wording; "新举措" and the
// like ask for measures, which searching answers.
var noveltyWords = []string{"新提法", "新表述", "新说法", "新的提法", "新的表述", "新的说法", "新在哪"}

// AsksNew reports whether a question asks what is new in a report
// ("今年报告有哪些新提法").
func AsksNew(question string) bool { return hasAny(retrieval.Normalize(question), noveltyWords) }
