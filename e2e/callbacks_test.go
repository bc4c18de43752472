package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"reportbot/telegramtest"
)

const pandaQuestion = "大熊猫保护工作有哪些成果"

// press pushes a button press and waits for its answerCallbackQuery,
// which must succeed.
func press(t *testing.T, ctx context.Context, srv *telegramtest.Server, user, chat, msgID int64, data string) telegramtest.Request {
	t.Helper()
	u := srv.Callback(user, chat, msgID, data)
	srv.PushUpdate(u)
	r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		return strings.EqualFold(r.Method, "answerCallbackQuery") && r.String("callback_query_id") == u.CallbackQuery.ID
	})
	if err != nil {
		t.Fatalf("callback %q not answered: %v", data, err)
	}
	if !r.OK() {
		t.Errorf("answerCallbackQuery for %q refused: %d %s", data, r.ErrorCode, r.Description)
	}
	return r
}

// moreButton is the 更多结果 button of a keyboard.
func moreButton(kb [][]button) (button, bool) {
	for _, row := range kb {
		for _, b := range row {
			if b.Text == "更多结果" {
				return b, true
			}
		}
	}
	return button{}, false
}

// isEdit says r is an editMessageText of message msgID in chat.
func isEdit(r telegramtest.Request, chat, msgID int64) bool {
	return strings.EqualFold(r.Method, "editMessageText") && r.Int("chat_id") == chat && r.Int("message_id") == msgID
}

// edits returns the editMessageText calls of a message.
func edits(srv *telegramtest.Server, chat, msgID int64) []telegramtest.Request {
	var out []telegramtest.Request
	for _, r := range srv.Requests() {
		if isEdit(r, chat, msgID) {
			out = append(out, r)
		}
	}
	return out
}

func TestCallbacks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv, "REPORTS_DIR="+reportsDir(t))
	ctx := timeout(t, 30*time.Second)

	const user = 6001
	q := srv.PrivateText(user, pandaQuestion)
	srv.PushUpdate(q)
	first := waitReply(t, ctx, srv, user, q.Message.MessageID)
	answer := result(t, first)
	kb := checkKeyboard(t, first)
	more, ok := findButton(kb, "m:")
	if !ok || more.Text != "更多结果" {
		t.Fatalf("no 更多结果 button under an answer with more passages: %+v\n%s", kb, answer.Text)
	}
	if !strings.Contains(answer.Text, "[3] ") || strings.Contains(answer.Text, "[4] ") {
		t.Errorf("first answer should quote passages 1-3:\n%s", answer.Text)
	}
	current := answer.Text // the answer's text as it is now

	// 更多结果 turns the answer's page in place; two taps on the same
	// button never post the same passages twice.
	t.Run("更多结果", func(t *testing.T) {
		press(t, ctx, srv, user, user, answer.MessageID, more.Data)
		r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return isEdit(r, user, answer.MessageID) && r.OK() })
		if err != nil {
			t.Fatalf("更多结果 did not turn the page: %v", err)
		}
		text := result(t, r).Text
		current = text
		if !strings.Contains(text, "[4] 《熊猫谷2024年大熊猫保护工作报告》") || strings.Contains(text, "[1] ") || !strings.Contains(text, "条，共") {
			t.Errorf("更多结果 should show passages from 4 on, and how many in all:\n%s", text)
		}
		if !strings.EqualFold(r.String("parse_mode"), "HTML") {
			t.Errorf("parse_mode %q", r.String("parse_mode"))
		}
		page2 := keyboard(t, r.Object("reply_markup"))
		if _, ok := findButton(page2, more.Data); ok {
			t.Errorf("the next page offers the same page again: %+v", page2)
		}
		if back, ok := findButton(page2, "m:0"); !ok || !strings.Contains(back.Text, "上一页") {
			t.Errorf("page 2 has no way back: %+v", page2)
		}
		// The same button again (a second tap, a slow network): nothing new.
		press(t, ctx, srv, user, user, answer.MessageID, more.Data)
		if got := okSends(srv, user); len(got) != 1 {
			t.Errorf("paging posted messages:%s", describe(got))
		}
		changed := 0
		for _, e := range edits(srv, user, answer.MessageID) {
			if e.OK() {
				changed++
			}
		}
		if changed != 1 {
			t.Errorf("%d edits changed the answer for one page turn, want 1", changed)
		}
		// To the end, which has no 更多结果 and says how many there were.
		kb := page2
		for pages := 2; ; pages++ {
			next, ok := moreButton(kb)
			if !ok {
				break
			}
			if pages > 10 {
				t.Fatalf("more than 10 pages")
			}
			before := len(edits(srv, user, answer.MessageID))
			press(t, ctx, srv, user, user, answer.MessageID, next.Data)
			all := edits(srv, user, answer.MessageID)
			if len(all) == before || !all[len(all)-1].OK() {
				t.Fatalf("page %s not shown", next.Data)
			}
			current = result(t, all[len(all)-1]).Text
			kb = keyboard(t, all[len(all)-1].Object("reply_markup"))
		}
		if m := regexp.MustCompile(`第\d+–(\d+)条，共(\d+)条`).FindStringSubmatch(current); m == nil || m[1] != m[2] {
			t.Errorf("the last page does not say it shows the last of them:\n%s", current)
		}
	})

	t.Run("👍", func(t *testing.T) {
		r := press(t, ctx, srv, user, user, answer.MessageID, "f:1")
		if r.String("text") == "" {
			t.Error("👍 answered without a notice")
		}
		edit, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
			return strings.EqualFold(r.Method, "editMessageReplyMarkup") && r.Int("message_id") == answer.MessageID
		})
		if err != nil {
			t.Fatalf("keyboard not edited after 👍: %v", err)
		}
		if !edit.OK() {
			t.Fatalf("edit refused: %d %s", edit.ErrorCode, edit.Description)
		}
		now, _ := srv.Message(user, answer.MessageID)
		kb := keyboard(t, now.ReplyMarkup)
		if _, ok := findButton(kb, "f:"); ok {
			t.Errorf("👍/👎 still there after voting: %+v", kb)
		}
		if _, ok := findButton(kb, "m:"); !ok {
			t.Errorf("the paging buttons dropped with the vote buttons: %+v", kb)
		}
		if now.Text != current {
			t.Errorf("answer text changed by the vote")
		}
	})

	// 👎 asks why; the reason is the vote's.
	t.Run("👎 why", func(t *testing.T) {
		const u3 = 6003
		q3 := srv.PrivateText(u3, pandaQuestion)
		srv.PushUpdate(q3)
		a3 := result(t, waitReply(t, ctx, srv, u3, q3.Message.MessageID))
		r := press(t, ctx, srv, u3, u3, a3.MessageID, "f:0")
		if !strings.Contains(r.String("text"), "原因") {
			t.Errorf("👎 notice %q does not ask why", r.String("text"))
		}
		now, _ := srv.Message(u3, a3.MessageID)
		kb := keyboard(t, now.ReplyMarkup)
		var reasons []string
		for _, row := range kb {
			for _, b := range row {
				if strings.HasPrefix(b.Data, "w:") {
					reasons = append(reasons, b.Text)
				}
			}
		}
		if strings.Join(reasons, " ") != "不相关 不完整 数字不对 其他" {
			t.Fatalf("reasons offered %q, keyboard %+v", reasons, kb)
		}
		if _, ok := findButton(kb, "f:"); ok {
			t.Errorf("👍/👎 still there once voted: %+v", kb)
		}
		why, _ := findButton(kb, "w:2")
		r = press(t, ctx, srv, u3, u3, a3.MessageID, why.Data)
		if !strings.Contains(r.String("text"), "数字不对") {
			t.Errorf("reason notice %q", r.String("text"))
		}
		now, _ = srv.Message(u3, a3.MessageID)
		if _, ok := findButton(keyboard(t, now.ReplyMarkup), "w:"); ok {
			t.Errorf("reasons still offered once one is given")
		}
	})

	t.Run("stale and forged", func(t *testing.T) {
		for _, data := range []string{"zzz", "m:abc", "f:7", "q:99", "s:9.9.9", "w:9", ""} {
			r := press(t, ctx, srv, user, user, answer.MessageID, data)
			if data != "s:9.9.9" && r.String("text") == "" {
				t.Errorf("%q: answered without a notice", data)
			}
		}
		// 更多结果 under a message the bot no longer has.
		r := press(t, ctx, srv, user, user, 99999, "m:3")
		if r.String("text") == "" {
			t.Error("更多结果 on a lost message: answered without a notice")
		}
	})

	t.Run("example button", func(t *testing.T) {
		const u2 = 6002
		start := srv.PrivateText(u2, "/start")
		srv.PushUpdate(start)
		hello := waitReply(t, ctx, srv, u2, start.Message.MessageID)
		ex, ok := findButton(keyboard(t, hello.Object("reply_markup")), "q:")
		if !ok {
			t.Fatalf("/start offers no example buttons: %v", hello.Object("reply_markup"))
		}
		press(t, ctx, srv, u2, u2, result(t, hello).MessageID, ex.Data)
		asked, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return isSend(r, u2) && r.OK() && r.Seq > hello.Seq })
		if err != nil {
			t.Fatal(err)
		}
		if text := result(t, asked).Text; !strings.Contains(text, ex.Text) {
			t.Errorf("the example's restatement %q lacks %q", text, ex.Text)
		}
		ans := waitReply(t, ctx, srv, u2, result(t, asked).MessageID)
		checkKeyboard(t, ans)
	})

	// In a group: a follow-up asked by replying to the bot's answer. Its
	// 更多结果 must find the question again, although Telegram does not
	// nest reply_to_message (the follow-up's own reply is not in it).
	t.Run("更多结果 in a group after a reply to the bot", func(t *testing.T) {
		const group = -1002000000001
		first := srv.GroupText(group, 51, "/ask@"+botName+" 2024年GDP增长目标")
		srv.PushUpdate(first)
		a1 := result(t, waitReply(t, ctx, srv, group, first.Message.MessageID))
		follow := srv.ReplyTo(group, 52, a1.MessageID, pandaQuestion)
		srv.PushUpdate(follow)
		r2 := waitReply(t, ctx, srv, group, follow.Message.MessageID)
		m, ok := findButton(keyboard(t, r2.Object("reply_markup")), "m:")
		if !ok {
			t.Fatalf("no 更多结果 under the follow-up's answer")
		}
		cb := press(t, ctx, srv, 52, group, result(t, r2).MessageID, m.Data)
		var pages []telegramtest.Request
		for _, r := range edits(srv, group, result(t, r2).MessageID) {
			if r.OK() && r.Seq < cb.Seq {
				pages = append(pages, r)
			}
		}
		if len(pages) == 0 {
			t.Fatalf("更多结果 turned no page; the callback was answered %q", cb.String("text"))
		}
		if text := result(t, pages[0]).Text; !strings.Contains(text, "[4] ") {
			t.Errorf("更多结果 in the group:\n%s", text)
		}
	})

	p.stop()

	// The buttons point at the question, not at process memory.
	t.Run("更多结果 after a restart", func(t *testing.T) {
		p2 := startBot(t, srv, "REPORTS_DIR="+reportsDir(t))
		reqs := srv.Requests()
		before := reqs[len(reqs)-1].Seq
		press(t, ctx, srv, user, user, answer.MessageID, "m:0")
		r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
			return isEdit(r, user, answer.MessageID) && r.OK() && r.Seq > before
		})
		if err != nil {
			t.Fatalf("paging after a restart did nothing: %v", err)
		}
		if text := result(t, r).Text; !strings.Contains(text, "[1] ") {
			t.Errorf("the first page after a restart:\n%s", text)
		}
		p2.stop()
	})

	for _, r := range calls(srv, "answerCallbackQuery") {
		if !r.OK() {
			t.Errorf("answerCallbackQuery refused: %d %s", r.ErrorCode, r.Description)
		}
	}
}
