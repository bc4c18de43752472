package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reportbot/handlers"
	"reportbot/telegramtest"
)

// realReports is the real corpus beside the work trees, or a skip.
func realReports(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "corpus", "txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the real corpus %s is not here (%v)", dir, err)
	}
	return dir
}

// /figures, its buttons, a comparison question and /new, through the real
// binary on the real reports.
func TestKeyFigures(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv, "REPORTS_DIR="+realReports(t))
	ctx := timeout(t, 60*time.Second)
	const user = 9101

	u := srv.PrivateText(user, "/figures 国务院 2025")
	srv.PushUpdate(u)
	r := waitReply(t, ctx, srv, user, u.Message.MessageID)
	msg := result(t, r) // the server has checked its HTML and length
	for _, want := range []string{"《国务院政府工作报告（2025年）》主要数字", "国内生产总值增长 5%左右〔18〕 · 2024年 5%〔3〕"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("/figures: no %q in\n%s", want, msg.Text)
		}
	}
	bold := 0
	for _, e := range msg.Entities {
		if e.Type == "bold" {
			bold++
		}
	}
	if bold < 6 {
		t.Errorf("/figures: %d bold entities, want the figures in bold", bold)
	}
	kb := keyboard(t, r.Object("reply_markup"))
	first, ok := findButton(kb, "g:")
	if !ok || first.Text != "1" {
		t.Fatalf("/figures: no numbered figure buttons: %+v", kb)
	}
	for _, row := range kb {
		for _, b := range row {
			if len(b.Data) > 64 || handlers.ParseCallback(b.Data).Kind != handlers.CallbackFigure {
				t.Errorf("button %q: bad callback data %q", b.Text, b.Data)
			}
		}
	}
	press(t, ctx, srv, user, user, msg.MessageID, first.Data)
	sent, err := srv.WaitFor(ctx, func(q telegramtest.Request) bool { return isSend(q, user) && q.OK() && q.Seq > r.Seq })
	if err != nil {
		t.Fatalf("the figure button sent nothing: %v", err)
	}
	if text := result(t, sent).Text; !strings.Contains(text, "今年发展主要预期目标是：国内生产总值增长5%左右") || !strings.Contains(text, "第18段") {
		t.Errorf("the figure button's sentence:\n%s", text)
	}

	for q, wants := range map[string][]string{
		"重庆和四川今年GDP目标":       {"重庆市·渝中区（2024年）：6%左右", "四川省：没有收录四川省的报告。", "第6段"},
		"2023年和2025年GDP目标对比": {"2025年：5%左右", "2023年：5%左右", "第71段"},
		"/new":               {"连续两年"},
	} {
		u := srv.PrivateText(user, q)
		srv.PushUpdate(u)
		text := result(t, waitReply(t, ctx, srv, user, u.Message.MessageID)).Text
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in\n%s", q, w, text)
			}
		}
	}
	p.stop()
}
