package bot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
	tele "gopkg.in/telebot.v3"
)

// Telegram's flood limits (core.telegram.org/bots/faq): about 30 messages
// a second overall, about one a second in a chat (short bursts pass), and
// 20 a minute in a group. Options.SendRate scales them all.
const (
	telegramRate = 30 // messages a second, bot-wide
	chatBurst    = 3
	groupPerMin  = 20
	maxAttempts  = 5
	maxBackoff   = 10 * time.Second
	sendTimeout  = 15 * time.Second
)

// limits are the flood limits at one bot-wide rate: Telegram's own at
// 30/s, proportionally lower or higher otherwise, none at rate.Inf.
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

func (l limits) scaled(perSecond float64) rate.Limit {
	if l.bot == rate.Inf {
		return rate.Inf
	}
	return l.bot * rate.Limit(perSecond) / telegramRate
}

func burst(r rate.Limit, atLeast int) int {
	if r == rate.Inf {
		return 0 // unused: an infinite limit never waits
	}
	return max(int(r), atLeast)
}

// shared is the limit all of a bot's senders share.
func (l limits) shared() *rate.Limiter {
	return rate.NewLimiter(l.bot, burst(l.bot, 1))
}

// digests caps digests below the bot's limit, so that answers always have
// a third of it.
func (l limits) digests() *rate.Limiter {
	r := l.scaled(telegramRate * 2 / 3)
	return rate.NewLimiter(r, burst(r, 1))
}

// chat is the limit of one chat: about one message a second in a private
// chat, 20 a minute in a group.
func (l limits) chat(group bool) *rate.Limiter {
	if group {
		return rate.NewLimiter(l.scaled(groupPerMin/60.0), chatBurst)
	}
	return rate.NewLimiter(l.scaled(1), chatBurst)
}

// sender sends and edits messages under Telegram's flood limits, waiting
// out 429s for retry_after and retrying 5xx and failed connections with
// capped backoff. Answers and digests have a sender each, so thousands of
// digests never queue ahead of an answer; both share the bot-wide limit.
type sender struct {
	api    *api
	m      *metrics
	log    *slog.Logger
	limits limits
	// global are the bot-wide limits this sender waits on, in order: the
	// limit shared by all senders (Telegram's ~30 messages a second for
	// the bot), and for digests a lower limit of their own first, so a
	// digest run leaves room for answers.
	global []*rate.Limiter

	mu    sync.Mutex
	chats map[int64]*rate.Limiter
	done  chan struct{}
	once  sync.Once
}

func newSender(a *api, m *metrics, log *slog.Logger, l limits, global ...*rate.Limiter) *sender {
	return &sender{api: a, m: m, log: log, limits: l, global: global, chats: map[int64]*rate.Limiter{}, done: make(chan struct{})}
}

func (s *sender) close() { s.once.Do(func() { close(s.done) }) }

func (s *sender) chatLimiter(chat *tele.Chat) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.chats[chat.ID]
	if !ok && len(s.chats) >= 4096 {
		// Forget chats whose limiter is back to full: a new one would be
		// the same, and the map must not grow with every chat ever seen.
		for id, cl := range s.chats {
			if cl.Tokens() >= float64(cl.Burst()) {
				delete(s.chats, id)
			}
		}
	}
	if !ok {
		l = s.limits.chat(isGroup(chat))
		s.chats[chat.ID] = l
	}
	return l
}

// do runs one API call for chat (nil for calls that send no message)
// under the limits, retrying what Telegram asks to retry. Waiting (pacing,
// retry_after) stops at ctx's end; a call under way does not, but runs to
// its own timeout: cut off, a message might reach Telegram unknown to us
// and the update be answered again by the next process.
func (s *sender) do(ctx context.Context, chat *tele.Chat, call func(context.Context) error) error {
	s.m.waiting.Inc()
	defer s.m.waiting.Dec()
	backoff := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		if chat != nil {
			if err := s.chatLimiter(chat).Wait(ctx); err != nil {
				return err
			}
		}
		for _, l := range s.global {
			if err := l.Wait(ctx); err != nil {
				return err
			}
		}
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		err := call(callCtx)
		cancel()
		if err == nil {
			return nil
		}
		code := errorCode(err)
		s.m.apiErrors.WithLabelValues(code).Inc()
		var wait time.Duration
		var ae *APIError
		switch {
		case errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests:
			wait = max(ae.RetryAfter, time.Second)
		case code[0] == '5' || code == "network":
			wait = backoff
			backoff = min(2*backoff, maxBackoff)
		default:
			return err // 400, 403 …: retrying would not help
		}
		if attempt == maxAttempts {
			return err
		}
		s.log.Warn("telegram asked to retry", "err", err, "in", wait, "attempt", attempt)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return err
		}
	}
}

// sendOptions are how a message is sent besides its chat and text.
type sendOptions struct {
	replyTo  int // message ID to reply to, 0 for none
	thread   int // forum topic, 0 for none
	keyboard *keyboard
	silent   bool // sent without a notification
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
		id, err = s.api.sendMessage(ctx, p)
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
