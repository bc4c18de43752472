package bot

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
	tele "gopkg.in/telebot.v3"
)

// Telegram's flood limits (core.telegram.org/bots/faq): about 30 messages
// a second overall, about one a second in a chat (short bursts pass), and
// 20 a minute in a group.
const (
	globalRate  = 30
	chatRate    = 1
	chatBurst   = 3
	groupPerMin = 20
	maxAttempts = 5
	maxBackoff  = 10 * time.Second
	sendTimeout = 15 * time.Second
)

// sender sends and edits messages under Telegram's flood limits, waiting
// out 429s for retry_after and retrying 5xx with capped backoff. Answers
// and digests have a sender each, so thousands of digests never queue
// ahead of an answer; both share the bot-wide limit.
type sender struct {
	tb  *tele.Bot
	api *apiClient
	m   *metrics
	log *slog.Logger
	// global are the bot-wide limits this sender waits on, in order: the
	// limit shared by all senders (Telegram's ~30 messages a second for
	// the bot), and for digests a lower limit of their own first, so a
	// digest run leaves room for answers.
	global []*rate.Limiter

	// unpaced: every limiter is rate.Inf (Options.Unpaced).
	unpaced bool

	mu    sync.Mutex
	chats map[int64]*rate.Limiter
	done  chan struct{}
	once  sync.Once
}

func newSender(tb *tele.Bot, api *apiClient, m *metrics, log *slog.Logger, unpaced bool, global ...*rate.Limiter) *sender {
	s := &sender{tb: tb, api: api, m: m, log: log, unpaced: unpaced, global: global, chats: map[int64]*rate.Limiter{}, done: make(chan struct{})}
	if unpaced {
		s.global = nil
	}
	return s
}

// botLimit is the limit all of a bot's senders share.
func botLimit() *rate.Limiter { return rate.NewLimiter(globalRate, globalRate) }

// digestLimit caps digests below the bot's limit, so that answers always
// have a third of it.
func digestLimit() *rate.Limiter { return rate.NewLimiter(globalRate*2/3, globalRate*2/3) }

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
		switch {
		case s.unpaced:
			l = rate.NewLimiter(rate.Inf, 0)
		case chat.Type == tele.ChatGroup || chat.Type == tele.ChatSuperGroup:
			l = rate.NewLimiter(rate.Every(time.Minute/groupPerMin), chatBurst)
		default:
			l = rate.NewLimiter(chatRate, chatBurst)
		}
		s.chats[chat.ID] = l
	}
	return l
}

// do runs one API call for chat under the limits, retrying what Telegram
// asks to retry.
func (s *sender) do(ctx context.Context, chat *tele.Chat, call func() error) error {
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
		err := call()
		if err == nil {
			return nil
		}
		code := errorCode(err)
		s.m.apiErrors.WithLabelValues(code).Inc()
		var wait time.Duration
		var flood tele.FloodError
		var ae *apiError
		switch {
		case errors.As(err, &flood):
			wait = time.Duration(max(flood.RetryAfter, 1)) * time.Second
		case errors.As(err, &ae) && ae.code == 429:
			wait = time.Duration(max(ae.retryAfter, 1)) * time.Second
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

// send sends one HTML message to chat.
// send sends one HTML message to chat, link previews off. It calls the
// Bot API directly rather than through telebot's Send, which would decode
// the whole message Telegram echoes back (our reply, again) when only its
// ID is needed.
func (s *sender) send(ctx context.Context, chat *tele.Chat, html string, opts *tele.SendOptions) (*tele.Message, error) {
	params := map[string]any{
		"chat_id":              chat.ID,
		"text":                 html,
		"parse_mode":           "HTML",
		"link_preview_options": map[string]any{"is_disabled": true},
	}
	if opts.ReplyTo != nil {
		params["reply_parameters"] = map[string]any{"message_id": opts.ReplyTo.ID, "allow_sending_without_reply": true}
	}
	if opts.ThreadID != 0 {
		params["message_thread_id"] = opts.ThreadID
	}
	if opts.ReplyMarkup != nil {
		params["reply_markup"] = inlineKeyboard(opts.ReplyMarkup)
	}
	var sent struct {
		MessageID int `json:"message_id"`
	}
	err := s.do(ctx, chat, func() error {
		// Waiting (pacing, retry_after) stops at shutdown; a send under way
		// does not: cut off, it might reach Telegram unknown to us and the
		// update be answered again by the next process.
		call, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		defer cancel()
		return s.api.call(call, "sendMessage", params, &sent)
	})
	if err != nil {
		return nil, err
	}
	s.m.sent.Inc()
	return &tele.Message{ID: sent.MessageID, Chat: chat, Text: html}, nil
}

// inlineKeyboard is the reply_markup of callback buttons, and nothing
// else: telebot's own encoding adds an empty switch_inline_query_current_chat
// to every button.
func inlineKeyboard(m *tele.ReplyMarkup) map[string]any {
	rows := make([][]map[string]string, 0, len(m.InlineKeyboard))
	for _, row := range m.InlineKeyboard {
		r := make([]map[string]string, 0, len(row))
		for _, b := range row {
			r = append(r, map[string]string{"text": b.Text, "callback_data": b.Data})
		}
		rows = append(rows, r)
	}
	return map[string]any{"inline_keyboard": rows}
}

var codeRe = regexp.MustCompile(`\((\d{3})\)$`)

// errorCode names an API error for metrics: its HTTP-like code, "network"
// for a failed connection, or "other".
func errorCode(err error) string {
	var te *tele.Error
	var flood tele.FloodError
	var ae *apiError
	switch {
	case errors.As(err, &flood):
		return "429"
	case errors.As(err, &ae):
		return strconv.Itoa(ae.code)
	case errors.As(err, &te) && te.Code != 0:
		return strconv.Itoa(te.Code)
	}
	// telebot reports other API errors only as text ending in "(code)".
	if m := codeRe.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "canceled"
	}
	return "network"
}

// blocked reports whether err means the bot may no longer write to the
// chat (blocked by the user, removed from the group).
func blocked(err error) bool { return errorCode(err) == "403" }
