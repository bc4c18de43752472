package bench

import (
	"context"
	"runtime"
	"slices"
	"time"
)

// latency is one measurement: Queries timed queries.
type latency struct {
	Queries int     `json:"queries"`
	P50Ms   float64 `json:"p50_ms"`
	P99Ms   float64 `json:"p99_ms"`
	QPS     float64 `json:"queries_per_s"`
}

// measureLatency runs cfg.Warmup untimed queries, then times cfg.N (or as
// many as cfg.MaxTime allows, at least 100), one at a time, cycling over
// the questions.
func measureLatency(ctx context.Context, cfg Options, ask func(q string) error) (latency, error) {
	qs := Questions
	for i := range cfg.Warmup {
		if err := ask(qs[i%len(qs)]); err != nil {
			return latency{}, err
		}
	}
	runtime.GC()
	durs := make([]time.Duration, 0, cfg.N)
	start := time.Now()
	for i := range cfg.N {
		if err := ctx.Err(); err != nil {
			return latency{}, err
		}
		t := time.Now()
		if err := ask(qs[i%len(qs)]); err != nil {
			return latency{}, err
		}
		durs = append(durs, time.Since(t))
		if len(durs) >= 100 && time.Since(start) > cfg.MaxTime {
			break
		}
	}
	wall := time.Since(start)
	slices.Sort(durs)
	return latency{
		Queries: len(durs),
		P50Ms:   ms(percentile(durs, 0.50)),
		P99Ms:   ms(percentile(durs, 0.99)),
		QPS:     float64(len(durs)) / wall.Seconds(),
	}, nil
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
