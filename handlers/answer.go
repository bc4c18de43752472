// Package handlers is the bot's behaviour with no Telegram in it: telling
// a question from small talk (Intent, with the data in
// lexicon/smalltalk.txt), asking (through the answer cache) and paging
// through the results, /start, /help, /about, /topics and the section
// reader, inline results, 👍/👎 and the reasons for a 👎, the welcome in a
// new group, the bot's descriptions, the replies of the digest commands,
// and the command table (Commands) that the menus, /help and the routes
// are made from. Answers take their form in package render; the digest
// itself is package digest's. A transport (the Telegram adapter in bot/,
// the command line in cmd/) calls it and delivers what it returns.
package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"reportbot/retrieval"
	"reportbot/store"
)

// CachedPassages is how many passages an answer keeps in the cache: more
// than one reply shows, so that paging through further results needs no
// new search.
const CachedPassages = 10

// Answerer answers questions from the index through the store's answer
// cache. Concurrent identical misses search once. When the store fails the
// answer comes straight from the index: the cache is an optimisation,
// never a dependency.
type Answerer struct {
	// Index is the index to answer from: a *retrieval.Index, or a
	// *retrieval.Live whose index is swapped when the reports change.
	Index retrieval.Source
	Store store.AnswerCache
	TTL   time.Duration
	Log   *slog.Logger

	group singleflight.Group
	// StoreErrors counts failed cache calls.
	StoreErrors atomic.Int64
}

// Answer is a search result and whether it came from the cache.
type Answer struct {
	*retrieval.Result
	Cached bool
}

// Answer answers question with up to k passages (k ≤ 0 means 3). It
// returns retrieval.ErrNoQuestion for a question with nothing to search.
func (a *Answerer) Answer(ctx context.Context, question string, k int) (*Answer, error) {
	if k <= 0 {
		k = 3
	}
	// One index for the whole question: understood, cached under and
	// searched with the same corpus version, even across a reload.
	ix, release := a.Index.Acquire()
	defer release()
	q, err := ix.Understand(question)
	if err != nil {
		return nil, err
	}
	version := ix.Corpus().Version
	key := q.Key()
	if a.Store != nil {
		b, ok, err := a.Store.CachedAnswer(ctx, version, key)
		a.noteStore(err)
		if ok {
			var res retrieval.Result
			if err := json.Unmarshal(b, &res); err == nil {
				return &Answer{Result: trim(&res, q, k), Cached: true}, nil
			}
		}
	}
	v, err, _ := a.group.Do(version+"\x00"+key, func() (any, error) {
		res, err := ix.SearchQuery(ctx, q, CachedPassages)
		if err != nil {
			return nil, err
		}
		if a.Store != nil {
			if b, err := json.Marshal(res); err == nil {
				a.noteStore(a.Store.CacheAnswer(ctx, version, key, b, a.TTL))
			}
		}
		return res, nil
	})
	if err != nil {
		return nil, err
	}
	res := *v.(*retrieval.Result) // a copy: trim must not change a shared result
	return &Answer{Result: trim(&res, q, k)}, nil
}

// trim fits a (possibly cached, possibly shared) result to this asking:
// the question as this person asked it, and k passages.
func trim(res *retrieval.Result, q *retrieval.Query, k int) *retrieval.Result {
	res.Question, res.Truncated, res.Query = q.Asked, q.Truncated, q
	if len(res.Passages) > k {
		res.Passages = res.Passages[:k]
	}
	return res
}

// noteStore counts failed cache calls. An unreachable store is logged by
// the store itself, once when the outage starts and once when it ends (one
// slow call is not an outage); anything else is logged here.
func (a *Answerer) noteStore(err error) {
	if err == nil {
		return
	}
	a.StoreErrors.Add(1)
	if !errors.Is(err, store.ErrUnavailable) {
		log := a.Log
		if log == nil {
			log = slog.Default()
		}
		log.Warn("answer cache failed; answering straight from the index", "err", err)
	}
}
