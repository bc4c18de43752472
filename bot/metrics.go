package bot

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the bot's Prometheus metrics, served on /metrics.
type metrics struct {
	updates    *prometheus.CounterVec
	duplicates prometheus.Counter
	forged     prometheus.Counter
	questions  *prometheus.CounterVec
	cacheHits  prometheus.Counter
	search     prometheus.Histogram
	apiErrors  *prometheus.CounterVec
	waiting    prometheus.Gauge
	sent       prometheus.Counter
	limited    prometheus.Counter
	// limitedDropped counts the refusals after a window's notice.
	limitedDropped prometheus.Counter
	givenUp        prometheus.Counter
	digests        *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reportbot_updates_total", Help: "Telegram updates received, by type.",
		}, []string{"type"}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_updates_duplicate_total", Help: "Updates dropped as already handled (webhook retries, other replicas).",
		}),
		forged: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_webhook_unauthorized_total", Help: "Webhook requests refused for a missing or wrong secret.",
		}),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reportbot_questions_total", Help: "Questions answered, by whether the report covers them.",
		}, []string{"covered"}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_cache_hits_total", Help: "Questions answered from the answer cache.",
		}),
		search: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "reportbot_answer_seconds", Help: "Time to answer a question (cache or search), in seconds.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reportbot_telegram_errors_total", Help: "Telegram API errors, by code.",
		}, []string{"code"}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "reportbot_sends_waiting", Help: "Messages waiting to be sent (pacing, retry_after, retries).",
		}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_messages_sent_total", Help: "Messages sent.",
		}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_rate_limited_total", Help: "Questions refused by the per-user rate limit (the first in a window gets a notice).",
		}),
		limitedDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_rate_limited_dropped_total", Help: "Questions dropped silently by the per-user rate limit: refused after the notice of their window.",
		}),
		givenUp: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_answers_given_up_total", Help: "Answers Telegram kept refusing for the whole SEND_RETRY_WINDOW; their updates are handled again when delivered again.",
		}),
	}
	m.digests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "reportbot_digests_total", Help: "Digests by outcome: sent, blocked (subscription ended), failed (retried).",
	}, []string{"outcome"})
	reg.MustRegister(m.digests)
	reg.MustRegister(m.updates, m.duplicates, m.forged, m.questions, m.cacheHits, m.search, m.apiErrors, m.waiting, m.sent, m.limited, m.limitedDropped, m.givenUp)
	return m
}
