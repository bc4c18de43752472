package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"reportbot/handlers"
	"reportbot/telegramtest"
)

// checkAnswer checks a reply to the GDP question: HTML, previews off, the
// paragraph (one sentence) quoted in full first with the span that
// answers, and only it, in bold; the citation; and 👍/👎 buttons whose
// callback data the bot can read back.
func checkAnswer(t *testing.T, r telegramtest.Request) {
	t.Helper()
	if got := r.String("parse_mode"); !strings.EqualFold(got, "HTML") {
		t.Errorf("parse_mode = %q, want HTML", got)
	}
	if !previewsOff(r) {
		t.Errorf("link previews not disabled: disable_web_page_preview=%q link_preview_options=%v",
			r.String("disable_web_page_preview"), r.Object("link_preview_options"))
	}
	html := r.String("text")
	first, _, _ := strings.Cut(html, "\n")
	if !strings.HasPrefix(first, "<blockquote>") || !strings.Contains(first, "<b>"+gdpTarget+"</b>") || strings.Count(first, "<b>") != 1 {
		t.Errorf("first line %q: want the passage quoted in full with %s, and only it, in bold", first, gdpTarget)
	}
	msg := result(t, r)
	if !strings.Contains(msg.Text, gdpCitation) {
		t.Errorf("message text lacks the citation %s:\n%s", gdpCitation, msg.Text)
	}
	kinds := map[string]bool{}
	for _, e := range msg.Entities {
		kinds[e.Type] = true
	}
	if !kinds["bold"] || !kinds["blockquote"] || kinds["expandable_blockquote"] {
		t.Errorf("entities %v: want bold and a blockquote not collapsed", kinds)
	}
	checkKeyboard(t, r)
}

// checkKeyboard requires 👍 (f:1) and 👎 (f:0) and that every button's
// callback data fits Telegram's 64 bytes and parses.
func checkKeyboard(t *testing.T, r telegramtest.Request) [][]button {
	t.Helper()
	kb := keyboard(t, r.Object("reply_markup"))
	up, okUp := findButton(kb, "f:1")
	down, okDown := findButton(kb, "f:0")
	if !okUp || up.Text != "👍" || !okDown || down.Text != "👎" {
		t.Errorf("keyboard %+v: want 👍 f:1 and 👎 f:0", kb)
	}
	for _, row := range kb {
		for _, b := range row {
			if len(b.Data) == 0 || len(b.Data) > 64 || handlers.ParseCallback(b.Data).Kind == handlers.CallbackUnknown {
				t.Errorf("button %q has bad callback data %q", b.Text, b.Data)
			}
		}
	}
	return kb
}

func TestPrivateQuestion(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 20*time.Second)

	const user = 1001
	u := srv.PrivateText(user, gdpQuestion)
	id := srv.PushUpdate(u)
	r := waitReply(t, ctx, srv, user, u.Message.MessageID)
	checkAnswer(t, r)

	handled(t, ctx, srv, id)
	p.stop()
	if all, ok := sends(srv, user), okSends(srv, user); len(all) != 1 || len(ok) != 1 {
		t.Errorf("want exactly one (successful) message for one question, got:%s", describe(all))
	}
}

// voice builds a voice message update, which telegramtest has no helper for.
func voice(chat, msgID int64) map[string]any {
	return map[string]any{"message": map[string]any{
		"message_id": msgID,
		"from":       map[string]any{"id": chat, "is_bot": false, "first_name": "Voice", "language_code": "zh-hans"},
		"chat":       map[string]any{"id": chat, "type": "private", "first_name": "Voice"},
		"date":       time.Now().Unix(),
		"voice":      map[string]any{"file_id": "AwACAgIAAxk-voice", "file_unique_id": "AgADvoice", "duration": 3, "mime_type": "audio/ogg"},
	}}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 30*time.Second)

	long := strings.Repeat(gdpQuestion, 5000/utf8.RuneCountInString(gdpQuestion)+1)
	long = string([]rune(long)[:5000])

	type answered struct {
		name string
		chat int64
		upd  func() telegramtest.Update
		want []string // substrings of the reply's plain text
		not  []string // and what it must not say
	}
	cases := []answered{
		{"sticker", 2001, func() telegramtest.Update { return srv.Sticker(2001, 2001, "😀") }, []string{"文字"}, nil},
		{"photo", 2002, func() telegramtest.Update { return srv.Photo(2002, 2002, "") }, []string{"文字"}, nil},
		{"blank", 2004, func() telegramtest.Update { return srv.PrivateText(2004, "   ") }, []string{"文字"}, nil},
		{"emoji", 2005, func() telegramtest.Update { return srv.PrivateText(2005, "🙂🙂") }, []string{"文字"}, nil},
		{"punctuation", 2006, func() telegramtest.Update { return srv.PrivateText(2006, "？？？") }, []string{"文字"}, nil},
		{"5000 characters", 2007, func() telegramtest.Update { return srv.PrivateText(2007, long) }, []string{"200字", gdpTarget}, nil},
		{"metacharacters", 2008, func() telegramtest.Update { return srv.PrivateText(2008, "<b>GDP</b> & *增长* _目标_") }, []string{gdpTarget}, nil},
		// Not covered: the reply says what was searched, and does not
		// repeat the question it replies to.
		{"metacharacters, not covered", 2009, func() telegramtest.Update {
			return srv.PrivateText(2009, `<script>alert("火锅")</script> & <i>熊猫</i> &amp; *粗* _斜_ `+"`码`？")
		}, []string{"没有找到", "《重庆市渝中区人民政府工作报告》"}, []string{"火锅", "<script>"}},
		{"unknown command", 2010, func() telegramtest.Update { return srv.PrivateText(2010, "/frobnicate") }, []string{"/frobnicate", "/help"}, nil},
		{"traditional characters", 2011, func() telegramtest.Update {
			return srv.PrivateText(2011, "渝中區今年的經濟增長目標是多少？")
		}, []string{gdpTarget}, nil},
	}
	type pending struct {
		answered
		msgID int64
	}
	var waits []pending
	for _, c := range cases {
		u := c.upd()
		srv.PushUpdate(u)
		waits = append(waits, pending{c, u.Message.MessageID})
	}
	vu := voice(2003, 501)
	srv.PushUpdate(vu)
	waits = append(waits, pending{answered{"voice", 2003, nil, []string{"文字"}, nil}, 501})

	for _, w := range waits {
		r := waitReply(t, ctx, srv, w.chat, w.msgID)
		text := result(t, r).Text
		for _, s := range w.want {
			if !strings.Contains(text, s) {
				t.Errorf("%s: reply lacks %q:\n%s", w.name, s, clip(text, 400))
			}
		}
		for _, s := range w.not {
			if strings.Contains(text, s) {
				t.Errorf("%s: reply says %q:\n%s", w.name, s, clip(text, 400))
			}
		}
		if w.name != "5000 characters" && w.name != "metacharacters" && w.name != "traditional characters" {
			if n := utf8.RuneCountInString(text); n > 200 {
				t.Errorf("%s: reply is %d characters, want a short answer:\n%s", w.name, n, text)
			}
		}
	}

	// An edited question edits its answer: no second answer.
	const editor = 2012
	orig := srv.PrivateText(editor, "渝中有多少人才?")
	srv.PushUpdate(orig)
	first := waitReply(t, ctx, srv, editor, orig.Message.MessageID)
	edit := srv.EditedText(editor, editor, orig.Message.MessageID, gdpQuestion)
	srv.PushUpdate(edit)
	second, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		return strings.EqualFold(r.Method, "editMessageText") && r.Int("chat_id") == editor && r.OK()
	})
	if err != nil {
		t.Fatalf("the answer to an edited question was not edited: %v%s", err, describe(sends(srv, editor)))
	}
	if got := second.Int("message_id"); got != result(t, first).MessageID {
		t.Errorf("edit of message %d, want the answer %d", got, result(t, first).MessageID)
	}
	if text := result(t, second).Text; !strings.Contains(text, gdpTarget) {
		t.Errorf("answer to the edit lacks %s:\n%s", gdpTarget, text)
	}
	handled(t, ctx, srv, srv.PushUpdate(srv.PrivateText(editor, "/help")))
	if n := len(sends(srv, editor)); n != 2 {
		t.Errorf("%d messages to the editor, want the answer and /help:%s", n, describe(sends(srv, editor)))
	}

	// Ignored: a channel post, and another bot (in private and mentioning
	// us in a group).
	const channel, botChat, botGroup = -1009000000001, 2013, -1009000000002
	srv.PushUpdate(srv.ChannelPost(channel, gdpQuestion))
	srv.PushUpdate(srv.FromBot(botChat, 777, gdpQuestion))
	last := srv.PushUpdate(srv.FromBot(botGroup, 777, "@"+botName+" "+gdpQuestion))
	handled(t, ctx, srv, last)
	for _, chat := range []int64{channel, botChat, botGroup} {
		if got := sends(srv, chat); len(got) != 0 {
			t.Errorf("chat %d: want no message, got:%s", chat, describe(got))
		}
	}

	// Still alive, and no message was ever refused.
	if code, err := p.get(ctx, "/healthz"); err != nil || code != http.StatusOK {
		t.Errorf("/healthz after bad input: %d %v", code, err)
	}
	for _, r := range calls(srv, "sendMessage") {
		if !r.OK() {
			t.Errorf("sendMessage refused: %d %s (text %q)", r.ErrorCode, r.Description, clip(r.String("text"), 200))
		}
	}
	p.stop()
	if out := p.out.String(); strings.Contains(out, "panicked") || strings.Contains(out, "handler failed") {
		t.Errorf("the bot logged a handler failure:\n%s", out)
	}
}

func TestFloodAndServerErrorsRetried(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 30*time.Second)

	for _, c := range []struct {
		name       string
		chat       int64
		code, wait int
	}{
		{"429", 3001, 429, 1},
		{"502", 3002, 502, 0},
	} {
		srv.FailNext("sendMessage", 1, c.code, c.wait)
		u := srv.PrivateText(c.chat, gdpQuestion)
		id := srv.PushUpdate(u)
		r := waitReply(t, ctx, srv, c.chat, u.Message.MessageID)
		if text := result(t, r).Text; !strings.Contains(text, gdpTarget) {
			t.Errorf("%s: reply lacks the answer:\n%s", c.name, text)
		}
		handled(t, ctx, srv, id)
		all := sends(srv, c.chat)
		if len(all) != 2 || all[0].ErrorCode != c.code || !all[1].OK() {
			t.Errorf("%s: want one refused sendMessage then one delivered, got:%s", c.name, describe(all))
		}
	}
	p.stop()
}

// Every Bot API call that Telegram may refuse with 429 or 5xx is retried:
// getUpdates, answerCallbackQuery (or the user's button spins) and
// answerInlineQuery.
func TestFloodOnOtherCalls(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := timeout(t, 30*time.Second)
	srv.FailNext("getUpdates", 1, 502, 0)
	p := startBot(t, srv)

	t.Run("getUpdates 502", func(t *testing.T) {
		u := srv.PrivateText(3101, gdpQuestion)
		srv.PushUpdate(u)
		waitReply(t, ctx, srv, 3101, u.Message.MessageID)
	})

	t.Run("answerCallbackQuery 429", func(t *testing.T) {
		u := srv.PrivateText(3102, gdpQuestion)
		srv.PushUpdate(u)
		ans := result(t, waitReply(t, ctx, srv, 3102, u.Message.MessageID))
		srv.FailNext("answerCallbackQuery", 1, 429, 1)
		cb := srv.Callback(3102, 3102, ans.MessageID, "zzz")
		handled(t, ctx, srv, srv.PushUpdate(cb))
		if !answered(srv, "answerCallbackQuery", "callback_query_id", cb.CallbackQuery.ID) {
			t.Errorf("callback query never answered after a 429:%s", describe(calls(srv, "answerCallbackQuery")))
		}
	})

	t.Run("answerInlineQuery 429", func(t *testing.T) {
		srv.FailNext("answerInlineQuery", 1, 429, 1)
		q := srv.Inline(3103, gdpQuestion, "")
		handled(t, ctx, srv, srv.PushUpdate(q))
		if !answered(srv, "answerInlineQuery", "inline_query_id", q.InlineQuery.ID) {
			t.Errorf("inline query never answered after a 429:%s", describe(calls(srv, "answerInlineQuery")))
		}
	})
	p.stop()
}

// answered says a call of method for the query id succeeded.
func answered(srv *telegramtest.Server, method, param, id string) bool {
	for _, r := range calls(srv, method) {
		if r.String(param) == id && r.OK() {
			return true
		}
	}
	return false
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv, "RATE_LIMIT=3")
	ctx := timeout(t, 30*time.Second)

	const user = 4001
	var ids []int64
	var last int64
	for range 6 {
		u := srv.PrivateText(user, gdpQuestion)
		last = srv.PushUpdate(u)
		ids = append(ids, u.Message.MessageID)
	}
	handled(t, ctx, srv, last)
	got := okSends(srv, user)
	if len(got) != 4 {
		t.Fatalf("want 3 answers and 1 notice, got:%s", describe(sends(srv, user)))
	}
	for i, r := range got {
		if want := ids[i]; replyTo(r) != want {
			t.Errorf("message %d replies to %d, want %d", i, replyTo(r), want)
		}
		text := result(t, r).Text
		if i < 3 && !strings.Contains(text, gdpTarget) {
			t.Errorf("answer %d lacks the answer:\n%s", i, text)
		}
		if i == 3 && (!strings.Contains(text, "太快") || strings.Contains(text, gdpTarget)) {
			t.Errorf("notice %q: want a polite too-fast notice", text)
		}
	}
	p.stop()
}
