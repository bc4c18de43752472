// Package retrieval finds the report passages that answer a question.
//
// It indexes every paragraph of a data.Corpus in Bleve (BM25, Chinese
// analyzers composed in the index mapping from registered Bleve
// tokenizers and token filters), understands the question
// (normalisation, question words, synonyms from data files), ranks passages,
// decides whether the report covers the question at all, and picks the
// sentence that answers it. It knows nothing of Telegram or Redis.
package retrieval

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"reportbot/data"
)

// Index fields.
const (
	fieldText   = "text"
	fieldReport = "report"
	// fieldReportID holds the paragraph's report ID as one keyword term,
	// so a search can be kept to the reports a question's scope selects.
	fieldReportID = "rid"
)

// reportBoost weighs a match in a paragraph's report title against a match
// in its text: the title says whose a paragraph is, which decides between
// reports ("成都…目标" when every report has targets). For coverage it only
// makes the words it matches neutral (see plan.coverage).
const reportBoost = 0.5

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
	// titleTerms holds each report's title terms, by report ID: words of a
	// question that name the report are context (see plan.coverage).
	titleTerms map[string]map[string]bool
	altCache   sync.Map // lexicon phrase → its terms
	// postings holds, on a small index, every text term's locations by
	// passage, read once from Bleve's index after building it: searching
	// then needs no locations from Bleve, which would decode them for every
	// posting of every query term on every search (see find).
	postings map[string]map[string][]*search.Location
	// infos describe each report for scoping, in corpus order (the first
	// is the bot's own report).
	infos []reportInfo
	// sizes counts each report's passages, by report ID.
	sizes map[string]int
	// typos knows the index's bigrams, to mend a question's typos.
	typos bigrams

	origin Origin
	// removeOnClose is a private folder the index was saved in, removed
	// by Close.
	removeOnClose string
	closeOnce     sync.Once
	closeErr      error
}

// Build indexes every passage of corpus in memory. The lexicon is
// extended with the reports' own years, so "2024年" also finds "今年" in a
// report delivered in 2024. Open keeps the index on disk instead, built
// once per corpus version.
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
	batch := bi.NewBatch()
	for _, p := range corpus.Paragraphs() {
		if err := batch.Index(p.ID(), passageDoc(p)); err != nil {
			bi.Close()
			return nil, fmt.Errorf("index %s: %w", p.ID(), err)
		}
	}
	if err := bi.Batch(batch); err != nil {
		bi.Close()
		return nil, fmt.Errorf("index: %w", err)
	}
	return newIndex(bi, m, corpus, lx)
}

// passageDoc is what Bleve indexes of a passage.
func passageDoc(p *data.Paragraph) map[string]any {
	return map[string]any{fieldText: p.Text, fieldReport: p.Report.Title, fieldReportID: p.Report.ID}
}

// IndexMapping returns the Bleve mapping passages are indexed with, and
// PassageDocument what is indexed of a passage: with them any tool can
// build, or read, an index the way this package does (package bench
// builds one the plain way, to measure Open against).
func IndexMapping() (*mapping.IndexMappingImpl, error) { return newMapping() }

// PassageDocument: see IndexMapping.
func PassageDocument(p *data.Paragraph) any { return passageDoc(p) }

// newIndex wraps bi, which holds every passage of corpus, with what
// searching needs besides it: document frequencies and (on a small index)
// postings read from bi, and each report's title terms. An index just
// built and one opened from disk get them the same way. On an error bi is
// closed.
func newIndex(bi bleve.Index, m *mapping.IndexMappingImpl, corpus *data.Corpus, lx *Lexicon) (*Index, error) {
	ix := &Index{
		corpus:        corpus,
		lexicon:       lx.forCorpus(corpus),
		infos:         reportInfos(corpus),
		bleve:         bi,
		analyzer:      m.AnalyzerNamed(AnalyzerName),
		queryAnalyzer: m.AnalyzerNamed(QueryAnalyzerName),
		byID:          map[string]*data.Paragraph{},
		df:            map[string]int{},
		titleTerms:    map[string]map[string]bool{},
		sizes:         map[string]int{},
	}
	for _, r := range corpus.Reports {
		set := map[string]bool{}
		for _, t := range ix.analyzer.Analyze([]byte(r.Title)) {
			set[string(t.Term)] = true
		}
		ix.titleTerms[r.ID] = set
	}
	for _, p := range corpus.Paragraphs() {
		id := p.ID()
		ix.byID[id] = p
		ix.sizes[p.Report.ID]++
	}
	ix.docs = len(ix.byID)
	if err := ix.readDocFrequencies(); err != nil {
		bi.Close()
		return nil, err
	}
	if ix.docs < twoPassMin {
		if err := ix.readPostings(); err != nil {
			bi.Close()
			return nil, err
		}
	}
	return ix, nil
}

// readPostings reads every text term's locations from Bleve's index.
func (ix *Index) readPostings() error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("read postings: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("read postings: %w", err)
	}
	defer r.Close()
	ix.postings = make(map[string]map[string][]*search.Location, len(ix.df))
	ctx := context.Background()
	for term := range ix.df {
		tfr, err := r.TermFieldReader(ctx, []byte(term), fieldText, false, false, true)
		if err != nil {
			return fmt.Errorf("read postings of %q: %w", term, err)
		}
		byDoc := map[string][]*search.Location{}
		for {
			d, err := tfr.Next(nil)
			if err != nil {
				tfr.Close()
				return fmt.Errorf("read postings of %q: %w", term, err)
			}
			if d == nil {
				break
			}
			id, err := r.ExternalID(d.ID)
			if err != nil {
				tfr.Close()
				return fmt.Errorf("read postings of %q: %w", term, err)
			}
			locs := make([]*search.Location, len(d.Vectors))
			for i, v := range d.Vectors {
				locs[i] = &search.Location{Pos: v.Pos, Start: v.Start, End: v.End}
			}
			byDoc[id] = locs
		}
		tfr.Close()
		ix.postings[term] = byDoc
	}
	return nil
}

// readDocFrequencies takes each text term's document frequency from
// Bleve's term dictionary, which indexing has just built.
func (ix *Index) readDocFrequencies() error {
	dict, err := ix.bleve.FieldDict(fieldText)
	if err != nil {
		return fmt.Errorf("read term dictionary: %w", err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("read term dictionary: %w", err)
		}
		if e == nil {
			return nil
		}
		ix.df[e.Term] = int(e.Count)
	}
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = true // term locations: highlights and answer sentences
	// Nothing sorts or facets on a field, so no doc values; the report
	// field is only scored, so no term vectors; every query names its
	// field, so no _all field. Each would be built and saved for nothing.
	text.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, text)
	report := bleve.NewTextFieldMapping()
	report.Analyzer = AnalyzerName
	report.Store = false
	report.IncludeInAll = false
	report.IncludeTermVectors = false
	report.DocValues = false
	doc.AddFieldMappingsAt(fieldReport, report)
	rid := bleve.NewKeywordFieldMapping()
	rid.Store = false
	rid.IncludeInAll = false
	rid.IncludeTermVectors = false
	doc.AddFieldMappingsAt(fieldReportID, rid)
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = AnalyzerName
	m.ScoringModel = index.BM25Scoring
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return m, nil
}

// idf is BM25's inverse document frequency of an index term; a term no
// passage has gets the highest value.
func (ix *Index) idf(term string) float64 {
	return bm25IDF(float64(ix.docs), float64(ix.df[term]))
}

func bm25IDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// weight is how much a query term counts towards coverage: its IDF, but no
// more than half again that of a term in one passage in twenty. Rarer than
// that, a word says no more about the topic; and an unseen word (a
// question's own filler, a typo) must not outweigh the rest of the
// question as the corpus grows and IDF grows with it.
func (ix *Index) weight(term string) float64 {
	n := float64(ix.docs)
	return min(ix.idf(term), 1.5*bm25IDF(n, max(1, n/20)))
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

// Close releases the index (and removes its folder when it was a
// temporary one).
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.closeErr = ix.bleve.Close()
		if ix.removeOnClose != "" {
			if err := os.RemoveAll(ix.removeOnClose); ix.closeErr == nil {
				ix.closeErr = err
			}
		}
	})
	return ix.closeErr
}
