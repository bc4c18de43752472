package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"reportbot/retrieval/retrievaltest"
	"reportbot/store"
	"reportbot/telegramtest"
)

func testService(t *testing.T) *Service {
	mem := store.NewMemory(store.MemoryOptions{})
	return &Service{Answerer: &Answerer{Index: retrievaltest.Index(t, nil), Store: mem, TTL: time.Hour}, Store: mem, TZ: time.UTC}
}

func validHTML(t *testing.T, what string, msgs ...string) {
	t.Helper()
	for _, m := range msgs {
		if _, err := telegramtest.ValidateHTML(m); err != nil {
			t.Errorf("%s: %v\n%s", what, err, m)
		}
	}
}

func TestAskReplies(t *testing.T) {
	s := testService(t)
	ctx := context.Background()
	r, err := s.Ask(ctx, Chat{ID: 1}, "2024年GDP增长目标是多少?")
	if err != nil || r.Outcome != "answered" || len(r.Messages) == 0 || !strings.Contains(r.Messages[0], "地区生产总值增长6%左右") {
		t.Fatalf("answer: %+v %v", r, err)
	}
	validHTML(t, "answer", r.Messages...)
	if len(r.Buttons) != 1 || r.Buttons[0][0].Data != dataUp || r.Buttons[0][1].Data != dataDown {
		t.Errorf("buttons %+v: want 👍 👎", r.Buttons)
	}
	r, _ = s.Ask(ctx, Chat{ID: 1}, "明天重庆天气怎么样?")
	if r.Outcome != "not_covered" || !strings.Contains(r.Messages[0], "/topics") {
		t.Errorf("not covered: %+v", r)
	}
	r, _ = s.Ask(ctx, Chat{ID: 1, Lang: "en"}, "？？？")
	if r.Outcome != "no_question" || !strings.Contains(r.Messages[0], "no words to search") {
		t.Errorf("nothing to ask, English: %+v", r)
	}
	st, _ := s.Store.Stats(ctx, 1, s.Day(time.Now()))
	if st.Questions != 2 || len(st.Uncovered) != 1 {
		t.Errorf("stats %+v: want 2 questions, 1 uncovered", st)
	}
}

func TestStartDeepLink(t *testing.T) {
	s := testService(t)
	r, err := s.Start(context.Background(), Chat{ID: 2}, EncodePayload("渝中有多少人才?"))
	if err != nil || !strings.Contains(strings.Join(r.Messages, ""), "23万人才") {
		t.Fatalf("deep link: %+v %v", r, err)
	}
	r, _ = s.Start(context.Background(), Chat{ID: 2}, "")
	if len(r.Buttons) != len(Examples) {
		t.Errorf("greeting has %d example buttons, want %d", len(r.Buttons), len(Examples))
	}
	for _, row := range r.Buttons {
		if len(row[0].Data) > 64 {
			t.Errorf("callback data %q over 64 bytes", row[0].Data)
		}
	}
}

func TestInlineResults(t *testing.T) {
	s := testService(t)
	ctx := context.Background()
	res, _, err := s.Inline(ctx, "2024年GDP增长目标", 0)
	if err != nil || len(res) == 0 || !strings.HasPrefix(res[0].Title, "《重庆市渝中区人民政府工作报告》") {
		t.Fatalf("inline answer: %+v %v", res, err)
	}
	res, _, _ = s.Inline(ctx, "推荐一家火锅店", 0)
	if len(res) != 1 || res[0].ID != "not-covered" {
		t.Errorf("not covered inline: %+v", res)
	}
	validHTML(t, "inline not covered", res[0].HTML)
	res, _, _ = s.Inline(ctx, "", 0)
	if len(res) == 0 {
		t.Error("empty inline query lists no sections")
	}
}

func TestSectionPages(t *testing.T) {
	s := testService(t)
	r := s.Section(Chat{}, 0, 1, 0) // 二、2024年工作安排: 5 paragraphs
	validHTML(t, "section page", r.Messages...)
	if len(r.Messages) != sectionPage {
		t.Errorf("page 1 has %d paragraphs, want %d", len(r.Messages), sectionPage)
	}
	if last := r.Buttons[0][len(r.Buttons[0])-1]; ParseCallback(last.Data).Kind != CallbackSection || ParseCallback(last.Data).Page != 1 {
		t.Errorf("no next-page button: %+v", r.Buttons)
	}
	if r := s.Section(Chat{}, 9, 9, 0); !strings.Contains(r.Messages[0], "/topics") {
		t.Errorf("a stale section button: %+v", r)
	}
}

func TestParseCallback(t *testing.T) {
	for data, want := range map[string]Callback{
		"m:3":      {Kind: CallbackMore, N: 3},
		"f:1":      {Kind: CallbackFeedback, Up: true},
		"f:0":      {Kind: CallbackFeedback},
		"q:2":      {Kind: CallbackExample, N: 2},
		"t":        {Kind: CallbackTopics},
		"s:0.1.2":  {Kind: CallbackSection, Report: 0, Sect: 1, Page: 2},
		"zzz":      {},
		"m:-1":     {},
		"s:1.2":    {},
		"f:2":      {},
		"m:999999": {Kind: CallbackMore, N: 999999},
	} {
		if got := ParseCallback(data); got != want {
			t.Errorf("ParseCallback(%q) = %+v, want %+v", data, got, want)
		}
	}
}
