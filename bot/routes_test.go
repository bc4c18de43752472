package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"

	"reportbot/handlers"

	"reportbot/telegramtest"
)

// entities are the bot_command and mention entities Telegram attaches to
// a user's text, as the test server computes them.
func entities(t *testing.T, text string) tele.Entities {
	t.Helper()
	u := telegramtest.New(testToken).PrivateText(1, text)
	raw, err := json.Marshal(u.Message.Entities)
	if err != nil {
		t.Fatal(err)
	}
	var ents tele.Entities
	if err := json.Unmarshal(raw, &ents); err != nil {
		t.Fatal(err)
	}
	return ents
}

// said is a message of text with the entities Telegram gives it.
func said(t *testing.T, text string) *tele.Message {
	return &tele.Message{Text: text, Entities: entities(t, text)}
}

func TestCommand(t *testing.T) {
	b := &Bot{me: &tele.User{ID: 99, Username: "reportbot", IsBot: true}}
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
		r := b.read(said(t, tc.text))
		if r.cmd != tc.cmd || r.toUs != tc.toUs || r.isCmd != tc.isIt {
			t.Errorf("command(%q) = %q %v %v, want %q %v %v", tc.text, r.cmd, r.toUs, r.isCmd, tc.cmd, tc.toUs, tc.isIt)
		}
	}
}

func TestStripMention(t *testing.T) {
	b := &Bot{me: &tele.User{ID: 99, Username: "reportbot", IsBot: true}}
	for in, want := range map[string]string{
		"@reportbot 2024年GDP目标":      "2024年GDP目标",
		"2024年GDP目标 @ReportBot":      "2024年GDP目标",
		"问 @reportbot 渝中 @REPORTBOT": "问  渝中",
		"@otherbot 问题":               "@otherbot 问题",
	} {
		if got := b.read(said(t, in)).withoutMentions(); got != want {
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
	text := func(s string, chat *tele.Chat) *tele.Message {
		m := said(t, s)
		m.Chat = chat
		return m
	}
	reply := func(s string, chat *tele.Chat, to *tele.Message) *tele.Message {
		m := text(s, chat)
		m.ReplyTo = to
		return m
	}
	caption := func(s string, chat *tele.Chat) *tele.Message {
		return &tele.Message{Caption: s, CaptionEntities: entities(t, s), Chat: chat}
	}
	for _, tc := range []struct {
		name string
		m    *tele.Message
		q    string
		ok   bool
	}{
		{"private text", text("渝中有多少人才", private), "渝中有多少人才", true},
		{"private /ask", text("/ask 渝中有多少人才", private), "渝中有多少人才", true},
		{"private deep link", text("/start "+"5rid5Lit5pyJ5aSa5bCR5Lq65omN", private), "渝中有多少人才", true},
		{"group chatter", text("今天开会吗", group), "", false},
		{"group /ask", text("/ask 渝中有多少人才", group), "渝中有多少人才", true},
		{"group /ask@us", text("/ask@reportbot 渝中有多少人才", group), "渝中有多少人才", true},
		{"group /help@other", text("/help@OtherBot", group), "", false},
		{"group mention", text("@reportbot 渝中有多少人才", group), "渝中有多少人才", true},
		{"group reply to us", reply("那税收呢", group, botMsg), "那税收呢", true},
		{"group reply to another", reply("同意", group, other), "", false},
		{"group photo caption mention", caption("@reportbot 这是什么", group), "这是什么", true},
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
		{&APIError{Method: "sendMessage", Code: 429, Description: "Too Many Requests: retry after 3", RetryAfter: 3 * time.Second}, "429"},
		{&APIError{Method: "sendMessage", Code: 403, Description: "Forbidden: bot was blocked by the user"}, "403"},
		{fmt.Errorf("answering: %w", &APIError{Method: "sendMessage", Code: 502, Description: "Bad Gateway"}), "502"},
		{&APIError{Code: 409}, "409"},
		{errors.New("dial tcp: connection refused"), "network"},
	} {
		if got := errorCode(tc.err); got != tc.want {
			t.Errorf("errorCode(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if !blocked(&APIError{Method: "sendMessage", Code: 403, Description: "Forbidden: bot was kicked from the group chat"}) {
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

// Buttons and markup are spelled as the Bot API wants them: one action a
// button; a ForceReply with no inline keyboard.
func TestMarkupJSON(t *testing.T) {
	kb := inline([][]handlers.Button{{
		{Text: "👍", Data: "f:1"},
		{Text: "问问机器人", URL: "https://t.me/x_bot?start=abc"},
		{Text: "试试", Inline: true, Query: ""},
	}})
	got, _ := json.Marshal(kb)
	want := `{"inline_keyboard":[[{"text":"👍","callback_data":"f:1"},{"text":"问问机器人","url":"https://t.me/x_bot?start=abc"},{"text":"试试","switch_inline_query_current_chat":""}]]}`
	if string(got) != want {
		t.Errorf("keyboard\n got %s\nwant %s", got, want)
	}
	got, _ = json.Marshal(&keyboard{ForceReply: true, Placeholder: "输入问题", Selective: true})
	if want := `{"force_reply":true,"input_field_placeholder":"输入问题","selective":true}`; string(got) != want {
		t.Errorf("force reply\n got %s\nwant %s", got, want)
	}
}
