package bench

import (
	"context"
	"runtime"
	"time"

	"reportbot/data"
	"reportbot/retrieval"
	"reportbot/store"
)

// scale is one corpus size: our index time and search, the heap with
// that index loaded, and the baseline's search for comparison.
type scale struct {
	Passages     int     `json:"passages"`
	IndexMs      float64 `json:"index_ms"`
	HeapInuseMiB float64 `json:"heap_inuse_mib"`
	Ours         latency `json:"ours"`
	Baseline     latency `json:"baseline"`
}

// measureScaling indexes the seed report repeated to each of cfg.Sizes
// passages and times our search and the baseline's on it, appending a
// point to res.Scaling each. The cache step's larger corpus is measured
// on the 10,000-passage index while it is loaded.
func measureScaling(ctx context.Context, cfg Options, seed *data.Corpus, res *result, rdb *store.Redis, say func(string, ...any)) error {
	for _, n := range cfg.Sizes {
		c := Repeat(seed, n)
		say("scaling: indexing %d passages", n)
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			return err
		}
		runtime.GC()
		t := time.Now() // the index alone, as start-up's "index" row
		big, err := retrieval.Build(c, lx)
		if err != nil {
			return err
		}
		took := time.Since(t)
		point, err := measureSize(ctx, cfg, c, big, n, say)
		if err == nil && n == cacheSize && len(res.Cache.Corpora) == 1 {
			var cc cacheCorpus
			cc, err = measureCache(ctx, cfg, cacheSizeName, big, rdb, say)
			if err == nil {
				res.Cache.Corpora = append(res.Cache.Corpora, cc)
			}
		}
		big.Close()
		if err != nil {
			return err
		}
		point.IndexMs = ms(took)
		res.Scaling = append(res.Scaling, point)
	}
	return nil
}
