package digest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reportbot/data"
	"reportbot/render"
	"reportbot/store"
	"reportbot/telegramtest"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func bodyParagraphs(c *data.Corpus) []*data.Paragraph {
	var all []*data.Paragraph
	for _, r := range c.Reports {
		all = append(all, r.Paragraphs...)
	}
	return all
}

// standalone are the paragraphs of the rotation.
func standalone(c *data.Corpus) []*data.Paragraph {
	var out []*data.Paragraph
	for _, p := range bodyParagraphs(c) {
		if Standalone(p) {
			out = append(out, p)
		}
	}
	return out
}

// checkRotation: over N consecutive days from start (N paragraphs that
// stand alone) every such paragraph comes exactly once, never a header,
// and the day after the N days starts the cycle again.
func checkRotation(t *testing.T, c *data.Corpus, start time.Time) {
	t.Helper()
	all := standalone(c)
	n := len(all)
	if n < 2 {
		t.Fatalf("corpus has %d body paragraphs", n)
	}
	seen := map[string]string{} // paragraph ID → date it came on
	for d := range n {
		date := start.AddDate(0, 0, d)
		p := ParagraphOfDay(c, date)
		if p == nil {
			t.Fatalf("%s: no paragraph", date.Format(time.DateOnly))
		}
		if p.Number == 0 {
			t.Fatalf("%s: the header passage %s is in the rotation", date.Format(time.DateOnly), p.ID())
		}
		if prev, dup := seen[p.ID()]; dup {
			t.Fatalf("%s: paragraph %s came already on %s, before all %d came once", date.Format(time.DateOnly), p.ID(), prev, n)
		}
		seen[p.ID()] = date.Format(time.DateOnly)
	}
	for _, p := range all {
		if _, ok := seen[p.ID()]; !ok {
			t.Errorf("paragraph %s never came in %d days from %s", p.ID(), n, start.Format(time.DateOnly))
		}
	}
	// The cycle repeats: day N is day 0 again.
	if a, b := ParagraphOfDay(c, start), ParagraphOfDay(c, start.AddDate(0, 0, n)); a != b {
		t.Errorf("day %d after %s gives %s, want the cycle to restart with %s", n, start.Format(time.DateOnly), b.ID(), a.ID())
	}
}

// seedCorpus is the embedded report.
func seedCorpus(t testing.TB) *data.Corpus {
	t.Helper()
	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParagraphOfDayRotation(t *testing.T) {
	seed := seedCorpus(t)
	multi, err := data.Load(filepath.Join("..", "data", "testdata", "reports"))
	if err != nil {
		t.Fatal(err)
	}
	if len(multi.Reports) < 2 {
		t.Fatalf("multi-report corpus has %d reports", len(multi.Reports))
	}
	for _, tc := range []struct {
		name string
		c    *data.Corpus
	}{{"seed", seed}, {"multi", multi}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("%d reports, %d body paragraphs, %d standing alone", len(tc.c.Reports), len(bodyParagraphs(tc.c)), len(standalone(tc.c)))
			// From the epoch, from an arbitrary day, from before the epoch,
			// and across a leap day.
			for _, start := range []time.Time{
				time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
				time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC),
				time.Date(2019, 12, 25, 0, 0, 0, 0, time.UTC),
				time.Date(2031, 7, 3, 0, 0, 0, 0, time.UTC),
			} {
				checkRotation(t, tc.c, start)
			}
			// Report order: the first day of the cycle is the first
			// paragraph of the first report that stands alone.
			if p := ParagraphOfDay(tc.c, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); p != standalone(tc.c)[0] {
				t.Errorf("2024-01-01 gives %s, want the first paragraph %s", p.ID(), standalone(tc.c)[0].ID())
			}
		})
	}
}

// The paragraph depends on the date only: not on the time of day or the
// zone the date is given in (every chat gets the same one that day).
func TestParagraphOfDaySameDate(t *testing.T) {
	c := seedCorpus(t)
	sh, ny := mustZone(t, "Asia/Shanghai"), mustZone(t, "America/New_York")
	for _, day := range []time.Time{
		time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC),
	} {
		want := ParagraphOfDay(c, day)
		y, m, d := day.Date()
		for _, alt := range []time.Time{
			time.Date(y, m, d, 23, 59, 59, 0, time.UTC),
			time.Date(y, m, d, 0, 0, 1, 0, sh),
			time.Date(y, m, d, 23, 30, 0, 0, sh),
			time.Date(y, m, d, 0, 30, 0, 0, ny),
			time.Date(y, m, d, 23, 59, 0, 0, ny),
		} {
			if got := ParagraphOfDay(c, alt); got != want {
				t.Errorf("%v gives %s, want %s as for %s", alt, got.ID(), want.ID(), day.Format(time.DateOnly))
			}
		}
		// LocalDate names the same day whatever zone's clock reads it.
		if got := ParagraphOfDay(c, LocalDate(time.Date(y, m, d, 7, 0, 0, 0, sh), sh)); got != want {
			t.Errorf("LocalDate of %s in Shanghai gives %s, want %s", day.Format(time.DateOnly), got.ID(), want.ID())
		}
		if next := ParagraphOfDay(c, day.AddDate(0, 0, 1)); next == want {
			t.Errorf("%s and the next day give the same paragraph %s", day.Format(time.DateOnly), want.ID())
		}
	}
	if got := ParagraphOfDay(&data.Corpus{}, time.Now()); got != nil {
		t.Errorf("empty corpus gives %v, want nil", got)
	}
}

func TestParseSchedule(t *testing.T) {
	sh := mustZone(t, "Asia/Shanghai")
	for _, tc := range []struct {
		args, hhmm, zone string
	}{
		{"", "09:00", "Asia/Shanghai"},
		{"   ", "09:00", "Asia/Shanghai"},
		{"08:30", "08:30", "Asia/Shanghai"},
		{"8:30", "08:30", "Asia/Shanghai"},
		{"0:05", "00:05", "Asia/Shanghai"},
		{"23:59", "23:59", "Asia/Shanghai"},
		{"08：30", "08:30", "Asia/Shanghai"}, // full-width colon, as Chinese keyboards type it
		{"08:30 Asia/Shanghai", "08:30", "Asia/Shanghai"},
		{"Asia/Tokyo 07:00", "07:00", "Asia/Tokyo"},
		{"Europe/London", "09:00", "Europe/London"},
		{" 18:45   America/New_York ", "18:45", "America/New_York"},
		// Times as people say them.
		{"8点", "08:00", "Asia/Shanghai"},
		{"八点半", "08:30", "Asia/Shanghai"},
		{"早上8点半", "08:30", "Asia/Shanghai"},
		{"早上 8点半 Asia/Tokyo", "08:30", "Asia/Tokyo"},
		{"下午3点15分", "15:15", "Asia/Shanghai"},
		{"晚上八点一刻", "20:15", "Asia/Shanghai"},
		{"中午12点", "12:00", "Asia/Shanghai"},
		{"20时", "20:00", "Asia/Shanghai"},
		{"7点05", "07:05", "Asia/Shanghai"},
		{"8am", "08:00", "Asia/Shanghai"},
		{"8:30PM", "20:30", "Asia/Shanghai"},
		{"12am", "00:00", "Asia/Shanghai"},
	} {
		hhmm, loc, err := ParseSchedule(tc.args, sh)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", tc.args, err)
			continue
		}
		if hhmm != tc.hhmm || loc.String() != tc.zone {
			t.Errorf("ParseSchedule(%q) = %q %s, want %q %s", tc.args, hhmm, loc, tc.hhmm, tc.zone)
		}
	}
	for _, tc := range []struct {
		args, bad string // bad: the word the error must name
	}{
		{"25:00", "25:00"},
		{"24:00", "24:00"},
		{"08:60", "08:60"},
		{"25点", "25点"},
		{"8点61分", "8点61分"},
		{"13pm", "13pm"},
		{"Mars/Olympus", "Mars/Olympus"},
		{"08:30 08:31 x", "x"},
		{"Local", "Local"},
		{"0830", "0830"},
		{"08:30 Asia/Nowhere", "Asia/Nowhere"},
	} {
		hhmm, loc, err := ParseSchedule(tc.args, sh)
		if err == nil {
			t.Errorf("ParseSchedule(%q) = %q %v, want an error", tc.args, hhmm, loc)
			continue
		}
		if !errors.Is(err, ErrBadSchedule) {
			t.Errorf("ParseSchedule(%q): %v, want ErrBadSchedule", tc.args, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, fmt.Sprintf("%q", tc.bad)) || !strings.Contains(msg, "08:30") || !strings.Contains(msg, "Asia/Shanghai") {
			t.Errorf("ParseSchedule(%q): %q should name %q and give an example time and zone", tc.args, msg, tc.bad)
		}
	}
	// Two times: the second one wins, with no error (the fields are read
	// one by one). Pinned so that a change is deliberate.
	if hhmm, _, err := ParseSchedule("08:30 08:31", sh); err != nil || hhmm != "08:31" {
		t.Errorf(`ParseSchedule("08:30 08:31") = %q, %v`, hhmm, err)
	}
}

func TestNextDue(t *testing.T) {
	sh := mustZone(t, "Asia/Shanghai")
	at := func(y int, m time.Month, d, h, min, s int) time.Time { return time.Date(y, m, d, h, min, s, 0, sh) }
	for _, tc := range []struct {
		hhmm      string
		from, due time.Time
	}{
		{"09:00", at(2024, 1, 15, 8, 0, 0), at(2024, 1, 15, 9, 0, 0)},   // before today's time: today
		{"09:00", at(2024, 1, 15, 9, 0, 0), at(2024, 1, 15, 9, 0, 0)},   // at it: now
		{"09:00", at(2024, 1, 15, 9, 0, 1), at(2024, 1, 16, 9, 0, 0)},   // after: tomorrow
		{"09:00", at(2024, 1, 15, 23, 59, 0), at(2024, 1, 16, 9, 0, 0)}, // late evening: tomorrow
		{"00:00", at(2024, 1, 31, 0, 0, 1), at(2024, 2, 1, 0, 0, 0)},    // month end
		{"23:59", at(2024, 2, 28, 23, 59, 30), at(2024, 2, 29, 23, 59, 0)},
		{"07:15", at(2024, 12, 31, 12, 0, 0), at(2025, 1, 1, 7, 15, 0)}, // year end
	} {
		// from given in another zone: NextDue reads the clock in loc.
		got := NextDue(tc.hhmm, sh, tc.from.UTC())
		if !got.Equal(tc.due) {
			t.Errorf("NextDue(%s, from %s) = %s, want %s", tc.hhmm, tc.from, got.In(sh), tc.due)
		}
	}
}

// dueDays schedules a digest at hhmm in loc repeatedly from start, each
// time from the previous due time + 1s (as the scheduler does after a
// send), until end, and returns the due times.
func dueDays(hhmm string, loc *time.Location, start, end time.Time) []time.Time {
	var out []time.Time
	for from := start; len(out) < 100; {
		due := NextDue(hhmm, loc, from)
		if !due.Before(end) {
			break
		}
		out = append(out, due)
		from = due.Add(time.Second)
	}
	return out
}

// Daylight-saving time: a digest fires exactly once on every day,
// including the day the clock skips its time (02:30 on 2024-03-10 in New
// York) and the day it reads its time twice (01:30 on 2024-11-03).
func TestNextDueDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	for _, tc := range []struct {
		name, hhmm string
		start      time.Time // local midnight; 5 days are simulated
		special    time.Time // the DST day
	}{
		{"spring forward, time skipped", "02:30", time.Date(2024, 3, 8, 0, 0, 0, 0, ny), time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)},
		{"fall back, time twice", "01:30", time.Date(2024, 11, 1, 0, 0, 0, 0, ny), time.Date(2024, 11, 3, 0, 0, 0, 0, time.UTC)},
		{"spring forward, ordinary time", "09:00", time.Date(2024, 3, 8, 0, 0, 0, 0, ny), time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)},
		{"fall back, ordinary time", "09:00", time.Date(2024, 11, 1, 0, 0, 0, 0, ny), time.Date(2024, 11, 3, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := tc.start.AddDate(0, 0, 5)
			dues := dueDays(tc.hhmm, ny, tc.start, end)
			var days []string
			for _, d := range dues {
				days = append(days, d.In(ny).Format("2006-01-02 15:04 MST"))
			}
			t.Logf("due: %s", strings.Join(days, ", "))
			if len(dues) != 5 {
				t.Fatalf("%d digests in 5 days, want 5: %v", len(dues), days)
			}
			for i, d := range dues {
				wantDay := LocalDate(tc.start, ny).AddDate(0, 0, i)
				if got := LocalDate(d, ny); !got.Equal(wantDay) {
					t.Errorf("digest %d due on %s, want %s (one a day): %v", i, got.Format(time.DateOnly), wantDay.Format(time.DateOnly), days)
				}
				if i > 0 && !d.After(dues[i-1]) {
					t.Errorf("digest %d due %s, not after the previous %s", i, d, dues[i-1])
				}
				if wantDay.Equal(tc.special) && tc.hhmm != "09:00" {
					continue // checked below
				}
				if got := d.In(ny).Format("15:04"); got != tc.hhmm {
					t.Errorf("digest on %s due at %s local, want %s", wantDay.Format(time.DateOnly), got, tc.hhmm)
				}
			}
			// Scheduling from any moment of the DST day (every 10 minutes)
			// never gives a time on that day already passed, and the
			// digest of that day comes once: from just after it, the next
			// one is the next day.
			for from := tc.start; from.Before(end); from = from.Add(10 * time.Minute) {
				due := NextDue(tc.hhmm, ny, from)
				if due.Before(from) {
					t.Fatalf("NextDue from %s = %s, in the past", from.In(ny), due.In(ny))
				}
				if due.Sub(from) > 25*time.Hour {
					t.Fatalf("NextDue from %s = %s, more than a day ahead", from.In(ny), due.In(ny))
				}
				again := NextDue(tc.hhmm, ny, due.Add(time.Second))
				if LocalDate(again, ny).Equal(LocalDate(due, ny)) {
					t.Fatalf("from %s: due %s and again %s, the same day", from.In(ny), due.In(ny), again.In(ny))
				}
			}
		})
	}
	// The documented choices on the DST days: 02:30 does not exist on
	// 2024-03-10, so the digest comes at the first moment after the gap
	// (03:00 EDT), never before the time asked for; 01:30 exists twice on
	// 2024-11-03, and the first (EDT) is taken.
	spring := NextDue("02:30", ny, time.Date(2024, 3, 10, 0, 0, 0, 0, ny))
	if want := time.Date(2024, 3, 10, 7, 0, 0, 0, time.UTC); !spring.Equal(want) {
		t.Errorf("02:30 on 2024-03-10 (skipped) due %s (%s UTC), want the first moment after the gap, 03:00 EDT (%s UTC)",
			spring.In(ny).Format("15:04 MST"), spring.UTC().Format("15:04"), want.Format("15:04"))
	}
	fall := NextDue("01:30", ny, time.Date(2024, 11, 3, 0, 0, 0, 0, ny))
	if want := time.Date(2024, 11, 3, 5, 30, 0, 0, time.UTC); !fall.Equal(want) {
		t.Errorf("01:30 on 2024-11-03 (twice) due %s (%s UTC), want the first, 01:30 EDT (05:30 UTC)", fall.In(ny).Format("15:04 MST"), fall.UTC().Format("15:04"))
	}
}

// digestService is a Composer of the seed report with a memory store.
func digestService(t *testing.T) (*Composer, *store.Memory) {
	t.Helper()
	return digestServiceFor(t, seedCorpus(t))
}

// checkMessage validates html as Telegram would and returns its text.
func checkMessage(t *testing.T, html string) string {
	t.Helper()
	n, err := telegramtest.ValidateHTML(html)
	if err != nil {
		t.Fatalf("digest is not a valid message (%d UTF-16 units): %v\nstarts: %s\nends: %s", n, err, clipRunes(html, 200), lastRunes(html, 200))
	}
	if n > 4096 {
		t.Fatalf("digest is %d UTF-16 units, over 4096", n)
	}
	text, _, _ := telegramtest.ParseHTML(html)
	return text
}

const footerZH = "/unsubscribe 退订"

func TestDigestPrivate(t *testing.T) {
	comp, mem := digestService(t)
	ctx := context.Background()
	date := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	// Statistics exist for this chat, but a private chat never shows them.
	mem.RecordQuestion(ctx, 42, "2024-01-14", store.QuestionRecord{Question: "问题", Sections: []string{"一、2023年工作回顾"}, Covered: true})
	html, err := comp.Compose(ctx, Chat{ID: 42, Lang: "zh-hans"}, date)
	if err != nil {
		t.Fatal(err)
	}
	text := checkMessage(t, html)
	if !strings.HasPrefix(text, "每日一读 · 2024-01-15\n") {
		t.Errorf("digest starts %q, want the title and the date", clipRunes(text, 40))
	}
	p := ParagraphOfDay(comp.Corpus, date)
	if !strings.Contains(text, clipRunes(p.Text, 30)) {
		t.Errorf("digest does not quote the paragraph of the day %s", p.ID())
	}
	if cite := (render.Style{Corpus: comp.Corpus}).Cite(render.PassageOf(p)); !strings.Contains(text, cite) {
		t.Errorf("digest does not cite %q", cite)
	}
	if !strings.Contains(html, "<blockquote>") || strings.Contains(html, "expandable") {
		t.Errorf("the paragraph is not quoted in full: %s", html)
	}
	if h := "\n" + Headline(p) + "\n"; !strings.Contains(text, h) || !strings.Contains(html, "<b>"+render.Escape(Headline(p))+"</b>") {
		t.Errorf("the paragraph has no headline %q:\n%s", h, text)
	}
	if strings.Contains(text, "/ask") || strings.Contains(text, "群") {
		t.Errorf("a private digest speaks of groups:\n%s", text)
	}
	if strings.Contains(text, "昨天本群提问") || strings.Contains(text, "涉及最多") {
		t.Errorf("private digest has a statistics block:\n%s", text)
	}
	lines := strings.Split(text, "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, footerZH) || !strings.Contains(last, "提问") {
		t.Errorf("last line %q is not the footer (how to ask, how to unsubscribe)", last)
	}
	// English.
	en, err := comp.Compose(ctx, Chat{ID: 42, Lang: "en"}, date)
	if err != nil {
		t.Fatal(err)
	}
	entext := checkMessage(t, en)
	if !strings.HasPrefix(entext, "Paragraph of the day · 2024-01-15") || !strings.Contains(entext, "/unsubscribe to stop") {
		t.Errorf("English digest:\n%s", entext)
	}
}

func TestDigestGroupStats(t *testing.T) {
	comp, mem := digestService(t)
	ctx := context.Background()
	const chat = -100123
	date := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	secA, secB, secC, secD := "二、2024年工作安排", "一、2023年工作回顾", "（三）<优化>营商环境 & “服务”", "四、其他"
	rec := func(day, q string, covered bool, secs ...string) {
		t.Helper()
		if err := mem.RecordQuestion(ctx, chat, day, store.QuestionRecord{Question: q, Covered: covered, Sections: secs}); err != nil {
			t.Fatal(err)
		}
	}
	// Yesterday: 7 questions, 4 covered.
	rec("2024-01-14", "GDP目标？", true, secA, secB)
	rec("2024-01-14", "就业？", true, secA)
	rec("2024-01-14", "营商环境？", true, secA, secC)
	rec("2024-01-14", "营商环境2？", true, secC, secD)
	rec("2024-01-14", "火星移民计划<b>何时</b>开始 & 结束？", false)
	rec("2024-01-14", `食堂"午饭"几点？`, false)
	rec("2024-01-14", "🚀"+strings.Repeat("很长的问题", 30), false)
	// Other days and chats do not count.
	rec("2024-01-13", "前天的问题", false)
	rec("2024-01-15", "今天的问题", false)
	mem.RecordQuestion(ctx, chat-1, "2024-01-14", store.QuestionRecord{Question: "别的群", Covered: false})

	html, err := comp.Compose(ctx, Chat{ID: chat, Group: true, Lang: "zh"}, date)
	if err != nil {
		t.Fatal(err)
	}
	text := checkMessage(t, html)
	t.Logf("%s", text)
	if !strings.Contains(text, "昨天本群提问 7 次") {
		t.Errorf("no count of 7 questions:\n%s", text)
	}
	// Top sections: A (3), then C (2); ties by title; at most 3.
	top := "涉及最多：" + secA + "（3）、" + secC + "（2）、" + secB + "（1）"
	if !strings.Contains(text, top) {
		t.Errorf("top sections: want %q in\n%s", top, text)
	}
	if strings.Contains(text, secD) {
		t.Errorf("a fourth section is listed:\n%s", text)
	}
	for _, q := range []string{"火星移民计划<b>何时</b>开始 & 结束？", `食堂"午饭"几点？`} {
		if !strings.Contains(text, "· "+q) {
			t.Errorf("uncovered question %q not listed (as text):\n%s", q, text)
		}
	}
	if !strings.Contains(html, "火星移民计划&lt;b&gt;何时&lt;/b&gt;开始 &amp; 结束？") || !strings.Contains(html, "&lt;优化&gt;营商环境 &amp;") {
		t.Errorf("questions and section titles are not escaped in the HTML:\n%s", html)
	}
	if !strings.Contains(text, "没有答好的问题") || !strings.Contains(text, `食堂"午饭"几点？（没有找到）`) {
		t.Errorf("no heading of the gaps, or a gap not marked not found:\n%s", text)
	}
	for _, q := range []string{"GDP目标", "前天的问题", "今天的问题", "别的群"} {
		if strings.Contains(text, q) {
			t.Errorf("%q listed, but it was covered or not asked here yesterday", q)
		}
	}
	if !strings.Contains(text, "🚀很长的问题") || !strings.Contains(text, "…") {
		t.Errorf("long question not cut with …:\n%s", text)
	}
	// Order: title, the staff's part, the paragraph, footer.
	p := ParagraphOfDay(comp.Corpus, date)
	iq, is, ip, ifo := strings.Index(text, "每日一读"), strings.Index(text, "昨天本群提问"), strings.Index(text, clipRunes(p.Text, 20)), strings.LastIndex(text, footerZH)
	if !(iq == 0 && iq < is && is < ip && ip < ifo) {
		t.Errorf("order: title %d, statistics %d, paragraph %d, footer %d", iq, is, ip, ifo)
	}
	if last := text[strings.LastIndex(text, "\n")+1:]; !strings.Contains(last, "回复本消息") || !strings.Contains(last, "管理员") {
		t.Errorf("group footer %q: want how to ask here and who may unsubscribe", last)
	}

	// A group with no questions yesterday: no block, still a footer.
	quiet, err := comp.Compose(ctx, Chat{ID: chat - 7, Group: true}, date)
	if err != nil {
		t.Fatal(err)
	}
	qtext := checkMessage(t, quiet)
	if strings.Contains(qtext, "昨天本群提问") || strings.Contains(qtext, "没有答好") {
		t.Errorf("quiet group has a statistics block:\n%s", qtext)
	}
	if !strings.Contains(qtext, footerZH) {
		t.Errorf("quiet group digest has no footer")
	}
	// Only covered questions: count and sections, no uncovered heading.
	rec("2024-01-20", "只问了报告里的", true, secB)
	only, _ := comp.Compose(ctx, Chat{ID: chat, Group: true}, time.Date(2024, 1, 21, 0, 0, 0, 0, time.UTC))
	otext := checkMessage(t, only)
	if !strings.Contains(otext, "昨天本群提问 1 次") || strings.Contains(otext, "没有答好") || strings.Contains(otext, "涉及最多") {
		t.Errorf("covered-only day of one question (no gaps, too few for the sections):\n%s", otext)
	}
	// Many uncovered: at most five listed, newest first.
	for i := range 8 {
		rec("2024-02-01", fmt.Sprintf("没谈到的问题%d", i), false)
	}
	many, _ := comp.Compose(ctx, Chat{ID: chat, Group: true}, time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC))
	mtext := checkMessage(t, many)
	if strings.Count(mtext, "\n· ") != 5 || !strings.Contains(mtext, "没谈到的问题7") || strings.Contains(mtext, "没谈到的问题2") {
		t.Errorf("want the 5 newest uncovered questions:\n%s", mtext)
	}
}

// A store that fails: the group digest still goes out, without statistics.
type failingStats struct{ *store.Memory }

func (failingStats) Stats(context.Context, int64, string) (store.DayStats, error) {
	return store.DayStats{}, store.ErrUnavailable
}

func TestDigestStoreDown(t *testing.T) {
	comp, mem := digestService(t)
	comp.Stats = failingStats{mem}
	html, err := comp.Compose(context.Background(), Chat{ID: -5, Group: true}, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if text := checkMessage(t, html); !strings.Contains(text, "每日一读") || !strings.Contains(text, footerZH) {
		t.Errorf("digest without the store:\n%s", text)
	}
}

// Every day's digest of the seed report and of the multi-report corpus,
// for a busy group, fits one valid message.
func TestDigestEveryDayFits(t *testing.T) {
	for _, dir := range []string{"", filepath.Join("..", "data", "testdata", "reports")} {
		c, err := data.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		comp, mem := digestServiceFor(t, c)
		ctx := context.Background()
		const chat = -77
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		n := len(bodyParagraphs(c))
		for d := range n {
			date := start.AddDate(0, 0, d)
			day := date.AddDate(0, 0, -1).Format(time.DateOnly)
			for i := range 6 {
				mem.RecordQuestion(ctx, chat, day, store.QuestionRecord{
					Question: strings.Repeat("很长的问题😀", 20) + fmt.Sprint(i),
					Sections: []string{strings.Repeat("很长的章节标题", 10) + fmt.Sprint(i)},
				})
			}
			html, err := comp.Compose(ctx, Chat{ID: chat, Group: true}, date)
			if err != nil {
				t.Fatal(err)
			}
			text := checkMessage(t, html)
			if !strings.Contains(text, footerZH) || !strings.Contains(text, "昨天本群提问 6 次") {
				t.Fatalf("%s (%s): digest lost its footer or statistics:\n%s", date.Format(time.DateOnly), ParagraphOfDay(c, date).ID(), text)
			}
		}
	}
}

func digestServiceFor(t *testing.T, c *data.Corpus) (*Composer, *store.Memory) {
	t.Helper()
	mem := store.NewMemory(store.MemoryOptions{})
	return &Composer{Corpus: c, Stats: mem}, mem
}

// A report whose paragraph is longer than one message: the digest still
// fits 4096 UTF-16 units, is valid HTML, and keeps the quote and the
// footer. Once in Chinese characters of the Basic Multilingual Plane, once
// in characters outside it (two UTF-16 units each, as CJK Extension B
// names and emoji are).
func TestDigestLongParagraphFits(t *testing.T) {
	for _, tc := range []struct{ name, sentence string }{
		{"bmp", "推动高质量发展。"},
		{"astral", "𠀀𠀁𠀂发展。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			long := strings.Repeat(tc.sentence, 5000/len([]rune(tc.sentence)))
			report := "测试区人民政府工作报告\n——2024年1月10日在测试区人民代表大会上\n\n各位代表：\n一、工作回顾\n" + long + "\n二、工作安排\n第二段很短。\n"
			if err := os.WriteFile(filepath.Join(dir, "ceshi-2024.txt"), []byte(report), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := data.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			comp, mem := digestServiceFor(t, c)
			var date time.Time
			found := false
			for d := range len(bodyParagraphs(c)) {
				date = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
				if p := ParagraphOfDay(c, date); p.Report.ID == "ceshi-2024" && strings.HasPrefix(p.Text, long[:12]) {
					found = true
					break
				}
			}
			if !found {
				t.Fatal("the long paragraph is not in the rotation")
			}
			for _, group := range []bool{false, true} {
				if group {
					mem.RecordQuestion(context.Background(), -9, date.AddDate(0, 0, -1).Format(time.DateOnly), store.QuestionRecord{Question: "报告没谈到的？"})
				}
				html, err := comp.Compose(context.Background(), Chat{ID: -9, Group: group}, date)
				if err != nil {
					t.Fatal(err)
				}
				text := checkMessage(t, html)
				if !strings.Contains(text, footerZH) {
					t.Errorf("group=%v: the long digest lost its footer (%d units)", group, telegramtest.UTF16Len(text))
				}
				if !strings.Contains(html, "<blockquote") || !strings.Contains(text, "《测试区人民政府工作报告》") {
					t.Errorf("group=%v: the long digest lost its quote or citation: %s", group, clipRunes(html, 120))
				}
				if group && !strings.Contains(text, "报告没谈到的？") {
					t.Errorf("group=%v: the long digest lost yesterday's questions", group)
				}
			}
		})
	}
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// The paragraph of the day stands alone: not the report thanking its
// audience, not a lead-in to what follows, not a line.
func TestStandalone(t *testing.T) {
	c := seedCorpus(t)
	var out []int
	for _, p := range c.Reports[0].Paragraphs {
		if !Standalone(p) {
			out = append(out, p.Number)
		}
	}
	// 2: "…表示崇高的敬意和衷心的感谢！"; 8: "…重点做好以下工作:".
	if fmt.Sprint(out) != "[2 8]" {
		t.Errorf("paragraphs left out of the rotation: %v, want [2 8]", out)
	}
	for d := range 12 {
		date := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
		if p := ParagraphOfDay(c, date); !Standalone(p) {
			t.Errorf("%s: paragraph %d does not stand alone", date.Format(time.DateOnly), p.Number)
		}
	}
}

func TestHeadline(t *testing.T) {
	c := seedCorpus(t)
	want := map[int]string{
		1: "过去一年,我们坚持把政治建设摆在首位",
		3: "在肯定成绩的同时,我们也清醒看到",
		4: "2024年是新中国成立75周年",
		5: "今年全区经济社会发展的总体要求",
		6: "今年全区经济社会发展主要预期目标",
	}
	for _, p := range c.Reports[0].Paragraphs {
		if w, ok := want[p.Number]; ok {
			if got := Headline(p); got != w {
				t.Errorf("paragraph %d: headline %q, want %q", p.Number, got, w)
			}
		}
		if n := len([]rune(Headline(p))); n == 0 || n > 24 {
			t.Errorf("paragraph %d: headline %q is %d characters", p.Number, Headline(p), n)
		}
	}
}

// The staff's part: 👎 with the reason beside the questions not found,
// the votes, and the sections once there were more than a few questions.
func TestDigestComplaints(t *testing.T) {
	comp, mem := digestService(t)
	ctx := context.Background()
	const chat = -100200
	day := "2024-01-14"
	for i := range 5 {
		mem.RecordQuestion(ctx, chat, day, store.QuestionRecord{Question: fmt.Sprintf("问题%d", i), Covered: i > 0, Sections: []string{"二、2024年工作安排"}})
	}
	mem.RecordFeedback(ctx, chat, day, "10", 1, true)
	mem.RecordFeedback(ctx, chat, day, "11", 1, false)
	mem.RecordComplaint(ctx, chat, day, "11", 1, store.Complaint{Reason: "figures", Question: "渝中有多少人才？"})
	html, err := comp.Compose(ctx, Chat{ID: chat, Group: true}, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	text := checkMessage(t, html)
	for _, want := range []string{"昨天本群提问 5 次 · 👍 1 · 👎 1", "· 问题0（没有找到）", "· 渝中有多少人才？（👎 数字不对）", "涉及最多：二、2024年工作安排（5）"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	en, _ := comp.Compose(ctx, Chat{ID: chat, Group: true, Lang: "en"}, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC))
	if entext := checkMessage(t, en); !strings.Contains(entext, "(👎 wrong figures)") || !strings.Contains(entext, "admins: /unsubscribe") {
		t.Errorf("English staff part:\n%s", entext)
	}
}
