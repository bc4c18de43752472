// Package digest is the daily digest: the paragraph of the day, a chat's
// digest composed around it, schedules (a local time of day in a time
// zone, across daylight-saving changes), and the scheduler that sends
// every due digest exactly once a day however many replicas run it:
// claim, send, confirm, reschedule.
//
// It knows nothing of Telegram. The bot hands the Scheduler a Send
// function and tells it what became of a send through the errors Send
// returns: ErrChatGone ends the subscription, a *RetryAfterError is
// retried after the wait it names (a minute at least), anything else a
// minute later.
package digest

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/render"
	"reportbot/store"
)

// Chat is a chat a digest is for.
type Chat struct {
	ID    int64
	Group bool   // a group: the digest tells what was asked there yesterday
	Lang  string // the subscriber's language_code: "en…" reads English, anything else Chinese
	// ThreadID is the forum topic the digest goes to; 0 for none.
	ThreadID int
	// Figures asks for new reports' key figures (figures.go); TZ is the
	// chat's time zone, in which "the day after a report arrived" falls.
	Figures bool
	TZ      string
}

// say picks the chat's language: English for "en…", Chinese otherwise.
func (c Chat) say(zh, en string) string {
	if strings.HasPrefix(strings.ToLower(c.Lang), "en") {
		return en
	}
	return zh
}

// Paragraph of the day: every body paragraph of every report comes once,
// in report order, before any comes again, and every chat gets the same
// one on the same date. Days count from this date.
var rotationEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// ParagraphOfDay returns the paragraph quoted on a local date (its year,
// month and day; the time and zone do not matter), or nil for a corpus
// with no paragraphs.
func ParagraphOfDay(c *data.Corpus, date time.Time) *data.Paragraph {
	var all []*data.Paragraph
	for _, r := range c.Reports {
		all = append(all, r.Paragraphs...)
	}
	if len(all) == 0 {
		return nil
	}
	day := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	n := int(day.Sub(rotationEpoch).Hours() / 24)
	i := n % len(all)
	if i < 0 {
		i += len(all)
	}
	return all[i]
}

// StatsStore gives a chat's question statistics for a day (store.Store
// does).
type StatsStore interface {
	Stats(ctx context.Context, chatID int64, day string) (store.DayStats, error)
}

// Composer writes digests from a corpus and, for groups, the questions
// asked there.
type Composer struct {
	Corpus *data.Corpus
	// Stats has yesterday's questions for a group's digest; with none, or
	// when it fails, the digest goes without them.
	Stats StatsStore
	Log   *slog.Logger
	// Figures and Arrivals give new reports' key figures to the chats that
	// ask for them (figures.go); with either nil, no digest has them.
	Figures  *figures.Set
	Arrivals store.Arrivals
}

func (c *Composer) log() *slog.Logger {
	if c.Log == nil {
		return slog.Default()
	}
	return c.Log
}

// Compose writes the digest of chat for a local date, as Telegram HTML:
// the paragraph of the day; for a group, yesterday's questions in it (how
// many, the sections they touched most, those the report did not cover),
// left out when there were none; and a footer. It fits one message.
func (c *Composer) Compose(ctx context.Context, chat Chat, date time.Time) (string, error) {
	head := chat.say("<b>每日一读</b>", "<b>Paragraph of the day</b>") + " · " + date.Format(time.DateOnly) + "\n"
	var stats string
	if chat.Group && c.Stats != nil {
		yesterday := date.AddDate(0, 0, -1).Format(time.DateOnly)
		st, err := c.Stats.Stats(ctx, chat.ID, yesterday)
		if err != nil {
			c.log().Warn("digest without yesterday's questions", "chat", chat.ID, "err", err)
		} else if st.Questions > 0 {
			stats = "\n\n" + statsBlock(chat, st)
		}
	}
	foot := "\n\n" + render.Escape(chat.say(
		"直接发问题即可提问（群里用 /ask 问题）· /unsubscribe 退订",
		"Ask by sending a question (/ask in groups) · /unsubscribe to stop"))
	// New reports' figures get at most half of the message; the quote
	// gets what the other parts leave.
	figs := c.figuresBlock(ctx, chat, date, render.Limit/2)
	quote := ""
	if p := ParagraphOfDay(c.Corpus, date); p != nil {
		quote = render.PassageWithin(render.PassageOf(p), render.Limit-render.Len(head+figs+stats+foot))
	}
	return head + quote + figs + stats + foot, nil
}

// statsBlock is a group's questions of a day: how many, the three
// sections most asked about, and up to five questions not covered.
func statsBlock(chat Chat, st store.DayStats) string {
	var b strings.Builder
	fmt.Fprintf(&b, chat.say("<b>昨天本群提问 %d 次</b>", "<b>%d questions here yesterday</b>"), st.Questions)
	type kv struct {
		k string
		v int
	}
	var secs []kv
	for k, v := range st.Sections {
		secs = append(secs, kv{k, v})
	}
	sort.Slice(secs, func(i, j int) bool {
		if secs[i].v != secs[j].v {
			return secs[i].v > secs[j].v
		}
		return secs[i].k < secs[j].k
	})
	if len(secs) > 0 {
		b.WriteString(chat.say("\n涉及最多：", "\nMost asked about: "))
		for i, sec := range secs[:min(3, len(secs))] {
			if i > 0 {
				b.WriteString("、")
			}
			fmt.Fprintf(&b, "%s（%d）", render.Escape(sec.k), sec.v)
		}
	}
	if len(st.Uncovered) > 0 {
		b.WriteString(chat.say("\n报告没有谈到的问题：", "\nQuestions the report does not cover:"))
		for _, q := range st.Uncovered[:min(5, len(st.Uncovered))] {
			fmt.Fprintf(&b, "\n· %s", render.Escape(render.Clip(q, 60)))
		}
	}
	return b.String()
}
