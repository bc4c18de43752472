package e2e

import (
	"testing"
	"time"

	"reportbot/store/redistest"
	"reportbot/telegramtest"
)

type asked struct{ chat, msg int64 }

// midLoad queues 100 questions from 20 users, starts a bot and stops it
// with SIGTERM while it answers them (paced: 5 a chat take it ~2 s), then lets a second bot on the same Redis
// finish, and requires exactly one reply to every question.
func midLoad(t *testing.T, extra ...string) {
	rdb := redistest.Start(t)
	srv := newServer(t)
	env := append([]string{"REDIS_URL=" + rdb.URL()}, extra...)
	ctx := timeout(t, 60*time.Second)

	questions := []string{gdpQuestion, "渝中有多少人才?", "2024年GDP增长目标是多少?"}
	var all []asked
	for i := range 100 {
		chat := int64(8001 + i%20)
		u := srv.PrivateText(chat, questions[i%len(questions)])
		srv.PushUpdate(u)
		all = append(all, asked{chat, u.Message.MessageID})
	}

	// All queued before the bot starts, so its first batch holds them all.
	p1 := startBot(t, srv, env...)
	// SIGTERM once answers are going out.
	n := 0
	_, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		if r.Method == "sendMessage" && r.OK() {
			n++
		}
		return n >= 5
	})
	if err != nil {
		t.Fatalf("no answers: %v", err)
	}
	p1.sigterm()
	if code := p1.wait(30 * time.Second); code != 0 {
		t.Errorf("first bot exited %d after SIGTERM, want 0", code)
	}
	first := len(calls(srv, "sendMessage"))

	p2 := startBot(t, srv, env...)
	for _, a := range all {
		waitReply(t, ctx, srv, a.chat, a.msg)
	}
	// Let the second bot finish whatever it took, then count.
	handled(t, ctx, srv, srv.PushUpdate(srv.GroupText(pokeChat, 4242, "last")))
	p2.stop()

	replies := map[asked]int{}
	total := 0
	for chat := int64(8001); chat <= 8020; chat++ {
		for _, r := range okSends(srv, chat) {
			replies[asked{chat, replyTo(r)}]++
			total++
		}
	}
	for _, a := range all {
		if c := replies[a]; c != 1 {
			t.Errorf("question %d in chat %d answered %d times", a.msg, a.chat, c)
		}
	}
	if total != len(all) {
		t.Errorf("%d answers to %d questions", total, len(all))
	}
	t.Logf("first bot sent %d of %d answers before exiting", first, len(all))
}

func TestSIGTERMMidLoad(t *testing.T) {
	t.Parallel()
	midLoad(t)
}

// With a shutdown timeout shorter than the work in flight, the first bot
// abandons updates; they must still be answered by the next one.
func TestSIGTERMShutdownTimeout(t *testing.T) {
	t.Parallel()
	midLoad(t, "SHUTDOWN_TIMEOUT=300ms")
}
