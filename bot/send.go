package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
	tele "gopkg.in/telebot.v3"

	"reportbot/store"
)

// Telegram's flood limits (core.telegram.org/bots/faq): about 30 messages
// a second overall, about one a second in a chat (short bursts pass), and
// 20 a minute in a group. Options.SendRate scales them all.
const (
	telegramRate = 30 // messages a second, bot-wide
	chatBurst    = 3
	groupPerMin  = 20
	maxBackoff   = 2 * time.Second
	sendTimeout  = 15 * time.Second
)

// limits are the flood limits at one bot-wide rate: Telegram's own at
// 30/s, proportionally lower or higher otherwise, none at rate.Inf. They
// are kept in the store (store.Limiter, GCRA), so every replica on one
// Redis shares one budget; with the memory store, or while Redis fails,
// each process keeps them itself.
type limits struct {
	bot rate.Limit // messages a second, bot-wide
}

// newLimits returns the limits at r messages a second (Telegram's 30 for 0).
func newLimits(r rate.Limit) limits {
	if r <= 0 {
		r = telegramRate
	}
	return limits{bot: r}
}

func (l limits) off() bool { return l.bot == rate.Inf }

func (l limits) scaled(perSecond float64) rate.Limit {
	if l.off() {
		return rate.Inf
	}
	return l.bot * rate.Limit(perSecond) / telegramRate
}

// storeLimit is r a second, in bursts of up to burst, as a store.Limit.
func storeLimit(r rate.Limit, burst int) store.Limit {
	return store.Limit{Rate: 1, Period: time.Duration(float64(time.Second) / float64(r)), Burst: max(burst, 1)}
}

// botBurst is the bot-wide burst: a tenth of a second's worth, so that in
// any second the bot sends at most about 1.1 times its rate.
func (l limits) botBurst() int { return int(math.Ceil(float64(l.bot) / 10)) }

// digestRate caps digests below the bot's limit, so that answers always
// have a third of it.
func (l limits) digestRate() rate.Limit { return l.scaled(telegramRate * 2 / 3) }

// chatRate is the limit of one chat: about one message a second in a
// private chat, 20 a minute in a group.
func (l limits) chatRate(group bool) rate.Limit {
	if group {
		return l.scaled(groupPerMin / 60.0)
	}
	return l.scaled(1)
}

// budget makes every message wait for its share of the flood limits:
// its chat's, the digests' (for a digest), then the bot's. The shares are
// taken from the store; when it fails, from limiters of this process.
type budget struct {
	st     store.Limiter
	limits limits
	log    *slog.Logger

	// Lines for the shared shares: one sender at a time asks the store,
	// in the order they came (a channel's waiting senders are served
	// first come, first served), so messages go out in about the order
	// their updates came, and no sender is starved by luckier ones.
	botLine, digestLine chan struct{}

	mu      sync.Mutex
	bot     *rate.Limiter // fallbacks while the store fails
	digests *rate.Limiter
	chats   map[int64]*rate.Limiter
}

func newBudget(st store.Limiter, l limits, log *slog.Logger) *budget {
	b := &budget{st: st, limits: l, log: log, chats: map[int64]*rate.Limiter{},
		botLine: make(chan struct{}, 1), digestLine: make(chan struct{}, 1)}
	if !l.off() {
		b.bot = rate.NewLimiter(l.bot, l.botBurst())
		b.digests = rate.NewLimiter(l.digestRate(), 1)
	}
	return b
}

// wait waits until a message to chat (nil for a call that sends none)
// may go.
func (b *budget) wait(ctx context.Context, chat *tele.Chat, digest bool) error {
	if b.limits.off() {
		return nil
	}
	if chat != nil {
		r := b.limits.chatRate(isGroup(chat))
		if err := b.take(ctx, nil, "tg:chat:"+strconv.FormatInt(chat.ID, 10), storeLimit(r, chatBurst), func() *rate.Limiter { return b.chatLimiter(chat, r) }); err != nil {
			return err
		}
	}
	if digest {
		if err := b.take(ctx, b.digestLine, "tg:digests", storeLimit(b.limits.digestRate(), 1), func() *rate.Limiter { return b.digests }); err != nil {
			return err
		}
	}
	return b.take(ctx, b.botLine, "tg:bot", storeLimit(b.limits.bot, b.limits.botBurst()), func() *rate.Limiter { return b.bot })
}

// take waits for one event of key under l in the store, or of the local
// limiter while the store fails; in line, if there is one.
func (b *budget) take(ctx context.Context, line chan struct{}, key string, l store.Limit, local func() *rate.Limiter) error {
	if line != nil {
		select {
		case line <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-line }()
	}
	for {
		ok, retry, err := b.st.Allow(ctx, key, l)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return local().Wait(ctx)
		}
		if ok {
			return nil
		}
		t := time.NewTimer(max(retry, time.Millisecond))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

func (b *budget) chatLimiter(chat *tele.Chat, r rate.Limit) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.chats[chat.ID]
	if !ok && len(b.chats) >= 4096 {
		// Forget chats whose limiter is back to full: a new one would be
		// the same, and the map must not grow with every chat ever seen.
		for id, cl := range b.chats {
			if cl.Tokens() >= float64(cl.Burst()) {
				delete(b.chats, id)
			}
		}
	}
	if !ok {
		l = rate.NewLimiter(r, chatBurst)
		b.chats[chat.ID] = l
	}
	return l
}

// errGivenUp: Telegram kept refusing a message (429, 5xx, no connection)
// for as long as it was worth sending (Options.SendRetryWindow). The
// update it answers is not confirmed, so it is handled again when it is
// delivered again.
var errGivenUp = errors.New("given up: Telegram kept refusing the message for the whole retry window")

// errMaybeSent: a request got no answer (the connection broke after it
// was written, or it timed out), so it may have been delivered.
var errMaybeSent = errors.New("no answer came: the message may have been delivered")

// notSent marks an error of the check made just before a request (the
// digest's "sending" mark): nothing was sent, and retrying would not help.
type notSent struct{ err error }

func (e notSent) Error() string { return e.err.Error() }
func (e notSent) Unwrap() error { return e.err }

// sender sends and edits messages under Telegram's flood limits, waiting
// out 429s for their retry_after (every one, however long) and retrying
// 5xx and failed connections with capped backoff, for as long as the
// message is worth sending (window). Answers and digests have a sender
// each, so thousands of digests never queue ahead of an answer; both share
// the budget.
type sender struct {
	api    *api
	m      *metrics
	log    *slog.Logger
	budget *budget
	digest bool // takes the digests' share too; a request with no answer is not repeated
	window time.Duration

	done chan struct{}
	once sync.Once
}

func newSender(a *api, m *metrics, log *slog.Logger, b *budget, window time.Duration, digest bool) *sender {
	return &sender{api: a, m: m, log: log, budget: b, digest: digest, window: window, done: make(chan struct{})}
}

func (s *sender) close() { s.once.Do(func() { close(s.done) }) }

// do runs one API call for chat (nil for calls that send no message)
// under the limits, retrying what Telegram asks to retry until the retry
// window would be passed (then the error wraps errGivenUp). Waiting
// (pacing, retry_after, backoff) stops at ctx's end; a call under way does
// not, but runs to its own timeout: cut off, a message might reach
// Telegram unknown to us and the update be answered again by the next
// process.
func (s *sender) do(ctx context.Context, chat *tele.Chat, call func(context.Context) error) error {
	s.m.waiting.Inc()
	defer s.m.waiting.Dec()
	deadline := time.Now().Add(s.window)
	backoff := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		if err := s.budget.wait(ctx, chat, s.digest); err != nil {
			return err
		}
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		err := call(callCtx)
		cancel()
		if err == nil {
			return nil
		}
		var ns notSent
		if errors.As(err, &ns) {
			return err
		}
		code := errorCode(err)
		s.m.apiErrors.WithLabelValues(code).Inc()
		var wait time.Duration
		var ae *APIError
		switch {
		case errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests:
			wait = max(ae.RetryAfter, time.Second)
		case errors.As(err, &ae) && ae.Code >= 500:
			wait = backoff
			backoff = min(2*backoff, maxBackoff)
		case ae != nil:
			return err // 400, 403 …: retrying would not help
		case !refused(err) && s.digest:
			// A digest is sent at most once: a request that may have got
			// through is not repeated.
			return fmt.Errorf("%w: %w", errMaybeSent, err)
		default: // no connection, or no answer
			wait = backoff
			backoff = min(2*backoff, maxBackoff)
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("%w (%d attempts in %v): %w", errGivenUp, attempt, s.window, err)
		}
		s.log.Warn("telegram asked to retry", "err", err, "in", wait, "attempt", attempt)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-s.done:
			t.Stop()
			return err
		}
	}
}

// refused reports whether a request that got no answer never reached the
// server: the connection could not be made.
func refused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// sendOptions are how a message is sent besides its chat and text.
type sendOptions struct {
	replyTo  int // message ID to reply to, 0 for none
	thread   int // forum topic, 0 for none
	keyboard *keyboard
	silent   bool // sent without a notification
	// before, when set, is called just before each request; if it fails
	// the message is not sent. after, when set, is told whether each
	// request may have delivered the message.
	before func(context.Context) error
	after  func(delivered bool)
}

// send sends one HTML message to chat, link previews off.
func (s *sender) send(ctx context.Context, chat *tele.Chat, html string, opts sendOptions) (*tele.Message, error) {
	p := &sendMessageParams{
		ChatID:             chat.ID,
		MessageThreadID:    opts.thread,
		Text:               html,
		ParseMode:          "HTML",
		LinkPreviewOptions: &linkPreviewOptions{IsDisabled: true},
		ReplyMarkup:        opts.keyboard,
	}
	p.DisableNotification = opts.silent
	if opts.replyTo != 0 {
		p.ReplyParameters = &replyParameters{MessageID: opts.replyTo, AllowSendingWithoutReply: true}
	}
	var id int
	err := s.do(ctx, chat, func(ctx context.Context) (err error) {
		if opts.before != nil {
			if err := opts.before(ctx); err != nil {
				return notSent{err}
			}
		}
		id, err = s.api.sendMessage(ctx, p)
		if opts.after != nil {
			var ae *APIError
			opts.after(err == nil || !(errors.As(err, &ae) || refused(err)))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.m.sent.Inc()
	return &tele.Message{ID: id, Chat: chat, Text: html}, nil
}

// errorCode names an API error for metrics: Telegram's error code,
// "canceled", or "network" for a request that got no answer.
func errorCode(err error) string {
	var ae *APIError
	switch {
	case errors.As(err, &ae):
		return strconv.Itoa(ae.Code)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return "network"
}

// blocked reports whether err means the bot may no longer write to the
// chat (blocked by the user, removed from the group).
func blocked(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == http.StatusForbidden
}
