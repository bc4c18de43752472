package telegramtest

import (
	"strings"
	"testing"
)

func TestDescriptions(t *testing.T) {
	srv := start(t)
	for _, c := range []struct{ set, get, field string }{
		{"setMyDescription", "getMyDescription", "description"},
		{"setMyShortDescription", "getMyShortDescription", "short_description"},
	} {
		short := c.field == "short_description"
		limit := 512
		tooLong := "Bad Request: DESCRIPTION_TOO_LONG"
		if short {
			limit, tooLong = 120, "Bad Request: SHORT_DESCRIPTION_TOO_LONG"
		}
		mustFail(t, call(t, srv, c.set, map[string]any{c.field: strings.Repeat("报", limit+1)}), 400, tooLong)
		mustFail(t, call(t, srv, c.set, map[string]any{c.field: "x", "language_code": "zh-hans"}), 400, "Bad Request: invalid language code specified")
		mustOK(t, call(t, srv, c.set, map[string]any{c.field: strings.Repeat("报", limit)}))
		mustOK(t, call(t, srv, c.set, map[string]any{c.field: "Answers from the report", "language_code": "en"}))
		if d, ok := srv.Description("en", short); !ok || d != "Answers from the report" {
			t.Errorf("%s en = %q, %v", c.field, d, ok)
		}
		// A language with none of its own gets the default.
		r := mustOK(t, call(t, srv, c.get, map[string]any{"language_code": "fr"}))
		if !strings.Contains(string(r.Result), "报报") {
			t.Errorf("%s fr = %s, want the default", c.get, r.Result)
		}
		// An empty string removes the language's own.
		mustOK(t, call(t, srv, c.set, map[string]any{c.field: "", "language_code": "en"}))
		if _, ok := srv.Description("en", short); ok {
			t.Errorf("%s en still set after an empty one", c.field)
		}
	}
}

func TestSetMessageReaction(t *testing.T) {
	srv := start(t)
	u := srv.PrivateText(7, "好的")
	srv.PushUpdate(u)
	id := u.Message.MessageID
	react := func(msg int64, reaction any) apiResp {
		return call(t, srv, "setMessageReaction", map[string]any{"chat_id": 7, "message_id": msg, "reaction": reaction})
	}
	mustFail(t, react(id, []any{map[string]any{"type": "emoji", "emoji": "🤖"}}), 400, "Bad Request: REACTION_INVALID")
	mustFail(t, react(id, []any{map[string]any{"type": "emoji", "emoji": "👌"}, map[string]any{"type": "emoji", "emoji": "👍"}}), 400, "Bad Request: REACTIONS_TOO_MANY")
	mustFail(t, react(id, []any{map[string]any{"type": "paid"}}), 400, "Bad Request: REACTION_INVALID")
	mustFail(t, react(999, []any{map[string]any{"type": "emoji", "emoji": "👌"}}), 400, "Bad Request: MESSAGE_ID_INVALID")
	mustFail(t, react(id, "not json"), 400, "Bad Request: can't parse reaction types JSON object")
	mustOK(t, react(id, `[{"type":"emoji","emoji":"👌"}]`))
	if got := srv.Reactions(7, id); len(got) != 1 || got[0].Emoji != "👌" {
		t.Fatalf("Reactions = %+v", got)
	}
	mustOK(t, react(id, []any{}))
	if got := srv.Reactions(7, id); len(got) != 0 {
		t.Fatalf("Reactions after removing = %+v", got)
	}
}

func TestForceReplyAndResultsButton(t *testing.T) {
	srv := start(t)
	srv.PushUpdate(srv.PrivateText(7, "/ask"))
	send := func(markup any) apiResp {
		return call(t, srv, "sendMessage", map[string]any{"chat_id": 7, "text": "请回复", "reply_markup": markup})
	}
	mustFail(t, send(map[string]any{"force_reply": false}), 400, `Bad Request: can't parse reply keyboard markup JSON object: Field "force_reply" must be true`)
	mustFail(t, send(map[string]any{"force_reply": true, "input_field_placeholder": strings.Repeat("问", 65)}), 400, "Bad Request: PLACEHOLDER_INVALID")
	m := message(t, mustOK(t, send(map[string]any{"force_reply": true, "selective": true, "input_field_placeholder": "输入问题，如：GDP增长目标"})))
	if m.ReplyMarkup != nil {
		t.Errorf("a force reply is not echoed as the message's markup: %s", m.ReplyMarkup)
	}
	// Edits carry inline keyboards only.
	mustFail(t, call(t, srv, "editMessageText", map[string]any{"chat_id": 7, "message_id": m.MessageID, "text": "x", "reply_markup": map[string]any{"force_reply": true}}), 400,
		`Bad Request: can't parse inline keyboard markup JSON object: Field "inline_keyboard" must be of type Array`)

	q := srv.Inline(7, "火锅", "")
	srv.PushUpdate(q)
	answer := func(button any) apiResp {
		return call(t, srv, "answerInlineQuery", map[string]any{"inline_query_id": q.InlineQuery.ID, "results": []any{}, "button": button})
	}
	mustFail(t, answer(map[string]any{"text": "打开机器人"}), 400, "Bad Request: can't parse inline query results button: exactly one of web_app and start_parameter must be used")
	mustFail(t, answer(map[string]any{"text": "", "start_parameter": "x"}), 400, "Bad Request: BUTTON_TEXT_INVALID")
	mustFail(t, answer(map[string]any{"text": "打开", "start_parameter": "火锅"}), 400, "Bad Request: START_PARAM_INVALID")
	mustFail(t, answer(map[string]any{"text": "打开", "start_parameter": strings.Repeat("a", 65)}), 400, "Bad Request: START_PARAM_INVALID")
	mustOK(t, answer(map[string]any{"text": "打开机器人", "start_parameter": "5ZOB-_x"}))
}

func TestAddedToGroup(t *testing.T) {
	srv := start(t)
	u := srv.AddedToGroup(-100123, 42)
	srv.PushUpdate(u)
	if m := u.MyChatMember; m == nil || m.NewChatMember.Status != "member" || m.OldChatMember.Status != "left" || m.NewChatMember.User.ID != srv.Bot().ID {
		t.Fatalf("my_chat_member = %+v", u.MyChatMember)
	}
	// The group is known: the bot may greet it.
	mustOK(t, call(t, srv, "sendMessage", map[string]any{"chat_id": -100123, "text": "你好"}))
	ups := updates(t, call(t, srv, "getUpdates", map[string]any{"allowed_updates": []string{"message", "my_chat_member"}}))
	if len(ups) != 1 || ups[0].MyChatMember == nil {
		t.Fatalf("getUpdates = %+v", ups)
	}
}
