package digest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/store"
	"reportbot/telegramtest"
)

// A chat that turned the figures on gets a new report's key figures in
// its digest on the first day after the report arrived, in its time
// zone, and on no other day; a chat that did not never does.
func TestNewReportsFiguresInTheDigest(t *testing.T) {
	c, err := data.Load("../figures/testdata/consecutive")
	if err != nil {
		t.Fatal(err)
	}
	figs, err := figures.Extract(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory(store.MemoryOptions{})
	ctx := context.Background()
	shanghai := mustZone(t, "Asia/Shanghai")
	// The embedded report was there before; the two fixtures arrive on
	// 2025-01-20 at 23:30 in Shanghai (15:30 UTC).
	mem.ReportArrived(ctx, "yuzhong-2024", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	arrival := time.Date(2025, 1, 20, 23, 30, 0, 0, shanghai)
	comp := &Composer{Corpus: c, Figures: figs, Arrivals: mem}
	comp.NoteReports(ctx, arrival)

	on := Chat{ID: -1, Group: true, Figures: true, TZ: "Asia/Shanghai"}
	off := Chat{ID: -2, Group: true, TZ: "Asia/Shanghai"}
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	compose := func(chat Chat, date time.Time) string {
		html, err := comp.Compose(ctx, chat, date)
		if err != nil {
			t.Fatal(err)
		}
		n, err := telegramtest.ValidateHTML(html)
		if err != nil || n > 4096 {
			t.Fatalf("digest rejected (%v) or %d units:\n%s", err, n, html)
		}
		text, _, _ := telegramtest.ParseHTML(html)
		return text
	}
	next := compose(on, day(21))
	for _, w := range []string{"新载入的报告", "《2025年青山市政府工作报告》主要数字", "地区生产总值增长 5%左右", "《2024年青山市政府工作报告》主要数字"} {
		if !strings.Contains(next, w) {
			t.Errorf("the day after: no %q in\n%s", w, next)
		}
	}
	if strings.Contains(next, "渝中区人民政府工作报告》主要数字") {
		t.Error("the report loaded long before is shown as new")
	}
	for _, d := range []int{20, 22} {
		if text := compose(on, day(d)); strings.Contains(text, "新载入的报告") {
			t.Errorf("2025-01-%d: new reports' figures on a day that is not the first after they arrived", d)
		}
	}
	if text := compose(off, day(21)); strings.Contains(text, "新载入的报告") {
		t.Error("figures for a chat that did not ask for them")
	}
	// In UTC the fixtures arrived on the 20th too, but at 15:30: the day
	// after is the 21st as well; in a zone where it was already the 21st
	// it is the 22nd.
	tokyo := Chat{ID: -3, Figures: true, TZ: "Pacific/Kiritimati"} // UTC+14: 13:30 on the 21st
	if text := compose(tokyo, day(22)); !strings.Contains(text, "新载入的报告") {
		t.Error("the day after, in the chat's own zone: no figures")
	}
}

// With many new reports, the digest still fits one message: two reports'
// figures, the others named.
func TestManyNewReportsFit(t *testing.T) {
	dir := "../../shared/corpus/txt"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the real corpus %s is not here", dir)
	}
	c, err := data.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := figures.Extract(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory(store.MemoryOptions{})
	ctx := context.Background()
	comp := &Composer{Corpus: c, Figures: figs, Arrivals: mem}
	comp.NoteReports(ctx, time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	html, err := comp.Compose(ctx, Chat{ID: -1, Group: true, Figures: true, TZ: "UTC"}, time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	n, err := telegramtest.ValidateHTML(html)
	if err != nil || n > 4096 {
		t.Fatalf("digest rejected (%v) or %d units", err, n)
	}
	text, _, _ := telegramtest.ParseHTML(html)
	if strings.Count(text, "》主要数字") != 2 || !strings.Contains(text, "另有新报告") || !strings.Contains(text, "每日一读") {
		t.Errorf("digest:\n%s", text)
	}
}
