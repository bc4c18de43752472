package handlers

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"reportbot/data"
	"reportbot/digest"
	"reportbot/retrieval/retrievaltest"
	"reportbot/store"
)

func TestIntent(t *testing.T) {
	s := testService(t)
	for text, want := range map[string]Intent{
		"好的":               IntentAck,
		"好":                IntentAck,
		"没问题":              IntentAck,
		"收到。":              IntentAck,
		"OK":               IntentAck,
		"👍":                IntentAck,
		"收到，谢谢":            IntentThanks,
		"谢谢！":              IntentThanks,
		"Thank you!":       IntentThanks,
		"多謝":               IntentThanks, // traditional characters
		"你好":               IntentGreeting,
		"你好呀～":             IntentGreeting,
		"早上好，谢谢":           IntentGreeting,
		"2024年GDP增长目标是多少?": IntentQuestion,
		"GDP增长目标":          IntentQuestion, // no question word, but the report's words
		"好的，GDP目标呢":        IntentQuestion, // small talk, then a question
		"谢谢，那人才有多少":        IntentQuestion,
		"明天重庆天气怎么样":        IntentQuestion, // a question word: asked, then not covered
		"火星上有水吗？":          IntentQuestion,
		"好多人才":             IntentQuestion,
		"今天天气不错":           IntentChatter,
		"哈哈哈哈哈 我去吃饭了":      IntentChatter,
		"🙂🙂":               IntentNothing,
		"？？？":              IntentNothing,
		"   ":              IntentNothing,
	} {
		if got := s.Intent(text); got != want {
			t.Errorf("Intent(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestSmallTalkIsNotSearched(t *testing.T) {
	s := testService(t)
	ctx := context.Background()
	group, private := Chat{ID: -1, Group: true}, Chat{ID: 1}
	for _, text := range []string{"好的", "收到，谢谢", "你好"} {
		r, err := s.Ask(ctx, group, text)
		if err != nil || len(r.Messages) != 0 || r.Reaction != "👌" || r.Outcome != "" {
			t.Errorf("group %q: %+v %v; want only a 👌", text, r, err)
		}
	}
	if r, _ := s.Ask(ctx, group, "今天天气不错"); !r.Empty() {
		t.Errorf("group chatter: %+v, want silence", r)
	}
	if r, _ := s.Ask(ctx, private, "你好"); len(r.Buttons) != len(Examples) || !strings.Contains(r.Messages[0], "你好！") {
		t.Errorf("private 你好: %+v, want the /start greeting", r)
	}
	if r, _ := s.Ask(ctx, private, "谢谢！"); len(r.Messages) != 1 || !strings.Contains(r.Messages[0], "不客气") {
		t.Errorf("private thanks: %+v", r)
	}
	if r, _ := s.Ask(ctx, Chat{ID: 2, Lang: "en"}, "thanks"); !strings.Contains(r.Messages[0], "welcome") {
		t.Errorf("English thanks: %+v", r)
	}
	if r, _ := s.Ask(ctx, private, "好的"); len(r.Messages) != 0 || r.Reaction != "👌" {
		t.Errorf("private ack: %+v", r)
	}
	if r, _ := s.Ask(ctx, private, "今天天气不错"); r.Outcome != "no_question" || !strings.Contains(r.Messages[0], "没有找到") {
		t.Errorf("private chatter: %+v", r)
	}
	st, _ := s.Store.Stats(ctx, -1, s.Day(time.Now()))
	if st.Questions != 0 {
		t.Errorf("small talk counted as %d questions", st.Questions)
	}
}

func TestAskPromptAndEnglish(t *testing.T) {
	s := testService(t)
	r := s.AskPrompt(Chat{})
	if r.Prompt != "输入问题，如：GDP增长目标" || !strings.Contains(r.Messages[0], "回复") {
		t.Errorf("prompt %+v", r)
	}
	if n := len([]rune(s.AskPrompt(Chat{Lang: "en"}).Prompt)); n > 64 {
		t.Errorf("English placeholder is %d characters, over Telegram's 64", n)
	}
	r, _ = s.Ask(context.Background(), Chat{ID: 3, Lang: "en"}, "火星上有水吗?")
	if r.Outcome != "not_covered" || !strings.Contains(r.Messages[0], "I found nothing") || r.Buttons[0][0].Text != "Report sections" {
		t.Errorf("English not covered: %+v", r)
	}
}

func TestFeedbackReasons(t *testing.T) {
	s := testService(t)
	ctx := context.Background()
	chat := Chat{ID: -5, Group: true}
	if notice, why := s.Feedback(ctx, chat, 10, 1, false); !why || !strings.Contains(notice, "原因") {
		t.Errorf("👎: %q, why %v", notice, why)
	}
	if row := s.WhyButtons(chat); len(row) != len(digest.Reasons) || row[2].Text != "数字不对" || ParseCallback(row[2].Data) != (Callback{Kind: CallbackWhy, N: 2}) {
		t.Errorf("reasons %+v", row)
	}
	if notice := s.Why(ctx, chat, 10, 1, 2, "渝中有多少人才？"); !strings.Contains(notice, "数字不对") {
		t.Errorf("reason: %q", notice)
	}
	if notice := s.Why(ctx, chat, 10, 1, 0, "渝中有多少人才？"); !strings.Contains(notice, "已经") {
		t.Errorf("a second reason from the same voter: %q", notice)
	}
	// A reason from one who did not vote is a 👎 with it.
	s.Why(ctx, chat, 10, 2, 0, "渝中有多少人才？")
	day := s.Day(time.Now())
	st, _ := s.Store.Stats(ctx, chat.ID, day)
	gripes, _ := s.Store.Complaints(ctx, chat.ID, day)
	if st.Down != 2 || gripes.Reasons["figures"] != 1 || gripes.Reasons["irrelevant"] != 1 || len(gripes.Recent) != 2 || gripes.Recent[0].Question != "渝中有多少人才？" {
		t.Errorf("stats %+v, complaints %+v", st, gripes)
	}
	if _, why := s.Feedback(ctx, chat, 11, 1, true); why {
		t.Error("👍 asks why")
	}
}

func TestMorePages(t *testing.T) {
	c, err := data.Load(filepath.Join("..", "e2e", "testdata", "reports"))
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory(store.MemoryOptions{})
	s := &Service{Answerer: &Answerer{Index: retrievaltest.Index(t, c), Store: mem, TTL: time.Hour}, Store: mem, TZ: time.UTC}
	ctx := context.Background()
	q := "大熊猫保护工作有哪些成果"
	first, err := s.Ask(ctx, Chat{ID: 1}, q)
	if err != nil {
		t.Fatal(err)
	}
	ans, _ := s.Answerer.Answer(ctx, q, CachedPassages)
	total := len(ans.Passages)
	more, ok := findButtonData(first.Buttons, "m:")
	if !ok || total <= PageSize {
		t.Fatalf("%d passages, buttons %+v", total, first.Buttons)
	}
	var last Reply
	for offset := ParseCallback(more).N; offset < total; offset += PageSize {
		last, _ = s.More(ctx, Chat{ID: 1}, q, offset)
		validHTML(t, "page", last.Messages...)
		if back, ok := findButtonData(last.Buttons, "m:"); !ok || ParseCallback(back).N != offset-PageSize {
			t.Errorf("page from %d: no way back: %+v", offset, last.Buttons)
		}
		if !strings.Contains(last.Messages[len(last.Messages)-1], "共"+strconv.Itoa(total)+"条") {
			t.Errorf("page from %d does not say how many in all:\n%s", offset, last.Messages)
		}
	}
	// The last page goes on to nothing.
	for _, row := range last.Buttons {
		for _, b := range row {
			if b.Text == "更多结果" {
				t.Errorf("the last page offers more: %+v", last.Buttons)
			}
		}
	}
	st, _ := s.Store.Stats(ctx, 1, s.Day(time.Now()))
	if st.Questions != 1 {
		t.Errorf("paging counted as %d questions", st.Questions)
	}
}

func findButtonData(rows [][]Button, prefix string) (string, bool) {
	for _, row := range rows {
		for _, b := range row {
			if strings.HasPrefix(b.Data, prefix) {
				return b.Data, true
			}
		}
	}
	return "", false
}

func TestHelpInGroups(t *testing.T) {
	s := testService(t)
	s.Bot = "yuzhong_report_bot"
	member := s.Help(Chat{Group: true}).Messages[0]
	admin := s.Help(Chat{Group: true, Admin: true}).Messages[0]
	private := s.Help(Chat{}).Messages[0]
	for _, h := range []string{member, admin, private} {
		validHTML(t, "help", h)
		if !strings.Contains(h, "@yuzhong_report_bot") {
			t.Errorf("help does not name the bot:\n%s", h)
		}
	}
	if strings.Contains(member, "/subscribe") || strings.Contains(member, "/unsubscribe") || !strings.Contains(member, "/settings") {
		t.Errorf("a member's /help lists the administrators' commands, or not /settings:\n%s", member)
	}
	if !strings.Contains(admin, "/subscribe") || !strings.Contains(admin, "/unsubscribe") {
		t.Errorf("an administrator's /help lacks the digest commands:\n%s", admin)
	}
	if !strings.Contains(private, "/digest") || !strings.Contains(private, "/subscribe") || strings.Contains(private, "/start ") {
		t.Errorf("private /help:\n%s", private)
	}
	r := s.Help(Chat{})
	if b := r.Buttons[0][0]; !b.Inline || b.Query == "" {
		t.Errorf("no button to try inline mode: %+v", r.Buttons)
	}
}

func TestDeepLinks(t *testing.T) {
	s := testService(t)
	s.Bot = "yuzhong_report_bot"
	long := strings.Repeat("渝中区数字经济发展", 10)
	for _, q := range []string{"2024年GDP增长目标是多少？", long} {
		p := EncodePayload(q)
		if len(p) > 64 || p == "" || !strings.HasPrefix(q, DecodePayload(p)) {
			t.Errorf("payload of %q: %q (%d) decodes to %q", q, p, len(p), DecodePayload(p))
		}
	}
	if got := s.DeepLink("2024年GDP增长目标是多少？"); !strings.HasPrefix(got, "https://t.me/yuzhong_report_bot?start=") {
		t.Errorf("DeepLink = %q", got)
	}
	if d, sd := s.Description(Chat{}), s.ShortDescription(Chat{}); len([]rune(d)) > 512 || len([]rune(sd)) > 120 || d == "" || sd == "" {
		t.Errorf("descriptions %d and %d characters", len([]rune(d)), len([]rune(sd)))
	}
}
