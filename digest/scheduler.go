package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"reportbot/store"
)

// ErrChatGone is what Send returns (wrapped) when the chat no longer takes
// the bot's messages: the user blocked the bot, or it was removed from the
// group. The subscription ends.
var ErrChatGone = errors.New("the chat no longer accepts the bot's messages")

// ErrMaybeSent is what Send returns (wrapped) when a request that may
// have delivered the digest got no answer (the connection broke after it
// was written, or timed out). The digest counts as sent: it is never sent
// again, so a chat never gets two, at the price of maybe none that day.
var ErrMaybeSent = errors.New("the digest may have been delivered: its request got no answer")

// errClaimLost: this replica's claim lapsed and another one took it.
var errClaimLost = errors.New("the digest's claim lapsed and another replica took it")

// ErrSchedulerClosed is returned by Run after Shutdown.
var ErrSchedulerClosed = errors.New("digest: scheduler closed")

// RetryAfterError is what Send returns when the chat platform refuses a
// send for now and says when to try again (Telegram's 429 retry_after).
// The digest is tried again after After, or after a minute if that is
// longer.
type RetryAfterError struct {
	After time.Duration
	Err   error // the platform's error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("asked to retry after %v: %v", e.After, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// Store is the state the Scheduler keeps: the due subscriptions, and each
// chat's claim on a day's digest.
type Store interface {
	store.Subscriptions
	store.DigestClaims
}

// Outcome is what became of one digest send, for metrics.
type Outcome string

// Outcomes of a send.
const (
	Sent    Outcome = "sent"    // sent and marked sent
	Gone    Outcome = "blocked" // the chat is gone (ErrChatGone): unsubscribed
	Failed  Outcome = "failed"  // not sent: tried again later
	Unknown Outcome = "unknown" // maybe delivered (ErrMaybeSent): not sent again
)

const (
	// batch is how many due chats one look at the store takes.
	batch = 100
	// retryWait is how long a failed (retryable) digest waits, and how
	// long a replica that lost a claim waits before looking again.
	retryWait = time.Minute
	// defaultInterval is how often Run looks when Interval is not set.
	defaultInterval = 30 * time.Second
)

// Scheduler sends the digests that fall due. Every replica runs one: the
// store's claims make each chat's digest go out at most once a day
// whichever replica sends it. A digest is claimed, then recorded as being
// sent just before each request that may deliver it (Send calls sending),
// then confirmed. A replica that dies before sending leaves a claim that
// lapses (store.DigestClaimTTL), so another sends it; one that dies while
// its request is out leaves the digest recorded as sent, so it is never
// sent twice. The one window left: a replica that dies between recording
// and its request reaching Telegram (microseconds, or a request that never
// arrives) costs that chat its digest for the day.
//
// A digest is sent for the local date it fell due on. One that fell due on
// an earlier day (every replica was down past midnight) is skipped:
// digests are for today, never for past days.
//
// Store, Composer and Send must be set; the other fields have defaults.
type Scheduler struct {
	Store    Store
	Composer *Composer
	// Send delivers one digest. It must call sending just before each
	// request that may deliver it, and not make the request if sending
	// fails. Its errors say what became of the digest: see ErrChatGone,
	// ErrMaybeSent and RetryAfterError; any other error means Telegram
	// refused it (429, 5xx, no connection) and it is tried again.
	Send func(ctx context.Context, chat Chat, html string, sending func(context.Context) error) error
	// TZ is the zone of a subscription whose own zone no longer loads.
	TZ *time.Location
	// Interval is how often Run looks for due digests (30s when zero).
	Interval time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	Log *slog.Logger
	// Observe, when set, is told the outcome of every send.
	Observe func(Outcome)

	mu       sync.Mutex
	stopping bool
	stop     chan struct{}  // closed by Shutdown
	looks    sync.WaitGroup // SendDue calls under way in Run
}

func (s *Scheduler) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Scheduler) observe(o Outcome) {
	if s.Observe != nil {
		s.Observe(o)
	}
}

func (s *Scheduler) stopC() chan struct{} {
	if s.stop == nil {
		s.stop = make(chan struct{})
	}
	return s.stop
}

func (s *Scheduler) closing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// Run sends what is due now and then every Interval, until ctx ends
// (which also cuts short the sends under way) or Shutdown is called. It
// returns ctx's error or ErrSchedulerClosed.
func (s *Scheduler) Run(ctx context.Context) error {
	interval := s.Interval
	if interval <= 0 {
		interval = defaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			return ErrSchedulerClosed
		}
		stop := s.stopC()
		s.looks.Add(1)
		s.mu.Unlock()
		s.SendDue(ctx)
		s.looks.Done()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-stop:
			return ErrSchedulerClosed
		case <-t.C:
		}
	}
}

// Shutdown stops Run from looking again and waits for the digests being
// sent to finish, or for ctx to end (then it returns ctx's error; cancel
// Run's context to cut the sends short).
func (s *Scheduler) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.stopping {
		s.stopping = true
		close(s.stopC())
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.looks.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SendDue sends every digest due now, a batch at a time, each batch's
// chats at once. It stops between batches once Shutdown is called.
func (s *Scheduler) SendDue(ctx context.Context) {
	for ctx.Err() == nil && !s.closing() {
		subs, err := s.Store.Due(ctx, s.now(), batch)
		if err != nil {
			s.log().Warn("digests not checked: state store unavailable", "err", err)
			return
		}
		if len(subs) == 0 {
			return
		}
		var wg sync.WaitGroup
		for _, sub := range subs {
			wg.Go(func() { s.sendOne(ctx, sub) })
		}
		wg.Wait()
		if len(subs) < batch {
			return
		}
	}
}

// sendOne sends one chat's digest for the local date it fell due on:
// claim, send, confirm, reschedule.
func (s *Scheduler) sendOne(ctx context.Context, sub store.Subscription) {
	loc, err := time.LoadLocation(sub.TZ)
	if err != nil {
		loc = s.TZ
		if loc == nil {
			loc = time.UTC
		}
	}
	now := s.now()
	date := LocalDate(sub.Next, loc)
	if date.Before(LocalDate(now, loc)) {
		s.log().Info("digest skipped: it fell due on a past day", "chat", sub.ChatID, "date", date.Format(time.DateOnly))
		s.reschedule(ctx, sub, loc, now)
		return
	}
	day := date.Format(time.DateOnly)
	ok, err := s.Store.ClaimDigest(ctx, sub.ChatID, day)
	if err != nil {
		return // the store is down: the chat stays due and is tried next look
	}
	if !ok {
		// Another replica has it, or today's was sent. Look again a
		// little later, in case the holder dies before sending (its
		// Reschedule, if it sends, wins) — but never into the next day,
		// or tomorrow's digest would go out at midnight.
		s.later(ctx, sub, loc, date, now, store.DigestClaimTTL+time.Second, true)
		return
	}
	chat := Chat{ID: sub.ChatID, Group: sub.Group, Lang: sub.Lang, ThreadID: sub.ThreadID, Figures: sub.Figures, TZ: sub.TZ}
	sending := func(ctx context.Context) error {
		ok, err := s.Store.SendingDigest(ctx, sub.ChatID, day)
		switch {
		case err != nil:
			return fmt.Errorf("recording the digest as being sent: %w", err)
		case !ok:
			return errClaimLost
		}
		return nil
	}
	html, err := s.Composer.Compose(ctx, chat, date)
	if err == nil {
		err = s.Send(ctx, chat, html, sending)
	}
	var ra *RetryAfterError
	switch {
	case err == nil:
		// The "sending" mark already counts as sent; this one is kept as
		// long, and says Telegram took it.
		if cerr := s.Store.ConfirmDigest(ctx, sub.ChatID, day); cerr != nil {
			s.log().Warn("digest sent but not confirmed; it still counts as sent", "chat", sub.ChatID, "err", cerr)
		}
		s.observe(Sent)
		s.reschedule(ctx, sub, loc, maxTime(now, sub.Next).Add(time.Second))
	case errors.Is(err, ErrMaybeSent):
		s.observe(Unknown)
		s.log().Warn("digest may not have been delivered; not sent again today", "chat", sub.ChatID, "err", err)
		s.reschedule(ctx, sub, loc, maxTime(now, sub.Next).Add(time.Second))
	case errors.Is(err, errClaimLost):
		s.later(ctx, sub, loc, date, now, store.DigestClaimTTL+time.Second, true)
	case errors.Is(err, ErrChatGone):
		s.observe(Gone)
		s.log().Info("digest subscription ended: the chat refuses messages", "chat", sub.ChatID, "err", err)
		s.Store.Unsubscribe(ctx, sub.ChatID)
	default:
		s.observe(Failed)
		wait := retryWait
		if errors.As(err, &ra) {
			wait = max(wait, ra.After)
		}
		s.log().Warn("digest not sent; retrying", "chat", sub.ChatID, "err", err, "in", wait)
		if errors.Is(err, context.Canceled) {
			ctx = context.Background() // shutting down: still give the claim back
		}
		s.Store.ReleaseDigest(ctx, sub.ChatID, day)
		s.later(ctx, sub, loc, date, now, wait, false)
	}
}

// later looks at a chat's digest again after wait, if that is still on
// the digest's local date; otherwise the chat waits for its next due time.
// postpone moves the due time later only (see store.Store's Postpone).
func (s *Scheduler) later(ctx context.Context, sub store.Subscription, loc *time.Location, date, now time.Time, wait time.Duration, postpone bool) {
	at := now.Add(wait)
	switch {
	case LocalDate(at, loc).After(date):
		s.reschedule(ctx, sub, loc, now.Add(time.Second))
	case postpone:
		s.Store.Postpone(ctx, sub.ChatID, at)
	default:
		s.Store.Reschedule(ctx, sub.ChatID, at)
	}
}

func (s *Scheduler) reschedule(ctx context.Context, sub store.Subscription, loc *time.Location, after time.Time) {
	next := NextDue(sub.Time, loc, after)
	if err := s.Store.Reschedule(ctx, sub.ChatID, next); err != nil {
		s.log().Warn("digest not rescheduled", "chat", sub.ChatID, "err", err)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
