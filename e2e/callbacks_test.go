package e2e

import (
	"context"
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

	t.Run("更多结果", func(t *testing.T) {
		press(t, ctx, srv, user, user, answer.MessageID, more.Data)
		r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return isSend(r, user) && r.OK() && r.Seq > first.Seq })
		if err != nil {
			t.Fatalf("更多结果 sent nothing: %v", err)
		}
		text := result(t, r).Text
		if !strings.Contains(text, "[4] 《熊猫谷2024年大熊猫保护工作报告》· ") || strings.Contains(text, "[1] ") {
			t.Errorf("更多结果 should quote passages from 4 on:\n%s", text)
		}
		if replyTo(r) != q.Message.MessageID {
			t.Errorf("更多结果 replies to %d, want the question %d", replyTo(r), q.Message.MessageID)
		}
		if !strings.EqualFold(r.String("parse_mode"), "HTML") {
			t.Errorf("parse_mode %q", r.String("parse_mode"))
		}
		for _, row := range keyboard(t, r.Object("reply_markup")) {
			for _, b := range row {
				if b.Data == more.Data {
					t.Errorf("the next page offers the same page again: %+v", b)
				}
			}
		}
	})

	t.Run("👍", func(t *testing.T) {
		r := press(t, ctx, srv, user, user, answer.MessageID, "f:1")
		if r.String("text") == "" {
			t.Error("👍 answered without a notice")
		}
		edit, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
			return (strings.EqualFold(r.Method, "editMessageReplyMarkup") || strings.EqualFold(r.Method, "editMessageText")) &&
				r.Int("message_id") == answer.MessageID
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
		if _, ok := findButton(kb, more.Data); !ok {
			t.Errorf("更多结果 dropped with the vote buttons: %+v", kb)
		}
		if now.Text != answer.Text {
			t.Errorf("answer text changed by the vote")
		}
	})

	t.Run("stale and forged", func(t *testing.T) {
		for _, data := range []string{"zzz", "m:abc", "f:7", "q:99", "s:9.9.9", ""} {
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
		// The bot answers the callback query after sending the page.
		cb := press(t, ctx, srv, 52, group, result(t, r2).MessageID, m.Data)
		var pages []telegramtest.Request
		for _, r := range okSends(srv, group) {
			if r.Seq > r2.Seq && r.Seq < cb.Seq {
				pages = append(pages, r)
			}
		}
		if len(pages) == 0 {
			t.Fatalf("更多结果 sent nothing; the callback was answered %q", cb.String("text"))
		}
		next := pages[0]
		if text := result(t, next).Text; !strings.Contains(text, "[4] ") {
			t.Errorf("更多结果 in the group:\n%s", text)
		}
	})

	p.stop()

	// The buttons point at the question, not at process memory.
	t.Run("更多结果 after a restart", func(t *testing.T) {
		p2 := startBot(t, srv, "REPORTS_DIR="+reportsDir(t))
		reqs := srv.Requests()
		before := reqs[len(reqs)-1].Seq
		press(t, ctx, srv, user, user, answer.MessageID, more.Data)
		r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return isSend(r, user) && r.OK() && r.Seq > before })
		if err != nil {
			t.Fatalf("更多结果 after a restart sent nothing: %v", err)
		}
		if text := result(t, r).Text; !strings.Contains(text, "[4] ") {
			t.Errorf("更多结果 after a restart:\n%s", text)
		}
		p2.stop()
	})

	for _, r := range calls(srv, "answerCallbackQuery") {
		if !r.OK() {
			t.Errorf("answerCallbackQuery refused: %d %s", r.ErrorCode, r.Description)
		}
	}
}
