package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"
	tele "gopkg.in/telebot.v3"

	"reportbot/bench"
	"reportbot/bot"
	"reportbot/config"
	"reportbot/handlers"
	"reportbot/retrieval"
	"reportbot/retrieval/retrievaltest"
	"reportbot/store"
	"reportbot/telegramtest"
)

// Telegram throughput: updates handled a second end to end, our bot
// against a bare telebot echo bot, both long-polling telegramtest on
// 127.0.0.1 and measured the same way in the same run. Unlike the rest of
// this package the bots run in this process, not as the binary: ours is
// built as serve builds it, so both bots are measured alike, and a
// -cpuprofile shows the bot's own code.
//
//	go test ./e2e -run '^$' -bench Telegram -benchtime 2000x
//
// Each sub-benchmark pushes b.N private text questions at once (cycling
// over bench.Questions, from up to throughputChats chats) and times them
// from the first pushed until each has its first reply recorded; it
// reports updates/s, and ours its share of the echo bot's (ours/echo),
// whose goal is throughputGoal. Our bot's pacing is off: Telegram's
// 30 msg/s limit would cap every bot at 30 updates/s.

// throughputGoal is the goal: our updates/s at least this share of the
// echo bot's.
const throughputGoal = 0.6

// throughputChats is how many private chats (one user each) the updates
// come from.
const throughputChats = 200

// BenchmarkTelegramUpdates measures the echo bot first, so that ours can
// be given as a share of it.
func BenchmarkTelegramUpdates(b *testing.B) {
	ix := retrievaltest.Index(b, nil)
	ctx := context.Background()
	measure := func(b *testing.B, start throughputStart) float64 {
		took, err := throughputRun(ctx, start, b.N, b)
		if err != nil {
			b.Fatal(err)
		}
		perSecond := float64(b.N) / took.Seconds()
		b.ReportMetric(perSecond, "updates/s")
		return perSecond
	}
	// The echo bot's updates/s by b.N: ours is compared with the echo
	// run of as many updates, or else with the echo bot's largest run.
	echo := map[int]float64{}
	echoLargest := 0
	b.Run("echo", func(b *testing.B) {
		echo[b.N] = measure(b, startEchoBot)
		echoLargest = max(echoLargest, b.N)
	})
	b.Run("ours", func(b *testing.B) {
		for _, cached := range []bool{false, true} {
			name := map[bool]string{false: "cache-off", true: "cache-on"}[cached]
			b.Run(name, func(b *testing.B) {
				perSecond := measure(b, func(srv *telegramtest.Server) (func() error, error) {
					return startOurBot(ctx, srv, ix, cached)
				})
				e, ok := echo[b.N]
				if !ok {
					e = echo[echoLargest]
				}
				if e > 0 {
					ratio := perSecond / e
					b.ReportMetric(ratio, "ours/echo")
					b.Logf("%d updates, pacing off: ours/echo %.2f, goal ≥ %.2f: %s", b.N, ratio, throughputGoal,
						map[bool]string{true: "met", false: "NOT MET"}[ratio >= throughputGoal])
				}
			})
		}
	})
}

// TestTelegramThroughput runs the measurement on a few hundred updates for
// each bot, checking that every update is answered and the figures are
// numbers, never how fast anything is.
func TestTelegramThroughput(t *testing.T) {
	ix := retrievaltest.Index(t, nil)
	ctx := context.Background()
	const n = 200
	measure := func(name string, start throughputStart) float64 {
		t.Helper()
		took, err := throughputRun(ctx, start, n, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		perSecond := float64(n) / took.Seconds()
		if took <= 0 || perSecond <= 0 {
			t.Errorf("%s: %d updates in %s", name, n, took)
		}
		t.Logf("%s: %d updates from %d chats in %s, %.1f updates/s", name, n, min(n, throughputChats), took, perSecond)
		return perSecond
	}
	echo := measure("echo, bare telebot", startEchoBot)
	for _, cached := range []bool{false, true} {
		name := "ours, cache " + map[bool]string{false: "off", true: "on"}[cached]
		ours := measure(name, func(srv *telegramtest.Server) (func() error, error) { return startOurBot(ctx, srv, ix, cached) })
		if ratio := ours / echo; ratio <= 0 {
			t.Errorf("%s: ours/echo %.2f, want a positive ratio", name, ratio)
		}
	}
}

// throughputStart starts a bot long-polling srv; stop stops it and says
// why it stopped, if not because it was told to.
type throughputStart func(srv *telegramtest.Server) (stop func() error, _ error)

// throughputRun starts a test server and a bot on it, warms the bot up and
// times n updates through it. timer, when not nil, is a benchmark's: it
// runs only while the n updates are.
func throughputRun(ctx context.Context, start throughputStart, n int, timer interface {
	ResetTimer()
	StopTimer()
}) (time.Duration, error) {
	srv := telegramtest.New(token)
	if err := srv.Start(); err != nil {
		return 0, err
	}
	defer srv.Close()
	stop, err := start(srv)
	if err != nil {
		return 0, err
	}
	var took time.Duration
	if err = throughputWarmUp(ctx, srv); err == nil {
		if timer != nil {
			timer.ResetTimer()
		}
		took, err = throughputDrive(ctx, srv, n)
		if timer != nil {
			timer.StopTimer()
		}
	}
	if serr := stop(); err == nil {
		err = serr
	}
	return took, err
}

// startOurBot starts reportbot as serve builds it, long-polling srv, with
// pacing off and a rate limit that never refuses. Its store (memory)
// de-duplicates updates and counts; cached says whether the Answerer
// caches in it too (warmed with every question). stop stops the bot and
// says why it stopped, if not because it was told to.
func startOurBot(ctx context.Context, srv *telegramtest.Server, ix *retrieval.Index, cached bool) (stop func() error, _ error) {
	env := map[string]string{
		"TELEGRAM_TOKEN":   token,
		"TELEGRAM_API_URL": srv.URL(),
		"HTTP_ADDR":        "127.0.0.1:0",
		"RATE_LIMIT":       "1000000",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := store.NewMemory(store.MemoryOptions{})
	answerer := &handlers.Answerer{Index: ix, TTL: cfg.CacheTTL, Log: quiet}
	if cached {
		answerer.Store = st
	}
	svc := &handlers.Service{Answerer: answerer, Store: st, Log: quiet, TZ: cfg.DigestTZ}
	if cached {
		for _, q := range bench.Questions {
			if _, err := svc.Ask(ctx, handlers.Chat{ID: 1}, q); err != nil {
				st.Close()
				return nil, err
			}
			if ans, err := answerer.Answer(ctx, q, handlers.CachedPassages); err != nil || !ans.Cached {
				st.Close()
				return nil, fmt.Errorf("%q is not cached after warming (err %v, store errors %d)", q, err, answerer.StoreErrors.Load())
			}
		}
	}
	b, err := bot.New(bot.Options{
		Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, HTTPAddr: cfg.HTTPAddr,
		RateLimit: cfg.RateLimit, ShutdownTimeout: cfg.ShutdownTimeout, DigestTZ: cfg.DigestTZ,
		Service: svc, Store: st, Log: quiet,
		SendRate: rate.Inf, // the test server has no flood limits: measure the bot, not the pacing
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- b.Run(runCtx) }()
	return func() error {
		cancel()
		err := <-ran
		st.Close()
		if err != nil {
			return fmt.Errorf("bot stopped: %w", err)
		}
		return nil
	}, nil
}

// startEchoBot starts a bare telebot bot that echoes every text, long-polling
// srv, with telebot's defaults otherwise (handlers run asynchronously).
func startEchoBot(srv *telegramtest.Server) (stop func() error, _ error) {
	b, err := tele.NewBot(tele.Settings{
		URL:     srv.URL(),
		Token:   token,
		Poller:  &tele.LongPoller{Timeout: time.Second},
		OnError: func(error, tele.Context) {},
	})
	if err != nil {
		return nil, err
	}
	b.Handle(tele.OnText, func(c tele.Context) error { return c.Send(c.Text()) })
	started := make(chan struct{})
	go func() { defer close(started); b.Start() }()
	return func() error {
		b.Stop()
		<-started
		return nil
	}, nil
}

// Users (= chat IDs) of the warm-up and of the measured updates, apart so
// that the warm-up's replies are not counted.
const (
	throughputWarmBase = 9_000_000
	throughputBase     = 7_000_000
	throughputWarmN    = 20
)

// throughputWarmUp sends the bot a few questions from chats outside the measured
// ones and waits until they are answered.
func throughputWarmUp(ctx context.Context, srv *telegramtest.Server) error {
	qs := bench.Questions
	for i := range throughputWarmN {
		srv.PushUpdate(srv.PrivateText(throughputWarmBase+int64(i), qs[i%len(qs)]))
	}
	if err := throughputWait(ctx, srv, throughputWarmBase, throughputWarmN, throughputWarmN); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	runtime.GC()
	return nil
}

// throughputDrive pushes n questions from up to throughputChats private chats and
// says how long it took from the first push until every one had its first
// reply recorded by srv.
func throughputDrive(ctx context.Context, srv *telegramtest.Server, n int) (time.Duration, error) {
	qs := bench.Questions
	chats := min(n, throughputChats)
	updates := make([]telegramtest.Update, n)
	for i := range n {
		updates[i] = srv.PrivateText(throughputBase+int64(i%chats), qs[i%len(qs)])
	}
	start := time.Now()
	for _, u := range updates {
		srv.PushUpdate(u)
	}
	if err := throughputWait(ctx, srv, throughputBase, chats, n); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// throughputWait waits until want updates from chats from … from+chats-1
// are answered.
func throughputWait(ctx context.Context, srv *telegramtest.Server, from int64, chats, want int) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	got := throughputCounter(from, chats)
	_, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return got(r) >= want })
	return err
}

// throughputCounter returns a function to call on every recorded request,
// in order, that says how many updates from chats from … from+chats-1
// were answered so far: a successful sendMessage replying to a message
// not replied to before (an answer may be several messages, each a reply
// to the question), or, for a bot that does not reply, any successful
// sendMessage.
func throughputCounter(from int64, chats int) func(telegramtest.Request) int {
	type key struct{ chat, msg int64 }
	seen := map[key]bool{}
	return func(r telegramtest.Request) int {
		if r.Method == "sendMessage" && r.OK() {
			chat, err := strconv.ParseInt(r.String("chat_id"), 10, 64)
			if err == nil && chat >= from && chat < from+int64(chats) {
				k := key{chat, r.Int("reply_to_message_id")}
				if rp, ok := r.Object("reply_parameters").(map[string]any); ok && k.msg == 0 {
					k.msg, _ = strconv.ParseInt(fmt.Sprint(rp["message_id"]), 10, 64)
				}
				if k.msg == 0 {
					k.msg = -int64(r.Seq) // not a reply: each message counts
				}
				seen[k] = true
			}
		}
		return len(seen)
	}
}
