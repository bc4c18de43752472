package bench

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"unicode/utf8"
)

// Targets, shown beside the figures.
const (
	targetRatio   = 1.5  // our p50 at most this many times the baseline's
	targetStartMs = 1000 // cold start-up (load + lexicon + index)
	targetRSSMiB  = 64   // RSS with the seed report loaded
	targetP99Ms   = 2.0  // our p99 …
	targetP99At   = 10000
	// With a reports folder, against plain Bleve building the same
	// passages: opening the saved index at most this share of its build
	// time, RSS while serving at most this share of its peak, and a cold
	// build no slower and with a lower peak.
	targetOpenShare  = 0.1
	targetServeShare = 0.3
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
	var gs []goal
	add := func(name, target, unit string, v *float64, met func(float64) bool) {
		g := goal{Name: name, Target: target, Unit: unit, Value: v}
		if v != nil {
			ok := met(*v)
			g.Met = &ok
		}
		gs = append(gs, g)
	}
	atMost := func(t float64) func(float64) bool { return func(v float64) bool { return v <= t } }
	below := func(t float64) func(float64) bool { return func(v float64) bool { return v < t } }
	ratio := func(a, b float64) *float64 {
		if a <= 0 || b <= 0 {
			return nil
		}
		r := a / b
		return &r
	}

	add("search p50 / baseline p50", fmt.Sprintf("≤%g", targetRatio), "x", ratio(res.Search.RatioP50, 1), atMost(targetRatio))
	start := res.Startup.ColdTotalMs
	add("start-up, cold", fmt.Sprintf("<%d", targetStartMs), "ms", &start, below(targetStartMs))
	add("RSS with the seed report", fmt.Sprintf("<%d", targetRSSMiB), "MiB", res.Memory.RSSMiB, below(targetRSSMiB))
	var p99 *float64
	for _, s := range res.Scaling {
		if s.Passages == targetP99At {
			v := s.Ours.P99Ms
			p99 = &v
		}
	}
	add(fmt.Sprintf("p99 at %d passages", targetP99At), fmt.Sprintf("<%g", targetP99Ms), "ms", p99, below(targetP99Ms))

	if c := res.Corpus; c != nil {
		n := fmt.Sprintf("%d reports", c.Reports)
		add("open saved index / Bleve build, "+n, fmt.Sprintf("≤%g", targetOpenShare), "x", ratio(c.OpenMs, c.Bleve.Ms), atMost(targetOpenShare))
		add("RSS serving / Bleve peak RSS, "+n, fmt.Sprintf("≤%g", targetServeShare), "x", ratioPtr(c.ServeRSSMiB, c.Bleve.PeakRSSMiB), atMost(targetServeShare))
		add("cold build / Bleve build, "+n, "≤1", "x", ratio(c.Build.Ms, c.Bleve.Ms), atMost(1))
		add("cold build peak / Bleve peak, "+n, "<1", "x", ratioPtr(c.Build.PeakRSSMiB, c.Bleve.PeakRSSMiB), below(1))
		st := c.StartupMs
		add("start-up (load + open), "+n, fmt.Sprintf("<%d", targetStartMs), "ms", &st, below(targetStartMs))
		add("search p50 / baseline p50, "+n, fmt.Sprintf("≤%g", targetRatio), "x", ratio(c.Search.RatioP50, 1), atMost(targetRatio))
	}
	return gs
}

func ratioPtr(a, b *float64) *float64 {
	if a == nil || b == nil || *b <= 0 {
		return nil
	}
	r := *a / *b
	return &r
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

	if c := res.Corpus; c != nil {
		how := "each build and opening in a fresh process of its own"
		if !c.Separate {
			how = "in this process (peak RSS reset before each step)"
		}
		fmt.Fprintf(w, "reports folder %s: %d reports, %d passages; medians of %d runs, %s\n", c.Dir, c.Reports, c.Passages, c.Runs, how)
		row("", "ours", "plain Bleve")
		row("build, cold (ms)", f("%.0f", c.Build.Ms), f("%.0f", c.Bleve.Ms))
		row("peak RSS while building (MiB)", opt(c.Build.PeakRSSMiB), opt(c.Bleve.PeakRSSMiB))
		row("open the saved index (ms)", f("%.1f", c.OpenMs))
		row("start-up: load + open (ms)", f("%.0f", c.StartupMs))
		row("load the reports (ms)", f("%.0f", c.LoadMs))
		row("RSS while serving (MiB)", opt(c.ServeRSSMiB))
		row("peak RSS, open + serve (MiB)", opt(c.ServePeakRSSMiB))
		row("saved index on disk (MiB)", f("%.1f", c.IndexMiB))
		fmt.Fprintln(w)
		cs := c.Search
		fmt.Fprintf(w, "search + answer, %d reports (%d questions)\n", c.Reports, len(corpusQuestions()))
		row("", "ours", "baseline")
		row("queries timed", strconv.Itoa(cs.Ours.Queries), strconv.Itoa(cs.Baseline.Queries))
		row("p50 latency (ms)", f("%.3f", cs.Ours.P50Ms), f("%.3f", cs.Baseline.P50Ms))
		row("p99 latency (ms)", f("%.3f", cs.Ours.P99Ms), f("%.3f", cs.Baseline.P99Ms))
		row("throughput (queries/s)", f("%.0f", cs.Ours.QPS), f("%.0f", cs.Baseline.QPS))
		fmt.Fprintln(w)
	}

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

	fmt.Fprintln(w, "scaling curve: the seed report's paragraphs repeated (index = retrieval.Build, in memory)")
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
	width := 34
	for _, g := range res.Targets {
		width = max(width, utf8.RuneCountInString(g.Name)+len(g.Unit)+3)
	}
	row = func(label string, values ...string) {
		fmt.Fprintf(w, "  %-*s", width, label)
		for _, v := range values {
			fmt.Fprintf(w, " %12s", v)
		}
		fmt.Fprintln(w)
	}
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
