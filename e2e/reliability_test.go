package e2e

// Nothing lost, nothing twice, no one starved: the real binary through
// crashes (kill -9), SIGTERM with a short shutdown timeout, long Telegram
// outages (429, 5xx, unreachable), floods, and two replicas sharing one
// send budget. Every loop of requests is bounded in count and in time;
// latency is only ever compared with a baseline measured in the same test.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"reportbot/store/redistest"
	"reportbot/telegramtest"
)

var shortQuestions = []string{gdpQuestion, "渝中有多少人才?", "2024年GDP增长目标是多少?"}

// pushQuestions queues n private questions from chats base … base+chats-1,
// in turn.
func pushQuestions(srv *telegramtest.Server, n, chats int, base int64) []asked {
	var all []asked
	for i := range n {
		chat := base + int64(i%chats)
		u := srv.PrivateText(chat, shortQuestions[i%len(shortQuestions)])
		srv.PushUpdate(u)
		all = append(all, asked{chat, u.Message.MessageID})
	}
	return all
}

// replyCounts counts the successful replies to each question of all.
func replyCounts(srv *telegramtest.Server, all []asked) map[asked]int {
	want := map[asked]bool{}
	for _, a := range all {
		want[a] = true
	}
	n := map[asked]int{}
	for _, r := range srv.Requests() {
		if strings.EqualFold(r.Method, "sendMessage") && r.OK() {
			if a := (asked{r.Int("chat_id"), replyTo(r)}); want[a] {
				n[a]++
			}
		}
	}
	return n
}

// lostAndTwice lists the questions never answered and those answered more
// than once.
func lostAndTwice(all []asked, n map[asked]int) (lost, twice []asked) {
	for _, a := range all {
		switch {
		case n[a] == 0:
			lost = append(lost, a)
		case n[a] > 1:
			twice = append(twice, a)
		}
	}
	return lost, twice
}

// waitAnswered waits until every question of all has a reply.
func waitAnswered(t *testing.T, ctx context.Context, srv *telegramtest.Server, all []asked, what string) {
	t.Helper()
	waitUntil(t, ctx, what, func() (bool, string) {
		lost, _ := lostAndTwice(all, replyCounts(srv, all))
		return len(lost) == 0, fmt.Sprintf("%d of %d not answered", len(lost), len(all))
	})
}

// waitSends waits until at least n sendMessage calls succeeded.
func waitSends(t *testing.T, ctx context.Context, srv *telegramtest.Server, n int) {
	t.Helper()
	seen := 0
	if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		if strings.EqualFold(r.Method, "sendMessage") && r.OK() {
			seen++
		}
		return seen >= n
	}); err != nil {
		t.Fatalf("fewer than %d answers: %v", n, err)
	}
}

// quiet waits until no sendMessage has completed for d.
func quiet(t *testing.T, ctx context.Context, srv *telegramtest.Server, d time.Duration) {
	t.Helper()
	waitUntil(t, ctx, "no more answers", func() (bool, string) {
		last := time.Time{}
		for _, r := range calls(srv, "sendMessage") {
			if r.Time.After(last) {
				last = r.Time
			}
		}
		return time.Since(last) >= d, fmt.Sprintf("last answer %v ago", time.Since(last).Round(time.Millisecond))
	})
}

func (p *proc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatal(err)
	}
	<-p.done
}

// TestCrashMidLoad: kill -9 while answering, then a new process on the
// same Redis: no question is lost, and at most those in flight at the
// kill (one a chat) are answered twice. The mark of an update means
// "answered", set once its reply is out.
func TestCrashMidLoad(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			rdb := redistest.Start(t)
			var opts []telegramtest.Option
			if mode == "webhook" {
				// Telegram retries a failed delivery for a long while.
				opts = append(opts, telegramtest.WebhookRetry(12, 100*time.Millisecond))
			}
			srv := newServer(t, opts...)
			env := []string{"REDIS_URL=" + rdb.URL(), "SEND_RATE=600", "RATE_LIMIT=1000"}
			if mode == "webhook" {
				port := strconv.Itoa(freePort(t))
				env = append(env, "WEBHOOK_URL=http://127.0.0.1:"+port+"/hook", "WEBHOOK_SECRET=crash_secret", "WEBHOOK_LISTEN=127.0.0.1:"+port)
			}
			ctx := timeout(t, 60*time.Second)
			const chats = 40
			n := 400
			if mode == "webhook" {
				n = 150 // Telegram (the test server) delivers one at a time
			}
			all := pushQuestions(srv, n, chats, 21001)
			p1 := startBot(t, srv, env...)
			waitSends(t, ctx, srv, n/4)
			p1.kill()
			killedAt := len(calls(srv, "sendMessage"))
			p2 := startBot(t, srv, env...)
			waitAnswered(t, ctx, srv, all, "every question answered after the crash")
			quiet(t, ctx, srv, 500*time.Millisecond)
			p2.stop()
			lost, twice := lostAndTwice(all, replyCounts(srv, all))
			if len(lost) > 0 {
				t.Errorf("%d questions never answered, such as %v", len(lost), lost[:min(5, len(lost))])
			}
			// At most one send a chat is on the wire at a time.
			if len(twice) > chats {
				t.Errorf("%d questions answered twice, more than the %d that could have been in flight", len(twice), chats)
			}
			t.Logf("%s: %d questions, %d sends before the kill, %d answered twice (in flight at the kill)", mode, n, killedAt, len(twice))
		})
	}
}

// TestShutdownWithoutRedis: SIGTERM with a short SHUTDOWN_TIMEOUT and no
// Redis: the offset confirmed is past everything answered and holds back
// only what was not started, so the next process answers the rest and
// nothing twice. What was started and not answered within the timeout is
// lost, and the first process names each such update in its log.
func TestShutdownWithoutRedis(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := timeout(t, 60*time.Second)
	ids := map[asked]int64{}
	var all []asked
	for i := range 100 {
		chat := int64(22001 + i%20)
		u := srv.PrivateText(chat, shortQuestions[i%len(shortQuestions)])
		a := asked{chat, u.Message.MessageID}
		ids[a] = srv.PushUpdate(u)
		all = append(all, a)
	}
	p1 := startBot(t, srv, "SHUTDOWN_TIMEOUT=1s")
	waitSends(t, ctx, srv, 5)
	p1.sigterm()
	if code := p1.wait(30 * time.Second); code != 0 {
		t.Errorf("first bot exited %d after SIGTERM, want 0", code)
	}
	reported := map[int64]bool{}
	for _, line := range strings.Split(p1.out.String(), "\n") {
		if _, list, ok := strings.Cut(line, "not delivered again"); ok {
			if _, list, ok = strings.Cut(list, "updates=\"["); ok {
				list, _, _ = strings.Cut(list, "]")
				for _, f := range strings.Fields(list) {
					id, _ := strconv.ParseInt(f, 10, 64)
					reported[id] = true
				}
			}
		}
	}
	p2 := startBot(t, srv)
	var expected []asked
	for _, a := range all {
		if !reported[ids[a]] {
			expected = append(expected, a)
		}
	}
	waitAnswered(t, ctx, srv, expected, "every question not reported lost answered by the second bot")
	handled(t, ctx, srv, srv.PushUpdate(srv.GroupText(pokeChat, 4242, "last")))
	p2.stop()
	lost, twice := lostAndTwice(all, replyCounts(srv, all))
	if len(twice) > 0 {
		t.Errorf("%d questions answered twice after SIGTERM, such as %v", len(twice), twice[:min(5, len(twice))])
	}
	for _, a := range lost {
		if !reported[ids[a]] {
			t.Errorf("question %d in chat %d (update %d) lost without a word", a.msg, a.chat, ids[a])
		}
	}
	t.Logf("SIGTERM with SHUTDOWN_TIMEOUT=1s, no Redis: 0 twice, %d lost (named in the log)", len(lost))
	if len(lost) > 0 {
		t.Logf("first bot:\n%s", p1.out)
	}
}

// TestCrashWithoutRedis: kill -9 with no Redis and fewer than 80 updates
// waiting loses nothing: the updates not yet answered were never
// confirmed to Telegram. What repeats (README says so) are the answers
// sent after the oldest update still unanswered at the crash.
func TestCrashWithoutRedis(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := timeout(t, 60*time.Second)
	all := pushQuestions(srv, 70, 20, 23001)
	p1 := startBot(t, srv)
	waitSends(t, ctx, srv, 25)
	p1.kill()
	p2 := startBot(t, srv)
	waitAnswered(t, ctx, srv, all, "every question answered after the crash")
	handled(t, ctx, srv, srv.PushUpdate(srv.GroupText(pokeChat, 4242, "last")))
	p2.stop()
	lost, twice := lostAndTwice(all, replyCounts(srv, all))
	if len(lost) > 0 {
		t.Errorf("%d questions never answered, such as %v", len(lost), lost[:min(5, len(lost))])
	}
	if len(twice) > 45 {
		t.Errorf("%d questions answered twice, more than the 45 answered before the crash could be", len(twice))
	}
	t.Logf("without Redis, kill -9: %d of %d answered twice", len(twice), len(all))
}

// gate is a TCP proxy in front of the test server that can make the Bot
// API unreachable for a while: connections refused, open ones cut.
type gate struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newGate(t *testing.T, target string) *gate {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{t: t, target: strings.TrimPrefix(target, "http://"), addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
	g.serve(ln)
	t.Cleanup(func() { g.close() })
	return g
}

func (g *gate) URL() string { return "http://" + g.addr }

func (g *gate) serve(ln net.Listener) {
	g.mu.Lock()
	g.ln = ln
	g.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", g.target)
			if err != nil {
				c.Close()
				continue
			}
			g.mu.Lock()
			g.conns[c], g.conns[up] = true, true
			g.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ln != nil {
		g.ln.Close()
	}
	for c := range g.conns {
		c.Close()
	}
	g.conns = map[net.Conn]bool{}
}

// down makes the Bot API unreachable for d.
func (g *gate) down(d time.Duration) {
	g.close()
	go func() {
		time.Sleep(d)
		for range 50 {
			ln, err := net.Listen("tcp", g.addr)
			if err == nil {
				g.serve(ln)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
}

// TestTelegramOutages: sendMessage refused (429 with retry_after, 500) or
// the Bot API unreachable for longer than five attempts take: every answer
// still goes out, once. With a retry window shorter than the outage the
// answers are given up, their updates not confirmed, and they are answered
// when delivered again: by the next poll, or by Telegram's webhook retry
// after a 503.
func TestTelegramOutages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		env    []string
		hook   bool
		outage func(srv *telegramtest.Server, g *gate)
	}{
		{"429 retry_after 1 for 6s", nil, false, func(srv *telegramtest.Server, _ *gate) { srv.FailFor("sendMessage", 6*time.Second, 429, 1) }},
		{"500 for 8s", nil, false, func(srv *telegramtest.Server, _ *gate) { srv.FailFor("sendMessage", 8*time.Second, 500, 0) }},
		{"unreachable for 6s", nil, false, func(_ *telegramtest.Server, g *gate) { g.down(6 * time.Second) }},
		{"given up, polling", []string{"SEND_RETRY_WINDOW=2s"}, false, func(srv *telegramtest.Server, _ *gate) { srv.FailFor("sendMessage", 5*time.Second, 429, 1) }},
		{"given up, webhook", []string{"SEND_RETRY_WINDOW=2s"}, true, func(srv *telegramtest.Server, _ *gate) { srv.FailFor("sendMessage", 5*time.Second, 429, 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, telegramtest.WebhookRetry(20, 200*time.Millisecond))
			g := newGate(t, srv.URL())
			env := append([]string{"TELEGRAM_API_URL=" + g.URL()}, tc.env...)
			if tc.hook {
				port := strconv.Itoa(freePort(t))
				env = append(env, "WEBHOOK_URL=http://127.0.0.1:"+port+"/hook", "WEBHOOK_SECRET=outage_secret", "WEBHOOK_LISTEN=127.0.0.1:"+port)
			}
			p := startBot(t, nil, env...)
			ctx := timeout(t, 45*time.Second)
			if tc.hook {
				if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return strings.EqualFold(r.Method, "setWebhook") && r.OK() }); err != nil {
					t.Fatal(err)
				}
			}
			tc.outage(srv, g)
			all := pushQuestions(srv, 20, 10, 24001)
			waitAnswered(t, ctx, srv, all, "every answer out after the outage")
			quiet(t, ctx, srv, 500*time.Millisecond)
			lost, twice := lostAndTwice(all, replyCounts(srv, all))
			if len(lost) > 0 || len(twice) > 0 {
				t.Errorf("%d lost, %d answered twice", len(lost), len(twice))
			}
			given := metricValue(t, p, "reportbot_answers_given_up_total")
			if strings.Contains(tc.name, "given up") {
				if given == "" || given == "0" {
					t.Errorf("reportbot_answers_given_up_total = %q, want the answers given up counted", given)
				}
				if tc.hook {
					refused := 0
					for _, d := range srv.Deliveries() {
						if d.Status == http.StatusServiceUnavailable {
							refused++
						}
					}
					if refused == 0 {
						t.Errorf("no webhook delivery answered 503 while answers were given up")
					}
				}
			}
			p.stop()
		})
	}
}

// latencyOf asks one question in chat and returns how long until its
// reply was recorded.
func latencyOf(t *testing.T, ctx context.Context, srv *telegramtest.Server, chat int64) time.Duration {
	t.Helper()
	u := srv.PrivateText(chat, gdpQuestion)
	start := time.Now()
	srv.PushUpdate(u)
	r := waitReply(t, ctx, srv, chat, u.Message.MessageID)
	return r.Time.Sub(start)
}

// TestFloodDoesNotDelayOthers: one user floods the bot while another asks
// now and then. The other's answers take no longer than a small multiple
// of their time in the same conditions without the flood's backlog (one
// slow chat held back). The flooder gets RATE_LIMIT answers, one notice,
// and the rest is dropped silently and counted in /metrics.
func TestFloodDoesNotDelayOthers(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv, "RATE_LIMIT=6")
	ctx := timeout(t, 60*time.Second)
	const (
		flooder   = 25001
		slow      = 25002
		bystander = 25003
	)
	// Baseline: the bystander's answer time while another chat has
	// answers waiting for its pacing (a message a second).
	slowQs := pushQuestions(srv, 6, 1, slow)
	// Each question from a chat of its own, so no chat's own pacing adds
	// to it.
	var base []time.Duration
	for i := range 5 {
		base = append(base, latencyOf(t, ctx, srv, bystander+int64(i)))
	}
	waitAnswered(t, ctx, srv, slowQs, "the slow chat answered")
	// The flood: 200 questions at once, answered at a message a second.
	flood := pushQuestions(srv, 200, 1, flooder)
	var during []time.Duration
	for i := range 4 {
		during = append(during, latencyOf(t, ctx, srv, bystander+10+int64(i)))
		time.Sleep(200 * time.Millisecond)
	}
	worstBase, worst := slices.Max(base), slices.Max(during)
	t.Logf("bystander: %v without the flood, %v during it", base, during)
	if worst > 5*worstBase {
		t.Errorf("during the flood the bystander waited %v, more than 5× the %v without it", worst, worstBase)
	}
	// The flooder: 6 answers, one notice, the rest dropped and counted.
	waitUntil(t, ctx, "the flood handled", func() (bool, string) {
		v := metricValue(t, p, "reportbot_rate_limited_total")
		return v == "194", "rate limited " + v
	})
	quiet(t, ctx, srv, time.Second)
	answers, notices := 0, 0
	for _, r := range okSends(srv, flooder) {
		if strings.Contains(result(t, r).Text, "太快") {
			notices++
		} else {
			answers++
		}
	}
	if answers != 6 || notices != 1 {
		t.Errorf("flooder got %d answers and %d notices, want 6 and 1", answers, notices)
	}
	if v := metricValue(t, p, "reportbot_rate_limited_dropped_total"); v != "193" {
		t.Errorf("reportbot_rate_limited_dropped_total = %q, want 193 (200 − 6 answered − 1 noticed)", v)
	}
	if n := len(replyCounts(srv, flood)); n != 7 {
		t.Errorf("%d of the flood's questions got a reply, want 7", n)
	}
	p.stop()
}

// TestSharedSendBudget: two webhook replicas on one Redis stay together
// under one bot-wide budget (SEND_RATE a second, bursts of a tenth of
// it), and under one chat's and one group's limit, however the load
// balancer spreads the updates.
func TestSharedSendBudget(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t)
	srv := newServer(t)
	ctx := timeout(t, 60*time.Second)
	var hooks []string
	var procs []*proc
	for range 2 {
		port := strconv.Itoa(freePort(t))
		hook := "http://127.0.0.1:" + port + "/hook"
		procs = append(procs, startBot(t, srv, "REDIS_URL="+rdb.URL(), "RATE_LIMIT=1000",
			"WEBHOOK_URL="+hook, "WEBHOOK_SECRET=budget_secret", "WEBHOOK_LISTEN=127.0.0.1:"+port))
		hooks = append(hooks, hook)
	}
	const (
		base  = 26001
		chats = 150
		chat  = 26999  // one private chat asking 8 times
		group = -26999 // one group asked 5 times
	)
	var ups []telegramtest.Update
	var all []asked
	for i := range chats {
		u := srv.PrivateText(base+int64(i), gdpQuestion)
		ups = append(ups, u)
		all = append(all, asked{base + int64(i), u.Message.MessageID})
	}
	for range 8 {
		u := srv.PrivateText(chat, gdpQuestion)
		ups = append(ups, u)
		all = append(all, asked{chat, u.Message.MessageID})
	}
	for range 5 {
		u := srv.GroupText(group, 777, "@"+botName+" "+gdpQuestion)
		ups = append(ups, u)
		all = append(all, asked{group, u.Message.MessageID})
	}
	// The load balancer: each update to one replica or the other, many at
	// once.
	var wg sync.WaitGroup
	work := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range work {
				body, _ := json.Marshal(map[string]any{"update_id": 900000 + i, "message": ups[i].Message})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hooks[i%2], bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "budget_secret")
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	for i := range ups {
		work <- i
	}
	close(work)
	wg.Wait()
	waitAnswered(t, ctx, srv, all, "every question answered")
	var times []time.Time
	perChat := map[int64][]time.Time{}
	for _, r := range calls(srv, "sendMessage") {
		times = append(times, r.Time)
		perChat[r.Int("chat_id")] = append(perChat[r.Int("chat_id")], r.Time)
	}
	// Request times as the server saw them: allow a little jitter.
	const slack = 60 * time.Millisecond
	if n := maxIn(times, time.Second-slack); n > 30+3 {
		t.Errorf("%d messages within one second from the two replicas, want at most 33 (30/s, bursts of 3)", n)
	}
	if n := maxIn(perChat[chat], time.Second-slack); n > 3+1 {
		t.Errorf("%d messages to one private chat within a second, want at most 4 (1/s, bursts of 3)", n)
	}
	if n := maxIn(perChat[group], 3*time.Second-slack); n > 3+1 {
		t.Errorf("%d messages to one group within 3 seconds, want at most 4 (20/min, bursts of 3)", n)
	}
	t.Logf("%d messages in %v", len(times), times[len(times)-1].Sub(times[0]).Round(time.Millisecond))
	for _, p := range procs {
		p.stop()
	}
}

// maxIn is the most times within any window of length d.
func maxIn(times []time.Time, d time.Duration) int {
	ts := slices.Clone(times)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= d {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// TestOddInput: a button of an inline message (no message in the
// callback), a question starting with BEL, a webhook body with garbage
// after the update.
func TestOddInput(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	port := strconv.Itoa(freePort(t))
	hook := "http://127.0.0.1:" + port + "/hook"
	p := startBot(t, srv, "WEBHOOK_URL="+hook, "WEBHOOK_SECRET=odd_secret", "WEBHOOK_LISTEN=127.0.0.1:"+port)
	ctx := timeout(t, 30*time.Second)
	if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return strings.EqualFold(r.Method, "setWebhook") && r.OK() }); err != nil {
		t.Fatal(err)
	}

	t.Run("inline callback q:0", func(t *testing.T) {
		cb := map[string]any{"callback_query": map[string]any{
			"id": "inline-cb-1", "from": map[string]any{"id": 27001, "is_bot": false, "first_name": "U"},
			"inline_message_id": "AAEAAAE", "chat_instance": "42", "data": "q:0",
		}}
		srv.PushUpdate(cb)
		if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
			return strings.EqualFold(r.Method, "answerCallbackQuery") && r.String("callback_query_id") == "inline-cb-1" && r.OK()
		}); err != nil {
			t.Fatalf("the inline callback was not answered: %v", err)
		}
	})

	t.Run("BEL before the question", func(t *testing.T) {
		u := srv.PrivateText(27002, "\a"+gdpQuestion)
		srv.PushUpdate(u)
		r := waitReply(t, ctx, srv, 27002, u.Message.MessageID)
		if !strings.Contains(result(t, r).Text, gdpTarget) {
			t.Errorf("answer to a question starting with BEL:\n%s", result(t, r).Text)
		}
	})

	t.Run("trailing garbage", func(t *testing.T) {
		u := srv.PrivateText(27003, gdpQuestion)
		body, _ := json.Marshal(map[string]any{"update_id": 990001, "message": u.Message})
		for _, tail := range []string{" garbage", "{}", `{"update_id":990002}`} {
			req, _ := http.NewRequest(http.MethodPost, hook, bytes.NewReader(append(slices.Clone(body), tail...)))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "odd_secret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("update followed by %q: %d, want 400", tail, resp.StatusCode)
			}
		}
		if got := sends(srv, 27003); len(got) != 0 {
			t.Errorf("a body with trailing garbage was handled:%s", describe(got))
		}
	})
	p.stop()
	if out := p.out.String(); strings.Contains(out, "panicked") {
		t.Errorf("a handler panicked:\n%s", out)
	}
}

// TestColdRedisPool: a first batch on a healthy Redis with REDIS_TIMEOUT
// of 100ms logs no outage, and the rate limit and de-duplication hold for
// every update of it.
func TestColdRedisPool(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t)
	srv := newServer(t)
	ctx := timeout(t, 30*time.Second)
	all := pushQuestions(srv, 90, 45, 28001) // two a chat
	const limited = 28999
	for range 5 {
		srv.PushUpdate(srv.PrivateText(limited, gdpQuestion))
	}
	p := startBot(t, srv, "REDIS_URL="+rdb.URL(), "REDIS_TIMEOUT=100ms", "RATE_LIMIT=3", "SEND_RATE=300")
	waitAnswered(t, ctx, srv, all, "the first batch answered")
	if _, err := srv.WaitSent(ctx, limited, 4); err != nil {
		t.Fatal(err)
	}
	quiet(t, ctx, srv, 500*time.Millisecond)
	p.stop()
	if got := len(okSends(srv, limited)); got != 4 {
		t.Errorf("the limited user got %d messages, want 3 answers and 1 notice", got)
	}
	out := p.out.String()
	if strings.Contains(out, "unavailable") || strings.Contains(out, "reachable again") {
		t.Errorf("a healthy Redis was reported down:\n%s", out)
	}
}

// TestReadyzSaysLittle: with Redis unreachable /readyz says so and nothing
// more (no address); docker-compose publishes ports on 127.0.0.1 only.
func TestReadyzSaysLittle(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv, "REDIS_URL=redis://"+closedAddr(t)+"/0", "REDIS_DIAL_TIMEOUT=100ms")
	ctx := timeout(t, 10*time.Second)
	if body := p.body(ctx, "/readyz"); body != "store unreachable\n" {
		t.Errorf("/readyz with Redis down says %q, want only \"store unreachable\"", body)
	}
	p.stop()

	compose, err := os.ReadFile(filepath.Join("..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(compose), "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "- \"") && strings.Contains(l, ":") && !strings.HasPrefix(l, `- "127.0.0.1:`) {
			t.Errorf("docker-compose.yml publishes a port beyond the host: %s", l)
		}
	}
}

// TestShutdownDuringOutage: SIGTERM while Telegram refuses every answer
// (429), no Redis: nothing was delivered, so nothing is confirmed past an
// unanswered update; the next process answers them all, once.
func TestShutdownDuringOutage(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := timeout(t, 40*time.Second)
	srv.FailFor("sendMessage", 4*time.Second, 429, 1)
	all := pushQuestions(srv, 20, 10, 29001)
	p1 := startBot(t, srv, "SHUTDOWN_TIMEOUT=1s")
	refused := 0
	if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		if strings.EqualFold(r.Method, "sendMessage") && r.ErrorCode == 429 {
			refused++
		}
		return refused >= 10
	}); err != nil {
		t.Fatal(err)
	}
	p1.sigterm()
	if code := p1.wait(20 * time.Second); code != 0 {
		t.Errorf("first bot exited %d after SIGTERM, want 0", code)
	}
	if strings.Contains(p1.out.String(), "not delivered again") {
		t.Errorf("updates were given up at shutdown:\n%s", p1.out)
	}
	p2 := startBot(t, srv)
	waitAnswered(t, ctx, srv, all, "every question answered after the outage")
	handled(t, ctx, srv, srv.PushUpdate(srv.GroupText(pokeChat, 4242, "last")))
	p2.stop()
	lost, twice := lostAndTwice(all, replyCounts(srv, all))
	if len(lost) > 0 || len(twice) > 0 {
		t.Errorf("%d lost, %d answered twice", len(lost), len(twice))
	}
}
