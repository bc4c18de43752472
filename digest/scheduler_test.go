package digest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"reportbot/data"
	"reportbot/digest"
	"reportbot/handlers"
	"reportbot/store"
	"reportbot/telegramtest"
)

// clock is a settable clock shared by the scheduler and the memory store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// outbox is the scheduler's Send: it keeps what it is given, as Telegram
// would show it, and fails the next sends when told to.
type outbox struct {
	mu   sync.Mutex
	clk  *clock
	sent []digestSent
	fail []error // errors for the next sends, in order
}

func (o *outbox) send(ctx context.Context, chat digest.Chat, html string, sending func(context.Context) error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := sending(ctx); err != nil {
		return err
	}
	if len(o.fail) > 0 {
		err := o.fail[0]
		o.fail = o.fail[1:]
		return err
	}
	text, _, err := telegramtest.ParseHTML(html)
	if err != nil {
		return err // as Telegram refuses a message it cannot parse
	}
	if rest, ok := strings.CutPrefix(text, "每日一读 · "); ok {
		o.sent = append(o.sent, digestSent{chat: chat.ID, at: o.clk.Now(), date: rest[:10]})
	}
	return nil
}

// failNext makes the next sends fail with errs.
func (o *outbox) failNext(errs ...error) {
	o.mu.Lock()
	o.fail = append(o.fail, errs...)
	o.mu.Unlock()
}

func (o *outbox) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.sent)
}

func (o *outbox) since(n int) []digestSent {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]digestSent(nil), o.sent[n:]...)
}

// rig is a scheduler over a memory store and an outbox, all on one
// clock, and the service whose /subscribe makes its subscriptions. Its
// scheduler is not started: tests call SendDue at the times they set.
type rig struct {
	s   *digest.Scheduler
	out *outbox
	mem *store.Memory
	svc *handlers.Service
	clk *clock
	tz  *time.Location
}

var (
	seedOnce sync.Once
	seed     *data.Corpus
	seedErr  error
)

func newRig(t *testing.T, clk *clock) *rig {
	t.Helper()
	seedOnce.Do(func() { seed, seedErr = data.Load("") })
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	tz := sh(t)
	mem := store.NewMemory(store.MemoryOptions{Now: clk.Now})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	svc := &handlers.Service{Store: mem, TZ: tz, Now: clk.Now, Log: log} // for its /subscribe
	out := &outbox{clk: clk}
	s := &digest.Scheduler{
		Store:    mem,
		Composer: &digest.Composer{Corpus: seed, Stats: mem, Log: log},
		Send:     out.send,
		TZ:       tz,
		Now:      clk.Now,
		Log:      log,
	}
	return &rig{s: s, out: out, mem: mem, svc: svc, clk: clk, tz: tz}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// digestSent is one digest the outbox took.
type digestSent struct {
	chat int64
	at   time.Time // the fake clock when it was sent
	date string    // the date the digest names
}

// tick runs the scheduler once at t and returns the digests it sent.
func tick(t *testing.T, r *rig, at time.Time) []digestSent {
	t.Helper()
	before := r.out.count()
	r.clk.Set(at)
	r.s.SendDue(context.Background())
	return r.out.since(before)
}

func subscribe(t *testing.T, r *rig, chat int64, args string) {
	t.Helper()
	rep := r.svc.Subscribe(context.Background(), handlers.Chat{ID: chat}, store.Subscription{ChatID: chat, Lang: "zh", By: chat}, args, r.tz)
	if len(rep.Messages) != 1 || !strings.Contains(rep.Messages[0], "已订阅") {
		t.Fatalf("/subscribe %s: %v", args, rep.Messages)
	}
}

// run steps the clock from start to end by step, running the scheduler at
// each step, and returns every digest sent.
func run(t *testing.T, r *rig, start, end time.Time, step time.Duration) []digestSent {
	t.Helper()
	var out []digestSent
	for at := start; at.Before(end); at = at.Add(step) {
		out = append(out, tick(t, r, at)...)
	}
	return out
}

func sh(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A digest goes out at its time, once, every day, naming that day.
func TestSchedulerDaily(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 7, 0, 0, 0, loc)}
	r := newRig(t, clk)
	const chat = 4242
	subscribe(t, r, chat, "09:00")
	got := run(t, r, clk.Now(), time.Date(2024, 1, 18, 12, 0, 0, 0, loc), 5*time.Minute)
	if len(got) != 4 {
		t.Fatalf("%d digests over 4 mornings, want 4: %+v", len(got), got)
	}
	for i, d := range got {
		day := time.Date(2024, 1, 15+i, 9, 0, 0, 0, loc)
		if !d.at.Equal(day) || d.date != day.Format(time.DateOnly) {
			t.Errorf("digest %d sent at %s naming %s, want at %s naming its day", i, d.at.In(loc), d.date, day)
		}
	}
	// Running again at the same moment sends nothing more.
	if again := tick(t, r, clk.Now()); len(again) != 0 {
		t.Errorf("a second look at the same moment sent %+v", again)
	}
}

// After downtime: a digest due earlier the same day goes out late, once; one
// due on a past day is skipped, and the next comes at its time.
func TestSchedulerDowntime(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 7, 0, 0, 0, loc)}
	r := newRig(t, clk)
	mem := r.mem
	const chat = 4343
	subscribe(t, r, chat, "09:00")

	// Down from 08:00 to 15:00: the 09:00 digest comes at 15:00.
	got := tick(t, r, time.Date(2024, 1, 15, 15, 0, 0, 0, loc))
	if len(got) != 1 || got[0].date != "2024-01-15" {
		t.Fatalf("after downtime the same day: %+v, want the digest of 2024-01-15", got)
	}
	// Down from 08:00 on the 16th to 08:00 on the 17th: the 16th's is
	// skipped, the 17th's comes at 09:00.
	if got := tick(t, r, time.Date(2024, 1, 17, 8, 0, 0, 0, loc)); len(got) != 0 {
		t.Fatalf("a digest of a past day was sent: %+v", got)
	}
	if _, ok, _ := mem.Subscription(context.Background(), chat); !ok {
		t.Fatal("skipping a past day ended the subscription")
	}
	got = run(t, r, time.Date(2024, 1, 17, 8, 0, 0, 0, loc), time.Date(2024, 1, 17, 12, 0, 0, 0, loc), time.Minute)
	if len(got) != 1 || got[0].date != "2024-01-17" || !got[0].at.Equal(time.Date(2024, 1, 17, 9, 0, 0, 0, loc)) {
		t.Fatalf("after a skipped day: %+v, want the 17th's at 09:00", got)
	}
}

// A send that fails and may be retried gives the claim back and is sent
// once, a minute later.
func TestSchedulerRetry(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
	r := newRig(t, clk)
	const chat = 4444
	subscribe(t, r, chat, "09:00")
	r.out.failNext(errors.New("sendMessage: Bad Request (400)"))
	got := run(t, r, time.Date(2024, 1, 15, 9, 0, 0, 0, loc), time.Date(2024, 1, 15, 9, 5, 0, 0, loc), 10*time.Second)
	if len(got) != 1 || got[0].date != "2024-01-15" {
		t.Fatalf("after a failed send: %+v, want one digest", got)
	}
	if d := got[0].at.Sub(time.Date(2024, 1, 15, 9, 0, 0, 0, loc)); d < time.Minute || d > 70*time.Second {
		t.Errorf("retried after %v, want about a minute", d)
	}
}

// Daylight saving time in the scheduler: a digest at 02:30 (skipped on
// 2024-03-10) and at 01:30 (twice on 2024-11-03) in New York comes once a
// day over the five days around each change.
func TestSchedulerDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		hhmm  string
		start time.Time
	}{
		{"02:30", time.Date(2024, 3, 8, 0, 0, 0, 0, ny)},
		{"01:30", time.Date(2024, 11, 1, 0, 0, 0, 0, ny)},
	} {
		t.Run(tc.hhmm, func(t *testing.T) {
			clk := &clock{t: tc.start}
			r := newRig(t, clk)
			const chat = 4545
			subscribe(t, r, chat, tc.hhmm+" America/New_York")
			got := run(t, r, tc.start, tc.start.AddDate(0, 0, 5), 10*time.Minute)
			days := map[string]int{}
			var log []string
			for _, d := range got {
				days[d.date]++
				log = append(log, d.at.In(ny).Format("01-02 15:04 MST")+" "+d.date)
			}
			t.Logf("sent: %s", strings.Join(log, ", "))
			for i := range 5 {
				day := tc.start.AddDate(0, 0, i).Format(time.DateOnly)
				if days[day] != 1 {
					t.Errorf("%s: %d digests, want 1", day, days[day])
				}
			}
			if len(got) != 5 {
				t.Errorf("%d digests in 5 days", len(got))
			}
		})
	}
}

// A chat that moves its digest to a later time on a day its digest was
// already sent gets it at the new time from the next day on: not a
// second time that day, and not at some other hour. The scheduler looks
// every DIGEST_INTERVAL; a few intervals are tried, since where its looks
// fall matters.
func TestSchedulerLaterTimeSameDay(t *testing.T) {
	for _, step := range []time.Duration{30 * time.Second, 13 * time.Second, 7 * time.Second} {
		t.Run(step.String(), func(t *testing.T) {
			loc := sh(t)
			clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
			r := newRig(t, clk)
			const chat = 4646
			subscribe(t, r, chat, "09:00")
			if got := tick(t, r, time.Date(2024, 1, 15, 9, 0, 0, 0, loc)); len(got) != 1 {
				t.Fatalf("09:00: %+v", got)
			}
			clk.Set(time.Date(2024, 1, 15, 10, 0, 0, 0, loc))
			subscribe(t, r, chat, "18:00")
			got := run(t, r, time.Date(2024, 1, 15, 10, 0, 0, 0, loc), time.Date(2024, 1, 17, 12, 0, 0, 0, loc), step)
			var log []string
			for _, d := range got {
				log = append(log, d.at.In(loc).Format("01-02 15:04:05")+" naming "+d.date)
			}
			// The 15th's digest was sent at 09:00; the next comes at 18:00
			// on the 16th (within one interval).
			want := time.Date(2024, 1, 16, 18, 0, 0, 0, loc)
			if len(got) != 1 || got[0].at.Before(want) || got[0].at.After(want.Add(step)) || got[0].date != "2024-01-16" {
				t.Errorf("after moving the digest from 09:00 (sent) to 18:00 on the 15th, digests went out at: %v; want one, at 01-16 18:00 naming 2024-01-16", log)
			}
		})
	}
}

// A chat that refuses the bot's messages (Send says ErrChatGone) is
// unsubscribed, and nothing is tried again.
func TestSchedulerChatGone(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
	r := newRig(t, clk)
	var outcomes []digest.Outcome
	r.s.Observe = func(o digest.Outcome) { outcomes = append(outcomes, o) }
	const chat = 4747
	subscribe(t, r, chat, "09:00")
	r.out.failNext(fmt.Errorf("%w: Forbidden: bot was blocked by the user (403)", digest.ErrChatGone))
	if got := run(t, r, time.Date(2024, 1, 15, 9, 0, 0, 0, loc), time.Date(2024, 1, 16, 12, 0, 0, 0, loc), time.Minute); len(got) != 0 {
		t.Errorf("digests sent to a chat that is gone: %+v", got)
	}
	if _, ok, _ := r.mem.Subscription(context.Background(), chat); ok {
		t.Error("the subscription of a chat that is gone was kept")
	}
	if len(outcomes) != 1 || outcomes[0] != digest.Gone {
		t.Errorf("outcomes %v, want one %q", outcomes, digest.Gone)
	}
}

// A send refused with a retry-after longer than the minute a failed send
// waits is tried again once that time has passed, and not before.
func TestSchedulerRetryAfter(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
	r := newRig(t, clk)
	const chat = 4848
	subscribe(t, r, chat, "09:00")
	r.out.failNext(&digest.RetryAfterError{After: 5 * time.Minute, Err: errors.New("Too Many Requests (429)")})
	due := time.Date(2024, 1, 15, 9, 0, 0, 0, loc)
	got := run(t, r, due, due.Add(10*time.Minute), 10*time.Second)
	if len(got) != 1 {
		t.Fatalf("after a 429 with retry after 5m: %+v, want one digest", got)
	}
	if d := got[0].at.Sub(due); d < 5*time.Minute || d > 5*time.Minute+10*time.Second {
		t.Errorf("retried after %v, want 5m", d)
	}
}

// Shutdown stops Run from looking again and waits for a digest being sent;
// Run then returns ErrSchedulerClosed, and so does a later Run.
func TestSchedulerShutdown(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
	r := newRig(t, clk)
	subscribe(t, r, 4949, "09:00")
	clk.Set(time.Date(2024, 1, 15, 9, 0, 0, 0, loc))
	started, release := make(chan struct{}), make(chan struct{})
	send := r.s.Send
	r.s.Send = func(ctx context.Context, chat digest.Chat, html string, sending func(context.Context) error) error {
		close(started)
		<-release
		return send(ctx, chat, html, sending)
	}
	r.s.Interval = time.Hour
	ran := make(chan error, 1)
	go func() { ran <- r.s.Run(context.Background()) }()
	<-started
	shut := make(chan error, 1)
	go func() { shut <- r.s.Shutdown(context.Background()) }()
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a digest was being sent", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-ran; !errors.Is(err, digest.ErrSchedulerClosed) {
		t.Errorf("Run after Shutdown returned %v, want ErrSchedulerClosed", err)
	}
	if n := r.out.count(); n != 1 {
		t.Errorf("%d digests sent, want the one under way", n)
	}
	if err := r.s.Run(context.Background()); !errors.Is(err, digest.ErrSchedulerClosed) {
		t.Errorf("Run on a closed scheduler returned %v", err)
	}
}

// A send that may have delivered the digest (no answer came) counts as
// sent: the chat does not get it again that day, and gets tomorrow's.
func TestSchedulerMaybeSentNotRepeated(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
	r := newRig(t, clk)
	const chat = 4545
	subscribe(t, r, chat, "09:00")
	r.out.failNext(fmt.Errorf("%w: telegram sendMessage: Post failed: timeout", digest.ErrMaybeSent))
	got := run(t, r, time.Date(2024, 1, 15, 9, 0, 0, 0, loc), time.Date(2024, 1, 16, 9, 30, 0, 0, loc), 10*time.Second)
	if len(got) != 1 || got[0].date != "2024-01-16" {
		t.Fatalf("after a send that may have delivered: %+v, want only the next day's digest", got)
	}
	// It was recorded as being sent before the request: no other replica
	// could claim it.
	if ok, _ := r.mem.ClaimDigest(context.Background(), chat, "2024-01-15"); ok {
		t.Error("the digest that may have been delivered could be claimed again")
	}
}
