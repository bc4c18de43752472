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
	"reportbot/digest"
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
	// Admin says the user administers the group (only asked where it
	// matters: /help lists the administrators' commands to them).
	Admin bool
}

func (c Chat) english() bool { return strings.HasPrefix(strings.ToLower(c.Lang), "en") }

// Button is an inline keyboard button. It does one thing: sends callback
// Data (≤ 64 bytes, see callbacks.go), opens URL, or, with Inline, starts
// inline mode in this chat with Query typed after the bot's name.
type Button struct {
	Text   string
	Data   string
	URL    string
	Inline bool
	Query  string
}

// Reply is what the bot says: HTML messages (each within Telegram's 4096
// characters), and buttons under the last one.
type Reply struct {
	Messages []string
	Buttons  [][]Button
	// Prompt asks the user to reply to the (last) message: their app
	// opens a reply with Prompt in the input field.
	Prompt string
	// Reaction is an emoji set on the message answered; with no Messages
	// it is the whole reply (a 👌 to "好的").
	Reaction string
	// Outcome of a question, for metrics: "answered", "not_covered" or
	// "no_question"; "" for other replies. Cached says the answer came
	// from the cache.
	Outcome string
	Cached  bool
}

func reply(html string, buttons ...[]Button) Reply {
	return Reply{Messages: []string{html}, Buttons: buttons}
}

// Empty says the reply says nothing at all: silence.
func (r Reply) Empty() bool { return len(r.Messages) == 0 && r.Reaction == "" }

// Service is the bot's behaviour: it answers questions, shows the report's
// parts and records statistics, and says everything in words a user
// understands. The Telegram adapter (bot/) decides when to call it and
// delivers its replies.
type Service struct {
	Answerer *Answerer
	// Store keeps subscriptions, statistics and the reasons for 👎.
	Store interface {
		store.Subscriptions
		store.Stats
		store.Complaints
	}
	Log *slog.Logger
	// Now and TZ give the day that statistics are counted in.
	Now func() time.Time
	TZ  *time.Location
	// LogQuestions logs question text at info level.
	LogQuestions bool
	// SmallTalk tells questions from small talk (DefaultSmallTalk when
	// nil).
	SmallTalk *SmallTalk
	// Bot is the bot's username, without "@", for /help and the links
	// back to the bot; the transport sets it once it knows.
	Bot string
	// Figures are the key figures of the corpus (figures.Extract), for
	// /figures, /new and comparison questions; nil leaves them out.
	Figures *figures.Set
	// CurrentFigures, when set, gives the figures of the reports served
	// now, which a reload replaces; Figures is then the fallback.
	CurrentFigures func() *figures.Set
}

// Corpus is the reports the service answers from.
func (s *Service) Corpus() *data.Corpus {
	ix, release := s.Answerer.Index.Acquire()
	defer release()
	return ix.Corpus()
}

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

// style is how answers are written for chat.
func (s *Service) style(chat Chat) render.Style {
	return render.Style{Corpus: s.Corpus(), English: chat.english()}
}

// Examples are questions offered as buttons by /start.
var Examples = []string{"2024年GDP增长目标是多少?", "渝中发展面临哪些困难和挑战?", "渝中有多少人才?"}

// Reactions the bot sets instead of writing.
const reactionOK = "👌"

// Ask answers a message addressed to the bot. A question gets the answer
// and the first page of passages with 👍/👎 and, when there are more,
// "更多结果"; or an honest "not covered". Small talk is not searched: in
// a group it gets a 👌 on the message and nothing else; in private, a
// greeting gets the /start greeting, thanks a line, an acknowledgement
// the 👌. Chatter (no word of it in the reports) gets silence in a group
// and, in private, what a search would have said: nothing found. A
// message with nothing to search for gets help.
func (s *Service) Ask(ctx context.Context, chat Chat, text string) (Reply, error) {
	if r, ok := s.answerFigures(ctx, chat, text); ok {
		return r, nil // a comparison of figures, or what is new (figures.go)
	}
	switch s.Intent(text) {
	case IntentGreeting:
		if chat.Group {
			return Reply{Reaction: reactionOK}, nil
		}
		return s.greeting(chat), nil
	case IntentThanks:
		if chat.Group {
			return Reply{Reaction: reactionOK}, nil
		}
		return reply(render.Escape(s.Say(chat, "不客气！还有问题随时问我。", "You're welcome! Ask me anything else any time."))), nil
	case IntentAck:
		return Reply{Reaction: reactionOK}, nil
	case IntentChatter:
		if chat.Group {
			return Reply{}, nil
		}
		// Not one word of it is in the reports: nothing was found, which
		// is what a search would have said.
		r := s.notCovered(chat, nil)
		r.Outcome = "no_question"
		return r, nil
	case IntentNothing:
		r := s.NothingToAsk(chat)
		r.Outcome = "no_question"
		return r, nil
	}
	return s.answer(ctx, chat, text)
}

// answer searches a question and replies with its first page.
func (s *Service) answer(ctx context.Context, chat Chat, question string) (Reply, error) {
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
		r := s.notCovered(chat, ans.Result)
		r.Outcome, r.Cached = "not_covered", ans.Cached
		return r, nil
	}
	r := s.page(chat, ans, 0)
	r.Outcome, r.Cached = "answered", ans.Cached
	return r, nil
}

// notCovered says what was searched and found nothing (or that the time
// or place res names is in no loaded report), with the way to the
// report's sections.
func (s *Service) notCovered(chat Chat, res *retrieval.Result) Reply {
	return reply(s.style(chat).NotCovered(res), []Button{{Text: s.Say(chat, "查看报告目录", "Report sections"), Data: dataTopics}})
}

// page is the reply showing the passages of ans from offset: the answer
// sentence on the first page only; 👍/👎; and buttons to page back and on,
// the last page having none to go on ("第4–5条，共5条" says it is all).
func (s *Service) page(chat Chat, ans *Answer, offset int) Reply {
	page := *ans.Result
	if offset > 0 {
		page.Answer = "" // the answer belongs to the first page
		page.Truncated = false
	}
	page.Passages = page.Passages[offset:min(offset+PageSize, len(page.Passages))]
	total := 0
	if len(ans.Passages) > PageSize {
		total = len(ans.Passages)
	}
	r := Reply{Messages: s.style(chat).Page(&page, offset+1, total)}
	row := []Button{{Text: "👍", Data: dataUp}, {Text: "👎", Data: dataDown}}
	if offset > 0 {
		row = append(row, Button{Text: s.Say(chat, "‹ 上一页", "‹ Back"), Data: moreData(max(offset-PageSize, 0))})
	}
	if next := offset + PageSize; next < len(ans.Passages) {
		row = append(row, Button{Text: s.Say(chat, "更多结果", "More results"), Data: moreData(next)})
	}
	r.Buttons = [][]Button{row}
	return r
}

// More shows the page of question's passages from offset ("更多结果",
// "上一页"), to replace the answer's message in place. The question comes
// back from the message the answer replied to, so paging works after a
// restart, from the cache or a new search. It is not counted as a
// question again.
func (s *Service) More(ctx context.Context, chat Chat, question string, offset int) (Reply, error) {
	ans, err := s.Answerer.Answer(ctx, question, CachedPassages)
	if err != nil && !errors.Is(err, retrieval.ErrNoQuestion) {
		return Reply{}, err
	}
	if err != nil || !ans.Covered || offset >= len(ans.Passages) {
		return reply(render.Escape(s.Say(chat, "没有更多结果了。", "No more results."))), nil
	}
	return s.page(chat, ans, offset), nil
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
// once per voter, and returns the callback's notice. A 👎 that counted
// asks why: Why reports it so, and the answer's buttons then offer the
// reasons (WhyButtons).
func (s *Service) Feedback(ctx context.Context, chat Chat, answerID int, voter int64, up bool) (notice string, why bool) {
	counted, err := s.Store.RecordFeedback(ctx, chat.ID, s.Day(s.now()), strconv.Itoa(answerID), voter, up)
	if err != nil {
		return s.Say(chat, "暂时无法记录反馈，请稍后再试。", "Feedback could not be saved now; please try again later."), false
	}
	if !counted {
		return s.Say(chat, "你已经评价过这条回答了。", "You have already rated this answer."), false
	}
	if up {
		return s.Say(chat, "谢谢！已记录 👍", "Thanks! Noted 👍"), false
	}
	return s.Say(chat, "谢谢反馈！哪里不好？请点下面的原因。", "Thanks! What was wrong? Tap a reason below."), true
}

// WhyButtons are the reasons a 👎 can give, as a row of buttons.
func (s *Service) WhyButtons(chat Chat) []Button {
	row := make([]Button, 0, len(digest.Reasons))
	for i, r := range digest.Reasons {
		row = append(row, Button{Text: s.Say(chat, r.Zh, r.En), Data: whyData(i)})
	}
	return row
}

// Why records the reason (index i of digest.Reasons) voter gives for a 👎 of the
// answer in message answerID to question, and returns the callback's
// notice. A reason is also a 👎: one who taps a reason without having
// voted has voted 👎.
func (s *Service) Why(ctx context.Context, chat Chat, answerID int, voter int64, i int, question string) string {
	if i < 0 || i >= len(digest.Reasons) {
		return s.Say(chat, "这个按钮已过期。", "This button has expired.")
	}
	day, id := s.Day(s.now()), strconv.Itoa(answerID)
	if _, err := s.Store.RecordFeedback(ctx, chat.ID, day, id, voter, false); err != nil {
		return s.Say(chat, "暂时无法记录反馈，请稍后再试。", "Feedback could not be saved now; please try again later.")
	}
	counted, err := s.Store.RecordComplaint(ctx, chat.ID, day, id, voter, store.Complaint{Reason: digest.Reasons[i].Code, Question: question})
	switch {
	case err != nil:
		return s.Say(chat, "暂时无法记录反馈，请稍后再试。", "Feedback could not be saved now; please try again later.")
	case !counted:
		return s.Say(chat, "你已经说过原因了，谢谢！", "You already told us why. Thanks!")
	}
	return s.Say(chat, "已记录："+digest.Reasons[i].Zh+"。谢谢，我们会改进。", "Noted: "+digest.Reasons[i].En+". Thanks, we will improve.")
}

// NothingToAsk answers a message with no words to search for.
func (s *Service) NothingToAsk(chat Chat) Reply {
	return reply(render.Escape(s.Say(chat,
		"没有看到可以检索的文字。请用文字提问，例如：“2024年GDP增长目标是多少？”",
		"There are no words to search for. Ask in words, e.g. “2024年GDP增长目标是多少？”")))
}

// AskPrompt answers a bare /ask (tapped in the menu): it asks for the
// question as a reply, with an example in the input field.
func (s *Service) AskPrompt(chat Chat) Reply {
	r := reply(render.Escape(s.Say(chat,
		"请直接回复这条消息，用文字写下你的问题。",
		"Reply to this message with your question, in words.")))
	r.Prompt = s.Say(chat, "输入问题，如：GDP增长目标", "Your question, e.g. GDP growth target")
	return r
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

// maxPayload is the longest deep-link payload Telegram takes.
const maxPayload = 64

// EncodePayload makes a /start deep-link payload for a question: its
// start, as much as fits Telegram's 64 characters.
func EncodePayload(q string) string {
	r := []rune(q)
	for n := len(r); n > 0; n-- {
		if p := base64.RawURLEncoding.EncodeToString([]byte(string(r[:n]))); len(p) <= maxPayload {
			return p
		}
	}
	return ""
}

// Example returns example question i.
func Example(i int) (string, bool) {
	if i < 0 || i >= len(Examples) {
		return "", false
	}
	return Examples[i], true
}

// Say picks the user's language: English for "en…", Chinese otherwise.
func (s *Service) Say(chat Chat, zh, en string) string {
	if chat.english() {
		return en
	}
	return zh
}
