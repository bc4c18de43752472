package retrieval

import (
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"reportbot/data"
)

// answerSentence picks the sentence of p that answers the question: the
// one that covers the most of it, by the same weighted measure as
// coverage, with a lead for a sentence of the kind of answer asked (a
// figure for 多少) that holds the word the question turns on (see
// plan.head); between equals, the one with more matched terms (the longer
// match), then the earlier. answers says the sentence is of the kind
// asked and holds that word.
func (pl *plan) answerSentence(p *data.Paragraph, matched search.TermLocationMap) (span data.Span, answers bool, coverage float64) {
	if len(p.Sentences) == 0 {
		return data.Span{Start: 0, End: len(p.Text)}, false, 0
	}
	in := make([]map[string]bool, len(p.Sentences))
	for term, locs := range matched {
		for _, l := range locs {
			if i := sentenceAt(p.Sentences, int(l.Start)); i >= 0 {
				if in[i] == nil {
					in[i] = map[string]bool{}
				}
				in[i][term] = true
			}
		}
	}
	best, bestScore, bestAnswers, bestCov := 0, -1.0, false, 0.0
	for i, terms := range in {
		cov := pl.coverage(termSet(terms), nil)
		score := cov + 1e-3*float64(len(terms))
		ok := pl.want != WantAny && pl.holdsHead(termSet(terms)) && pl.answersNear(p, p.Sentences[i], matched)
		if ok {
			score += wantLead
		}
		if score > bestScore {
			best, bestScore, bestAnswers, bestCov = i, score, ok, cov
		}
	}
	return p.Sentences[best], bestAnswers, bestCov
}

// answersNear reports whether the sentence gives the kind of answer asked
// where it speaks of the word the question turns on: for a figure or a
// date, in the
// clause that holds the word or the clause after it ("国内生产总值增长6.6%",
// not "力争超长期特别国债…份额稳中有升，新增100个以上项目").
func (pl *plan) answersNear(p *data.Paragraph, sent data.Span, matched search.TermLocationMap) bool {
	if pl.want != WantFigure && pl.want != WantDate {
		return pl.want.satisfies(p.Text[sent.Start:sent.End])
	}
	for _, at := range pl.headMatches(matched, sent) {
		if pl.want.satisfies(clauseAround(p.Text, sent, at)) {
			return true
		}
	}
	return false
}

// headMatches returns where in sent the terms of the question's head unit
// matched (byte offsets of each match's start).
func (pl *plan) headMatches(matched search.TermLocationMap, sent data.Span) []int {
	head := pl.head()
	if head < 0 {
		return nil
	}
	var out []int
	for _, set := range pl.units[head].anyOf {
		for _, t := range set {
			for _, l := range matched[t] {
				if int(l.Start) >= sent.Start && int(l.Start) < sent.End {
					out = append(out, int(l.Start))
				}
			}
		}
	}
	return out
}

// clauseAround returns the clause of sent that holds offset at, with the
// clause after it: clauses end at ，；：、 and the sentence's own end.
func clauseAround(text string, sent data.Span, at int) string {
	start := sent.Start
	for i, r := range text[sent.Start:at] {
		if isClauseEnd(r) {
			start = sent.Start + i + utf8.RuneLen(r)
		}
	}
	end, ends := sent.End, 0
	for i, r := range text[at:sent.End] {
		if isClauseEnd(r) {
			if ends++; ends == 2 {
				end = at + i
				break
			}
		}
	}
	return text[start:end]
}

func isClauseEnd(r rune) bool { return r == '，' || r == '；' || r == '：' || r == ',' || r == ';' }

// wantLead is how much being of the kind of answer asked counts, against
// a sentence's share of the question, in choosing the answer sentence.
const wantLead = 0.3

func sentenceAt(spans []data.Span, off int) int {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].End > off })
	if i < len(spans) && spans[i].Start <= off {
		return i
	}
	return -1
}
