package retrieval

import (
	"sync"

	"reportbot/data"
)

// Source gives the index to search now. An *Index is a Source of itself;
// a *Live gives whichever index it holds at the time.
type Source interface {
	// Acquire returns the index to search and a function to call once
	// done searching it. Until then the index stays open, even if it is
	// swapped out meanwhile. What a search returned (passages, the
	// corpus) stays usable after release.
	Acquire() (ix *Index, release func())
}

// Acquire returns ix itself: an index that is never swapped.
func (ix *Index) Acquire() (*Index, func()) { return ix, func() {} }

// Live holds the index a running process answers from, and swaps it
// whole when the reports change: every search keeps the index it started
// with, the next one gets the new index, and an index swapped out is
// closed once the last search on it has ended. It is safe for concurrent
// use.
type Live struct {
	mu  sync.Mutex
	cur *held
}

// held is one index and the searches using it.
type held struct {
	ix      *Index
	users   int
	retired bool // swapped out: closed when users drops to 0
}

// NewLive returns a Live holding ix.
func NewLive(ix *Index) *Live { return &Live{cur: &held{ix: ix}} }

// Acquire returns the index held now; see Source.
func (l *Live) Acquire() (*Index, func()) {
	l.mu.Lock()
	h := l.cur
	h.users++
	l.mu.Unlock()
	var once sync.Once
	return h.ix, func() { once.Do(func() { l.release(h) }) }
}

func (l *Live) release(h *held) {
	l.mu.Lock()
	h.users--
	done := h.retired && h.users == 0
	l.mu.Unlock()
	if done {
		h.ix.Close()
	}
}

// Corpus returns the corpus of the index held now.
func (l *Live) Corpus() *data.Corpus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur.ix.Corpus()
}

// Swap puts ix in place of the index held, which is closed as soon as no
// search uses it.
func (l *Live) Swap(ix *Index) {
	l.mu.Lock()
	old := l.cur
	l.cur = &held{ix: ix}
	old.retired = true
	done := old.users == 0
	l.mu.Unlock()
	if done {
		old.ix.Close()
	}
}

// Close closes the index held, at once if no search uses it, otherwise
// when the last one ends. The Live must not be used afterwards.
func (l *Live) Close() error {
	l.mu.Lock()
	h := l.cur
	h.retired = true
	done := h.users == 0
	l.mu.Unlock()
	if done {
		return h.ix.Close()
	}
	return nil
}
