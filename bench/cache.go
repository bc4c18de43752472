package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"reportbot/handlers"
	"reportbot/retrieval"
	"reportbot/store"
)

// cacheStep compares asking through handlers.Answerer with no cache,
// with the memory store and with Redis (every timed cached ask a hit).
// Redis figures are null when no Redis URL was given.
type cacheStep struct {
	// Redis says whether Redis was measured; Note says why not.
	Redis     bool          `json:"redis"`
	Note      string        `json:"note,omitempty"`
	RedisPing *latency      `json:"redis_ping"`
	Corpora   []cacheCorpus `json:"corpora"`
}

// cacheCorpus is the cache comparison on one corpus.
type cacheCorpus struct {
	Name     string   `json:"name"`
	Passages int      `json:"passages"`
	Uncached latency  `json:"uncached"`
	Memory   latency  `json:"memory"`
	Redis    *latency `json:"redis"`
	Verdict  string   `json:"verdict"`
}

// cacheSize is the larger corpus of the cache comparison.
const (
	cacheSize     = 10000
	cacheSizeName = "10,000 passages"
)

const noRedis = "n/a (set REDIS_URL or --redis)"

// measureCache times asking through handlers.Answerer on ix with no
// store, then with the memory store and with Redis (rdb; skipped when nil),
// each cache warmed first with every question so that every timed ask is
// a hit; a miss is an error, not a figure.
func measureCache(ctx context.Context, cfg Options, name string, ix *retrieval.Index, rdb *store.Redis, say func(string, ...any)) (cacheCorpus, error) {
	cc := cacheCorpus{Name: name, Passages: len(ix.Corpus().Paragraphs())}
	// A store that fails is logged by the Answerer; here it is an error.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ask := func(st store.Store, hits bool) (latency, error) {
		a := &handlers.Answerer{Index: ix, Store: st, TTL: time.Hour, Log: quiet}
		if st != nil {
			for _, q := range Questions {
				if _, err := a.Answer(ctx, q, 3); err != nil {
					return latency{}, err
				}
			}
		}
		return measureLatency(ctx, cfg, func(q string) error {
			ans, err := a.Answer(ctx, q, 3)
			if err != nil {
				return err
			}
			if hits && !ans.Cached {
				return fmt.Errorf("bench: cache, %s: %q was not a cache hit after warming (store errors: %d)", name, q, a.StoreErrors.Load())
			}
			return nil
		})
	}
	var err error
	say("cache, %s: uncached ask", name)
	if cc.Uncached, err = ask(nil, false); err != nil {
		return cc, err
	}
	say("cache, %s: cached ask, memory store", name)
	mem := store.NewMemory(store.MemoryOptions{})
	cc.Memory, err = ask(mem, true)
	mem.Close()
	if err != nil {
		return cc, err
	}
	if rdb != nil {
		say("cache, %s: cached ask, Redis", name)
		l, err := ask(rdb, true)
		if err != nil {
			return cc, err
		}
		cc.Redis = &l
	}
	cc.Verdict = cacheVerdict(cc)
	return cc, nil
}

// cacheVerdict says, from the figures, whether a Redis hit beats
// searching: it pays when it is at least twice as fast and saves at least
// half a millisecond a question.
func cacheVerdict(cc cacheCorpus) string {
	search := cc.Uncached.P50Ms
	if cc.Redis == nil {
		return fmt.Sprintf("%s: search p50 %.3f ms vs memory hit p50 %.3f ms; Redis %s", cc.Name, search, cc.Memory.P50Ms, noRedis)
	}
	hit := cc.Redis.P50Ms
	head := fmt.Sprintf("%s: search p50 %.3f ms vs Redis hit p50 %.3f ms", cc.Name, search, hit)
	switch saved := search - hit; {
	case saved <= 0:
		return fmt.Sprintf("%s — a Redis hit is slower than searching (%.3f ms more); cache does not pay here", head, -saved)
	case hit > 0 && search/hit >= 2 && saved >= 0.5:
		return fmt.Sprintf("%s — cache pays (%.1fx faster, %.3f ms saved a question)", head, search/hit, saved)
	default:
		ratio := "∞"
		if hit > 0 {
			ratio = fmt.Sprintf("%.1fx", search/hit)
		}
		return fmt.Sprintf("%s — cache saves little here (%s, %.3f ms a question)", head, ratio, saved)
	}
}

// redisCleanup deletes every key under prefix (SCAN + DEL) and says how
// many it deleted.
func redisCleanup(r *store.Redis, prefix string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := r.Client()
	var cursor uint64
	n := 0
	for {
		keys, next, err := c.Scan(ctx, cursor, prefix+"*", 1000).Result()
		if err != nil {
			return n, err
		}
		if len(keys) > 0 {
			d, err := c.Del(ctx, keys...).Result()
			if err != nil {
				return n, err
			}
			n += int(d)
		}
		if cursor = next; cursor == 0 {
			return n, nil
		}
	}
}
