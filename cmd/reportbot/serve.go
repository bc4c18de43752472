package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/time/rate"

	"reportbot/bot"
	"reportbot/config"
	"reportbot/data"
	"reportbot/figures"
	"reportbot/handlers"
	"reportbot/reload"
	"reportbot/retrieval"
	"reportbot/store"
)

const serveUsage = `serve [--reports DIR]

Runs the Telegram bot: long polling, or a webhook when WEBHOOK_URL is set.
Needs TELEGRAM_TOKEN. Serves /healthz, /readyz and /metrics on HTTP_ADDR.
Reports added, changed or removed in REPORTS_DIR are picked up while it
runs: it looks every REPORTS_CHECK (1m), and at once on SIGHUP.
SIGTERM or Ctrl-C stops taking updates, finishes those in flight (at most
SHUTDOWN_TIMEOUT) and exits 0. See README.md for every variable.`

func runServe(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "serve", serveUsage)
	reports := fs.String("reports", "", "folder of extra .txt/.md reports (overrides REPORTS_DIR)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	// SIGHUP reloads the reports; caught from the start, so that one sent
	// while the index opens does not stop the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	l, err := loadIndex(ctx, env, *reports)
	if err != nil {
		return err
	}
	live := retrieval.NewLive(l.index)
	defer live.Close()
	if err := l.cfg.CheckServe(); err != nil {
		return err
	}
	log := newLogger(env, l.cfg)
	st, redis, err := openStore(l.cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if r, ok := st.(*store.Redis); ok {
		// Connections opened before the first updates come, so that a
		// burst at start does not time out dialling.
		if err := r.Warm(ctx); err != nil {
			log.Warn("Redis does not answer yet; answering from the index until it does", "err", err)
		}
	}
	if !redis {
		log.Warn("no REDIS_URL: state is kept in memory; subscriptions, statistics and the answer cache will not survive a restart, and replicas will not share them")
	}
	answerer := &handlers.Answerer{Index: live, Store: st, TTL: l.cfg.CacheTTL, Log: log}
	svc := &handlers.Service{Answerer: answerer, Store: st, Log: log, TZ: l.cfg.DigestTZ, LogQuestions: l.cfg.LogQuestions, Figures: l.figures}
	// The key figures follow the reports when they are reloaded.
	var figs atomic.Pointer[figures.Set]
	figs.Store(l.figures)
	svc.CurrentFigures = figs.Load
	o := botOptions(l.cfg)
	o.Service, o.Store, o.Redis, o.Log = svc, st, redis, log
	b, err := bot.New(o)
	if err != nil {
		return err
	}
	log.Info("serving", "bot", "@"+b.Username(), "reports", len(l.corpus.Reports), "corpus", l.corpus.Version,
		"load", l.loadTime.Round(time.Millisecond), "index", l.indexTime.Round(time.Millisecond), "index_from", l.how(), "figures", l.figuresTime.Round(time.Microsecond))
	rl := &reload.Reloader{Dir: l.cfg.ReportsDir, Every: l.cfg.ReportsCheck, Live: live, Lexicon: l.lexicon,
		Index: indexOptions(env, l.cfg), Log: log,
		OnSwap: func(c *data.Corpus) {
			f, err := figures.Extract(c, l.lexicon)
			if err != nil {
				log.Warn("key figures of the reloaded reports not extracted; /figures shows the old ones", "err", err)
				return
			}
			figs.Store(f)
		}}
	reloading, stopReloading := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		rl.Run(reloading, hup)
		close(done)
	}()
	defer func() {
		stopReloading()
		<-done
	}()
	return b.Run(ctx)
}

// botOptions hands the bot its settings from the configuration, which
// config.Config.CheckServe has checked.
func botOptions(cfg config.Config) bot.Options {
	return bot.Options{
		Token:           cfg.TelegramToken,
		APIURL:          cfg.TelegramAPIURL,
		WebhookURL:      cfg.WebhookURL,
		WebhookSecret:   cfg.WebhookSecret,
		WebhookListen:   cfg.WebhookListen,
		HTTPAddr:        cfg.HTTPAddr,
		RateLimit:       cfg.RateLimit,
		ShutdownTimeout: cfg.ShutdownTimeout,
		DigestTZ:        cfg.DigestTZ,
		DigestInterval:  cfg.DigestInterval,
		SendRetryWindow: cfg.SendRetryWindow,
		SendRate:        rate.Limit(cfg.SendRate),
	}
}

const healthcheckUsage = `healthcheck

Asks the running bot's /healthz (on HTTP_ADDR's port, on 127.0.0.1) and
exits 0 when it answers 200, 1 otherwise. For Docker's HEALTHCHECK.`

func runHealthcheck(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "healthcheck", healthcheckUsage)
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	addr := env.getenv("HTTP_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR=%q is not host:port: %w", addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %s", strings.TrimSpace(resp.Status))
	}
	fmt.Fprintln(env.stdout, "ok")
	return nil
}
