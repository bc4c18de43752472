package bot

import (
	"sync"
	"time"

	tele "gopkg.in/telebot.v3"
)

// holdCap is how far behind the newest update taken the confirmed offset
// may stay. Telegram returns at most 100 updates from the offset, answered
// or not, so an offset held at one slow update would hide everything after
// the next hundred: past holdCap the offset moves on, and what it passes
// unanswered is kept in this process only (or in the store's journal).
const holdCap = 80

// maxUnanswered is how many updates the poller keeps unanswered before it
// stops taking more (they wait at Telegram): a bound on memory and on the
// journal during a long Telegram outage.
const maxUnanswered = 1000

// tracker is the long poller's record of the updates it took: which are
// answered, which are still being handled, and from that the offset to
// confirm. An update is confirmed to Telegram (the offset passes it) once
// it is answered, or once it is kept in the store's journal, which
// outlives this process; an unanswered one that is neither stays
// unconfirmed, so Telegram delivers it again to the next process.
type tracker struct {
	mu      sync.Mutex
	ups     map[int]*tracked // taken and not yet confirmed, or not yet answered
	next    int              // one past the newest update taken
	sent    int              // the newest update with an answer that may have been delivered
	wire    map[int]int      // requests of each update under way
	acked   int              // the highest offset given to Telegram: what is below is gone from it
	closing bool
	cutoff  int // while closing, only updates below it start, or send
	// settled is closed once the cutoff is final: when the requests under
	// way at close have ended (their answers may have been delivered).
	settled chan struct{}
	changed chan struct{}
}

type tracked struct {
	u       tele.Update
	started bool
	done    bool
	again   bool // to be submitted again (given up, busy elsewhere)
	durable bool // in the store's journal
}

func newTracker() *tracker {
	return &tracker{ups: map[int]*tracked{}, wire: map[int]int{}, changed: make(chan struct{}), settled: make(chan struct{})}
}

func (t *tracker) broadcastLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// wake is closed at the next change.
func (t *tracker) wake() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

// add records updates taken from Telegram (or read from the journal:
// durable) and returns those not seen before.
func (t *tracker) add(ups []tele.Update, durable bool) []tele.Update {
	t.mu.Lock()
	defer t.mu.Unlock()
	var fresh []tele.Update
	for _, u := range ups {
		if _, ok := t.ups[u.ID]; ok || u.ID < t.floorLocked() {
			continue
		}
		t.ups[u.ID] = &tracked{u: u, durable: durable}
		t.next = max(t.next, u.ID+1)
		fresh = append(fresh, u)
	}
	return fresh
}

// floorLocked is the lowest update ID still of interest: what is below
// was confirmed and answered.
func (t *tracker) floorLocked() int {
	low := t.next
	for id := range t.ups {
		low = min(low, id)
	}
	return low
}

// known reports whether update id was taken already.
func (t *tracker) known(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.ups[id]
	return ok
}

// setDurable marks updates as kept in the journal.
func (t *tracker) setDurable(ups []tele.Update) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, u := range ups {
		if e, ok := t.ups[u.ID]; ok {
			e.durable = true
		}
	}
	t.broadcastLocked()
}

// start reports whether u may start; while closing, only updates below
// the cutoff do.
func (t *tracker) start(u tele.Update) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.mayLocked(u.ID) {
		return false
	}
	if e, ok := t.ups[u.ID]; ok {
		e.started = true
	}
	return true
}

// sending reports whether update id may send (part of) its answer now,
// just before the request; while closing, only updates below the cutoff
// may, so that no answer goes out behind the offset to be confirmed.
func (t *tracker) sending(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.mayLocked(id) {
		return false
	}
	t.wire[id]++
	return true
}

// mayLocked reports whether update id may start or send; while closing it
// waits, if id is at or past the cutoff, until the cutoff is final.
func (t *tracker) mayLocked(id int) bool {
	if !t.closing {
		return true
	}
	for id >= t.cutoff && !t.isSettledLocked() {
		ch := t.settled
		t.mu.Unlock()
		<-ch
		t.mu.Lock()
	}
	return id < t.cutoff
}

func (t *tracker) isSettledLocked() bool {
	select {
	case <-t.settled:
		return true
	default:
		return false
	}
}

// settleLocked makes the cutoff final: past the newest update whose
// answer may have been delivered, and past what Telegram no longer has.
func (t *tracker) settleLocked() {
	if t.isSettledLocked() {
		return
	}
	t.cutoff = max(t.sent+1, t.acked)
	close(t.settled)
}

// sentOne records the end of a request sending: delivered is false when
// Telegram refused it (429, 5xx, 400 …) or it never left.
func (t *tracker) sentOne(id int, delivered bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.wire[id]--; t.wire[id] <= 0 {
		delete(t.wire, id)
	}
	if delivered {
		t.sent = max(t.sent, id)
	}
	if t.closing && len(t.wire) == 0 {
		t.settleLocked()
	}
}

// finish records what became of u.
func (t *tracker) finish(u tele.Update, o outcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.ups[u.ID]
	if !ok {
		return
	}
	switch {
	case o.done():
		e.done = true
	case o == busy || o == givenUp:
		e.again = true
	}
	t.broadcastLocked()
}

// again returns the updates to submit again, once each.
func (t *tracker) again() []tele.Update {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []tele.Update
	if t.closing {
		return nil
	}
	for _, e := range t.ups {
		if e.again {
			e.again = false
			out = append(out, e.u)
		}
	}
	return out
}

// offset is the offset to confirm: past every update that is answered or
// journaled, up to the oldest that is neither, but never more than
// holdCap behind the newest.
func (t *tracker) offset() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offsetLocked()
}

func (t *tracker) offsetLocked() int {
	off := t.next
	for id, e := range t.ups {
		if !e.done && !e.durable {
			off = min(off, id)
		}
	}
	return max(off, t.next-holdCap)
}

// confirmed forgets the answered updates below the offset Telegram was
// given: they will not come again.
func (t *tracker) confirmed(offset int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.acked = max(t.acked, offset)
	for id, e := range t.ups {
		if id < offset && e.done {
			delete(t.ups, id)
		}
	}
}

// unanswered counts the updates taken and not answered.
func (t *tracker) unanswered() (n int, retry bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.ups {
		if !e.done {
			n++
			retry = retry || e.again
		}
	}
	return n, retry
}

// close starts shutdown: from now on only updates older than the newest
// one whose answer may have been delivered may start or send, so that they
// fill the gaps below it and nothing answered is left above the offset
// confirmed last, and those Telegram no longer has (confirmed while
// waiting). The requests under way are waited for (at most settleWithin),
// since they may deliver: until then the updates past the cutoff wait.
func (t *tracker) close(settleWithin time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closing = true
	t.cutoff = max(t.sent+1, t.acked)
	if len(t.wire) == 0 {
		t.settleLocked()
	} else {
		time.AfterFunc(settleWithin, func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			t.settleLocked()
		})
	}
	t.broadcastLocked()
}

// final returns the cutoff once it is final.
func (t *tracker) final() int {
	<-t.settled
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cutoff
}

// lost lists the updates below cutoff that are neither answered nor
// journaled: confirming past them loses them.
func (t *tracker) lost(cutoff int) []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []int
	for id, e := range t.ups {
		if id < cutoff && !e.done && !e.durable {
			out = append(out, id)
		}
	}
	return out
}
