package handlers

import "strings"

// Scope says where a command is offered and who may use it.
type Scope uint8

// Scopes, combined with |.
const (
	ScopePrivate Scope = 1 << iota // listed in private chats' command menu
	ScopeGroup                     // listed in groups' command menu, for everyone
	// ScopeGroupAdmin: listed in the command menu of groups'
	// administrators (Telegram shows them that menu instead of the
	// groups' one, so every group command is in it too).
	ScopeGroupAdmin
	// ScopeAdmin: in a group, only its administrators may use the
	// command; others are told so (AdminsOnly).
	ScopeAdmin
)

// Has reports whether s includes every scope of x.
func (s Scope) Has(x Scope) bool { return s&x == x }

// Command is one of the bot's commands. Commands is the one list of them:
// it makes Telegram's command menu (setMyCommands), the lines of /help,
// and the bot's routes.
type Command struct {
	Name string // without the slash: "ask"
	// Menu and MenuEN describe it in the command menu, in Chinese (the
	// default) and English.
	Menu, MenuEN string
	// Help and HelpEN follow "/name" on its line in /help; a command with
	// no Help is not listed there.
	Help, HelpEN string
	Scope        Scope
}

// everywhere is the scope of a command offered in every chat to everyone.
const everywhere = ScopePrivate | ScopeGroup | ScopeGroupAdmin

// staff is the scope of a digest command: in private chats, and in
// groups for their administrators.
const staff = ScopePrivate | ScopeGroupAdmin

// Commands are the bot's commands, in the order the menu and /help list
// them.
var Commands = []Command{
	{Name: "ask", Menu: "提问：/ask 2024年GDP增长目标是多少", MenuEN: "Ask: /ask GDP growth target", Help: "问题：提问", HelpEN: "question: ask", Scope: everywhere},
	{Name: "topics", Menu: "报告各部分", MenuEN: "The report's sections", Help: "报告各部分，点按阅读", HelpEN: "the report's sections, to read", Scope: everywhere},
	{Name: "figures", Menu: "主要数字：/figures 北京 2025", MenuEN: "Key figures: /figures Beijing 2025", Help: "[地区] [年份] 报告的主要目标和上年实际", HelpEN: "[place] [year] a report's key targets and results", Scope: everywhere},
	{Name: "new", Menu: "今年报告的新提法", MenuEN: "What is new this year", Help: "[地区] 与上一年报告相比的新提法和目标变化", HelpEN: "[place] new phrases and changed targets against last year's report", Scope: everywhere},
	{Name: "about", Menu: "关于这份报告", MenuEN: "About the report", Help: "关于这份报告", HelpEN: "about the report", Scope: everywhere},
	{Name: "digest", Menu: "现在看今天的每日一读", MenuEN: "Today's digest now", Help: "今天的每日一读", HelpEN: "today's digest", Scope: everywhere},
	{Name: "subscribe", Menu: "订阅每日一读：/subscribe 08:30", MenuEN: "Daily digest: /subscribe 08:30", Help: "08:30 每天定时收到每日一读", HelpEN: "08:30 get the digest daily", Scope: staff | ScopeAdmin},
	{Name: "unsubscribe", Menu: "退订每日一读", MenuEN: "Stop the daily digest", Help: "退订每日一读", HelpEN: "stop the digest", Scope: staff | ScopeAdmin},
	{Name: "settings", Menu: "查看订阅", MenuEN: "Your subscription", Help: "查看订阅", HelpEN: "your subscription", Scope: staff},
	{Name: "help", Menu: "怎么用", MenuEN: "How to use", Help: "本帮助", HelpEN: "this help", Scope: everywhere},
	{Name: "start", Menu: "开始", MenuEN: "Start", Scope: everywhere},
}

// Usable reports whether the command may be used in chat: a private
// chat's commands; in a group, the group's, and the administrators' to
// administrators (or, when only the menu is theirs, to anyone).
func (c Command) Usable(chat Chat) bool {
	if !chat.Group {
		return c.Scope.Has(ScopePrivate)
	}
	return c.Scope.Has(ScopeGroup) || (c.Scope.Has(ScopeGroupAdmin) && (chat.Admin || !c.Scope.Has(ScopeAdmin)))
}

// helpLines are the /help lines of the commands the user can use in
// chat, in the chat's language.
func (s *Service) helpLines(chat Chat) string {
	var lines []string
	for _, c := range Commands {
		if help := s.Say(chat, c.Help, c.HelpEN); help != "" && c.Usable(chat) {
			lines = append(lines, "/"+c.Name+" "+help)
		}
	}
	return strings.Join(lines, "\n")
}
