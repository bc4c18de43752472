package retrieval

// MinCoverage is how much of a question (by weight, see coverage) the best
// passage must contain for the report to count as covering it. It is a
// share of the question, not a raw score, so it means the same for every
// question: below it the answer is "the report does not say", not noise.
const MinCoverage = 0.45

// covers decides whether a passage answers the question at all: it holds
// at least MinCoverage of the question, or a long verbatim stretch of it
// (LongRun characters) and most of MinCoverage. The second rule keeps a
// question that adds its own words ("可以借助", "自身") to a phrase the
// report has verbatim; a chance overlap with an off-topic question is a
// common two-character word, not four characters in a row.
func covers(h scored) bool {
	return h.coverage >= MinCoverage || (h.run >= LongRun && h.coverage >= 0.7*MinCoverage)
}

// LongRun is the length, in characters, of a verbatim match that shows a
// question is on the report's topic.
const LongRun = 4

// coverageBand puts coverage into steps of a tenth, so that near-equal
// coverage is decided by BM25 rather than by noise in the weights.
func coverageBand(c float64) int { return int(c*10 + 1e-9) }

// coverage is the weighted share of the question's units that a passage's
// matched terms cover, from 0 to 1. Units that name the passage's report
// (青山区 in "青山区GDP目标", matched by its title) are context, not content:
// they count neither for nor against it, so "渝中区有什么好吃的" is not half
// covered by any paragraph of the 渝中区 report. A question that only names
// the report is covered by it. titleHas may be nil.
func (pl *plan) coverage(has, titleHas matchedTerms) float64 {
	var got, all float64
	context := false
	for _, u := range pl.units {
		switch {
		case titleHas != nil && u.coveredBy(titleHas):
			context = true
		case u.coveredBy(has):
			got += u.weight
			all += u.weight
		default:
			all += u.weight
		}
	}
	if all == 0 {
		if context {
			return 1
		}
		return 0
	}
	return got / all
}

func (u unit) coveredBy(has matchedTerms) bool {
	for _, set := range u.anyOf {
		if has.phrase(set) {
			return true
		}
	}
	return false
}

// longestRun is the longest stretch of the question, in characters, that
// a passage holds: consecutive terms of one phrase or alternative.
func (pl *plan) longestRun(has matchedTerms) int {
	best := 0
	for _, terms := range pl.runs {
		n := 0
		for _, t := range terms {
			if has.has(t) {
				n++
				best = max(best, n+1)
			} else {
				n = 0
			}
		}
	}
	return best
}
