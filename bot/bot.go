// Package bot puts the handlers on Telegram: it takes updates by long
// polling or webhook, each exactly once; routes them with telebot through
// middlewares (recover, senders to ignore, group addressing, rate limit)
// to the handlers; sends replies paced under Telegram's flood limits; and
// serves /healthz, /readyz and /metrics. telebot only routes what comes
// in: every Bot API call goes through one client (api.go), whose errors
// name the method and the cause and never show the token. Everything the
// bot says comes from packages handlers and digest; a change of chat platform touches
// only this package.
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
	"golang.org/x/time/rate"
	tele "gopkg.in/telebot.v3"

	"reportbot/digest"
	"reportbot/handlers"
	"reportbot/store"
)

// Options is what a Bot needs. The settings are plain values, checked
// by whoever read them (package config for reportbot serve); a zero value
// means the default given.
type Options struct {
	// Token is the bot's token from @BotFather. It reaches only the Bot
	// API client, never a log line or an error.
	Token string
	// APIURL is the Bot API server: Telegram's (the default,
	// https://api.telegram.org), a local telegram-bot-api, or a test server.
	APIURL string
	// WebhookURL switches from long polling to a webhook at that URL;
	// Telegram then sends WebhookSecret with every update (a request
	// without it is refused), to the server listening on WebhookListen
	// (default ":8443").
	WebhookURL, WebhookSecret, WebhookListen string
	// HTTPAddr serves /healthz, /readyz and /metrics (default ":8080").
	HTTPAddr string
	// RateLimit is how many questions a user may ask a minute (default 20).
	RateLimit int
	// ShutdownTimeout bounds finishing the updates in flight when Run's
	// context ends (default 10s).
	ShutdownTimeout time.Duration
	// DigestTZ is the time zone of digests for chats that chose none
	// (default UTC).
	DigestTZ *time.Location
	// DigestInterval is how often the scheduler looks for due digests
	// (default 30s).
	DigestInterval time.Duration
	// SendRate is how many messages a second the bot sends in all, shared
	// through the store by every replica on it: zero means Telegram's
	// limit (30). The limits of a chat (1/s) and of a group (20/min) scale
	// with it; rate.Inf turns pacing off, for benchmarks against a test
	// server (429s and 5xx are still retried).
	SendRate rate.Limit
	// SendRetryWindow is how long a message Telegram refuses for now (429,
	// 5xx, unreachable) is retried, every retry_after honoured (default
	// 10m). An update whose answer is given up is not confirmed: it is
	// handled again when delivered again.
	SendRetryWindow time.Duration

	Service *handlers.Service
	Store   Store
	// Redis says the store is shared (Redis): /readyz then checks it.
	Redis bool
	Log   *slog.Logger
	// Registry receives the bot's metrics (a new one when nil).
	Registry *prometheus.Registry
	// Now is the clock of the digest scheduler (time.Now when nil).
	Now func() time.Time
}

// Store is the state the bot keeps itself: update de-duplication and its
// journal, rate limits and the send budget, a ping for /readyz, and what
// the digest scheduler and composer need (store.Store has all of it).
type Store interface {
	store.Updates
	store.Limiter
	store.Replies
	digest.Store
	digest.StatsStore
	Ping(ctx context.Context) error
}

// withDefaults fills in the zero values.
func (o Options) withDefaults() Options {
	if o.APIURL == "" {
		o.APIURL = "https://api.telegram.org"
	}
	if o.WebhookListen == "" {
		o.WebhookListen = ":8443"
	}
	if o.HTTPAddr == "" {
		o.HTTPAddr = ":8080"
	}
	if o.RateLimit <= 0 {
		o.RateLimit = 20
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 10 * time.Second
	}
	if o.DigestTZ == nil {
		o.DigestTZ = time.UTC
	}
	if o.DigestInterval <= 0 {
		o.DigestInterval = 30 * time.Second
	}
	if o.SendRetryWindow <= 0 {
		o.SendRetryWindow = 10 * time.Minute
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Bot is one running Telegram bot.
type Bot struct {
	cfg     Options // with defaults filled in
	svc     *handlers.Service
	st      Store
	redis   bool
	log     *slog.Logger
	tb      *tele.Bot
	me      *tele.User
	out     *sender // answers
	digests *sender // digests, paced on their own so they never delay answers
	now     func() time.Time
	m       *metrics
	reg     *prometheus.Registry
	api     *api
	ctx     context.Context // canceled when in-flight work must stop
	cancel  context.CancelFunc
	wg      sync.WaitGroup // webhook requests being handled
	closing atomic.Bool    // no new updates are taken
	stopBy  atomic.Int64   // Unix ns: when shutdown stops waiting
	// hooks are the webhook's chat queues; tracker the poller's record.
	hooks   *chatQueues
	tracker atomic.Pointer[tracker]
	// noticed remembers users told they ask too fast, until when, so the
	// notice is sent once per limit window.
	noticed sync.Map
	// unfinished holds, by update ID, the outcome of updates whose answer
	// did not go out (cut short by shutdown, or given up).
	unfinished sync.Map

	// composer writes digests; scheduler sends those due.
	composer  *digest.Composer
	scheduler *digest.Scheduler
}

// allowedUpdates are the update types the bot handles; Telegram sends no
// others.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "inline_query", "my_chat_member"}

// New connects to the Bot API (getMe checks the token) and sets up routes.
func New(o Options) (*Bot, error) {
	o = o.withDefaults()
	b := &Bot{cfg: o, svc: o.Service, st: o.Store, redis: o.Redis, log: o.Log, reg: o.Registry, now: o.Now}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	b.m = newMetrics(o.Registry)
	// Many sends run at once; Go's default transport keeps only two idle
	// connections a host, and each new one to Telegram is a TLS handshake.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 100
	b.api = newAPI(o.APIURL, o.Token, &http.Client{Timeout: 75 * time.Second, Transport: transport})
	start, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	me, err := b.api.getMe(start)
	cancel()
	if err != nil {
		b.cancel()
		return nil, fmt.Errorf("telegram refused to start the bot (check TELEGRAM_TOKEN and TELEGRAM_API_URL): %w", err)
	}
	b.me = me
	// telebot only routes: it is offline, knows no token, and its client
	// refuses every request, so each call goes through b.api.
	tb, err := tele.NewBot(tele.Settings{
		Offline:     true,
		Synchronous: true, // our intake runs handlers and knows when they are done
		Client:      &http.Client{Transport: noCalls{}},
		Poller:      &tele.LongPoller{}, // unused: updates come from our intake
		OnError: func(err error, c tele.Context) {
			switch {
			case b.ctx.Err() != nil && errors.Is(err, context.Canceled), errors.Is(err, errHeldBack):
				b.abort(c) // cut short by shutdown, not failed
			case errors.Is(err, errGivenUp):
				b.m.givenUp.Inc()
				b.log.Warn("answer given up; the update is handled again when delivered again", "err", err, "update", updateID(c))
				if c != nil {
					b.unfinished.Store(c.Update().ID, givenUp)
				}
			default:
				b.log.Error("handler failed", "err", err, "update", updateID(c))
			}
		},
	})
	if err != nil {
		b.cancel()
		return nil, fmt.Errorf("setting up telebot: %w", err)
	}
	tb.Me = me // telebot routes /command@name by it
	b.tb = tb
	budget := newBudget(o.Store, newLimits(o.SendRate), b.log)
	b.out = newSender(b.api, b.m, b.log, budget, o.SendRetryWindow, false)
	b.digests = newSender(b.api, b.m, b.log, budget, o.SendRetryWindow, true)
	b.composer = &digest.Composer{Current: o.Service.Corpus, Stats: o.Store, Log: b.log, Figures: o.Service.Figures, CurrentFigures: o.Service.CurrentFigures}
	if a, ok := o.Store.(store.Arrivals); ok {
		b.composer.Arrivals = a // new reports' figures in the digests that ask for them
	}
	b.scheduler = &digest.Scheduler{
		Store: o.Store, Composer: b.composer, Send: b.sendDigest,
		TZ: o.DigestTZ, Interval: o.DigestInterval, Now: b.now, Log: b.log,
		Observe: func(o digest.Outcome) { b.m.digests.WithLabelValues(string(o)).Inc() },
	}
	b.routes()
	return b, nil
}

// noCalls is telebot's transport: the Bot API is called through b.api only.
type noCalls struct{}

func (noCalls) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("telebot is used for routing only; Bot API calls go through bot.api")
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
	beat := b.heartbeat()
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
	// The intake stops when told below, once the shutdown deadline is set.
	intakeCtx, stopIntake := context.WithCancel(context.WithoutCancel(ctx))
	defer stopIntake()
	intakeDone := make(chan error, 1)
	go func() { intakeDone <- intake(intakeCtx) }()
	// Digests are sent on the bot's context, which outlives ctx by the
	// shutdown timeout, so a digest being sent is finished.
	go b.scheduler.Run(b.ctx)
	go b.composer.NoteReports(b.ctx, b.now())

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	case err = <-intakeDone:
		intakeDone <- err
	}
	b.stopBy.Store(time.Now().Add(b.cfg.ShutdownTimeout).UnixNano())
	b.closing.Store(true)
	stopIntake()
	b.log.Info("stopping: finishing updates in flight", "timeout", b.cfg.ShutdownTimeout)
	digests := make(chan struct{})
	go func() {
		b.scheduler.Shutdown(context.Background()) // digests being sent; b.cancel cuts them short
		close(digests)
	}()
	// The intake's own shutdown: updates finished or cut short, the
	// offset confirmed, the webhook server closed.
	if ierr := <-intakeDone; err == nil {
		err = ierr
	}
	b.wait(func() { <-digests })
	b.cancel()
	beat()
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

// wait waits for done to return until the shutdown timeout; then it
// cancels the bot's context, which cuts pacing and retries short (calls
// under way still run to their own timeout, and are waited for).
func (b *Bot) wait(done func()) {
	finished := make(chan struct{})
	go func() { done(); close(finished) }()
	t := time.NewTimer(time.Until(time.Unix(0, b.stopBy.Load())))
	defer t.Stop()
	select {
	case <-finished:
		return
	case <-t.C:
	}
	if b.ctx.Err() == nil {
		b.log.Warn("shutdown timeout: cutting short the updates still in flight")
		b.cancel()
	}
	select {
	case <-finished:
	case <-time.After(sendTimeout + time.Second):
		b.log.Warn("requests to Telegram still under way were abandoned")
	}
}

// Heartbeats: while the process runs it says so in the store every
// heartbeatEvery, so that others take over what it holds (updates in
// flight) only once it is gone. The lease of an update in flight bounds
// how long a live process may hold it.
const (
	heartbeatEvery = time.Second
	heartbeatTTL   = 5 * heartbeatEvery
)

// heartbeat starts the heartbeat; the function it returns stops it and
// retires this process in the store, so that what it held is taken over at
// once.
func (b *Bot) heartbeat() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			if err := b.st.Heartbeat(ctx, heartbeatTTL); err != nil {
				b.log.Debug("heartbeat failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
		rctx, rcancel := context.WithTimeout(context.Background(), time.Second)
		defer rcancel()
		if err := b.st.Retire(rctx); err != nil {
			b.log.Debug("could not retire", "err", err)
		}
	}
}

// lease is how long an update may stay in flight here before another
// process may take it over even though this one still heartbeats.
func (b *Bot) lease() time.Duration { return b.cfg.SendRetryWindow + 2*sendTimeout + time.Minute }

// handle runs one update through the routes, unless an earlier delivery
// (or another replica) answered it, or another live process is answering
// it. The update is marked in flight while it runs and done once its
// answer is out; one whose answer did not go out (shutdown cut it short,
// or Telegram kept refusing it) is given back, so its next delivery is
// handled.
func (b *Bot) handle(u tele.Update) outcome {
	if b.ctx.Err() != nil {
		return cut
	}
	b.m.updates.WithLabelValues(updateType(u)).Inc()
	state, err := b.st.BeginUpdate(b.ctx, int64(u.ID), b.lease())
	if err != nil {
		// Without the store an update may be answered twice by two
		// replicas; dropping it would lose it for sure.
		b.log.Debug("update de-duplication unavailable", "err", err)
		state = store.UpdateNew
	}
	switch state {
	case store.UpdateDone:
		b.m.duplicates.Inc()
		// Answered, yet delivered (or journaled) again: make sure the
		// journal lets go of it.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		b.st.FinishUpdate(ctx, int64(u.ID))
		return duplicate
	case store.UpdateBusy:
		return busy
	}
	clean(&u)
	b.tb.ProcessUpdate(u)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if o, ok := b.unfinished.LoadAndDelete(u.ID); ok {
		if err := b.st.ReleaseUpdate(ctx, int64(u.ID)); err != nil {
			b.log.Warn("could not give back an unanswered update", "update", u.ID, "err", err)
		}
		return o.(outcome)
	}
	if err := b.st.FinishUpdate(ctx, int64(u.ID)); err != nil {
		b.log.Debug("update answered but not marked; it may be answered again after a crash", "update", u.ID, "err", err)
	}
	return handled
}

// abort marks the update of c as cut short by shutdown before its reply
// went out: handle gives it back. An update whose reply was sent is done,
// even if shutdown came right after.
func (b *Bot) abort(c tele.Context) { b.unfinished.Store(c.Update().ID, cut) }

// errHeldBack: shutdown began and this update's answer had not started to
// go out; it is held back for the next process.
var errHeldBack = errors.New("shutting down: the answer is left to the next process")

// mayAnswer returns what is checked just before each request sending a
// message that answers c's update, and what is told its result (long
// polling: see tracker.sending); nil for none.
func (b *Bot) mayAnswer(c tele.Context) (before func(context.Context) error, after func(delivered bool)) {
	tr := b.tracker.Load()
	if tr == nil || c == nil {
		return nil, nil
	}
	id := c.Update().ID
	return func(context.Context) error {
			if !tr.sending(id) {
				return errHeldBack
			}
			return nil
		}, func(delivered bool) {
			tr.sentOne(id, delivered)
		}
}

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
