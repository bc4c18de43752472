package store

// Two more kinds of state, each behind its own interface (issue 12):
// why answers were voted 👎, and which messages answered a question.
//
// Keys (P is the prefix):
//
//	P stats:{C:D}:why         hash    reason → 👎 given for it, and
//	                                  "said:<answer id>:<user>" → 1 per voter;
//	                                  TTL STATS_TTL
//	P stats:{C:D}:gaps        list    JSON {"reason","question"} of each 👎
//	                                  with a reason, newest first, capped at 50
//	P reply:C:M               string  IDs of the bot's messages answering
//	                                  message M of chat C ("12,13"); TTL 48h

import (
	"context"
	"time"
)

// Complaints keep why answers were voted 👎 and what they answered: with
// the questions not covered, the reports' gaps, for the staff's digest.
type Complaints interface {
	// RecordComplaint keeps voter's reason for voting answer answerID 👎,
	// with the question it answered, once per voter and answer: a second
	// is not counted (counted is false).
	RecordComplaint(ctx context.Context, chatID int64, day, answerID string, voter int64, c Complaint) (counted bool, err error)
	// Complaints returns chat's complaints of day.
	Complaints(ctx context.Context, chatID int64, day string) (DayComplaints, error)
}

// Complaint is why one answer was voted 👎: a reason (a short code the
// caller defines: "irrelevant", "incomplete" …) and the question.
type Complaint struct {
	Reason   string `json:"reason"`
	Question string `json:"question"`
}

// DayComplaints are a chat's complaints of one day.
type DayComplaints struct {
	Reasons map[string]int // reason → how many
	Recent  []Complaint    // newest first, at most 50
}

// Replies remember which of the bot's messages answered a message, so an
// edited question edits its answer instead of getting a second one.
type Replies interface {
	// RememberReplies records the messages (IDs in chat) that answer
	// message asked, for RepliesTTL.
	RememberReplies(ctx context.Context, chatID int64, asked int, replies []int) error
	// Replies returns the messages that answer message asked, or none.
	Replies(ctx context.Context, chatID int64, asked int) ([]int, error)
}

// RepliesTTL is how long the answer to a message is remembered: Telegram
// lets a bot edit its messages for two days.
const RepliesTTL = 48 * time.Hour

const maxComplaints = 50
