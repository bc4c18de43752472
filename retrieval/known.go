package retrieval

import "github.com/blevesearch/bleve/v2/analysis"

// Knows reports whether a question holds a content word that the indexed
// reports contain: a lexicon concept one of whose phrases some passage
// has, a two-character word (bigram) of its phrases, or a Latin word or
// number. A single character does not count: 好 of "好的" is in 做好, and
// says nothing about what was asked. Telling a question from small talk
// ("好的", "收到") takes this together with question words and marks.
func (ix *Index) Knows(q *Query) bool {
	for _, c := range q.Concepts {
		for _, alt := range c.Alternatives {
			terms := ix.altTerms(alt)
			known := len(terms) > 0
			for _, t := range terms {
				known = known && ix.df[t] > 0
			}
			if known {
				return true
			}
		}
	}
	for _, ph := range q.Phrases {
		for _, t := range ix.queryAnalyzer.Analyze([]byte(ph)) {
			if t.Type == analysis.Single || t.Type == analysis.Ideographic {
				continue
			}
			if ix.df[string(t.Term)] > 0 {
				return true
			}
		}
	}
	return false
}
