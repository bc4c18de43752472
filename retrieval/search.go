package retrieval

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"reportbot/data"
)

// candidates is how many hits Bleve returns for re-ranking by coverage.
const candidates = 20

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
	// Scope is which reports the time and place the question names
	// selected; when it says something is Missing, nothing was searched.
	Scope Scope `json:"scope"`
	// AlsoIn are the other reports that answer the question about as
	// well as the first passage's report, when the question named no
	// place: the reply says so, and offers theirs.
	AlsoIn []ReportRef `json:"also_in,omitempty"`
	// Unanswered says the passages speak of what was asked but none gives
	// the kind of answer asked (no figure for "多少", no date for "何时"):
	// the reply says so before quoting the nearest passage.
	Unanswered bool `json:"unanswered,omitempty"`
}

// ReportRef names a report: its ID (for buttons and caches) and its
// citation name (data.Report.Name).
type ReportRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
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
	out := &Result{Question: q.Asked, Truncated: q.Truncated, Query: q, Passages: []Passage{}}
	out.Scope = scope(q, ix.infos)
	if out.Scope.Missing != "" {
		return out, nil // a year or place no loaded report covers
	}
	plan := ix.plan(q)
	if p := ix.at(q, out.Scope.Reports); p != nil {
		// "河南报告最后那句口号": the report's closing paragraph.
		h := scored{p: p, coverage: 1, looked: true}
		h.answer, h.answers, h.sentence = plan.answerSentence(p, nil)
		out.Covered, out.Coverage = true, 1
		out.Passages = append(out.Passages, ix.passage(h, plan))
		out.Answer = out.Passages[0].AnswerText()
		return out, nil
	}
	hits, err := ix.rank(ctx, plan, q, out.Scope.Reports, max(candidates, k))
	if err != nil {
		return nil, err
	}
	if len(hits) > 0 && !q.Where.named() && len(ix.infos) > 1 {
		if hits, err = ix.preferOwn(ctx, plan, q, out.Scope.Reports, hits, max(candidates, k)); err != nil {
			return nil, err
		}
	}
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
		if len(out.Passages) > 0 && !alike(h, out.Coverage) {
			break
		}
		out.Passages = append(out.Passages, ix.passage(h, plan))
	}
	out.Answer = out.Passages[0].AnswerText()
	// Only a figure or a date is plainly there or not; whether a sentence
	// lists or explains enough is not for a rule to say.
	out.Unanswered = (q.Want == WantFigure || q.Want == WantDate) && !hits[0].answers
	if !q.Where.named() {
		first := hits[0].p.Report.ID
		for _, h := range hits[1:] {
			r := ReportRef{ID: h.p.Report.ID, Name: reportName(h.p.Report)}
			if r.ID != first && h.coverage >= alsoShare*out.Coverage && h.answers == hits[0].answers && !slices.Contains(out.AlsoIn, r) {
				out.AlsoIn = append(out.AlsoIn, r)
			}
		}
	}
	return out, nil
}

// alsoShare is how nearly another report's passage must cover the
// question, against the best, for the reply to say that report answers
// it too.
const alsoShare = 0.9

// reportName is the name a report is cited by.
func reportName(r *data.Report) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Title
}

// alike says a further hit answers about as well as the best did: it
// covers the question as well as it takes to be covered at all, and 60%
// as well as the best.
func alike(h scored, best float64) bool {
	return h.coverage >= max(min(MinCoverage, best), 0.6*best)
}

// rank finds the candidates for a plan among the given reports (nil: all)
// and orders them: by how much of the question a passage covers first,
// then by whether it stands in the part of its report the question asks
// about (the review or the plan), then by BM25. A paragraph that mentions
// one query word many times must not beat the one that holds the whole
// question.
func (ix *Index) rank(ctx context.Context, plan *plan, q *Query, reports []string, n int) ([]scored, error) {
	res, err := ix.find(ctx, plan, reports, n)
	if err != nil {
		return nil, err
	}
	found := res.Hits
	if wide := ix.widest(reports); wide != nil && !q.Where.named() {
		// With no place named the State Council's reports answer first
		// among equals (see below); a search across every report may not
		// bring their longer paragraphs up, so they are searched too.
		more, err := ix.find(ctx, plan, wide, n)
		if err != nil {
			return nil, err
		}
		for _, h := range more.Hits {
			if !slices.ContainsFunc(found, func(f *search.DocumentMatch) bool { return f.ID == h.ID }) {
				found = append(found, h)
			}
		}
	}
	hits := make([]scored, 0, len(found))
	for _, h := range found {
		p, ok := ix.byID[h.ID]
		if !ok {
			continue
		}
		matched, title := h.Locations[fieldText], ix.titleTerms[p.Report.ID]
		text := locatedTerms(matched)
		hits = append(hits, scored{p: p, score: h.Score, matched: matched, coverage: plan.coverage(text, termSet(title)), run: plan.longestRun(text), part: ix.fits(q, p)})
	}
	// The answer sentence, which the band counts, is found only for the
	// hits that could still rank first: a sentence covers no more than
	// its passage, and what it adds to the band is at most one step.
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].coverage > hits[j].coverage })
	top := -1 << 30
	for i := range hits {
		h := &hits[i]
		if coverageBand(h.coverage)+1+h.part < top {
			continue // its sentence is found if it is quoted (see passage)
		}
		h.answer, h.answers, h.sentence = plan.answerSentence(h.p, h.matched)
		h.looked = true
		top = max(top, h.band())
	}
	sort.SliceStable(hits, func(i, j int) bool {
		// A passage whose sentence answers in kind (a figure for 多少)
		// counts a band more: "增长了多少" wants the paragraph with the figure.
		ci, cj := hits[i].band(), hits[j].band()
		if ci != cj {
			return ci > cj
		}
		// A question that names no place, answered alike by several
		// reports, is answered from the widest of them: the State
		// Council's sets what a province's only carries out.
		if li, lj := hits[i].p.Report.Level, hits[j].p.Report.Level; !q.Where.named() && li != lj && li != data.LevelUnknown && lj != data.LevelUnknown {
			return li < lj
		}
		return hits[i].score > hits[j].score
	})
	return hits, nil
}

// fits says how well a passage stands where the question's time points in
// its report: 1 in the part asked (the review of the year asked, or its
// plan), −1 in the other part, 0 when either may answer.
func (ix *Index) fits(q *Query, p *data.Paragraph) int {
	want := q.When.Tense
	for _, y := range q.When.Years {
		switch p.Report.Year {
		case y:
			want = Plan
		case y + 1:
			want = Done
		}
	}
	part := PartOf(p)
	switch {
	case want == EitherTense || part == EitherTense:
		return 0
	case want == part:
		return 1
	}
	return -1
}

// preferOwn puts the bot's own report (the corpus's first) first when it
// answers a question that names no place nearly as well as the best
// passage: people asking the bot mean its report unless they say
// otherwise. Its passages may not be among the candidates of a search
// across many reports, so they are looked for on their own.
func (ix *Index) preferOwn(ctx context.Context, plan *plan, q *Query, reports []string, hits []scored, n int) ([]scored, error) {
	own := ix.infos[0].id
	if reports != nil && !slices.Contains(reports, own) {
		return hits, nil
	}
	if hits[0].p.Report.ID == own {
		return hits, nil
	}
	mine, err := ix.rank(ctx, plan, q, []string{own}, n)
	if err != nil || len(mine) == 0 {
		return hits, err
	}
	if !covers(mine[0]) || mine[0].coverage < ownShare*hits[0].coverage {
		return hits, nil
	}
	out := mine
	for _, h := range hits {
		if h.p.Report.ID != own {
			out = append(out, h)
		}
	}
	return out, nil
}

// ownShare is how nearly the bot's own report must cover a question,
// against the best passage of any report, to answer first.
const ownShare = 0.8

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
func (ix *Index) find(ctx context.Context, pl *plan, reports []string, n int) (*bleve.SearchResult, error) {
	if ix.postings != nil {
		res, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(within(pl.query, reports), n, 0, false))
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		ix.locateInPostings(res.Hits, pl.textTerms)
		return res, nil
	}
	if reports != nil && ix.passages(reports) < twoPassMin {
		// A few reports' passages: one search with locations costs less
		// than two, and every term of the question finds candidates.
		req := bleve.NewSearchRequestOptions(within(pl.full, reports), n, 0, false)
		req.IncludeLocations = true
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		return res, nil
	}
	rank, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(within(pl.rank, reports), 2*n, 0, false))
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

// at returns the paragraph a question asks for by its place in a report
// (q.At): the report's first or last body paragraph of substance, outside
// any appendix. It needs one report to look in: the one the question's
// scope selects, or the only one loaded.
func (ix *Index) at(q *Query, reports []string) *data.Paragraph {
	if q.At == "" {
		return nil
	}
	var r *data.Report
	switch {
	case len(reports) == 1:
		for _, c := range ix.corpus.Reports {
			if c.ID == reports[0] {
				r = c
			}
		}
	case reports == nil && len(ix.corpus.Reports) == 1:
		r = ix.corpus.Reports[0]
	}
	if r == nil {
		return nil
	}
	var body []*data.Paragraph
	for _, p := range r.Paragraphs {
		// A greeting line (各位代表！) is not what a report says.
		if (p.Section == nil || !p.Section.Appendix) && utf8.RuneCountInString(p.Text) > 20 {
			body = append(body, p)
		}
	}
	if len(body) == 0 {
		return nil
	}
	if q.At == "start" {
		return body[0]
	}
	return body[len(body)-1]
}

// widest returns the national reports among reports (nil: all), when
// reports of other levels are among them too; else nil.
func (ix *Index) widest(reports []string) []string {
	var wide []string
	others := false
	for _, r := range ix.corpus.Reports {
		if reports != nil && !slices.Contains(reports, r.ID) {
			continue
		}
		if r.Level == data.LevelNational {
			wide = append(wide, r.ID)
		} else {
			others = true
		}
	}
	if !others {
		return nil
	}
	return wide
}

// passages counts the passages of the given reports.
func (ix *Index) passages(reports []string) int {
	n := 0
	for _, id := range reports {
		n += ix.sizes[id]
	}
	return n
}

// within keeps a query to the passages of the given reports (nil: all).
// The filter does not score, so BM25 is that of the query alone.
func within(q query.Query, reports []string) query.Query {
	if reports == nil {
		return q
	}
	ids := bleve.NewDisjunctionQuery()
	for _, id := range reports {
		ids.AddQuery(termQuery(id, fieldReportID, 1))
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(q)
	b.AddFilter(ids)
	return b
}

// scored is a hit measured against the question.
type scored struct {
	p        *data.Paragraph
	score    float64
	coverage float64
	run      int
	// part is how well the passage's part of its report fits the time
	// asked (see fits).
	part    int
	matched search.TermLocationMap
	// answer is the passage's answer sentence; answers says it is of the
	// kind of answer asked (a figure for 多少) on the word asked about.
	answer  data.Span
	answers bool
	// looked says answer, answers and sentence have been worked out.
	looked bool
	// sentence is the answer sentence's own share of the question: a long
	// paragraph may cover a question with words strewn over sentences
	// about other things.
	sentence float64
}

// passage quotes a hit: its citation, highlights and answer sentence.
func (ix *Index) passage(h scored, plan *plan) Passage {
	p := h.p
	if !h.looked {
		h.answer, _, _ = plan.answerSentence(p, h.matched)
	}
	return Passage{
		ReportID:   p.Report.ID,
		Report:     reportName(p.Report),
		Section:    p.SectionTitle(),
		Paragraph:  p.Number,
		Text:       p.Text,
		Score:      h.score,
		Coverage:   h.coverage,
		Highlights: highlights(plan.shown(h.matched)),
		Answer:     h.answer,
	}
}

// band is the rank of a hit in steps of a tenth of coverage, a step up
// when its sentence answers in kind (a figure for 多少: "增长了多少" wants
// the paragraph with the figure), and a step up or down as it stands in
// the part of its report the question's time points to (last year's
// results are in the review, this year's targets in the plan).
func (h scored) band() int {
	return coverageBand((h.coverage+h.sentence)/2) + b2i(h.answers) + h.part
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
