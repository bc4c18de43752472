// Package bench holds reportbot's measurements and their baselines:
// search and answer against a plain Bleve baseline, start-up and memory,
// how search and indexing scale with the corpus, and the answer cache
// (memory and Redis), each printed beside its target. `reportbot bench`
// calls it; the Go benchmarks of package retrieval use its questions,
// baseline and synthetic corpora.
//
// It is a measurement, not a test: Run fails only when a measurement
// cannot be taken, never because a target is missed.
package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"reportbot/data"
	"reportbot/retrieval"
	"reportbot/store"
)

// Options say what to measure and how. The zero value measures with the
// defaults: 2000 queries, no warm-up, 5 start-up runs, no scaling beyond
// the seed report, 10 seconds at most a measurement, no Redis, tables.
type Options struct {
	// N is the number of timed queries per measurement (0: 2000).
	N int
	// Warmup is the number of untimed queries before each measurement.
	Warmup int
	// Runs is the number of start-up runs (load + index) the median is
	// taken of (0: 5).
	Runs int
	// Sizes are the corpus sizes, in passages, of the scaling step.
	Sizes []int
	// MaxTime stops a measurement after this long, once at least 100
	// queries are timed (0: 10s).
	MaxTime time.Duration
	// RedisURL is the Redis of the cache step; with "" its Redis rows
	// are n/a. bench's keys (prefix reportbot-bench:PID:) are deleted
	// when Run ends.
	RedisURL string
	// Reports is a reports folder to measure as it is served (the
	// embedded report plus its reports): our cold build beside plain
	// Bleve's, opening the saved index, start-up, RSS while serving, and
	// search against the baseline. "" measures the embedded report only.
	Reports string
	// Self runs one measuring step in a fresh process: the command and
	// arguments that make this program call RunStep with the arguments
	// bench appends (--step NAME --reports DIR --index-dir DIR), e.g.
	// {"/usr/bin/reportbot", "bench"}. With none, the steps run in this
	// process and their peak RSS include what it already held.
	Self []string
	// Step and IndexDir, in a process started through Self, name the
	// one step to run there (see RunStep) and its index folder; Run
	// ignores them.
	Step, IndexDir string
	// JSON prints the figures as one JSON object instead of tables.
	JSON bool
	// Progress receives a line per step ("bench: …"); nil discards them.
	Progress io.Writer
}

func (o Options) withDefaults() (Options, error) {
	if o.N == 0 {
		o.N = 2000
	}
	if o.Runs == 0 {
		o.Runs = 5
	}
	if o.MaxTime == 0 {
		o.MaxTime = 10 * time.Second
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	switch {
	case o.N < 0:
		return o, fmt.Errorf("bench: %d timed queries: want at least 1", o.N)
	case o.Warmup < 0:
		return o, fmt.Errorf("bench: %d warm-up queries: want 0 or more", o.Warmup)
	case o.Runs < 0:
		return o, fmt.Errorf("bench: %d start-up runs: want at least 1", o.Runs)
	case o.MaxTime < 0:
		return o, fmt.Errorf("bench: maximum time %s: want a positive duration", o.MaxTime)
	}
	for _, n := range o.Sizes {
		if n < 1 {
			return o, fmt.Errorf("bench: corpus size %d: want at least 1 passage", n)
		}
	}
	return o, nil
}

// Run takes every measurement and writes the figures to w: tables beside
// their targets, or with opts.JSON one JSON object.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	res, err := measure(ctx, opts)
	if err != nil {
		return err
	}
	if res.opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	out := bufio.NewWriter(w)
	res.writeText(out)
	return out.Flush()
}

// result is every figure, as printed by Options.JSON.
type result struct {
	Report     string  `json:"report"`
	Passages   int     `json:"passages"`
	Questions  int     `json:"questions"`
	Warmup     int     `json:"warmup_queries"`
	GoVersion  string  `json:"go_version"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	Search     search  `json:"search"`
	Startup    startup `json:"startup"`
	Memory     memory  `json:"memory"`
	// Corpus is the reports folder measured (null without one).
	Corpus  *corpusStep `json:"corpus"`
	Scaling []scale     `json:"scaling"`
	Cache   cacheStep   `json:"cache"`
	Targets []goal      `json:"targets"`

	opts Options // what was asked, for the text's header
}

// measure takes every measurement, in an order that keeps them apart: the
// cold start-up first (nothing loaded yet), memory right after it (before
// larger indexes inflate the heap and RSS), then search, then scaling; the
// cache step runs on the seed index after search and on the 10,000-passage
// index while scaling has it (or after scaling, on its own index).
func measure(ctx context.Context, opts Options) (_ *result, err error) {
	cfg, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	say := func(format string, args ...any) { fmt.Fprintf(cfg.Progress, "bench: "+format+"\n", args...) }
	res := &result{
		Questions:  len(Questions),
		Warmup:     cfg.Warmup,
		GoVersion:  runtime.Version(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Scaling:    []scale{},
		Cache:      cacheStep{Corpora: []cacheCorpus{}},
		opts:       cfg,
	}

	// Redis, checked first so that a wrong URL fails before minutes of
	// measuring; its keys go when bench ends, however it ends.
	var rdb *store.Redis
	if cfg.RedisURL == "" {
		res.Cache.Note = noRedis
	} else {
		prefix := fmt.Sprintf("reportbot-bench:%d:", os.Getpid())
		rdb, err = store.NewRedis(store.RedisOptions{URL: cfg.RedisURL, Prefix: prefix, Timeout: time.Second})
		if err != nil {
			return nil, fmt.Errorf("bench: --redis: %w", err)
		}
		defer func() {
			n, cerr := redisCleanup(rdb, prefix)
			if cerr != nil && err == nil {
				err = fmt.Errorf("bench: deleting the %s* keys: %w", prefix, cerr)
			}
			if cerr == nil {
				say("cache: deleted %d Redis keys %s*", n, prefix)
			}
			rdb.Close()
		}()
		if err := rdb.Ping(ctx); err != nil {
			return nil, fmt.Errorf("bench: --redis: %w", err)
		}
		res.Cache.Redis = true
	}

	seed, ix, err := measureStartup(ctx, cfg, res, say)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	res.Report = seed.Reports[0].ID
	res.Passages = len(seed.Paragraphs())

	// Search on the seed report, ours against the baseline.
	point, err := measureSize(ctx, cfg, seed, ix, 0, say)
	if err != nil {
		return nil, err
	}
	point.IndexMs = res.Startup.MedianIndexMs
	res.Search = search{Ours: point.Ours, Baseline: point.Baseline}
	if point.Baseline.P50Ms > 0 {
		res.Search.RatioP50 = point.Ours.P50Ms / point.Baseline.P50Ms
	}
	res.Scaling = append(res.Scaling, point)

	// Cache on the seed report, and the Redis round trip.
	cc, err := measureCache(ctx, cfg, "seed report", ix, rdb, say)
	if err != nil {
		return nil, err
	}
	res.Cache.Corpora = append(res.Cache.Corpora, cc)
	if rdb != nil {
		say("cache: Redis PING")
		ping, err := measureLatency(ctx, cfg, func(string) error { return rdb.Ping(ctx) })
		if err != nil {
			return nil, err
		}
		res.Cache.RedisPing = &ping
	}

	// The reports folder, with the cache step on its index.
	if cfg.Reports != "" {
		tmp, err := os.MkdirTemp("", "reportbot-bench-index-")
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(tmp)
		cix, err := measureCorpus(ctx, cfg, res, tmp, say)
		if err != nil {
			return nil, err
		}
		cc, err := measureCache(ctx, cfg, fmt.Sprintf("%d reports", len(cix.Corpus().Reports)), cix, rdb, say)
		cix.Close()
		if err != nil {
			return nil, err
		}
		res.Cache.Corpora = append(res.Cache.Corpora, cc)
	}

	// Scaling, with the cache step on its 10,000-passage index (when no
	// reports folder took its place).
	if err := measureScaling(ctx, cfg, seed, res, rdb, say); err != nil {
		return nil, err
	}
	if len(res.Cache.Corpora) == 1 { // 10,000 was not among the sizes
		say("cache: indexing %d passages", cacheSize)
		big, err := build(Repeat(seed, cacheSize))
		if err != nil {
			return nil, err
		}
		cc, err = measureCache(ctx, cfg, cacheSizeName, big, rdb, say)
		big.Close()
		if err != nil {
			return nil, err
		}
		res.Cache.Corpora = append(res.Cache.Corpora, cc)
	}
	res.Targets = targets(res)
	return res, nil
}

// build indexes c with the default lexicon, as serve does.
func build(c *data.Corpus) (*retrieval.Index, error) {
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	return retrieval.Build(c, lx)
}
