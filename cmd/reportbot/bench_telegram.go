package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"time"

	"golang.org/x/time/rate"
	tele "gopkg.in/telebot.v3"

	"reportbot/bot"
	"reportbot/config"
	"reportbot/handlers"
	"reportbot/retrieval"
	"reportbot/store"
	"reportbot/telegramtest"
)

// The Telegram step: updates handled a second end to end, our bot against
// a bare telebot echo bot, both long-polling telegramtest on 127.0.0.1 in
// this process, measured the same way in the same run.

// targetTelegramRatio is the goal: our updates/s at least this share of
// the echo bot's.
const targetTelegramRatio = 0.6

// benchTelegramChats is how many private chats (one user each) the
// updates come from.
const benchTelegramChats = 200

const benchTelegramPacing = "pacing off: Telegram's 30 msg/s limit would cap every bot at 30 updates/s"

// benchTelegram is the Telegram step, as printed by --json.
type benchTelegram struct {
	Updates  int                 `json:"updates"`
	Chats    int                 `json:"chats"`
	Pacing   string              `json:"pacing"`
	Goal     float64             `json:"goal_ratio"`
	CacheOff benchTelegramRun    `json:"ours_cache_off"`
	CacheOn  benchTelegramRun    `json:"ours_cache_on"`
	Echo     benchTelegramRun    `json:"echo"`
	Verdicts []benchTelegramGoal `json:"goals"`
}

// benchTelegramRun is one bot's run: Updates answered in Seconds, from
// the first update pushed to the last one's first reply recorded.
type benchTelegramRun struct {
	Updates   int     `json:"updates"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"updates_per_s"`
	// Ratio is updates/s over the echo bot's (ours only).
	Ratio float64 `json:"ratio_to_echo,omitempty"`
}

type benchTelegramGoal struct {
	Name  string  `json:"name"`
	Ratio float64 `json:"ratio"`
	Met   bool    `json:"met"`
}

// benchTelegramToken is a token of the shape config.CheckServe wants.
const benchTelegramToken = "123456789:AAbench_token_for_apitest_0000"

// benchTelegramMeasure runs the step: n private text questions (cycling
// over retrieval.BenchQuestions, spread over up to benchTelegramChats
// chats) to the echo bot, to ours with the answer cache off and to ours
// with it on (warmed with every question), each against a fresh test
// server.
func benchTelegramMeasure(ctx context.Context, ix *retrieval.Index, n int, say func(string, ...any)) (*benchTelegram, error) {
	res := &benchTelegram{Updates: n, Chats: min(n, benchTelegramChats), Pacing: benchTelegramPacing, Goal: targetTelegramRatio}
	var err error
	say("telegram: %d updates to a bare telebot echo bot", n)
	if res.Echo, err = benchTelegramEcho(ctx, n); err != nil {
		return nil, fmt.Errorf("bench: telegram, echo bot: %w", err)
	}
	say("telegram: %d updates to reportbot, cache off (%s)", n, benchTelegramPacing)
	if res.CacheOff, err = benchTelegramOurs(ctx, ix, n, false); err != nil {
		return nil, fmt.Errorf("bench: telegram, ours, cache off: %w", err)
	}
	say("telegram: %d updates to reportbot, cache on", n)
	if res.CacheOn, err = benchTelegramOurs(ctx, ix, n, true); err != nil {
		return nil, fmt.Errorf("bench: telegram, ours, cache on: %w", err)
	}
	for _, r := range []*benchTelegramRun{&res.CacheOff, &res.CacheOn} {
		if res.Echo.PerSecond > 0 {
			r.Ratio = r.PerSecond / res.Echo.PerSecond
		}
	}
	res.Verdicts = []benchTelegramGoal{
		{Name: "ours/echo, cache off", Ratio: res.CacheOff.Ratio, Met: res.CacheOff.Ratio >= targetTelegramRatio},
		{Name: "ours/echo, cache on", Ratio: res.CacheOn.Ratio, Met: res.CacheOn.Ratio >= targetTelegramRatio},
	}
	return res, nil
}

// benchTelegramOurs measures reportbot as serve builds it, with pacing off
// and a rate limit that never refuses. Its store (memory) de-duplicates
// updates and counts; cached says whether the Answerer caches in it too.
func benchTelegramOurs(ctx context.Context, ix *retrieval.Index, n int, cached bool) (benchTelegramRun, error) {
	srv := telegramtest.New(benchTelegramToken)
	if err := srv.Start(); err != nil {
		return benchTelegramRun{}, err
	}
	defer srv.Close()
	env := map[string]string{
		"TELEGRAM_TOKEN":   benchTelegramToken,
		"TELEGRAM_API_URL": srv.URL(),
		"HTTP_ADDR":        "127.0.0.1:0",
		"RATE_LIMIT":       "1000000",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return benchTelegramRun{}, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := store.NewMemory(store.MemoryOptions{})
	defer st.Close()
	answerer := &handlers.Answerer{Index: ix, TTL: cfg.CacheTTL, Log: quiet}
	if cached {
		answerer.Store = st
	}
	svc := &handlers.Service{Answerer: answerer, Store: st, Log: quiet, TZ: cfg.DigestTZ}
	if cached {
		for _, q := range retrieval.BenchQuestions {
			if _, err := svc.Ask(ctx, handlers.Chat{ID: 1}, q); err != nil {
				return benchTelegramRun{}, err
			}
			if ans, err := answerer.Answer(ctx, q, handlers.CachedPassages); err != nil || !ans.Cached {
				return benchTelegramRun{}, fmt.Errorf("%q is not cached after warming (err %v, store errors %d)", q, err, answerer.StoreErrors.Load())
			}
		}
	}
	b, err := bot.New(bot.Options{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, HTTPAddr: cfg.HTTPAddr, RateLimit: cfg.RateLimit, Service: svc, Store: st, Log: quiet, SendRate: rate.Inf})
	if err != nil {
		return benchTelegramRun{}, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- b.Run(runCtx) }()
	r, err := benchTelegramDrive(ctx, srv, n)
	cancel()
	if rerr := <-ran; err == nil && rerr != nil {
		err = fmt.Errorf("bot stopped: %w", rerr)
	}
	return r, err
}

// benchTelegramEcho measures a bare telebot bot that echoes every text,
// telebot's defaults otherwise (handlers run asynchronously).
func benchTelegramEcho(ctx context.Context, n int) (benchTelegramRun, error) {
	srv := telegramtest.New(benchTelegramToken)
	if err := srv.Start(); err != nil {
		return benchTelegramRun{}, err
	}
	defer srv.Close()
	b, err := tele.NewBot(tele.Settings{
		URL:     srv.URL(),
		Token:   benchTelegramToken,
		Poller:  &tele.LongPoller{Timeout: time.Second},
		OnError: func(error, tele.Context) {},
	})
	if err != nil {
		return benchTelegramRun{}, err
	}
	b.Handle(tele.OnText, func(c tele.Context) error { return c.Send(c.Text()) })
	started := make(chan struct{})
	go func() { defer close(started); b.Start() }()
	r, err := benchTelegramDrive(ctx, srv, n)
	b.Stop()
	<-started
	return r, err
}

// benchTelegramDrive warms the bot up (a few questions from chats outside
// the measured ones, until answered), then pushes n questions from
// benchTelegramChats private chats and times them from the first push
// until every one has its first reply recorded by srv.
func benchTelegramDrive(ctx context.Context, srv *telegramtest.Server, n int) (benchTelegramRun, error) {
	const (
		warmBase  = 9_000_000 // warm-up users (= chat IDs)
		benchBase = 7_000_000 // measured users
		warmN     = 20
	)
	qs := retrieval.BenchQuestions
	wait := func(from int64, chats, want int) error {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		got := benchTelegramCounter(from, chats)
		_, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return got(r) >= want })
		return err
	}
	for i := range warmN {
		srv.PushUpdate(srv.PrivateText(warmBase+int64(i), qs[i%len(qs)]))
	}
	if err := wait(warmBase, warmN, warmN); err != nil {
		return benchTelegramRun{}, fmt.Errorf("warm-up: %w", err)
	}
	runtime.GC()

	chats := min(n, benchTelegramChats)
	updates := make([]telegramtest.Update, n)
	for i := range n {
		updates[i] = srv.PrivateText(benchBase+int64(i%chats), qs[i%len(qs)])
	}
	start := time.Now()
	for _, u := range updates {
		srv.PushUpdate(u)
	}
	if err := wait(benchBase, chats, n); err != nil {
		return benchTelegramRun{}, err
	}
	took := time.Since(start)
	return benchTelegramRun{Updates: n, Seconds: took.Seconds(), PerSecond: float64(n) / took.Seconds()}, nil
}

// benchTelegramCounter returns a function to call on every recorded
// request, in order, that says how many updates from chats from … from+
// chats-1 were answered so far: a successful sendMessage replying to a
// message not replied to before (an answer may be several messages, each
// a reply to the question), or, for a bot that does not reply, any
// successful sendMessage.
func benchTelegramCounter(from int64, chats int) func(telegramtest.Request) int {
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

// printBenchTelegram prints the Telegram step: a row per bot (updates,
// seconds, updates/s, and ours over echo), then the goal.
func printBenchTelegram(w io.Writer, t *benchTelegram) {
	row := func(label string, values ...string) {
		fmt.Fprintf(w, "  %-34s", label)
		for _, v := range values {
			fmt.Fprintf(w, " %12s", v)
		}
		fmt.Fprintln(w)
	}
	run := func(label string, r benchTelegramRun, ratio bool) {
		vs := []string{strconv.Itoa(r.Updates), fmt.Sprintf("%.3f", r.Seconds), fmt.Sprintf("%.1f", r.PerSecond)}
		if ratio {
			vs = append(vs, fmt.Sprintf("%.2f", r.Ratio))
		}
		row(label, vs...)
	}
	fmt.Fprintf(w, "telegram: updates handled end to end, long polling against telegramtest on 127.0.0.1; %d private text questions from %d chats, timed from the first pushed to the last one's first reply recorded\n", t.Updates, t.Chats)
	fmt.Fprintf(w, "  %s\n", t.Pacing)
	row("", "updates", "seconds", "updates/s", "ours/echo")
	run("ours, cache off", t.CacheOff, true)
	run("ours, cache on", t.CacheOn, true)
	run("echo, bare telebot", t.Echo, false)
	for _, g := range t.Verdicts {
		verdict := map[bool]string{true: "met", false: "NOT MET"}[g.Met]
		row(fmt.Sprintf("goal %s ≥ %.2f", g.Name, t.Goal), fmt.Sprintf("%.2f", g.Ratio), verdict)
	}
	fmt.Fprintln(w)
}
