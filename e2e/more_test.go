package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reportbot/handlers"
	"reportbot/telegramtest"
)

// An answer too long for one message arrives as several, each a reply
// and each valid HTML within 4096 characters (the server refuses
// anything else), with the buttons under the last.
func TestLongAnswerSplit(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs(filepath.Join("testdata", "long"))
	srv := newServer(t)
	p := startBot(t, srv, "REPORTS_DIR="+dir)
	ctx := timeout(t, 20*time.Second)

	const user = 9101
	q := srv.PrivateText(user, "长江索道改造工程")
	handled(t, ctx, srv, srv.PushUpdate(q))
	got := sends(srv, user)
	if len(got) < 2 {
		t.Fatalf("want the answer split over several messages, got:%s", describe(got))
	}
	var text strings.Builder
	for i, r := range got {
		if !r.OK() {
			t.Errorf("part %d refused: %s", i+1, r.Description)
			continue
		}
		if replyTo(r) != q.Message.MessageID {
			t.Errorf("part %d replies to %d, want %d", i+1, replyTo(r), q.Message.MessageID)
		}
		if hasKB := r.Object("reply_markup") != nil; hasKB != (i == len(got)-1) {
			t.Errorf("part %d of %d: keyboard %v; want one under the last part only", i+1, len(got), hasKB)
		}
		text.WriteString(result(t, r).Text)
	}
	all := text.String()
	for _, want := range []string{"<b>临时</b>接驳公交 & 轮渡", "第100期改造工程", "《长江索道2024年运营报告》", "一 · 第1段（1/"} {
		if !strings.Contains(all, want) {
			t.Errorf("the parts together lack %q:\n%s", want, clip(all, 3000))
		}
	}
	p.stop()
}

func TestCommands(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 20*time.Second)

	ask := func(chat int64, text string, opts ...telegramtest.MessageOption) (telegramtest.Request, string) {
		t.Helper()
		u := srv.PrivateText(chat, text, opts...)
		srv.PushUpdate(u)
		r := waitReply(t, ctx, srv, chat, u.Message.MessageID)
		return r, result(t, r).Text
	}

	r, text := ask(9201, "/start")
	kb := keyboard(t, r.Object("reply_markup"))
	if n := len(kb); n != 3 || utf8Len(text) > 200 {
		t.Errorf("/start: %d example rows, %d characters: %q", n, utf8Len(text), text)
	}
	for _, row := range kb {
		for _, b := range row {
			if handlers.ParseCallback(b.Data).Kind != handlers.CallbackExample {
				t.Errorf("/start button %+v is not an example question", b)
			}
		}
	}

	if _, text := ask(9202, "/start "+handlers.EncodePayload(gdpQuestion)); !strings.Contains(text, gdpTarget) {
		t.Errorf("/start with a deep-link question:\n%s", text)
	}
	if _, text := ask(9203, "/help"); !strings.Contains(text, "/ask") {
		t.Errorf("/help: %s", text)
	}
	if _, text := ask(9204, "/help", telegramtest.Language("en")); !strings.Contains(text, "How to use") {
		t.Errorf("/help in English: %s", text)
	}
	if _, text := ask(9205, "/about"); !strings.Contains(text, "重庆市渝中区人民政府工作报告") {
		t.Errorf("/about: %s", text)
	}
	if _, text := ask(9206, "/ask"); !strings.Contains(text, "文字") {
		t.Errorf("/ask with no question: %s", text)
	}
	if _, text := ask(9207, "/ask "+gdpQuestion); !strings.Contains(text, gdpTarget) {
		t.Errorf("/ask in private: %s", text)
	}
	if _, text := ask(9208, "sticker?", telegramtest.Language("en")); text == "" {
		t.Error("English question: empty reply")
	}

	// /topics, then a section, read in the same message through its
	// buttons.
	r, _ = ask(9209, "/topics")
	sec, ok := findButton(keyboard(t, r.Object("reply_markup")), "s:")
	if !ok {
		t.Fatalf("/topics offers no sections: %v", r.Object("reply_markup"))
	}
	press(t, ctx, srv, 9209, 9209, result(t, r).MessageID, sec.Data)
	page, err := srv.WaitFor(ctx, func(x telegramtest.Request) bool {
		return strings.EqualFold(x.Method, "editMessageText") && x.OK() && x.Int("message_id") == result(t, r).MessageID
	})
	if err != nil {
		t.Fatalf("section %s not shown in place: %v", sec.Text, err)
	}
	if text := result(t, page).Text; !strings.Contains(text, "《重庆市渝中区人民政府工作报告》") {
		t.Errorf("section page lacks its report:\n%s", clip(text, 300))
	}
	p.stop()
}

func utf8Len(s string) int { return len([]rune(s)) }

// A user who blocked the bot costs a 403, not the process; once unblocked
// they are answered again.
func TestBlockedUser(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 20*time.Second)

	const user = 9301
	srv.Block(user)
	u := srv.PrivateText(user, gdpQuestion)
	handled(t, ctx, srv, srv.PushUpdate(u))
	got := sends(srv, user)
	if len(got) != 1 || got[0].ErrorCode != 403 {
		t.Errorf("blocked chat: want one refused send (403, not retried), got:%s", describe(got))
	}
	srv.Unblock(user)
	u = srv.PrivateText(user, gdpQuestion)
	srv.PushUpdate(u)
	waitReply(t, ctx, srv, user, u.Message.MessageID)
	p.stop()
}
