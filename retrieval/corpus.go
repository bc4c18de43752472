package retrieval

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"reportbot/data"
)

// forCorpus returns a copy of lx that knows the corpus: each report's year
// also stands for "今年" in it and the year before for "去年"/"上年" (reports
// speak of their own year as "this year"), and the place names of the
// gazetteer and of the loaded reports are recognised in questions.
func (lx *Lexicon) forCorpus(c *data.Corpus) *Lexicon {
	cp := *lx
	cp.expansions = make(map[string][]string, len(lx.expansions)+4)
	for k, v := range lx.expansions {
		cp.expansions[k] = v
	}
	for _, r := range c.Reports {
		y := r.Year
		if y == 0 {
			continue
		}
		cp.add(strconv.Itoa(y)+"年", []string{"今年", "本年"})
		cp.add(strconv.Itoa(y-1)+"年", []string{"去年", "上年", "过去一年"})
	}
	cp.places = &places{}
	// A report's issuer names its place too: "国务院" asks the State
	// Council's reports, "渝中区人民政府" the district's.
	for _, r := range c.Reports {
		if r.Issuer != "" && r.Region != "" {
			cp.places.add(r.Issuer, r.Region)
		}
	}
	// The loaded reports' regions first: a district's own short name (渝中)
	// is its own, whatever else it might abbreviate.
	for _, g := range append(c.Regions(), data.Gazetteer()...) {
		for _, name := range g.Names() {
			// One-character abbreviations (川, 渝) are left out: inside
			// Chinese text they are mostly parts of other words (渝 of
			// 渝中, 新 of 新能源).
			if utf8.RuneCountInString(Normalize(name)) >= 2 {
				cp.places.add(name, g.Full)
			}
		}
	}
	return &cp
}

// reportInfos describes the corpus's reports for scoping, in corpus order.
func reportInfos(c *data.Corpus) []reportInfo {
	out := make([]reportInfo, len(c.Reports))
	for i, r := range c.Reports {
		out[i] = reportInfo{id: r.ID, year: r.Year, path: r.RegionPath}
	}
	return out
}

// reviewWords and planWords mark a heading as the review or the plan.
var (
	reviewWords = []string{"回顾", "过去一年", "过去五年", "工作总结", "主要成绩", "取得的成绩"}
	planWords   = []string{"安排", "任务", "总体要求", "主要目标", "预期目标", "工作建议", "重点工作", "计划", "部署"}
)

func partOf(heading string, year int) Tense {
	if heading == "" {
		return EitherTense
	}
	for _, w := range reviewWords {
		if strings.Contains(heading, w) {
			return Done
		}
	}
	for _, w := range planWords {
		if strings.Contains(heading, w) {
			return Plan
		}
	}
	if year > 0 {
		switch {
		case strings.Contains(heading, strconv.Itoa(year-1)+"年"):
			return Done
		case strings.Contains(heading, strconv.Itoa(year)+"年"):
			return Plan
		}
	}
	return EitherTense
}
