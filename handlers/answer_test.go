package handlers

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"reportbot/retrieval"
	"reportbot/retrieval/retrievaltest"
	"reportbot/store"
)

func seedIndex(t *testing.T) *retrieval.Index { return retrievaltest.Index(t, nil) }

// countingStore is the memory store with its cache writes (one per search)
// counted.
type countingStore struct {
	*store.Memory
	writes  atomic.Int64
	misses  atomic.Int64
	askers  int64
	allMiss chan struct{}
	once    sync.Once
}

func (s *countingStore) CachedAnswer(ctx context.Context, version, q string) ([]byte, bool, error) {
	b, ok, err := s.Memory.CachedAnswer(ctx, version, q)
	if !ok && s.misses.Add(1) == s.askers {
		s.once.Do(func() { close(s.allMiss) })
	}
	return b, ok, err
}

// CacheAnswer runs inside the shared search; holding it until every asker
// has missed (and a moment more to reach the search) means they all find
// that search still in flight.
func (s *countingStore) CacheAnswer(ctx context.Context, version, q string, b []byte, ttl time.Duration) error {
	s.writes.Add(1)
	<-s.allMiss
	time.Sleep(50 * time.Millisecond)
	return s.Memory.CacheAnswer(ctx, version, q, b, ttl)
}

// Concurrent identical misses search once, and every asker gets the answer.
func TestConcurrentMissesSearchOnce(t *testing.T) {
	const askers = 20
	st := &countingStore{Memory: store.NewMemory(store.MemoryOptions{}), askers: askers, allMiss: make(chan struct{})}
	a := &Answerer{Index: seedIndex(t), Store: st, TTL: time.Hour}
	var wg sync.WaitGroup
	answers := make([]*Answer, askers)
	for i := range askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Different spellings of one question share one cache key.
			q := []string{"2024年GDP增长目标是多少?", "2024年gdp增长目标是多少？"}[i%2]
			ans, err := a.Answer(context.Background(), q, 3)
			if err != nil {
				t.Error(err)
				return
			}
			answers[i] = ans
		}()
	}
	wg.Wait()
	if n := st.writes.Load(); n < 1 || n > 2 {
		// singleflight shares one search among the askers waiting on it;
		// one that arrives just after it finished may search again, but
		// twenty searches would mean no sharing at all.
		t.Errorf("%d searches for %d concurrent identical misses", n, askers)
	}
	for i, ans := range answers {
		if ans == nil || !ans.Covered || !strings.Contains(ans.Answer, "地区生产总值增长6%左右") || len(ans.Passages) > 3 {
			t.Errorf("asker %d got %+v", i, ans)
		}
	}
	// Each asker sees its own spelling of the question.
	if answers[1] != nil && answers[1].Question != "2024年gdp增长目标是多少？" {
		t.Errorf("asker 1 sees question %q", answers[1].Question)
	}
}

func TestCachedAnswersAreMarkedAndVersioned(t *testing.T) {
	ix := seedIndex(t)
	st := store.NewMemory(store.MemoryOptions{})
	a := &Answerer{Index: ix, Store: st, TTL: time.Hour}
	first, err := a.Answer(context.Background(), "渝中有多少人才?", 2)
	if err != nil || first.Cached {
		t.Fatalf("first: %+v, %v", first, err)
	}
	again, err := a.Answer(context.Background(), "渝中有多少人才", 2)
	if err != nil || !again.Cached || again.Answer != first.Answer {
		t.Fatalf("again: cached=%v answer %q", again.Cached, again.Answer)
	}
	// An answer cached under another corpus version is never served.
	if _, ok, _ := st.CachedAnswer(context.Background(), "another-version", "渝中 人才"); ok {
		t.Error("a cache entry is visible under another corpus version")
	}
	if _, err := a.Answer(context.Background(), "？？", 2); !errors.Is(err, retrieval.ErrNoQuestion) {
		t.Errorf("punctuation only: %v", err)
	}
}

// A failing store never stops answers.
type downStore struct{ store.Store }

func (downStore) CachedAnswer(context.Context, string, string) ([]byte, bool, error) {
	return nil, false, store.ErrUnavailable
}
func (downStore) CacheAnswer(context.Context, string, string, []byte, time.Duration) error {
	return store.ErrUnavailable
}

func TestStoreDownStillAnswers(t *testing.T) {
	a := &Answerer{Index: seedIndex(t), Store: downStore{}, TTL: time.Hour}
	for range 3 {
		ans, err := a.Answer(context.Background(), "民间投资情况如何", 3)
		if err != nil || ans.Cached || !strings.Contains(ans.Answer, "民间投资亟需提振") {
			t.Fatalf("%+v, %v", ans, err)
		}
	}
	if a.StoreErrors.Load() != 6 {
		t.Errorf("StoreErrors = %d, want 6 (a read and a write per question)", a.StoreErrors.Load())
	}
}
