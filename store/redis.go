package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
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
	// StatTTL is how long a day's statistics are kept (default 8 days).
	StatTTL time.Duration
}

// Redis is the production store. It is safe for concurrent use and
// reconnects by itself when Redis comes back.
type Redis struct {
	c       redis.UniversalClient
	p       string
	timeout time.Duration
	statTTL time.Duration
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
	uo.DialTimeout, uo.ReadTimeout, uo.WriteTimeout = o.Timeout, o.Timeout, o.Timeout
	uo.MaxRetries = -1 // fail fast; the caller decides what to do without state
	uo.ContextTimeoutEnabled = true
	return &Redis{c: redis.NewUniversalClient(uo), p: o.Prefix, timeout: o.Timeout, statTTL: o.StatTTL}, nil
}

// Client returns the underlying go-redis client (for metrics and tests).
func (r *Redis) Client() redis.UniversalClient { return r.c }

func (r *Redis) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.timeout)
}

// fail wraps a Redis error so callers can tell "unavailable" apart.
func fail(op string, err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		return nil
	}
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, op, err)
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
		return nil, false, fail("get answer", err)
	}
	return b, true, nil
}

func (r *Redis) CacheAnswer(ctx context.Context, version, question string, answer []byte, ttl time.Duration) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	if ttl <= 0 {
		// As in Memory: nothing cached. SET with no expiry would keep the
		// answer forever (and -1 would mean KEEPTTL).
		return fail("cache answer", r.c.Del(ctx, r.answerKey(version, question)).Err())
	}
	return fail("cache answer", r.c.Set(ctx, r.answerKey(version, question), answer, ttl).Err())
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
	return fail("subscribe", err)
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
		return false, fail("unsubscribe", err)
	}
	return del.Val() > 0, nil
}

func (r *Redis) Subscription(ctx context.Context, chatID int64) (Subscription, bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	m, err := r.c.HGetAll(ctx, r.subKey(chatID)).Result()
	if err != nil {
		return Subscription{}, false, fail("read subscription", err)
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
		return nil, fail("due subscriptions", err)
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
		return nil, fail("due subscriptions", err)
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
	return fail("reschedule", rescheduleScript.Run(ctx, r.c, []string{r.subKey(chatID), r.dueKey()}, next.Unix(), chatID).Err())
}

func (r *Redis) digestKey(chatID int64, date string) string {
	return r.p + "digest:" + strconv.FormatInt(chatID, 10) + ":" + date
}

func (r *Redis) ClaimDigest(ctx context.Context, chatID int64, date string) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	ok, err := r.c.SetNX(ctx, r.digestKey(chatID, date), "claimed", DigestClaimTTL).Result()
	if err != nil {
		return false, fail("claim digest", err)
	}
	return ok, nil
}

func (r *Redis) ConfirmDigest(ctx context.Context, chatID int64, date string) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return fail("confirm digest", r.c.Set(ctx, r.digestKey(chatID, date), "sent", digestMarkTTL).Err())
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
	return fail("postpone", postponeScript.Run(ctx, r.c, []string{r.subKey(chatID), r.dueKey()}, until.Unix(), chatID).Err())
}

func (r *Redis) ReleaseDigest(ctx context.Context, chatID int64, date string) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return fail("release digest", r.c.Del(ctx, r.digestKey(chatID, date)).Err())
}

func (r *Redis) FirstSeen(ctx context.Context, updateID int64) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	ok, err := r.c.SetNX(ctx, r.p+"upd:"+strconv.FormatInt(updateID, 10), 1, updateTTL).Result()
	if err != nil {
		return false, fail("update seen", err)
	}
	return ok, nil
}

func (r *Redis) ReleaseUpdate(ctx context.Context, updateID int64) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	return fail("release update", r.c.Del(ctx, r.p+"upd:"+strconv.FormatInt(updateID, 10)).Err())
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
		return false, 0, fail("rate limit", err)
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
	return fail("record question", err)
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
		return false, fail("record feedback", err)
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
		return DayStats{}, fail("stats", err)
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
	return fail("ping", r.c.Ping(ctx).Err())
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
