package retrieval

import (
	"context"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"reportbot/data"
)

// MinCoverage is how much of a question (by weight, see coverage) the best
// passage must contain for the report to count as covering it. It is a
// share of the question, not a raw score, so it means the same for every
// question: below it the answer is "the report does not say", not noise.
const MinCoverage = 0.45

// candidates is how many hits Bleve returns for re-ranking by coverage.
const candidates = 10

// Result is the answer to one question.
type Result struct {
	Question  string `json:"question"`
	Truncated bool   `json:"truncated,omitempty"`
	// Covered says the report answers the question; when false, Answer is
	// empty and Passages is empty.
	Covered bool `json:"covered"`
	// Answer is the sentence of the best passage that answers the question.
	Answer   string    `json:"answer"`
	Passages []Passage `json:"passages"`
	// Coverage is the best passage's share of the question.
	Coverage float64 `json:"coverage"`
	// Query is how the question was understood.
	Query *Query `json:"query"`
}

// Passage is one quoted paragraph with its citation.
type Passage struct {
	ReportID  string  `json:"report_id"`
	Report    string  `json:"report"`
	Section   string  `json:"section"`
	Paragraph int     `json:"paragraph"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
	Coverage  float64 `json:"coverage"`
	// Highlights are the byte ranges of Text that matched the question,
	// merged and in order, from Bleve's term locations.
	Highlights []data.Span `json:"highlights,omitempty"`
	// Answer is the byte range of the sentence that best answers.
	Answer data.Span `json:"answer_span"`
}

// AnswerText returns the passage's answer sentence.
func (p *Passage) AnswerText() string { return p.Text[p.Answer.Start:p.Answer.End] }

// Search answers question with up to k passages (k ≤ 0 means 3). It
// returns ErrNoQuestion when the question has nothing to search for.
func (ix *Index) Search(ctx context.Context, question string, k int) (*Result, error) {
	q, err := ix.Understand(question)
	if err != nil {
		return nil, err
	}
	return ix.SearchQuery(ctx, q, k)
}

// Understand parses a question with the index's lexicon (which knows the
// reports' years). Its Key identifies the question for caching.
func (ix *Index) Understand(question string) (*Query, error) { return ix.lexicon.Parse(question) }

// SearchQuery is Search for a question already understood.
func (ix *Index) SearchQuery(ctx context.Context, q *Query, k int) (*Result, error) {
	if k <= 0 {
		k = 3
	}
	plan := ix.plan(q)
	res, err := ix.locate(ctx, plan, max(candidates, k))
	if err != nil {
		return nil, err
	}
	hits := make([]scored, 0, len(res.Hits))
	for _, h := range res.Hits {
		p, ok := ix.byID[h.ID]
		if !ok {
			continue
		}
		matched, title := h.Locations[fieldText], ix.titleTerms[p.Report.ID]
		text := locatedTerms(matched)
		hits = append(hits, scored{p: p, score: h.Score, matched: matched, coverage: plan.coverage(text, termSet(title)), run: plan.longestRun(text)})
	}
	// Rank by how much of the question a passage covers first, then by
	// BM25: a paragraph that mentions one query word many times must not
	// beat the one that holds the whole question.
	sort.SliceStable(hits, func(i, j int) bool {
		ci, cj := coverageBand(hits[i].coverage), coverageBand(hits[j].coverage)
		if ci != cj {
			return ci > cj
		}
		return hits[i].score > hits[j].score
	})

	out := &Result{Question: q.Asked, Truncated: q.Truncated, Query: q, Passages: []Passage{}}
	if len(hits) > 0 {
		out.Coverage = hits[0].coverage
	}
	out.Covered = len(hits) > 0 && covers(hits[0])
	if !out.Covered {
		return out, nil
	}
	for _, h := range hits {
		if len(out.Passages) == k {
			break
		}
		// Further passages must cover the question as well as it takes to
		// be covered at all, and 60% as well as the best: a paragraph that
		// shares a word or two with the question is noise, not an answer.
		if len(out.Passages) > 0 && h.coverage < max(min(MinCoverage, out.Coverage), 0.6*out.Coverage) {
			break
		}
		out.Passages = append(out.Passages, ix.passage(h, plan))
	}
	out.Answer = out.Passages[0].AnswerText()
	return out, nil
}

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

// twoPassMin is the index size (passages) from which locate searches in two
// passes; measured with reportbot bench, the second pass pays from a few
// hundred passages on.
const twoPassMin = 500

// locate returns the top n hits for the plan's query with their term
// locations. On a small index that is one search and a look-up of the
// postings read at build time. On a large one it takes two searches: the rank query (rarest terms, no locations) finds 2n candidates,
// then the full query scores just those and fetches their locations.
// Asking for locations in one pass would decode them for every posting of
// every matching passage, most of which are then dropped.
func (ix *Index) locate(ctx context.Context, pl *plan, n int) (*bleve.SearchResult, error) {
	if ix.postings != nil {
		// A small index keeps its postings' locations (read from Bleve
		// when it was built): one search without locations, then look
		// them up for the hits.
		res, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(pl.query, n, 0, false))
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, h := range res.Hits {
			locs := make(search.TermLocationMap, len(pl.textTerms))
			for _, t := range pl.textTerms {
				if l := ix.postings[t][h.ID]; l != nil {
					locs[t] = l
				}
			}
			h.Locations = search.FieldTermLocationMap{fieldText: locs}
		}
		return res, nil
	}
	rank, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(pl.rank, 2*n, 0, false))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if len(rank.Hits) == 0 {
		return rank, nil
	}
	ids := make([]string, len(rank.Hits))
	for i, h := range rank.Hits {
		ids[i] = h.ID
	}
	// The ID query adds the same score to every candidate, so the order is
	// the full query's.
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), pl.full), 2*n, 0, false)
	req.IncludeLocations = true
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// coverageBand puts coverage into steps of a tenth, so that near-equal
// coverage is decided by BM25 rather than by noise in the weights.
func coverageBand(c float64) int { return int(c*10 + 1e-9) }

type scored struct {
	p        *data.Paragraph
	score    float64
	coverage float64
	run      int
	matched  search.TermLocationMap
}

func (ix *Index) passage(h scored, plan *plan) Passage {
	p := h.p
	return Passage{
		ReportID:   p.Report.ID,
		Report:     p.Report.Title,
		Section:    p.SectionTitle(),
		Paragraph:  p.Number,
		Text:       p.Text,
		Score:      h.score,
		Coverage:   h.coverage,
		Highlights: highlights(plan.shown(h.matched)),
		Answer:     plan.answerSentence(p, h.matched),
	}
}

// plan is a parsed question made ready to search and to measure against:
// the Bleve query, and the question's units with their weights.
type plan struct {
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
	pl := &plan{}
	dis := bleve.NewDisjunctionQuery()
	// Terms are built here from one analysis of each phrase rather than
	// with match queries, which would analyse every phrase again per field.
	// A term no passage holds is left out of the search (it cannot match,
	// and each term costs a posting lookup) but not out of coverage.
	seen := map[string]bool{}
	var textTerms []string
	for _, ph := range q.Phrases {
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

// highlights merges the matched terms' locations into ordered spans.
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

func highlights(matched search.TermLocationMap) []data.Span {
	var spans []data.Span
	for _, locs := range matched {
		for _, l := range locs {
			spans = append(spans, data.Span{Start: int(l.Start), End: int(l.End)})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	var out []data.Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

func minOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}
