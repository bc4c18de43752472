package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "123456:TEST-token_abc"

type apiResp struct {
	Status      int             `json:"-"`
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func start(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := New(testToken, opts...)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, target, contentType string, body io.Reader) apiResp {
	t.Helper()
	resp, err := http.Post(target, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r apiResp
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("POST %s: answer is not JSON: %v", target, err)
	}
	r.Status = resp.StatusCode
	return r
}

// call posts params as JSON, the way telebot does.
func call(t *testing.T, srv *Server, method string, params any) apiResp {
	t.Helper()
	data, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	return post(t, srv.URL()+"/bot"+testToken+"/"+method, "application/json", bytes.NewReader(data))
}

func mustOK(t *testing.T, r apiResp) apiResp {
	t.Helper()
	if !r.OK || r.Status != 200 {
		t.Fatalf("want ok, got %d %q", r.ErrorCode, r.Description)
	}
	return r
}

func mustFail(t *testing.T, r apiResp, code int, desc string) {
	t.Helper()
	if r.OK || r.Status != code || r.ErrorCode != code || r.Description != desc {
		t.Fatalf("want %d %q, got ok=%v status=%d %d %q", code, desc, r.OK, r.Status, r.ErrorCode, r.Description)
	}
}

func message(t *testing.T, r apiResp) Message {
	t.Helper()
	var m Message
	if err := json.Unmarshal(r.Result, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func updates(t *testing.T, r apiResp) []Update {
	t.Helper()
	mustOK(t, r)
	var ups []Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatal(err)
	}
	return ups
}

func TestRouting(t *testing.T) {
	srv := start(t)
	mustFail(t, post(t, srv.URL()+"/botWRONG:token/getMe", "application/json", nil), 401, "Unauthorized")
	mustFail(t, call(t, srv, "noSuchMethod", nil), 404, "Not Found")
	mustFail(t, post(t, srv.URL()+"/file/bot"+testToken+"/photos/x.jpg", "", nil), 404, "Not Found")
	mustFail(t, post(t, srv.URL()+"/", "", nil), 404, "Not Found")

	r := mustOK(t, call(t, srv, "getMe", nil)) // telebot posts "null"
	var me map[string]any
	_ = json.Unmarshal(r.Result, &me)
	want := map[string]any{"id": 123456.0, "is_bot": true, "username": DefaultUsername, "can_join_groups": true,
		"can_read_all_group_messages": false, "supports_inline_queries": true}
	for k, v := range want {
		if me[k] != v {
			t.Errorf("getMe %s = %v, want %v", k, me[k], v)
		}
	}
	mustOK(t, call(t, srv, "GETME", nil)) // method names are case-insensitive

	if reqs := srv.Requests(); len(reqs) != 6 || reqs[0].Status != 401 || reqs[4].Method != "getMe" || !reqs[4].OK() {
		t.Fatalf("requests not recorded in order: %+v", reqs)
	}
}

func TestFormAndMultipartBodies(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))
	markup := `{"inline_keyboard":[[{"text":"更多结果","callback_data":"more:1"}]]}`

	form := url.Values{"chat_id": {"7"}, "text": {"<b>x</b>"}, "parse_mode": {"HTML"}, "reply_markup": {markup}}
	r := mustOK(t, post(t, srv.URL()+"/bot"+testToken+"/sendMessage", "application/x-www-form-urlencoded", strings.NewReader(form.Encode())))
	m := message(t, r)
	if m.Text != "x" || len(m.Entities) != 1 || !strings.Contains(string(m.ReplyMarkup), "more:1") {
		t.Fatalf("form send: %+v markup %s", m, m.ReplyMarkup)
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("chat_id", "7")
	_ = w.WriteField("text", "plain")
	_ = w.WriteField("reply_markup", markup)
	_ = w.Close()
	mustOK(t, post(t, srv.URL()+"/bot"+testToken+"/sendMessage", w.FormDataContentType(), &buf))

	// Query-string parameters work too, as with Telegram.
	mustOK(t, post(t, srv.URL()+"/bot"+testToken+"/sendMessage?chat_id=7&text=q", "", nil))
	if got := len(srv.Sent(7)); got != 3 {
		t.Fatalf("sent %d messages, want 3", got)
	}
	req, _ := srv.WaitFor(context.Background(), func(r Request) bool { return r.Method == "sendMessage" })
	if req.Int("chat_id") != 7 || req.String("parse_mode") != "HTML" || req.Object("reply_markup") == nil {
		t.Fatalf("recorded params: %+v", req.Params)
	}
}

func TestSendMessageValidation(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))

	mustFail(t, call(t, srv, "sendMessage", map[string]any{"text": "x"}), 400, "Bad Request: chat_id is empty")
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 999, "text": "x"}), 400, "Bad Request: chat not found")
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7}), 400, "Bad Request: message text is empty")
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": " \n "}), 400, "Bad Request: message text is empty")
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "<b></b>", "parse_mode": "HTML"}), 400, "Bad Request: message text is empty")
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x", "parse_mode": "BBCode"}), 400, "Bad Request: unsupported parse_mode")
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": "7", "text": "a < b", "parse_mode": "HTML"}), 400,
		`Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`)
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": "7", "text": "<b>x", "parse_mode": "HTML"}), 400,
		`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`)
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": "7", "text": "<p>x</p>", "parse_mode": "HTML"}), 400,
		`Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 0`)
	// Plain text may contain anything.
	m := message(t, mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": "7", "text": "a < b & c"})))
	if m.Text != "a < b & c" || m.From == nil || !m.From.IsBot || m.Chat.ID != 7 || m.Date == 0 {
		t.Fatalf("plain message: %+v", m)
	}
}

func TestMessageLengthInUTF16(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))
	send := func(text string, html bool) apiResp {
		p := map[string]any{"chat_id": 7, "text": text}
		if html {
			p["parse_mode"] = "HTML"
		}
		return call(t, srv, "sendMessage", p)
	}
	const tooLong = "Bad Request: message is too long"

	mustOK(t, send(strings.Repeat("中", 4096), false)) // a Chinese character is one unit
	mustFail(t, send(strings.Repeat("中", 4097), false), 400, tooLong)
	mustOK(t, send(strings.Repeat("😀", 2048), false)) // an emoji is two
	mustFail(t, send(strings.Repeat("😀", 2048)+"a", false), 400, tooLong)
	mustFail(t, send(strings.Repeat("a", 4095)+"😀", false), 400, tooLong)
	// Tags and entities do not count; what they stand for does.
	mustOK(t, send("<b>"+strings.Repeat("中", 4094)+"</b>&lt;&amp;", true))
	mustFail(t, send("<b>"+strings.Repeat("中", 4095)+"</b>&lt;&amp;", true), 400, tooLong)
	// Surrounding white space is trimmed before counting.
	mustOK(t, send("  "+strings.Repeat("a", 4096)+"\n\n", false))
}

func TestInlineKeyboard(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))
	send := func(buttons ...map[string]any) apiResp {
		row := []any{}
		for _, b := range buttons {
			row = append(row, b)
		}
		markup, _ := json.Marshal(map[string]any{"inline_keyboard": []any{row}})
		return call(t, srv, "sendMessage", map[string]string{"chat_id": "7", "text": "x", "reply_markup": string(markup)})
	}
	mustOK(t, send(map[string]any{"text": "ok", "callback_data": strings.Repeat("d", 64)}))
	mustFail(t, send(map[string]any{"text": "long", "callback_data": strings.Repeat("d", 65)}), 400, "Bad Request: BUTTON_DATA_INVALID")
	// 64 bytes, not characters: 22 Chinese characters are 66 bytes.
	mustFail(t, send(map[string]any{"text": "cjk", "callback_data": strings.Repeat("页", 22)}), 400, "Bad Request: BUTTON_DATA_INVALID")
	mustFail(t, send(map[string]any{"text": "no action"}), 400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	mustFail(t, send(map[string]any{"callback_data": "x"}), 400, `Bad Request: can't parse inline keyboard button: Field "text" must be of type String`)
	if r := send(map[string]any{"text": "two", "callback_data": "x", "url": "https://example.com"}); r.OK {
		t.Fatal("a button with two actions was accepted")
	}
	mustFail(t, send(map[string]any{"text": "bad url", "url": "javascript:alert(1)"}), 400, "Bad Request: BUTTON_URL_INVALID")
	// What telebot sends: an empty switch_inline_query_current_chat beside the real action.
	m := message(t, mustOK(t, send(map[string]any{"text": "👍", "callback_data": "\fvote|up", "switch_inline_query_current_chat": ""})))
	if string(m.ReplyMarkup) != `{"inline_keyboard":[[{"callback_data":"\fvote|up","text":"👍"}]]}` {
		t.Fatalf("echoed markup = %s", m.ReplyMarkup)
	}
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x", "reply_markup": "{not json"}), 400,
		"Bad Request: can't parse reply keyboard markup JSON object")
}

func TestRepliesAndTopics(t *testing.T) {
	srv := start(t)
	const group = int64(-1001234567890)
	u := srv.PushUpdate(srv.GroupText(group, 5, "/ask@reportbot_test_bot 财政收入", InThread(77)))
	if u == 0 {
		t.Fatal("update not queued")
	}
	asked, _ := srv.Message(group, 1)
	if asked.MessageThreadID != 77 || !asked.Chat.IsForum || asked.Chat.Type != "supergroup" {
		t.Fatalf("topic message: %+v", asked)
	}

	// A reply without message_thread_id stays in the replied message's topic.
	m := message(t, mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": group, "text": "answer",
		"reply_parameters": map[string]any{"message_id": 1}})))
	if m.ReplyToMessage == nil || m.ReplyToMessage.MessageID != 1 || m.MessageThreadID != 77 || !m.IsTopicMessage {
		t.Fatalf("reply: %+v", m)
	}
	// telebot's flat form, in the topic.
	mustOK(t, call(t, srv, "sendMessage", map[string]string{"chat_id": fmt.Sprint(group), "text": "a",
		"reply_to_message_id": "1", "message_thread_id": "77"}))
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": group, "text": "a", "reply_to_message_id": 999}), 400,
		"Bad Request: message to be replied not found")
	mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": group, "text": "a", "reply_to_message_id": 999,
		"allow_sending_without_reply": true}))
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": group, "text": "a", "message_thread_id": 78}), 400,
		"Bad Request: message thread not found")

	// A user's reply to the bot carries the bot's message.
	up := srv.ReplyTo(group, 6, m.MessageID, "再问一句")
	if r := up.Message.ReplyToMessage; r == nil || r.From == nil || r.From.ID != srv.Bot().ID || up.Message.MessageThreadID != 77 {
		t.Fatalf("reply to bot: %+v", up.Message)
	}
}

func TestEditMessageText(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))
	kb := `{"inline_keyboard":[[{"text":"更多结果","callback_data":"m:1"}]]}`
	m := message(t, mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "<b>a</b>", "parse_mode": "HTML", "reply_markup": kb})))

	edit := func(p map[string]any) apiResp { return call(t, srv, "editMessageText", p) }
	mustFail(t, edit(map[string]any{"chat_id": 7, "message_id": 999, "text": "x"}), 400, "Bad Request: message to edit not found")
	mustFail(t, edit(map[string]any{"chat_id": 7, "message_id": 1, "text": "x"}), 400, "Bad Request: message can't be edited")
	mustFail(t, edit(map[string]any{"chat_id": 7, "message_id": m.MessageID, "text": "<b>a</b>", "parse_mode": "HTML", "reply_markup": kb}), 400,
		"Bad Request: "+notModified)
	mustFail(t, edit(map[string]any{"chat_id": 7, "message_id": m.MessageID, "text": "<i>a", "parse_mode": "HTML"}), 400,
		`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "i"`)
	// The same text without the keyboard is a change: the keyboard goes.
	e := message(t, mustOK(t, edit(map[string]any{"chat_id": 7, "message_id": m.MessageID, "text": "<b>a</b>", "parse_mode": "HTML"})))
	if e.EditDate == 0 || e.ReplyMarkup != nil || e.MessageID != m.MessageID {
		t.Fatalf("edited: %+v", e)
	}
	if sent := srv.Sent(7); len(sent) != 2 || sent[1].EditDate == 0 {
		t.Fatalf("Sent = %+v", sent)
	}
}

func TestCallbackAndInlineAnswers(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))
	m := message(t, mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"})))
	cb := srv.Callback(7, 7, m.MessageID, "more:1")
	srv.PushUpdate(cb)
	if cb.CallbackQuery.Message == nil || cb.CallbackQuery.Message.Text != "x" {
		t.Fatalf("callback message: %+v", cb.CallbackQuery.Message)
	}
	id := cb.CallbackQuery.ID
	mustFail(t, call(t, srv, "answerCallbackQuery", map[string]any{"callback_query_id": id, "text": strings.Repeat("a", 201)}), 400,
		"Bad Request: MESSAGE_TOO_LONG")
	mustOK(t, call(t, srv, "answerCallbackQuery", map[string]any{"callback_query_id": id, "text": strings.Repeat("谢", 200)}))
	mustFail(t, call(t, srv, "answerCallbackQuery", map[string]any{"callback_query_id": id}), 400, "Bad Request: "+queryTooOld)
	mustFail(t, call(t, srv, "answerCallbackQuery", map[string]any{"callback_query_id": "42"}), 400, "Bad Request: "+queryTooOld)

	q := srv.Inline(7, "财政", "")
	srv.PushUpdate(q)
	article := func(id string) map[string]any {
		return map[string]any{"type": "article", "id": id, "title": "《报告》· 一", "description": "d",
			"input_message_content": map[string]any{"message_text": "<b>x</b>", "parse_mode": "HTML"}}
	}
	qid := q.InlineQuery.ID
	answer := func(results []any, extra map[string]any) apiResp {
		p := map[string]any{"inline_query_id": qid, "results": results, "cache_time": 60}
		for k, v := range extra {
			p[k] = v
		}
		return call(t, srv, "answerInlineQuery", p)
	}
	many := []any{}
	for i := range 51 {
		many = append(many, article(fmt.Sprint(i)))
	}
	mustFail(t, answer(many, nil), 400, "Bad Request: RESULTS_TOO_MUCH")
	mustFail(t, answer([]any{article("a"), article("a")}, nil), 400, "Bad Request: RESULT_ID_DUPLICATE")
	mustFail(t, answer([]any{article(strings.Repeat("i", 65))}, nil), 400, "Bad Request: RESULT_ID_INVALID")
	bad := article("b")
	bad["input_message_content"] = map[string]any{"message_text": "<b>x", "parse_mode": "HTML"}
	mustFail(t, answer([]any{bad}, nil), 400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`)
	mustFail(t, answer([]any{article("c")}, map[string]any{"next_offset": strings.Repeat("o", 65)}), 400, "Bad Request: NEXT_OFFSET_INVALID")
	mustFail(t, answer([]any{map[string]any{"type": "nonsense", "id": "x"}}, nil), 400,
		`Bad Request: can't parse inline query result: Unsupported inline query result type "nonsense"`)
	mustOK(t, answer(many[:50], map[string]any{"next_offset": "10"}))
	mustFail(t, answer([]any{article("a")}, nil), 400, "Bad Request: "+queryTooOld)
}

func TestCommandsMembersAndChats(t *testing.T) {
	srv := start(t)
	const group = int64(-100200)
	srv.PushUpdate(srv.GroupText(group, 5, "hello"))
	cmds := []map[string]string{{"command": "ask", "description": "提问"}, {"command": "topics", "description": "章节"}}

	mustFail(t, call(t, srv, "setMyCommands", map[string]any{}), 400, `Bad Request: parameter "commands" is required`)
	mustFail(t, call(t, srv, "setMyCommands", map[string]any{"commands": []map[string]string{{"command": "Ask", "description": "x"}}}), 400,
		"Bad Request: BOT_COMMAND_INVALID")
	mustFail(t, call(t, srv, "setMyCommands", map[string]any{"commands": []map[string]string{{"command": "ask", "description": ""}}}), 400,
		"Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
	mustFail(t, call(t, srv, "setMyCommands", map[string]any{"commands": cmds, "language_code": "english"}), 400,
		"Bad Request: invalid language code specified")
	mustOK(t, call(t, srv, "setMyCommands", map[string]any{"commands": cmds, "scope": map[string]any{"type": "all_private_chats"}}))
	mustOK(t, call(t, srv, "setMyCommands", map[string]any{"commands": cmds[:1], "scope": map[string]any{"type": "all_group_chats"}, "language_code": "en"}))
	if got, ok := srv.Commands(CommandScope{Type: "all_private_chats"}, ""); !ok || len(got) != 2 || got[0].Description != "提问" {
		t.Fatalf("commands = %+v", got)
	}
	if got, _ := srv.Commands(CommandScope{Type: "all_group_chats"}, "en"); len(got) != 1 {
		t.Fatalf("group en commands = %+v", got)
	}
	r := mustOK(t, call(t, srv, "getMyCommands", map[string]any{"scope": `{"type":"all_private_chats"}`}))
	if !strings.Contains(string(r.Result), `"topics"`) {
		t.Fatalf("getMyCommands = %s", r.Result)
	}
	mustOK(t, call(t, srv, "deleteMyCommands", map[string]any{"scope": map[string]any{"type": "all_private_chats"}}))
	if _, ok := srv.Commands(CommandScope{Type: "all_private_chats"}, ""); ok {
		t.Fatal("commands not deleted")
	}

	srv.SetMember(group, 5, "administrator")
	r = mustOK(t, call(t, srv, "getChatMember", map[string]string{"chat_id": fmt.Sprint(group), "user_id": "5"}))
	var member struct {
		Status string `json:"status"`
		User   User   `json:"user"`
	}
	_ = json.Unmarshal(r.Result, &member)
	if member.Status != "administrator" || member.User.ID != 5 {
		t.Fatalf("member = %s", r.Result)
	}
	srv.PushUpdate(srv.GroupText(group, 6, "hi"))
	r = mustOK(t, call(t, srv, "getChatMember", map[string]any{"chat_id": group, "user_id": 6}))
	if !strings.Contains(string(r.Result), `"status":"member"`) {
		t.Fatalf("default member = %s", r.Result)
	}
	mustFail(t, call(t, srv, "getChatMember", map[string]any{"chat_id": -5, "user_id": 6}), 400, "Bad Request: chat not found")

	mustOK(t, call(t, srv, "sendChatAction", map[string]any{"chat_id": group, "action": "typing"}))
	mustFail(t, call(t, srv, "sendChatAction", map[string]any{"chat_id": group, "action": "dancing"}), 400, "Bad Request: wrong parameter action in request")
	r = mustOK(t, call(t, srv, "getChat", map[string]any{"chat_id": group}))
	if !strings.Contains(string(r.Result), `"type":"group"`) {
		t.Fatalf("getChat = %s", r.Result)
	}
}

func TestGetUpdatesOffsetLimitTimeout(t *testing.T) {
	srv := start(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, srv.PushUpdate(srv.PrivateText(7, fmt.Sprint("m", i))))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] != ids[i-1]+1 {
			t.Fatalf("update ids not increasing: %v", ids)
		}
	}
	got := updates(t, call(t, srv, "getUpdates", map[string]string{"offset": "0", "limit": "2", "timeout": "0"}))
	if len(got) != 2 || got[0].UpdateID != ids[0] || got[0].Message.Text != "m0" {
		t.Fatalf("first page: %+v", got)
	}
	// Without advancing the offset, the same updates come again.
	if again := updates(t, call(t, srv, "getUpdates", map[string]any{"limit": 2})); again[0].UpdateID != ids[0] {
		t.Fatalf("unconfirmed updates lost: %+v", again)
	}
	got = updates(t, call(t, srv, "getUpdates", map[string]any{"offset": ids[2], "limit": 100}))
	if len(got) != 3 || got[0].UpdateID != ids[2] {
		t.Fatalf("after offset: %+v", got)
	}
	// Confirming everything leaves nothing; a zero timeout answers at once.
	if got = updates(t, call(t, srv, "getUpdates", map[string]any{"offset": ids[4] + 1})); len(got) != 0 {
		t.Fatalf("after confirming all: %+v", got)
	}
	// A long poll blocks until an update is pushed, then returns it.
	done := make(chan []Update)
	go func() {
		done <- updates(t, call(t, srv, "getUpdates", map[string]any{"offset": ids[4] + 1, "timeout": 30}))
	}()
	waitUntil(t, srv, func() bool { return srv.polling > 0 })
	pushed := srv.PushUpdate(srv.PrivateText(7, "late"))
	if got := <-done; len(got) != 1 || got[0].UpdateID != pushed || got[0].Message.Text != "late" {
		t.Fatalf("long poll returned %+v", got)
	}
	// A long poll that sees nothing returns an empty list when it times out.
	if got := updates(t, call(t, srv, "getUpdates", map[string]any{"offset": pushed + 1, "timeout": 1})); len(got) != 0 {
		t.Fatalf("timed-out poll returned %+v", got)
	}
	// A negative offset keeps only the last updates.
	for range 3 {
		srv.PushUpdate(srv.PrivateText(7, "n"))
	}
	if got := updates(t, call(t, srv, "getUpdates", map[string]any{"offset": -1})); len(got) != 1 {
		t.Fatalf("offset -1 returned %d updates", len(got))
	}
}

// waitUntil waits for cond, re-checking whenever the server's state changes.
func waitUntil(t *testing.T, srv *Server, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		srv.mu.Lock()
		ok := cond()
		ch := srv.notify
		srv.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatal("condition not reached")
		}
	}
}

func TestGetUpdatesAllowedAndConflicts(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "text"))
	srv.PushUpdate(srv.Inline(7, "q", ""))
	got := updates(t, call(t, srv, "getUpdates", map[string]any{"allowed_updates": `["inline_query"]`}))
	if len(got) != 1 || got[0].InlineQuery == nil {
		t.Fatalf("allowed_updates not honoured: %+v", got)
	}
	// The setting sticks until changed; "null" (telebot's default) keeps it.
	srv.PushUpdate(srv.PrivateText(7, "text2"))
	if got = updates(t, call(t, srv, "getUpdates", map[string]any{"allowed_updates": "null"})); len(got) != 1 || got[0].InlineQuery == nil {
		t.Fatalf("allowed_updates forgotten: %+v", got)
	}

	// A second getUpdates terminates a waiting one, as Telegram does.
	first := make(chan apiResp)
	go func() {
		first <- call(t, srv, "getUpdates", map[string]any{"offset": got[0].UpdateID + 1, "timeout": 30})
	}()
	waitUntil(t, srv, func() bool { return srv.polling > 0 })
	mustOK(t, call(t, srv, "getUpdates", map[string]any{"offset": got[0].UpdateID + 1}))
	mustFail(t, <-first, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
}

func TestWebhook(t *testing.T) {
	srv := start(t)
	type hit struct {
		secret string
		update Update
	}
	var (
		mu       sync.Mutex
		hits     []hit
		failures atomic.Int32
	)
	failures.Store(2)
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u Update
		_ = json.NewDecoder(r.Body).Decode(&u)
		mu.Lock()
		hits = append(hits, hit{r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), u})
		mu.Unlock()
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if failures.Add(-1) >= 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
	}))
	defer bot.Close()

	mustFail(t, call(t, srv, "setWebhook", map[string]any{"url": "ftp://x"}), 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	mustFail(t, call(t, srv, "setWebhook", map[string]any{"url": bot.URL, "secret_token": "no spaces"}), 400,
		"Bad Request: secret token contains unallowed characters")
	r := mustOK(t, call(t, srv, "setWebhook", map[string]string{"url": bot.URL, "secret_token": "s3cret", "allowed_updates": `["message","callback_query"]`}))
	if r.Description != "Webhook was set" {
		t.Fatalf("setWebhook description %q", r.Description)
	}
	mustFail(t, call(t, srv, "getUpdates", nil), 409, webhookConflict)

	id := srv.PushUpdate(srv.PrivateText(7, "via webhook"))
	waitUntil(t, srv, func() bool { return len(srv.deliveries) >= 3 })
	ds := srv.Deliveries()
	if ds[0].Status != 500 || ds[1].Status != 500 || ds[2].Status != 200 || ds[2].Attempt != 3 || ds[2].UpdateID != id || ds[2].Secret != "s3cret" {
		t.Fatalf("deliveries = %+v", ds)
	}
	mu.Lock()
	if hits[2].update.Message == nil || hits[2].update.Message.Text != "via webhook" || hits[2].secret != "s3cret" {
		t.Fatalf("bot got %+v", hits[2])
	}
	mu.Unlock()
	info := mustOK(t, call(t, srv, "getWebhookInfo", nil))
	if !strings.Contains(string(info.Result), bot.URL) || !strings.Contains(string(info.Result), `"pending_update_count":0`) ||
		!strings.Contains(string(info.Result), "last_error_message") {
		t.Fatalf("getWebhookInfo = %s", info.Result)
	}

	// A forged request without the secret is refused by the bot.
	if status, err := srv.PostWebhook(srv.PrivateText(7, "forged"), ""); err != nil || status != http.StatusUnauthorized {
		t.Fatalf("forged post: %d %v", status, err)
	}
	r = mustOK(t, call(t, srv, "deleteWebhook", map[string]bool{"drop_pending_updates": false}))
	if r.Description != "Webhook was deleted" {
		t.Fatalf("deleteWebhook description %q", r.Description)
	}
	mustOK(t, call(t, srv, "getUpdates", nil))
}

func TestWebhookGivesUp(t *testing.T) {
	srv := start(t, WebhookRetry(3, time.Millisecond))
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer bot.Close()
	mustOK(t, call(t, srv, "setWebhook", map[string]string{"url": bot.URL}))
	srv.PushUpdate(srv.PrivateText(7, "doomed"))
	ok := srv.PushUpdate(srv.PrivateText(7, "next"))
	waitUntil(t, srv, func() bool { return len(srv.deliveries) >= 6 })
	ds := srv.Deliveries()
	if ds[2].Attempt != 3 || ds[3].UpdateID != ok || ds[3].Attempt != 1 {
		t.Fatalf("deliveries = %+v", ds)
	}
	info := mustOK(t, call(t, srv, "getWebhookInfo", nil))
	if !strings.Contains(string(info.Result), "Wrong response from the webhook: 502 Bad Gateway") {
		t.Fatalf("getWebhookInfo = %s", info.Result)
	}
}

func TestFailNextAndBlock(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "hi"))
	srv.FailNext("sendMessage", 2, 429, 3)
	for range 2 {
		r := call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"})
		mustFail(t, r, 429, "Too Many Requests: retry after 3")
		if r.Parameters == nil || r.Parameters.RetryAfter != 3 {
			t.Fatalf("parameters = %+v", r.Parameters)
		}
	}
	if len(srv.Sent(7)) != 0 {
		t.Fatal("a failed call was performed")
	}
	mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"}))

	srv.FailNext("getUpdates", 1, 502, 0)
	mustFail(t, call(t, srv, "getUpdates", nil), 502, "Bad Gateway")
	srv.FailNext("sendMessage", 1, 500, 0)
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"}), 500, "Internal Server Error")
	srv.FailNext("sendMessage", 1, 403, 0)
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"}), 403, "Forbidden: bot was blocked by the user")

	srv.Block(7)
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"}), 403, "Forbidden: bot was blocked by the user")
	srv.PushUpdate(srv.GroupText(-300, 7, "hi"))
	srv.Block(-300)
	mustFail(t, call(t, srv, "sendMessage", map[string]any{"chat_id": -300, "text": "x"}), 403, "Forbidden: bot was kicked from the group chat")
	srv.Unblock(7)
	mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "x"}))

	failed, err := srv.WaitFor(context.Background(), func(r Request) bool { return r.ErrorCode == 429 })
	if err != nil || failed.Method != "sendMessage" || failed.Status != 429 {
		t.Fatalf("WaitFor = %+v, %v", failed, err)
	}
}

func TestPrivacyMode(t *testing.T) {
	srv := start(t, PrivacyMode(true))
	const group = int64(-500)
	if id := srv.PushUpdate(srv.GroupText(group, 5, "chatter")); id != 0 {
		t.Fatal("chatter delivered with privacy mode on")
	}
	for _, text := range []string{"/ask 问题", "/ask@reportbot_test_bot 问题", "@reportbot_test_bot 问题"} {
		if id := srv.PushUpdate(srv.GroupText(group, 5, text)); id == 0 {
			t.Fatalf("%q withheld", text)
		}
	}
	if id := srv.PushUpdate(srv.GroupText(group, 5, "/ask@OtherBot x")); id != 0 {
		t.Fatal("another bot's command delivered")
	}
	if id := srv.PushUpdate(srv.PrivateText(5, "chatter")); id == 0 {
		t.Fatal("private message withheld")
	}
}

// TestExactlyOnceUnderLoad pushes 1,000 updates from several goroutines
// while a client long-polls with offsets; each must arrive exactly once.
func TestExactlyOnceUnderLoad(t *testing.T) {
	srv := start(t)
	const pushers, each = 10, 100
	var wg sync.WaitGroup
	for p := range pushers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				srv.PushUpdate(srv.PrivateText(int64(1000+p), fmt.Sprintf("%d/%d", p, i)))
			}
		}()
	}
	seen := map[int64]int{}
	texts := map[string]bool{}
	var offset int64
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for len(texts) < pushers*each && ctx.Err() == nil {
		got := updates(t, call(t, srv, "getUpdates", map[string]any{"offset": offset, "limit": 37, "timeout": 5}))
		for _, u := range got {
			seen[u.UpdateID]++
			if seen[u.UpdateID] > 1 {
				t.Fatalf("update %d delivered twice", u.UpdateID)
			}
			if u.UpdateID < offset {
				t.Fatalf("update %d below offset %d", u.UpdateID, offset)
			}
			texts[u.Message.Text] = true
			offset = u.UpdateID + 1
		}
	}
	wg.Wait()
	if len(texts) != pushers*each {
		t.Fatalf("received %d distinct updates, want %d", len(texts), pushers*each)
	}
	if got := updates(t, call(t, srv, "getUpdates", map[string]any{"offset": offset})); len(got) != 0 {
		t.Fatalf("%d updates left over", len(got))
	}
}
