package retrieval

import (
	"github.com/blevesearch/bleve/v2/search"

	"reportbot/data"
)

// locateInPostings sets the text locations of terms in each hit from the
// postings a small index keeps (read from Bleve when it was built): the
// search then needs no locations from Bleve.
func (ix *Index) locateInPostings(hits search.DocumentMatchCollection, terms []string) {
	for _, h := range hits {
		locs := make(search.TermLocationMap, len(terms))
		for _, t := range terms {
			if l := ix.postings[t][h.ID]; l != nil {
				locs[t] = l
			}
		}
		h.Locations = search.FieldTermLocationMap{fieldText: locs}
	}
}

// matchedTerms is what a passage (or a part of it) matched.
type matchedTerms interface {
	// has reports whether the term was matched.
	has(term string) bool
	// phrase reports whether the terms were matched as a phrase, one after
	// the other where positions are known.
	phrase(terms []string) bool
}

// termSet is a plain set: a phrase is matched when all its terms are.
type termSet map[string]bool

func (s termSet) has(t string) bool { return s[t] }

func (s termSet) phrase(ts []string) bool {
	for _, t := range ts {
		if !s[t] {
			return false
		}
	}
	return len(ts) > 0
}

// locatedTerms are Bleve's term locations in a passage: a phrase is
// matched only where its terms stand at consecutive positions, so a
// synonym like 地区生产总值 counts only where the passage says it.
type locatedTerms search.TermLocationMap

func (m locatedTerms) has(t string) bool { return len(m[t]) > 0 }

func (m locatedTerms) phrase(ts []string) bool {
	if len(ts) == 0 {
		return false
	}
	for _, first := range m[ts[0]] {
		if m.follows(ts[1:], first.Pos+1) {
			return true
		}
	}
	return false
}

func (m locatedTerms) follows(ts []string, pos uint64) bool {
	if len(ts) == 0 {
		return true
	}
	for _, l := range m[ts[0]] {
		if l.Pos == pos {
			return m.follows(ts[1:], pos+1)
		}
	}
	return false
}

// shown keeps the matches worth marking: every match of a question's own
// words, and a lexicon phrase's terms only where the whole phrase stands.
func (pl *plan) shown(matched search.TermLocationMap) search.TermLocationMap {
	if pl.phraseOnly == nil {
		pl.phraseOnly = map[string]bool{}
		for _, ph := range pl.phrases {
			for _, t := range ph {
				pl.phraseOnly[t] = true
			}
		}
		for _, r := range pl.runs {
			if len(r) == 1 {
				delete(pl.phraseOnly, r[0])
			}
		}
		for _, u := range pl.units {
			for _, set := range u.anyOf {
				if len(set) == 1 {
					delete(pl.phraseOnly, set[0]) // a single-term unit: a word of the question
				}
			}
		}
	}
	out := make(search.TermLocationMap, len(matched))
	for term, locs := range matched {
		if !pl.phraseOnly[term] {
			out[term] = locs
			continue
		}
		for _, l := range locs {
			if pl.inWholePhrase(matched, term, l.Pos) {
				out[term] = append(out[term], l)
			}
		}
	}
	return out
}

// inWholePhrase reports whether term at position pos is part of one of
// the plan's phrases standing whole in the passage.
func (pl *plan) inWholePhrase(matched search.TermLocationMap, term string, pos uint64) bool {
	for _, ph := range pl.phrases {
		for j, t := range ph {
			if t != term || pos < uint64(j) {
				continue
			}
			if locatedTerms(matched).follows(ph, pos-uint64(j)) {
				return true
			}
		}
	}
	return false
}

// highlights merges the matched terms' locations into ordered spans.
func highlights(matched search.TermLocationMap) []data.Span {
	var spans []data.Span
	for _, locs := range matched {
		for _, l := range locs {
			spans = append(spans, data.Span{Start: int(l.Start), End: int(l.End)})
		}
	}
	return data.MergeSpans(spans)
}
