package bench

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"reportbot/data"
	"reportbot/retrieval"
)

// startup is start-up times, in milliseconds: the first run in the
// process and the median of Runs runs (the first included).
type startup struct {
	Runs            int     `json:"runs"`
	ColdLoadMs      float64 `json:"cold_load_ms"`
	ColdLexiconMs   float64 `json:"cold_lexicon_ms"`
	ColdIndexMs     float64 `json:"cold_index_ms"`
	ColdTotalMs     float64 `json:"cold_total_ms"`
	MedianLoadMs    float64 `json:"median_load_ms"`
	MedianLexiconMs float64 `json:"median_lexicon_ms"`
	MedianIndexMs   float64 `json:"median_index_ms"`
	MedianTotalMs   float64 `json:"median_total_ms"`
}

// memory is memory after the first load of the seed report and a GC;
// RSS figures are null where /proc/self/status is not available.
type memory struct {
	HeapInuseMiB float64  `json:"heap_inuse_mib"`
	HeapAllocMiB float64  `json:"heap_alloc_mib"`
	RSSMiB       *float64 `json:"rss_mib"`
	PeakRSSMiB   *float64 `json:"peak_rss_mib"`
}

// measureStartup times cfg.Runs start-ups (load + lexicon + index of the
// embedded report) into res.Startup, and the memory after the first one
// into res.Memory. The first run's corpus and index are the seed, which
// the caller closes.
func measureStartup(ctx context.Context, cfg Options, res *result, say func(string, ...any)) (*data.Corpus, *retrieval.Index, error) {
	say("start-up: %d runs of load + index", cfg.Runs)
	var loads, lexicons, indexes, totals []time.Duration
	var seed *data.Corpus
	var ix *retrieval.Index
	fail := func(err error) (*data.Corpus, *retrieval.Index, error) {
		if ix != nil {
			ix.Close()
		}
		return nil, nil, err
	}
	for i := range cfg.Runs {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		t0 := time.Now()
		c, err := data.Load("")
		if err != nil {
			return fail(err)
		}
		t1 := time.Now()
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			return fail(err)
		}
		t2 := time.Now()
		x, err := retrieval.Build(c, lx)
		if err != nil {
			return fail(err)
		}
		t3 := time.Now()
		loads, lexicons, indexes, totals = append(loads, t1.Sub(t0)), append(lexicons, t2.Sub(t1)), append(indexes, t3.Sub(t2)), append(totals, t3.Sub(t0))
		if i > 0 {
			x.Close()
			continue
		}
		seed, ix = c, x
		// Memory with the seed report loaded, before anything else is.
		mst := heapAfterGC()
		res.Memory.HeapInuseMiB = mib(mst.HeapInuse)
		res.Memory.HeapAllocMiB = mib(mst.HeapAlloc)
		res.Memory.RSSMiB, res.Memory.PeakRSSMiB = procStatus("VmRSS"), procStatus("VmHWM")
	}
	res.Startup = startup{
		Runs:       cfg.Runs,
		ColdLoadMs: ms(loads[0]), ColdLexiconMs: ms(lexicons[0]), ColdIndexMs: ms(indexes[0]), ColdTotalMs: ms(totals[0]),
		MedianLoadMs: ms(median(loads)), MedianLexiconMs: ms(median(lexicons)), MedianIndexMs: ms(median(indexes)), MedianTotalMs: ms(median(totals)),
	}
	return seed, ix, nil
}

// heapAfterGC collects garbage twice, so that what sync.Pools held
// through the first collection (Bleve's segment builder keeps tens of MiB
// there after indexing) is gone too, and returns the memory statistics.
func heapAfterGC() *runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return &m
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// procStatus reads a "kB" field of /proc/self/status in MiB, or nil where
// there is none (not Linux).
func procStatus(field string) *float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil
	}
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return nil
		}
		kb, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return nil
		}
		v := kb / 1024
		return &v
	}
	return nil
}
