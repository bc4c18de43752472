package bench

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"time"

	"reportbot/data"
	"reportbot/retrieval"
)

// search is our search + answer on the seed report against the baseline's.
type search struct {
	Ours     latency `json:"ours"`
	Baseline latency `json:"baseline"`
	// RatioP50 is our p50 over the baseline's (0 when the baseline's
	// p50 is too small to measure).
	RatioP50 float64 `json:"ratio_p50"`
}

// measureSize times our search on ix and the baseline's on the same
// corpus, and the heap with ix loaded. label is the size asked for (0: the
// seed report).
func measureSize(ctx context.Context, cfg Options, c *data.Corpus, ix *retrieval.Index, label int, say func(string, ...any)) (scale, error) {
	name := "seed report"
	if label > 0 {
		name = strconv.Itoa(label) + " passages"
	}
	point := scale{Passages: len(c.Paragraphs()), HeapInuseMiB: mib(heapAfterGC().HeapInuse)}

	bl, err := BuildBaseline(c)
	if err != nil {
		return point, err
	}
	defer bl.Close()
	say("search, %s: ours and baseline, interleaved", name)
	point.Ours, point.Baseline, err = measurePair(ctx, cfg,
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

// measurePair times two searches over the same questions, alternating
// query by query (and which goes first), so that both see the same machine:
// measured one after the other, a burst of other work on a shared machine
// lands on one side only and skews the ratio between them.
func measurePair(ctx context.Context, cfg Options, a, b func(q string) error) (latency, latency, error) {
	return measurePairOn(ctx, cfg, Questions, a, b)
}

// measurePairOn is measurePair over the questions qs.
func measurePairOn(ctx context.Context, cfg Options, qs []string, a, b func(q string) error) (latency, latency, error) {
	for i := range cfg.Warmup {
		if err := a(qs[i%len(qs)]); err != nil {
			return latency{}, latency{}, err
		}
		if err := b(qs[i%len(qs)]); err != nil {
			return latency{}, latency{}, err
		}
	}
	runtime.GC()
	var durs [2][]time.Duration
	var spent [2]time.Duration
	fns := [2]func(string) error{a, b}
	start := time.Now()
	for i := range cfg.N {
		if err := ctx.Err(); err != nil {
			return latency{}, latency{}, err
		}
		for j := range 2 {
			side := (i + j) % 2
			t := time.Now()
			if err := fns[side](qs[i%len(qs)]); err != nil {
				return latency{}, latency{}, err
			}
			d := time.Since(t)
			durs[side] = append(durs[side], d)
			spent[side] += d
		}
		if len(durs[0]) >= 100 && time.Since(start) > cfg.MaxTime {
			break
		}
	}
	var out [2]latency
	for side := range 2 {
		slices.Sort(durs[side])
		out[side] = latency{
			Queries: len(durs[side]),
			P50Ms:   ms(percentile(durs[side], 0.50)),
			P99Ms:   ms(percentile(durs[side], 0.99)),
			QPS:     float64(len(durs[side])) / spent[side].Seconds(),
		}
	}
	return out[0], out[1], nil
}
