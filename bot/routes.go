package bot

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	tele "gopkg.in/telebot.v3"
	"gopkg.in/telebot.v3/middleware"

	"reportbot/handlers"
	"reportbot/store"
)

// Keys under which middlewares hand values to handlers.
const keyQuestion = "question"

// routes wires updates to handlers, each command of handlers.Commands to
// its handler in commandRoutes. Behaviour that applies to many
// handlers is middleware: recover from panics, ignore channels and other
// bots, keep only messages addressed to the bot in groups (and strip the
// address), and the per-user rate limit, in that order.
func (b *Bot) routes() {
	b.svc.Bot = b.me.Username // for /help and the links back to the bot
	tb := b.tb
	tb.Use(middleware.Recover(func(err error, c tele.Context) {
		b.log.Error("handler panicked", "err", err, "update", updateID(c))
	}), b.ignoreSenders)

	commands := b.commandRoutes()
	for _, cmd := range handlers.Commands {
		r, ok := commands[cmd.Name]
		if !ok {
			panic("bot: no handler for /" + cmd.Name + " of handlers.Commands")
		}
		if cmd.Scope.Has(handlers.ScopeAdmin) {
			r.mw = append(r.mw, b.adminsOnly)
		}
		tb.Handle("/"+cmd.Name, r.h, r.mw...)
	}
	tb.Handle(tele.OnText, b.onQuestion, b.addressed, b.limit)
	tb.Handle(tele.OnEdited, b.onQuestion, b.addressed, b.limit)
	for _, media := range []string{tele.OnMedia, tele.OnContact, tele.OnLocation, tele.OnVenue, tele.OnDice, tele.OnPoll} {
		tb.Handle(media, b.onNotText, b.addressed)
	}
	tb.Handle(tele.OnCallback, b.onCallback)
	tb.Handle(tele.OnQuery, b.onInline)
	tb.Handle(tele.OnMyChatMember, b.onMembership)
}

// route is a handler and the middlewares it runs behind.
type route struct {
	h  tele.HandlerFunc
	mw []tele.MiddlewareFunc
}

// commandRoutes are the handlers of the commands in handlers.Commands, by
// name.
func (b *Bot) commandRoutes() map[string]route {
	return map[string]route{
		"ask":         {b.onQuestion, []tele.MiddlewareFunc{b.addressed, b.limit}},
		"topics":      {h: b.onTopics},
		"figures":     {h: b.onFigures},
		"new":         {h: b.onNew},
		"about":       {h: b.onAbout},
		"subscribe":   {h: b.onSubscribe},
		"unsubscribe": {h: b.onUnsubscribe},
		"digest":      {h: b.onDigest},
		"settings":    {h: b.onSettings},
		"help":        {h: b.onHelp},
		"start":       {h: b.onStart},
	}
}

// ignoreSenders drops what comes from channels (posts, anonymous channel
// senders) and from other bots: nobody there is asking.
func (b *Bot) ignoreSenders(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		u := c.Update()
		if u.ChannelPost != nil || u.EditedChannelPost != nil {
			return nil
		}
		m := c.Message()
		// An anonymous group admin writes as the group itself, through
		// Telegram's GroupAnonymousBot: a person, not a bot.
		anonymousAdmin := m != nil && m.SenderChat != nil && m.Chat != nil && m.SenderChat.ID == m.Chat.ID
		if s := c.Sender(); s == nil || (s.IsBot && !anonymousAdmin) {
			return nil
		}
		if m != nil && m.SenderChat != nil && m.SenderChat.Type == tele.ChatChannel {
			return nil
		}
		return next(c)
	}
}

func isGroup(c *tele.Chat) bool {
	return c != nil && (c.Type == tele.ChatGroup || c.Type == tele.ChatSuperGroup)
}

// addressed passes on messages meant for the bot, with the question (the
// text less the command and the mention) under keyQuestion. In a private
// chat every message is; in a group only /ask (or /ask@bot), a mention of
// the bot, or a reply to one of its messages. An unknown command gets a
// short answer in private, and silence in a group unless it names the
// bot.
func (b *Bot) addressed(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		m := c.Message()
		if m == nil {
			return nil
		}
		q, ok := b.questionIn(m)
		if !ok {
			return nil
		}
		if t := b.read(m); t.isCmd && !t.caption && t.cmd != "/ask" && t.cmd != "/start" {
			if !isGroup(m.Chat) || t.toUs {
				return b.deliver(c, b.svc.UnknownCommand(b.chatOf(c), t.cmd), m)
			}
			return nil
		}
		c.Set(keyQuestion, q)
		return next(c)
	}
}

// questionIn returns the question a message asks the bot, and whether it
// is addressed to the bot at all.
func (b *Bot) questionIn(m *tele.Message) (string, bool) {
	t := b.read(m)
	switch {
	case t.isCmd:
		if !isGroup(m.Chat) || t.toUs || t.cmd == "/ask" {
			q := t.withoutMentions()
			if t.cmd == "/start" {
				q = handlers.DecodePayload(q)
			}
			return q, true
		}
		return "", false
	case !isGroup(m.Chat) || len(t.mentions) > 0:
		return t.withoutMentions(), true
	case m.ReplyTo != nil && m.ReplyTo.Sender != nil && m.ReplyTo.Sender.ID == b.me.ID:
		return t.text, true
	}
	return "", false
}

// reading is a message's text (or caption) as the bot reads it, from the
// bot_command and mention entities Telegram attaches to it: the command
// it starts with, if any, and where it names the bot. Entities count in
// UTF-16 code units, so the text is kept in them too.
type reading struct {
	text    string
	caption bool // text is the message's caption
	units   []uint16
	// isCmd: the text starts with a /command: cmd, in lower case and
	// without its @bot; toUs says the @bot is this bot.
	isCmd    bool
	cmd      string
	toUs     bool
	cmdLen   int                  // the command's length, @bot included
	mentions []tele.MessageEntity // the mentions of this bot
}

// read reads m's text, or its caption when it has no text.
func (b *Bot) read(m *tele.Message) reading {
	t := reading{text: m.Text}
	ents := m.Entities
	if t.text == "" {
		t.text, t.caption, ents = m.Caption, true, m.CaptionEntities
	}
	t.units = utf16.Encode([]rune(t.text))
	for _, e := range ents {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(t.units) {
			continue // not this text's entity
		}
		word := string(utf16.Decode(t.units[e.Offset : e.Offset+e.Length]))
		switch {
		case e.Type == tele.EntityCommand && e.Offset == 0:
			name, at, _ := strings.Cut(word, "@")
			t.isCmd, t.cmd, t.cmdLen = true, strings.ToLower(name), e.Length
			t.toUs = at != "" && strings.EqualFold(at, b.me.Username)
		case e.Type == tele.EntityMention && strings.EqualFold(word, "@"+b.me.Username):
			t.mentions = append(t.mentions, e)
		}
	}
	slices.SortFunc(t.mentions, func(a, b tele.MessageEntity) int { return cmp.Compare(a.Offset, b.Offset) })
	return t
}

// withoutMentions is the text after its command (all of it when there is
// none), less every mention of the bot, trimmed.
func (t reading) withoutMentions() string {
	out := make([]uint16, 0, len(t.units))
	from := t.cmdLen
	for _, e := range t.mentions {
		if e.Offset >= from {
			out = append(out, t.units[from:e.Offset]...)
			from = e.Offset + e.Length
		}
	}
	out = append(out, t.units[from:]...)
	return strings.TrimSpace(string(utf16.Decode(out)))
}

// limit applies the per-user question rate limit. The first refusal in a
// window gets a polite notice; later ones are dropped quietly, so a flood
// is not answered with a flood.
func (b *Bot) limit(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		user := c.Sender().ID
		ok, retry, err := b.st.Allow(b.ctx, "user:"+strconv.FormatInt(user, 10), store.PerMinute(b.cfg.RateLimit))
		if err != nil || ok {
			return next(c) // without the store, answering beats refusing
		}
		b.m.limited.Inc()
		now := time.Now()
		if until, seen := b.noticed.Load(user); seen && now.Before(until.(time.Time)) {
			b.m.limitedDropped.Inc()
			return nil
		}
		b.noticed.Store(user, now.Add(retry))
		return b.deliver(c, b.svc.RateLimited(b.chatOf(c), retry), c.Message())
	}
}

func (b *Bot) chatOf(c tele.Context) handlers.Chat {
	chat := handlers.Chat{}
	if ch := c.Chat(); ch != nil {
		chat.ID, chat.Group = ch.ID, isGroup(ch)
	}
	if s := c.Sender(); s != nil {
		chat.Lang = s.LanguageCode
		if chat.ID == 0 {
			chat.ID = s.ID
		}
	}
	return chat
}

// onQuestion answers a question: a bare /ask with a request to reply
// with the question; an edited question by editing its answer, when the
// bot still knows which messages that was.
func (b *Bot) onQuestion(c tele.Context) error {
	q, _ := c.Get(keyQuestion).(string)
	m := c.Message()
	if t := b.read(m); t.isCmd && t.cmd == "/ask" && strings.TrimSpace(q) == "" && c.Update().EditedMessage == nil {
		return b.deliver(c, b.svc.AskPrompt(b.chatOf(c)), m)
	}
	start := time.Now()
	r, err := b.svc.Ask(b.ctx, b.chatOf(c), q)
	if err != nil {
		if b.ctx.Err() != nil {
			b.abort(c) // shutting down: the update is given back
			return nil
		}
		// Never silence: say so, and log what failed.
		b.log.Error("question not answered", "err", err, "update", updateID(c))
		r = b.svc.Failed(b.chatOf(c))
	}
	b.count(r, time.Since(start))
	if c.Update().EditedMessage != nil {
		if ids := b.repliesTo(m); len(ids) > 0 && len(r.Messages) > 0 {
			return b.replace(c, r, m, ids)
		}
	}
	ids, err := b.deliverIDs(c, r, m)
	if err == nil && len(ids) > 0 {
		b.rememberReplies(m, ids)
	}
	return err
}

// repliesTo returns the bot's messages that answered m, if the store
// still has them.
func (b *Bot) repliesTo(m *tele.Message) []int {
	ids, err := b.st.Replies(b.ctx, m.Chat.ID, m.ID)
	if err != nil {
		b.log.Debug("answers to an edited question unknown", "err", err)
	}
	return ids
}

func (b *Bot) rememberReplies(m *tele.Message, ids []int) {
	if err := b.st.RememberReplies(b.ctx, m.Chat.ID, m.ID, ids); err != nil {
		b.log.Debug("answer not remembered for edits", "err", err)
	}
}

// replace puts reply r in place of the bot's earlier answer (messages
// ids) to the edited message m: each message edited, more sent as
// replies, fewer deleted.
func (b *Bot) replace(c tele.Context, r handlers.Reply, m *tele.Message, ids []int) error {
	chat := m.Chat
	var kept []int
	for i, html := range r.Messages {
		var kb *keyboard
		if i == len(r.Messages)-1 && len(r.Buttons) > 0 {
			kb = inline(r.Buttons)
		}
		if i < len(ids) {
			if err := b.edit(chat, ids[i], html, kb); err != nil {
				return err
			}
			kept = append(kept, ids[i])
			continue
		}
		opts := b.replyOptions(m)
		opts.keyboard = kb
		sent, err := b.out.send(b.ctx, chat, html, opts)
		if err != nil {
			return err
		}
		kept = append(kept, sent.ID)
	}
	for _, id := range ids[min(len(ids), len(r.Messages)):] {
		err := b.out.do(b.ctx, chat, func(ctx context.Context) error { return b.api.deleteMessage(ctx, chat.ID, id) })
		if err != nil {
			b.log.Debug("an answer that is no longer needed was not deleted", "err", err)
		}
	}
	if r.Reaction != "" {
		b.react(chat, m.ID, r.Reaction)
	}
	b.rememberReplies(m, kept)
	return nil
}

// edit replaces one of the bot's messages, through the sender (paced,
// retried); an edit that changes nothing is no error.
func (b *Bot) edit(chat *tele.Chat, id int, html string, kb *keyboard) error {
	p := &editMessageTextParams{ChatID: chat.ID, MessageID: id, Text: html, ParseMode: "HTML",
		LinkPreviewOptions: &linkPreviewOptions{IsDisabled: true}, ReplyMarkup: kb}
	return b.out.do(b.ctx, chat, func(ctx context.Context) error {
		if err := b.api.editMessageText(ctx, p); err != nil && !notModified(err) {
			return err
		}
		return nil
	})
}

// react sets the bot's reaction on a message. A chat may not allow it
// (its reactions are limited, or it is gone): the reaction is a courtesy,
// so that is logged, not an error. A reaction is not a message: it waits
// for the bot-wide limit only, not the chat's.
func (b *Bot) react(chat *tele.Chat, id int, emoji string) {
	err := b.out.do(b.ctx, nil, func(ctx context.Context) error { return b.api.setMessageReaction(ctx, chat.ID, id, emoji) })
	if err != nil {
		b.log.Debug("reaction not set", "chat", chat.ID, "err", err)
	}
}

// onMembership greets a group once, when the bot is added to it.
func (b *Bot) onMembership(c tele.Context) error {
	u := c.ChatMember()
	if u == nil || u.Chat == nil || !isGroup(u.Chat) || u.NewChatMember == nil || u.OldChatMember == nil {
		return nil
	}
	in := func(r tele.MemberStatus) bool {
		return r == tele.Member || r == tele.Administrator || r == tele.Creator
	}
	if !in(u.NewChatMember.Role) || in(u.OldChatMember.Role) {
		return nil // not an arrival: promoted, restricted, removed
	}
	return b.deliver(c, b.svc.Welcome(b.chatOf(c)), nil)
}

func (b *Bot) count(r handlers.Reply, took time.Duration) {
	if r.Outcome == "" || r.Outcome == "no_question" {
		return
	}
	b.m.questions.WithLabelValues(strconv.FormatBool(r.Outcome == "answered")).Inc()
	b.m.search.Observe(took.Seconds())
	if r.Cached {
		b.m.cacheHits.Inc()
	}
}

func (b *Bot) onStart(c tele.Context) error {
	m := c.Message()
	if isGroup(m.Chat) {
		if !b.read(m).toUs && m.Payload == "" {
			return b.deliver(c, b.svc.Help(b.chatOf(c)), m)
		}
	}
	r, err := b.svc.Start(b.ctx, b.chatOf(c), m.Payload)
	if err != nil {
		return err
	}
	b.count(r, 0)
	return b.deliver(c, r, m)
}

// onHelp explains the bot; in a group it lists the administrators'
// commands to administrators only.
func (b *Bot) onHelp(c tele.Context) error {
	chat := b.chatOf(c)
	chat.Admin = chat.Group && b.canManage(c)
	return b.deliver(c, b.svc.Help(chat), c.Message())
}

func (b *Bot) onAbout(c tele.Context) error {
	return b.deliver(c, b.svc.About(b.chatOf(c)), c.Message())
}

func (b *Bot) onTopics(c tele.Context) error {
	return b.deliver(c, b.svc.Topics(b.chatOf(c)), c.Message())
}

// onNotText answers media and other non-text messages addressed to the
// bot: a question in a photo's caption is answered; otherwise the bot says
// it can only read text.
func (b *Bot) onNotText(c tele.Context) error {
	if q, _ := c.Get(keyQuestion).(string); strings.TrimSpace(q) != "" {
		return b.limit(b.onQuestion)(c)
	}
	return b.deliver(c, b.svc.NotText(b.chatOf(c)), c.Message())
}

// deliver sends a reply (see deliverIDs).
func (b *Bot) deliver(c tele.Context, r handlers.Reply, replyTo *tele.Message) error {
	_, err := b.deliverIDs(c, r, replyTo)
	return err
}

// replyOptions are how a message answering replyTo is sent: as a reply
// to it, in its forum topic.
func (b *Bot) replyOptions(replyTo *tele.Message) sendOptions {
	var opts sendOptions
	if replyTo != nil {
		opts.replyTo = replyTo.ID
		opts.thread = threadOf(replyTo)
	}
	return opts
}

// threadOf is the forum topic a message is in (0 for none).
func threadOf(m *tele.Message) int {
	if m != nil && m.TopicMessage {
		return m.ThreadID
	}
	return 0
}

// deliverIDs sends a reply, each message as a reply to replyTo (when
// given) in its topic thread, the buttons (or the request to reply) under
// the last message; its reaction goes on replyTo. It returns the IDs of
// the messages sent.
func (b *Bot) deliverIDs(c tele.Context, r handlers.Reply, replyTo *tele.Message) ([]int, error) {
	chat := c.Chat()
	if chat == nil {
		return nil, nil
	}
	if r.Reaction != "" && replyTo != nil {
		b.react(chat, replyTo.ID, r.Reaction)
	}
	var ids []int
	for i, html := range r.Messages {
		opts := b.replyOptions(replyTo)
		if replyTo == nil {
			opts.thread = threadOf(c.Message()) // a button's message, in its topic
		}
		if i == len(r.Messages)-1 {
			switch {
			case r.Prompt != "":
				opts.keyboard = &keyboard{ForceReply: true, Placeholder: r.Prompt, Selective: true}
			case len(r.Buttons) > 0:
				opts.keyboard = inline(r.Buttons)
			}
		}
		opts.before, opts.after = b.mayAnswer(c) // shutdown holds back answers not yet begun
		sent, err := b.out.send(b.ctx, chat, html, opts)
		if err != nil {
			if blocked(err) {
				b.log.Info("chat refuses messages (bot blocked or removed)", "chat", chat.ID)
				return ids, nil
			}
			return ids, err
		}
		ids = append(ids, sent.ID)
	}
	return ids, nil
}

// inline is the keyboard of the handlers' buttons.
func inline(rows [][]handlers.Button) *keyboard {
	kb := &keyboard{InlineKeyboard: make([][]button, 0, len(rows))}
	for _, row := range rows {
		r := make([]button, 0, len(row))
		for _, btn := range row {
			r = append(r, buttonOf(btn))
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, r)
	}
	return kb
}

func buttonOf(btn handlers.Button) button {
	switch {
	case btn.URL != "":
		return button{Text: btn.Text, URL: btn.URL}
	case btn.Inline:
		q := btn.Query
		return button{Text: btn.Text, InlineQuery: &q}
	}
	return button{Text: btn.Text, CallbackData: btn.Data}
}
