// Package bot puts the handlers on Telegram, through telebot: it takes
// updates by long polling or webhook, each exactly once; routes them
// through middlewares (recover, senders to ignore, group addressing, rate
// limit) to the handlers; sends replies paced under Telegram's flood
// limits; and serves /healthz, /readyz and /metrics. Everything the bot
// says comes from packages handlers and digest; a change of chat platform
// touches only this package.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	tele "gopkg.in/telebot.v3"

	"reportbot/config"
	"reportbot/digest"
	"reportbot/handlers"
	"reportbot/store"
)

// Options is what a Bot needs.
type Options struct {
	Config  config.Config
	Service *handlers.Service
	Store   store.Store
	// Redis says the store is shared (Redis): /readyz then checks it.
	Redis bool
	Log   *slog.Logger
	// Registry receives the bot's metrics (a new one when nil).
	Registry *prometheus.Registry
	// Unpaced sends without Telegram's flood pacing; for benchmarks
	// against a test server only (429s and 5xx are still retried).
	Unpaced bool
	// Now is the clock of the digest scheduler (time.Now when nil).
	Now func() time.Time
}

// Bot is one running Telegram bot.
type Bot struct {
	cfg     config.Config
	svc     *handlers.Service
	st      store.Store
	redis   bool
	log     *slog.Logger
	tb      *tele.Bot
	me      *tele.User
	out     *sender // answers
	digests *sender // digests, paced on their own so they never delay answers
	now     func() time.Time
	m       *metrics
	reg     *prometheus.Registry
	api     *apiClient
	ctx     context.Context // canceled when in-flight work must stop
	cancel  context.CancelFunc
	wg      sync.WaitGroup // updates being handled
	closing atomic.Bool    // no new updates are taken
	// noticed remembers users told they ask too fast, until when, so the
	// notice is sent once per limit window.
	noticed sync.Map
	// aborted holds the IDs of updates that shutdown cut short.
	aborted sync.Map

	// composer writes digests; scheduler sends those due.
	composer  *digest.Composer
	scheduler *digest.Scheduler
}

// allowedUpdates are the update types the bot handles; Telegram sends no
// others.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "inline_query"}

// New connects to the Bot API (getMe checks the token) and sets up routes.
func New(o Options) (*Bot, error) {
	if err := o.Config.CheckServe(); err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	b := &Bot{cfg: o.Config, svc: o.Service, st: o.Store, redis: o.Redis, log: o.Log, reg: o.Registry}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	b.m = newMetrics(o.Registry)
	// Many sends run at once; Go's default transport keeps only two idle
	// connections a host, and each new one to Telegram is a TLS handshake.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 100
	client := &http.Client{Timeout: 75 * time.Second, Transport: transport}
	b.api = &apiClient{base: o.Config.TelegramAPIURL + "/bot" + o.Config.TelegramToken, client: client}
	tb, err := tele.NewBot(tele.Settings{
		URL:         o.Config.TelegramAPIURL,
		Token:       o.Config.TelegramToken,
		Synchronous: true, // our intake runs handlers and knows when they are done
		Client:      client,
		Poller:      &tele.LongPoller{}, // unused: updates come from our intake
		OnError: func(err error, c tele.Context) {
			if b.ctx.Err() != nil && errors.Is(err, context.Canceled) {
				b.abort(c) // cut short by shutdown, not failed
				return
			}
			b.log.Error("handler failed", "err", err, "update", updateID(c))
		},
	})
	if err != nil {
		return nil, fmt.Errorf("telegram refused to start the bot (check TELEGRAM_TOKEN and TELEGRAM_API_URL): %w", err)
	}
	b.tb, b.me = tb, tb.Me
	shared := botLimit()
	b.out = newSender(tb, b.api, b.m, b.log, o.Unpaced, shared)
	b.digests = newSender(tb, b.api, b.m, b.log, o.Unpaced, digestLimit(), shared)
	b.now = o.Now
	if b.now == nil {
		b.now = time.Now
	}
	b.composer = &digest.Composer{Corpus: o.Service.Corpus(), Stats: o.Store, Log: b.log}
	b.scheduler = &digest.Scheduler{
		Store: o.Store, Composer: b.composer, Send: b.sendDigest,
		TZ: o.Config.DigestTZ, Interval: o.Config.DigestInterval, Now: b.now, Log: b.log,
		Observe: func(o digest.Outcome) { b.m.digests.WithLabelValues(string(o)).Inc() },
	}
	b.routes()
	return b, nil
}

func updateID(c tele.Context) int {
	if c == nil {
		return 0
	}
	return c.Update().ID
}

// Username is the bot's @username, without the @.
func (b *Bot) Username() string { return b.me.Username }

// Run serves until ctx is canceled (SIGTERM), then stops taking updates,
// finishes those in flight within the shutdown timeout, and returns nil.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.setCommands(); err != nil {
		b.log.Warn("could not register the command menu", "err", err)
	}
	srv := b.httpServer()
	errc := make(chan error, 2)
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("HTTP_ADDR %s: %w", b.cfg.HTTPAddr, err)
		}
	}()
	var intake func(context.Context) error
	if b.cfg.WebhookURL != "" {
		intake = b.serveWebhook
	} else {
		intake = b.poll
	}
	go func() { errc <- intake(ctx) }()
	// Digests are sent on the bot's context, which outlives ctx by the
	// shutdown timeout, so a digest being sent is finished.
	go b.scheduler.Run(b.ctx)

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	b.closing.Store(true)
	b.log.Info("stopping: finishing updates in flight", "timeout", b.cfg.ShutdownTimeout)
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		b.scheduler.Shutdown(context.Background()) // digests being sent; b.cancel cuts them short
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(b.cfg.ShutdownTimeout):
		b.log.Warn("shutdown timeout: abandoning updates still in flight")
		b.cancel()
	}
	if err == nil {
		err = <-errc // the intake's own shutdown (offset confirmed, server closed)
	}
	b.cancel()
	b.out.close()
	b.digests.close()
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	b.log.Info("stopped")
	return nil
}

// handle runs one update through the routes, unless another replica or an
// earlier delivery already took it. It reports false when shutdown cut the
// handling short: the update is then given back (its de-duplication mark
// removed) so its next delivery, to this or another process, is handled.
func (b *Bot) handle(u tele.Update) bool {
	if b.ctx.Err() != nil {
		return false
	}
	b.m.updates.WithLabelValues(updateType(u)).Inc()
	first, err := b.st.FirstSeen(b.ctx, int64(u.ID))
	if err != nil {
		// Without the store an update may be answered twice by two
		// replicas; dropping it would lose it for sure.
		b.log.Debug("update de-duplication unavailable", "err", err)
		first = true
	}
	if !first {
		b.m.duplicates.Inc()
		return true
	}
	b.tb.ProcessUpdate(u)
	if _, cut := b.aborted.LoadAndDelete(u.ID); cut {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := b.st.ReleaseUpdate(ctx, int64(u.ID)); err != nil {
			b.log.Warn("could not give back an unfinished update", "update", u.ID, "err", err)
		}
		return false
	}
	return true
}

// abort marks the update of c as cut short by shutdown before its reply
// went out: handle gives it back. An update whose reply was sent is done,
// even if shutdown came right after.
func (b *Bot) abort(c tele.Context) { b.aborted.Store(c.Update().ID, true) }

func updateType(u tele.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.Callback != nil:
		return "callback_query"
	case u.Query != nil:
		return "inline_query"
	case u.ChannelPost != nil, u.EditedChannelPost != nil:
		return "channel_post"
	default:
		return "other"
	}
}

// setCommands registers the command menu of handlers.Commands, in
// Chinese and in English, for private chats and for groups.
func (b *Bot) setCommands() error {
	for _, sc := range []struct {
		scope tele.CommandScope
		in    handlers.Scope
	}{
		{tele.CommandScope{Type: tele.CommandScopeAllPrivateChats}, handlers.ScopePrivate},
		{tele.CommandScope{Type: tele.CommandScopeAllGroupChats}, handlers.ScopeGroup},
	} {
		var zh, en []tele.Command
		for _, c := range handlers.Commands {
			if c.Scope.Has(sc.in) {
				zh = append(zh, tele.Command{Text: c.Name, Description: c.Menu})
				en = append(en, tele.Command{Text: c.Name, Description: c.MenuEN})
			}
		}
		if err := b.tb.SetCommands(zh, sc.scope); err != nil {
			return err
		}
		if err := b.tb.SetCommands(en, sc.scope, "en"); err != nil {
			return err
		}
	}
	return nil
}
