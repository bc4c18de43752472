package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"reportbot/store"
	"reportbot/store/redistest"
)

// Run is checked for what it prints, never for how fast anything is:
// every figure is labelled and is a number.

// benchOpts is a small configuration: few queries, one small scaling size.
var benchOpts = Options{N: 20, Warmup: 5, Runs: 2, Sizes: []int{50}}

// runBench runs bench with opts and returns what it printed and its
// progress lines.
func runBench(t *testing.T, opts Options) (stdout, progress string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	opts.Progress = &errb
	err = Run(context.Background(), opts, &out)
	return out.String(), errb.String(), err
}

// benchFields returns the fields after label on the line that starts with
// it.
func benchFields(t *testing.T, out, label string) []string {
	t.Helper()
	for line := range strings.Lines(out) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), label); ok {
			return strings.Fields(rest)
		}
	}
	t.Errorf("no line labelled %q in:\n%s", label, out)
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// benchPlain runs bench with benchOpts and no Redis once, for the tests
// that read its text (each run indexes 10,000 passages for the cache step).
var benchPlain = sync.OnceValues(func() (string, error) {
	var out bytes.Buffer
	err := Run(context.Background(), benchOpts, &out)
	return out.String(), err
})

func TestBenchPrintsEveryFigure(t *testing.T) {
	out, err := benchPlain()
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	numbers := map[string]int{ // label → how many numbers follow it
		"queries timed":          2,
		"p50 latency (ms)":       2,
		"p99 latency (ms)":       2,
		"throughput (queries/s)": 2,
		"load (ms)":              2,
		"lexicon (ms)":           2,
		"index (ms)":             2,
		"total (ms)":             2,
		"Go heap in use (MiB)":   1,
		"Go heap live (MiB)":     1,
	}
	for label, n := range numbers {
		f := benchFields(t, out, label)
		if len(f) != n {
			t.Errorf("%q: %d figures %q, want %d", label, len(f), f, n)
			continue
		}
		for _, v := range f {
			if !isNumber(v) {
				t.Errorf("%q: %q is not a number", label, v)
			}
		}
	}
	// Figures that may be unavailable.
	for _, label := range []string{"ours/baseline p50 (x)", "process RSS (MiB)", "peak RSS so far (MiB)"} {
		if f := benchFields(t, out, label); len(f) != 1 || !(isNumber(f[0]) || f[0] == "n/a") {
			t.Errorf("%q: %q, want one number or n/a", label, f)
		}
	}
	if f := benchFields(t, out, "queries timed"); len(f) == 2 && (f[0] != "20" || f[1] != "20") {
		t.Errorf("queries timed: %q, want 20 and 20", f)
	}

	// Scaling: a header, then one row for the seed report and one per size.
	head := benchFields(t, out, "passages")
	if len(head) == 0 {
		return
	}
	var rows [][]string
	inTable := false
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && f[0] == "passages":
			inTable = true
		case inTable && len(f) == 0:
			inTable = false
		case inTable:
			rows = append(rows, f)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("scaling: %d rows, want 2 (seed, 50):\n%s", len(rows), out)
	}
	for _, r := range rows {
		if len(r) != 9 {
			t.Errorf("scaling row %q: %d columns, want 9", r, len(r))
		}
		for _, v := range r {
			if !isNumber(v) {
				t.Errorf("scaling row %q: %q is not a number", r, v)
			}
		}
	}
	if rows[1][0] != "50" {
		t.Errorf("scaling: second row is %s passages, want 50", rows[1][0])
	}

	// Targets: measured, target, verdict.
	for _, label := range []string{
		"search p50 / baseline p50 (x)",
		"start-up, cold (ms)",
		"RSS with the seed report (MiB)",
		"p99 at 10000 passages (ms)",
	} {
		f := benchFields(t, out, label)
		if len(f) < 3 {
			t.Errorf("target %q: %q", label, f)
			continue
		}
		if !isNumber(f[0]) && f[0] != "n/a" {
			t.Errorf("target %q: measured %q is not a number", label, f[0])
		}
		if !isNumber(strings.TrimLeft(f[1], "≤<")) {
			t.Errorf("target %q: target %q is not a bound", label, f[1])
		}
		switch v := strings.Join(f[2:], " "); v {
		case "met", "NOT MET", "n/a":
		default:
			t.Errorf("target %q: verdict %q", label, v)
		}
	}
	// 10,000 passages were not measured, so that target cannot be judged.
	if f := benchFields(t, out, "p99 at 10000 passages (ms)"); len(f) > 0 && f[0] != "n/a" {
		t.Errorf("p99 at 10000 passages: %q, want n/a when 10000 is not among --sizes", f)
	}
}

func TestBenchJSON(t *testing.T) {
	opts := benchOpts
	opts.JSON = true
	out, _, err := runBench(t, opts)
	if err != nil {
		t.Fatalf("bench --json: %v", err)
	}
	var res result
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("bench --json is not one result: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("bench --json printed more than one object")
	}
	if res.Search.Ours.Queries != 20 || res.Search.Baseline.Queries != 20 {
		t.Errorf("queries: ours %d, baseline %d, want 20", res.Search.Ours.Queries, res.Search.Baseline.Queries)
	}
	if res.Passages == 0 || res.Report == "" || res.Questions == 0 || res.Startup.Runs != 2 {
		t.Errorf("description: %+v", res)
	}
	if len(res.Scaling) != 2 || res.Scaling[1].Passages != 50 {
		t.Errorf("scaling: %+v, want the seed report and 50 passages", res.Scaling)
	}
	if len(res.Targets) != 4 {
		t.Errorf("targets: %d, want 4", len(res.Targets))
	}
	for _, g := range res.Targets {
		if (g.Value == nil) != (g.Met == nil) {
			t.Errorf("target %q: a value without a verdict or the reverse", g.Name)
		}
	}
	if res.Cache.Redis || res.Cache.RedisPing != nil || res.Cache.Note != "n/a (set REDIS_URL or --redis)" {
		t.Errorf("cache without Redis: %+v", res.Cache)
	}
	if len(res.Cache.Corpora) != 2 || res.Cache.Corpora[1].Passages != 10000 {
		t.Errorf("cache corpora: %+v, want the seed report and 10,000 passages", res.Cache.Corpora)
	}
	for _, cc := range res.Cache.Corpora {
		if cc.Uncached.Queries != 20 || cc.Memory.Queries != 20 || cc.Redis != nil || cc.Verdict == "" {
			t.Errorf("cache, %s: %+v", cc.Name, cc)
		}
	}
	// The same keys a reader of the JSON relies on.
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, path := range [][]string{
		{"search", "ours", "p50_ms"}, {"search", "ours", "p99_ms"}, {"search", "ours", "queries_per_s"},
		{"search", "baseline", "p50_ms"}, {"search", "baseline", "p99_ms"}, {"search", "baseline", "queries_per_s"},
		{"search", "ratio_p50"},
		{"startup", "cold_total_ms"}, {"startup", "median_total_ms"}, {"startup", "median_load_ms"}, {"startup", "median_index_ms"},
		{"memory", "heap_inuse_mib"},
	} {
		var v any = raw
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[k]
		}
		if _, ok := v.(float64); !ok {
			t.Errorf("JSON %s: %v is not a number", strings.Join(path, "."), v)
		}
	}
}

// benchCacheRows are the cache step's rows: label → whether it is a Redis
// row (n/a without Redis).
var benchCacheRows = map[string]bool{
	"uncached ask, seed report":           false,
	"cached ask, memory, seed report":     false,
	"cached ask, Redis, seed report":      true,
	"uncached ask, 10,000 passages":       false,
	"cached ask, memory, 10,000 passages": false,
	"cached ask, Redis, 10,000 passages":  true,
	"Redis PING (round-trip floor)":       true,
}

// checkBenchCacheRow checks a cache row is p50, p99 and queries timed.
func checkBenchCacheRow(t *testing.T, out, label string) {
	t.Helper()
	f := benchFields(t, out, label)
	if len(f) != 3 {
		t.Errorf("%q: %q, want p50, p99 and queries", label, f)
		return
	}
	for _, v := range f {
		if !isNumber(v) {
			t.Errorf("%q: %q is not a number", label, v)
		}
	}
	if f[2] != "20" {
		t.Errorf("%q: %s queries timed, want 20", label, f[2])
	}
}

func TestBenchCacheWithRedis(t *testing.T) {
	srv := redistest.Start(t)
	opts := benchOpts
	opts.RedisURL = srv.URL()
	out, stderr, err := runBench(t, opts)
	if err != nil {
		t.Fatalf("bench --redis: %v\n%s\n%s", err, out, stderr)
	}
	for label := range benchCacheRows {
		checkBenchCacheRow(t, out, label)
	}
	for _, name := range []string{"seed report", "10,000 passages"} {
		f := benchFields(t, out, "verdict, "+name+": search p50")
		// 0.056 ms vs Redis hit p50 0.105 ms — …
		if len(f) < 8 || !isNumber(f[0]) || f[1] != "ms" || strings.Join(f[2:5], " ") != "vs Redis hit" || !isNumber(f[6]) {
			t.Errorf("verdict for %s: %q", name, f)
			continue
		}
		v := strings.Join(f, " ")
		if !strings.Contains(v, "cache pays") && !strings.Contains(v, "saves little") && !strings.Contains(v, "does not pay") {
			t.Errorf("verdict for %s has no conclusion: %q", name, v)
		}
	}
	if strings.Contains(out, "n/a (set REDIS_URL") {
		t.Errorf("Redis rows n/a with --redis:\n%s", out)
	}

	// bench's keys are gone.
	r, err := store.NewRedis(store.RedisOptions{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	keys, err := r.Client().Keys(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 {
		t.Errorf("keys left in Redis after bench: %q", keys)
	}
	if !strings.Contains(stderr, "deleted 20 Redis keys reportbot-bench:") {
		t.Errorf("stderr does not report the keys deleted (10 questions, 2 corpora):\n%s", stderr)
	}
}

func TestBenchCacheWithoutRedis(t *testing.T) {
	out, err := benchPlain() // REDIS_URL is empty
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	for label, redis := range benchCacheRows {
		if !redis {
			checkBenchCacheRow(t, out, label)
			continue
		}
		if f := strings.Join(benchFields(t, out, label), " "); f != "n/a (set REDIS_URL or --redis)" {
			t.Errorf("%q: %q, want n/a (set REDIS_URL or --redis)", label, f)
		}
	}
	for _, name := range []string{"seed report", "10,000 passages"} {
		f := strings.Join(benchFields(t, out, "verdict, "+name+":"), " ")
		if !strings.Contains(f, "vs memory hit p50") || !strings.Contains(f, "Redis n/a (set REDIS_URL or --redis)") {
			t.Errorf("verdict for %s without Redis: %q", name, f)
		}
	}

	// An unreachable Redis is an error, not n/a.
	if _, _, err := runBench(t, Options{N: 1, Runs: 1, RedisURL: "redis://127.0.0.1:1/0"}); err == nil {
		t.Errorf("bench --redis with nothing listening: no error")
	}
}

func TestBenchCacheVerdict(t *testing.T) {
	l := func(p50 float64) *latency { return &latency{P50Ms: p50} }
	for _, c := range []struct {
		search, hit float64
		want        string
	}{
		{0.13, 0.09, "seed: search p50 0.130 ms vs Redis hit p50 0.090 ms — cache saves little here (1.4x, 0.040 ms a question)"},
		{5.7, 0.1, "seed: search p50 5.700 ms vs Redis hit p50 0.100 ms — cache pays (57.0x faster, 5.600 ms saved a question)"},
		{0.05, 0.1, "seed: search p50 0.050 ms vs Redis hit p50 0.100 ms — a Redis hit is slower than searching (0.050 ms more); cache does not pay here"},
	} {
		got := cacheVerdict(cacheCorpus{Name: "seed", Uncached: *l(c.search), Redis: l(c.hit)})
		if got != c.want {
			t.Errorf("verdict(%g, %g) = %q, want %q", c.search, c.hit, got, c.want)
		}
	}
}

// stepChildEnv makes the test binary a measuring step's process, as
// `reportbot bench --step` is for reportbot bench.
const stepChildEnv = "BENCH_STEP_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(stepChildEnv) == "1" {
		fs := flag.NewFlagSet("step", flag.ExitOnError)
		step := fs.String("step", "", "")
		reports := fs.String("reports", "", "")
		indexDir := fs.String("index-dir", "", "")
		fs.Parse(os.Args[1:])
		if err := RunStep(context.Background(), *step, *reports, *indexDir, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const teaReport = `测试县人民政府工作报告
——2025年1月10日在测试县第一届人民代表大会第一次会议上
一、2024年工作回顾
过去一年，测试县大力发展茶叶产业，茶园面积达到十万亩，带动两万户茶农增收。
二、2025年工作安排
今年将建设熊猫主题公园，力争接待游客五百万人次。
`

// A reports folder is measured as served: builds, opening, start-up, RSS,
// search, each figure a number (or n/a), and six more targets. The steps
// run in processes of their own (here, this test binary) or, without
// Options.Self, in this one.
func TestBenchMeasuresAReportsFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ceshi-2025.txt"), []byte(teaReport), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(stepChildEnv, "1")
	for _, self := range [][]string{nil, {os.Args[0]}} {
		opts := Options{N: 10, Warmup: 2, Runs: 1, Reports: dir, Self: self, JSON: true}
		out, progress, err := runBench(t, opts)
		if err != nil {
			t.Fatalf("Self %q: %v\n%s", self, err, progress)
		}
		var res result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		c := res.Corpus
		if c == nil {
			t.Fatalf("Self %q: no corpus figures:\n%s", self, out)
		}
		if c.Reports != 2 || c.Passages == 0 || c.Separate != (self != nil) || c.Build.Ms <= 0 || c.Bleve.Ms <= 0 || c.OpenMs <= 0 || c.StartupMs < c.OpenMs || c.IndexMiB <= 0 {
			t.Errorf("Self %q: corpus figures %+v", self, c)
		}
		if c.Search.Ours.Queries != 10 || c.Search.Baseline.Queries != 10 {
			t.Errorf("Self %q: search %+v", self, c.Search)
		}
		if len(res.Targets) != 10 {
			t.Errorf("Self %q: %d targets, want 10", self, len(res.Targets))
		}
		if len(res.Cache.Corpora) != 2 || res.Cache.Corpora[1].Name != "2 reports" {
			t.Errorf("Self %q: cache corpora %+v, want the seed report and the folder's", self, res.Cache.Corpora)
		}
	}

	opts := Options{N: 10, Warmup: 2, Runs: 1, Reports: dir}
	out, _, err := runBench(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"build, cold (ms)", "peak RSS while building (MiB)"} {
		if f := benchFields(t, out, label); len(f) != 2 || !isNumber(f[0]) || !(isNumber(f[1]) || f[1] == "n/a") {
			t.Errorf("%q: %q, want ours and plain Bleve's", label, f)
		}
	}
	for _, label := range []string{"open the saved index (ms)", "start-up: load + open (ms)", "saved index on disk (MiB)"} {
		if f := benchFields(t, out, label); len(f) != 1 || !isNumber(f[0]) {
			t.Errorf("%q: %q, want a number", label, f)
		}
	}
}
