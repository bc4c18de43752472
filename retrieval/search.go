package retrieval

import (
	"context"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"reportbot/data"
)

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
	res, err := ix.find(ctx, plan, max(candidates, k))
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

// twoPassMin is the index size (passages) from which find searches in two
// passes; measured with reportbot bench, the second pass pays from a few
// hundred passages on.
const twoPassMin = 500

// find returns the top n hits for the plan's query with their term
// locations. On a small index that is one search and a look-up of the
// postings read at build time. On a large one it takes two searches: the
// rank query (rarest terms, no locations) finds 2n candidates, then the
// full query scores just those and fetches their locations. Asking for
// locations in one pass would decode them for every posting of every
// matching passage, most of which are then dropped.
func (ix *Index) find(ctx context.Context, pl *plan, n int) (*bleve.SearchResult, error) {
	if ix.postings != nil {
		res, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(pl.query, n, 0, false))
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		ix.locateInPostings(res.Hits, pl.textTerms)
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

// scored is a hit measured against the question.
type scored struct {
	p        *data.Paragraph
	score    float64
	coverage float64
	run      int
	matched  search.TermLocationMap
}

// passage quotes a hit: its citation, highlights and answer sentence.
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
