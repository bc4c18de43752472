package retrieval

import (
	"sort"

	"github.com/blevesearch/bleve/v2/search"

	"reportbot/data"
)

// answerSentence picks the sentence of p that covers the most of the
// question, by the same weighted measure as coverage; between equals, the
// one with more matched terms (the longer match), then the earlier.
func (pl *plan) answerSentence(p *data.Paragraph, matched search.TermLocationMap) data.Span {
	if len(p.Sentences) <= 1 {
		if len(p.Sentences) == 0 {
			return data.Span{Start: 0, End: len(p.Text)}
		}
		return p.Sentences[0]
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
	best, bestScore := 0, -1.0
	for i, terms := range in {
		score := pl.coverage(termSet(terms), nil) + 1e-3*float64(len(terms))
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return p.Sentences[best]
}

func sentenceAt(spans []data.Span, off int) int {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].End > off })
	if i < len(spans) && spans[i].Start <= off {
		return i
	}
	return -1
}
