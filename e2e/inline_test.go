package e2e

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
}

// inline pushes an inline query and returns the bot's answer and its
// results.
func inline(t *testing.T, srv *telegramtest.Server, user int64, query, offset string) (telegramtest.Request, []inlineResult) {
	t.Helper()
	ctx := timeout(t, 15*time.Second)
	u := srv.Inline(user, query, offset)
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

	_, res := inline(t, srv, 5001, gdpQuestion, "")
	if len(res) == 0 {
		t.Fatal("no results for the GDP question")
	}
	if res[0].Title != gdpCitation {
		t.Errorf("first title %q, want the citation %q", res[0].Title, gdpCitation)
	}
	for _, x := range res {
		if !strings.HasPrefix(x.Title, "《") || !strings.Contains(x.Title, "段") {
			t.Errorf("title %q is not a citation", x.Title)
		}
	}
	if !strings.Contains(res[0].Desc, gdpTarget) || !strings.Contains(res[0].Content.Text, "<blockquote") || !strings.Contains(res[0].Content.Text, gdpCitation) {
		t.Errorf("first result: description %q, message %q", res[0].Desc, clip(res[0].Content.Text, 200))
	}

	// A topic with many passages: ten at most, each a citation.
	_, many := inline(t, srv, 5002, "大熊猫保护工作有哪些成果", "")
	if len(many) < 4 {
		t.Errorf("%d results for a question with many matching passages", len(many))
	}
	for _, x := range many {
		if !strings.HasPrefix(x.Title, "《熊猫谷2024年大熊猫保护工作报告》· ") {
			t.Errorf("title %q is not a citation of the panda report", x.Title)
		}
	}

	// Nothing to search for, and not covered: an empty, valid answer.
	inline(t, srv, 5003, "？？？", "")
	inline(t, srv, 5003, "火锅底料配方", "")

	// The empty query lists the sections (2 + 12), ten to a page.
	r, page1 := inline(t, srv, 5004, "", "")
	next := r.String("next_offset")
	if len(page1) != 10 || next == "" {
		t.Fatalf("first page of sections: %d results, next_offset %q; want 10 and a next page", len(page1), next)
	}
	seen := map[string]bool{}
	var titles []string
	for _, x := range page1 {
		seen[x.ID] = true
		titles = append(titles, x.Title)
	}
	if !slices.Contains(titles, "二、2024年工作安排") {
		t.Errorf("section titles %q lack 二、2024年工作安排", titles)
	}
	r, page2 := inline(t, srv, 5004, "", next)
	if len(page2) != 4 || r.String("next_offset") != "" {
		t.Errorf("second page: %d results, next_offset %q; want the last 4 and no next page", len(page2), r.String("next_offset"))
	}
	for _, x := range page2 {
		if seen[x.ID] {
			t.Errorf("result %s (%s) on both pages", x.ID, x.Title)
		}
	}
	p.stop()
}
