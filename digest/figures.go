package digest

// A new report's key figures in the digest of the chats that asked for
// them (store.Subscription.Figures, /settings 数字 开), on the first day
// after the report was loaded: the day after its arrival, in the chat's
// time zone, as the store remembers it across restarts and replicas.

import (
	"cmp"
	"context"
	"slices"
	"time"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/render"
)

// maxNewReports is how many new reports' figures one digest shows; the
// others are named, with /figures to see theirs.
const maxNewReports = 2

// NoteReports records that the corpus's reports are loaded now (when
// Arrivals is set), so that a report's first day is counted from when
// the bot started with it rather than from its first digest.
func (c *Composer) NoteReports(ctx context.Context, now time.Time) {
	if c.Arrivals == nil {
		return
	}
	for _, r := range c.corpus().Reports {
		if _, err := c.Arrivals.ReportArrived(ctx, r.ID, now); err != nil {
			c.log().Warn("could not record when the reports were loaded; new reports' figures may come a day late", "err", err)
			return
		}
	}
}

// newReports are the reports that arrived on the day before date, in the
// chat's time zone.
func (c *Composer) newReports(ctx context.Context, chat Chat, date time.Time) []*data.Report {
	if c.Arrivals == nil || c.figures() == nil || !chat.Figures {
		return nil
	}
	loc := time.UTC
	if l, err := time.LoadLocation(chat.TZ); err == nil {
		loc = l
	}
	yesterday := date.AddDate(0, 0, -1).Format(time.DateOnly)
	var out []*data.Report
	for _, r := range c.corpus().Reports {
		first, err := c.Arrivals.ReportArrived(ctx, r.ID, time.Now())
		if err != nil {
			c.log().Warn("digest without new reports' figures", "chat", chat.ID, "err", err)
			return nil
		}
		if first.In(loc).Format(time.DateOnly) == yesterday {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b *data.Report) int { return cmp.Compare(b.Year, a.Year) }) // newest first
	return out
}

// figuresBlock is the key figures of the reports new since yesterday,
// within limit units: each report's lines while they fit, and the names
// of those left out. "" when there are none or the chat did not ask.
func (c *Composer) figuresBlock(ctx context.Context, chat Chat, date time.Time, limit int) string {
	rs := c.newReports(ctx, chat, date)
	if len(rs) == 0 {
		return ""
	}
	head := chat.say("<b>新载入的报告</b>", "<b>New reports</b>")
	out := "\n\n" + head
	var others []*data.Report
	for i, r := range rs {
		if i >= maxNewReports {
			others = append(others, r)
			continue
		}
		room := limit - render.Len(out) - 200 // what the names of the others need
		block := render.FiguresWithin(r, c.figures().Headline(r), room)
		if block == "" {
			others = append(others, r)
			continue
		}
		out += "\n" + block
	}
	if len(others) > 0 {
		names := ""
		for i, r := range others {
			if i > 0 {
				names += "、"
			}
			names += "《" + r.Name + "》"
			if render.Len(names) > 150 {
				names += chat.say("等", " and others")
				break
			}
		}
		out += "\n" + render.Escape(chat.say("另有新报告："+names+"。用 /figures 地区 年份 查看它们的主要数字。",
			"Also new: "+names+". /figures place year shows their key figures."))
	}
	return out
}

// corpus is the reports served now.
func (c *Composer) corpus() *data.Corpus {
	if c.Current != nil {
		return c.Current()
	}
	return c.Corpus
}

// figures are the key figures of the reports served now.
func (c *Composer) figures() *figures.Set {
	if c.CurrentFigures != nil {
		if f := c.CurrentFigures(); f != nil {
			return f
		}
	}
	return c.Figures
}
