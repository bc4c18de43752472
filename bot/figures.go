package bot

// The key figures' commands: /figures and /new. Their behaviour is
// handlers'; the figure buttons are answered in onCallback.

import tele "gopkg.in/telebot.v3"

func (b *Bot) onFigures(c tele.Context) error {
	m := c.Message()
	return b.deliver(c, b.svc.KeyFigures(b.chatOf(c), m.Payload), m)
}

func (b *Bot) onNew(c tele.Context) error {
	m := c.Message()
	return b.deliver(c, b.svc.New(b.chatOf(c), m.Payload), m)
}
