package bot

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpServer serves /healthz (the process runs), /readyz (it can answer:
// index loaded and, with Redis, Redis reachable) and /metrics.
func (b *Bot) httpServer() *http.Server {
	b.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "reportbot_store_errors_total", Help: "Failed answer-cache calls (the answer came straight from the index).",
		}, func() float64 { return float64(b.svc.Answerer.StoreErrors.Load()) }),
	)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if b.svc.Answerer.Index == nil {
			http.Error(w, "index not loaded", http.StatusServiceUnavailable)
			return
		}
		if b.redis {
			ctx, cancel := context.WithTimeout(r.Context(), time.Second)
			defer cancel()
			if err := b.st.Ping(ctx); err != nil {
				// The cause (with Redis's address) is for the logs, not
				// for whoever asks.
				b.log.Debug("readiness: state store unreachable", "err", err)
				http.Error(w, "store unreachable", http.StatusServiceUnavailable)
				return
			}
		}
		if b.closing.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("/metrics", promhttp.HandlerFor(b.reg, promhttp.HandlerOpts{}))
	return &http.Server{Addr: b.cfg.HTTPAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}
