package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"reportbot/data"
	"reportbot/handlers"
	"reportbot/retrieval"
	"reportbot/store"
)

const benchUsage = `bench [-n N] [--sizes 1000,10000] [--runs R] [--redis URL] [--telegram N] [--json]

Measures reportbot on the embedded report (REPORTS_DIR and --reports are
not read) and prints the figures beside their targets:

  search    our search + answer, p50/p99 latency and queries/s, against a
            baseline: Bleve's standard analyzer over the same passages, the
            raw question as one match query, top 3, BM25; same questions
  start-up  load (data.Load) + lexicon + index (retrieval.Build): the first
            run in the process (cold) and the median of R runs
  memory    Go heap and process RSS after loading the seed report, after GC
  scaling   our search and the baseline's, and index time, with the report's
            paragraphs repeated to each of --sizes passages
  cache     asking through handlers.Answerer: uncached (search + answer),
            cached in the memory store and cached in Redis (--redis URL, else
            REDIS_URL; every timed ask a hit), and Redis PING as the floor,
            on the seed report and on 10,000 passages, with a verdict
  telegram  updates handled a second end to end (--telegram N updates,
            long polling against telegramtest on 127.0.0.1, pacing off),
            ours with the cache off and on, beside a bare telebot echo bot

Queries run one at a time on one goroutine, cycling over a fixed list of
questions, after a warm-up. Progress goes to standard error. It is a
measurement, not a test: the exit status is 0 whether or not the targets
are met. The Redis keys bench writes (prefix reportbot-bench:PID:) are
deleted when it ends.`

// Targets, shown beside the figures.
const (
	targetRatio   = 1.5  // our p50 at most this many times the baseline's
	targetStartMs = 1000 // cold start-up (load + lexicon + index)
	targetRSSMiB  = 64   // RSS with the seed report loaded
	targetP99Ms   = 2.0  // our p99 …
	targetP99At   = 10000
)

// benchResult is every figure, as printed by --json.
type benchResult struct {
	Report     string       `json:"report"`
	Passages   int          `json:"passages"`
	Questions  int          `json:"questions"`
	Warmup     int          `json:"warmup_queries"`
	GoVersion  string       `json:"go_version"`
	GOMAXPROCS int          `json:"gomaxprocs"`
	Search     benchSearch  `json:"search"`
	Startup    benchStartup `json:"startup"`
	Memory     benchMemory  `json:"memory"`
	Scaling    []benchScale `json:"scaling"`
	Cache      benchCache   `json:"cache"`
	// Telegram is null with --telegram 0.
	Telegram *benchTelegram `json:"telegram"`
	Targets  []benchGoal    `json:"targets"`
}

type benchSearch struct {
	Ours     benchLatency `json:"ours"`
	Baseline benchLatency `json:"baseline"`
	// RatioP50 is our p50 over the baseline's (0 when the baseline's
	// p50 is too small to measure).
	RatioP50 float64 `json:"ratio_p50"`
}

// benchLatency is one measurement: Queries timed queries.
type benchLatency struct {
	Queries int     `json:"queries"`
	P50Ms   float64 `json:"p50_ms"`
	P99Ms   float64 `json:"p99_ms"`
	QPS     float64 `json:"queries_per_s"`
}

// benchStartup is start-up times, in milliseconds: the first run in the
// process and the median of Runs runs (the first included).
type benchStartup struct {
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

// benchMemory is memory after the first load of the seed report and a GC;
// RSS figures are null where /proc/self/status is not available.
type benchMemory struct {
	HeapInuseMiB float64  `json:"heap_inuse_mib"`
	HeapAllocMiB float64  `json:"heap_alloc_mib"`
	RSSMiB       *float64 `json:"rss_mib"`
	PeakRSSMiB   *float64 `json:"peak_rss_mib"`
}

// benchScale is one corpus size: our index time and search, the heap with
// that index loaded, and the baseline's search for comparison.
type benchScale struct {
	Passages     int          `json:"passages"`
	IndexMs      float64      `json:"index_ms"`
	HeapInuseMiB float64      `json:"heap_inuse_mib"`
	Ours         benchLatency `json:"ours"`
	Baseline     benchLatency `json:"baseline"`
}

// benchCache compares asking through handlers.Answerer with no cache,
// with the memory store and with Redis (every timed cached ask a hit).
// Redis figures are null when no Redis URL was given.
type benchCache struct {
	// Redis says whether Redis was measured; Note says why not.
	Redis     bool               `json:"redis"`
	Note      string             `json:"note,omitempty"`
	RedisPing *benchLatency      `json:"redis_ping"`
	Corpora   []benchCacheCorpus `json:"corpora"`
}

// benchCacheCorpus is the cache comparison on one corpus.
type benchCacheCorpus struct {
	Name     string        `json:"name"`
	Passages int           `json:"passages"`
	Uncached benchLatency  `json:"uncached"`
	Memory   benchLatency  `json:"memory"`
	Redis    *benchLatency `json:"redis"`
	Verdict  string        `json:"verdict"`
}

// benchCacheSize is the larger corpus of the cache comparison.
const benchCacheSize = 10000

const benchNoRedis = "n/a (set REDIS_URL or --redis)"

// benchGoal is a target and whether the figure meets it; Value and Met are
// null when the figure was not measured.
type benchGoal struct {
	Name   string   `json:"name"`
	Target string   `json:"target"`
	Value  *float64 `json:"value"`
	Unit   string   `json:"unit"`
	Met    *bool    `json:"met"`
}

// benchConfig is what the flags ask for.
type benchConfig struct {
	n, warmup, runs int
	sizes           []int
	maxTime         time.Duration
	redisURL        string // "" for no Redis
	telegram        int    // updates for the Telegram step (0: skipped)
}

func runBench(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "bench", benchUsage)
	n := fs.Int("n", 2000, "timed queries per measurement")
	warmup := fs.Int("warmup", 200, "untimed queries before each measurement")
	runs := fs.Int("runs", 5, "start-up runs (load + index) for the median")
	sizes := fs.String("sizes", "1000,10000", "corpus sizes, in passages, for the scaling step (comma-separated; \"\" for none)")
	maxTime := fs.Duration("max-time", 10*time.Second, "stop a measurement after this long (with at least 100 queries timed)")
	redisURL := fs.String("redis", "", "Redis URL for the cache step (default $REDIS_URL; without either the Redis rows are n/a)")
	telegram := fs.Int("telegram", 2000, "updates for the Telegram step (0 skips it)")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("bench: unexpected arguments %q", fs.Args())
	}
	if *n < 1 {
		return usagef("bench: -n must be at least 1, not %d", *n)
	}
	if *warmup < 0 {
		return usagef("bench: -warmup must not be negative, not %d", *warmup)
	}
	if *runs < 1 {
		return usagef("bench: -runs must be at least 1, not %d", *runs)
	}
	if *maxTime <= 0 {
		return usagef("bench: -max-time must be positive, not %s", *maxTime)
	}
	if *telegram < 0 {
		return usagef("bench: --telegram must not be negative, not %d", *telegram)
	}
	sz, err := benchParseSizes(*sizes)
	if err != nil {
		return err
	}
	cfg := benchConfig{n: *n, warmup: *warmup, runs: *runs, sizes: sz, maxTime: *maxTime, redisURL: *redisURL, telegram: *telegram}
	if cfg.redisURL == "" {
		cfg.redisURL = env.getenv("REDIS_URL")
	}
	res, err := benchAll(ctx, cfg, env.stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	out := bufio.NewWriter(env.stdout)
	printBench(out, res, cfg)
	return out.Flush()
}

func benchParseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, usagef("bench: --sizes: %q is not a number of passages (e.g. --sizes 1000,10000)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// benchAll takes every measurement, in an order that keeps them apart: the
// cold start-up first (nothing loaded yet), memory right after it (before
// larger indexes inflate the heap and RSS), then search, then scaling; the
// cache step runs on the seed index after search and on the 10,000-passage
// index while scaling has it (or after scaling, on its own index).
func benchAll(ctx context.Context, cfg benchConfig, progress io.Writer) (_ *benchResult, err error) {
	say := func(format string, args ...any) { fmt.Fprintf(progress, "bench: "+format+"\n", args...) }
	res := &benchResult{
		Questions:  len(retrieval.BenchQuestions),
		Warmup:     cfg.warmup,
		GoVersion:  runtime.Version(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Scaling:    []benchScale{},
		Cache:      benchCache{Corpora: []benchCacheCorpus{}},
	}

	// Redis, checked first so that a wrong URL fails before minutes of
	// measuring; its keys go when bench ends, however it ends.
	var rdb *store.Redis
	if cfg.redisURL == "" {
		res.Cache.Note = benchNoRedis
	} else {
		prefix := fmt.Sprintf("reportbot-bench:%d:", os.Getpid())
		rdb, err = store.NewRedis(store.RedisOptions{URL: cfg.redisURL, Prefix: prefix, Timeout: time.Second})
		if err != nil {
			return nil, fmt.Errorf("bench: --redis: %w", err)
		}
		defer func() {
			n, cerr := benchRedisCleanup(rdb, prefix)
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

	// Start-up: the first run is kept as the seed index.
	say("start-up: %d runs of load + index", cfg.runs)
	var loads, lexicons, indexes, totals []time.Duration
	var seed *data.Corpus
	var ix *retrieval.Index
	for i := range cfg.runs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		c, err := data.Load("")
		if err != nil {
			return nil, err
		}
		t1 := time.Now()
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			return nil, err
		}
		t2 := time.Now()
		x, err := retrieval.Build(c, lx)
		if err != nil {
			return nil, err
		}
		t3 := time.Now()
		loads, lexicons, indexes, totals = append(loads, t1.Sub(t0)), append(lexicons, t2.Sub(t1)), append(indexes, t3.Sub(t2)), append(totals, t3.Sub(t0))
		if i > 0 {
			x.Close()
			continue
		}
		seed, ix = c, x
		defer ix.Close()
		// Memory with the seed report loaded, before anything else is.
		mst := benchHeapAfterGC()
		res.Memory.HeapInuseMiB = benchMiB(mst.HeapInuse)
		res.Memory.HeapAllocMiB = benchMiB(mst.HeapAlloc)
		res.Memory.RSSMiB, res.Memory.PeakRSSMiB = benchProcStatus("VmRSS"), benchProcStatus("VmHWM")
	}
	res.Startup = benchStartup{
		Runs:       cfg.runs,
		ColdLoadMs: benchMs(loads[0]), ColdLexiconMs: benchMs(lexicons[0]), ColdIndexMs: benchMs(indexes[0]), ColdTotalMs: benchMs(totals[0]),
		MedianLoadMs: benchMs(benchMedian(loads)), MedianLexiconMs: benchMs(benchMedian(lexicons)), MedianIndexMs: benchMs(benchMedian(indexes)), MedianTotalMs: benchMs(benchMedian(totals)),
	}
	res.Report = seed.Reports[0].ID
	res.Passages = len(seed.Paragraphs())

	// Search on the seed report, ours against the baseline.
	point, err := benchMeasureSize(ctx, cfg, seed, ix, 0, say)
	if err != nil {
		return nil, err
	}
	point.IndexMs = res.Startup.MedianIndexMs
	res.Search = benchSearch{Ours: point.Ours, Baseline: point.Baseline}
	if point.Baseline.P50Ms > 0 {
		res.Search.RatioP50 = point.Ours.P50Ms / point.Baseline.P50Ms
	}
	res.Scaling = append(res.Scaling, point)

	// Cache on the seed report, and the Redis round trip.
	cc, err := benchMeasureCache(ctx, cfg, "seed report", ix, rdb, say)
	if err != nil {
		return nil, err
	}
	res.Cache.Corpora = append(res.Cache.Corpora, cc)
	if rdb != nil {
		say("cache: Redis PING")
		ping, err := benchMeasure(ctx, cfg, func(string) error { return rdb.Ping(ctx) })
		if err != nil {
			return nil, err
		}
		res.Cache.RedisPing = &ping
	}
	bigName := "10,000 passages"

	// Scaling: the seed report repeated.
	for _, n := range cfg.sizes {
		c := retrieval.Repeat(seed, n)
		say("scaling: indexing %d passages", n)
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			return nil, err
		}
		runtime.GC()
		t := time.Now()
		big, err := retrieval.Build(c, lx)
		if err != nil {
			return nil, err
		}
		build := time.Since(t)
		point, err := benchMeasureSize(ctx, cfg, c, big, n, say)
		if err == nil && n == benchCacheSize && len(res.Cache.Corpora) == 1 {
			cc, err = benchMeasureCache(ctx, cfg, bigName, big, rdb, say)
			if err == nil {
				res.Cache.Corpora = append(res.Cache.Corpora, cc)
			}
		}
		big.Close()
		if err != nil {
			return nil, err
		}
		point.IndexMs = benchMs(build)
		res.Scaling = append(res.Scaling, point)
	}
	if len(res.Cache.Corpora) == 1 { // 10,000 was not among --sizes
		say("cache: indexing %d passages", benchCacheSize)
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			return nil, err
		}
		big, err := retrieval.Build(retrieval.Repeat(seed, benchCacheSize), lx)
		if err != nil {
			return nil, err
		}
		cc, err = benchMeasureCache(ctx, cfg, bigName, big, rdb, say)
		big.Close()
		if err != nil {
			return nil, err
		}
		res.Cache.Corpora = append(res.Cache.Corpora, cc)
	}
	if cfg.telegram > 0 {
		if res.Telegram, err = benchTelegramMeasure(ctx, ix, cfg.telegram, say); err != nil {
			return nil, err
		}
	}
	res.Targets = benchTargets(res)
	return res, nil
}

// benchMeasureSize times our search on ix and the baseline's on the same
// corpus, and the heap with ix loaded. label is the size asked for (0: the
// seed report).
func benchMeasureSize(ctx context.Context, cfg benchConfig, c *data.Corpus, ix *retrieval.Index, label int, say func(string, ...any)) (benchScale, error) {
	name := "seed report"
	if label > 0 {
		name = strconv.Itoa(label) + " passages"
	}
	point := benchScale{Passages: len(c.Paragraphs()), HeapInuseMiB: benchMiB(benchHeapAfterGC().HeapInuse)}

	bl, err := retrieval.BuildBaseline(c)
	if err != nil {
		return point, err
	}
	defer bl.Close()
	say("search, %s: ours and baseline, interleaved", name)
	point.Ours, point.Baseline, err = benchMeasurePair(ctx, cfg,
		func(q string) error {
			_, err := ix.Search(ctx, q, 3)
			return err
		},
		func(q string) error {
			_, err := bl.Search(ctx, q, 3)
			return err
		})
	return point, err
}

// benchMeasurePair times two searches over the same questions, alternating
// query by query (and which goes first), so that both see the same machine:
// measured one after the other, a burst of other work on a shared machine
// lands on one side only and skews the ratio between them.
func benchMeasurePair(ctx context.Context, cfg benchConfig, a, b func(q string) error) (benchLatency, benchLatency, error) {
	qs := retrieval.BenchQuestions
	for i := range cfg.warmup {
		if err := a(qs[i%len(qs)]); err != nil {
			return benchLatency{}, benchLatency{}, err
		}
		if err := b(qs[i%len(qs)]); err != nil {
			return benchLatency{}, benchLatency{}, err
		}
	}
	runtime.GC()
	var durs [2][]time.Duration
	var spent [2]time.Duration
	fns := [2]func(string) error{a, b}
	start := time.Now()
	for i := range cfg.n {
		if err := ctx.Err(); err != nil {
			return benchLatency{}, benchLatency{}, err
		}
		for j := range 2 {
			side := (i + j) % 2
			t := time.Now()
			if err := fns[side](qs[i%len(qs)]); err != nil {
				return benchLatency{}, benchLatency{}, err
			}
			d := time.Since(t)
			durs[side] = append(durs[side], d)
			spent[side] += d
		}
		if len(durs[0]) >= 100 && time.Since(start) > cfg.maxTime {
			break
		}
	}
	var out [2]benchLatency
	for side := range 2 {
		slices.Sort(durs[side])
		out[side] = benchLatency{
			Queries: len(durs[side]),
			P50Ms:   benchMs(benchPercentile(durs[side], 0.50)),
			P99Ms:   benchMs(benchPercentile(durs[side], 0.99)),
			QPS:     float64(len(durs[side])) / spent[side].Seconds(),
		}
	}
	return out[0], out[1], nil
}

// benchMeasureCache times asking through handlers.Answerer on ix with no
// store, then with the memory store and with Redis (rdb; skipped when nil),
// each cache warmed first with every question so that every timed ask is
// a hit; a miss is an error, not a figure.
func benchMeasureCache(ctx context.Context, cfg benchConfig, name string, ix *retrieval.Index, rdb *store.Redis, say func(string, ...any)) (benchCacheCorpus, error) {
	cc := benchCacheCorpus{Name: name, Passages: len(ix.Corpus().Paragraphs())}
	// A store that fails is logged by the Answerer; here it is an error.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ask := func(st store.Store, hits bool) (benchLatency, error) {
		a := &handlers.Answerer{Index: ix, Store: st, TTL: time.Hour, Log: quiet}
		if st != nil {
			for _, q := range retrieval.BenchQuestions {
				if _, err := a.Answer(ctx, q, 3); err != nil {
					return benchLatency{}, err
				}
			}
		}
		return benchMeasure(ctx, cfg, func(q string) error {
			ans, err := a.Answer(ctx, q, 3)
			if err != nil {
				return err
			}
			if hits && !ans.Cached {
				return fmt.Errorf("bench: cache, %s: %q was not a cache hit after warming (store errors: %d)", name, q, a.StoreErrors.Load())
			}
			return nil
		})
	}
	var err error
	say("cache, %s: uncached ask", name)
	if cc.Uncached, err = ask(nil, false); err != nil {
		return cc, err
	}
	say("cache, %s: cached ask, memory store", name)
	mem := store.NewMemory(store.MemoryOptions{})
	cc.Memory, err = ask(mem, true)
	mem.Close()
	if err != nil {
		return cc, err
	}
	if rdb != nil {
		say("cache, %s: cached ask, Redis", name)
		l, err := ask(rdb, true)
		if err != nil {
			return cc, err
		}
		cc.Redis = &l
	}
	cc.Verdict = benchCacheVerdict(cc)
	return cc, nil
}

// benchCacheVerdict says, from the figures, whether a Redis hit beats
// searching: it pays when it is at least twice as fast and saves at least
// half a millisecond a question.
func benchCacheVerdict(cc benchCacheCorpus) string {
	search := cc.Uncached.P50Ms
	if cc.Redis == nil {
		return fmt.Sprintf("%s: search p50 %.3f ms vs memory hit p50 %.3f ms; Redis %s", cc.Name, search, cc.Memory.P50Ms, benchNoRedis)
	}
	hit := cc.Redis.P50Ms
	head := fmt.Sprintf("%s: search p50 %.3f ms vs Redis hit p50 %.3f ms", cc.Name, search, hit)
	switch saved := search - hit; {
	case saved <= 0:
		return fmt.Sprintf("%s — a Redis hit is slower than searching (%.3f ms more); cache does not pay here", head, -saved)
	case hit > 0 && search/hit >= 2 && saved >= 0.5:
		return fmt.Sprintf("%s — cache pays (%.1fx faster, %.3f ms saved a question)", head, search/hit, saved)
	default:
		ratio := "∞"
		if hit > 0 {
			ratio = fmt.Sprintf("%.1fx", search/hit)
		}
		return fmt.Sprintf("%s — cache saves little here (%s, %.3f ms a question)", head, ratio, saved)
	}
}

// benchRedisCleanup deletes every key under prefix (SCAN + DEL) and says
// how many it deleted.
func benchRedisCleanup(r *store.Redis, prefix string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := r.Client()
	var cursor uint64
	n := 0
	for {
		keys, next, err := c.Scan(ctx, cursor, prefix+"*", 1000).Result()
		if err != nil {
			return n, err
		}
		if len(keys) > 0 {
			d, err := c.Del(ctx, keys...).Result()
			if err != nil {
				return n, err
			}
			n += int(d)
		}
		if cursor = next; cursor == 0 {
			return n, nil
		}
	}
}

// benchMeasure runs cfg.warmup untimed queries, then times cfg.n (or as
// many as cfg.maxTime allows, at least 100), one at a time, cycling over
// the questions.
func benchMeasure(ctx context.Context, cfg benchConfig, search func(q string) error) (benchLatency, error) {
	qs := retrieval.BenchQuestions
	for i := range cfg.warmup {
		if err := search(qs[i%len(qs)]); err != nil {
			return benchLatency{}, err
		}
	}
	runtime.GC()
	durs := make([]time.Duration, 0, cfg.n)
	start := time.Now()
	for i := range cfg.n {
		if err := ctx.Err(); err != nil {
			return benchLatency{}, err
		}
		t := time.Now()
		if err := search(qs[i%len(qs)]); err != nil {
			return benchLatency{}, err
		}
		durs = append(durs, time.Since(t))
		if len(durs) >= 100 && time.Since(start) > cfg.maxTime {
			break
		}
	}
	wall := time.Since(start)
	slices.Sort(durs)
	return benchLatency{
		Queries: len(durs),
		P50Ms:   benchMs(benchPercentile(durs, 0.50)),
		P99Ms:   benchMs(benchPercentile(durs, 0.99)),
		QPS:     float64(len(durs)) / wall.Seconds(),
	}, nil
}

// benchHeapAfterGC collects garbage twice, so that what sync.Pools held
// through the first collection (Bleve's segment builder keeps tens of MiB
// there after indexing) is gone too, and returns the memory statistics.
func benchHeapAfterGC() *runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return &m
}

// benchPercentile is the nearest-rank percentile of sorted durations.
func benchPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func benchMedian(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func benchMs(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func benchMiB(b uint64) float64 { return float64(b) / (1 << 20) }

// benchProcStatus reads a "kB" field of /proc/self/status in MiB, or nil
// where there is none (not Linux).
func benchProcStatus(field string) *float64 {
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

func benchTargets(res *benchResult) []benchGoal {
	var ratio *float64
	if r := res.Search.RatioP50; r > 0 {
		ratio = &r
	}
	start := res.Startup.ColdTotalMs
	gs := []benchGoal{
		{Name: "search p50 / baseline p50", Target: fmt.Sprintf("≤%g", targetRatio), Unit: "x", Value: ratio},
		{Name: "start-up, cold", Target: fmt.Sprintf("<%d", targetStartMs), Unit: "ms", Value: &start},
		{Name: "RSS with the seed report", Target: fmt.Sprintf("<%d", targetRSSMiB), Unit: "MiB", Value: res.Memory.RSSMiB},
		{Name: fmt.Sprintf("p99 at %d passages", targetP99At), Target: fmt.Sprintf("<%g", targetP99Ms), Unit: "ms"},
	}
	for _, s := range res.Scaling {
		if s.Passages == targetP99At {
			v := s.Ours.P99Ms
			gs[3].Value = &v
		}
	}
	met := []func(float64) bool{
		func(v float64) bool { return v <= targetRatio },
		func(v float64) bool { return v < targetStartMs },
		func(v float64) bool { return v < targetRSSMiB },
		func(v float64) bool { return v < targetP99Ms },
	}
	for i := range gs {
		if gs[i].Value != nil {
			ok := met[i](*gs[i].Value)
			gs[i].Met = &ok
		}
	}
	return gs
}

// printBench prints the figures for a person at a terminal: every line is
// a label and then numbers (or n/a), with the unit in the label.
func printBench(w io.Writer, res *benchResult, cfg benchConfig) {
	row := func(label string, values ...string) {
		fmt.Fprintf(w, "  %-34s", label)
		for _, v := range values {
			fmt.Fprintf(w, " %12s", v)
		}
		fmt.Fprintln(w)
	}
	f := func(format string, v float64) string { return fmt.Sprintf(format, v) }
	opt := func(v *float64) string {
		if v == nil {
			return "n/a"
		}
		return fmt.Sprintf("%.1f", *v)
	}

	fmt.Fprintf(w, "reportbot bench: report %s, %d passages, %d questions; %s, GOMAXPROCS=%d, %s/%s\n",
		res.Report, res.Passages, res.Questions, res.GoVersion, res.GOMAXPROCS, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "each measurement: %d warm-up queries, then up to %d timed (at most %s), one at a time\n\n", res.Warmup, cfg.n, cfg.maxTime)

	s := res.Search
	fmt.Fprintln(w, "search + answer, seed report")
	row("", "ours", "baseline")
	row("queries timed", strconv.Itoa(s.Ours.Queries), strconv.Itoa(s.Baseline.Queries))
	row("p50 latency (ms)", f("%.3f", s.Ours.P50Ms), f("%.3f", s.Baseline.P50Ms))
	row("p99 latency (ms)", f("%.3f", s.Ours.P99Ms), f("%.3f", s.Baseline.P99Ms))
	row("throughput (queries/s)", f("%.0f", s.Ours.QPS), f("%.0f", s.Baseline.QPS))
	ratio := "n/a"
	if s.RatioP50 > 0 {
		ratio = f("%.2f", s.RatioP50)
	}
	row("ours/baseline p50 (x)", ratio)
	fmt.Fprintln(w)

	st := res.Startup
	fmt.Fprintln(w, "start-up, seed report")
	row("", "cold", fmt.Sprintf("median of %d", st.Runs))
	row("load (ms)", f("%.2f", st.ColdLoadMs), f("%.2f", st.MedianLoadMs))
	row("lexicon (ms)", f("%.2f", st.ColdLexiconMs), f("%.2f", st.MedianLexiconMs))
	row("index (ms)", f("%.2f", st.ColdIndexMs), f("%.2f", st.MedianIndexMs))
	row("total (ms)", f("%.2f", st.ColdTotalMs), f("%.2f", st.MedianTotalMs))
	fmt.Fprintln(w)

	m := res.Memory
	fmt.Fprintln(w, "memory, seed report loaded (after GC, before scaling)")
	row("Go heap in use (MiB)", f("%.1f", m.HeapInuseMiB))
	row("Go heap live (MiB)", f("%.1f", m.HeapAllocMiB))
	row("process RSS (MiB)", opt(m.RSSMiB))
	row("peak RSS so far (MiB)", opt(m.PeakRSSMiB))
	fmt.Fprintln(w)

	fmt.Fprintln(w, "scaling: the report's paragraphs repeated (index = retrieval.Build)")
	cols := []string{"passages", "index ms", "heap MiB", "p50 ms", "p99 ms", "queries/s", "base p50 ms", "base p99 ms", "queries"}
	fmt.Fprint(w, " ")
	for _, c := range cols {
		fmt.Fprintf(w, " %11s", c)
	}
	fmt.Fprintln(w)
	for _, p := range res.Scaling {
		fmt.Fprintf(w, "  %11d %11.1f %11.1f %11.3f %11.3f %11.0f %11.3f %11.3f %11d\n",
			p.Passages, p.IndexMs, p.HeapInuseMiB, p.Ours.P50Ms, p.Ours.P99Ms, p.Ours.QPS, p.Baseline.P50Ms, p.Baseline.P99Ms, p.Ours.Queries)
	}
	fmt.Fprintln(w)

	printBenchCache(w, res.Cache)
	if res.Telegram != nil {
		printBenchTelegram(w, res.Telegram)
	}

	fmt.Fprintln(w, "targets (information only; bench does not fail on them)")
	row("", "measured", "target", "verdict")
	for _, g := range res.Targets {
		verdict := "n/a"
		if g.Met != nil {
			verdict = map[bool]string{true: "met", false: "NOT MET"}[*g.Met]
		}
		value := "n/a"
		if g.Value != nil {
			value = fmt.Sprintf("%.2f", *g.Value)
		}
		row(fmt.Sprintf("%s (%s)", g.Name, g.Unit), value, g.Target, verdict)
	}
}

// printBenchCache prints the cache step: a row per way of asking and
// corpus, p50, p99 and queries timed, then a verdict per corpus.
func printBenchCache(w io.Writer, c benchCache) {
	row := func(label string, values ...string) {
		fmt.Fprintf(w, "  %-40s", label)
		for _, v := range values {
			fmt.Fprintf(w, " %10s", v)
		}
		fmt.Fprintln(w)
	}
	lat := func(label string, l *benchLatency) {
		if l == nil {
			fmt.Fprintf(w, "  %-40s %s\n", label, benchNoRedis)
			return
		}
		row(label, fmt.Sprintf("%.3f", l.P50Ms), fmt.Sprintf("%.3f", l.P99Ms), strconv.Itoa(l.Queries))
	}
	fmt.Fprintln(w, "cache: asking through handlers.Answerer, one question at a time; cached asks all hits")
	row("", "p50 ms", "p99 ms", "queries")
	for _, cc := range c.Corpora {
		lat("uncached ask, "+cc.Name, &cc.Uncached)
		lat("cached ask, memory, "+cc.Name, &cc.Memory)
		lat("cached ask, Redis, "+cc.Name, cc.Redis)
	}
	lat("Redis PING (round-trip floor)", c.RedisPing)
	for _, cc := range c.Corpora {
		fmt.Fprintf(w, "  verdict, %s\n", cc.Verdict)
	}
	fmt.Fprintln(w)
}
