package handlers

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/render"
	"reportbot/retrieval"
	"reportbot/store"
)

// PageSize is how many passages one reply quotes; "更多结果" shows the next.
const PageSize = 3

// Chat is where a message came from, as far as the bot's behaviour needs.
type Chat struct {
	ID    int64
	Group bool   // a group or supergroup
	Lang  string // the user's language_code ("en", "zh-hans", …)
}

func (c Chat) english() bool { return strings.HasPrefix(strings.ToLower(c.Lang), "en") }

// Button is an inline keyboard button; Data is its callback data (≤ 64
// bytes, see the callback data formats in callbacks.go).
type Button struct {
	Text string
	Data string
}

// Reply is what the bot says: HTML messages (each within Telegram's 4096
// characters), and buttons under the last one.
type Reply struct {
	Messages []string
	Buttons  [][]Button
	// Outcome of a question, for metrics: "answered", "not_covered" or
	// "no_question"; "" for other replies. Cached says the answer came
	// from the cache.
	Outcome string
	Cached  bool
}

func reply(html string, buttons ...[]Button) Reply {
	return Reply{Messages: []string{html}, Buttons: buttons}
}

// InlineResult is one inline-mode result: an article that, chosen, sends
// HTML.
type InlineResult struct {
	ID          string
	Title       string
	Description string
	HTML        string
}

// Service is the bot's behaviour: it answers questions, shows the report's
// parts and records statistics, and says everything in words a user
// understands. The Telegram adapter (bot/) decides when to call it and
// delivers its replies.
type Service struct {
	Answerer *Answerer
	// Store keeps subscriptions and statistics.
	Store interface {
		store.Subscriptions
		store.Stats
	}
	Log *slog.Logger
	// Now and TZ give the day that statistics are counted in.
	Now func() time.Time
	TZ  *time.Location
	// LogQuestions logs question text at info level.
	LogQuestions bool
	// Figures are the key figures of the corpus (figures.Extract), for
	// /figures, /new and comparison questions; nil leaves them out.
	Figures *figures.Set
}

// Corpus is the reports the service answers from.
func (s *Service) Corpus() *data.Corpus { return s.Answerer.Index.Corpus() }

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Day is the statistics day of t ("2024-01-15" in the bot's time zone).
func (s *Service) Day(t time.Time) string {
	tz := s.TZ
	if tz == nil {
		tz = time.Local
	}
	return t.In(tz).Format(time.DateOnly)
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Examples are questions offered as buttons by /start.
var Examples = []string{"2024年GDP增长目标是多少?", "渝中发展面临哪些困难和挑战?", "渝中有多少人才?"}

// Ask answers a question: the answer and the first page of passages with
// 👍/👎 and, when there are more, "更多结果"; or an honest "not covered";
// or help for a message with nothing to search for.
func (s *Service) Ask(ctx context.Context, chat Chat, question string) (Reply, error) {
	if r, ok := s.answerFigures(ctx, chat, question); ok {
		return r, nil // a comparison of figures, or what is new (figures.go)
	}
	ans, err := s.Answerer.Answer(ctx, question, CachedPassages)
	if errors.Is(err, retrieval.ErrNoQuestion) {
		r := s.NothingToAsk(chat)
		r.Outcome = "no_question"
		return r, nil
	}
	if err != nil {
		return Reply{}, err
	}
	s.record(ctx, chat, ans)
	if !ans.Covered {
		html := render.NotCovered(question, s.Corpus())
		if why := render.OutOfScope(ans.Result, s.Corpus()); why != "" {
			html = render.Escape(render.NotCoveredSentence(question, s.Corpus()) + "\n" + why + "\n可以用 /topics 查看报告的各部分。")
		}
		r := reply(html, []Button{{Text: s.Say(chat, "查看报告目录", "Report sections"), Data: dataTopics}})
		r.Outcome, r.Cached = "not_covered", ans.Cached
		return r, nil
	}
	page := *ans.Result
	page.Passages = page.Passages[:min(PageSize, len(page.Passages))]
	r := Reply{Messages: render.Answer(&page, 1), Outcome: "answered", Cached: ans.Cached}
	row := []Button{{Text: "👍", Data: dataUp}, {Text: "👎", Data: dataDown}}
	if len(ans.Passages) > PageSize {
		row = append(row, Button{Text: s.Say(chat, "更多结果", "More results"), Data: moreData(PageSize)})
	}
	r.Buttons = [][]Button{row}
	return r, nil
}

// More shows the passages of question from offset on ("更多结果"). The
// question comes back from the message the answer replied to, so paging
// works after a restart, from the cache or a new search.
func (s *Service) More(ctx context.Context, chat Chat, question string, offset int) (Reply, error) {
	ans, err := s.Answerer.Answer(ctx, question, CachedPassages)
	if err != nil && !errors.Is(err, retrieval.ErrNoQuestion) {
		return Reply{}, err
	}
	if err != nil || !ans.Covered || offset >= len(ans.Passages) {
		return reply(render.Escape(s.Say(chat, "没有更多结果了。", "No more results."))), nil
	}
	page := *ans.Result
	page.Answer = "" // the answer line was in the first reply
	page.Truncated = false
	page.Passages = page.Passages[offset:min(offset+PageSize, len(page.Passages))]
	r := Reply{Messages: render.Answer(&page, offset+1)}
	if next := offset + PageSize; next < len(ans.Passages) {
		r.Buttons = [][]Button{{{Text: s.Say(chat, "更多结果", "More results"), Data: moreData(next)}}}
	}
	return r, nil
}

// record counts the question in the chat's statistics; a store failure is
// logged, never shown: the answer matters more than the count.
func (s *Service) record(ctx context.Context, chat Chat, ans *Answer) {
	var sections []string
	for _, p := range ans.Passages[:min(PageSize, len(ans.Passages))] {
		sections = append(sections, p.Section)
	}
	err := s.Store.RecordQuestion(ctx, chat.ID, s.Day(s.now()), store.QuestionRecord{Question: ans.Question, Covered: ans.Covered, Sections: sections})
	if err != nil {
		s.log().Debug("question not counted", "chat", chat.ID, "err", err)
	}
	attrs := []any{"chat", chat.ID, "covered", ans.Covered, "cached", ans.Cached, "coverage", fmt.Sprintf("%.2f", ans.Coverage)}
	if s.LogQuestions {
		attrs = append(attrs, "question", ans.Question)
	}
	s.log().Info("question answered", attrs...)
}

// Feedback records voter's 👍 or 👎 for the answer in message answerID,
// once per voter, and returns the callback's notice.
func (s *Service) Feedback(ctx context.Context, chat Chat, answerID int, voter int64, up bool) string {
	counted, err := s.Store.RecordFeedback(ctx, chat.ID, s.Day(s.now()), strconv.Itoa(answerID), voter, up)
	if err != nil {
		return s.Say(chat, "暂时无法记录反馈，请稍后再试。", "Feedback could not be saved now; please try again later.")
	}
	if !counted {
		return s.Say(chat, "你已经评价过这条回答了。", "You have already rated this answer.")
	}
	if up {
		return s.Say(chat, "谢谢！已记录 👍", "Thanks! Noted 👍")
	}
	return s.Say(chat, "谢谢反馈，我们会改进。", "Thanks, we will improve.")
}

// NothingToAsk answers a message with no words to search for.
func (s *Service) NothingToAsk(chat Chat) Reply {
	return reply(render.Escape(s.Say(chat,
		"没有看到可以检索的文字。请用文字提问，例如：“2024年GDP增长目标是多少？”",
		"There are no words to search for. Ask in words, e.g. “2024年GDP增长目标是多少？”")))
}

// Failed answers a question that could not be answered for a reason of
// the bot's own.
func (s *Service) Failed(chat Chat) Reply {
	return reply(render.Escape(s.Say(chat,
		"抱歉，暂时无法回答，请稍后再试。",
		"Sorry, I cannot answer right now; please try again later.")))
}

// NotText answers a sticker, photo, voice message or other media.
func (s *Service) NotText(chat Chat) Reply {
	return reply(render.Escape(s.Say(chat,
		"我只能回答文字问题。请把问题用文字发给我，例如：“渝中有多少人才？”",
		"I can only answer questions in text. Please type your question.")))
}

// UnknownCommand answers a command the bot does not have.
func (s *Service) UnknownCommand(chat Chat, cmd string) Reply {
	return reply(render.Escape(s.Say(chat,
		fmt.Sprintf("没有 %s 这个命令。可用命令见 /help，也可以直接提问。", render.Clip(cmd, 32)),
		fmt.Sprintf("There is no %s command. See /help, or just ask a question.", render.Clip(cmd, 32)))))
}

// RateLimited tells a user once that they are asking too fast.
func (s *Service) RateLimited(chat Chat, retry time.Duration) Reply {
	secs := int(retry.Round(time.Second) / time.Second)
	return reply(render.Escape(s.Say(chat,
		fmt.Sprintf("提问太快了，请 %d 秒后再问。", max(secs, 1)),
		fmt.Sprintf("You are asking too fast; please wait %d seconds.", max(secs, 1)))))
}

// Start greets, with example questions as buttons; a deep-link payload
// (/start <payload>, base64url for Chinese) is asked as a question.
func (s *Service) Start(ctx context.Context, chat Chat, payload string) (Reply, error) {
	if q := DecodePayload(payload); q != "" {
		return s.Ask(ctx, chat, q)
	}
	r := s.report()
	text := s.Say(chat,
		fmt.Sprintf("你好！我用《%s》的原文回答问题，并注明出处。直接发问题给我，或点下面的例子：", r.Title),
		fmt.Sprintf("Hello! I answer questions by quoting 《%s》 and citing where each passage stands. Send a question, or tap an example:", r.Title))
	var rows [][]Button
	for i, q := range Examples {
		rows = append(rows, []Button{{Text: q, Data: exampleData(i)}})
	}
	return reply(render.Escape(text), rows...), nil
}

// DecodePayload reads a /start payload: base64url of UTF-8 text (Telegram
// allows only A-Z a-z 0-9 _ - in deep links), or the text itself.
func DecodePayload(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return ""
	}
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding} {
		if b, err := enc.DecodeString(p); err == nil && utf8.Valid(b) && len(b) > 0 {
			if s := string(b); strings.IndexFunc(s, func(r rune) bool { return r < ' ' }) < 0 {
				return s
			}
		}
	}
	return p
}

// EncodePayload makes a /start deep-link payload for a question.
func EncodePayload(q string) string { return base64.RawURLEncoding.EncodeToString([]byte(q)) }

// Example returns example question i.
func Example(i int) (string, bool) {
	if i < 0 || i >= len(Examples) {
		return "", false
	}
	return Examples[i], true
}

// Help explains how to use the bot, listing the commands of Commands
// that have a help line.
func (s *Service) Help(chat Chat) Reply {
	zh := "<b>怎么用</b>\n" +
		"直接发问题，我会引用报告原文回答并注明出处（报告 · 部分 · 第几段）。\n" +
		"在群里：用 /ask 问题、@我 问题，或回复我的消息。\n\n" +
		"%s\n\n" +
		"也可以在任何聊天里输入 @机器人名 问题 使用行内搜索。"
	en := "<b>How to use</b>\n" +
		"Send a question; I answer by quoting the report and citing where each passage stands.\n" +
		"In groups: /ask question, mention me, or reply to my message.\n\n" +
		"%s\n\n" +
		"Inline: type @botname question in any chat."
	return reply(fmt.Sprintf(s.Say(chat, zh, en), render.Escape(s.helpLines(chat))))
}

// About describes the loaded reports.
func (s *Service) About(chat Chat) Reply {
	c := s.Corpus()
	var b strings.Builder
	for _, r := range c.Reports {
		fmt.Fprintf(&b, "<b>《%s》</b>\n", render.Escape(r.Title))
		if r.Date != "" {
			fmt.Fprintf(&b, "%s\n", render.Escape(r.Date))
		}
		for _, sec := range r.Sections {
			fmt.Fprintf(&b, "· %s（%d段）\n", render.Escape(sec.Title), len(sec.Paragraphs))
		}
		fmt.Fprintf(&b, s.Say(chat, "共 %d 段\n\n", "%d paragraphs\n\n"), len(r.Paragraphs))
	}
	fmt.Fprintf(&b, s.Say(chat, "语料版本 <code>%s</code>", "Corpus version <code>%s</code>"), c.Version)
	return reply(b.String())
}

// Topics lists the report's sections as buttons.
func (s *Service) Topics(chat Chat) Reply {
	var rows [][]Button
	for ri, r := range s.Corpus().Reports {
		for si, sec := range r.Sections {
			title := sec.Title
			if len(s.Corpus().Reports) > 1 {
				title = r.Title + " · " + title
			}
			rows = append(rows, []Button{{Text: render.Clip(title, 60), Data: sectionData(ri, si, 0)}})
		}
	}
	return reply(render.Escape(s.Say(chat, "报告各部分（点按查看原文）：", "The report's sections (tap to read):")), rows...)
}

// sectionPage is how many paragraphs one page of a section shows.
const sectionPage = 2

// Section shows page of section si of report ri, paragraph by paragraph,
// with buttons to page through it.
func (s *Service) Section(chat Chat, ri, si, page int) Reply {
	c := s.Corpus()
	if ri < 0 || ri >= len(c.Reports) || si < 0 || si >= len(c.Reports[ri].Sections) {
		return reply(render.Escape(s.Say(chat, "这个部分已不存在（报告可能已更新），请重新打开 /topics。", "That section is gone (the report may have changed); open /topics again.")))
	}
	sec := c.Reports[ri].Sections[si]
	pages := max(1, (len(sec.Paragraphs)+sectionPage-1)/sectionPage)
	page = min(max(page, 0), pages-1)
	var msgs []string
	for _, p := range sec.Paragraphs[page*sectionPage : min((page+1)*sectionPage, len(sec.Paragraphs))] {
		msgs = append(msgs, render.Passage(render.PassageOf(p)))
	}
	if len(msgs) == 0 {
		msgs = []string{render.Escape(sec.Title)}
	}
	var row []Button
	if page > 0 {
		row = append(row, Button{Text: s.Say(chat, "上一页", "Previous"), Data: sectionData(ri, si, page-1)})
	}
	row = append(row, Button{Text: fmt.Sprintf("%d/%d", page+1, pages), Data: dataTopics})
	if page+1 < pages {
		row = append(row, Button{Text: s.Say(chat, "下一页", "Next"), Data: sectionData(ri, si, page+1)})
	}
	return Reply{Messages: msgs, Buttons: [][]Button{row}}
}

// InlinePage is how many sections one inline answer lists, and
// inlinePassages how many passages: a question's (up to CachedPassages)
// passages then come in two pages, the second by next_offset.
const (
	InlinePage     = 10
	inlinePassages = 5
)

// Inline answers an inline query: passages as articles (title the
// citation, description the answer sentence, message the quoted passage),
// InlinePage at a time from offset; next is the next offset, or "" at the
// end. An empty query lists the report's sections.
func (s *Service) Inline(ctx context.Context, query string, offset int) (results []InlineResult, next string, err error) {
	if strings.TrimSpace(query) == "" {
		return s.inlineSections(offset)
	}
	ans, err := s.Answerer.Answer(ctx, query, CachedPassages)
	if errors.Is(err, retrieval.ErrNoQuestion) {
		return s.inlineSections(offset)
	}
	if err != nil {
		return nil, "", err
	}
	if !ans.Covered {
		if offset > 0 {
			return nil, "", nil
		}
		// Say so, rather than show an empty list the user cannot read.
		html := render.NotCovered(query, s.Corpus())
		if why := render.OutOfScope(ans.Result, s.Corpus()); why != "" {
			html = render.Escape(render.NotCoveredSentence(query, s.Corpus()) + "\n" + why)
		}
		return []InlineResult{{ID: "not-covered", Title: "报告没有谈到这个问题", Description: render.PlainText(html), HTML: html}}, "", nil
	}
	for i := offset; i < len(ans.Passages) && len(results) < inlinePassages; i++ {
		p := ans.Passages[i]
		results = append(results, InlineResult{
			ID:          fmt.Sprintf("%s:%d", p.ReportID, p.Paragraph),
			Title:       render.Citation(p),
			Description: render.Clip(p.AnswerText(), 120),
			HTML:        render.Passage(p),
		})
	}
	if end := offset + len(results); end < len(ans.Passages) {
		next = strconv.Itoa(end)
	}
	return results, next, nil
}

func (s *Service) inlineSections(offset int) ([]InlineResult, string, error) {
	var all []InlineResult
	for _, r := range s.Corpus().Reports {
		for si, sec := range r.Sections {
			if len(sec.Paragraphs) == 0 {
				continue
			}
			p := render.PassageOf(sec.Paragraphs[0])
			all = append(all, InlineResult{
				ID:          fmt.Sprintf("%s:s%d", r.ID, si),
				Title:       sec.Title,
				Description: render.Clip(p.Text, 120),
				HTML:        render.Passage(p),
			})
		}
	}
	if offset >= len(all) {
		return nil, "", nil
	}
	end := min(offset+InlinePage, len(all))
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return all[offset:end], next, nil
}

func (s *Service) report() *data.Report { return s.Corpus().Reports[0] }

// Say picks the user's language: English for "en…", Chinese otherwise.
func (s *Service) Say(chat Chat, zh, en string) string {
	if chat.english() {
		return en
	}
	return zh
}
