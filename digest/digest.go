// Package digest is the daily digest: the paragraph of the day (one that
// stands alone) and its headline, a chat's digest composed around it (for
// a group, the staff's part: yesterday's questions and the reports'
// gaps), schedules (a local time of day, as typed or said, in a time
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
	_ "embed"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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

func (c Chat) english() bool { return strings.HasPrefix(strings.ToLower(c.Lang), "en") }

// say picks the chat's language: English for "en…", Chinese otherwise.
func (c Chat) say(zh, en string) string {
	if c.english() {
		return en
	}
	return zh
}

// Paragraph of the day: every paragraph of every report that stands
// alone (Standalone) comes once, in report order, before any comes again,
// and every chat gets the same one on the same date. Days count from this
// date.
var rotationEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

//go:embed lexicon/standalone.txt
var standaloneFile string

// thanksWords mark a paragraph that thanks its audience (see
// lexicon/standalone.txt).
var thanksWords = func() []string {
	var out []string
	for _, line := range strings.Split(standaloneFile, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "[") {
			out = append(out, line)
		}
	}
	return out
}()

// minStandalone is the fewest characters a paragraph of the day has.
const minStandalone = 40

// Standalone reports whether a paragraph can be read on its own as the
// paragraph of the day: it has substance (40 characters or more), does
// not lead in to what follows it (it does not end with a colon), and is
// not the report thanking its audience (its last sentence has a word of
// thanks).
func Standalone(p *data.Paragraph) bool {
	text := strings.TrimSpace(p.Text)
	if utf8.RuneCountInString(text) < minStandalone || strings.HasSuffix(text, "：") || strings.HasSuffix(text, ":") {
		return false
	}
	last := text
	if n := len(p.Sentences); n > 0 {
		last = p.Sentence(n - 1)
	}
	for _, w := range thanksWords {
		if strings.Contains(last, w) {
			return false
		}
	}
	return true
}

// ParagraphOfDay returns the paragraph quoted on a local date (its year,
// month and day; the time and zone do not matter): the next in the cycle
// of every report's standalone paragraphs (all body paragraphs, when none
// stands alone), or nil for a corpus with no paragraphs.
func ParagraphOfDay(c *data.Corpus, date time.Time) *data.Paragraph {
	var all, body []*data.Paragraph
	for _, r := range c.Reports {
		for _, p := range r.Paragraphs {
			body = append(body, p)
			if Standalone(p) {
				all = append(all, p)
			}
		}
	}
	if len(all) == 0 {
		all = body
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

// Headline is a paragraph's headline, taken from its own words: its
// first sentence of substance (an address like "各位代表！" is skipped),
// up to a colon that introduces what follows, as many of its clauses as
// fit 24 characters.
func Headline(p *data.Paragraph) string {
	first := strings.TrimSpace(p.Text)
	for i := range p.Sentences {
		if s := strings.TrimSpace(p.Sentence(i)); utf8.RuneCountInString(s) >= 8 {
			first = s
			break
		}
	}
	if i := strings.IndexAny(first, "：:"); i > 0 {
		first = first[:i]
	}
	first = strings.TrimRight(first, "。！？!?；;，, ")
	first = strings.TrimSuffix(first, "是")
	const most = 24
	var out []rune
	for _, clause := range splitClauses(first) {
		r := []rune(clause)
		if len(out) > 0 && len(out)+len(r) > most {
			break
		}
		out = append(out, r...)
	}
	if len(out) > most {
		return string(out[:most-1]) + "…"
	}
	return strings.TrimRight(string(out), "，,、；; ")
}

// splitClauses cuts s after each ，,；;, keeping the marks.
func splitClauses(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune("，,；;", r) {
			out = append(out, s[start:i+utf8.RuneLen(r)])
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// StatsStore gives a chat's question statistics for a day (store.Store
// does). One that also keeps complaints (store.Complaints) gives the
// reasons answers were voted 👎 too.
type StatsStore interface {
	Stats(ctx context.Context, chatID int64, day string) (store.DayStats, error)
}

// Composer writes digests from a corpus and, for groups, the questions
// asked there.
type Composer struct {
	Corpus *data.Corpus
	// Current, when set, gives the corpus at each digest instead of
	// Corpus: the reports may be reloaded while the process runs.
	Current func() *data.Corpus
	// Stats has yesterday's questions for a group's digest; with none, or
	// when it fails, the digest goes without them.
	Stats StatsStore
	Log   *slog.Logger
	// Figures and Arrivals give new reports' key figures to the chats that
	// ask for them (figures.go); with either nil, no digest has them.
	Figures  *figures.Set
	Arrivals store.Arrivals
	// CurrentFigures, when set, gives the figures of the reports served
	// now, which a reload replaces; Figures is then the fallback.
	CurrentFigures func() *figures.Set
}

func (c *Composer) log() *slog.Logger {
	if c.Log == nil {
		return slog.Default()
	}
	return c.Log
}

// Compose writes the digest of chat for a local date, as Telegram HTML,
// in one message. For a group, the staff's part leads: yesterday's
// questions there, the ones the reports did not answer well (not found,
// or voted 👎 with the reason), and, once there were more than a few,
// the sections asked about most; left out when nobody asked. Then the
// paragraph of the day under its headline, quoted in full and cited; and
// a footer that fits the chat: how to ask there, and how to unsubscribe.
func (c *Composer) Compose(ctx context.Context, chat Chat, date time.Time) (string, error) {
	head := chat.say("<b>每日一读</b>", "<b>Paragraph of the day</b>") + " · " + date.Format(time.DateOnly) + "\n"
	var stats string
	if chat.Group && c.Stats != nil {
		yesterday := date.AddDate(0, 0, -1).Format(time.DateOnly)
		st, err := c.Stats.Stats(ctx, chat.ID, yesterday)
		if err != nil {
			c.log().Warn("digest without yesterday's questions", "chat", chat.ID, "err", err)
		} else if st.Questions > 0 {
			var gripes store.DayComplaints
			if cs, ok := c.Stats.(store.Complaints); ok {
				if gripes, err = cs.Complaints(ctx, chat.ID, yesterday); err != nil {
					c.log().Warn("digest without yesterday's complaints", "chat", chat.ID, "err", err)
				}
			}
			stats = "\n" + statsBlock(chat, st, gripes) + "\n"
		}
	}
	var foot string
	if chat.Group {
		foot = "\n\n" + render.Escape(chat.say(
			"回复本消息即可提问 · 管理员可 /unsubscribe 退订",
			"Reply to this message to ask · admins: /unsubscribe to stop"))
	} else {
		foot = "\n\n" + render.Escape(chat.say(
			"有问题直接发给我提问 · /unsubscribe 退订",
			"Send me a question any time · /unsubscribe to stop"))
	}
	// New reports' figures get at most half of the message; the quote
	// gets what the other parts leave.
	figs := c.figuresBlock(ctx, chat, date, render.Limit/2)
	body := ""
	corpus := c.corpus() // the reports reloaded since the bot started
	if p := ParagraphOfDay(corpus, date); p != nil {
		title := "\n<b>" + render.Escape(Headline(p)) + "</b>\n"
		st := render.Style{Corpus: corpus, English: chat.english()}
		body = title + st.Read(render.PassageOf(p), render.Limit-render.Len(head+stats+figs+title+foot))
	}
	return head + stats + figs + body + foot, nil
}

// fewQuestions is how many questions a day must exceed for the digest to
// say which sections they asked about most.
const fewQuestions = 3

// statsBlock is a group's questions of a day: how many (and the votes),
// up to five the reports did not cover and five voted 👎 with a reason,
// and, past a few questions, the three sections most asked about.
func statsBlock(chat Chat, st store.DayStats, gripes store.DayComplaints) string {
	var b strings.Builder
	fmt.Fprintf(&b, chat.say("<b>昨天本群提问 %d 次</b>", "<b>%d questions here yesterday</b>"), st.Questions)
	if st.Up+st.Down > 0 {
		fmt.Fprintf(&b, " · 👍 %d · 👎 %d", st.Up, st.Down)
	}
	if len(st.Uncovered)+len(gripes.Recent) > 0 {
		b.WriteString(chat.say("\n没有答好的问题（报告的空白）：", "\nNot answered well (the reports' gaps):"))
		for _, q := range st.Uncovered[:min(5, len(st.Uncovered))] {
			fmt.Fprintf(&b, "\n· %s%s", render.Escape(render.Clip(q, 60)), chat.say("（没有找到）", " (not found)"))
		}
		for _, g := range gripes.Recent[:min(5, len(gripes.Recent))] {
			fmt.Fprintf(&b, "\n· %s%s", render.Escape(render.Clip(g.Question, 60)), render.Escape(chat.say("（👎 "+reasonName(chat, g.Reason)+"）", " (👎 "+reasonName(chat, g.Reason)+")")))
		}
	}
	if st.Questions <= fewQuestions {
		return b.String()
	}
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
				b.WriteString(chat.say("、", ", "))
			}
			fmt.Fprintf(&b, chat.say("%s（%d）", "%s (%d)"), render.Escape(render.Clip(sec.k, 30)), sec.v)
		}
	}
	return b.String()
}

// Reasons are the reasons a 👎 can give, in the order the bot offers
// them: a short code kept in the store, and its name.
var Reasons = []Reason{
	{"irrelevant", "不相关", "Off topic"},
	{"incomplete", "不完整", "Incomplete"},
	{"figures", "数字不对", "Wrong figures"},
	{"other", "其他", "Other"},
}

// Reason is one reason for a 👎.
type Reason struct{ Code, Zh, En string }

func reasonName(chat Chat, code string) string {
	for _, r := range Reasons {
		if r.Code == code {
			return chat.say(r.Zh, strings.ToLower(r.En))
		}
	}
	return code
}
