package bot

// The bot's profile on Telegram, set at start: the command menu of
// handlers.Commands for each scope and language, and the descriptions an
// empty chat with the bot shows.

import (
	"context"
	"slices"

	tele "gopkg.in/telebot.v3"

	"reportbot/handlers"
)

// menuLangs are the languages of the menu and the descriptions: "" is
// every language without one of its own (Chinese), "en" English.
var menuLangs = []string{"", "en"}

// menus are the command menus: private chats, groups, and groups'
// administrators (Telegram shows them theirs instead of the groups').
var menus = []struct {
	scope tele.CommandScope
	in    handlers.Scope
}{
	{tele.CommandScope{Type: tele.CommandScopeAllPrivateChats}, handlers.ScopePrivate},
	{tele.CommandScope{Type: tele.CommandScopeAllGroupChats}, handlers.ScopeGroup},
	{tele.CommandScope{Type: tele.CommandScopeAllChatAdmin}, handlers.ScopeGroupAdmin},
}

// setCommands registers the bot's profile: each command menu in each
// language, and the description and short description in each
// language. What Telegram already has is left alone (these methods are
// rate-limited, and a bot restarts often).
func (b *Bot) setCommands() error {
	for _, m := range menus {
		for _, lang := range menuLangs {
			var cmds []tele.Command
			for _, c := range handlers.Commands {
				if c.Scope.Has(m.in) {
					desc := c.Menu
					if lang == "en" {
						desc = c.MenuEN
					}
					cmds = append(cmds, tele.Command{Text: c.Name, Description: desc})
				}
			}
			if err := b.setMenu(m.scope, lang, cmds); err != nil {
				return err
			}
		}
	}
	for _, lang := range menuLangs {
		chat := handlers.Chat{Lang: lang}
		for _, d := range []description{
			{Text: b.svc.Description(chat), Lang: lang},
			{Short: true, Text: b.svc.ShortDescription(chat), Lang: lang},
		} {
			if err := b.setDescription(d); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *Bot) setMenu(scope tele.CommandScope, lang string, cmds []tele.Command) error {
	ctx, cancel := context.WithTimeout(b.ctx, sendTimeout)
	defer cancel()
	if have, err := b.api.getMyCommands(ctx, scope, lang); err == nil && slices.Equal(have, cmds) {
		return nil
	}
	return b.api.setMyCommands(ctx, setMyCommandsParams{Commands: cmds, Scope: scope, LanguageCode: lang})
}

func (b *Bot) setDescription(d description) error {
	ctx, cancel := context.WithTimeout(b.ctx, sendTimeout)
	defer cancel()
	if have, err := b.api.getMyDescription(ctx, d); err == nil && have == d.Text {
		return nil
	}
	return b.api.setMyDescription(ctx, d)
}
