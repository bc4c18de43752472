package bench

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
)

// Targets, shown beside the figures.
const (
	targetRatio   = 1.5  // our p50 at most this many times the baseline's
	targetStartMs = 1000 // cold start-up (load + lexicon + index)
	targetRSSMiB  = 64   // RSS with the seed report loaded
	targetP99Ms   = 2.0  // our p99 …
	targetP99At   = 10000
)

// goal is a target and whether the figure meets it; Value and Met are
// null when the figure was not measured.
type goal struct {
	Name   string   `json:"name"`
	Target string   `json:"target"`
	Value  *float64 `json:"value"`
	Unit   string   `json:"unit"`
	Met    *bool    `json:"met"`
}

func targets(res *result) []goal {
	var ratio *float64
	if r := res.Search.RatioP50; r > 0 {
		ratio = &r
	}
	start := res.Startup.ColdTotalMs
	gs := []goal{
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

// writeText prints the figures for a person at a terminal: every line is
// a label and then numbers (or n/a), with the unit in the label.
func (res *result) writeText(w io.Writer) {
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
	fmt.Fprintf(w, "each measurement: %d warm-up queries, then up to %d timed (at most %s), one at a time\n\n", res.Warmup, res.opts.N, res.opts.MaxTime)

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

	writeCache(w, res.Cache)

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

// writeCache prints the cache step: a row per way of asking and corpus,
// p50, p99 and queries timed, then a verdict per corpus.
func writeCache(w io.Writer, c cacheStep) {
	row := func(label string, values ...string) {
		fmt.Fprintf(w, "  %-40s", label)
		for _, v := range values {
			fmt.Fprintf(w, " %10s", v)
		}
		fmt.Fprintln(w)
	}
	lat := func(label string, l *latency) {
		if l == nil {
			fmt.Fprintf(w, "  %-40s %s\n", label, noRedis)
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
