package handlers

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"reportbot/data"
	"reportbot/store"
)

// DefaultDigestTime is when a digest arrives unless the chat says.
const DefaultDigestTime = "09:00"

// Paragraph of the day: every body paragraph of every report comes once,
// in report order, before any comes again, and every chat gets the same
// one on the same date. Days count from this date.
var rotationEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// ParagraphOfDay returns the paragraph quoted on a local date.
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

// Digest composes the digest of chat for a local date: the paragraph of
// the day; for a group, yesterday's questions in it (how many, the sections
// they touched most, those the report did not cover), left out when there
// were none; and a footer. It fits one message.
func (s *Service) Digest(ctx context.Context, chat Chat, date time.Time) (string, error) {
	c := s.corpus()
	head := s.Say(chat, "<b>每日一读</b>", "<b>Paragraph of the day</b>") + " · " + date.Format(time.DateOnly) + "\n"
	var stats string
	if chat.Group {
		yesterday := date.AddDate(0, 0, -1).Format(time.DateOnly)
		st, err := s.Store.Stats(ctx, chat.ID, yesterday)
		if err != nil {
			s.log().Warn("digest without yesterday's questions", "chat", chat.ID, "err", err)
		} else if st.Questions > 0 {
			stats = "\n\n" + s.statsBlock(chat, st)
		}
	}
	foot := "\n\n" + Escape(s.Say(chat,
		"直接发问题即可提问（群里用 /ask 问题）· /unsubscribe 退订",
		"Ask by sending a question (/ask in groups) · /unsubscribe to stop"))
	// The quote gets what the other parts leave of one message.
	quote := ""
	if p := ParagraphOfDay(c, date); p != nil {
		budget := renderLimit - renderUnits(stripTags(head+stats+foot))
		quote = renderPassageWithin(passageOf(p), budget)
	}
	return head + quote + stats + foot, nil
}

func (s *Service) statsBlock(chat Chat, st store.DayStats) string {
	var b strings.Builder
	fmt.Fprintf(&b, s.Say(chat, "<b>昨天本群提问 %d 次</b>", "<b>%d questions here yesterday</b>"), st.Questions)
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
		b.WriteString(s.Say(chat, "\n涉及最多：", "\nMost asked about: "))
		for i, sec := range secs[:min(3, len(secs))] {
			if i > 0 {
				b.WriteString("、")
			}
			fmt.Fprintf(&b, "%s（%d）", Escape(sec.k), sec.v)
		}
	}
	if len(st.Uncovered) > 0 {
		b.WriteString(s.Say(chat, "\n报告没有谈到的问题：", "\nQuestions the report does not cover:"))
		for _, q := range st.Uncovered[:min(5, len(st.Uncovered))] {
			fmt.Fprintf(&b, "\n· %s", Escape(cut(q, 60)))
		}
	}
	return b.String()
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// stripTags turns digest HTML into plain text (for reportbot digest).
func stripTags(html string) string {
	s := tagRe.ReplaceAllString(html, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(s)
}

// PlainText turns a reply's HTML into the text a reader sees.
func PlainText(html string) string { return stripTags(html) }

// Schedule parsing.

var timeRe = regexp.MustCompile(`^([01]?\d|2[0-3])[:：]([0-5]\d)$`)

// ErrBadSchedule is a /subscribe argument that is not a time or a zone.
var ErrBadSchedule = errors.New("bad schedule")

// ParseSchedule reads "/subscribe [HH:MM] [Zone]" arguments.
func ParseSchedule(args string, defaultTZ *time.Location) (hhmm string, loc *time.Location, err error) {
	hhmm, loc = DefaultDigestTime, defaultTZ
	for _, f := range strings.Fields(args) {
		if m := timeRe.FindStringSubmatch(f); m != nil {
			h, _ := strconv.Atoi(m[1])
			hhmm = fmt.Sprintf("%02d:%s", h, m[2])
			continue
		}
		l, lerr := time.LoadLocation(f)
		if lerr != nil || f == "" || f == "Local" {
			return "", nil, fmt.Errorf("%w: %q is neither a time (08:30) nor a time zone (Asia/Shanghai)", ErrBadSchedule, f)
		}
		loc = l
	}
	return hhmm, loc, nil
}

// NextDue is the first time at or after from when the clock in loc reads
// hhmm. On a day when that local time does not exist (clocks go forward
// through it) it is the first moment after the gap; when it exists twice
// (clocks go back) it is the first.
func NextDue(hhmm string, loc *time.Location, from time.Time) time.Time {
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:])
	local := from.In(loc)
	for d := 0; d < 3; d++ {
		y, mo, day := local.AddDate(0, 0, d).Date()
		t := time.Date(y, mo, day, h, m, 0, 0, loc)
		if t.Hour() != h || t.Minute() != m {
			// The clocks skip this time today: the first moment after
			// the gap (time.Date may give one before it).
			_, end := t.ZoneBounds()
			t = end
		}
		if !t.Before(from) {
			return t
		}
	}
	return from.Add(24 * time.Hour) // unreachable: some day's time is ahead
}

// LocalDate is the date of t in loc, at midnight UTC, as digests name it.
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Subscribe subscribes a chat; the reply says when the first digest comes.
func (s *Service) Subscribe(ctx context.Context, chat Chat, sub store.Subscription, args string, defaultTZ *time.Location) Reply {
	hhmm, loc, err := ParseSchedule(args, defaultTZ)
	if err != nil {
		return reply(Escape(s.Say(chat,
			"时间或时区不对。例如：/subscribe 08:30 或 /subscribe 08:30 Asia/Shanghai",
			"That time or time zone is not valid. For example: /subscribe 08:30 or /subscribe 08:30 Asia/Shanghai")))
	}
	sub.Time, sub.TZ, sub.Created = hhmm, loc.String(), s.now()
	next := NextDue(hhmm, loc, s.now())
	if err := s.Store.Subscribe(ctx, sub, next); err != nil {
		return reply(Escape(s.Say(chat,
			"现在无法保存订阅，请稍后再试。",
			"The subscription could not be saved right now; please try again later.")))
	}
	return reply(Escape(s.Say(chat,
		fmt.Sprintf("已订阅：每天 %s（%s）发送每日一读。第一次：%s。/unsubscribe 退订。", hhmm, loc, next.In(loc).Format("2006-01-02 15:04")),
		fmt.Sprintf("Subscribed: a digest every day at %s (%s). First: %s. /unsubscribe to stop.", hhmm, loc, next.In(loc).Format("2006-01-02 15:04")))))
}

// Unsubscribe ends a chat's subscription.
func (s *Service) Unsubscribe(ctx context.Context, chat Chat) Reply {
	ok, err := s.Store.Unsubscribe(ctx, chat.ID)
	switch {
	case err != nil:
		return reply(Escape(s.Say(chat, "现在无法退订，请稍后再试。", "Could not unsubscribe right now; please try again later.")))
	case !ok:
		return reply(Escape(s.Say(chat, "本聊天没有订阅每日一读。/subscribe 订阅。", "This chat is not subscribed. /subscribe to subscribe.")))
	}
	return reply(Escape(s.Say(chat, "已退订每日一读。", "Unsubscribed from the daily digest.")))
}

// Settings shows a chat's subscription.
func (s *Service) Settings(ctx context.Context, chat Chat) Reply {
	sub, ok, err := s.Store.Subscription(ctx, chat.ID)
	switch {
	case err != nil:
		return reply(Escape(s.Say(chat, "现在无法读取订阅，请稍后再试。", "Could not read the subscription right now; please try again later.")))
	case !ok:
		return reply(Escape(s.Say(chat, "本聊天没有订阅每日一读。/subscribe 08:30 订阅。", "This chat is not subscribed. /subscribe 08:30 to subscribe.")))
	}
	return reply(Escape(s.Say(chat,
		fmt.Sprintf("每日一读：每天 %s（%s）。订阅于 %s。/unsubscribe 退订。", sub.Time, sub.TZ, sub.Created.Format("2006-01-02")),
		fmt.Sprintf("Daily digest: every day at %s (%s), since %s. /unsubscribe to stop.", sub.Time, sub.TZ, sub.Created.Format("2006-01-02")))))
}

// AdminsOnly tells a group member that only administrators manage the
// group's digest.
func (s *Service) AdminsOnly(chat Chat) Reply {
	return reply(Escape(s.Say(chat,
		"只有本群管理员可以订阅或退订每日一读。",
		"Only this group's administrators can subscribe or unsubscribe it.")))
}
