package store

import (
	"container/list"
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Memory is the in-process twin of Redis: the same behaviour, kept in maps,
// lost on restart. Its answer cache is bounded (least recently used
// answers go first). The zero value is not usable; call NewMemory.
type Memory struct {
	mu  sync.Mutex
	now func() time.Time

	maxAnswers int
	answers    map[string]*list.Element // key → element of lru
	lru        *list.List               // of *memAnswer, most recent first

	subs    map[int64]Subscription
	due     map[int64]time.Time
	marks   map[string]memMark // digest marks by chat:date
	updates map[int64]memMark
	journal map[int64]memJournaled
	alive   map[string]time.Time // owner → heartbeat expiry
	owner   string
	rates   map[string]time.Time // GCRA theoretical arrival time
	stats   map[string]*memStats // chat:day → stats
	statTTL time.Duration
	replies map[string]memReplies // chat:message → answers (complaints_memory.go)
	arrived map[string]time.Time  // report ID → first loaded (arrivals.go)
}

// memMark is a digest or update mark: its value ("claimed:O", "run:O",
// "done" …) and expiry.
type memMark struct {
	value   string
	expires time.Time
}

type memJournaled struct {
	body []byte
	at   time.Time
}

type memAnswer struct {
	key     string
	value   []byte
	expires time.Time
}

type memStats struct {
	DayStats
	voted      map[string]bool // "<answer>:<voter>"
	complaints *memComplaints  // complaints_memory.go
	expires    time.Time
}

// MemoryOptions configures a Memory store; zero values take defaults.
type MemoryOptions struct {
	// MaxAnswers bounds the answer cache (default 10,000).
	MaxAnswers int
	// StatTTL is how long a day's statistics are kept (default 8 days).
	StatTTL time.Duration
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
}

// NewMemory returns an empty in-memory store.
func NewMemory(o MemoryOptions) *Memory {
	if o.MaxAnswers <= 0 {
		o.MaxAnswers = 10_000
	}
	if o.StatTTL <= 0 {
		o.StatTTL = DefaultStatTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Memory{
		now: o.Now, maxAnswers: o.MaxAnswers, statTTL: o.StatTTL,
		answers: map[string]*list.Element{}, lru: list.New(),
		subs: map[int64]Subscription{}, due: map[int64]time.Time{},
		marks: map[string]memMark{}, updates: map[int64]memMark{},
		journal: map[int64]memJournaled{}, alive: map[string]time.Time{}, owner: newOwner(),
		rates: map[string]time.Time{}, stats: map[string]*memStats{},
	}
}

func (m *Memory) CachedAnswer(_ context.Context, version, question string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := version + "\x00" + question
	el, ok := m.answers[key]
	if !ok {
		return nil, false, nil
	}
	a := el.Value.(*memAnswer)
	if !m.now().Before(a.expires) {
		m.lru.Remove(el)
		delete(m.answers, key)
		return nil, false, nil
	}
	m.lru.MoveToFront(el)
	return append([]byte(nil), a.value...), true, nil
}

func (m *Memory) CacheAnswer(_ context.Context, version, question string, answer []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := version + "\x00" + question
	if ttl <= 0 { // nothing cached; nor does an expired entry push out live ones
		if el, ok := m.answers[key]; ok {
			m.lru.Remove(el)
			delete(m.answers, key)
		}
		return nil
	}
	a := &memAnswer{key: key, value: append([]byte(nil), answer...), expires: m.now().Add(ttl)}
	if el, ok := m.answers[key]; ok {
		el.Value = a
		m.lru.MoveToFront(el)
		return nil
	}
	m.answers[key] = m.lru.PushFront(a)
	for m.lru.Len() > m.maxAnswers {
		last := m.lru.Back()
		m.lru.Remove(last)
		delete(m.answers, last.Value.(*memAnswer).key)
	}
	return nil
}

func (m *Memory) Subscribe(_ context.Context, s Subscription, next time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.subs[s.ChatID] = s
	m.due[s.ChatID] = next.Truncate(time.Second)
	return nil
}

func (m *Memory) Unsubscribe(_ context.Context, chatID int64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.subs[chatID]
	delete(m.subs, chatID)
	delete(m.due, chatID)
	return ok, nil
}

func (m *Memory) Subscription(_ context.Context, chatID int64) (Subscription, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.subs[chatID]
	return s, ok, nil
}

func (m *Memory) Due(_ context.Context, now time.Time, limit int) ([]Subscription, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []int64
	for id, t := range m.due {
		if !t.After(now) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if !m.due[ids[i]].Equal(m.due[ids[j]]) {
			return m.due[ids[i]].Before(m.due[ids[j]])
		}
		return ids[i] < ids[j]
	})
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	out := make([]Subscription, 0, len(ids))
	for _, id := range ids {
		s := m.subs[id]
		s.Next = m.due[id]
		out = append(out, s)
	}
	return out, nil
}

func (m *Memory) Reschedule(_ context.Context, chatID int64, next time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.subs[chatID]; ok {
		m.due[chatID] = next.Truncate(time.Second)
	}
	return nil
}

// mark returns the live digest mark of key.
func (m *Memory) mark(key string) (string, bool) {
	mk, ok := m.marks[key]
	if !ok || !m.now().Before(mk.expires) {
		delete(m.marks, key)
		return "", false
	}
	return mk.value, true
}

func digestMarkKey(chatID int64, date string) string {
	return strconv.FormatInt(chatID, 10) + ":" + date
}

func (m *Memory) ClaimDigest(_ context.Context, chatID int64, date string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := digestMarkKey(chatID, date)
	if _, ok := m.mark(key); ok {
		return false, nil
	}
	m.marks[key] = memMark{"claimed:" + m.owner, m.now().Add(DigestClaimTTL)}
	return true, nil
}

func (m *Memory) SendingDigest(_ context.Context, chatID int64, date string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := digestMarkKey(chatID, date)
	if v, _ := m.mark(key); v != "claimed:"+m.owner && v != "sending:"+m.owner {
		return false, nil
	}
	m.marks[key] = memMark{"sending:" + m.owner, m.now().Add(digestMarkTTL)}
	return true, nil
}

func (m *Memory) ConfirmDigest(_ context.Context, chatID int64, date string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.marks[digestMarkKey(chatID, date)] = memMark{"sent", m.now().Add(digestMarkTTL)}
	return nil
}

func (m *Memory) Postpone(_ context.Context, chatID int64, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	until = until.Truncate(time.Second)
	if _, ok := m.subs[chatID]; ok && m.due[chatID].Before(until) {
		m.due[chatID] = until
	}
	return nil
}

func (m *Memory) ReleaseDigest(_ context.Context, chatID int64, date string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := digestMarkKey(chatID, date)
	if v, _ := m.mark(key); v == "claimed:"+m.owner || v == "sending:"+m.owner {
		delete(m.marks, key)
	}
	return nil
}

// Owner is this store value's process ID in update marks and digest
// claims.
func (m *Memory) Owner() string { return m.owner }

func (m *Memory) BeginUpdate(_ context.Context, id int64, lease time.Duration) (UpdateState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	me := "run:" + m.owner
	if mk, ok := m.updates[id]; ok && now.Before(mk.expires) && mk.value != me {
		if mk.value == "done" {
			return UpdateDone, nil
		}
		if exp, ok := m.alive[strings.TrimPrefix(mk.value, "run:")]; ok && now.Before(exp) {
			return UpdateBusy, nil
		}
	}
	m.updates[id] = memMark{me, now.Add(lease)}
	if len(m.updates)%1024 == 0 { // sweep now and then so the map stays small
		for id, mk := range m.updates {
			if !now.Before(mk.expires) {
				delete(m.updates, id)
			}
		}
	}
	return UpdateNew, nil
}

func (m *Memory) FinishUpdate(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.updates[id] = memMark{"done", m.now().Add(updateTTL)}
	delete(m.journal, id)
	return nil
}

func (m *Memory) ReleaseUpdate(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.updates[id].value == "run:"+m.owner {
		delete(m.updates, id)
	}
	return nil
}

func (m *Memory) JournalUpdates(_ context.Context, ups []JournaledUpdate) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range ups {
		m.journal[u.ID] = memJournaled{append([]byte(nil), u.Body...), m.now()}
	}
	return nil
}

func (m *Memory) Journaled(context.Context) ([]JournaledUpdate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]JournaledUpdate, 0, len(m.journal))
	for id, j := range m.journal {
		if m.now().Sub(j.at) > journalTTL {
			delete(m.journal, id)
			continue
		}
		out = append(out, JournaledUpdate{ID: id, Body: append([]byte(nil), j.body...)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (m *Memory) Heartbeat(_ context.Context, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alive[m.owner] = m.now().Add(ttl)
	return nil
}

func (m *Memory) Retire(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.alive, m.owner)
	return nil
}

func (m *Memory) Allow(_ context.Context, key string, l Limit) (bool, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ok, retry, tat := gcra(m.now(), m.rates[key], l)
	if ok {
		m.rates[key] = tat
	}
	return ok, retry, nil
}

// gcra is the generic cell rate algorithm: each event pushes the
// theoretical arrival time (tat) on by one emission interval; an event is
// allowed while tat is no further ahead than the burst allows. It returns
// the new tat for an allowed event. The Redis store runs the same
// arithmetic in Lua.
func gcra(now, tat time.Time, l Limit) (ok bool, retryAfter time.Duration, newTAT time.Time) {
	interval := l.Period / time.Duration(l.Rate)
	burst := time.Duration(max(l.Burst, 1)) * interval
	if tat.Before(now) {
		tat = now
	}
	newTAT = tat.Add(interval)
	if allowAt := newTAT.Add(-burst); allowAt.After(now) {
		return false, allowAt.Sub(now), tat
	}
	return true, 0, newTAT
}

func (m *Memory) dayStats(chatID int64, day string) *memStats {
	key := strconv.FormatInt(chatID, 10) + ":" + day
	s, ok := m.stats[key]
	if !ok || !m.now().Before(s.expires) {
		s = &memStats{DayStats: DayStats{Sections: map[string]int{}}}
		m.stats[key] = s
	}
	s.expires = m.now().Add(m.statTTL)
	return s
}

func (m *Memory) RecordQuestion(_ context.Context, chatID int64, day string, q QuestionRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.dayStats(chatID, day)
	s.Questions++
	for _, sec := range dedupe(q.Sections) {
		s.Sections[sec]++
	}
	if !q.Covered {
		s.Uncovered = append([]string{q.Question}, s.Uncovered...)
		if len(s.Uncovered) > maxUncovered {
			s.Uncovered = s.Uncovered[:maxUncovered]
		}
	}
	return nil
}

func (m *Memory) RecordFeedback(_ context.Context, chatID int64, day, answerID string, voter int64, up bool) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.dayStats(chatID, day)
	vote := answerID + ":" + strconv.FormatInt(voter, 10)
	if s.voted[vote] {
		return false, nil
	}
	if s.voted == nil {
		s.voted = map[string]bool{}
	}
	s.voted[vote] = true
	if up {
		s.Up++
	} else {
		s.Down++
	}
	return true, nil
}

func (m *Memory) Stats(_ context.Context, chatID int64, day string) (DayStats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.stats[strconv.FormatInt(chatID, 10)+":"+day]
	if !ok || !m.now().Before(s.expires) {
		return DayStats{Sections: map[string]int{}}, nil
	}
	out := s.DayStats
	out.Sections = make(map[string]int, len(s.Sections))
	for k, v := range s.Sections {
		out.Sections[k] = v
	}
	out.Uncovered = append([]string(nil), s.Uncovered...)
	return out, nil
}

func (m *Memory) Ping(context.Context) error { return nil }
func (m *Memory) Close() error               { return nil }

func dedupe(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
