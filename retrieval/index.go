// Package retrieval finds the report passages that answer a question.
//
// It indexes every paragraph of a data.Corpus in Bleve (BM25, Chinese
// analysis registered as Bleve components), understands the question
// (normalisation, question words, synonyms from data files), ranks passages,
// decides whether the report covers the question at all, and picks the
// sentence that answers it. It knows nothing of Telegram or Redis.
package retrieval

import (
	"fmt"
	"math"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"reportbot/data"
)

// Index fields.
const (
	fieldText    = "text"
	fieldSection = "section"
	fieldReport  = "report"
)

// Boosts of a match in a paragraph's section title and in its report's
// title, against a match in its text. A heading says what a paragraph is
// about, briefly; the report title says whose it is, which decides between
// reports ("成都…目标" when every report has targets) but is the same for
// every paragraph of one report. Section titles do not count towards
// coverage; report titles only make the words they match neutral (see
// plan.coverage).
const (
	sectionBoost = 0.3
	reportBoost  = 0.5
)

// Index is a read-only search index over a corpus. It is safe for
// concurrent use.
type Index struct {
	corpus   *data.Corpus
	lexicon  *Lexicon
	bleve    bleve.Index
	analyzer analysis.Analyzer
	// queryAnalyzer analyses questions (see QueryAnalyzerName).
	queryAnalyzer analysis.Analyzer
	byID          map[string]*data.Paragraph
	// df counts, for each index term, the passages that contain it; with
	// docs it gives the IDF that weighs query terms for coverage and for
	// choosing the answer sentence.
	df   map[string]int
	docs int
}

// Build indexes every passage of corpus. The lexicon is extended with the
// reports' own years, so "2024年" also finds "今年" in a report delivered
// in 2024.
func Build(corpus *data.Corpus, lx *Lexicon) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	// Scorch in memory (no path): BM25 needs scorch's field statistics,
	// which NewMemOnly's upsidedown index lacks, and nothing is left on disk.
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	ix := &Index{
		corpus:        corpus,
		lexicon:       lx.withReportYears(corpus),
		bleve:         bi,
		analyzer:      m.AnalyzerNamed(AnalyzerName),
		queryAnalyzer: m.AnalyzerNamed(QueryAnalyzerName),
		byID:          map[string]*data.Paragraph{},
		df:            map[string]int{},
	}
	batch := bi.NewBatch()
	for _, p := range corpus.Paragraphs() {
		id := p.ID()
		ix.byID[id] = p
		if err := batch.Index(id, map[string]any{fieldText: p.Text, fieldSection: p.SectionTitle(), fieldReport: p.Report.Title}); err != nil {
			bi.Close()
			return nil, fmt.Errorf("index %s: %w", id, err)
		}
		ix.countTerms(p.Text)
	}
	ix.docs = len(ix.byID)
	if err := bi.Batch(batch); err != nil {
		bi.Close()
		return nil, fmt.Errorf("index: %w", err)
	}
	return ix, nil
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = true // term locations: highlights and answer sentences
	section := bleve.NewTextFieldMapping()
	section.Analyzer = AnalyzerName
	section.Store = false
	section.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, text)
	doc.AddFieldMappingsAt(fieldSection, section)
	report := bleve.NewTextFieldMapping()
	report.Analyzer = AnalyzerName
	report.Store = false
	report.IncludeInAll = false
	report.IncludeTermVectors = true // coverage: what the title matched
	doc.AddFieldMappingsAt(fieldReport, report)

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = AnalyzerName
	m.ScoringModel = index.BM25Scoring
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return m, nil
}

func (ix *Index) countTerms(text string) {
	seen := map[string]bool{}
	for _, t := range ix.analyzer.Analyze([]byte(text)) {
		if term := string(t.Term); !seen[term] {
			seen[term] = true
			ix.df[term]++
		}
	}
}

// idf is BM25's inverse document frequency of an index term; a term no
// passage has gets the highest value.
func (ix *Index) idf(term string) float64 {
	n, df := float64(ix.docs), float64(ix.df[term])
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// Corpus returns the indexed corpus.
func (ix *Index) Corpus() *data.Corpus { return ix.corpus }

// Paragraph returns a passage by its ID ("<report>#<number>").
func (ix *Index) Paragraph(id string) (*data.Paragraph, bool) {
	p, ok := ix.byID[id]
	return p, ok
}

// ParagraphAt returns passage number n of report reportID.
func (ix *Index) ParagraphAt(reportID string, n int) (*data.Paragraph, bool) {
	return ix.Paragraph(reportID + "#" + strconv.Itoa(n))
}

// Close releases the index.
func (ix *Index) Close() error { return ix.bleve.Close() }

// withReportYears returns a copy of lx in which each report's year also
// stands for "今年" and the year before for "去年"/"上年": reports speak of
// their own year as "this year".
func (lx *Lexicon) withReportYears(c *data.Corpus) *Lexicon {
	cp := *lx
	cp.expansions = make(map[string][]string, len(lx.expansions)+4)
	for k, v := range lx.expansions {
		cp.expansions[k] = v
	}
	for _, r := range c.Reports {
		y := reportYear(r)
		if y == 0 {
			continue
		}
		cp.add(strconv.Itoa(y)+"年", []string{"今年", "本年"})
		cp.add(strconv.Itoa(y-1)+"年", []string{"去年", "上年", "过去一年"})
	}
	return &cp
}

func reportYear(r *data.Report) int {
	if len(r.Date) < 4 {
		return 0
	}
	y, err := strconv.Atoi(r.Date[:4])
	if err != nil {
		return 0
	}
	return y
}
