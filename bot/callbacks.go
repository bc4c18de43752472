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
// show a spinner until it times out.
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
		return b.deliver(c, r, cb.Message.ReplyTo)
	case handlers.CallbackFeedback:
		if cb.Message == nil {
			return nil
		}
		notice = b.svc.Feedback(b.ctx, chat, cb.Message.ID, c.Sender().ID, d.Up)
		if chat.Group {
			return nil // others in the group may still vote
		}
		// In a private chat one vote ends it: the 👍/👎 buttons go.
		return b.dropFeedbackButtons(cb.Message)
	case handlers.CallbackExample:
		q, ok := handlers.Example(d.N)
		if !ok {
			notice = b.svc.Say(chat, "这个按钮已过期。", "This button has expired.")
			return nil
		}
		asked, err := b.out.send(b.ctx, c.Chat(), render.Escape(askedPrefix+q), sendOptions{})
		if err != nil {
			return err
		}
		r, err := b.svc.Ask(b.ctx, chat, q)
		if err != nil {
			return err
		}
		b.count(r, 0)
		return b.deliver(c, r, asked)
	case handlers.CallbackTopics:
		return b.deliver(c, b.svc.Topics(chat), nil)
	case handlers.CallbackSection:
		return b.deliver(c, b.svc.Section(chat, d.Report, d.Sect, d.Page), nil)
	case handlers.CallbackFigure:
		return b.deliver(c, b.svc.FigureSentence(chat, d.Version, d.Report, d.N), cb.Message)
	default:
		notice = b.svc.Say(chat, "这个按钮已过期。", "This button has expired.")
		return nil
	}
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

func (b *Bot) dropFeedbackButtons(msg *tele.Message) error {
	if msg.ReplyMarkup == nil {
		return nil
	}
	var kept *keyboard
	for _, row := range msg.ReplyMarkup.InlineKeyboard {
		var keep []button
		for _, btn := range row {
			if handlers.ParseCallback(btn.Data).Kind != handlers.CallbackFeedback {
				keep = append(keep, button{Text: btn.Text, CallbackData: btn.Data})
			}
		}
		if len(keep) > 0 {
			if kept == nil {
				kept = &keyboard{}
			}
			kept.InlineKeyboard = append(kept.InlineKeyboard, keep)
		}
	}
	// No row left: no reply_markup, which removes the keyboard.
	p := editReplyMarkupParams{ChatID: msg.Chat.ID, MessageID: msg.ID, ReplyMarkup: kept}
	return b.out.do(b.ctx, msg.Chat, func(ctx context.Context) error {
		if err := b.api.editMessageReplyMarkup(ctx, p); err != nil && !notModified(err) {
			return err
		}
		return nil
	})
}

// onInline answers inline queries: passages as articles, paged by
// next_offset; an empty query lists the report's sections.
func (b *Bot) onInline(c tele.Context) error {
	q := c.Query()
	offset, _ := strconv.Atoi(q.Offset)
	results, next, err := b.svc.Inline(b.ctx, q.Text, max(offset, 0))
	if err != nil {
		return err
	}
	p := answerInlineParams{InlineQueryID: q.ID, Results: make([]article, 0, len(results)), CacheTime: 300, NextOffset: next}
	for _, r := range results {
		p.Results = append(p.Results, article{
			Type: "article", ID: r.ID, Title: r.Title, Description: r.Description,
			Content: textContent{MessageText: r.HTML, ParseMode: "HTML", LinkPreviewOptions: &linkPreviewOptions{IsDisabled: true}},
		})
	}
	return b.out.do(b.ctx, nil, func(ctx context.Context) error { return b.api.answerInlineQuery(ctx, p) })
}
