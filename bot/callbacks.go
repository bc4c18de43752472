package bot

import (
	"context"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"reportbot/handlers"
	"reportbot/render"
)

// askedPrefix starts the message in which the bot restates an example
// question before answering it, so "更多结果" can read the question back.
const askedPrefix = "❓ "

// onCallback handles the buttons. Every callback query is answered, also
// when the button is stale or something fails, or the user's app would
// show a spinner until it times out. Paging (更多结果, a section's pages,
// the contents) happens in place, in the message the button is under.
func (b *Bot) onCallback(c tele.Context) (err error) {
	cb := c.Callback()
	notice := ""
	defer func() {
		// Through the sender, so a 429 or 5xx is waited out and retried.
		rerr := b.out.do(b.ctx, nil, func(ctx context.Context) error {
			return b.api.answerCallbackQuery(ctx, answerCallbackParams{CallbackQueryID: cb.ID, Text: notice})
		})
		if rerr != nil && err == nil {
			err = rerr
		}
	}()
	chat := b.chatOf(c)
	switch d := handlers.ParseCallback(cb.Data); d.Kind {
	case handlers.CallbackMore:
		q := b.questionOfAnswer(cb.Message)
		if q == "" {
			notice = b.svc.Say(chat, "原问题已不可见，请重新提问。", "The question is gone; please ask again.")
			return nil
		}
		r, err := b.svc.More(b.ctx, chat, q, d.N)
		if err != nil {
			return err
		}
		return b.inPlace(c, r, cb.Message.ReplyTo)
	case handlers.CallbackFeedback:
		if cb.Message == nil {
			return nil
		}
		var why bool
		notice, why = b.svc.Feedback(b.ctx, chat, cb.Message.ID, c.Sender().ID, d.Up)
		switch {
		case why:
			return b.askWhy(cb.Message, chat)
		case chat.Group:
			return nil // others in the group may still vote
		}
		// In a private chat one vote ends it: the 👍/👎 buttons go.
		return b.dropFeedbackButtons(cb.Message)
	case handlers.CallbackWhy:
		if cb.Message == nil {
			return nil
		}
		notice = b.svc.Why(b.ctx, chat, cb.Message.ID, c.Sender().ID, d.N, b.questionOfAnswer(cb.Message))
		if chat.Group {
			return nil // others may give their reasons
		}
		return b.dropFeedbackButtons(cb.Message)
	case handlers.CallbackExample:
		q, ok := handlers.Example(d.N)
		if !ok {
			notice = b.svc.Say(chat, "这个按钮已过期。", "This button has expired.")
			return nil
		}
		if c.Chat() == nil {
			// A button on an inline message: there is no chat to answer
			// in, only the callback's own answer.
			notice = b.svc.Say(chat, "请在与机器人的对话中提问："+q, "Ask in a chat with the bot: "+q)
			return nil
		}
		asked, err := b.out.send(b.ctx, c.Chat(), render.Escape(askedPrefix+q), sendOptions{thread: threadOf(cb.Message)})
		if err != nil {
			return err
		}
		asked.TopicMessage, asked.ThreadID = cb.Message != nil && cb.Message.TopicMessage, threadOf(cb.Message)
		r, err := b.svc.Ask(b.ctx, chat, q)
		if err != nil {
			return err
		}
		b.count(r, 0)
		return b.deliver(c, r, asked)
	case handlers.CallbackTopics:
		return b.deliver(c, b.svc.Topics(chat), nil)
	case handlers.CallbackContents:
		return b.inPlace(c, b.svc.Topics(chat), nil)
	case handlers.CallbackSection:
		return b.inPlace(c, b.svc.Section(chat, d.Report, d.Sect, d.Page), nil)
	case handlers.CallbackNoop:
		return nil
	case handlers.CallbackFigure:
		return b.deliver(c, b.svc.FigureSentence(chat, d.Version, d.Report, d.N), cb.Message)
	default:
		notice = b.svc.Say(chat, "这个按钮已过期。", "This button has expired.")
		return nil
	}
}

// inPlace shows a reply in the message the pressed button is under. A
// reply of several messages (an answer page too long for one) cannot
// take one message's place: it is sent as new messages, replying to
// replyTo.
func (b *Bot) inPlace(c tele.Context, r handlers.Reply, replyTo *tele.Message) error {
	msg := c.Callback().Message
	if msg == nil || msg.Chat == nil || len(r.Messages) != 1 {
		return b.deliver(c, r, replyTo)
	}
	var kb *keyboard
	if len(r.Buttons) > 0 {
		kb = inline(r.Buttons)
	}
	err := b.edit(msg.Chat, msg.ID, r.Messages[0], kb)
	if blocked(err) {
		return nil
	}
	return err
}

// questionOfAnswer reads the question an answer message replied to: the
// asker's message, or the bot's restatement of an example. The answer
// proves the message was addressed to the bot, and Telegram does not nest
// replies (a question that was itself a reply to the bot arrives here
// without that reply), so only the command and the mention are removed.
func (b *Bot) questionOfAnswer(answer *tele.Message) string {
	if answer == nil || answer.ReplyTo == nil {
		return ""
	}
	asked := answer.ReplyTo
	if asked.Sender != nil && asked.Sender.ID == b.me.ID {
		return strings.TrimPrefix(asked.Text, askedPrefix)
	}
	t := b.read(asked)
	q := t.withoutMentions()
	if t.isCmd && t.cmd == "/start" {
		q = handlers.DecodePayload(q)
	}
	return q
}

// keptButtons are the buttons of msg whose callbacks drop says to keep.
func keptButtons(msg *tele.Message, drop func(handlers.CallbackKind) bool) [][]button {
	var kept [][]button
	if msg.ReplyMarkup == nil {
		return nil
	}
	for _, row := range msg.ReplyMarkup.InlineKeyboard {
		var keep []button
		for _, btn := range row {
			if !drop(handlers.ParseCallback(btn.Data).Kind) {
				keep = append(keep, button{Text: btn.Text, CallbackData: btn.Data})
			}
		}
		if len(keep) > 0 {
			kept = append(kept, keep)
		}
	}
	return kept
}

// setButtons replaces msg's keyboard; no rows removes it.
func (b *Bot) setButtons(msg *tele.Message, rows [][]button) error {
	var kb *keyboard
	if len(rows) > 0 {
		kb = &keyboard{InlineKeyboard: rows}
	}
	p := editReplyMarkupParams{ChatID: msg.Chat.ID, MessageID: msg.ID, ReplyMarkup: kb}
	return b.out.do(b.ctx, msg.Chat, func(ctx context.Context) error {
		if err := b.api.editMessageReplyMarkup(ctx, p); err != nil && !notModified(err) {
			return err
		}
		return nil
	})
}

// dropFeedbackButtons removes 👍/👎 and the reasons from an answer,
// keeping its paging buttons.
func (b *Bot) dropFeedbackButtons(msg *tele.Message) error {
	if msg.ReplyMarkup == nil {
		return nil
	}
	return b.setButtons(msg, keptButtons(msg, func(k handlers.CallbackKind) bool {
		return k == handlers.CallbackFeedback || k == handlers.CallbackWhy
	}))
}

// askWhy puts the reasons for a 👎 under the answer, in place of 👍/👎
// (in a group 👍 stays, for the others).
func (b *Bot) askWhy(msg *tele.Message, chat handlers.Chat) error {
	rows := keptButtons(msg, func(k handlers.CallbackKind) bool {
		return k == handlers.CallbackWhy || (k == handlers.CallbackFeedback && !chat.Group)
	})
	if chat.Group {
		// Of the votes only 👍 stays; 👎 is what the reasons say.
		for i, row := range rows {
			kept := row[:0]
			for _, btn := range row {
				if d := handlers.ParseCallback(btn.CallbackData); d.Kind != handlers.CallbackFeedback || d.Up {
					kept = append(kept, btn)
				}
			}
			rows[i] = kept
		}
	}
	why := inline([][]handlers.Button{b.svc.WhyButtons(chat)}).InlineKeyboard
	return b.setButtons(msg, append(why, rows...))
}

// onInline answers inline queries: passages as articles, paged by
// next_offset; an empty query lists the report's sections; a question
// the reports do not cover gets the button that opens the bot instead.
func (b *Bot) onInline(c tele.Context) error {
	q := c.Query()
	offset, _ := strconv.Atoi(q.Offset)
	chat := handlers.Chat{ID: q.Sender.ID, Lang: q.Sender.LanguageCode}
	ans, err := b.svc.Inline(b.ctx, chat, q.Text, max(offset, 0))
	if err != nil {
		return err
	}
	p := answerInlineParams{InlineQueryID: q.ID, Results: make([]article, 0, len(ans.Results)), CacheTime: 300, NextOffset: ans.Next}
	if ans.Button != nil {
		p.Button = &resultsButton{Text: ans.Button.Text, StartParameter: ans.Button.Start}
	}
	for _, r := range ans.Results {
		a := article{
			Type: "article", ID: r.ID, Title: r.Title, Description: r.Description,
			Content: textContent{MessageText: r.HTML, ParseMode: "HTML", LinkPreviewOptions: &linkPreviewOptions{IsDisabled: true}},
		}
		if len(r.Buttons) > 0 {
			a.ReplyMarkup = inline(r.Buttons)
		}
		p.Results = append(p.Results, a)
	}
	return b.out.do(b.ctx, nil, func(ctx context.Context) error { return b.api.answerInlineQuery(ctx, p) })
}
