package retrieval

import (
	"sort"

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
func (pl *plan) answerSentence(p *data.Paragraph, matched search.TermLocationMap) (span data.Span, answers bool) {
	if len(p.Sentences) == 0 {
		return data.Span{Start: 0, End: len(p.Text)}, false
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
	best, bestScore, bestAnswers := 0, -1.0, false
	for i, terms := range in {
		cov := pl.coverage(termSet(terms), nil)
		score := cov + 1e-3*float64(len(terms))
		ok := pl.want != WantAny && pl.holdsHead(termSet(terms)) && pl.want.satisfies(p.Sentence(i))
		if ok {
			score += wantLead
		}
		if score > bestScore {
			best, bestScore, bestAnswers = i, score, ok
		}
	}
	return p.Sentences[best], bestAnswers
}

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
