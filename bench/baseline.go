package bench

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"reportbot/data"
)

// Baseline is the plainest search over the same passages, to measure
// retrieval.Index against: Bleve's standard analyzer (which cuts Chinese into single
// characters), the same in-memory scorch index and BM25 scoring, and the
// raw question as one match query. No question parsing, no synonyms, no
// section field, no coverage re-ranking, no term locations, no answer
// sentence.
type Baseline struct {
	bleve bleve.Index
	byID  map[string]*data.Paragraph
}

// baselineField is the one field a passage is indexed under.
const baselineField = "text"

// BaselineHit is one passage the baseline found.
type BaselineHit struct {
	Paragraph *data.Paragraph
	Score     float64
}

// BuildBaseline indexes every passage of corpus (header passages included,
// as retrieval.Build does) with the standard analyzer.
func BuildBaseline(corpus *data.Corpus) (*Baseline, error) {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = standard.Name
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = false // the baseline asks for no locations
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(baselineField, text)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = standard.Name
	m.ScoringModel = index.BM25Scoring
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("baseline mapping: %w", err)
	}
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create baseline index: %w", err)
	}
	b := &Baseline{bleve: bi, byID: map[string]*data.Paragraph{}}
	batch := bi.NewBatch()
	for _, p := range corpus.Paragraphs() {
		id := p.ID()
		b.byID[id] = p
		if err := batch.Index(id, map[string]any{baselineField: p.Text}); err != nil {
			bi.Close()
			return nil, fmt.Errorf("baseline index %s: %w", id, err)
		}
	}
	if err := bi.Batch(batch); err != nil {
		bi.Close()
		return nil, fmt.Errorf("baseline index: %w", err)
	}
	return b, nil
}

// Search returns the k (≤ 0 means 3) best passages for question, matched
// as it was asked.
func (b *Baseline) Search(ctx context.Context, question string, k int) ([]BaselineHit, error) {
	if k <= 0 {
		k = 3
	}
	q := bleve.NewMatchQuery(question)
	q.SetField(baselineField)
	req := bleve.NewSearchRequestOptions(q, k, 0, false)
	res, err := b.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("baseline search: %w", err)
	}
	hits := make([]BaselineHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		if p, ok := b.byID[h.ID]; ok {
			hits = append(hits, BaselineHit{Paragraph: p, Score: h.Score})
		}
	}
	return hits, nil
}

// Close releases the index.
func (b *Baseline) Close() error { return b.bleve.Close() }
