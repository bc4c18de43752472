package retrieval

import (
	"sort"

	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// plan is a parsed question made ready to search and to measure against:
// the Bleve query, and the question's units with their weights.
type plan struct {
	// want is the kind of answer asked for.
	want  Want
	query query.Query
	// full is query with the terms most passages hold, for locating them.
	full query.Query
	// rank is query with only the question's rarest terms: on a large
	// index it finds the candidates, and query then scores them.
	rank query.Query
	// textTerms are the text terms searched for.
	textTerms []string
	units     []unit
	// runs lists, for each phrase and each concept alternative, its terms
	// in order: a passage matching n terms of one in a row holds n+1
	// characters of the question verbatim.
	runs [][]string
	// phrases are the lexicon alternatives of several terms, and
	// phraseOnly the terms that come from them alone: such a term is a
	// match only where its whole phrase stands (经济 of 经济总量 is not).
	phrases    [][]string
	phraseOnly map[string]bool
}

// unit is a piece of the question that a passage covers or not: a Han
// character, a Latin word or number, or a lexicon concept. It is covered
// when any of its term sets is wholly matched.
type unit struct {
	weight float64
	// anyOf lists term sets; one fully matched covers the unit. A
	// character's sets are the single terms (bigrams) that contain it; a
	// concept's are its alternatives' terms.
	anyOf [][]string
}

func (ix *Index) plan(q *Query) *plan {
	pl := &plan{want: q.Want}
	dis := bleve.NewDisjunctionQuery()
	// Terms are built here from one analysis of each phrase rather than
	// with match queries, which would analyse every phrase again per field.
	// A term no passage holds is left out of the search (it cannot match,
	// and each term costs a posting lookup) but not out of coverage.
	seen := map[string]bool{}
	var textTerms []string
	for _, ph := range q.Phrases {
		ph, _ = ix.mend(ph)
		toks := ix.queryAnalyzer.Analyze([]byte(ph))
		terms := make([]string, len(toks))
		for i, t := range toks {
			terms[i] = string(t.Term)
			if seen[terms[i]] {
				continue
			}
			seen[terms[i]] = true
			if ix.df[terms[i]] > 0 {
				textTerms = append(textTerms, terms[i])
			}
			if len(ix.corpus.Reports) > 1 {
				// Which report a question names decides between reports;
				// with one report it would add the same to every score.
				dis.AddQuery(termQuery(terms[i], fieldReport, reportBoost))
			}
		}
		pl.units = append(pl.units, ix.phraseUnits(ph, toks)...)
		pl.runs = append(pl.runs, terms)
	}
	for _, c := range q.Concepts {
		u := unit{}
		var weights []float64
		for _, alt := range c.Alternatives {
			terms := ix.altTerms(alt)
			if len(terms) == 0 {
				continue
			}
			// The alternative's terms join the search; whether they stand
			// together as a phrase is checked from their positions when
			// coverage is measured, which costs far less than Bleve's
			// phrase searcher on every candidate.
			for _, t := range terms {
				if !seen[t] && ix.df[t] > 0 {
					seen[t] = true
					textTerms = append(textTerms, t)
				}
			}
			var w float64
			for _, t := range terms {
				w = max(w, ix.weight(t))
			}
			u.anyOf = append(u.anyOf, terms)
			pl.runs = append(pl.runs, terms)
			if len(terms) > 1 {
				pl.phrases = append(pl.phrases, terms)
			}
			weights = append(weights, w)
		}
		if len(u.anyOf) == 0 {
			continue
		}
		// A concept weighs like a two-character word of its most common
		// form: the question asks for the idea, whichever way it is written.
		u.weight = 2 * minOf(weights)
		if c.Context {
			u.weight = 0
		}
		pl.units = append(pl.units, u)
	}
	rank := bleve.NewDisjunctionQuery()
	rank.AddQuery(dis.Disjuncts...) // the report-title terms
	full := bleve.NewDisjunctionQuery()
	full.AddQuery(dis.Disjuncts...)
	for _, t := range textTerms {
		tq := termQuery(t, fieldText, 1)
		full.AddQuery(tq)
		// A term most passages hold (年 of 2024年) barely moves a BM25
		// score but costs a searcher; it is still looked up for coverage
		// and highlights among the hits.
		if ix.df[t]*2 <= ix.docs {
			dis.AddQuery(tq)
		}
	}
	if len(dis.Disjuncts) == 0 {
		dis = full
	}
	for _, t := range ix.rarest(textTerms, rankTerms) {
		rank.AddQuery(termQuery(t, fieldText, 1))
	}
	pl.query, pl.full, pl.rank, pl.textTerms = dis, full, rank, textTerms
	return pl
}

// holdsHead reports whether matched terms cover the unit the question
// turns on: its heaviest content unit (the rarest word, as the reports
// go). A sentence that gives a figure but not for that word does not
// answer "多少".
func (pl *plan) holdsHead(has matchedTerms) bool {
	head := pl.head()
	return head >= 0 && pl.units[head].coveredBy(has)
}

// head is the index of the question's heaviest content unit, or −1.
func (pl *plan) head() int {
	head := -1
	for i, u := range pl.units {
		if u.weight > 0 && (head < 0 || u.weight > pl.units[head].weight) {
			head = i
		}
	}
	return head
}

// rankTerms is how many of a question's terms find the candidates on a
// large index: the rarest ones. A common term adds little to any passage's
// BM25 score but walks a long posting list; among the candidates every
// term scores and counts for coverage.
const rankTerms = 6

// rarest returns up to n of terms, rarest first, leaving out those held by
// more than 1/commonShare of the passages unless that would leave none (then
// the rarest one).
func (ix *Index) rarest(terms []string, n int) []string {
	out := append([]string(nil), terms...)
	sort.SliceStable(out, func(i, j int) bool { return ix.df[out[i]] < ix.df[out[j]] })
	keep := 0
	for keep < len(out) && keep < n && ix.df[out[keep]]*commonShare <= ix.docs {
		keep++
	}
	return out[:max(keep, min(1, len(out)))]
}

// commonShare: see rarest.
const commonShare = 4

func termQuery(term, field string, boost float64) query.Query {
	tq := bleve.NewTermQuery(term)
	tq.SetField(field)
	tq.SetBoost(boost)
	return tq
}

// altTerms returns the analysed terms of a lexicon phrase. The lexicon is
// fixed, so each phrase is analysed once per index.
func (ix *Index) altTerms(alt string) []string {
	if v, ok := ix.altCache.Load(alt); ok {
		return v.([]string)
	}
	terms := ix.queryTerms(alt)
	ix.altCache.Store(alt, terms)
	return terms
}

// queryTerms analyses s as a question is analysed and returns its terms.
func (ix *Index) queryTerms(s string) []string {
	var out []string
	for _, t := range ix.queryAnalyzer.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// phraseUnits splits a phrase into units: each Han character, and each
// other token (a Latin word, a number) whole. A character's weight is the
// IDF of the most common term that contains it, so a character is as
// informative as the commonest way it can be matched.
func (ix *Index) phraseUnits(ph string, toks analysis.TokenStream) []unit {
	var units []unit
	byStart := map[int]int{} // byte offset of a Han character → unit index
	for _, t := range toks {
		term := string(t.Term)
		w := ix.weight(term)
		if t.Type != analysis.Double && t.Type != analysis.Single && t.Type != analysis.Ideographic {
			units = append(units, unit{weight: w, anyOf: [][]string{{term}}})
			continue
		}
		for off := t.Start; off < t.End; {
			_, n := utf8.DecodeRuneInString(ph[off:])
			i, ok := byStart[off]
			if !ok {
				i = len(units)
				byStart[off] = i
				units = append(units, unit{weight: w})
			}
			units[i].weight = min(units[i].weight, w)
			units[i].anyOf = append(units[i].anyOf, []string{term})
			off += n
		}
	}
	return units
}

func minOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}
