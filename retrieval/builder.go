package retrieval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"

	"reportbot/data"
)

// builderBatch is how many passages Bleve's offline builder writes as one
// segment before merging them all into one: the memory a build needs
// grows with it (a segment's passages are held analysed), and so does the
// work left to merging as it shrinks.
const builderBatch = 400

// analyseAheadDocs is how many analysed passages may wait for the builder.
const analyseAheadDocs = 64

// write indexes every passage of corpus into the new index folder dir with
// Bleve's offline builder (scorch.Builder): segments of builderBatch
// passages, merged into one when it closes, so that memory stays bounded
// and a search reads one segment. The folder is laid out as bleve.Open
// expects, as bleve.NewBuilder lays it out: index_meta.json, the mapping
// saved in the index, the segments in store/.
//
// The builder analyses each passage itself, on one goroutine, and then
// builds the segment on it; Bleve's online indexing analyses on every core.
// So passages are analysed here, on every core and at most a batch ahead,
// and handed to the builder as documents whose analysis is done.
func write(ctx context.Context, dir string, m *mapping.IndexMappingImpl, corpus *data.Corpus) error {
	mj, err := util.MarshalJSON(m)
	if err != nil {
		return fmt.Errorf("index mapping: %w", err)
	}
	b, err := scorch.NewBuilder(map[string]any{
		"path":      filepath.Join(dir, "store"),
		"batchSize": builderBatch,
		// Segments before merging go inside dir, so a build that dies
		// leaves nothing outside it.
		"buildPathPrefix": dir,
		"internal":        map[string][]byte{string(util.MappingInternalKey): mj},
	})
	if err != nil {
		return fmt.Errorf("build index in %s: %w", dir, err)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	docs, wait := analyseAhead(ctx, m, corpus.Paragraphs())
	for d := range docs {
		if err == nil {
			err = b.Index(d)
		}
		if err != nil {
			cancel() // and drain, so the analysers end
		}
	}
	if werr := wait(); err == nil {
		err = werr
	}
	if err == nil {
		err = parent.Err()
	}
	if cerr := b.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("build index in %s: %w", dir, cerr)
	}
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644)
}

// analyseAhead maps and analyses passages on every core and sends them,
// in no particular order, at most analyseAheadDocs ahead of the
// receiver, until ctx ends. Once the channel is closed, wait returns the
// first error.
func analyseAhead(ctx context.Context, m *mapping.IndexMappingImpl, ps []*data.Paragraph) (<-chan index.Document, func() error) {
	out := make(chan index.Document, analyseAheadDocs)
	jobs := make(chan *data.Paragraph)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	fail := func(err error) { once.Do(func() { first = err }) }
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range jobs {
				d := document.NewDocument(p.ID())
				if err := m.MapDocument(d, passageDoc(p)); err != nil {
					fail(fmt.Errorf("index %s: %w", p.ID(), err))
					continue
				}
				analyse(d)
				select {
				case out <- newAnalysed(d):
				case <-ctx.Done():
				}
			}
		})
	}
	go func() {
		defer close(out)
		defer wg.Wait()
		defer close(jobs)
		for _, p := range ps {
			select {
			case jobs <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, func() error { return first }
}

// analyse does what scorch does to a document before building a segment
// of it: adds the _id field, analyses every indexed field and composes
// the composite fields.
func analyse(d *document.Document) {
	d.AddIDField()
	d.VisitFields(func(f index.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if d.HasComposite() && f.Name() != "_id" {
			d.VisitComposite(func(cf index.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}

// analysed is a document analyse has done: the builder's own analysis of
// it changes nothing.
type analysed struct {
	*document.Document
	fields     []index.Field
	composites []index.CompositeField
}

func newAnalysed(d *document.Document) *analysed {
	a := &analysed{Document: d}
	d.VisitFields(func(f index.Field) { a.fields = append(a.fields, analysedField{f}) })
	d.VisitComposite(func(f index.CompositeField) { a.composites = append(a.composites, analysedComposite{f}) })
	return a
}

func (*analysed) AddIDField() {}

func (d *analysed) VisitFields(visit index.FieldVisitor) {
	for _, f := range d.fields {
		visit(f)
	}
}

func (d *analysed) VisitComposite(visit index.CompositeFieldVisitor) {
	for _, f := range d.composites {
		visit(f)
	}
}

type analysedField struct{ index.Field }

func (analysedField) Analyze() {}

type analysedComposite struct{ index.CompositeField }

func (analysedComposite) Analyze()                                    {}
func (analysedComposite) Compose(string, int, index.TokenFrequencies) {}
