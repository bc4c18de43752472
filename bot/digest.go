package bot

import (
	"context"
	"errors"
	"time"

	tele "gopkg.in/telebot.v3"

	"reportbot/handlers"
	"reportbot/store"
)

// digestBatch is how many due chats one look at the store takes.
const digestBatch = 100

// retryDigest is how long a failed (retryable) digest waits, and how long
// a replica that lost a claim waits before looking again.
const retryDigest = time.Minute

// runDigests sends the digests that fall due, every tick, until ctx ends.
// Every replica runs it: the store's claims make each chat's digest go out
// once a day whichever replica sends it.
func (b *Bot) runDigests(ctx context.Context) {
	t := time.NewTicker(b.cfg.DigestInterval)
	defer t.Stop()
	for {
		// Sends run on the bot's context, which outlives ctx by the
		// shutdown timeout, so a digest being sent is finished.
		b.wg.Add(1)
		b.sendDue(b.ctx)
		b.wg.Done()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sendDue sends every digest due now.
func (b *Bot) sendDue(ctx context.Context) {
	for ctx.Err() == nil && !b.closing.Load() {
		subs, err := b.st.Due(ctx, b.now(), digestBatch)
		if err != nil {
			b.log.Warn("digests not checked: state store unavailable", "err", err)
			return
		}
		if len(subs) == 0 {
			return
		}
		done := make(chan struct{}, len(subs))
		for _, sub := range subs {
			go func() { b.sendDigest(ctx, sub); done <- struct{}{} }()
		}
		for range subs {
			<-done
		}
		if len(subs) < digestBatch {
			return
		}
	}
}

// sendDigest sends one chat's digest for the local date it fell due on.
// A digest that fell due on an earlier day (the bot was down past
// midnight) is skipped: digests are for today, never for past days.
func (b *Bot) sendDigest(ctx context.Context, sub store.Subscription) {
	loc, err := time.LoadLocation(sub.TZ)
	if err != nil {
		loc = b.cfg.DigestTZ
	}
	now := b.now()
	date := handlers.LocalDate(sub.Next, loc)
	if date.Before(handlers.LocalDate(now, loc)) {
		b.log.Info("digest skipped: it fell due on a past day", "chat", sub.ChatID, "date", date.Format(time.DateOnly))
		b.reschedule(ctx, sub, loc, now)
		return
	}
	day := date.Format(time.DateOnly)
	ok, err := b.st.ClaimDigest(ctx, sub.ChatID, day)
	if err != nil {
		return // the store is down: the chat stays due and is tried next tick
	}
	if !ok {
		// Another replica has it, or today's was sent. Look again a
		// little later, in case the holder dies before sending (its
		// Reschedule, if it sends, wins) — but never into the next day,
		// or tomorrow's digest would go out at midnight.
		b.later(ctx, sub, loc, date, now, store.DigestClaimTTL+time.Second, true)
		return
	}
	chat := handlers.Chat{ID: sub.ChatID, Group: sub.Group, Lang: sub.Lang}
	html, err := b.svc.Digest(ctx, chat, date)
	if err == nil {
		to := &tele.Chat{ID: sub.ChatID}
		if sub.Group {
			to.Type = tele.ChatSuperGroup
		}
		_, err = b.digests.send(ctx, to, html, sendOptions{thread: sub.ThreadID})
	}
	switch {
	case err == nil:
		if cerr := b.st.ConfirmDigest(ctx, sub.ChatID, day); cerr != nil {
			b.log.Warn("digest sent but not marked; another replica may send it again", "chat", sub.ChatID, "err", cerr)
		}
		b.m.digests.WithLabelValues("sent").Inc()
		b.reschedule(ctx, sub, loc, maxTime(now, sub.Next).Add(time.Second))
	case blocked(err):
		b.m.digests.WithLabelValues("blocked").Inc()
		b.log.Info("digest subscription ended: the chat refuses messages", "chat", sub.ChatID, "err", err)
		b.st.Unsubscribe(ctx, sub.ChatID)
	default:
		b.m.digests.WithLabelValues("failed").Inc()
		b.log.Warn("digest not sent; retrying", "chat", sub.ChatID, "err", err, "in", retryDigest)
		if errors.Is(err, context.Canceled) {
			ctx = context.Background() // shutting down: still give the claim back
		}
		b.st.ReleaseDigest(ctx, sub.ChatID, day)
		b.later(ctx, sub, loc, date, now, retryDigest, false)
	}
}

// later looks at a chat's digest again after wait, if that is still on
// the digest's local date; otherwise the chat waits for its next due time.
// postpone moves the due time later only (see store.Postpone).
func (b *Bot) later(ctx context.Context, sub store.Subscription, loc *time.Location, date time.Time, now time.Time, wait time.Duration, postpone bool) {
	at := now.Add(wait)
	switch {
	case handlers.LocalDate(at, loc).After(date):
		b.reschedule(ctx, sub, loc, now.Add(time.Second))
	case postpone:
		b.st.Postpone(ctx, sub.ChatID, at)
	default:
		b.st.Reschedule(ctx, sub.ChatID, at)
	}
}

func (b *Bot) reschedule(ctx context.Context, sub store.Subscription, loc *time.Location, after time.Time) {
	next := handlers.NextDue(sub.Time, loc, after)
	if err := b.st.Reschedule(ctx, sub.ChatID, next); err != nil {
		b.log.Warn("digest not rescheduled", "chat", sub.ChatID, "err", err)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
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

func (b *Bot) onSubscribe(c tele.Context) error {
	chat := b.chatOf(c)
	if !b.canManage(c) {
		return b.deliver(c, b.svc.AdminsOnly(chat), c.Message())
	}
	m := c.Message()
	sub := store.Subscription{ChatID: chat.ID, Lang: langOf(c), By: c.Sender().ID, Group: chat.Group, Title: c.Chat().Title}
	if m.TopicMessage {
		sub.ThreadID = m.ThreadID
	}
	return b.deliver(c, b.svc.Subscribe(b.ctx, chat, sub, m.Payload, b.cfg.DigestTZ), m)
}

func (b *Bot) onUnsubscribe(c tele.Context) error {
	chat := b.chatOf(c)
	if !b.canManage(c) {
		return b.deliver(c, b.svc.AdminsOnly(chat), c.Message())
	}
	return b.deliver(c, b.svc.Unsubscribe(b.ctx, chat), c.Message())
}

func (b *Bot) onSettings(c tele.Context) error {
	return b.deliver(c, b.svc.Settings(b.ctx, b.chatOf(c)), c.Message())
}

// onDigest shows today's digest now, in the chat's time zone if it has a
// subscription.
func (b *Bot) onDigest(c tele.Context) error {
	chat := b.chatOf(c)
	loc := b.cfg.DigestTZ
	if sub, ok, err := b.st.Subscription(b.ctx, chat.ID); err == nil && ok {
		if l, err := time.LoadLocation(sub.TZ); err == nil {
			loc = l
		}
	}
	html, err := b.svc.Digest(b.ctx, chat, handlers.LocalDate(b.now(), loc))
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
