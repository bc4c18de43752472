package bot

import (
	"errors"
	"fmt"
	"testing"

	tele "gopkg.in/telebot.v3"
)

func TestCommand(t *testing.T) {
	for _, tc := range []struct {
		text       string
		cmd        string
		toUs, isIt bool
	}{
		{"/ask 问题", "/ask", false, true},
		{"/ask@ReportBot 问题", "/ask", true, true},
		{"/ASK@reportbot", "/ask", true, true},
		{"/help@OtherBot", "/help", false, true},
		{"/ 问题", "", false, false},
		{"问题 /ask", "", false, false},
		{"", "", false, false},
	} {
		cmd, toUs, isIt := command(tc.text, "reportbot")
		if cmd != tc.cmd || toUs != tc.toUs || isIt != tc.isIt {
			t.Errorf("command(%q) = %q %v %v, want %q %v %v", tc.text, cmd, toUs, isIt, tc.cmd, tc.toUs, tc.isIt)
		}
	}
}

func TestStripMention(t *testing.T) {
	for in, want := range map[string]string{
		"@reportbot 2024年GDP目标":      "2024年GDP目标",
		"2024年GDP目标 @ReportBot":      "2024年GDP目标",
		"问 @reportbot 渝中 @REPORTBOT": "问  渝中",
		"@otherbot 问题":               "@otherbot 问题",
	} {
		if got := stripMention(in, "reportbot"); got != want {
			t.Errorf("stripMention(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQuestionIn(t *testing.T) {
	b := &Bot{me: &tele.User{ID: 99, Username: "reportbot", IsBot: true}}
	private := &tele.Chat{ID: 1, Type: tele.ChatPrivate}
	group := &tele.Chat{ID: -5, Type: tele.ChatSuperGroup}
	botMsg := &tele.Message{ID: 7, Sender: b.me, Chat: group}
	other := &tele.Message{ID: 8, Sender: &tele.User{ID: 3}, Chat: group}
	for _, tc := range []struct {
		name string
		m    *tele.Message
		q    string
		ok   bool
	}{
		{"private text", &tele.Message{Text: "渝中有多少人才", Chat: private}, "渝中有多少人才", true},
		{"private /ask", &tele.Message{Text: "/ask 渝中有多少人才", Chat: private}, "渝中有多少人才", true},
		{"private deep link", &tele.Message{Text: "/start " + "5rid5Lit5pyJ5aSa5bCR5Lq65omN", Chat: private}, "渝中有多少人才", true},
		{"group chatter", &tele.Message{Text: "今天开会吗", Chat: group}, "", false},
		{"group /ask", &tele.Message{Text: "/ask 渝中有多少人才", Chat: group}, "渝中有多少人才", true},
		{"group /ask@us", &tele.Message{Text: "/ask@reportbot 渝中有多少人才", Chat: group}, "渝中有多少人才", true},
		{"group /help@other", &tele.Message{Text: "/help@OtherBot", Chat: group}, "", false},
		{"group mention", &tele.Message{Text: "@reportbot 渝中有多少人才", Chat: group}, "渝中有多少人才", true},
		{"group reply to us", &tele.Message{Text: "那税收呢", Chat: group, ReplyTo: botMsg}, "那税收呢", true},
		{"group reply to another", &tele.Message{Text: "同意", Chat: group, ReplyTo: other}, "", false},
		{"group photo caption mention", &tele.Message{Caption: "@reportbot 这是什么", Chat: group}, "这是什么", true},
	} {
		q, ok := b.questionIn(tc.m)
		if q != tc.q || ok != tc.ok {
			t.Errorf("%s: questionIn = %q, %v; want %q, %v", tc.name, q, ok, tc.q, tc.ok)
		}
	}
}

func TestErrorCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{tele.FloodError{RetryAfter: 3}, "429"},
		{tele.ErrBlockedByUser, "403"},
		{fmt.Errorf("telegram: Bad Gateway (502)"), "502"},
		{&apiError{code: 409}, "409"},
		{errors.New("dial tcp: connection refused"), "network"},
	} {
		if got := errorCode(tc.err); got != tc.want {
			t.Errorf("errorCode(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if !blocked(tele.ErrKickedFromGroup) {
		t.Error("kicked from a group is not taken as blocked")
	}
}

func TestWebhookPath(t *testing.T) {
	for in, want := range map[string]string{
		"https://bot.example.org/tg/hook": "/tg/hook",
		"https://bot.example.org":         "/",
		"http://127.0.0.1:8443/x":         "/x",
	} {
		if got := webhookPath(in); got != want {
			t.Errorf("webhookPath(%q) = %q, want %q", in, got, want)
		}
	}
}
