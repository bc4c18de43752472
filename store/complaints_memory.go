package store

import (
	"context"
	"strconv"
)

type memComplaints struct {
	DayComplaints
	said map[string]bool // "<answer>:<voter>"
}

type memReplies struct {
	ids     []int
	expires int64 // Unix ns
}

func (m *Memory) RecordComplaint(_ context.Context, chatID int64, day, answerID string, voter int64, c Complaint) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.dayStats(chatID, day)
	if s.complaints == nil {
		s.complaints = &memComplaints{DayComplaints: DayComplaints{Reasons: map[string]int{}}, said: map[string]bool{}}
	}
	said := answerID + ":" + strconv.FormatInt(voter, 10)
	if s.complaints.said[said] {
		return false, nil
	}
	s.complaints.said[said] = true
	s.complaints.Reasons[c.Reason]++
	s.complaints.Recent = append([]Complaint{c}, s.complaints.Recent...)
	if len(s.complaints.Recent) > maxComplaints {
		s.complaints.Recent = s.complaints.Recent[:maxComplaints]
	}
	return true, nil
}

func (m *Memory) Complaints(_ context.Context, chatID int64, day string) (DayComplaints, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := DayComplaints{Reasons: map[string]int{}}
	s, ok := m.stats[strconv.FormatInt(chatID, 10)+":"+day]
	if !ok || !m.now().Before(s.expires) || s.complaints == nil {
		return out, nil
	}
	for k, v := range s.complaints.Reasons {
		out.Reasons[k] = v
	}
	out.Recent = append([]Complaint(nil), s.complaints.Recent...)
	return out, nil
}

func (m *Memory) RememberReplies(_ context.Context, chatID int64, asked int, replies []int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.replies == nil {
		m.replies = map[string]memReplies{}
	}
	now := m.now()
	for k, r := range m.replies {
		if r.expires <= now.UnixNano() {
			delete(m.replies, k)
		}
	}
	m.replies[strconv.FormatInt(chatID, 10)+":"+strconv.Itoa(asked)] = memReplies{ids: append([]int(nil), replies...), expires: now.Add(RepliesTTL).UnixNano()}
	return nil
}

func (m *Memory) Replies(_ context.Context, chatID int64, asked int) ([]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.replies[strconv.FormatInt(chatID, 10)+":"+strconv.Itoa(asked)]
	if !ok || r.expires <= m.now().UnixNano() {
		return nil, nil
	}
	return append([]int(nil), r.ids...), nil
}
