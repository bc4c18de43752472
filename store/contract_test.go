package store

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"reportbot/store/redistest"
)

// The one behaviour both stores promise. Each subtest gets a fresh, empty
// store from newStore.
func testContract(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	base := time.Unix(1_700_000_000, 0) // fixed, so due times never depend on the clock

	t.Run("AnswerCache", func(t *testing.T) {
		s := newStore(t)
		q := "什么是 GDP 增速？"
		if _, ok, err := s.CachedAnswer(ctx, "v1", q); err != nil || ok {
			t.Fatalf("empty cache: ok=%v err=%v, want miss", ok, err)
		}
		if err := s.CacheAnswer(ctx, "v1", q, []byte("answer one"), time.Hour); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.CachedAnswer(ctx, "v1", q)
		if err != nil || !ok || string(got) != "answer one" {
			t.Fatalf("CachedAnswer = %q, %v, %v; want \"answer one\", true, nil", got, ok, err)
		}
		if _, ok, err := s.CachedAnswer(ctx, "v2", q); err != nil || ok {
			t.Fatalf("other corpus version: ok=%v err=%v, want miss", ok, err)
		}
		if _, ok, err := s.CachedAnswer(ctx, "v1", q+"?"); err != nil || ok {
			t.Fatalf("other question: ok=%v err=%v, want miss", ok, err)
		}
		// Replacing; and the caller's slice is not kept.
		buf := []byte("answer two")
		if err := s.CacheAnswer(ctx, "v1", q, buf, time.Hour); err != nil {
			t.Fatal(err)
		}
		copy(buf, "XXXXXX")
		got, ok, err = s.CachedAnswer(ctx, "v1", q)
		if err != nil || !ok || string(got) != "answer two" {
			t.Fatalf("after replace: %q, %v, %v; want \"answer two\"", got, ok, err)
		}
		// A binary answer round-trips, and versions are independent.
		bin := []byte{0, 1, 2, 0xff, '\n', 0}
		if err := s.CacheAnswer(ctx, "v2", q, bin, time.Hour); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.CachedAnswer(ctx, "v2", q); err != nil || !ok || !bytes.Equal(got, bin) {
			t.Fatalf("binary answer: %v, %v, %v", got, ok, err)
		}
		if got, _, _ := s.CachedAnswer(ctx, "v1", q); string(got) != "answer two" {
			t.Fatalf("v1 changed by a v2 write: %q", got)
		}
	})

	t.Run("AnswerCacheNoTTL", func(t *testing.T) {
		// A TTL that is not positive caches nothing (and never an answer
		// that lives forever).
		s := newStore(t)
		if err := s.CacheAnswer(ctx, "v1", "q", []byte("old"), time.Hour); err != nil {
			t.Fatal(err)
		}
		for _, ttl := range []time.Duration{0, -time.Second} {
			if err := s.CacheAnswer(ctx, "v1", "q", []byte("new"), ttl); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := s.CachedAnswer(ctx, "v1", "q"); err != nil || ok {
				t.Fatalf("after caching with TTL %v: %q, %v, %v; want a miss", ttl, got, ok, err)
			}
		}
	})

	t.Run("Subscriptions", func(t *testing.T) {
		s := newStore(t)
		const chat = -1001234567890
		if _, ok, err := s.Subscription(ctx, chat); err != nil || ok {
			t.Fatalf("before subscribing: ok=%v err=%v", ok, err)
		}
		first := Subscription{ChatID: chat, Time: "09:00", TZ: "Asia/Shanghai", Lang: "zh", By: 42,
			Created: base, Group: true, ThreadID: 7, Title: "研究小组 ☕"}
		if err := s.Subscribe(ctx, first, base.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Subscription(ctx, chat)
		if err != nil || !ok {
			t.Fatalf("Subscription: ok=%v err=%v", ok, err)
		}
		sameSub(t, got, first)

		second := Subscription{ChatID: chat, Time: "18:30", TZ: "Europe/London", Lang: "en", By: 43,
			Created: base.Add(time.Minute)}
		if err := s.Subscribe(ctx, second, base.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, ok, err = s.Subscription(ctx, chat)
		if err != nil || !ok {
			t.Fatalf("Subscription after replace: ok=%v err=%v", ok, err)
		}
		sameSub(t, got, second) // nothing of the first left
		// Replacing moved the due time too.
		if due := dueIDs(t, s, base.Add(90*time.Minute), 10); len(due) != 0 {
			t.Fatalf("due at the old time after replace: %v", due)
		}
		if due := dueIDs(t, s, base.Add(2*time.Hour), 10); !reflect.DeepEqual(due, []int64{chat}) {
			t.Fatalf("due at the new time = %v, want [%d]", due, chat)
		}

		other := Subscription{ChatID: 555, Time: "07:00", TZ: "UTC", Lang: "en", By: 555, Created: base}
		if err := s.Subscribe(ctx, other, base); err != nil {
			t.Fatal(err)
		}

		ok, err = s.Unsubscribe(ctx, chat)
		if err != nil || !ok {
			t.Fatalf("Unsubscribe = %v, %v; want true", ok, err)
		}
		if _, ok, err := s.Subscription(ctx, chat); err != nil || ok {
			t.Fatalf("after unsubscribe: ok=%v err=%v", ok, err)
		}
		ok, err = s.Unsubscribe(ctx, chat)
		if err != nil || ok {
			t.Fatalf("second Unsubscribe = %v, %v; want false", ok, err)
		}
		if due := dueIDs(t, s, base.Add(24*time.Hour), 10); !reflect.DeepEqual(due, []int64{555}) {
			t.Fatalf("due after unsubscribe = %v, want only [555]", due)
		}
		if got, ok, err := s.Subscription(ctx, 555); err != nil || !ok {
			t.Fatalf("other chat lost: ok=%v err=%v", ok, err)
		} else {
			sameSub(t, got, other)
		}
		if ok, err := s.Unsubscribe(ctx, 999); err != nil || ok {
			t.Fatalf("Unsubscribe of a never subscribed chat = %v, %v", ok, err)
		}
	})

	t.Run("Due", func(t *testing.T) {
		s := newStore(t)
		subs := map[int64]time.Duration{ // chat → due, after base
			-300: 30 * time.Minute,
			100:  10 * time.Minute,
			-200: 20 * time.Minute,
			400:  2 * time.Hour,
		} // distinct due times: the contract does not order ties
		for id, d := range subs {
			sub := Subscription{ChatID: id, Time: "09:00", TZ: "UTC", Lang: "en", By: id, Created: base,
				Title: fmt.Sprint("chat ", id)}
			if err := s.Subscribe(ctx, sub, base.Add(d)); err != nil {
				t.Fatal(err)
			}
		}
		if due := dueIDs(t, s, base, 10); len(due) != 0 {
			t.Fatalf("nothing is due yet, got %v", due)
		}
		if due := dueIDs(t, s, base.Add(10*time.Minute-time.Second), 10); len(due) != 0 {
			t.Fatalf("a second early: got %v", due)
		}
		// Due at exactly the due time.
		if due := dueIDs(t, s, base.Add(10*time.Minute), 10); !reflect.DeepEqual(due, []int64{100}) {
			t.Fatalf("Due at the first due time = %v, want [100]", due)
		}
		if due := dueIDs(t, s, base.Add(30*time.Minute), 10); !reflect.DeepEqual(due, []int64{100, -200, -300}) {
			t.Fatalf("Due = %v, want [100 -200 -300] (earliest first)", due)
		}
		if due := dueIDs(t, s, base.Add(30*time.Minute), 2); !reflect.DeepEqual(due, []int64{100, -200}) {
			t.Fatalf("Due limit 2 = %v, want [100 -200]", due)
		}
		if due := dueIDs(t, s, base.Add(24*time.Hour), 1); !reflect.DeepEqual(due, []int64{100}) {
			t.Fatalf("Due limit 1 = %v, want [100]", due)
		}
		all, err := s.Due(ctx, base.Add(24*time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 4 {
			t.Fatalf("Due all = %d subscriptions, want 4", len(all))
		}
		for _, sub := range all { // whole subscriptions, not just IDs
			if sub.Title != fmt.Sprint("chat ", sub.ChatID) || sub.By != sub.ChatID || sub.TZ != "UTC" {
				t.Fatalf("Due returned %+v", sub)
			}
		}
		// Due only reads: asking again gives the same.
		if due := dueIDs(t, s, base.Add(30*time.Minute), 10); !reflect.DeepEqual(due, []int64{100, -200, -300}) {
			t.Fatalf("Due again = %v", due)
		}
	})

	t.Run("Reschedule", func(t *testing.T) {
		s := newStore(t)
		for i, id := range []int64{1, 2, 3} {
			sub := Subscription{ChatID: id, Time: "09:00", TZ: "UTC", Lang: "en", Created: base}
			if err := s.Subscribe(ctx, sub, base.Add(time.Duration(i+1)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		// Chat 1 sent today's digest: due again tomorrow.
		if err := s.Reschedule(ctx, 1, base.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if due := dueIDs(t, s, base.Add(time.Hour), 10); !reflect.DeepEqual(due, []int64{2, 3}) {
			t.Fatalf("after rescheduling 1: due %v, want [2 3]", due)
		}
		if due := dueIDs(t, s, base.Add(24*time.Hour), 10); !reflect.DeepEqual(due, []int64{2, 3, 1}) {
			t.Fatalf("tomorrow: due %v, want [2 3 1]", due)
		}
		// Earlier works too.
		if err := s.Reschedule(ctx, 3, base); err != nil {
			t.Fatal(err)
		}
		if due := dueIDs(t, s, base.Add(time.Hour), 10); !reflect.DeepEqual(due, []int64{3, 2}) {
			t.Fatalf("after moving 3 earlier: due %v, want [3 2]", due)
		}
		// Rescheduling a chat that is not subscribed does nothing: no error,
		// no subscription, never due.
		if err := s.Reschedule(ctx, 99, base); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.Subscription(ctx, 99); err != nil || ok {
			t.Fatalf("Reschedule created a subscription: ok=%v err=%v", ok, err)
		}
		// Nor does it bring back one that has ended (a digest finishing
		// after /unsubscribe).
		if ok, err := s.Unsubscribe(ctx, 2); err != nil || !ok {
			t.Fatalf("Unsubscribe: %v %v", ok, err)
		}
		if err := s.Reschedule(ctx, 2, base.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if due := dueIDs(t, s, base.Add(100*time.Hour), 10); !reflect.DeepEqual(due, []int64{3, 1}) {
			t.Fatalf("due %v, want [3 1] (99 and 2 are not subscribed)", due)
		}
		if _, ok, err := s.Subscription(ctx, 2); err != nil || ok {
			t.Fatalf("Reschedule revived chat 2: ok=%v err=%v", ok, err)
		}
	})

	t.Run("ClaimDigest", func(t *testing.T) {
		s := newStore(t)
		claim := func(chat int64, date string, want bool) {
			t.Helper()
			got, err := s.ClaimDigest(ctx, chat, date)
			if err != nil || got != want {
				t.Fatalf("ClaimDigest(%d, %s) = %v, %v; want %v", chat, date, got, err, want)
			}
		}
		claim(-77, "2024-05-01", true)
		claim(-77, "2024-05-01", false)
		claim(-77, "2024-05-01", false)
		claim(-77, "2024-05-02", true) // other date
		claim(78, "2024-05-01", true)  // other chat
		claim(77, "2024-05-01", true)  // not the same chat as -77
		if err := s.ReleaseDigest(ctx, -77, "2024-05-01"); err != nil {
			t.Fatal(err)
		}
		claim(-77, "2024-05-01", true) // claimable again once
		claim(-77, "2024-05-01", false)
		claim(-77, "2024-05-02", false) // releasing one date left the other claimed
		claim(78, "2024-05-01", false)
		// Releasing what was never claimed is harmless.
		if err := s.ReleaseDigest(ctx, 1, "2030-01-01"); err != nil {
			t.Fatal(err)
		}
		claim(1, "2030-01-01", true)
	})

	t.Run("ConfirmAndPostpone", func(t *testing.T) {
		s := newStore(t)
		if ok, err := s.ClaimDigest(ctx, 7, "2030-01-02"); err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if err := s.ConfirmDigest(ctx, 7, "2030-01-02"); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.ClaimDigest(ctx, 7, "2030-01-02"); err != nil || ok {
			t.Fatalf("claim after confirm: %v %v; want refused", ok, err)
		}
		sub := Subscription{ChatID: 7, Time: "09:00", TZ: "UTC", Created: base}
		if err := s.Subscribe(ctx, sub, base); err != nil {
			t.Fatal(err)
		}
		// Postpone moves later only.
		if err := s.Postpone(ctx, 7, base.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Postpone(ctx, 7, base.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if due := dueIDs(t, s, base.Add(59*time.Minute), 10); len(due) != 0 {
			t.Fatalf("due %v before the postponed time", due)
		}
		got, err := s.Due(ctx, base.Add(time.Hour), 10)
		if err != nil || len(got) != 1 || !got[0].Next.Equal(base.Add(time.Hour)) {
			t.Fatalf("Due = %+v, %v; want chat 7 with Next = base+1h", got, err)
		}
		// Not subscribed: nothing happens.
		if err := s.Postpone(ctx, 8, base.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.Subscription(ctx, 8); ok {
			t.Fatal("Postpone subscribed a chat")
		}
	})

	t.Run("Updates", func(t *testing.T) {
		s := newStore(t)
		begin := func(id int64, want UpdateState) {
			t.Helper()
			if got, err := s.BeginUpdate(ctx, id, time.Minute); err != nil || got != want {
				t.Fatalf("BeginUpdate(%d) = %v, %v; want %v", id, got, err, want)
			}
		}
		for _, id := range []int64{1, 2, 987654321} {
			begin(id, UpdateNew)
		}
		// In flight here: delivered again while answering, it is ours.
		begin(1, UpdateNew)
		for _, id := range []int64{1, 2, 987654321} {
			if err := s.FinishUpdate(ctx, id); err != nil {
				t.Fatal(err)
			}
			begin(id, UpdateDone)
		}
		// An update given back (cut short, or its answer given up) is new
		// again; a done one is not given back.
		begin(3, UpdateNew)
		if err := s.ReleaseUpdate(ctx, 3); err != nil {
			t.Fatal(err)
		}
		begin(3, UpdateNew)
		if err := s.ReleaseUpdate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		begin(1, UpdateDone)
		// Releasing what was never begun is harmless.
		if err := s.ReleaseUpdate(ctx, 4); err != nil {
			t.Fatal(err)
		}
		if err := s.Heartbeat(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.Retire(ctx); err != nil {
			t.Fatal(err)
		}
		if s.Owner() == "" {
			t.Fatal("Owner is empty")
		}
	})

	t.Run("Journal", func(t *testing.T) {
		s := newStore(t)
		if got, err := s.Journaled(ctx); err != nil || len(got) != 0 {
			t.Fatalf("empty journal: %v, %v", got, err)
		}
		ups := []JournaledUpdate{{ID: 12, Body: []byte(`{"update_id":12}`)}, {ID: 10, Body: []byte(`{"update_id":10,"x":"a:b"}`)}}
		if err := s.JournalUpdates(ctx, ups); err != nil {
			t.Fatal(err)
		}
		if err := s.JournalUpdates(ctx, []JournaledUpdate{{ID: 11, Body: []byte(`{"update_id":11}`)}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Journaled(ctx)
		if err != nil || len(got) != 3 || got[0].ID != 10 || got[1].ID != 11 || got[2].ID != 12 || string(got[0].Body) != `{"update_id":10,"x":"a:b"}` {
			t.Fatalf("Journaled = %+v, %v; want 10, 11, 12 with their bodies", got, err)
		}
		// Answered: out of the journal.
		if _, err := s.BeginUpdate(ctx, 11, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishUpdate(ctx, 11); err != nil {
			t.Fatal(err)
		}
		// Given back: still in it.
		if _, err := s.BeginUpdate(ctx, 12, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.ReleaseUpdate(ctx, 12); err != nil {
			t.Fatal(err)
		}
		got, err = s.Journaled(ctx)
		if err != nil || len(got) != 2 || got[0].ID != 10 || got[1].ID != 12 {
			t.Fatalf("Journaled after finishing 11 = %+v, %v; want 10, 12", got, err)
		}
	})

	t.Run("SendingDigest", func(t *testing.T) {
		s := newStore(t)
		// Not claimed: must not be sent.
		if ok, err := s.SendingDigest(ctx, 5, "2030-01-01"); err != nil || ok {
			t.Fatalf("SendingDigest without a claim = %v, %v; want false", ok, err)
		}
		if ok, _ := s.ClaimDigest(ctx, 5, "2030-01-01"); !ok {
			t.Fatal("claim refused")
		}
		for range 2 { // once before each attempt
			if ok, err := s.SendingDigest(ctx, 5, "2030-01-01"); err != nil || !ok {
				t.Fatalf("SendingDigest of our claim = %v, %v; want true", ok, err)
			}
		}
		// Sending counts as sent for everyone …
		if ok, _ := s.ClaimDigest(ctx, 5, "2030-01-01"); ok {
			t.Fatal("a digest being sent was claimed again")
		}
		// … unless Telegram said no and the claim is given back.
		if err := s.ReleaseDigest(ctx, 5, "2030-01-01"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ClaimDigest(ctx, 5, "2030-01-01"); !ok {
			t.Fatal("a released digest could not be claimed")
		}
		if err := s.ConfirmDigest(ctx, 5, "2030-01-01"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.SendingDigest(ctx, 5, "2030-01-01"); ok {
			t.Fatal("SendingDigest of a sent digest = true")
		}
		if err := s.ReleaseDigest(ctx, 5, "2030-01-01"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ClaimDigest(ctx, 5, "2030-01-01"); ok {
			t.Fatal("ReleaseDigest gave back a sent digest")
		}
	})

	t.Run("Allow", func(t *testing.T) {
		s := newStore(t)
		l := PerMinute(3)
		for i := range 3 {
			ok, retry, err := s.Allow(ctx, "user:1", l)
			if err != nil || !ok {
				t.Fatalf("event %d: ok=%v retry=%v err=%v; want allowed", i+1, ok, retry, err)
			}
		}
		for i := range 2 { // refused events do not use up more
			ok, retry, err := s.Allow(ctx, "user:1", l)
			if err != nil || ok {
				t.Fatalf("event %d: ok=%v err=%v; want refused", i+4, ok, err)
			}
			if retry <= 0 || retry > time.Minute {
				t.Fatalf("event %d: retryAfter = %v, want in (0, 1m]", i+4, retry)
			}
		}
		// Keys are independent.
		for i := range 3 {
			if ok, _, err := s.Allow(ctx, "chat:-1", l); err != nil || !ok {
				t.Fatalf("other key, event %d: ok=%v err=%v", i+1, ok, err)
			}
		}
		if ok, _, err := s.Allow(ctx, "chat:-1", l); err != nil || ok {
			t.Fatalf("other key, 4th event: ok=%v err=%v; want refused", ok, err)
		}
		// A bigger limit on a fresh key.
		for i := range 10 {
			if ok, _, err := s.Allow(ctx, "user:2", PerMinute(10)); err != nil || !ok {
				t.Fatalf("PerMinute(10) event %d: ok=%v err=%v", i+1, ok, err)
			}
		}
		if ok, retry, err := s.Allow(ctx, "user:2", PerMinute(10)); err != nil || ok || retry <= 0 || retry > 6*time.Second {
			t.Fatalf("PerMinute(10) 11th: ok=%v retry=%v err=%v; want refused, retry in (0, 6s]", ok, retry, err)
		}
	})

	t.Run("Stats", func(t *testing.T) {
		s := newStore(t)
		const chat, day = -42, "2024-05-01"
		empty, err := s.Stats(ctx, chat, day)
		if err != nil {
			t.Fatal(err)
		}
		sameStats(t, "empty", empty, DayStats{Sections: map[string]int{}})

		records := []QuestionRecord{
			{Question: "q1", Covered: true, Sections: []string{"A", "B", "A"}}, // A once per question
			{Question: "q2 没有覆盖", Covered: false},
			{Question: "q3", Covered: false, Sections: []string{"B"}},
			{Question: "q4", Covered: true},
		}
		for _, r := range records {
			if err := s.RecordQuestion(ctx, chat, day, r); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range []struct {
			id    string
			voter int64
			up    bool
		}{{"a1", 1, true}, {"a2", 1, true}, {"a1", 2, false}, {"a1", 3, true}} {
			if counted, err := s.RecordFeedback(ctx, chat, day, f.id, f.voter, f.up); err != nil || !counted {
				t.Fatalf("vote %+v: counted=%v err=%v", f, counted, err)
			}
		}
		// A second vote by the same voter on the same answer is not counted.
		if counted, err := s.RecordFeedback(ctx, chat, day, "a1", 1, false); err != nil || counted {
			t.Fatalf("second vote: counted=%v err=%v; want false", counted, err)
		}
		got, err := s.Stats(ctx, chat, day)
		if err != nil {
			t.Fatal(err)
		}
		sameStats(t, "day", got, DayStats{
			Questions: 4,
			Sections:  map[string]int{"A": 1, "B": 2},
			Uncovered: []string{"q3", "q2 没有覆盖"},
			Up:        3, Down: 1,
		})

		// Other days and chats are separate.
		if err := s.RecordQuestion(ctx, chat, "2024-05-02", QuestionRecord{Question: "x", Sections: []string{"C"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordFeedback(ctx, 43, day, "a9", 1, false); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Stats(ctx, chat, day)
		sameStats(t, "day after other writes", got, DayStats{
			Questions: 4, Sections: map[string]int{"A": 1, "B": 2},
			Uncovered: []string{"q3", "q2 没有覆盖"}, Up: 3, Down: 1,
		})
		got, _ = s.Stats(ctx, chat, "2024-05-02")
		sameStats(t, "next day", got, DayStats{Questions: 1, Sections: map[string]int{"C": 1}, Uncovered: []string{"x"}})
		got, _ = s.Stats(ctx, 43, day)
		sameStats(t, "feedback only", got, DayStats{Sections: map[string]int{}, Down: 1})

		// The uncovered list keeps the newest 50.
		const capDay = "2024-06-01"
		for i := range 60 {
			if err := s.RecordQuestion(ctx, chat, capDay, QuestionRecord{Question: fmt.Sprint("u", i)}); err != nil {
				t.Fatal(err)
			}
		}
		got, err = s.Stats(ctx, chat, capDay)
		if err != nil {
			t.Fatal(err)
		}
		if got.Questions != 60 {
			t.Fatalf("questions = %d, want 60", got.Questions)
		}
		want := make([]string, 0, 50)
		for i := 59; i >= 10; i-- {
			want = append(want, fmt.Sprint("u", i))
		}
		if !reflect.DeepEqual(got.Uncovered, want) {
			t.Fatalf("uncovered (%d) = %v\nwant (%d) %v", len(got.Uncovered), got.Uncovered, len(want), want)
		}
	})

	t.Run("Ping", func(t *testing.T) {
		s := newStore(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func dueIDs(t *testing.T, s Store, now time.Time, limit int) []int64 {
	t.Helper()
	subs, err := s.Due(context.Background(), now, limit)
	if err != nil {
		t.Fatalf("Due: %v", err)
	}
	ids := []int64{}
	for _, sub := range subs {
		ids = append(ids, sub.ChatID)
	}
	return ids
}

// sameSub compares subscriptions; Created to the second, in any zone.
func sameSub(t *testing.T, got, want Subscription) {
	t.Helper()
	if !got.Created.Equal(want.Created) {
		t.Errorf("Created = %v, want %v", got.Created, want.Created)
	}
	got.Created, want.Created = time.Time{}, time.Time{}
	if got != want {
		t.Fatalf("subscription = %+v\nwant %+v", got, want)
	}
}

// sameStats compares statistics, an empty list or map equal to a nil one.
func sameStats(t *testing.T, what string, got, want DayStats) {
	t.Helper()
	norm := func(d DayStats) DayStats {
		if len(d.Sections) == 0 {
			d.Sections = nil
		}
		if len(d.Uncovered) == 0 {
			d.Uncovered = nil
		}
		return d
	}
	if !reflect.DeepEqual(norm(got), norm(want)) {
		t.Fatalf("%s: stats = %+v\nwant %+v", what, got, want)
	}
}

func TestMemoryContract(t *testing.T) {
	testContract(t, func(t *testing.T) Store { return NewMemory(MemoryOptions{}) })
}

func TestRedisContract(t *testing.T) {
	srv := redistest.Start(t)
	testContract(t, func(t *testing.T) Store {
		return newTestRedis(t, RedisOptions{URL: srv.URL()})
	})
}

func TestRedisClusterContract(t *testing.T) {
	c := redistest.StartCluster(t)
	testContract(t, func(t *testing.T) Store {
		s := newTestRedis(t, RedisOptions{Addrs: c.Addrs()})
		if _, ok := s.Client().(*redis.ClusterClient); !ok {
			t.Fatalf("client is a %T, want *redis.ClusterClient", s.Client())
		}
		return s
	})
}

// newTestRedis returns a Redis store with a prefix of its own (from the
// test's name) so tests sharing a server never see each other's keys, a
// timeout generous enough for a loaded CI machine unless o sets one, and
// closes it when the test ends.
func newTestRedis(t testing.TB, o RedisOptions) *Redis {
	t.Helper()
	if o.Prefix == "" {
		o.Prefix = testPrefix(t)
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	s, err := NewRedis(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testPrefix(t testing.TB) string {
	r := strings.NewReplacer("/", ":", " ", "_", "{", "(", "}", ")")
	return "t:" + r.Replace(t.Name()) + ":"
}
