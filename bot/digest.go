package bot

// The digest's Telegram side: the send function the scheduler is given
// (and the errors it maps Telegram's refusals to), the administrators
// check, and the digest commands. Composing, scheduling and the
// exactly-once sending are package digest's.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"reportbot/digest"
	"reportbot/handlers"
	"reportbot/store"
)

// sendDigest is the scheduler's Send: one digest to its chat (in its
// forum topic; in a group without a notification, as a daily post should
// be), paced by the digest sender so that digests never delay answers,
// with sending called just before each request.
func (b *Bot) sendDigest(ctx context.Context, to digest.Chat, html string, sending func(context.Context) error) error {
	chat := &tele.Chat{ID: to.ID}
	if to.Group {
		chat.Type = tele.ChatSuperGroup
	}
	_, err := b.digests.send(ctx, chat, html, sendOptions{thread: to.ThreadID, silent: to.Group, before: sending})
	return digestError(err)
}

// digestError tells the scheduler what a failed send means: the chat is
// gone (403: blocked, removed), the request may have got through (no
// answer came), or Telegram asks to wait (429, still refused after the
// sender's own retries), or something to retry later.
func digestError(err error) error {
	if err == nil {
		return nil
	}
	if blocked(err) {
		return fmt.Errorf("%w: %w", digest.ErrChatGone, err)
	}
	if errors.Is(err, errMaybeSent) {
		return fmt.Errorf("%w: %w", digest.ErrMaybeSent, err)
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests {
		return &digest.RetryAfterError{After: ae.RetryAfter, Err: err}
	}
	return err
}

// Digest commands.

// canManage reports whether the sender may change the chat's digest: in
// a private chat anyone, in a group its administrators (asked of Telegram
// with getChatMember).
func (b *Bot) canManage(c tele.Context) bool {
	if !isGroup(c.Chat()) {
		return true
	}
	ctx, cancel := context.WithTimeout(b.ctx, sendTimeout)
	defer cancel()
	role, err := b.api.getChatMember(ctx, c.Chat().ID, c.Sender().ID)
	if err != nil {
		b.log.Warn("could not check the sender's role", "chat", c.Chat().ID, "err", err)
		return false
	}
	return role == tele.Creator || role == tele.Administrator
}

// adminsOnly lets only those who may manage the chat's digest through
// (handlers.ScopeAdmin); others are told who may.
func (b *Bot) adminsOnly(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		if !b.canManage(c) {
			return b.deliver(c, b.svc.AdminsOnly(b.chatOf(c)), c.Message())
		}
		return next(c)
	}
}

func (b *Bot) onSubscribe(c tele.Context) error {
	chat := b.chatOf(c)
	m := c.Message()
	sub := store.Subscription{ChatID: chat.ID, Lang: langOf(c), By: c.Sender().ID, Group: chat.Group, Title: c.Chat().Title}
	if m.TopicMessage {
		sub.ThreadID = m.ThreadID
	}
	return b.deliver(c, b.svc.Subscribe(b.ctx, chat, sub, m.Payload, b.cfg.DigestTZ), m)
}

func (b *Bot) onUnsubscribe(c tele.Context) error {
	return b.deliver(c, b.svc.Unsubscribe(b.ctx, b.chatOf(c)), c.Message())
}

func (b *Bot) onSettings(c tele.Context) error {
	if m := c.Message(); strings.TrimSpace(m.Payload) != "" {
		// A change (/settings 数字 开): in a group, its administrators'.
		if !b.canManage(c) {
			return b.deliver(c, b.svc.AdminsOnly(b.chatOf(c)), m)
		}
		return b.deliver(c, b.svc.ChangeSettings(b.ctx, b.chatOf(c), m.Payload), m)
	}
	return b.deliver(c, b.svc.Settings(b.ctx, b.chatOf(c)), c.Message())
}

// onDigest shows today's digest now, in the chat's time zone if it has a
// subscription.
func (b *Bot) onDigest(c tele.Context) error {
	chat := b.chatOf(c)
	loc := b.cfg.DigestTZ
	to := digest.Chat{ID: chat.ID, Group: chat.Group, Lang: chat.Lang, TZ: loc.String()}
	if sub, ok, err := b.st.Subscription(b.ctx, chat.ID); err == nil && ok {
		if l, err := time.LoadLocation(sub.TZ); err == nil {
			loc = l
		}
		to.Figures, to.TZ = sub.Figures, loc.String()
	}
	html, err := b.composer.Compose(b.ctx, to, digest.LocalDate(b.now(), loc))
	if err != nil {
		return err
	}
	return b.deliver(c, handlers.Reply{Messages: []string{html}}, c.Message())
}

func langOf(c tele.Context) string {
	if s := c.Sender(); s != nil && s.LanguageCode != "" {
		return s.LanguageCode
	}
	return "zh"
}
