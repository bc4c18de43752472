package e2e

// Telegram as its users live it (issue 12): what the bot sends, how it
// looks, and what it does not send, through the real binary.

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"reportbot/data"
	"reportbot/handlers"
	"reportbot/store/redistest"
	"reportbot/telegramtest"
)

// reactions returns the setMessageReaction calls on a message.
func reactions(srv *telegramtest.Server, chat, msgID int64) []telegramtest.Request {
	var out []telegramtest.Request
	for _, r := range calls(srv, "setMessageReaction") {
		if r.Int("chat_id") == chat && r.Int("message_id") == msgID {
			out = append(out, r)
		}
	}
	return out
}

// reactedOK says the bot set 👌, and only that, on the message.
func reactedOK(srv *telegramtest.Server, chat, msgID int64) bool {
	got := srv.Reactions(chat, msgID)
	return len(got) == 1 && got[0].Type == "emoji" && got[0].Emoji == "👌"
}

// Point 1: acknowledgements, thanks and greetings are not questions.
func TestSmallTalk(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 30*time.Second)

	t.Run("private", func(t *testing.T) {
		const user = 12001
		hi := srv.PrivateText(user, "你好")
		srv.PushUpdate(hi)
		r := waitReply(t, ctx, srv, user, hi.Message.MessageID)
		if text := result(t, r).Text; !strings.HasPrefix(text, "你好！我用《重庆市渝中区人民政府工作报告》的原文回答问题") {
			t.Errorf("你好 answered %q, want the /start greeting", text)
		}
		if kb := keyboard(t, r.Object("reply_markup")); len(kb) != len(handlers.Examples) {
			t.Errorf("greeting without the example buttons: %+v", kb)
		}
		thanks := srv.PrivateText(user, "谢谢！")
		srv.PushUpdate(thanks)
		if text := result(t, waitReply(t, ctx, srv, user, thanks.Message.MessageID)).Text; text != "不客气！还有问题随时问我。" {
			t.Errorf("谢谢！ answered %q, want a one-line reply", text)
		}
		ok := srv.PrivateText(user, "好的")
		handled(t, ctx, srv, srv.PushUpdate(ok))
		if !reactedOK(srv, user, ok.Message.MessageID) {
			t.Errorf("好的: reactions %+v, want 👌", srv.Reactions(user, ok.Message.MessageID))
		}
		if n := len(sends(srv, user)); n != 2 {
			t.Errorf("%d messages for 你好, 谢谢！ and 好的; want 2:%s", n, describe(sends(srv, user)))
		}
		en := srv.PrivateText(user+1, "Thank you!", telegramtest.Language("en"))
		srv.PushUpdate(en)
		if text := result(t, waitReply(t, ctx, srv, user+1, en.Message.MessageID)).Text; !strings.Contains(text, "welcome") {
			t.Errorf("English thanks answered %q", text)
		}
	})

	t.Run("group", func(t *testing.T) {
		const group = -1003000000001
		ask := srv.GroupText(group, 71, "/ask@"+botName+" "+gdpQuestion)
		srv.PushUpdate(ask)
		answer := result(t, waitReply(t, ctx, srv, group, ask.Message.MessageID))
		var acks []int64
		for _, text := range []string{"好的", "没问题", "收到，谢谢", "👍"} {
			u := srv.ReplyTo(group, 72, answer.MessageID, text)
			srv.PushUpdate(u)
			acks = append(acks, u.Message.MessageID)
		}
		hello := srv.GroupText(group, 73, "/ask 你好")
		srv.PushUpdate(hello)
		acks = append(acks, hello.Message.MessageID)
		chatter := srv.ReplyTo(group, 74, answer.MessageID, "今天天气不错")
		handled(t, ctx, srv, srv.PushUpdate(chatter))
		for i, id := range acks {
			if !reactedOK(srv, group, id) {
				t.Errorf("small talk %d: reactions %+v, want 👌", i, srv.Reactions(group, id))
			}
		}
		if got := reactions(srv, group, chatter.Message.MessageID); len(got) != 0 {
			t.Errorf("chatter got a reaction: %+v", got)
		}
		if got := okSends(srv, group); len(got) != 1 {
			t.Errorf("small talk in a group was answered in words:%s", describe(got))
		}
	})
	p.stop()
}

// Point 2: "not covered" says what was searched, and English users get it
// in English.
func TestNotCoveredSaysWhatWasSearched(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 20*time.Second)
	for _, c := range []struct {
		user      int64
		lang      string
		want, not []string
	}{
		{13001, "zh-hans", []string{"我在收录的《重庆市渝中区人民政府工作报告》节选（8段）里没有找到相关的段落。", "/topics"}, []string{"火星", "没有谈到"}},
		{13002, "en", []string{"I found nothing on this in the excerpt of 《重庆市渝中区人民政府工作报告》 I hold (8 paragraphs).", "/topics"}, []string{"火星", "没有"}},
	} {
		u := srv.PrivateText(c.user, "火星上有水吗？", telegramtest.Language(c.lang))
		srv.PushUpdate(u)
		r := waitReply(t, ctx, srv, c.user, u.Message.MessageID)
		text := result(t, r).Text
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: not-covered reply lacks %q:\n%s", c.lang, w, text)
			}
		}
		for _, w := range c.not {
			if strings.Contains(text, w) {
				t.Errorf("%s: not-covered reply says %q:\n%s", c.lang, w, text)
			}
		}
		if _, ok := findButton(keyboard(t, r.Object("reply_markup")), "t"); !ok {
			t.Errorf("%s: no button to the sections", c.lang)
		}
	}
	p.stop()
}

// boldIn returns the bold texts of a sent message, and its blockquote
// entities' kinds in order.
func boldIn(m telegramtest.Message) (bold, quotes []string) {
	units := utf16.Encode([]rune(m.Text))
	for _, e := range m.Entities {
		switch e.Type {
		case "bold":
			bold = append(bold, string(utf16.Decode(units[e.Offset:e.Offset+e.Length])))
		case "blockquote", "expandable_blockquote":
			quotes = append(quotes, e.Type)
		}
	}
	return bold, quotes
}

// Point 3: the span that answers in bold, never filler; the answer said
// once; citations on one short line, the report named once.
func TestAnswersReadWell(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 20*time.Second)
	for _, c := range []struct {
		q     string
		bold  []string
		cites []string
	}{
		{gdpQuestion, []string{gdpTarget}, []string{gdpCitation}},
		{"渝中有多少人才?", []string{"23万人才“支撑”"}, []string{"《重庆市渝中区人民政府工作报告》二 · 第1段"}},
		{"渝中发展面临哪些困难和挑战?", []string{"前行的征程依然面临一些困难和挑战"}, []string{"[1] 《重庆市渝中区人民政府工作报告》开篇 · 第3段", "[2] 开篇 · 第1段"}},
	} {
		u := srv.PrivateText(14001, c.q)
		srv.PushUpdate(u)
		m := result(t, waitReply(t, ctx, srv, 14001, u.Message.MessageID))
		bold, quotes := boldIn(m)
		if strings.Join(bold, "|") != strings.Join(c.bold, "|") {
			t.Errorf("%q: bold %q, want %q", c.q, bold, c.bold)
		}
		if len(quotes) == 0 || quotes[0] != "blockquote" {
			t.Errorf("%q: quotes %v, want the first shown in full", c.q, quotes)
		}
		for _, q := range quotes[1:] {
			if q != "expandable_blockquote" {
				t.Errorf("%q: a further passage is not collapsed: %v", c.q, quotes)
			}
		}
		var lines []string
		for _, line := range strings.Split(m.Text, "\n") {
			if strings.Contains(line, "段") && !strings.Contains(line, "。") {
				lines = append(lines, line)
			}
		}
		if strings.Join(lines, "|") != strings.Join(c.cites, "|") {
			t.Errorf("%q: citations %q, want %q", c.q, lines, c.cites)
		}
		if strings.Contains(m.Text, c.q) || strings.Count(m.Text, c.bold[0]) != 1 {
			t.Errorf("%q: the question or the answer said twice:\n%s", c.q, m.Text)
		}
	}
	p.stop()
}

// Point 4: a bare /ask asks for the question; every reply in a forum
// topic stays there; a group is welcomed once; an edited question edits
// its answer.
func TestGroupMechanics(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 30*time.Second)

	t.Run("bare /ask", func(t *testing.T) {
		const group = -1003000000002
		bare := srv.GroupText(group, 81, "/ask")
		srv.PushUpdate(bare)
		r := waitReply(t, ctx, srv, group, bare.Message.MessageID)
		mk, _ := r.Object("reply_markup").(map[string]any)
		if mk["force_reply"] != true || mk["selective"] != true || mk["input_field_placeholder"] != "输入问题，如：GDP增长目标" {
			t.Errorf("bare /ask: reply_markup %v, want a selective force_reply with the placeholder", mk)
		}
		if text := result(t, r).Text; !strings.Contains(text, "回复") {
			t.Errorf("bare /ask answered %q", text)
		}
		q := srv.ReplyTo(group, 81, result(t, r).MessageID, gdpQuestion)
		srv.PushUpdate(q)
		if text := result(t, waitReply(t, ctx, srv, group, q.Message.MessageID)).Text; !strings.Contains(text, gdpTarget) {
			t.Errorf("the question replied to the prompt was answered %q", text)
		}
	})

	t.Run("forum topic", func(t *testing.T) {
		const forum, topic = -1003000000003, 77
		inTopic := func(r telegramtest.Request) {
			t.Helper()
			if m := result(t, r); m.MessageThreadID != topic || r.Int("message_thread_id") != topic {
				t.Errorf("%s went to thread %d (param %d), want %d", r.Method, m.MessageThreadID, r.Int("message_thread_id"), topic)
			}
		}
		topics := srv.GroupText(forum, 82, "/topics@"+botName, telegramtest.InThread(topic))
		srv.PushUpdate(topics)
		list := waitReply(t, ctx, srv, forum, topics.Message.MessageID)
		inTopic(list)
		sec, _ := findButton(keyboard(t, list.Object("reply_markup")), "s:")
		press(t, ctx, srv, 82, forum, result(t, list).MessageID, sec.Data)
		if got := okSends(srv, forum); len(got) != 1 {
			t.Errorf("the section reader posted a message:%s", describe(got))
		}
		// Not covered, then its 查看报告目录: a new message, in the topic.
		nc := srv.GroupText(forum, 82, "/ask 火星上有水吗？", telegramtest.InThread(topic))
		srv.PushUpdate(nc)
		ncr := waitReply(t, ctx, srv, forum, nc.Message.MessageID)
		inTopic(ncr)
		press(t, ctx, srv, 82, forum, result(t, ncr).MessageID, "t")
		sent := okSends(srv, forum)
		inTopic(sent[len(sent)-1])
		// An example from /start in a topic stays there too.
		ex := srv.Callback(82, forum, result(t, ncr).MessageID, "q:0")
		handled(t, ctx, srv, srv.PushUpdate(ex))
		for _, r := range okSends(srv, forum) {
			inTopic(r)
		}
	})

	t.Run("welcome", func(t *testing.T) {
		const group = -1003000000004
		handled(t, ctx, srv, srv.PushUpdate(srv.AddedToGroup(group, 83)))
		got := okSends(srv, group)
		if len(got) != 1 {
			t.Fatalf("being added: want one welcome, got:%s", describe(got))
		}
		text := result(t, got[0]).Text
		if !strings.Contains(text, "@"+botName+" 问题") || !strings.Contains(text, "/ask") || len([]rune(text)) > 200 {
			t.Errorf("welcome %q: want a short note on how to ask", text)
		}
		// Made an administrator, then removed: no more welcomes.
		bot := srv.Bot()
		promoted := map[string]any{"my_chat_member": map[string]any{
			"chat": map[string]any{"id": group, "type": "supergroup", "title": "Staff"},
			"from": map[string]any{"id": 83, "is_bot": false, "first_name": "Admin"}, "date": time.Now().Unix(),
			"old_chat_member": map[string]any{"status": "member", "user": bot},
			"new_chat_member": map[string]any{"status": "administrator", "user": bot, "can_be_edited": false},
		}}
		srv.PushUpdate(promoted)
		handled(t, ctx, srv, srv.PushUpdate(srv.RemovedFromGroup(group, 83)))
		if n := len(okSends(srv, group)); n != 1 {
			t.Errorf("%d messages after a promotion and a removal, want the one welcome", n)
		}
	})

	t.Run("edited question", func(t *testing.T) {
		const group = -1003000000005
		q := srv.GroupText(group, 84, "/ask@"+botName+" 渝中有多少人才？")
		srv.PushUpdate(q)
		a := result(t, waitReply(t, ctx, srv, group, q.Message.MessageID))
		srv.PushUpdate(srv.EditedText(group, 84, q.Message.MessageID, "/ask@"+botName+" "+gdpQuestion))
		e, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return isEdit(r, group, a.MessageID) && r.OK() })
		if err != nil {
			t.Fatalf("the answer was not edited: %v", err)
		}
		if text := result(t, e).Text; !strings.Contains(text, gdpTarget) {
			t.Errorf("edited answer %q", text)
		}
		if n := len(sends(srv, group)); n != 1 {
			t.Errorf("%d messages for a question and its edit, want 1", n)
		}
	})
	p.stop()
}

// Point 5: the section reader pages in one message; its counter does
// nothing; 👎's reason is stored with the vote and counted.
func TestReaderAndComplaints(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	const prefix = "e2eux:"
	st := openRedis(t, rs, prefix)
	srv := newServer(t)
	p := startBot(t, srv, "REDIS_URL="+rs.URL(), "REDIS_PREFIX="+prefix)
	ctx := timeout(t, 30*time.Second)
	const user = 15001

	u := srv.PrivateText(user, "/topics")
	srv.PushUpdate(u)
	list := result(t, waitReply(t, ctx, srv, user, u.Message.MessageID))
	turn := func(data string) telegramtest.Request {
		t.Helper()
		before := len(edits(srv, user, list.MessageID))
		press(t, ctx, srv, user, user, list.MessageID, data)
		all := edits(srv, user, list.MessageID)
		if len(all) == before {
			return telegramtest.Request{}
		}
		return all[len(all)-1]
	}
	page := turn("s:0.1.0")
	if !page.OK() {
		t.Fatalf("section not opened in place: %d %s", page.ErrorCode, page.Description)
	}
	m := result(t, page)
	_, quotes := boldIn(m)
	if strings.Join(quotes, " ") != "blockquote blockquote" {
		t.Errorf("page 1 quotes %v, want two paragraphs in full", quotes)
	}
	kb := keyboard(t, page.Object("reply_markup"))
	counter, _ := findButton(kb, "n")
	if counter.Text != "1/3" {
		t.Errorf("keyboard %+v: want the counter 1/3", kb)
	}
	if r := turn("n"); r.Seq != 0 {
		t.Errorf("the counter changed the message: %s", r.Method)
	}
	next, _ := findButton(kb, "s:0.1.1")
	if m := result(t, turn(next.Data)); !strings.Contains(m.Text, "第3段") {
		t.Errorf("page 2:\n%s", m.Text)
	}
	if m := result(t, turn("c")); !strings.Contains(m.Text, "报告各部分") {
		t.Errorf("目录 did not go back to the sections:\n%s", m.Text)
	}
	if n := len(okSends(srv, user)); n != 1 {
		t.Errorf("reading posted %d messages, want the one /topics", n)
	}

	q := srv.PrivateText(user, "渝中有多少人才？")
	srv.PushUpdate(q)
	a := result(t, waitReply(t, ctx, srv, user, q.Message.MessageID))
	press(t, ctx, srv, user, user, a.MessageID, "f:0")
	press(t, ctx, srv, user, user, a.MessageID, "w:1")
	sh, _ := time.LoadLocation("Asia/Shanghai")
	day := time.Now().In(sh).Format(time.DateOnly)
	gripes, err := st.Complaints(context.Background(), user, day)
	if err != nil || gripes.Reasons["incomplete"] != 1 || len(gripes.Recent) != 1 || gripes.Recent[0].Question != "渝中有多少人才？" {
		t.Errorf("complaints %+v (%v): want the reason with the question", gripes, err)
	}
	if stats, _ := st.Stats(context.Background(), user, day); stats.Down != 1 {
		t.Errorf("stats %+v: want the 👎 counted once", stats)
	}
	p.stop()
}

// Points 7, 8 and 9: the menu per scope and language, the descriptions,
// /help, a private digest, /about.
func TestMenuAndProfile(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv)
	ctx := timeout(t, 30*time.Second)

	names := func(scope, lang string) []string {
		cmds, ok := srv.Commands(telegramtest.CommandScope{Type: scope}, lang)
		if !ok {
			t.Errorf("no commands for %s %q", scope, lang)
		}
		var out []string
		for _, c := range cmds {
			out = append(out, c.Command)
		}
		return out
	}
	for _, lang := range []string{"", "en"} {
		if got := strings.Join(names("all_private_chats", lang), " "); got != "ask topics figures new about digest subscribe unsubscribe settings help start" {
			t.Errorf("private menu %q: %s", lang, got)
		}
		if got := strings.Join(names("all_group_chats", lang), " "); got != "ask topics figures new about digest help start" {
			t.Errorf("group menu %q: %s", lang, got)
		}
		if got := strings.Join(names("all_chat_administrators", lang), " "); got != "ask topics figures new about digest subscribe unsubscribe settings help start" {
			t.Errorf("administrators' menu %q: %s", lang, got)
		}
	}
	if en, _ := srv.Commands(telegramtest.CommandScope{Type: "all_private_chats"}, "en"); en[0].Description != "Ask: /ask GDP growth target" {
		t.Errorf("English menu: %+v", en[0])
	}
	for _, lang := range []string{"", "en"} {
		long, ok1 := srv.Description(lang, false)
		short, ok2 := srv.Description(lang, true)
		if !ok1 || !ok2 || len([]rune(long)) > 512 || len([]rune(short)) > 120 {
			t.Errorf("descriptions %q: %q / %q", lang, long, short)
		}
		if chinese := regexp.MustCompile(`\p{Han}{4}`).MatchString(strings.ReplaceAll(long, "重庆市渝中区人民政府工作报告", "")); chinese != (lang == "") {
			t.Errorf("description %q is in the wrong language: %q", lang, long)
		}
	}
	// A restart leaves the profile alone: it is what Telegram has.
	sets := len(calls(srv, "setMyCommands")) + len(calls(srv, "setMyDescription")) + len(calls(srv, "setMyShortDescription"))
	if sets != 3*2+2+2 {
		t.Errorf("%d profile calls at the first start, want 10", sets)
	}
	p.stop()
	p = startBot(t, srv)
	if again := len(calls(srv, "setMyCommands")) + len(calls(srv, "setMyDescription")) + len(calls(srv, "setMyShortDescription")); again != sets {
		t.Errorf("a restart set the profile again (%d calls)", again-sets)
	}

	ask := func(chat int64, text string, opts ...telegramtest.MessageOption) telegramtest.Request {
		t.Helper()
		var u telegramtest.Update
		if chat < 0 {
			u = srv.GroupText(chat, 91, text, opts...)
		} else {
			u = srv.PrivateText(chat, text, opts...)
		}
		srv.PushUpdate(u)
		return waitReply(t, ctx, srv, chat, u.Message.MessageID)
	}
	help := ask(16001, "/help")
	text := result(t, help).Text
	for _, w := range []string{"@" + botName + " 问题", "/ask", "/topics", "/digest", "/subscribe", "/unsubscribe", "/settings"} {
		if !strings.Contains(text, w) {
			t.Errorf("/help lacks %q:\n%s", w, text)
		}
	}
	raw, _ := json.Marshal(help.Object("reply_markup"))
	if !strings.Contains(string(raw), `"switch_inline_query_current_chat"`) {
		t.Errorf("/help has no button to try inline mode: %s", raw)
	}
	if text := result(t, ask(16002, "/help", telegramtest.Language("en"))).Text; !strings.Contains(text, "How to use") || strings.Contains(text, "怎么用") {
		t.Errorf("English /help:\n%s", text)
	}
	const group = -1003000000006
	if text := result(t, ask(group, "/help@"+botName)).Text; strings.Contains(text, "/subscribe") {
		t.Errorf("a member's /help in a group offers /subscribe:\n%s", text)
	}
	srv.SetMember(group, 91, "administrator")
	if text := result(t, ask(group, "/help@"+botName)).Text; !strings.Contains(text, "/subscribe") {
		t.Errorf("an administrator's /help lacks /subscribe:\n%s", text)
	}

	dig := result(t, ask(16003, "/digest"))
	if !strings.HasPrefix(dig.Text, digestTitle+" · ") || strings.Contains(dig.Text, "群") || strings.Contains(dig.Text, "/ask") {
		t.Errorf("a private digest:\n%s", dig.Text)
	}
	if _, quotes := boldIn(dig); strings.Join(quotes, " ") != "blockquote" {
		t.Errorf("the paragraph of the day is not quoted in full: %v", quotes)
	}

	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if text := result(t, ask(16004, "/about")).Text; strings.Contains(text, c.Version) || strings.Contains(text, "语料版本") {
		t.Errorf("/about shows the corpus hash:\n%s", text)
	}
	p.stop()
}
