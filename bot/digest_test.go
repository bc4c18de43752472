package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"reportbot/config"
	"reportbot/handlers"
	"reportbot/retrieval"
	"reportbot/retrieval/retrievaltest"
	"reportbot/store"
	"reportbot/telegramtest"
)

const testToken = "123456789:TESTtoken_abcdefghijklmnopqrstuv"

// clock is a settable clock shared by the scheduler and the memory store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func seedIndex(t *testing.T) *retrieval.Index { return retrievaltest.Index(t, nil) }

// digestBot is a Bot on a test server with a memory store, both on clk.
// Its scheduler is not started: tests call sendDue at the times they set.
func digestBot(t *testing.T, clk *clock) (*Bot, *telegramtest.Server, *store.Memory) {
	t.Helper()
	srv := telegramtest.New(testToken)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_API_URL": srv.URL(), "DIGEST_TZ": "Asia/Shanghai"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory(store.MemoryOptions{Now: clk.Now})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	svc := &handlers.Service{Answerer: &handlers.Answerer{Index: seedIndex(t), Store: mem, TTL: time.Hour}, Store: mem, TZ: cfg.DigestTZ, Now: clk.Now, Log: log}
	b, err := New(Options{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, DigestTZ: cfg.DigestTZ, Service: svc, Store: mem, Log: log, Now: clk.Now, SendRate: rate.Inf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.cancel(); b.out.close(); b.digests.close() })
	return b, srv, mem
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// digestSent is one digest the test server accepted.
type digestSent struct {
	chat int64
	at   time.Time // the fake clock when it was sent
	date string    // the date the digest names
}

// tick runs the scheduler once at t and returns the digests it sent.
func tick(t *testing.T, b *Bot, srv *telegramtest.Server, clk *clock, at time.Time) []digestSent {
	t.Helper()
	before := len(srv.Requests())
	clk.Set(at)
	b.sendDue(b.ctx)
	var out []digestSent
	for _, r := range srv.Requests()[before:] {
		if !strings.EqualFold(r.Method, "sendMessage") || !r.OK() {
			continue
		}
		var m telegramtest.Message
		if err := json.Unmarshal(r.Result, &m); err != nil {
			t.Fatal(err)
		}
		if rest, ok := strings.CutPrefix(m.Text, "每日一读 · "); ok {
			out = append(out, digestSent{chat: m.Chat.ID, at: at, date: rest[:10]})
		}
	}
	return out
}

func subscribe(t *testing.T, b *Bot, chat int64, args string) {
	t.Helper()
	r := b.svc.Subscribe(context.Background(), handlers.Chat{ID: chat}, store.Subscription{ChatID: chat, Lang: "zh", By: chat}, args, b.cfg.DigestTZ)
	if len(r.Messages) != 1 || !strings.Contains(r.Messages[0], "已订阅") {
		t.Fatalf("/subscribe %s: %v", args, r.Messages)
	}
}

// run steps the clock from start to end by step, running the scheduler at
// each step, and returns every digest sent.
func run(t *testing.T, b *Bot, srv *telegramtest.Server, clk *clock, start, end time.Time, step time.Duration) []digestSent {
	t.Helper()
	var out []digestSent
	for at := start; at.Before(end); at = at.Add(step) {
		out = append(out, tick(t, b, srv, clk, at)...)
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
	b, srv, _ := digestBot(t, clk)
	const chat = 4242
	srv.AddChat(telegramtest.Chat{ID: chat, Type: "private", FirstName: "U"})
	subscribe(t, b, chat, "09:00")
	got := run(t, b, srv, clk, clk.Now(), time.Date(2024, 1, 18, 12, 0, 0, 0, loc), 5*time.Minute)
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
	if again := tick(t, b, srv, clk, clk.Now()); len(again) != 0 {
		t.Errorf("a second look at the same moment sent %+v", again)
	}
}

// After downtime: a digest due earlier the same day goes out late, once; one
// due on a past day is skipped, and the next comes at its time.
func TestSchedulerDowntime(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 7, 0, 0, 0, loc)}
	b, srv, mem := digestBot(t, clk)
	const chat = 4343
	srv.AddChat(telegramtest.Chat{ID: chat, Type: "private", FirstName: "U"})
	subscribe(t, b, chat, "09:00")

	// Down from 08:00 to 15:00: the 09:00 digest comes at 15:00.
	got := tick(t, b, srv, clk, time.Date(2024, 1, 15, 15, 0, 0, 0, loc))
	if len(got) != 1 || got[0].date != "2024-01-15" {
		t.Fatalf("after downtime the same day: %+v, want the digest of 2024-01-15", got)
	}
	// Down from 08:00 on the 16th to 08:00 on the 17th: the 16th's is
	// skipped, the 17th's comes at 09:00.
	if got := tick(t, b, srv, clk, time.Date(2024, 1, 17, 8, 0, 0, 0, loc)); len(got) != 0 {
		t.Fatalf("a digest of a past day was sent: %+v", got)
	}
	if _, ok, _ := mem.Subscription(context.Background(), chat); !ok {
		t.Fatal("skipping a past day ended the subscription")
	}
	got = run(t, b, srv, clk, time.Date(2024, 1, 17, 8, 0, 0, 0, loc), time.Date(2024, 1, 17, 12, 0, 0, 0, loc), time.Minute)
	if len(got) != 1 || got[0].date != "2024-01-17" || !got[0].at.Equal(time.Date(2024, 1, 17, 9, 0, 0, 0, loc)) {
		t.Fatalf("after a skipped day: %+v, want the 17th's at 09:00", got)
	}
}

// A send that fails and may be retried gives the claim back and is sent
// once, a minute later.
func TestSchedulerRetry(t *testing.T) {
	loc := sh(t)
	clk := &clock{t: time.Date(2024, 1, 15, 8, 0, 0, 0, loc)}
	b, srv, _ := digestBot(t, clk)
	const chat = 4444
	srv.AddChat(telegramtest.Chat{ID: chat, Type: "private", FirstName: "U"})
	subscribe(t, b, chat, "09:00")
	srv.FailNext("sendMessage", 1, 400, 0)
	got := run(t, b, srv, clk, time.Date(2024, 1, 15, 9, 0, 0, 0, loc), time.Date(2024, 1, 15, 9, 5, 0, 0, loc), 10*time.Second)
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
			b, srv, _ := digestBot(t, clk)
			const chat = 4545
			srv.AddChat(telegramtest.Chat{ID: chat, Type: "private", FirstName: "U"})
			subscribe(t, b, chat, tc.hhmm+" America/New_York")
			got := run(t, b, srv, clk, tc.start, tc.start.AddDate(0, 0, 5), 10*time.Minute)
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
			b, srv, _ := digestBot(t, clk)
			const chat = 4646
			srv.AddChat(telegramtest.Chat{ID: chat, Type: "private", FirstName: "U"})
			subscribe(t, b, chat, "09:00")
			if got := tick(t, b, srv, clk, time.Date(2024, 1, 15, 9, 0, 0, 0, loc)); len(got) != 1 {
				t.Fatalf("09:00: %+v", got)
			}
			clk.Set(time.Date(2024, 1, 15, 10, 0, 0, 0, loc))
			subscribe(t, b, chat, "18:00")
			got := run(t, b, srv, clk, time.Date(2024, 1, 15, 10, 0, 0, 0, loc), time.Date(2024, 1, 17, 12, 0, 0, 0, loc), step)
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
