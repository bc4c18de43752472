package e2e

import (
	"strings"
	"testing"
	"time"

	"reportbot/telegramtest"
)

func TestGroup(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 30*time.Second)

	// Each case in its own group: a group gets ~20 messages a minute.
	const (
		chatter = -1001000000001
		askAt   = -1001000000002
		mention = -1001000000003
		askBare = -1001000000004
		forum   = -1001000000005
		plain   = -4000000001 // a basic group
	)

	// Addressed to the bot: answered as replies.
	asked := map[string]telegramtest.Update{
		"/ask@bot": srv.GroupText(askAt, 11, "/ask@"+botName+" "+gdpQuestion),
		"@bot":     srv.GroupText(mention, 12, "@"+botName+" "+gdpQuestion),
		"/ask":     srv.GroupText(askBare, 13, "/ask "+gdpQuestion),
		"group":    srv.GroupText(plain, 14, gdpQuestion+" @"+strings.ToUpper(botName)),
		"topic":    srv.GroupText(forum, 15, "/ask "+gdpQuestion, telegramtest.InThread(77)),
	}
	for _, u := range asked {
		srv.PushUpdate(u)
	}
	replies := map[string]telegramtest.Request{}
	for name, u := range asked {
		r := waitReply(t, ctx, srv, u.Message.Chat.ID, u.Message.MessageID)
		replies[name] = r
		if text := result(t, r).Text; !strings.Contains(text, gdpTarget) || !strings.Contains(text, gdpCitation) {
			t.Errorf("%s: answer lacks %s or the citation:\n%s", name, gdpTarget, clip(text, 300))
		}
		checkKeyboard(t, r)
	}
	top := result(t, replies["topic"])
	if replies["topic"].Int("message_thread_id") != 77 || top.MessageThreadID != 77 {
		t.Errorf("topic answer: message_thread_id param %d, message in thread %d; want 77",
			replies["topic"].Int("message_thread_id"), top.MessageThreadID)
	}

	// A reply to one of the bot's messages is a question too.
	botMsg := result(t, replies["/ask@bot"]).MessageID
	follow := srv.ReplyTo(askAt, 21, botMsg, "渝中有多少人才?")
	srv.PushUpdate(follow)
	r := waitReply(t, ctx, srv, askAt, follow.Message.MessageID)
	if text := result(t, r).Text; !strings.Contains(text, "人才") {
		t.Errorf("answer to a reply lacks 人才:\n%s", clip(text, 300))
	}

	// Not addressed to the bot: silence.
	t.Run("chatter ignored", func(t *testing.T) {
		talk := srv.GroupText(chatter, 31, gdpQuestion)
		srv.PushUpdate(talk)
		srv.PushUpdate(srv.GroupText(chatter, 32, "今天中午吃什么？"))
		srv.PushUpdate(srv.ReplyTo(chatter, 33, talk.Message.MessageID, "渝中有多少人才?"))
		srv.PushUpdate(srv.GroupText(chatter, 34, "/help@OtherBot"))
		srv.PushUpdate(srv.GroupText(chatter, 35, "/ask@OtherBot "+gdpQuestion))
		srv.PushUpdate(srv.GroupText(chatter, 36, "/frobnicate"))
		last := srv.PushUpdate(srv.Sticker(chatter, 37, "😀"))
		handled(t, ctx, srv, last)
		if got := sends(srv, chatter); len(got) != 0 {
			t.Errorf("group chatter was answered:%s", describe(got))
		}
	})
	// "@reportbot_test_botx" names another bot whose username merely
	// starts with ours.
	t.Run("look-alike mention ignored", func(t *testing.T) {
		const other = -1001000000006
		last := srv.PushUpdate(srv.GroupText(other, 41, "问问 @"+botName+"x "+gdpQuestion))
		handled(t, ctx, srv, last)
		if got := sends(srv, other); len(got) != 0 {
			t.Errorf("a mention of @%sx was taken for a mention of @%s:%s", botName, botName, describe(got))
		}
	})
	// An anonymous group admin writes as GroupAnonymousBot (is_bot) with
	// the group itself as sender_chat: a person, not another bot.
	t.Run("anonymous admin answered", func(t *testing.T) {
		const group = -1001000000007
		chat := map[string]any{"id": group, "type": "supergroup", "title": "Staff"}
		text := "/ask@" + botName + " " + gdpQuestion
		u := map[string]any{"message": map[string]any{
			"message_id":  901,
			"from":        map[string]any{"id": 1087968824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"},
			"sender_chat": chat,
			"chat":        chat,
			"date":        time.Now().Unix(),
			"text":        text,
			"entities":    []any{map[string]any{"type": "bot_command", "offset": 0, "length": len("/ask@" + botName)}},
		}}
		handled(t, ctx, srv, srv.PushUpdate(u))
		got := okSends(srv, group)
		if len(got) != 1 || replyTo(got[0]) != 901 {
			t.Errorf("a question from an anonymous admin was not answered:%s", describe(sends(srv, group)))
		}
	})
	for _, chat := range []int64{askAt, mention, askBare, forum, plain} {
		for _, r := range sends(srv, chat) {
			if !r.OK() || replyTo(r) == 0 {
				t.Errorf("chat %d: every message should be a delivered reply:%s", chat, describe([]telegramtest.Request{r}))
			}
		}
	}
	p.stop()
}
