package e2e

// The daily digest end to end: real `reportbot serve` processes, the Bot
// API test server and a real redis-server. Subscriptions are seeded
// directly in Redis (same REDIS_PREFIX as the bots) with their due time
// set to now, and the scheduler looks every 200ms (DIGEST_INTERVAL), so no
// test waits for a clock time.
//
// Two processes share one test server, so their sends are counted
// together. Only one process may long-poll a bot (a second getUpdates
// ends the first with 409, and the bot exits on 409), so process B runs in
// webhook mode and is started first; process A polls, and its start-up
// deleteWebhook leaves B serving a webhook nobody calls. The digest
// scheduler does not depend on the intake: both run it.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"reportbot/data"
	"reportbot/digest"
	"reportbot/render"
	"reportbot/store"
	"reportbot/store/redistest"
	"reportbot/telegramtest"
)

const digestTitle = "每日一读"

// digestEnv is the environment of a bot on rs with the given prefix.
func digestEnv(rs *redistest.Server, prefix string) []string {
	return []string{"REDIS_URL=" + rs.URL(), "REDIS_PREFIX=" + prefix, "DIGEST_INTERVAL=200ms", "LOG_FORMAT=text", "SEND_RATE=90"}
}

func openRedis(t *testing.T, rs *redistest.Server, prefix string) *store.Redis {
	t.Helper()
	st, err := store.NewRedis(store.RedisOptions{URL: rs.URL(), Prefix: prefix, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// noonZone is a fixed-offset zone where it is around noon now, so that a
// digest due now is never on the edge of a local day (a digest that fell
// due on an earlier local day is skipped by design).
func noonZone(t *testing.T, now time.Time) *time.Location {
	t.Helper()
	off := 12 - now.UTC().Hour() // hours east of UTC
	if off > 12 {
		off -= 24
	}
	name := "Etc/GMT"
	switch {
	case off > 0:
		name += "-" + strconv.Itoa(off) // Etc/GMT-8 is UTC+8
	case off < 0:
		name += "+" + strconv.Itoa(-off)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func chatRange(from, to int64) []int64 {
	var out []int64
	for c := from; c <= to; c++ {
		out = append(out, c)
	}
	return out
}

// seedDue subscribes private chats with their digest due now, at this
// minute of the local day in loc, and makes the chats known to srv.
func seedDue(t *testing.T, st *store.Redis, srv *telegramtest.Server, loc *time.Location, chats []int64) {
	t.Helper()
	now := time.Now()
	for _, c := range chats {
		srv.AddChat(telegramtest.Chat{ID: c, Type: "private", FirstName: fmt.Sprintf("User%d", c)})
		sub := store.Subscription{ChatID: c, Time: now.In(loc).Format("15:04"), TZ: loc.String(), Lang: "zh", By: c, Created: now}
		if err := st.Subscribe(context.Background(), sub, now); err != nil {
			t.Fatal(err)
		}
	}
}

// digestCounts counts the successful sendMessage calls per chat whose text
// starts with the digest's title and date (a reply to /settings starts
// with 每日一读 too).
func digestCounts(t *testing.T, srv *telegramtest.Server) map[int64]int {
	t.Helper()
	n := map[int64]int{}
	for _, r := range srv.Requests() {
		if strings.EqualFold(r.Method, "sendMessage") && r.OK() && strings.HasPrefix(result(t, r).Text, digestTitle+" · ") {
			n[r.Int("chat_id")]++
		}
	}
	return n
}

// dueScores returns each chat's due time in the sorted set (missing: not
// there).
func dueScores(t *testing.T, st *store.Redis, prefix string, chats []int64) map[int64]time.Time {
	t.Helper()
	ctx := context.Background()
	out := map[int64]time.Time{}
	for _, c := range chats {
		s, err := st.Client().ZScore(ctx, prefix+"{sub}:due", strconv.FormatInt(c, 10)).Result()
		if err == redis.Nil {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[c] = time.Unix(int64(s), 0)
	}
	return out
}

// waitUntil polls cond every 50ms until it holds or ctx ends.
func waitUntil(t *testing.T, ctx context.Context, what string, cond func() (bool, string)) {
	t.Helper()
	last, start := "", time.Now()
	for {
		ok, why := cond()
		if ok {
			t.Logf("%s: %v (at %s)", what, time.Since(start).Round(time.Millisecond), time.Now().Format("15:04:05.000"))
			return
		}
		last = why
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %v (last: %s)", what, ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// settled: no chat of chats is due within a minute, so no replica is
// sending or about to send any of them (a replica sends only what it took
// from the due set, and reschedules or postpones each chat it takes).
func settled(t *testing.T, st *store.Redis, prefix string, chats []int64) (bool, string) {
	horizon := time.Now().Add(time.Minute)
	scores := dueScores(t, st, prefix, chats)
	var due []int64
	for _, c := range chats {
		if s, ok := scores[c]; ok && !s.After(horizon) {
			due = append(due, c)
		}
	}
	if len(due) > 0 {
		return false, fmt.Sprintf("%d chats still due, such as %v", len(due), due[:min(5, len(due))])
	}
	return true, ""
}

// quietSends returns a check that no digest went out for at least d.
func quietSends(t *testing.T, srv *telegramtest.Server) func(d time.Duration) (bool, string) {
	last, since := -1, time.Now()
	return func(d time.Duration) (bool, string) {
		n := 0
		for _, c := range digestCounts(t, srv) {
			n += c
		}
		if n != last {
			last, since = n, time.Now()
		}
		return time.Since(since) >= d, fmt.Sprintf("%d digests, the last %v ago", n, time.Since(since).Round(time.Millisecond))
	}
}

// checkOnce requires exactly one digest for every chat of chats.
func checkOnce(t *testing.T, counts map[int64]int, chats []int64) {
	t.Helper()
	var missing, twice []int64
	for _, c := range chats {
		switch n := counts[c]; {
		case n == 0:
			missing = append(missing, c)
		case n > 1:
			twice = append(twice, c)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d chats got no digest: %v", len(missing), len(chats), missing)
	}
	if len(twice) > 0 {
		for _, c := range twice {
			t.Errorf("chat %d got %d digests", c, counts[c])
		}
	}
}

func digestMetric(t *testing.T, p *proc, name string) string {
	t.Helper()
	resp, err := http.Get("http://" + p.httpAddr + "/metrics")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var lines []string
	for _, l := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(l, name) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
}

func TestDigestTwoReplicasExactlyOnce(t *testing.T) {
	ctx := timeout(t, 50*time.Second)
	rs := redistest.Start(t)
	const prefix = "e2edigest:"
	st := openRedis(t, rs, prefix)
	// The Bot API 300 ms away: when A is killed, sends it made are
	// accepted but not yet confirmed.
	srv := newServer(t, telegramtest.Latency(300*time.Millisecond))
	env := digestEnv(rs, prefix)

	// B: webhook mode, first; A: long polling, after B set its webhook.
	hook := freePort(t)
	b := startBot(t, srv, append(env, fmt.Sprintf("WEBHOOK_URL=http://127.0.0.1:%d/hook", hook), "WEBHOOK_SECRET=digest_secret",
		fmt.Sprintf("WEBHOOK_LISTEN=127.0.0.1:%d", hook))...)
	if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return strings.EqualFold(r.Method, "setWebhook") && r.OK() }); err != nil {
		t.Fatalf("B did not set its webhook: %v", err)
	}
	a := startBot(t, srv, env...)
	// A switches to long polling (a getUpdates completes only when it
	// returns, up to 25s later, so wait for the switch).
	if _, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return strings.EqualFold(r.Method, "deleteWebhook") && r.OK() }); err != nil {
		t.Fatalf("A did not switch to long polling: %v", err)
	}

	loc := noonZone(t, time.Now())
	first := chatRange(1001, 1200)
	seedDue(t, st, srv, loc, first)
	waitUntil(t, ctx, "200 digests", func() (bool, string) {
		n := digestCounts(t, srv)
		got := 0
		for _, c := range first {
			if n[c] > 0 {
				got++
			}
		}
		return got == len(first), fmt.Sprintf("%d of %d chats have a digest", got, len(first))
	})
	waitUntil(t, ctx, "first run settled", func() (bool, string) { return settled(t, st, prefix, first) })
	// With the Bot API 300 ms away, a sender hears that its digest went
	// out, and moves the chat to tomorrow, a moment after Telegram has it.
	waitUntil(t, ctx, "every chat of the first run due tomorrow", func() (bool, string) {
		tomorrow := digest.LocalDate(time.Now(), loc).AddDate(0, 0, 1).Format(time.DateOnly)
		for chat, due := range dueScores(t, st, prefix, first) {
			if due.In(loc).Format(time.DateOnly) != tomorrow {
				return false, fmt.Sprintf("chat %d due %s", chat, due.In(loc))
			}
		}
		return true, ""
	})
	counts := digestCounts(t, srv)
	checkOnce(t, counts, first)
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != len(first) {
		t.Errorf("%d digests sent in all, want %d", total, len(first))
	}
	t.Logf("A: %s", digestMetric(t, a, "reportbot_digests"))
	t.Logf("B: %s", digestMetric(t, b, "reportbot_digests"))
	// The digest is the paragraph of today's local date, the same for all.
	today := digest.LocalDate(time.Now(), loc)
	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p := digest.ParagraphOfDay(c, today)
	for _, r := range srv.Requests() {
		if !strings.EqualFold(r.Method, "sendMessage") || !r.OK() {
			continue
		}
		text := result(t, r).Text
		if !strings.HasPrefix(text, digestTitle+" · "+today.Format(time.DateOnly)) || !strings.Contains(text, runePrefix(p.Text, 20)) {
			t.Errorf("digest to %d is not today's (%s, %s): %q", r.Int("chat_id"), today.Format(time.DateOnly), p.ID(), clip(text, 80))
			break
		}
	}
	// Each chat is due again tomorrow at its time.
	for chat, due := range dueScores(t, st, prefix, first) {
		if want := today.AddDate(0, 0, 1).Format(time.DateOnly); due.In(loc).Format(time.DateOnly) != want {
			t.Errorf("chat %d next due %s, want on %s", chat, due.In(loc), want)
			break
		}
	}

	// Kill -9 A in the middle of the next 200.
	second := chatRange(1201, 1400)
	seedDue(t, st, srv, loc, second)
	waitUntil(t, ctx, "50 digests of the second run", func() (bool, string) {
		n := digestCounts(t, srv)
		got := 0
		for _, c := range second {
			got += n[c]
		}
		return got >= 50, fmt.Sprintf("%d sent", got)
	})
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.done
	killedAt := digestCounts(t, srv)
	a = startBot(t, srv, env...)

	// A's claims on digests it had not sent hold for store.DigestClaimTTL
	// (2 minutes); the live replicas postpone those chats until then. Once
	// nothing is due and no digest has gone out for 2s (the replicas send
	// what they claimed at 30 a second each), the claims left are the dead
	// process's. (Due times alone do not say it: a replica that loses a
	// claim postpones the chat while the winner is still sending it.)
	quiet := quietSends(t, srv)
	waitUntil(t, ctx, "the second run settled around the dead claims", func() (bool, string) {
		if ok, why := settled(t, st, prefix, second); !ok {
			return false, why
		}
		return quiet(2 * time.Second)
	})
	day := today.Format(time.DateOnly)
	var stale, inFlight []int64
	for _, c := range second {
		v, err := st.Client().Get(context.Background(), fmt.Sprintf("%sdigest:%d:%s", prefix, c, day)).Result()
		if err != nil && err != redis.Nil {
			t.Fatal(err)
		}
		switch {
		case v == "sent":
		case strings.HasPrefix(v, "claimed:"):
			// Claimed by the dead process, never sent: the claim lapses.
			stale = append(stale, c)
		case strings.HasPrefix(v, "sending:"):
			// Its request was out when it died: counts as sent, for good.
			inFlight = append(inFlight, c)
		default:
			t.Errorf("chat %d: digest mark %q, want sent, claimed:… or sending:…", c, v)
		}
	}
	t.Logf("after kill -9: the dead process left %d claims never sent and %d sends in flight", len(stale), len(inFlight))
	// Let 2 minutes pass for the unsent claims: they lapse, and the chats
	// come due again when the replicas' postponement ends.
	for _, c := range stale {
		if err := st.Client().Del(context.Background(), fmt.Sprintf("%sdigest:%d:%s", prefix, c, day)).Err(); err != nil {
			t.Fatal(err)
		}
		if err := st.Client().ZAdd(context.Background(), prefix+"{sub}:due", redis.Z{Score: float64(time.Now().Unix()), Member: c}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// Every chat gets its digest, except perhaps one whose request the
	// dead process had recorded but not yet written (the one window left:
	// at most the sends in flight).
	waitUntil(t, ctx, "every chat of the second run has a digest", func() (bool, string) {
		n := digestCounts(t, srv)
		var missing []int64
		for _, c := range second {
			if n[c] == 0 && !slices.Contains(inFlight, c) {
				missing = append(missing, c)
			}
		}
		return len(missing) == 0, fmt.Sprintf("%d missing, such as %v", len(missing), missing[:min(5, len(missing))])
	})
	waitUntil(t, ctx, "second run settled", func() (bool, string) { return settled(t, st, prefix, second) })
	counts = digestCounts(t, srv)
	checkOnce(t, counts, first)
	var got []int64
	missed := 0
	for _, c := range second {
		if counts[c] > 0 {
			got = append(got, c)
		} else {
			missed++
		}
	}
	checkOnce(t, counts, got)
	t.Logf("%d chats of %d without a digest (their request was recorded as going out when the process died)", missed, len(second))
	if t.Failed() {
		for _, r := range srv.Requests() {
			if c := r.Int("chat_id"); strings.EqualFold(r.Method, "sendMessage") && counts[c] > 1 {
				t.Logf("twice: #%d to chat %d: status %d, sent before the kill %d, claim left by the dead process %v", r.Seq, c, r.Status, killedAt[c], slices.Contains(stale, c))
			}
		}
	}

	// Redis restarted: every subscription is still there, and due.
	rs.Restart(t)
	st2 := openRedis(t, rs, prefix)
	all := append(slices.Clone(first), second...)
	var lost []int64
	for _, c := range all {
		sub, ok, err := st2.Subscription(context.Background(), c)
		if err != nil {
			t.Fatalf("after the restart: %v", err)
		}
		if !ok || sub.ChatID != c || sub.TZ != loc.String() {
			lost = append(lost, c)
		}
	}
	if len(lost) > 0 {
		t.Errorf("after Redis restarted, %d subscriptions are gone or changed: %v", len(lost), lost)
	}
	if n := len(dueScores(t, st2, prefix, all)); n != len(all) {
		t.Errorf("after Redis restarted, %d of %d chats are in the due set", n, len(all))
	}
	a.stop()
	b.stop()
}

// 403 for one chat ends its subscription only; 429s delay, nothing is
// lost. Then the group commands: only administrators manage a group's
// digest.
func TestDigestBlockedFloodAndAdmins(t *testing.T) {
	ctx := timeout(t, 40*time.Second)
	rs := redistest.Start(t)
	const prefix = "e2edigest2:"
	st := openRedis(t, rs, prefix)
	srv := newServer(t)
	p := startBot(t, srv, digestEnv(rs, prefix)...)
	loc := noonZone(t, time.Now())

	chats := chatRange(2001, 2030)
	const blocked = 2007
	srv.Block(blocked)
	srv.FailNext("sendMessage", 4, 429, 1)
	seedDue(t, st, srv, loc, chats)
	var others []int64
	for _, c := range chats {
		if c != blocked {
			others = append(others, c)
		}
	}
	waitUntil(t, ctx, "digests despite the 429s", func() (bool, string) {
		n := digestCounts(t, srv)
		got := 0
		for _, c := range others {
			if n[c] > 0 {
				got++
			}
		}
		return got == len(others), fmt.Sprintf("%d of %d", got, len(others))
	})
	waitUntil(t, ctx, "blocked chat unsubscribed", func() (bool, string) {
		_, ok, err := st.Subscription(context.Background(), blocked)
		return err == nil && !ok, fmt.Sprintf("still subscribed (err %v)", err)
	})
	waitUntil(t, ctx, "settled", func() (bool, string) { return settled(t, st, prefix, others) })
	counts := digestCounts(t, srv)
	checkOnce(t, counts, others)
	if counts[blocked] != 0 {
		t.Errorf("blocked chat got %d digests", counts[blocked])
	}
	forbidden := 0
	for _, r := range sends(srv, blocked) {
		switch r.ErrorCode {
		case 403:
			forbidden++
		case 429: // an injected 429 may fall on it too: retried
		default:
			t.Errorf("sendMessage to the blocked chat: %d %s", r.ErrorCode, r.Description)
		}
	}
	if forbidden != 1 {
		t.Errorf("%d sendMessage calls to the blocked chat answered 403, want 1 (403 is not retried)", forbidden)
	}
	flood := 0
	for _, r := range calls(srv, "sendMessage") {
		if r.ErrorCode == 429 {
			flood++
		}
	}
	if flood != 4 {
		t.Errorf("%d sendMessage calls answered 429, want the 4 injected", flood)
	}
	for _, c := range others {
		if _, ok, err := st.Subscription(context.Background(), c); err != nil || !ok {
			t.Errorf("chat %d lost its subscription (ok=%v err=%v)", c, ok, err)
		}
	}
	if scores := dueScores(t, st, prefix, []int64{blocked}); len(scores) != 0 {
		t.Errorf("blocked chat still in the due set: %v", scores)
	}

	// Group: a member may not subscribe; an administrator may, in a forum
	// topic, and the subscription keeps the topic.
	const group, member, admin, topic = -1001234567890, 501, 502, 77
	sendCmd := func(user int64, text string) string {
		t.Helper()
		u := srv.GroupText(group, user, text, telegramtest.InThread(topic))
		srv.PushUpdate(u)
		m := result(t, waitReply(t, ctx, srv, group, u.Message.MessageID))
		if m.MessageThreadID != topic {
			t.Errorf("answer to %q went to thread %d, want %d", text, m.MessageThreadID, topic)
		}
		return m.Text
	}
	if got := sendCmd(member, "/subscribe 08:30"); !strings.Contains(got, "只有本群管理员") {
		t.Errorf("member's /subscribe answered %q, want the administrators-only notice", got)
	}
	if _, ok, _ := st.Subscription(context.Background(), group); ok {
		t.Fatalf("a member subscribed the group")
	}
	srv.SetMember(group, admin, "administrator")
	if got := sendCmd(admin, "/subscribe 25:00"); !strings.Contains(got, "例如：/subscribe 08:30") {
		t.Errorf("/subscribe 25:00 answered %q, want an example", got)
	}
	if _, ok, _ := st.Subscription(context.Background(), group); ok {
		t.Fatalf("an invalid /subscribe subscribed the group")
	}
	// Times as people say them.
	for arg, want := range map[string]string{"8点": "08:00", "早上8点半": "08:30", "8:30": "08:30"} {
		if got := sendCmd(admin, "/subscribe "+arg); !strings.Contains(got, "已订阅") || !strings.Contains(got, want) {
			t.Errorf("/subscribe %s answered %q, want a subscription at %s", arg, got, want)
		}
		if sub, _, _ := st.Subscription(context.Background(), group); sub.Time != want {
			t.Errorf("/subscribe %s stored %q, want %s", arg, sub.Time, want)
		}
	}
	if got := sendCmd(admin, "/subscribe 07:45 Asia/Tokyo"); !strings.Contains(got, "已订阅") || !strings.Contains(got, "07:45") || !strings.Contains(got, "Asia/Tokyo") {
		t.Errorf("administrator's /subscribe answered %q", got)
	}
	sub, ok, err := st.Subscription(context.Background(), group)
	if err != nil || !ok {
		t.Fatalf("administrator's subscription not stored (ok=%v err=%v)", ok, err)
	}
	if sub.Time != "07:45" || sub.TZ != "Asia/Tokyo" || !sub.Group || sub.ThreadID != topic || sub.By != admin {
		t.Errorf("subscription %+v, want 07:45 Asia/Tokyo, group, thread %d, by %d", sub, topic, admin)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if due := dueScores(t, st, prefix, []int64{group})[group]; due.In(tokyo).Format("15:04") != "07:45" || due.Before(time.Now().Add(-time.Second)) || due.After(time.Now().Add(25*time.Hour)) {
		t.Errorf("group due %s, want the next 07:45 in Tokyo", due.In(tokyo))
	}
	if got := sendCmd(member, "/settings"); !strings.Contains(got, "07:45") {
		t.Errorf("/settings answered %q", got)
	}
	if got := sendCmd(member, "/unsubscribe"); !strings.Contains(got, "只有本群管理员") {
		t.Errorf("member's /unsubscribe answered %q", got)
	}
	if _, ok, _ := st.Subscription(context.Background(), group); !ok {
		t.Errorf("a member unsubscribed the group")
	}
	// The group's digest goes to its topic: make it due now.
	if err := st.Reschedule(context.Background(), group, time.Now()); err != nil {
		t.Fatal(err)
	}
	r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		return isSend(r, group) && r.OK() && strings.HasPrefix(result(t, r).Text, digestTitle+" · ")
	})
	if err != nil {
		t.Fatalf("no digest in the group: %v", err)
	}
	if m := result(t, r); m.MessageThreadID != topic {
		t.Errorf("group digest went to thread %d, want %d", m.MessageThreadID, topic)
	}
	if r.String("disable_notification") != "true" {
		t.Errorf("the group's daily post rings every phone: disable_notification=%q", r.String("disable_notification"))
	}
	if text := result(t, r).Text; !strings.Contains(text, "回复本消息") || strings.Contains(text, "直接发给我") {
		t.Errorf("the group digest's footer does not fit a group:\n%s", text)
	}
	if got := sendCmd(admin, "/unsubscribe"); !strings.Contains(got, "已退订") {
		t.Errorf("administrator's /unsubscribe answered %q", got)
	}
	if _, ok, _ := st.Subscription(context.Background(), group); ok {
		t.Errorf("the administrator's /unsubscribe left the subscription")
	}
	p.stop()
}

// reportbot digest prints the paragraph of the day and exits 0; a bad
// --date exits 2.
func TestDigestCommand(t *testing.T) {
	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, date := range []string{"2024-01-15", "2024-01-16"} {
		cmd := exec.Command(bin, "digest", "--date", date)
		cmd.Env = baseEnv()
		var stdout, stderr syncBuffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("reportbot digest --date %s: %v\n%s", date, err, stderr.String())
		}
		d, _ := time.Parse(time.DateOnly, date)
		p := digest.ParagraphOfDay(c, d)
		out := stdout.String()
		if !strings.HasPrefix(out, digestTitle+" · "+date+"\n") {
			t.Errorf("digest --date %s starts %q", date, clip(out, 40))
		}
		if !strings.Contains(out, runePrefix(p.Text, 60)) || !strings.Contains(out, (render.Style{Corpus: c}).Cite(render.PassageOf(p))) {
			t.Errorf("digest --date %s does not quote and cite paragraph %s:\n%s", date, p.ID(), out)
		}
		if strings.Contains(out, "<b>") || strings.Contains(out, "<blockquote") {
			t.Errorf("plain output has HTML tags:\n%s", out)
		}
		if !strings.Contains(out, "/unsubscribe") {
			t.Errorf("no footer:\n%s", out)
		}
	}
	html, err := exec.Command(bin, "digest", "--date", "2024-01-15", "--html").Output()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := telegramtest.ValidateHTML(strings.TrimSuffix(string(html), "\n")); err != nil || !strings.Contains(string(html), "<blockquote") {
		t.Errorf("--html output is not a valid message (%v):\n%s", err, html)
	}
	for _, bad := range []string{"2024-13-45", "15.01.2024", "tomorrow"} {
		cmd := exec.Command(bin, "digest", "--date", bad)
		cmd.Env = baseEnv()
		var stdout, stderr syncBuffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Errorf("digest --date %s: %v, want exit status 2", bad, err)
		}
		if !strings.Contains(stderr.String(), bad) || !strings.Contains(stderr.String(), "2024-01-15") {
			t.Errorf("digest --date %s says %q, want the bad value and an example", bad, stderr.String())
		}
		if stdout.String() != "" {
			t.Errorf("digest --date %s printed %q", bad, stdout.String())
		}
	}
}

func runePrefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}
