package telegramtest

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"
)

func newTelebot(t *testing.T, srv *Server, poller tele.Poller) *tele.Bot {
	t.Helper()
	b, err := tele.NewBot(tele.Settings{
		URL:    srv.URL(),
		Token:  testToken,
		Poller: poller,
		// A bot stopped at the end of a test may still report errors;
		// t.Logf would panic after the test returned.
		OnError: func(error, tele.Context) {},
	})
	if err != nil {
		t.Fatalf("telebot cannot start against the test server: %v", err)
	}
	return b
}

// TestTelebotEchoLongPolling proves telebot starts against the server
// (getMe), long-polls it and sends through it.
func TestTelebotEchoLongPolling(t *testing.T) {
	srv := start(t)
	b := newTelebot(t, srv, &tele.LongPoller{Timeout: time.Second})
	if b.Me.Username != DefaultUsername || !b.Me.SupportsInline {
		t.Fatalf("getMe as telebot sees it: %+v", b.Me)
	}
	b.Handle(tele.OnText, func(c tele.Context) error {
		return c.Send("echo: " + c.Text())
	})
	go b.Start()
	defer b.Stop()

	srv.PushUpdate(srv.PrivateText(42, "你好 😀"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := srv.WaitSent(ctx, 42, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "echo: 你好 😀" {
		t.Fatalf("echo = %q", msgs[0].Text)
	}
	req, err := srv.WaitFor(ctx, func(r Request) bool { return r.Method == "sendMessage" })
	if err != nil || req.String("chat_id") != "42" {
		t.Fatalf("recorded send: %+v %v", req, err)
	}
}

// TestTelebotMethods drives the other methods reportbot uses through
// telebot, so the server accepts exactly what telebot sends.
func TestTelebotMethods(t *testing.T) {
	srv := start(t)
	b := newTelebot(t, srv, &tele.LongPoller{Timeout: time.Second})
	const group = int64(-1009876543210)
	srv.PushUpdate(srv.GroupText(group, 5, "/ask@reportbot_test_bot 财政收入", InThread(3)))
	srv.PushUpdate(srv.PrivateText(5, "hi"))

	err := b.SetCommands([]tele.Command{{Text: "ask", Description: "提问"}, {Text: "topics", Description: "章节"}},
		tele.CommandScope{Type: tele.CommandScopeAllGroupChats}, "en")
	if err != nil {
		t.Fatalf("SetCommands: %v", err)
	}
	if cmds, ok := srv.Commands(CommandScope{Type: "all_group_chats"}, "en"); !ok || len(cmds) != 2 {
		t.Fatalf("commands = %+v", cmds)
	}
	if err := b.SetCommands([]tele.Command{{Text: "Ask", Description: "x"}}); err == nil || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Fatalf("bad command accepted: %v", err)
	}

	markup := &tele.ReplyMarkup{}
	more := markup.Data("更多结果", "more", "k1")
	markup.Inline(markup.Row(more))
	chat := &tele.Chat{ID: group}
	// telebot lets a *SendOptions replace options given before it, so
	// everything goes in one.
	sent, err := b.Send(chat, "<b>答案</b>\n<blockquote expandable>引文 <b>财政</b></blockquote>", &tele.SendOptions{
		ParseMode: tele.ModeHTML, ReplyMarkup: markup, ReplyTo: &tele.Message{ID: 1}, ThreadID: 3, DisableWebPagePreview: true})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if sent.Text != "答案\n引文 财政" || len(sent.Entities) != 3 || sent.ReplyTo == nil || sent.ThreadID != 3 {
		t.Fatalf("sent = %+v", sent)
	}
	if _, err := b.Send(chat, "<b>broken", tele.ModeHTML); err == nil || !strings.Contains(err.Error(), "can't parse entities") {
		t.Fatalf("broken HTML accepted: %v", err)
	}
	long := markup.Data("x", "more", strings.Repeat("d", 60))
	markup.Inline(markup.Row(long))
	if _, err := b.Send(chat, "x", markup); !errors.Is(err, tele.ErrBadButtonData) {
		t.Fatalf("65-byte callback data: %v", err)
	}

	if _, err := b.Edit(sent, "<b>答案</b> 更新", tele.ModeHTML); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	if _, err := b.Edit(sent, "<b>答案</b> 更新", tele.ModeHTML); err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Fatalf("unchanged edit: %v", err)
	}

	cb := srv.Callback(5, group, int64(sent.ID), "\fmore|k1")
	srv.PushUpdate(cb)
	if err := b.Respond(&tele.Callback{ID: cb.CallbackQuery.ID}, &tele.CallbackResponse{Text: "ok"}); err != nil {
		t.Fatalf("Respond: %v", err)
	}
	if err := b.Respond(&tele.Callback{ID: cb.CallbackQuery.ID}); err == nil {
		t.Fatal("second answer to a callback accepted")
	}

	q := srv.Inline(5, "财政", "")
	srv.PushUpdate(q)
	res := &tele.ArticleResult{Title: "《报告》· 一", Description: "答案", Text: "<b>引文</b>"}
	res.SetResultID("r1")
	res.SetContent(&tele.InputTextMessageContent{Text: "<b>引文</b>", ParseMode: tele.ModeHTML})
	if err := b.Answer(&tele.Query{ID: q.InlineQuery.ID}, &tele.QueryResponse{Results: tele.Results{res}, CacheTime: 60, NextOffset: "10"}); err != nil {
		t.Fatalf("Answer: %v", err)
	}

	srv.SetMember(group, 5, "creator")
	m, err := b.ChatMemberOf(chat, &tele.User{ID: 5})
	if err != nil || m.Role != tele.Creator {
		t.Fatalf("ChatMemberOf: %+v %v", m, err)
	}
	if err := b.Notify(chat, tele.Typing); err != nil {
		t.Fatalf("Notify: %v", err)
	}

	srv.FailNext("sendMessage", 1, 429, 7)
	_, err = b.Send(&tele.Chat{ID: 5}, "x")
	var flood tele.FloodError
	if !errors.As(err, &flood) || flood.RetryAfter != 7 {
		t.Fatalf("429 as telebot sees it: %v", err)
	}
	srv.Block(5)
	if _, err := b.Send(&tele.Chat{ID: 5}, "x"); !errors.Is(err, tele.ErrBlockedByUser) {
		t.Fatalf("blocked as telebot sees it: %v", err)
	}
}

// TestTelebotWebhook runs telebot's webhook poller against the server: it
// registers its webhook with a secret, and updates arrive through it.
func TestTelebotWebhook(t *testing.T) {
	srv := start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	b := newTelebot(t, srv, stoppableWebhook{&tele.Webhook{Listen: addr, SecretToken: "s3cret", AllowedUpdates: []string{"message"}}})
	b.Handle(tele.OnText, func(c tele.Context) error { return c.Send("hook: " + c.Text()) })
	go b.Start()
	defer b.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := srv.WaitFor(ctx, func(r Request) bool { return r.Method == "setWebhook" && r.OK() }); err != nil {
		t.Fatal(err)
	}
	srv.PushUpdate(srv.PrivateText(9, "ping"))
	msgs, err := srv.WaitSent(ctx, 9, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "hook: ping" {
		t.Fatalf("reply = %q", msgs[0].Text)
	}
	for _, d := range srv.Deliveries() {
		if d.Secret != "s3cret" {
			t.Fatalf("delivery without the secret: %+v", d)
		}
	}
}

// stoppableWebhook works around telebot v3.3.8's Webhook poller, which
// closes the stop channel that Bot.Start already closed and so panics
// ("close of closed channel") on Bot.Stop: it hands the poller a channel of
// its own and signals it by sending instead of closing.
type stoppableWebhook struct{ *tele.Webhook }

func (w stoppableWebhook) Poll(b *tele.Bot, dest chan tele.Update, stop chan struct{}) {
	inner := make(chan struct{})
	go func() {
		<-stop
		inner <- struct{}{}
	}()
	w.Webhook.Poll(b, dest, inner)
}
