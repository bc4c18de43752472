package retrieval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"

	"reportbot/data"
)

// segmentPassages is how many passages make one segment before they are
// all merged into one. The memory a build needs grows with it and with
// the cores building at once (each holds its passages analysed); the work
// merging takes hardly changes.
const segmentPassages = 300

// zapPlugin writes the segments; the index's root names it, so it is the
// same one throughout.
var zapPlugin = &zap.ZapPlugin{}

// write builds the index of every passage of corpus in the new folder
// dir, laid out as bleve.Open expects (as bleve.NewBuilder lays it out:
// index_meta.json, the mapping saved in the index, store/ with one segment
// and its root).
//
// Bleve's offline builder (scorch.Builder) bounds memory by writing a
// segment every so many passages and merging them at the end, but it
// analyses and writes them one after another on one goroutine: with the
// merge, a build took longer than Bleve's own one-batch indexing, which
// analyses on every core. So the segments are written here, on every core
// at once (each core one segment of segmentPassages passages at a time, so
// memory stays bounded), and merged into one with the same segment
// plugin. The builder then writes the root of an index of one placeholder
// passage, and the merged segment takes the place of the placeholder's:
// the root names the segment file and says nothing of what it holds
// (openSaved checks that the index holds every passage). The merge keeps
// the segments' order, so passages are numbered in corpus order and equal
// scores rank the same in every build.
func write(ctx context.Context, dir string, m *mapping.IndexMappingImpl, corpus *data.Corpus) error {
	ps := corpus.Paragraphs()
	parts := filepath.Join(dir, "parts")
	if err := os.Mkdir(parts, 0o755); err != nil {
		return err
	}
	paths, err := writeSegments(ctx, parts, m, ps)
	if err != nil {
		return err
	}
	merged := filepath.Join(parts, "merged.zap")
	if err := mergeSegments(ctx, paths, merged); err != nil {
		return err
	}

	mj, err := util.MarshalJSON(m)
	if err != nil {
		return fmt.Errorf("index mapping: %w", err)
	}
	store := filepath.Join(dir, "store")
	b, err := scorch.NewBuilder(map[string]any{
		"path":                store,
		"buildPathPrefix":     parts,
		"forceSegmentType":    zapPlugin.Type(),
		"forceSegmentVersion": int(zapPlugin.Version()),
		"internal":            map[string][]byte{string(util.MappingInternalKey): mj},
	})
	if err != nil {
		return fmt.Errorf("build index in %s: %w", dir, err)
	}
	placeholder, err := analysedDoc(m, ps[0])
	if err != nil {
		return err
	}
	if err := b.Index(placeholder); err != nil {
		return fmt.Errorf("build index in %s: %w", dir, err)
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("build index in %s: %w", dir, err)
	}
	segs, err := filepath.Glob(filepath.Join(store, "*.zap"))
	if err != nil || len(segs) != 1 {
		return fmt.Errorf("build index in %s: the builder wrote segments %q, want one", dir, segs)
	}
	if err := os.Rename(merged, segs[0]); err != nil {
		return fmt.Errorf("build index in %s: %w", dir, err)
	}
	if err := os.RemoveAll(parts); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644)
}

// writeSegments writes the passages as segments of segmentPassages into
// dir, on every core, and returns their files in passage order.
func writeSegments(ctx context.Context, dir string, m *mapping.IndexMappingImpl, ps []*data.Paragraph) ([]string, error) {
	n := (len(ps) + segmentPassages - 1) / segmentPassages
	paths := make([]string, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				paths[i] = filepath.Join(dir, fmt.Sprintf("%06d.zap", i))
				errs[i] = writeSegment(m, ps[i*segmentPassages:min((i+1)*segmentPassages, len(ps))], paths[i])
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// writeSegment analyses ps and writes them as one segment file.
func writeSegment(m *mapping.IndexMappingImpl, ps []*data.Paragraph, path string) error {
	docs := make([]index.Document, len(ps))
	for i, p := range ps {
		d, err := analysedDoc(m, p)
		if err != nil {
			return err
		}
		docs[i] = d
	}
	seg, _, err := zapPlugin.New(docs)
	if err != nil {
		return fmt.Errorf("build index segment: %w", err)
	}
	defer seg.Close()
	s, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("build index segment: %T cannot be saved", seg)
	}
	if err := s.Persist(path); err != nil {
		return fmt.Errorf("save index segment: %w", err)
	}
	return nil
}

// mergeSegments merges the segment files into one at path and removes
// them.
func mergeSegments(ctx context.Context, paths []string, path string) error {
	if len(paths) == 1 {
		return os.Rename(paths[0], path)
	}
	segs := make([]segment.Segment, 0, len(paths))
	defer func() {
		for _, s := range segs {
			s.Close()
		}
	}()
	for _, p := range paths {
		s, err := zapPlugin.Open(p)
		if err != nil {
			return fmt.Errorf("open index segment: %w", err)
		}
		segs = append(segs, s)
	}
	// zap stops merging when closed is closed: on cancellation.
	closed, merged := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			close(closed)
		case <-merged:
		}
	}()
	_, _, err := zapPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), path, closed, nil)
	close(merged)
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("merge index segments: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, p := range paths {
		os.Remove(p)
	}
	return nil
}

// analysedDoc maps a passage to a Bleve document and analyses it as
// scorch does before writing a segment: the _id field added, every
// indexed field analysed, composite fields composed.
func analysedDoc(m *mapping.IndexMappingImpl, p *data.Paragraph) (index.Document, error) {
	d := document.NewDocument(p.ID())
	if err := m.MapDocument(d, passageDoc(p)); err != nil {
		return nil, fmt.Errorf("index %s: %w", p.ID(), err)
	}
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
	return newAnalysed(d), nil
}

// analysed is a document analysedDoc has done: scorch's own analysis of it
// (the builder analyses what it is given) changes nothing.
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
