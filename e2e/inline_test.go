package e2e

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"reportbot/handlers"
	"reportbot/telegramtest"
)

type inlineResult struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Desc    string `json:"description"`
	Content struct {
		Text      string `json:"message_text"`
		ParseMode string `json:"parse_mode"`
	} `json:"input_message_content"`
	Markup struct {
		InlineKeyboard [][]struct {
			Text string `json:"text"`
			URL  string `json:"url"`
		} `json:"inline_keyboard"`
	} `json:"reply_markup"`
}

// inline pushes an inline query and returns the bot's answer and its
// results.
func inline(t *testing.T, srv *telegramtest.Server, user int64, query, offset string, opts ...telegramtest.MessageOption) (telegramtest.Request, []inlineResult) {
	t.Helper()
	ctx := timeout(t, 15*time.Second)
	u := srv.Inline(user, query, offset, opts...)
	srv.PushUpdate(u)
	r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		return strings.EqualFold(r.Method, "answerInlineQuery") && r.String("inline_query_id") == u.InlineQuery.ID
	})
	if err != nil {
		t.Fatalf("inline query %q (offset %q) not answered: %v", query, offset, err)
	}
	if !r.OK() {
		t.Fatalf("answerInlineQuery refused: %d %s", r.ErrorCode, r.Description)
	}
	raw, _ := json.Marshal(r.Object("results"))
	var res []inlineResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("results %s: %v", raw, err)
	}
	if len(res) > 10 {
		t.Errorf("%d results, want at most 10", len(res))
	}
	if r.Int("cache_time") <= 0 {
		t.Errorf("cache_time = %q, want it set", r.String("cache_time"))
	}
	for _, x := range res {
		if x.Content.Text == "" || !strings.EqualFold(x.Content.ParseMode, "HTML") {
			t.Errorf("result %q: message %q in parse mode %q, want HTML text", x.ID, clip(x.Content.Text, 80), x.Content.ParseMode)
		}
	}
	return r, res
}

// reportsDir holds an extra report with 12 sections and many paragraphs
// about one topic, so that answers and section lists have further pages.
func reportsDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "reports"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestInline(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv, "REPORTS_DIR="+reportsDir(t))

	// A result's title tells it from the others, its description cites
	// it; posted, it carries the question, the quote, the citation and a
	// link back to the bot with the question.
	_, res := inline(t, srv, 5001, gdpQuestion, "")
	if len(res) == 0 {
		t.Fatal("no results for the GDP question")
	}
	if res[0].Title != gdpTarget || res[0].Desc != gdpCitation {
		t.Errorf("first result: title %q, description %q; want %q and the citation %q", res[0].Title, res[0].Desc, gdpTarget, gdpCitation)
	}
	msg := res[0].Content.Text
	if !strings.HasPrefix(msg, "❓ "+gdpQuestion+"\n<blockquote") || !strings.Contains(msg, "<b>"+gdpTarget+"</b>") || !strings.HasSuffix(msg, gdpCitation) {
		t.Errorf("first result's message %q", clip(msg, 300))
	}
	kb := res[0].Markup.InlineKeyboard
	if len(kb) != 1 || len(kb[0]) != 1 || !strings.HasPrefix(kb[0][0].URL, "https://t.me/"+botName+"?start=") {
		t.Fatalf("no button back to the bot: %+v", kb)
	}
	if q := handlers.DecodePayload(strings.TrimPrefix(kb[0][0].URL, "https://t.me/"+botName+"?start=")); q != gdpQuestion {
		t.Errorf("the link back asks %q, want the question", q)
	}
	titles := map[string]bool{}
	for _, x := range res {
		if titles[x.Title] {
			t.Errorf("two results titled %q", x.Title)
		}
		titles[x.Title] = true
		if !strings.HasPrefix(x.Desc, "《") || !strings.Contains(x.Desc, "段") {
			t.Errorf("description %q is not a citation", x.Desc)
		}
	}

	// A topic with many passages: ten at most, each titled apart.
	_, many := inline(t, srv, 5002, "大熊猫保护工作有哪些成果", "")
	if len(many) < 4 {
		t.Errorf("%d results for a question with many matching passages", len(many))
	}
	seen := map[string]bool{}
	for _, x := range many {
		if seen[x.Title] || !strings.HasPrefix(x.Desc, "《熊猫谷2024年大熊猫保护工作报告》") {
			t.Errorf("result %q (%q): titles must differ and cite the panda report", x.Title, x.Desc)
		}
		seen[x.Title] = true
	}

	// Nothing to search for: the sections. Not covered: nothing to post
	// into someone's chat, a button to the bot that explains instead.
	inline(t, srv, 5003, "？？？", "")
	r, none := inline(t, srv, 5003, "火锅底料配方", "")
	btn, _ := r.Object("button").(map[string]any)
	if len(none) != 0 || btn == nil {
		t.Fatalf("not covered: %d results, button %v; want none and a button", len(none), r.Object("button"))
	}
	if start, _ := btn["start_parameter"].(string); handlers.DecodePayload(start) != "火锅底料配方" || !strings.Contains(btn["text"].(string), "没有找到") {
		t.Errorf("not-covered button %v", btn)
	}
	// The button opens the bot with the question: it explains there.
	start := srv.PrivateText(5003, "/start "+btn["start_parameter"].(string))
	srv.PushUpdate(start)
	ctx := timeout(t, 15*time.Second)
	if text := result(t, waitReply(t, ctx, srv, 5003, start.Message.MessageID)).Text; !strings.Contains(text, "没有找到") {
		t.Errorf("the bot, opened from the button, says %q", text)
	}
	// In English for English users.
	r, _ = inline(t, srv, 5005, "火锅底料配方", "", telegramtest.Language("en"))
	if btn, _ := r.Object("button").(map[string]any); btn == nil || !strings.Contains(btn["text"].(string), "Not in the report") {
		t.Errorf("English not-covered button %v", r.Object("button"))
	}

	// The empty query lists the sections (2 + 12), ten to a page.
	r, page1 := inline(t, srv, 5004, "", "")
	next := r.String("next_offset")
	if len(page1) != 10 || next == "" {
		t.Fatalf("first page of sections: %d results, next_offset %q; want 10 and a next page", len(page1), next)
	}
	ids := map[string]bool{}
	var sections []string
	for _, x := range page1 {
		ids[x.ID] = true
		sections = append(sections, x.Title)
	}
	if !slices.Contains(sections, "二、2024年工作安排") {
		t.Errorf("section titles %q lack 二、2024年工作安排", sections)
	}
	r, page2 := inline(t, srv, 5004, "", next)
	if len(page2) != 4 || r.String("next_offset") != "" {
		t.Errorf("second page: %d results, next_offset %q; want the last 4 and no next page", len(page2), r.String("next_offset"))
	}
	for _, x := range page2 {
		if ids[x.ID] {
			t.Errorf("result %s (%s) on both pages", x.ID, x.Title)
		}
	}
	p.stop()
}
