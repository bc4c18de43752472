package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"reportbot/store/redistest"
)

// claimGoroutines claim chat's digest for date from n goroutines released
// together, and returns how many won.
func claimGoroutines(s Store, chat int64, date string, n int) (wins int, err error) {
	var (
		won   atomic.Int64
		wg    sync.WaitGroup
		start = make(chan struct{})
		errMu sync.Mutex
	)
	for range n {
		wg.Go(func() {
			<-start
			ok, e := s.ClaimDigest(context.Background(), chat, date)
			if e != nil {
				errMu.Lock()
				err = errors.Join(err, e)
				errMu.Unlock()
			}
			if ok {
				won.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	return int(won.Load()), err
}

func TestRedisClaimDigestGoroutines(t *testing.T) {
	srv := redistest.Start(t)
	s := newTestRedis(t, RedisOptions{URL: srv.URL()})
	for day := 1; day <= 10; day++ {
		date := fmt.Sprintf("2024-05-%02d", day)
		wins, err := claimGoroutines(s, -100, date, 50)
		if err != nil {
			t.Fatal(err)
		}
		if wins != 1 {
			t.Fatalf("%s: %d of 50 goroutines claimed the digest, want exactly 1", date, wins)
		}
	}
}

// The helper process's environment.
const (
	claimEnvURL    = "REPORTBOT_TEST_CLAIM_URL"
	claimEnvPrefix = "REPORTBOT_TEST_CLAIM_PREFIX"
	claimEnvStart  = "REPORTBOT_TEST_CLAIM_START" // Unix ns when to start claiming
)

// TestHelperClaimProcess is not a test: TestRedisClaimDigestProcesses runs
// the test binary again with only this, and its environment set, to claim
// from another OS process.
func TestHelperClaimProcess(t *testing.T) {
	u := os.Getenv(claimEnvURL)
	if u == "" {
		return
	}
	startNs, err := strconv.ParseInt(os.Getenv(claimEnvStart), 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", claimEnvStart, err)
	}
	s, err := NewRedis(RedisOptions{URL: u, Prefix: os.Getenv(claimEnvPrefix), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); err != nil { // connected before the start
		t.Fatal(err)
	}
	time.Sleep(time.Until(time.Unix(0, startNs)))
	wins, err := claimGoroutines(s, -200, "2024-05-01", 50)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("claim-wins=%d\n", wins)
}

func TestRedisClaimDigestProcesses(t *testing.T) {
	srv := redistest.Start(t)
	prefix := testPrefix(t)
	start := time.Now().Add(1500 * time.Millisecond)
	type result struct {
		out []byte
		err error
	}
	results := make(chan result, 2)
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperClaimProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			claimEnvURL+"="+srv.URL(),
			claimEnvPrefix+"="+prefix,
			claimEnvStart+"="+strconv.FormatInt(start.UnixNano(), 10),
		)
		go func() {
			out, err := cmd.CombinedOutput()
			results <- result{out, err}
		}()
	}
	re := regexp.MustCompile(`(?m)^claim-wins=(\d+)$`)
	total := 0
	for i := range 2 {
		var r result
		select {
		case r = <-results:
		case <-time.After(30 * time.Second):
			t.Fatal("helper process did not finish")
		}
		if r.err != nil {
			t.Fatalf("helper process %d: %v\n%s", i, r.err, r.out)
		}
		m := re.FindSubmatch(r.out)
		if m == nil {
			t.Fatalf("helper process %d printed no claim-wins line:\n%s", i, r.out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		t.Logf("a process won %d of its 50 claims", n)
		total += n
	}
	if total != 1 {
		t.Fatalf("%d claims won across 2 processes × 50 goroutines, want exactly 1", total)
	}
}

func TestRedisAnswerTTL(t *testing.T) {
	srv := redistest.Start(t)
	s := newTestRedis(t, RedisOptions{URL: srv.URL()})
	ctx := context.Background()
	if err := s.CacheAnswer(ctx, "v1", "short-lived", []byte("a"), time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.CacheAnswer(ctx, "v1", "long-lived", []byte("b"), time.Hour); err != nil {
		t.Fatal(err)
	}
	cached := time.Now()
	_, ok, err := s.CachedAnswer(ctx, "v1", "short-lived")
	if err != nil {
		t.Fatal(err)
	}
	if !ok && time.Since(cached) < 900*time.Millisecond {
		t.Fatal("answer missing right after caching it")
	}
	for deadline := time.Now().Add(5 * time.Second); ok; {
		if time.Now().After(deadline) {
			t.Fatal("answer cached for 1s still there after 5s")
		}
		time.Sleep(100 * time.Millisecond)
		if _, ok, err = s.CachedAnswer(ctx, "v1", "short-lived"); err != nil {
			t.Fatal(err)
		}
	}
	if got, ok, err := s.CachedAnswer(ctx, "v1", "long-lived"); err != nil || !ok || string(got) != "b" {
		t.Fatalf("the 1h answer: %q %v %v", got, ok, err)
	}
}

// The memory store's expiries, on a clock the test moves.
func TestMemoryTTL(t *testing.T) {
	var (
		mu  sync.Mutex
		now = time.Unix(1_700_000_000, 0)
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	m := NewMemory(MemoryOptions{Now: clock, StatTTL: 48 * time.Hour})
	ctx := context.Background()

	t.Run("answer", func(t *testing.T) {
		m.CacheAnswer(ctx, "v1", "q", []byte("a"), time.Second)
		if _, ok, _ := m.CachedAnswer(ctx, "v1", "q"); !ok {
			t.Fatal("miss right after caching")
		}
		advance(999 * time.Millisecond)
		if _, ok, _ := m.CachedAnswer(ctx, "v1", "q"); !ok {
			t.Fatal("miss before the TTL")
		}
		advance(time.Millisecond)
		if _, ok, _ := m.CachedAnswer(ctx, "v1", "q"); ok {
			t.Fatal("hit after the TTL")
		}
	})
	t.Run("digest mark", func(t *testing.T) {
		// A claim that is never confirmed (the sender died) lapses.
		if ok, _ := m.ClaimDigest(ctx, 2, "d"); !ok {
			t.Fatal("first claim refused")
		}
		advance(DigestClaimTTL - time.Second)
		if ok, _ := m.ClaimDigest(ctx, 2, "d"); ok {
			t.Fatal("claimed again while the claim holds")
		}
		advance(time.Second)
		if ok, _ := m.ClaimDigest(ctx, 2, "d"); !ok {
			t.Fatal("an unconfirmed claim did not lapse")
		}
		// A confirmed one is the sent mark, kept 48h.
		if ok, _ := m.ClaimDigest(ctx, 1, "d"); !ok {
			t.Fatal("first claim refused")
		}
		if err := m.ConfirmDigest(ctx, 1, "d"); err != nil {
			t.Fatal(err)
		}
		advance(48*time.Hour - time.Second)
		if ok, _ := m.ClaimDigest(ctx, 1, "d"); ok {
			t.Fatal("claimed again before 48h")
		}
		advance(time.Second)
		if ok, _ := m.ClaimDigest(ctx, 1, "d"); !ok {
			t.Fatal("mark still there after 48h")
		}
	})
	t.Run("update", func(t *testing.T) {
		if st, _ := m.BeginUpdate(ctx, 9, time.Minute); st != UpdateNew {
			t.Fatalf("BeginUpdate = %v, want new", st)
		}
		m.FinishUpdate(ctx, 9)
		advance(24*time.Hour - time.Second)
		if st, _ := m.BeginUpdate(ctx, 9, time.Minute); st != UpdateDone {
			t.Fatalf("before 24h: %v, want done", st)
		}
		advance(time.Second)
		if st, _ := m.BeginUpdate(ctx, 9, time.Minute); st != UpdateNew {
			t.Fatalf("after 24h: %v, want new", st)
		}
	})
	t.Run("rate", func(t *testing.T) {
		l := PerMinute(3)
		for range 3 {
			if ok, _, _ := m.Allow(ctx, "user:1", l); !ok {
				t.Fatal("refused within the burst")
			}
		}
		ok, retry, _ := m.Allow(ctx, "user:1", l)
		if ok || retry != 20*time.Second {
			t.Fatalf("4th: ok=%v retry=%v, want refused, 20s", ok, retry)
		}
		advance(retry - time.Millisecond)
		if ok, _, _ := m.Allow(ctx, "user:1", l); ok {
			t.Fatal("allowed before retryAfter")
		}
		advance(time.Millisecond)
		if ok, _, _ := m.Allow(ctx, "user:1", l); !ok {
			t.Fatal("refused at retryAfter")
		}
		if ok, _, _ := m.Allow(ctx, "user:1", l); ok {
			t.Fatal("one interval let two events through")
		}
		advance(time.Minute)
		for range 3 {
			if ok, _, _ := m.Allow(ctx, "user:1", l); !ok {
				t.Fatal("burst not back after a quiet minute")
			}
		}
	})
	t.Run("stats", func(t *testing.T) {
		m.RecordQuestion(ctx, 5, "day", QuestionRecord{Question: "q"})
		advance(48*time.Hour - time.Second)
		if st, _ := m.Stats(ctx, 5, "day"); st.Questions != 1 {
			t.Fatalf("stats gone before StatTTL: %+v", st)
		}
		advance(time.Second)
		if st, _ := m.Stats(ctx, 5, "day"); st.Questions != 0 || len(st.Uncovered) != 0 {
			t.Fatalf("stats still there after StatTTL: %+v", st)
		}
	})
}

func TestRedisRestart(t *testing.T) {
	srv := redistest.Start(t)
	s := newTestRedis(t, RedisOptions{URL: srv.URL()})
	ctx := context.Background()
	base := time.Unix(1_700_000_000, 0)
	var want []int64
	subscribe := func(id int64, i int) {
		t.Helper()
		sub := Subscription{ChatID: id, Time: "09:00", TZ: "Asia/Shanghai", Lang: "zh", By: id, Created: base, Title: fmt.Sprint("chat ", id)}
		if err := s.Subscribe(ctx, sub, base.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
	}
	check := func(what string) {
		t.Helper()
		waitPing(t, s)
		for _, id := range want {
			sub, ok, err := s.Subscription(ctx, id)
			if err != nil || !ok || sub.ChatID != id || sub.Title != fmt.Sprint("chat ", id) || !sub.Created.Equal(base) {
				t.Fatalf("%s: chat %d: %+v %v %v", what, id, sub, ok, err)
			}
		}
		got := dueIDs(t, s, base.Add(1000*time.Minute), 1000)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: Due lists %d chats %v\nwant %d %v", what, len(got), got, len(want), want)
		}
	}
	for i := range 100 {
		subscribe(int64(-1000-i), i)
	}
	srv.Restart(t)
	check("after a restart")

	// Every write is fsynced: a crash loses nothing either.
	subscribe(7, 100)
	srv.Kill(t)
	srv.Restart(t)
	check("after a crash")
}

// waitPing waits, up to 10s, until s answers Ping.
func waitPing(t *testing.T, s Store) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err = s.Ping(context.Background()); err == nil {
			return
		}
	}
	t.Fatalf("store did not come back: %v", err)
}

// allUnavailable calls every method of s and checks each returns, with an
// error that is ErrUnavailable.
func allUnavailable(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	calls := []struct {
		name string
		f    func() error
	}{
		{"CachedAnswer", func() error { _, _, err := s.CachedAnswer(ctx, "v1", "q"); return err }},
		{"CacheAnswer", func() error { return s.CacheAnswer(ctx, "v1", "q", []byte("a"), time.Hour) }},
		{"Subscribe", func() error { return s.Subscribe(ctx, Subscription{ChatID: 900, Time: "09:00"}, now) }},
		{"Unsubscribe", func() error { _, err := s.Unsubscribe(ctx, 901); return err }},
		{"Subscription", func() error { _, _, err := s.Subscription(ctx, 1); return err }},
		{"Due", func() error { _, err := s.Due(ctx, now, 10); return err }},
		{"Reschedule", func() error { return s.Reschedule(ctx, 902, now) }},
		{"ClaimDigest", func() error { _, err := s.ClaimDigest(ctx, 1, "2024-01-01"); return err }},
		{"ReleaseDigest", func() error { return s.ReleaseDigest(ctx, 903, "2024-01-01") }},
		{"BeginUpdate", func() error { _, err := s.BeginUpdate(ctx, 1, time.Minute); return err }},
		{"FinishUpdate", func() error { return s.FinishUpdate(ctx, 1) }},
		{"JournalUpdates", func() error { return s.JournalUpdates(ctx, []JournaledUpdate{{ID: 1, Body: []byte("{}")}}) }},
		{"Journaled", func() error { _, err := s.Journaled(ctx); return err }},
		{"Heartbeat", func() error { return s.Heartbeat(ctx, time.Second) }},
		{"Allow", func() error { _, _, err := s.Allow(ctx, "user:1", PerMinute(3)); return err }},
		{"RecordQuestion", func() error { return s.RecordQuestion(ctx, 904, "d", QuestionRecord{Question: "q"}) }},
		{"RecordFeedback", func() error { _, err := s.RecordFeedback(ctx, 904, "d", "a", 1, true); return err }},
		{"Stats", func() error { _, err := s.Stats(ctx, 1, "d"); return err }},
		{"Ping", func() error { return s.Ping(ctx) }},
	}
	for _, c := range calls {
		done := make(chan error, 1)
		go func() { done <- c.f() }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("%s: err = %v, want ErrUnavailable", c.name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not return while Redis is unavailable", c.name)
		}
	}
}

func TestRedisOutage(t *testing.T) {
	srv := redistest.Start(t)
	s := newTestRedis(t, RedisOptions{URL: srv.URL(), Timeout: 100 * time.Millisecond})
	ctx := context.Background()
	if err := s.Subscribe(ctx, Subscription{ChatID: 1, Time: "09:00", Title: "kept"}, time.Unix(1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.CacheAnswer(ctx, "v1", "kept", []byte("answer"), time.Hour); err != nil {
		t.Fatal(err)
	}
	// works waits until the same store object answers again and its data
	// is all there. Calls time out after 100ms, which a loaded machine may
	// exceed now and then, so ErrUnavailable is retried for a while.
	works := func() {
		t.Helper()
		waitPing(t, s)
		var err error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			var (
				sub      Subscription
				answer   []byte
				ok1, ok2 bool
				claimed  bool
			)
			if sub, ok1, err = s.Subscription(ctx, 1); err != nil {
				continue
			}
			if !ok1 || sub.Title != "kept" {
				t.Fatalf("Subscription after the outage: %+v %v", sub, ok1)
			}
			if answer, ok2, err = s.CachedAnswer(ctx, "v1", "kept"); err != nil {
				continue
			}
			if !ok2 || string(answer) != "answer" {
				t.Fatalf("CachedAnswer after the outage: %q %v", answer, ok2)
			}
			if claimed, err = s.ClaimDigest(ctx, 1, time.Now().String()); err != nil {
				continue
			}
			if !claimed {
				t.Fatal("ClaimDigest of a new date after the outage: false")
			}
			return
		}
		t.Fatalf("store still failing after the outage: %v", err)
	}

	t.Run("down", func(t *testing.T) {
		srv.Stop(t)
		allUnavailable(t, s)
		// More failures than the connection pool has connections: go-redis
		// then stops dialling on each call and probes in the background.
		for i := range 30 {
			if err := s.Ping(ctx); !errors.Is(err, ErrUnavailable) {
				t.Fatalf("Ping %d while down: %v", i, err)
			}
		}
		srv.Restart(t)
		works()
	})
	t.Run("frozen", func(t *testing.T) {
		// Connections are accepted but nothing answers: the timeout must
		// bound every call.
		srv.Pause(t)
		allUnavailable(t, s)
		srv.Resume(t)
		works()
	})
	t.Run("never up", func(t *testing.T) {
		// A store made while Redis is down works once Redis starts.
		srv.Stop(t)
		late := newTestRedis(t, RedisOptions{URL: srv.URL(), Timeout: 100 * time.Millisecond})
		allUnavailable(t, late)
		srv.Restart(t)
		waitPing(t, late)
	})
}

func TestRedisURL(t *testing.T) {
	t.Run("bad", func(t *testing.T) {
		for _, u := range []string{
			"http://127.0.0.1:6379",
			"redis://127.0.0.1:6379/notadb",
			"redis://127.0.0.1:6379/0?no_such_option=1",
			"://127.0.0.1",
			"127.0.0.1:6379",
		} {
			if s, err := NewRedis(RedisOptions{URL: u}); err == nil {
				s.Close()
				t.Errorf("NewRedis(%q) accepted a bad URL", u)
			}
		}
		if s, err := NewRedis(RedisOptions{}); err == nil {
			s.Close()
			t.Error("NewRedis with neither URL nor addresses accepted")
		}
	})

	t.Run("rediss", func(t *testing.T) {
		s, err := NewRedis(RedisOptions{URL: "rediss://bob:pa%40ss@cache.example.com:6380/2"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		c, ok := s.Client().(*redis.Client)
		if !ok {
			t.Fatalf("client is a %T, want *redis.Client", s.Client())
		}
		o := c.Options()
		if o.TLSConfig == nil {
			t.Fatal("rediss:// URL gave no TLS config")
		}
		if o.TLSConfig.ServerName != "cache.example.com" || o.Addr != "cache.example.com:6380" ||
			o.Username != "bob" || o.Password != "pa@ss" || o.DB != 2 {
			t.Fatalf("options: addr=%s user=%s pass=%s db=%d servername=%s", o.Addr, o.Username, o.Password, o.DB, o.TLSConfig.ServerName)
		}
		plain, err := NewRedis(RedisOptions{URL: "redis://cache.example.com:6380/0"})
		if err != nil {
			t.Fatal(err)
		}
		defer plain.Close()
		if plain.Client().(*redis.Client).Options().TLSConfig != nil {
			t.Fatal("redis:// URL has a TLS config")
		}
	})

	const password = "s3cr@t:/x" // needs escaping in a URL
	srv := redistest.Start(t, redistest.WithArgs("--user", "alice", "on", ">"+password, "~*", "&*", "+@all"))
	userURL := func(user, pass string, db int) string {
		u := url.URL{Scheme: "redis", User: url.UserPassword(user, pass), Host: srv.Addr(), Path: "/" + strconv.Itoa(db)}
		return u.String()
	}
	ctx := context.Background()

	t.Run("user and password", func(t *testing.T) {
		s := newTestRedis(t, RedisOptions{URL: userURL("alice", password, 0)})
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		who, err := s.Client().Do(ctx, "ACL", "WHOAMI").Text()
		if err != nil || who != "alice" {
			t.Fatalf("ACL WHOAMI = %q, %v; want alice", who, err)
		}
		wrong := newTestRedis(t, RedisOptions{URL: userURL("alice", "wrong", 0)})
		if err := wrong.Ping(ctx); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("wrong password: Ping = %v, want ErrUnavailable", err)
		}
	})

	t.Run("db", func(t *testing.T) {
		// The default prefix, in DB 3.
		s, err := NewRedis(RedisOptions{URL: userURL("alice", password, 3), Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.CacheAnswer(ctx, "v9", "q", []byte("a"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.Subscribe(ctx, Subscription{ChatID: 5, Time: "09:00"}, time.Unix(1, 0)); err != nil {
			t.Fatal(err)
		}
		keysIn := func(db int) []string {
			c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Username: "alice", Password: password, DB: db})
			defer c.Close()
			keys, err := c.Keys(ctx, "*").Result()
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(keys)
			return keys
		}
		keys := keysIn(3)
		if len(keys) != 3 ||
			!regexp.MustCompile(`^reportbot:ans:v9:[0-9a-f]+$`).MatchString(keys[0]) ||
			keys[1] != "reportbot:{sub}:chat:5" || keys[2] != "reportbot:{sub}:due" {
			t.Fatalf("DB 3 keys = %q, want reportbot:ans:v9:…, reportbot:{sub}:chat:5, reportbot:{sub}:due", keys)
		}
		if keys := keysIn(0); len(keys) != 0 {
			t.Fatalf("DB 0 has keys %q; the store was told DB 3", keys)
		}
	})
}

func TestRedisKeySchema(t *testing.T) {
	srv := redistest.Start(t)
	const prefix = "pfx:"
	s := newTestRedis(t, RedisOptions{URL: srv.URL(), Prefix: prefix, StatTTL: 8 * 24 * time.Hour})
	ctx := context.Background()
	const chat, day = -5, "2024-05-01"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// One call of each method.
	must(s.CacheAnswer(ctx, "v7", "what is it?", []byte("a"), 24*time.Hour))
	_, _, err := s.CachedAnswer(ctx, "v7", "what is it?")
	must(err)
	must(s.Subscribe(ctx, Subscription{ChatID: chat, Time: "09:00", TZ: "UTC"}, time.Unix(1_700_000_000, 0)))
	must(s.Subscribe(ctx, Subscription{ChatID: 6, Time: "09:00", TZ: "UTC"}, time.Unix(1_700_000_000, 0)))
	_, err = s.Unsubscribe(ctx, 6)
	must(err)
	_, _, err = s.Subscription(ctx, chat)
	must(err)
	_, err = s.Due(ctx, time.Unix(1_800_000_000, 0), 10)
	must(err)
	must(s.Reschedule(ctx, chat, time.Unix(1_700_086_400, 0)))
	_, err = s.ClaimDigest(ctx, chat, day)
	must(err)
	_, err = s.ClaimDigest(ctx, chat, "2024-05-02")
	must(err)
	must(s.ReleaseDigest(ctx, chat, "2024-05-02"))
	_, err = s.BeginUpdate(ctx, 12345, time.Minute)
	must(err)
	must(s.FinishUpdate(ctx, 12345))
	must(s.JournalUpdates(ctx, []JournaledUpdate{{ID: 12346, Body: []byte("{}")}}))
	must(s.Heartbeat(ctx, 5*time.Second))
	_, _, err = s.Allow(ctx, "user:42", PerMinute(3))
	must(err)
	must(s.RecordQuestion(ctx, chat, day, QuestionRecord{Question: "q", Sections: []string{"S"}}))
	_, err = s.RecordFeedback(ctx, chat, day, "a1", 1, true)
	must(err)
	_, err = s.Stats(ctx, chat, day)
	must(err)
	must(s.Ping(ctx))

	// What package store's doc says: key, type, TTL.
	const (
		noTTL = -1
		day1  = 24 * time.Hour
	)
	schema := []struct {
		pattern  string
		typ      string
		min, max time.Duration // TTL range; noTTL for none
	}{
		{`ans:v7:[0-9a-f]+`, "string", day1 - time.Hour, day1},
		{`\{sub\}:chat:-5`, "hash", noTTL, noTTL},
		{`\{sub\}:due`, "zset", noTTL, noTTL},
		{`digest:-5:2024-05-01`, "string", DigestClaimTTL - time.Minute, DigestClaimTTL},
		{`upd:12345`, "string", day1 - time.Hour, day1},
		{`\{upd\}:journal`, "hash", noTTL, noTTL},
		{`alive:[0-9a-f]{16}`, "string", time.Second, 5 * time.Second},
		{`rate:user:42`, "string", 1, time.Minute},
		{`stats:\{-5:2024-05-01\}:n`, "string", 8*day1 - time.Hour, 8 * day1},
		{`stats:\{-5:2024-05-01\}:sections`, "hash", 8*day1 - time.Hour, 8 * day1},
		{`stats:\{-5:2024-05-01\}:uncovered`, "list", 8*day1 - time.Hour, 8 * day1},
		{`stats:\{-5:2024-05-01\}:feedback`, "hash", 8*day1 - time.Hour, 8 * day1},
	}
	c := s.Client()
	var keys []string
	iter := c.Scan(ctx, 0, "*", 100).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	must(iter.Err())
	sort.Strings(keys)
	matched := make([]int, len(schema))
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) {
			t.Errorf("key %q does not start with the prefix %q", k, prefix)
			continue
		}
		found := false
		for i, e := range schema {
			if !regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + e.pattern + `$`).MatchString(k) {
				continue
			}
			found = true
			matched[i]++
			typ, err := c.Type(ctx, k).Result()
			must(err)
			if typ != e.typ {
				t.Errorf("%s is a %s, want %s", k, typ, e.typ)
			}
			ttl, err := c.PTTL(ctx, k).Result()
			must(err)
			switch {
			case e.min == noTTL && ttl != -1:
				t.Errorf("%s has TTL %v, want none", k, ttl)
			case e.min != noTTL && (ttl < e.min || ttl > e.max):
				t.Errorf("%s has TTL %v, want in [%v, %v]", k, ttl, e.min, e.max)
			}
		}
		if !found {
			t.Errorf("key %q is not in the documented schema", k)
		}
	}
	for i, e := range schema {
		if matched[i] != 1 {
			t.Errorf("%d keys match %s, want 1 (keys: %q)", matched[i], e.pattern, keys)
		}
	}
}

// Two store values are two processes: an update in flight in one is busy
// for the other while the first heartbeats, and taken over once it stops
// (it died, or retired at shutdown).
func TestRedisUpdateTakeover(t *testing.T) {
	srv := redistest.Start(t)
	a := newTestRedis(t, RedisOptions{URL: srv.URL(), Timeout: 2 * time.Second})
	b := newTestRedis(t, RedisOptions{URL: srv.URL(), Timeout: 2 * time.Second})
	ctx := context.Background()
	want := func(s *Redis, id int64, w UpdateState) {
		t.Helper()
		if got, err := s.BeginUpdate(ctx, id, time.Minute); err != nil || got != w {
			t.Fatalf("BeginUpdate(%d) = %v, %v; want %v", id, got, err, w)
		}
	}
	if err := a.Heartbeat(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	want(a, 1, UpdateNew)
	want(b, 1, UpdateBusy)
	if err := a.Retire(ctx); err != nil {
		t.Fatal(err)
	}
	want(b, 1, UpdateNew) // taken over
	// a's late release does not undo b's mark.
	if err := a.ReleaseUpdate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := b.Heartbeat(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	want(a, 1, UpdateBusy)
	if err := b.FinishUpdate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	want(a, 1, UpdateDone)
	// A process that never heartbeat (or whose heartbeat lapsed) holds
	// nothing.
	want(a, 2, UpdateNew)
	want(b, 2, UpdateNew)
	// Digest claims are per process too: b cannot send a's claim.
	if ok, _ := a.ClaimDigest(ctx, 7, "2030-01-01"); !ok {
		t.Fatal("claim refused")
	}
	if ok, _ := b.SendingDigest(ctx, 7, "2030-01-01"); ok {
		t.Fatal("another process recorded sending a's claim")
	}
	if err := b.ReleaseDigest(ctx, 7, "2030-01-01"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := a.SendingDigest(ctx, 7, "2030-01-01"); !ok {
		t.Fatal("another process released a's claim")
	}
}
