package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"reportbot/data"
	"reportbot/retrieval"
)

// corpusStep is a reports folder (Options.Reports) measured as it is
// served: our cold build beside plain Bleve building the same passages,
// opening the saved index, start-up, RSS while serving, and search against
// the baseline.
type corpusStep struct {
	Dir      string `json:"dir"`
	Reports  int    `json:"reports"`
	Passages int    `json:"passages"`
	// Runs is how many times each build and the opening ran; figures are
	// medians.
	Runs int `json:"runs"`
	// Separate says every build and every opening ran in a fresh process
	// of its own, so each peak RSS is that step's alone. Otherwise (bench
	// as a library, in tests) they ran in this process with the peak
	// reset before each, and include what the process already held.
	Separate bool `json:"separate_processes"`
	// LoadMs is data.Load of the folder.
	LoadMs float64 `json:"load_ms"`
	// Build is ours: retrieval.Open into an empty INDEX_DIR, which builds
	// the index with Bleve's offline builder and opens it. Bleve is plain
	// Bleve building the same passages with the same mapping, as its
	// documentation shows: bleve.New on disk, one batch, Close.
	Build buildFigures `json:"build"`
	Bleve buildFigures `json:"bleve"`
	// OpenMs is retrieval.Open of the saved index (reading what searching
	// needs from it included); StartupMs is what a start, a replica or
	// `reportbot ask` spends before answering: load + lexicon + open.
	OpenMs    float64 `json:"open_ms"`
	StartupMs float64 `json:"startup_ms"`
	// ServeRSSMiB is the RSS of a process that opened the saved index and
	// answered every question three times; its peak is ServePeakRSSMiB.
	ServeRSSMiB     *float64 `json:"serve_rss_mib"`
	ServePeakRSSMiB *float64 `json:"serve_peak_rss_mib"`
	// IndexMiB is the saved index's size on disk.
	IndexMiB float64 `json:"index_mib"`
	// Search is our search + answer on the opened index against the
	// baseline, over Questions and CorpusQuestions.
	Search search `json:"search"`
}

// buildFigures are the medians of one way of building.
type buildFigures struct {
	Ms         float64  `json:"ms"`
	PeakRSSMiB *float64 `json:"peak_rss_mib"`
}

// stepResult is what one measuring step reports.
type stepResult struct {
	// Ms is the step's own work: the build, or the opening.
	Ms        float64  `json:"ms"`
	LoadMs    float64  `json:"load_ms"`
	LexiconMs float64  `json:"lexicon_ms"`
	Passages  int      `json:"passages"`
	Reports   int      `json:"reports"`
	RSSMiB    *float64 `json:"rss_mib"`
	PeakMiB   *float64 `json:"peak_rss_mib"`
}

// The steps.
const (
	stepBuild = "build" // retrieval.Open into an empty folder
	stepBleve = "bleve" // plain Bleve into the folder
	stepOpen  = "open"  // retrieval.Open of the index saved in the folder, then serve
)

// corpusQuestions are asked of a reports folder.
func corpusQuestions() []string { return slices.Concat(Questions, CorpusQuestions) }

// measureCorpus measures cfg.Reports into res.Corpus, with the indexes in
// the folder tmp, and returns the corpus's index opened from there (the
// caller closes it, then removes tmp) for the cache step.
func measureCorpus(ctx context.Context, cfg Options, res *result, tmp string, say func(string, ...any)) (*retrieval.Index, error) {
	cs := &corpusStep{Dir: cfg.Reports, Runs: cfg.Runs, Separate: len(cfg.Self) > 0}
	var ours, plain, opens []stepResult
	saved := ""
	for i := range cfg.Runs {
		// Ours and Bleve's in turn, so that both see the same machine.
		say("reports %s: cold build %d of %d, ours and plain Bleve", cfg.Reports, i+1, cfg.Runs)
		dir := filepath.Join(tmp, fmt.Sprintf("ours-%d", i))
		r, err := runStepIn(ctx, cfg, stepBuild, dir)
		if err != nil {
			return nil, err
		}
		ours = append(ours, r)
		if saved != "" {
			os.RemoveAll(saved)
		}
		saved = dir
		dir = filepath.Join(tmp, fmt.Sprintf("bleve-%d", i))
		if r, err = runStepIn(ctx, cfg, stepBleve, dir); err != nil {
			return nil, err
		}
		plain = append(plain, r)
		os.RemoveAll(dir)
	}
	for i := range cfg.Runs {
		say("reports %s: opening the saved index, %d of %d", cfg.Reports, i+1, cfg.Runs)
		r, err := runStepIn(ctx, cfg, stepOpen, saved)
		if err != nil {
			return nil, err
		}
		opens = append(opens, r)
	}
	cs.Reports, cs.Passages = ours[0].Reports, ours[0].Passages
	cs.Build, cs.Bleve = figuresOf(ours), figuresOf(plain)
	cs.LoadMs = medianOf(opens, func(r stepResult) float64 { return r.LoadMs })
	cs.OpenMs = medianOf(opens, func(r stepResult) float64 { return r.Ms })
	cs.StartupMs = medianOf(opens, func(r stepResult) float64 { return r.LoadMs + r.LexiconMs + r.Ms })
	cs.ServeRSSMiB = medianPtr(opens, func(r stepResult) *float64 { return r.RSSMiB })
	cs.ServePeakRSSMiB = medianPtr(opens, func(r stepResult) *float64 { return r.PeakMiB })
	cs.IndexMiB = mib(uint64(dirSize(saved)))

	// Search, in this process, on the index the builds saved.
	c, err := data.Load(cfg.Reports)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	ix, err := retrieval.Open(ctx, c, lx, retrieval.OpenOptions{Dir: saved})
	if err != nil {
		return nil, err
	}
	if ix.Origin().Built {
		ix.Close()
		return nil, fmt.Errorf("bench: the index saved in %s was not opened but built again", saved)
	}
	bl, err := BuildBaseline(c)
	if err != nil {
		ix.Close()
		return nil, err
	}
	say("search, reports %s: ours and baseline, interleaved", cfg.Reports)
	qs := corpusQuestions()
	cs.Search.Ours, cs.Search.Baseline, err = measurePairOn(ctx, cfg, qs,
		func(q string) error {
			_, err := ix.Search(ctx, q, 3)
			return err
		},
		func(q string) error {
			_, err := bl.Search(ctx, q, 3)
			return err
		})
	bl.Close()
	if err != nil {
		ix.Close()
		return nil, err
	}
	if cs.Search.Baseline.P50Ms > 0 {
		cs.Search.RatioP50 = cs.Search.Ours.P50Ms / cs.Search.Baseline.P50Ms
	}
	res.Corpus = cs
	return ix, nil
}

// runStepIn runs one step on dir: in a process of its own when cfg.Self
// says how, otherwise here.
func runStepIn(ctx context.Context, cfg Options, name, dir string) (stepResult, error) {
	if len(cfg.Self) == 0 {
		return runStep(ctx, name, cfg.Reports, dir, true)
	}
	args := append(slices.Clone(cfg.Self[1:]), "--step", name, "--reports", cfg.Reports, "--index-dir", dir)
	cmd := exec.CommandContext(ctx, cfg.Self[0], args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return stepResult{}, fmt.Errorf("bench: step %s: %w\n%s", name, err, errb.Bytes())
	}
	var r stepResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return stepResult{}, fmt.Errorf("bench: step %s printed %q: %w", name, out.Bytes(), err)
	}
	return r, nil
}

// RunStep runs one measuring step in this process and prints its figures
// as JSON: the process bench starts for each build and opening (see
// Options.Self) so that each has a peak RSS of its own.
func RunStep(ctx context.Context, name, reports, indexDir string, w io.Writer) error {
	r, err := runStep(ctx, name, reports, indexDir, false)
	if err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(r)
}

// runStep loads the reports and then builds, builds plainly, or opens and
// serves, as name says. In a shared process (shared) the peak RSS is reset
// first where Linux allows.
func runStep(ctx context.Context, name, reports, dir string, shared bool) (stepResult, error) {
	if shared {
		runtime.GC()
		debug.FreeOSMemory()
		resetPeakRSS()
	}
	var r stepResult
	t0 := time.Now()
	c, err := data.Load(reports)
	if err != nil {
		return r, fmt.Errorf("bench: %w", err)
	}
	t1 := time.Now()
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		return r, err
	}
	t2 := time.Now()
	r.LoadMs, r.LexiconMs = ms(t1.Sub(t0)), ms(t2.Sub(t1))
	r.Passages, r.Reports = len(c.Paragraphs()), len(c.Reports)
	switch name {
	case stepBuild, stepOpen:
		if name == stepBuild {
			if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
				return r, fmt.Errorf("bench: step %s: %s is not empty", name, dir)
			}
		}
		ix, err := retrieval.Open(ctx, c, lx, retrieval.OpenOptions{Dir: dir})
		if err != nil {
			return r, err
		}
		defer ix.Close()
		r.Ms = ms(time.Since(t2))
		if o := ix.Origin(); (name == stepBuild) != o.Built {
			return r, fmt.Errorf("bench: step %s: index origin %+v", name, o)
		}
		if name == stepOpen {
			for range 3 {
				for _, q := range corpusQuestions() {
					if _, err := ix.Search(ctx, q, 3); err != nil {
						return r, err
					}
				}
			}
		}
	case stepBleve:
		if err := BuildPlainBleve(c, dir); err != nil {
			return r, err
		}
		r.Ms = ms(time.Since(t2))
	default:
		return r, fmt.Errorf("bench: no step %q (want %s, %s or %s)", name, stepBuild, stepBleve, stepOpen)
	}
	runtime.GC()
	r.RSSMiB, r.PeakMiB = procStatus("VmRSS"), procStatus("VmHWM")
	return r, nil
}

// BuildPlainBleve indexes every passage of c into dir as Bleve's
// documentation shows: bleve.New with the same mapping (scorch on disk),
// one batch, Close.
func BuildPlainBleve(c *data.Corpus, dir string) error {
	m, err := retrieval.IndexMapping()
	if err != nil {
		return err
	}
	bi, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return fmt.Errorf("bench: plain Bleve: %w", err)
	}
	b := bi.NewBatch()
	for _, p := range c.Paragraphs() {
		if err := b.Index(p.ID(), retrieval.PassageDocument(p)); err != nil {
			bi.Close()
			return fmt.Errorf("bench: plain Bleve: %w", err)
		}
	}
	if err := bi.Batch(b); err != nil {
		bi.Close()
		return fmt.Errorf("bench: plain Bleve: %w", err)
	}
	return bi.Close()
}

// resetPeakRSS sets the process's peak RSS (VmHWM) back to its RSS, where
// Linux allows it (writing 5 to /proc/self/clear_refs).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func figuresOf(rs []stepResult) buildFigures {
	return buildFigures{
		Ms:         medianOf(rs, func(r stepResult) float64 { return r.Ms }),
		PeakRSSMiB: medianPtr(rs, func(r stepResult) *float64 { return r.PeakMiB }),
	}
}

func medianOf(rs []stepResult, f func(stepResult) float64) float64 {
	var vs []float64
	for _, r := range rs {
		vs = append(vs, f(r))
	}
	return medianFloat(vs)
}

// medianPtr is the median of the figures present, or nil if none is.
func medianPtr(rs []stepResult, f func(stepResult) *float64) *float64 {
	var vs []float64
	for _, r := range rs {
		if v := f(r); v != nil {
			vs = append(vs, *v)
		}
	}
	if len(vs) == 0 {
		return nil
	}
	m := medianFloat(vs)
	return &m
}

func medianFloat(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}
