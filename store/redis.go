package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions selects and tunes the Redis store.
type RedisOptions struct {
	// URL is a redis:// or rediss:// (TLS) URL with optional user,
	// password and DB number: redis://user:pass@host:6379/2.
	URL string
	// Addrs, when set instead of URL, lists Sentinel addresses (with
	// MasterName) or Cluster nodes (without).
	Addrs      []string
	MasterName string
	Username   string
	Password   string
	// Prefix starts every key (default "reportbot:").
	Prefix string
	// Timeout bounds every call (default 100ms): a slow Redis must not
	// slow answers, which can always come straight from the index.
	Timeout time.Duration
	// DialTimeout bounds opening a connection ahead of calls (default 1s):
	// warming the pool at start and keeping it warm. A new connection
	// costs a handshake (and TLS), which a cold pool would do for many
	// calls at once, each within Timeout.
	DialTimeout time.Duration
	// StatTTL is how long a day's statistics are kept (default 8 days).
	StatTTL time.Duration
	// Log receives one line when Redis becomes unreachable and one when
	// it is back (slog.Default() when nil).
	Log *slog.Logger
}

// Redis is the production store. It is safe for concurrent use and
// reconnects by itself when Redis comes back.
type Redis struct {
	c       redis.UniversalClient
	p       string
	timeout time.Duration
	dial    time.Duration
	statTTL time.Duration
	owner   string
	health  health
}

// NewRedis connects to Redis as o says. It does not wait for Redis to be
// up: a bot must start (and answer from its index) while Redis is down.
func NewRedis(o RedisOptions) (*Redis, error) {
	uo := &redis.UniversalOptions{Addrs: o.Addrs, MasterName: o.MasterName, Username: o.Username, Password: o.Password}
	switch {
	case o.URL != "":
		opt, err := redis.ParseURL(o.URL)
		var ue *url.Error
		if errors.As(err, &ue) {
			// url.Error quotes the URL, password and all.
			return nil, errors.New("REDIS_URL is not a valid URL: want redis://[user:password@]host:port[/db] (the value is not shown: it may hold a password)")
		}
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		uo.Addrs = []string{opt.Addr}
		uo.Username, uo.Password, uo.DB, uo.TLSConfig = opt.Username, opt.Password, opt.DB, opt.TLSConfig
	case len(o.Addrs) == 0:
		return nil, errors.New("redis: neither a URL nor addresses given")
	}
	if o.Prefix == "" {
		o.Prefix = "reportbot:"
	}
	if o.Timeout <= 0 {
		o.Timeout = 100 * time.Millisecond
	}
	if o.StatTTL <= 0 {
		o.StatTTL = DefaultStatTTL
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = time.Second
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	uo.DialTimeout, uo.ReadTimeout, uo.WriteTimeout = o.DialTimeout, o.Timeout, o.Timeout
	uo.MaxRetries = -1 // fail fast; the caller decides what to do without state
	uo.ContextTimeoutEnabled = true
	// A call that must dial is still bounded by Timeout: the pool is kept
	// warm instead (Warm at start, then MinIdleConns in the background,
	// each dial within DialTimeout), so calls seldom dial.
	uo.MinIdleConns = warmConns
	r := &Redis{c: redis.NewUniversalClient(uo), p: o.Prefix, timeout: o.Timeout, dial: o.DialTimeout, statTTL: o.StatTTL, owner: newOwner()}
	r.health.log = o.Log
	return r, nil
}

// warmConns is how many connections Warm opens, and the pool keeps idle.
const warmConns = 8

// Warm opens connections ahead of the first calls, so that a burst of
// updates at start does not find an empty pool and time out dialling. It
// waits at most about the dial timeout and reports whether Redis answered;
// a Redis that is down is no reason not to start.
func (r *Redis) Warm(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, warmConns)
	for range warmConns {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, r.dial+r.timeout)
			defer cancel()
			errs <- r.c.Ping(ctx).Err()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return fmt.Errorf("%w: warming the connection pool: %v", ErrUnavailable, err)
		}
	}
	return nil
}

// Owner is this store value's process ID in update marks and digest
// claims.
func (r *Redis) Owner() string { return r.owner }

// Client returns the underlying go-redis client (for metrics and tests).
func (r *Redis) Client() redis.UniversalClient { return r.c }

func (r *Redis) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.timeout)
}

// fail wraps a Redis error so callers can tell "unavailable" apart, and
// tells the health tracker how the call went.
func (r *Redis) fail(op string, err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		r.health.observe(nil)
		return nil
	}
	err = fmt.Errorf("%w: %s: %v", ErrUnavailable, op, err)
	r.health.observe(err)
	return err
}

// outageAfter is how long calls must keep failing, with none succeeding,
// before Redis counts as down: one slow call, or a burst of them while the
// pool dials, is not an outage.
const outageAfter = time.Second

// health logs an outage once when it starts and once when it ends.
type health struct {
	log   *slog.Logger
	mu    sync.Mutex
	since time.Time // first failure since the last success
	down  bool
}

func (h *health) observe(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if err == nil {
		if h.down {
			h.log.Info("state store reachable again", "down_for", now.Sub(h.since).Round(time.Millisecond))
		}
		h.since, h.down = time.Time{}, false
		return
	}
	if h.since.IsZero() {
		h.since = now
	}
	if !h.down && now.Sub(h.since) >= outageAfter {
		h.down = true
		h.log.Warn("state store unavailable: answering straight from the index, without the answer cache, shared de-duplication or shared limits, until it is back", "err", err)
	}
}

func (r *Redis) answerKey(version, question string) string {
	h := sha256.Sum256([]byte(question))
	return r.p + "ans:" + version + ":" + hex.EncodeToString(h[:12])
}

func (r *Redis) CachedAnswer(ctx context.Context, version, question string) ([]byte, bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	b, err := r.c.Get(ctx, r.answerKey(version, question)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, r.fail("get answer", err)
	}
	return b, true, nil
}

func (r *Redis) CacheAnswer(ctx context.Context, version, question string, answer []byte, ttl time.Duration) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	if ttl <= 0 {
		// As in Memory: nothing cached. SET with no expiry would keep the
		// answer forever (and -1 would mean KEEPTTL).
		return r.fail("cache answer", r.c.Del(ctx, r.answerKey(version, question)).Err())
	}
	return r.fail("cache answer", r.c.Set(ctx, r.answerKey(version, question), answer, ttl).Err())
}

func (r *Redis) subKey(chatID int64) string {
	return r.p + "{sub}:chat:" + strconv.FormatInt(chatID, 10)
}
func (r *Redis) dueKey() string { return r.p + "{sub}:due" }

func (r *Redis) Subscribe(ctx context.Context, s Subscription, next time.Time) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		key := r.subKey(s.ChatID)
		p.Del(ctx, key)
		p.HSet(ctx, key, subFields(s))
		p.ZAdd(ctx, r.dueKey(), redis.Z{Score: float64(next.Unix()), Member: s.ChatID})
		return nil
	})
	return r.fail("subscribe", err)
}

func subFields(s Subscription) map[string]any {
	return map[string]any{
		"chat": s.ChatID, "time": s.Time, "tz": s.TZ, "lang": s.Lang, "by": s.By,
		"created": s.Created.Unix(), "group": strconv.FormatBool(s.Group), "thread": s.ThreadID, "title": s.Title,
		"figures": strconv.FormatBool(s.Figures),
	}
}

func parseSub(m map[string]string) (Subscription, bool) {
	if len(m) == 0 {
		return Subscription{}, false
	}
	chat, _ := strconv.ParseInt(m["chat"], 10, 64)
	by, _ := strconv.ParseInt(m["by"], 10, 64)
	created, _ := strconv.ParseInt(m["created"], 10, 64)
	group, _ := strconv.ParseBool(m["group"])
	thread, _ := strconv.Atoi(m["thread"])
	figures, _ := strconv.ParseBool(m["figures"])
	return Subscription{ChatID: chat, Time: m["time"], TZ: m["tz"], Lang: m["lang"], By: by,
		Created: time.Unix(created, 0), Group: group, ThreadID: thread, Title: m["title"], Figures: figures}, true
}

func (r *Redis) Unsubscribe(ctx context.Context, chatID int64) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	var del *redis.IntCmd
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, r.subKey(chatID))
		p.ZRem(ctx, r.dueKey(), chatID)
		return nil
	})
	if err != nil {
		return false, r.fail("unsubscribe", err)
	}
	return del.Val() > 0, nil
}

func (r *Redis) Subscription(ctx context.Context, chatID int64) (Subscription, bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	m, err := r.c.HGetAll(ctx, r.subKey(chatID)).Result()
	if err != nil {
		return Subscription{}, false, r.fail("read subscription", err)
	}
	s, ok := parseSub(m)
	return s, ok, nil
}

func (r *Redis) Due(ctx context.Context, now time.Time, limit int) ([]Subscription, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	if limit <= 0 {
		limit = 1000
	}
	due, err := r.c.ZRangeByScoreWithScores(ctx, r.dueKey(), &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(now.Unix(), 10), Count: int64(limit)}).Result()
	if err != nil {
		return nil, r.fail("due subscriptions", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(due))
	_, err = r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, z := range due {
			cmds[i] = p.HGetAll(ctx, r.p+"{sub}:chat:"+fmt.Sprint(z.Member))
		}
		return nil
	})
	if err != nil {
		return nil, r.fail("due subscriptions", err)
	}
	out := make([]Subscription, 0, len(due))
	for i, c := range cmds {
		if s, ok := parseSub(c.Val()); ok {
			s.Next = time.Unix(int64(due[i].Score), 0)
			out = append(out, s)
		}
	}
	return out, nil
}

// rescheduleScript moves a chat's due time only while it is subscribed, so
// a digest finishing after an /unsubscribe cannot bring the chat back.
var rescheduleScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
end
return 0`)

func (r *Redis) Reschedule(ctx context.Context, chatID int64, next time.Time) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.fail("reschedule", rescheduleScript.Run(ctx, r.c, []string{r.subKey(chatID), r.dueKey()}, next.Unix(), chatID).Err())
}

func (r *Redis) digestKey(chatID int64, date string) string {
	return r.p + "digest:" + strconv.FormatInt(chatID, 10) + ":" + date
}

func (r *Redis) ClaimDigest(ctx context.Context, chatID int64, date string) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	ok, err := r.c.SetNX(ctx, r.digestKey(chatID, date), "claimed:"+r.owner, DigestClaimTTL).Result()
	if err != nil {
		return false, r.fail("claim digest", err)
	}
	r.fail("", nil)
	return ok, nil
}

// swapScript sets KEYS[1] to ARGV[2] for ARGV[3] ms (0: deletes it) if
// it holds one of the space-separated values ARGV[1]. It returns 1 if it
// did.
var swapScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
for w in string.gmatch(ARGV[1], '%S+') do
  if v == w then
    if tonumber(ARGV[3]) == 0 then
      redis.call('DEL', KEYS[1])
    else
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
    end
    return 1
  end
end
return 0`)

func (r *Redis) swap(ctx context.Context, key string, from []string, to string, ttl time.Duration) (bool, error) {
	n, err := swapScript.Run(ctx, r.c, []string{key}, strings.Join(from, " "), to, ttl.Milliseconds()).Int()
	return n == 1, err
}

func (r *Redis) SendingDigest(ctx context.Context, chatID int64, date string) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	mine := []string{"claimed:" + r.owner, "sending:" + r.owner}
	ok, err := r.swap(ctx, r.digestKey(chatID, date), mine, "sending:"+r.owner, digestMarkTTL)
	return ok, r.fail("record digest sending", err)
}

func (r *Redis) ConfirmDigest(ctx context.Context, chatID int64, date string) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.fail("confirm digest", r.c.Set(ctx, r.digestKey(chatID, date), "sent", digestMarkTTL).Err())
}

// postponeScript moves a due time later only (ZADD GT), and only while the
// chat is subscribed.
var postponeScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('ZADD', KEYS[2], 'GT', ARGV[1], ARGV[2])
end
return 0`)

func (r *Redis) Postpone(ctx context.Context, chatID int64, until time.Time) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.fail("postpone", postponeScript.Run(ctx, r.c, []string{r.subKey(chatID), r.dueKey()}, until.Unix(), chatID).Err())
}

func (r *Redis) ReleaseDigest(ctx context.Context, chatID int64, date string) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	_, err := r.swap(ctx, r.digestKey(chatID, date), []string{"claimed:" + r.owner, "sending:" + r.owner}, "", 0)
	return r.fail("release digest", err)
}

func (r *Redis) updateKey(id int64) string    { return r.p + "upd:" + strconv.FormatInt(id, 10) }
func (r *Redis) journalKey() string           { return r.p + "{upd}:journal" }
func (r *Redis) aliveKey(owner string) string { return r.p + "alive:" + owner }

// beginScript marks KEYS[1] in flight as ARGV[1] for ARGV[2] ms if it is
// absent, and returns what it found: false (absent, now marked), or the
// mark ("done", or "run:<owner>").
var beginScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`)

func (r *Redis) BeginUpdate(ctx context.Context, id int64, lease time.Duration) (UpdateState, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	me := "run:" + r.owner
	key := r.updateKey(id)
	for range 2 { // a second round only after losing a takeover race
		v, err := beginScript.Run(ctx, r.c, []string{key}, me, lease.Milliseconds()).Text()
		switch {
		case errors.Is(err, redis.Nil):
			r.fail("", nil)
			return UpdateNew, nil
		case err != nil:
			return UpdateNew, r.fail("begin update", err)
		case v == me:
			return UpdateNew, nil // ours already: delivered again while we answer
		case !strings.HasPrefix(v, "run:"):
			return UpdateDone, nil
		}
		alive, err := r.c.Exists(ctx, r.aliveKey(strings.TrimPrefix(v, "run:"))).Result()
		if err != nil {
			return UpdateNew, r.fail("begin update", err)
		}
		if alive == 1 {
			return UpdateBusy, nil
		}
		// Its owner died: take the update over, unless another process
		// just did.
		ok, err := r.swap(ctx, key, []string{v}, me, lease)
		if err != nil {
			return UpdateNew, r.fail("begin update", err)
		}
		if ok {
			return UpdateNew, nil
		}
	}
	return UpdateBusy, nil
}

func (r *Redis) FinishUpdate(ctx context.Context, id int64) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	// Two slots in a Cluster: a pipeline, not a transaction. A journal
	// entry left behind alone is harmless: its update is done.
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.updateKey(id), "done", updateTTL)
		p.HDel(ctx, r.journalKey(), strconv.FormatInt(id, 10))
		return nil
	})
	return r.fail("finish update", err)
}

func (r *Redis) ReleaseUpdate(ctx context.Context, id int64) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	_, err := r.swap(ctx, r.updateKey(id), []string{"run:" + r.owner}, "", 0)
	return r.fail("release update", err)
}

func (r *Redis) JournalUpdates(ctx context.Context, ups []JournaledUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	now := strconv.FormatInt(time.Now().Unix(), 10) + ":"
	fields := make([]any, 0, 2*len(ups))
	for _, u := range ups {
		fields = append(fields, strconv.FormatInt(u.ID, 10), now+string(u.Body))
	}
	return r.fail("journal updates", r.c.HSet(ctx, r.journalKey(), fields...).Err())
}

func (r *Redis) Journaled(ctx context.Context) ([]JournaledUpdate, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	m, err := r.c.HGetAll(ctx, r.journalKey()).Result()
	if err != nil {
		return nil, r.fail("read journal", err)
	}
	r.fail("", nil)
	out, stale := parseJournal(m, time.Now())
	if len(stale) > 0 {
		r.c.HDel(ctx, r.journalKey(), stale...)
	}
	return out, nil
}

// parseJournal reads journal entries, oldest update first, and lists
// those past journalTTL (or unreadable).
func parseJournal(m map[string]string, now time.Time) (out []JournaledUpdate, stale []string) {
	for k, v := range m {
		id, err := strconv.ParseInt(k, 10, 64)
		ts, body, ok := strings.Cut(v, ":")
		t, terr := strconv.ParseInt(ts, 10, 64)
		if err != nil || !ok || terr != nil || now.Sub(time.Unix(t, 0)) > journalTTL {
			stale = append(stale, k)
			continue
		}
		out = append(out, JournaledUpdate{ID: id, Body: []byte(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, stale
}

func (r *Redis) Heartbeat(ctx context.Context, ttl time.Duration) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.fail("heartbeat", r.c.Set(ctx, r.aliveKey(r.owner), 1, ttl).Err())
}

func (r *Redis) Retire(ctx context.Context) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.fail("retire", r.c.Del(ctx, r.aliveKey(r.owner)).Err())
}

// gcraScript is the same GCRA as the memory store's gcra, on Redis's clock
// so that every replica agrees. Our own script rather than redis_rate: its
// keys would not carry our prefix. ARGV: interval µs, burst µs. Returns
// {allowed, retry-after µs}.
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new = tat + interval
local allow_at = new - burst
if allow_at > now then
  return {0, allow_at - now}
end
redis.call('SET', KEYS[1], new, 'PX', math.ceil((new - now) / 1000) + 1)
return {1, 0}`)

func (r *Redis) Allow(ctx context.Context, key string, l Limit) (bool, time.Duration, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	interval := l.Period / time.Duration(l.Rate)
	burst := time.Duration(max(l.Burst, 1)) * interval
	res, err := gcraScript.Run(ctx, r.c, []string{r.p + "rate:" + key}, interval.Microseconds(), burst.Microseconds()).Int64Slice()
	if err != nil {
		return false, 0, r.fail("rate limit", err)
	}
	return res[0] == 1, time.Duration(res[1]) * time.Microsecond, nil
}

// statsKey: one hash tag per chat and day, so a day's keys share a slot and
// are written in one transaction.
func (r *Redis) statsKey(chatID int64, day, part string) string {
	return r.p + "stats:{" + strconv.FormatInt(chatID, 10) + ":" + day + "}:" + part
}

func (r *Redis) RecordQuestion(ctx context.Context, chatID int64, day string, q QuestionRecord) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n := r.statsKey(chatID, day, "n")
		p.Incr(ctx, n)
		p.Expire(ctx, n, r.statTTL)
		if secs := dedupe(q.Sections); len(secs) > 0 {
			k := r.statsKey(chatID, day, "sections")
			for _, s := range secs {
				p.HIncrBy(ctx, k, s, 1)
			}
			p.Expire(ctx, k, r.statTTL)
		}
		if !q.Covered {
			k := r.statsKey(chatID, day, "uncovered")
			p.LPush(ctx, k, q.Question)
			p.LTrim(ctx, k, 0, maxUncovered-1)
			p.Expire(ctx, k, r.statTTL)
		}
		return nil
	})
	return r.fail("record question", err)
}

// feedbackScript counts a vote once per voter and answer, in the day's
// feedback hash. KEYS[1] the hash; ARGV: voter field, count field, TTL s.
var feedbackScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`)

func (r *Redis) RecordFeedback(ctx context.Context, chatID int64, day, answerID string, voter int64, up bool) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	field := answerID + ":down"
	if up {
		field = answerID + ":up"
	}
	k := r.statsKey(chatID, day, "feedback")
	n, err := feedbackScript.Run(ctx, r.c, []string{k}, "voted:"+answerID+":"+strconv.FormatInt(voter, 10), field, int64(r.statTTL/time.Second)).Int()
	if err != nil {
		return false, r.fail("record feedback", err)
	}
	return n == 1, nil
}

func (r *Redis) Stats(ctx context.Context, chatID int64, day string) (DayStats, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	var (
		n       *redis.StringCmd
		sec, fb *redis.MapStringStringCmd
		unc     *redis.StringSliceCmd
	)
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Get(ctx, r.statsKey(chatID, day, "n"))
		sec = p.HGetAll(ctx, r.statsKey(chatID, day, "sections"))
		unc = p.LRange(ctx, r.statsKey(chatID, day, "uncovered"), 0, -1)
		fb = p.HGetAll(ctx, r.statsKey(chatID, day, "feedback"))
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return DayStats{}, r.fail("stats", err)
	}
	out := DayStats{Sections: map[string]int{}, Uncovered: unc.Val()}
	out.Questions, _ = strconv.Atoi(n.Val())
	for k, v := range sec.Val() {
		out.Sections[k], _ = strconv.Atoi(v)
	}
	for k, v := range fb.Val() {
		c, _ := strconv.Atoi(v)
		switch {
		case strings.HasSuffix(k, ":up"):
			out.Up += c
		case strings.HasSuffix(k, ":down"):
			out.Down += c
		}
	}
	return out, nil
}

func (r *Redis) Ping(ctx context.Context) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return r.fail("ping", r.c.Ping(ctx).Err())
}

func (r *Redis) Close() error { return r.c.Close() }

func init() {
	// go-redis logs every failed dial itself; during an outage that is a
	// line per call. The store reports failures as errors instead, and the
	// caller logs an outage once.
	redis.SetLogger(quietLogger{})
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
