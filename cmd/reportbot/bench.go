package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"reportbot/bench"
)

const benchUsage = `bench [--reports DIR] [-n N] [--sizes 1000,10000] [--runs R] [--redis URL] [--json]

Measures reportbot on the embedded report and, with a reports folder
(--reports, else REPORTS_DIR), on those reports as they are served, and
prints the figures beside their targets:

  reports   our cold build (retrieval.Open into an empty INDEX_DIR) beside
            plain Bleve building the same passages (bleve.New on disk,
            same mapping, one batch): time and peak RSS; opening the saved
            index; start-up (load + open); RSS while serving; search p50
            and p99 against the baseline. Each build and opening runs R
            times, each in a fresh process (this binary, bench --step), so
            every peak RSS is its own; figures are medians

  search    our search + answer, p50/p99 latency and queries/s, against a
            baseline: Bleve's standard analyzer over the same passages, the
            raw question as one match query, top 3, BM25; same questions
  start-up  load (data.Load) + lexicon + index (retrieval.Build): the first
            run in the process (cold) and the median of R runs
  memory    Go heap and process RSS after loading the seed report, after GC
  scaling   a scaling curve: our search and the baseline's, and index
            time, with the report's paragraphs repeated to each of --sizes
            passages
  cache     asking through handlers.Answerer: uncached (search + answer),
            cached in the memory store and cached in Redis (--redis URL, else
            REDIS_URL; every timed ask a hit), and Redis PING as the floor,
            on the seed report and on the reports folder (without one, on
            10,000 passages), with a verdict

Queries run one at a time on one goroutine, cycling over a fixed list of
questions, after a warm-up. Progress goes to standard error. It is a
measurement, not a test: the exit status is 0 whether or not the targets
are met. The Redis keys bench writes (prefix reportbot-bench:PID:) are
deleted when it ends.

Telegram updates handled a second end to end (our bot beside a bare
telebot echo bot, against the test server) are a Go benchmark:
go test ./e2e -run '^$' -bench Telegram -benchtime 2000x`

// runBench is the bench command: flags to bench.Options, then bench.Run.
func runBench(ctx context.Context, env *environment, args []string) error {
	opts, helped, err := benchOptions(env, args)
	if helped || err != nil {
		return err
	}
	if opts.Step != "" {
		return bench.RunStep(ctx, opts.Step, opts.Reports, opts.IndexDir, env.stdout)
	}
	if exe, err := os.Executable(); err == nil {
		opts.Self = []string{exe, "bench"}
	}
	return bench.Run(ctx, opts, env.stdout)
}

// benchOptions reads the bench command's flags; bad ones are usage errors.
func benchOptions(env *environment, args []string) (_ bench.Options, helped bool, _ error) {
	fs := newFlagSet(env, "bench", benchUsage)
	n := fs.Int("n", 2000, "timed queries per measurement")
	warmup := fs.Int("warmup", 200, "untimed queries before each measurement")
	runs := fs.Int("runs", 5, "start-up runs (load + index) for the median")
	sizes := fs.String("sizes", "1000,10000", "corpus sizes, in passages, for the scaling step (comma-separated; \"\" for none)")
	maxTime := fs.Duration("max-time", 10*time.Second, "stop a measurement after this long (with at least 100 queries timed)")
	redisURL := fs.String("redis", "", "Redis URL for the cache step (default $REDIS_URL; without either the Redis rows are n/a)")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object")
	reports := fs.String("reports", env.getenv("REPORTS_DIR"), "reports folder to measure as served (default $REPORTS_DIR; \"\" for the embedded report only)")
	step := fs.String("step", "", "internal: run one measuring step (build, bleve, open) for a parent bench and print its figures")
	indexDir := fs.String("index-dir", "", "internal: the step's index folder")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return bench.Options{}, helped, err
	}
	if fs.NArg() > 0 {
		return bench.Options{}, false, usagef("bench: unexpected arguments %q", fs.Args())
	}
	if *n < 1 {
		return bench.Options{}, false, usagef("bench: -n must be at least 1, not %d", *n)
	}
	if *warmup < 0 {
		return bench.Options{}, false, usagef("bench: -warmup must not be negative, not %d", *warmup)
	}
	if *runs < 1 {
		return bench.Options{}, false, usagef("bench: -runs must be at least 1, not %d", *runs)
	}
	if *maxTime <= 0 {
		return bench.Options{}, false, usagef("bench: -max-time must be positive, not %s", *maxTime)
	}
	sz, err := benchParseSizes(*sizes)
	if err != nil {
		return bench.Options{}, false, err
	}
	if *redisURL == "" {
		*redisURL = env.getenv("REDIS_URL")
	}
	if *step != "" && (*indexDir == "" || *reports == "") {
		return bench.Options{}, false, usagef("bench: --step needs --reports and --index-dir")
	}
	return bench.Options{
		N: *n, Warmup: *warmup, Runs: *runs, Sizes: sz, MaxTime: *maxTime,
		RedisURL: *redisURL, JSON: *asJSON, Progress: env.stderr,
		Reports: *reports, Step: *step, IndexDir: *indexDir,
	}, false, nil
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
