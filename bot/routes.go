package bot

import (
	"strconv"
	"strings"
	"time"

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
		if cmd, toUs, isCmd := command(m.Text, b.me.Username); isCmd && cmd != "/ask" && cmd != "/start" {
			if !isGroup(m.Chat) || toUs {
				return b.deliver(c, b.svc.UnknownCommand(b.chatOf(c), cmd), m)
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
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	me := b.me.Username
	if cmd, toUs, isCmd := command(text, me); isCmd {
		rest := strings.TrimSpace(strings.TrimPrefix(text, firstWord(text)))
		if cmd == "/start" {
			rest = handlers.DecodePayload(rest)
		}
		if !isGroup(m.Chat) || toUs || cmd == "/ask" {
			return stripMention(rest, me), true
		}
		return "", false
	}
	if !isGroup(m.Chat) {
		return stripMention(text, me), true
	}
	if mentions(text, me) {
		return stripMention(text, me), true
	}
	if m.ReplyTo != nil && m.ReplyTo.Sender != nil && m.ReplyTo.Sender.ID == b.me.ID {
		return text, true
	}
	return "", false
}

// command reads a leading /command or /command@bot: the command in lower
// case, whether it names this bot, and whether there is one.
func command(text, me string) (cmd string, toUs, isCmd bool) {
	if !strings.HasPrefix(text, "/") {
		return "", false, false
	}
	word := firstWord(text)
	name, at, hasAt := strings.Cut(word, "@")
	if len(name) < 2 {
		return "", false, false
	}
	return strings.ToLower(name), hasAt && strings.EqualFold(at, me), true
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \n\t"); i >= 0 {
		return s[:i]
	}
	return s
}

// mentionAt returns the byte offset of the first "@bot" in text that is a
// whole username (not the start of @bot_fan), or -1. Usernames are ASCII,
// so offsets in the lower-cased text are offsets in text.
func mentionAt(text, me string) int {
	if me == "" {
		return -1
	}
	lower, at := strings.ToLower(text), "@"+strings.ToLower(me)
	for off := 0; ; {
		i := strings.Index(lower[off:], at)
		if i < 0 {
			return -1
		}
		end := off + i + len(at)
		if end == len(lower) || !isUsernameByte(lower[end]) {
			return off + i
		}
		off = end
	}
}

func isUsernameByte(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
}

func mentions(text, me string) bool { return mentionAt(text, me) >= 0 }

// stripMention removes every whole "@bot" mention, in any case.
func stripMention(text, me string) string {
	for {
		i := mentionAt(text, me)
		if i < 0 {
			return strings.TrimSpace(text)
		}
		text = text[:i] + text[i+1+len(me):]
	}
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

func (b *Bot) onQuestion(c tele.Context) error {
	q, _ := c.Get(keyQuestion).(string)
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
	return b.deliver(c, r, c.Message())
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
		if _, toUs, _ := command(m.Text, b.me.Username); !toUs && m.Payload == "" {
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

func (b *Bot) onHelp(c tele.Context) error {
	return b.deliver(c, b.svc.Help(b.chatOf(c)), c.Message())
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

// deliver sends a reply, each message as a reply to replyTo (when given)
// in its topic thread, the buttons under the last message.
func (b *Bot) deliver(c tele.Context, r handlers.Reply, replyTo *tele.Message) error {
	chat := c.Chat()
	if chat == nil {
		return nil
	}
	for i, html := range r.Messages {
		opts := &tele.SendOptions{AllowWithoutReply: true}
		if replyTo != nil {
			opts.ReplyTo = replyTo
			if replyTo.TopicMessage {
				opts.ThreadID = replyTo.ThreadID
			}
		}
		if i == len(r.Messages)-1 && len(r.Buttons) > 0 {
			opts.ReplyMarkup = markup(r.Buttons)
		}
		if _, err := b.out.send(b.ctx, chat, html, opts); err != nil {
			if blocked(err) {
				b.log.Info("chat refuses messages (bot blocked or removed)", "chat", chat.ID)
				return nil
			}
			return err
		}
	}
	return nil
}

func markup(rows [][]handlers.Button) *tele.ReplyMarkup {
	m := &tele.ReplyMarkup{}
	for _, row := range rows {
		var btns []tele.InlineButton
		for _, btn := range row {
			btns = append(btns, tele.InlineButton{Text: btn.Text, Data: btn.Data})
		}
		m.InlineKeyboard = append(m.InlineKeyboard, btns)
	}
	return m
}
