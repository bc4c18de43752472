// Package store keeps all of reportbot's state behind small interfaces and
// one key schema: the answer cache, digest subscriptions and their due times,
// digest "sent" marks, update de-duplication, rate limits and per-chat
// question statistics.
//
// Redis (through go-redis's UniversalClient: one address, a Sentinel set or
// a Cluster) is the production store, shared by every replica; Memory is
// its twin for running with no Redis. Both pass the same contract tests.
//
// # Keys
//
// Every key starts with the prefix (REDIS_PREFIX, default "reportbot:"),
// written P below. Keys that a script or transaction touches together share
// a Redis Cluster hash tag ({…}), so they live in one slot.
//
//	P ans:V:H                 string  answer cache: V corpus version, H hash of
//	                                  the normalised question; TTL CACHE_TTL (24h)
//	P {sub}:chat:C            hash    subscription of chat C: time, tz, lang, by,
//	                                  created; no TTL
//	P {sub}:due               zset    chat IDs scored by next due time (Unix s);
//	                                  no TTL
//	P digest:C:D              string  digest for chat C on local date D:
//	                                  "claimed:O" by process O (SET NX, TTL 2m),
//	                                  "sending:O" from just before the request
//	                                  (TTL 48h), "sent" once accepted (TTL 48h)
//	P upd:U                   string  Telegram update U: "run:O" while process O
//	                                  answers it (TTL the lease), "done" once
//	                                  answered (TTL 24h)
//	P {upd}:journal           hash    U → "<unix time>:<update JSON>": updates
//	                                  taken by long polling and not yet
//	                                  answered; no TTL (entries go when answered,
//	                                  or after 24h, Telegram's own limit)
//	P alive:O                 string  process O is alive (heartbeat); TTL a few
//	                                  seconds
//	P rate:K                  string  GCRA theoretical arrival time for limiter
//	                                  key K (user:ID; tg:bot, tg:digests and
//	                                  tg:chat:ID, Telegram's flood limits shared
//	                                  by every replica); TTL the period
//	P stats:{C:D}:n           string  questions asked in chat C on day D;
//	                                  TTL STATS_TTL (8 days)
//	P stats:{C:D}:sections    hash    section title → questions that cited it
//	P stats:{C:D}:uncovered   list    questions the report did not cover,
//	                                  newest first, capped at 50
//	P stats:{C:D}:feedback    hash    "<answer id>:up|down" → count, and
//	                                  "voted:<answer id>:<user>" → 1 per voter
//	P report:H                string  Unix time report H (hash of its ID) was
//	                                  first loaded (Arrivals); TTL 400 days
package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// ErrUnavailable wraps every failure to reach the store (Redis down, slow,
// refusing). Callers that can go on without state (answering from the
// index) do so; callers that must persist (subscribe) tell the user.
var ErrUnavailable = errors.New("state store unavailable")

// Store is all of the bot's state: the union of the small interfaces
// below, each what one consumer needs. Consumers take the smallest one
// that serves them (handlers.Answerer an AnswerCache, the bot's intake
// Updates and a Limiter, the digest scheduler Subscriptions and
// DigestClaims), so a fake for a test is a few methods, not nineteen.
type Store interface {
	AnswerCache
	Updates
	Limiter
	Subscriptions
	DigestClaims
	Stats
	Complaints // complaints.go
	Replies    // complaints.go
	// Ping checks the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// AnswerCache keeps answers by corpus version and question.
type AnswerCache interface {
	// CachedAnswer returns the cached answer for a question, or ok=false.
	CachedAnswer(ctx context.Context, version, question string) (answer []byte, ok bool, err error)
	// CacheAnswer stores an answer for ttl.
	CacheAnswer(ctx context.Context, version, question string, answer []byte, ttl time.Duration) error
}

// Updates de-duplicates Telegram updates across deliveries, restarts and
// replicas. An update is marked in flight while a process answers it and
// done once the answer is out, so a crash re-answers at most what was in
// flight and never drops it. Each store value is one process (its owner
// ID, Owner): its marks are taken over by others once it stops calling
// Heartbeat.
type Updates interface {
	// BeginUpdate marks an update in flight in this process for at most
	// lease, unless it is done (UpdateDone) or in flight in another process
	// that is alive (UpdateBusy). The mark of a process that stopped
	// heartbeating, or whose lease ran out, is taken over (UpdateNew).
	BeginUpdate(ctx context.Context, updateID int64, lease time.Duration) (UpdateState, error)
	// FinishUpdate marks an update answered (kept 24 hours) and drops it
	// from the journal.
	FinishUpdate(ctx context.Context, updateID int64) error
	// ReleaseUpdate drops this process's in-flight mark of an update whose
	// answer could not be sent (cut short by shutdown, or given up), so
	// that its next delivery is handled. The journal keeps it.
	ReleaseUpdate(ctx context.Context, updateID int64) error
	// JournalUpdates keeps updates taken from Telegram and not yet
	// answered, so that they outlive this process: long polling confirms
	// an update to Telegram only once it is answered or journaled.
	JournalUpdates(ctx context.Context, updates []JournaledUpdate) error
	// Journaled returns the journal, oldest update first.
	Journaled(ctx context.Context) ([]JournaledUpdate, error)
	// Heartbeat says this process is alive for the next ttl.
	Heartbeat(ctx context.Context, ttl time.Duration) error
	// Retire says this process has stopped: others take over its marks at
	// once.
	Retire(ctx context.Context) error
	// Owner is this process's ID in the marks.
	Owner() string
}

// UpdateState is what BeginUpdate found.
type UpdateState int

// The states of an update.
const (
	UpdateNew  UpdateState = iota // not seen, given back, or its owner died: now in flight here
	UpdateDone                    // answered already
	UpdateBusy                    // in flight in another process that is alive
)

func (s UpdateState) String() string {
	switch s {
	case UpdateNew:
		return "new"
	case UpdateDone:
		return "done"
	case UpdateBusy:
		return "busy"
	}
	return "UpdateState(" + strconv.Itoa(int(s)) + ")"
}

// JournaledUpdate is an update as Telegram sent it (JSON), by ID.
type JournaledUpdate struct {
	ID   int64
	Body []byte
}

// Limiter is a rate limiter shared by every replica.
type Limiter interface {
	// Allow takes one event for key under limit and says whether it is
	// allowed, and if not, when the next one will be.
	Allow(ctx context.Context, key string, limit Limit) (ok bool, retryAfter time.Duration, err error)
}

// Subscriptions are the chats subscribed to the daily digest and when
// each is due.
type Subscriptions interface {
	// Subscribe creates or replaces chat's subscription, due at next.
	Subscribe(ctx context.Context, s Subscription, next time.Time) error
	// Unsubscribe ends chat's subscription; ok is false when there was none.
	Unsubscribe(ctx context.Context, chatID int64) (ok bool, err error)
	// Subscription returns chat's subscription.
	Subscription(ctx context.Context, chatID int64) (s Subscription, ok bool, err error)
	// Due returns up to limit subscriptions due at or before now, earliest
	// first.
	Due(ctx context.Context, now time.Time, limit int) ([]Subscription, error)
	// Reschedule sets chat's next due time, if it is still subscribed.
	Reschedule(ctx context.Context, chatID int64, next time.Time) error
	// Postpone moves chat's next due time to until, if it is still
	// subscribed and due earlier: a replica that lost a claim looks again
	// later, without undoing the winner's Reschedule to the next day.
	Postpone(ctx context.Context, chatID int64, until time.Time) error
}

// DigestClaims make each chat's digest of a day go out at most once
// across replicas, and at least once while one lives.
type DigestClaims interface {
	// ClaimDigest claims the digest of chat for a local date; exactly one
	// caller, across all replicas, gets true. The claim lasts
	// DigestClaimTTL: a process that dies before it starts sending leaves
	// a claim that lapses, and another replica (or the restarted one)
	// sends.
	ClaimDigest(ctx context.Context, chatID int64, date string) (bool, error)
	// SendingDigest records, just before a request that may deliver the
	// digest, that it may have been sent: from then on the digest counts
	// as sent for every replica (kept two days) unless ReleaseDigest gives
	// it back. It returns false, and the digest must not be sent, when the
	// claim is no longer this process's (it lapsed and another took it).
	SendingDigest(ctx context.Context, chatID int64, date string) (bool, error)
	// ConfirmDigest marks the digest sent, kept two days.
	ConfirmDigest(ctx context.Context, chatID int64, date string) error
	// ReleaseDigest gives this process's claim back after a send that
	// Telegram refused and that may be retried.
	ReleaseDigest(ctx context.Context, chatID int64, date string) error
}

// Stats are each chat's question statistics by day.
type Stats interface {
	// RecordQuestion counts a question in chat's statistics for day.
	RecordQuestion(ctx context.Context, chatID int64, day string, q QuestionRecord) error
	// RecordFeedback counts voter's 👍 (up) or 👎 for an answer, once: a
	// voter's second vote on the same answer is not counted (counted is
	// false).
	RecordFeedback(ctx context.Context, chatID int64, day, answerID string, voter int64, up bool) (counted bool, err error)
	// Stats returns chat's statistics for day.
	Stats(ctx context.Context, chatID int64, day string) (DayStats, error)
}

// Subscription is one chat's daily digest.
type Subscription struct {
	ChatID   int64     `json:"chat_id"`
	Time     string    `json:"time"`    // local time of day, "09:00"
	TZ       string    `json:"tz"`      // IANA zone, "Asia/Shanghai"
	Lang     string    `json:"lang"`    // "zh" or "en"
	By       int64     `json:"by"`      // user who subscribed the chat
	Created  time.Time `json:"created"` // when
	Group    bool      `json:"group"`   // the chat is a group or supergroup
	ThreadID int       `json:"thread"`  // forum topic to post in, 0 for none
	Title    string    `json:"title"`   // chat title, for logs
	// Figures asks for a new report's key figures in the digest, on the
	// first day after it is loaded (/settings 数字 开).
	Figures bool `json:"figures,omitempty"`
	// Next is when the digest is due; set by Due.
	Next time.Time `json:"next,omitempty"`
}

// Limit is a rate: Rate events per Period, with bursts up to Burst.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// PerMinute is n events a minute with bursts of n.
func PerMinute(n int) Limit { return Limit{Rate: n, Period: time.Minute, Burst: n} }

// QuestionRecord is what a chat's statistics keep of one question.
type QuestionRecord struct {
	Question string   // as asked, for the uncovered list
	Covered  bool     // the report answered it
	Sections []string // sections of the quoted passages
}

// DayStats is a chat's questions on one day.
type DayStats struct {
	Questions int            `json:"questions"`
	Sections  map[string]int `json:"sections"`
	Uncovered []string       `json:"uncovered"` // newest first
	Up        int            `json:"up"`
	Down      int            `json:"down"`
}

// Settings shared by both stores.
const (
	digestMarkTTL = 48 * time.Hour
	// DigestClaimTTL is how long a digest claim holds before it is sent.
	DigestClaimTTL = 2 * time.Minute
	updateTTL      = 24 * time.Hour
	// journalTTL is how long an unanswered update is kept: Telegram keeps
	// undelivered updates a day.
	journalTTL     = 24 * time.Hour
	maxUncovered   = 50
	DefaultStatTTL = 8 * 24 * time.Hour
)

// newOwner is a random ID for one store value, that is one process.
func newOwner() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
