package handlers

import (
	"context"
	"fmt"
	"strings"

	"reportbot/render"
)

// Start greets, with example questions as buttons; a deep-link payload
// (/start <payload>, base64url for Chinese) is asked as a question.
func (s *Service) Start(ctx context.Context, chat Chat, payload string) (Reply, error) {
	if q := DecodePayload(payload); q != "" {
		return s.Ask(ctx, chat, q)
	}
	return s.greeting(chat), nil
}

// greeting is /start's reply: what the bot does, and examples to tap.
func (s *Service) greeting(chat Chat) Reply {
	name := render.Clip(s.reportName(), 40)
	text := s.Say(chat,
		fmt.Sprintf("你好！我用《%s》的原文回答问题，并注明出处。直接发问题给我，或点下面的例子：", name),
		fmt.Sprintf("Hello! I answer questions by quoting 《%s》 and citing where each passage stands. Send a question, or tap an example:", name))
	var rows [][]Button
	for i, q := range Examples {
		rows = append(rows, []Button{{Text: q, Data: exampleData(i)}})
	}
	return reply(render.Escape(text), rows...)
}

// reportName names what the bot answers from: the report, or how many.
func (s *Service) reportName() string {
	c := s.Corpus()
	if len(c.Reports) == 1 {
		return c.Reports[0].Title
	}
	return fmt.Sprintf("%s等%d份报告", c.Reports[0].Title, len(c.Reports))
}

// at is the bot's @username, or a stand-in before it is known.
func (s *Service) at() string {
	if s.Bot == "" {
		return "@bot"
	}
	return "@" + s.Bot
}

// Welcome is what the bot says once when it is added to a group: what it
// does, and how to ask it there.
func (s *Service) Welcome(chat Chat) Reply {
	return reply(render.Escape(s.Say(chat,
		fmt.Sprintf("大家好！我用《%s》的原文回答问题，并注明出处。\n提问：%s 问题、/ask 问题，或回复我的消息。/help 看全部用法。", render.Clip(s.reportName(), 40), s.at()),
		fmt.Sprintf("Hello! I answer questions by quoting 《%s》, with where each passage stands.\nAsk: %s question, /ask question, or reply to my message. /help for more.", render.Clip(s.reportName(), 40), s.at()))))
}

// Help explains how to use the bot in this chat: how to ask, every
// command the user can use here (in a group, the administrators'
// commands only to administrators), and a button to try inline mode.
func (s *Service) Help(chat Chat) Reply {
	at := render.Escape(s.at())
	var how string
	if chat.Group {
		how = s.Say(chat,
			"在群里提问："+at+" 问题、/ask 问题，或回复我的消息。我引用报告原文回答，并注明出处（部分 · 第几段）。",
			"To ask here: "+at+" question, /ask question, or reply to my message. I answer by quoting the report, with where each passage stands.")
	} else {
		how = s.Say(chat,
			"直接发问题给我，我引用报告原文回答，并注明出处（部分 · 第几段）。",
			"Send me a question; I answer by quoting the report, with where each passage stands.")
	}
	inline := s.Say(chat,
		"在任何聊天里输入 "+at+" 问题，可以把答案发给别人。",
		"In any chat, type "+at+" question to share an answer.")
	text := fmt.Sprintf("<b>%s</b>\n%s\n\n%s\n\n%s", s.Say(chat, "怎么用", "How to use"), how, render.Escape(s.helpLines(chat)), inline)
	return reply(text, []Button{{Text: s.Say(chat, "试试行内搜索", "Try inline search"), Inline: true, Query: s.Say(chat, "GDP增长目标", "GDP growth target")}})
}

// About describes the loaded reports: name, date, where the text comes
// from, and the sections.
func (s *Service) About(chat Chat) Reply {
	c := s.Corpus()
	var b strings.Builder
	for i, r := range c.Reports {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "<b>《%s》</b>\n", render.Escape(r.Title))
		if r.Date != "" {
			fmt.Fprintf(&b, "%s\n", render.Escape(r.Date))
		}
		for _, sec := range r.Sections {
			fmt.Fprintf(&b, "· %s（%s）\n", render.Escape(sec.Title), s.Say(chat, fmt.Sprintf("%d段", len(sec.Paragraphs)), fmt.Sprintf("%d paragraphs", len(sec.Paragraphs))))
		}
		b.WriteString(s.Say(chat, fmt.Sprintf("共 %d 段", len(r.Paragraphs)), fmt.Sprintf("%d paragraphs", len(r.Paragraphs))))
	}
	return reply(b.String())
}

// Topics lists the reports' sections as buttons; a button opens the
// section in this message.
func (s *Service) Topics(chat Chat) Reply {
	var rows [][]Button
	c := s.Corpus()
	for ri, r := range c.Reports {
		for si, sec := range r.Sections {
			title := sec.Title
			if len(c.Reports) > 1 {
				title = r.Title + " · " + title
			}
			rows = append(rows, []Button{{Text: render.Clip(title, 60), Data: sectionData(ri, si, 0)}})
		}
	}
	return reply(render.Escape(s.Say(chat, "报告各部分（点按阅读原文）：", "The report's sections (tap to read):")), rows...)
}

// Section shows page of section si of report ri in one message, to page
// through in place: ‹ and › turn the page, the counter only shows where
// the reader is, 目录 goes back to the sections.
func (s *Service) Section(chat Chat, ri, si, page int) Reply {
	c := s.Corpus()
	if ri < 0 || ri >= len(c.Reports) || si < 0 || si >= len(c.Reports[ri].Sections) {
		return reply(render.Escape(s.Say(chat, "这个部分已不存在（报告可能已更新），请重新打开 /topics。", "That section is gone (the report may have changed); open /topics again.")))
	}
	sec := c.Reports[ri].Sections[si]
	html, pages := s.style(chat).Section(sec, page)
	page = min(max(page, 0), pages-1)
	var row []Button
	if page > 0 {
		row = append(row, Button{Text: "‹", Data: sectionData(ri, si, page-1)})
	}
	row = append(row, Button{Text: fmt.Sprintf("%d/%d", page+1, pages), Data: dataNoop})
	if page+1 < pages {
		row = append(row, Button{Text: "›", Data: sectionData(ri, si, page+1)})
	}
	return Reply{Messages: []string{html}, Buttons: [][]Button{row, {{Text: s.Say(chat, "目录", "Sections"), Data: dataContents}}}}
}

// Description is what an empty chat with the bot shows before /start (at
// most 512 characters): what it answers from, and how to ask.
func (s *Service) Description(chat Chat) string {
	name := render.Clip(s.reportName(), 60)
	return s.Say(chat,
		fmt.Sprintf("我用《%s》的原文回答问题，每段引文都注明出处（部分 · 第几段），不编造。\n\n点“开始”，然后直接发问题，例如：2024年GDP增长目标是多少？\n在群里：@我 问题，或 /ask 问题。", name),
		fmt.Sprintf("I answer questions by quoting 《%s》, citing where each passage stands, and never make anything up.\n\nTap Start, then send a question, e.g. What is the 2024 GDP growth target?\nIn groups: mention me, or /ask question.", name))
}

// ShortDescription is the bot's profile line, shown when it is shared (at
// most 120 characters).
func (s *Service) ShortDescription(chat Chat) string {
	return s.Say(chat,
		"用"+render.Clip(s.reportName(), 40)+"的原文回答问题，注明出处。",
		"Answers questions by quoting "+render.Clip(s.reportName(), 40)+", with citations.")
}
