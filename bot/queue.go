package bot

import (
	"sync"

	tele "gopkg.in/telebot.v3"
)

// outcome is what became of one update, and so whether it may be
// confirmed to Telegram.
type outcome int

const (
	handled   outcome = iota // answered (or nothing to answer): confirm it
	duplicate                // answered before (another delivery, another replica): confirm it
	busy                     // in flight in another process that is alive: deliver it again later
	givenUp                  // its answer could not be sent within the retry window: deliver it again
	cut                      // shutdown came before its answer was out: deliver it again
	held                     // not started, shutdown came first: deliver it again
)

// done reports whether the update needs no further delivery.
func (o outcome) done() bool { return o == handled || o == duplicate }

func (o outcome) String() string {
	return [...]string{"handled", "duplicate", "busy", "given up", "cut short", "held back"}[o]
}

// chatQueues runs updates one chat at a time, in the order they come, and
// different chats at once: one chat's backlog (a flood, a chat Telegram
// paces to a message a second) never delays another chat's answers, and
// the intake goes on taking updates meanwhile.
type chatQueues struct {
	// start is asked before an update runs; false leaves it not started
	// (shutdown), and its done is told held.
	start func(tele.Update) bool
	run   func(tele.Update) outcome
	wg    sync.WaitGroup // workers running

	mu sync.Mutex
	q  map[int64][]queuedUpdate // waiting, by chat; a key is present while its worker runs
}

type queuedUpdate struct {
	u    tele.Update
	done func(outcome)
}

func newChatQueues(start func(tele.Update) bool, run func(tele.Update) outcome) *chatQueues {
	return &chatQueues{start: start, run: run, q: map[int64][]queuedUpdate{}}
}

// submit queues u behind its chat's earlier updates; done is told what
// became of it.
func (c *chatQueues) submit(u tele.Update, done func(outcome)) {
	k := chatKey(u)
	c.mu.Lock()
	defer c.mu.Unlock()
	waiting, running := c.q[k]
	c.q[k] = append(waiting, queuedUpdate{u, done})
	if !running {
		c.wg.Add(1)
		go c.work(k)
	}
}

// work runs chat k's updates until its queue is empty.
func (c *chatQueues) work(k int64) {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		waiting := c.q[k]
		if len(waiting) == 0 {
			delete(c.q, k)
			c.mu.Unlock()
			return
		}
		next := waiting[0]
		waiting[0] = queuedUpdate{}
		c.q[k] = waiting[1:]
		c.mu.Unlock()
		if !c.start(next.u) {
			next.done(held)
			continue
		}
		next.done(c.run(next.u))
	}
}

// wait waits until every queue is empty.
func (c *chatQueues) wait() { c.wg.Wait() }

// chatKey groups updates that must be handled in order: a chat's, or an
// inline user's.
func chatKey(u tele.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.Callback != nil && u.Callback.Message != nil:
		return u.Callback.Message.Chat.ID
	case u.Callback != nil && u.Callback.Sender != nil:
		return u.Callback.Sender.ID
	case u.Query != nil && u.Query.Sender != nil:
		return u.Query.Sender.ID
	}
	return 0
}
