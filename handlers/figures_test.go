package handlers

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/retrieval/retrievaltest"
	"reportbot/store"
	"reportbot/telegramtest"
)

// figureService is a service over corpus (the embedded report when dir
// is "", else it and dir's reports) with its key figures.
func figureService(t *testing.T, dir string) *Service {
	t.Helper()
	c, err := data.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix := retrievaltest.Index(t, c)
	figs, err := figures.Extract(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory(store.MemoryOptions{})
	return &Service{Answerer: &Answerer{Index: ix, Store: mem, TTL: time.Hour}, Store: mem, TZ: time.UTC, Figures: figs}
}

const realCorpus = "../../shared/corpus/txt"

func realService(t *testing.T) *Service {
	t.Helper()
	if _, err := os.Stat(realCorpus); err != nil {
		t.Skipf("the real corpus %s is not here (%v)", realCorpus, err)
	}
	return figureService(t, realCorpus)
}

func checkMessages(t *testing.T, what string, msgs []string) string {
	t.Helper()
	var all []string
	for _, m := range msgs {
		n, err := telegramtest.ValidateHTML(m)
		if err != nil || n > 4096 {
			t.Fatalf("%s: rejected (%v) or %d units over 4096:\n%s", what, err, n, m)
		}
		text, _, _ := telegramtest.ParseHTML(m)
		all = append(all, text)
	}
	return strings.Join(all, "\n")
}

// /figures with no arguments is the bot's own report; with a place and a
// year, that report; each line has a numbered button whose data is under
// 64 bytes and shows the line's sentences.
func TestKeyFigures(t *testing.T) {
	s := realService(t)
	chat := Chat{ID: 1}
	r := s.KeyFigures(chat, "")
	if text := checkMessages(t, "/figures", r.Messages); !strings.Contains(text, "《重庆市渝中区人民政府工作报告》主要数字") || !strings.Contains(text, "地区生产总值增长 6%左右〔6〕") {
		t.Errorf("/figures: %s", text)
	}
	r = s.KeyFigures(chat, "国务院 2023")
	text := checkMessages(t, "/figures 国务院 2023", r.Messages)
	if !strings.Contains(text, "《国务院政府工作报告（2023年）》") || !strings.Contains(text, "国内生产总值增长 5%左右〔71〕 · 2022年 3%〔3〕") {
		t.Errorf("/figures 国务院 2023:\n%s", text)
	}
	var buttons []Button
	for _, row := range r.Buttons {
		buttons = append(buttons, row...)
	}
	if len(buttons) == 0 {
		t.Fatal("no buttons")
	}
	for i, b := range buttons {
		if len(b.Data) > 64 {
			t.Errorf("button %q: %d bytes of data", b.Data, len(b.Data))
		}
		cb := ParseCallback(b.Data)
		if cb.Kind != CallbackFigure || cb.N != i {
			t.Fatalf("button %q parsed as %+v", b.Data, cb)
		}
		sent := checkMessages(t, "figure button", s.FigureSentence(chat, cb.Version, cb.Report, cb.N).Messages)
		if !strings.Contains(sent, "第") || !strings.Contains(sent, "目标") && !strings.Contains(sent, "实际") {
			t.Errorf("button %d shows %q", i, sent)
		}
	}
	if stale := s.FigureSentence(chat, "ffffff", 0, 0); !strings.Contains(stale.Messages[0], "过期") {
		t.Errorf("a button of another corpus: %q", stale.Messages[0])
	}
	for _, args := range []string{"四川", "北京 2019"} {
		if r := s.KeyFigures(chat, args); !strings.Contains(r.Messages[0], "没有收录") {
			t.Errorf("/figures %s: %q", args, r.Messages[0])
		}
	}
}

// Comparison questions are answered from the figures, side by side; other
// questions take the normal path.
func TestAskComparisons(t *testing.T) {
	s := realService(t)
	ctx := context.Background()
	for q, want := range map[string][]string{
		"2023年和2025年GDP目标对比": {"2025年：5%左右", "2023年：5%左右"},
		"重庆和四川今年GDP目标":       {"重庆市·渝中区（2024年）：6%左右", "四川省：没有收录四川省的报告。"},
		"今年的就业目标比去年高吗":       {"2025年：1200万人以上", "没有收录国务院2024年的报告"},
		"各省GDP目标":            {"北京市（2025年） 5%左右", "青海省（2025年） 4.5%左右"},
	} {
		r, err := s.Ask(ctx, Chat{ID: 7}, q)
		if err != nil || r.Outcome != "answered" {
			t.Fatalf("%s: %+v %v", q, r, err)
		}
		text := checkMessages(t, q, r.Messages)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in\n%s", q, w, text)
			}
		}
	}
	st, _ := s.Store.Stats(ctx, 7, s.Day(time.Now()))
	if st.Questions != 4 {
		t.Errorf("%d questions counted, want 4", st.Questions)
	}
	r, err := s.Ask(ctx, Chat{ID: 7}, "2025年北京GDP增长目标是多少?")
	if err != nil || r.Outcome != "answered" || !strings.Contains(r.Messages[0], "<blockquote") || len(r.Buttons) == 0 {
		t.Errorf("a question that compares nothing: %+v %v", r, err)
	}
}

// /new and "今年报告有哪些新提法": with the fixture pair loaded, what is new;
// with the real corpus (no consecutive years), a plain answer saying so.
func TestNewThisYear(t *testing.T) {
	s := figureService(t, "../figures/testdata/consecutive")
	chat := Chat{ID: 3}
	for _, r := range []Reply{s.New(chat, ""), s.New(chat, "青山")} {
		text := checkMessages(t, "/new", r.Messages)
		for _, w := range []string{"《2025年青山市政府工作报告》比《2024年青山市政府工作报告》新在哪里", "低空经济", "目标的变化（2024年 → 2025年）"} {
			if !strings.Contains(text, w) {
				t.Errorf("/new: no %q in\n%s", w, text)
			}
		}
	}
	r, err := s.Ask(context.Background(), chat, "今年报告有哪些新提法？")
	if err != nil || !strings.Contains(checkMessages(t, "新提法", r.Messages), "低空经济") {
		t.Errorf("asked what is new: %+v %v", r, err)
	}
	if r := s.New(chat, "渝中"); !strings.Contains(r.Messages[0], "没有收录") {
		t.Errorf("/new 渝中 (no 2023 report): %q", r.Messages[0])
	}
	real := realService(t)
	if r := real.New(chat, ""); !strings.Contains(r.Messages[0], "连续两年") {
		t.Errorf("/new with no consecutive pair: %q", r.Messages[0])
	}
}

// /settings 数字 开 keeps the flag with the subscription; a new /subscribe
// time keeps it too.
func TestFiguresSetting(t *testing.T) {
	s := figureService(t, "")
	ctx := context.Background()
	chat := Chat{ID: -100, Group: true}
	if r := s.ChangeSettings(ctx, chat, "数字 开"); !strings.Contains(r.Messages[0], "先 /subscribe") {
		t.Errorf("unsubscribed: %q", r.Messages[0])
	}
	s.Subscribe(ctx, chat, store.Subscription{ChatID: chat.ID, Group: true}, "08:30", time.UTC)
	if r := s.ChangeSettings(ctx, chat, "数字 开"); !strings.Contains(r.Messages[0], "：开") {
		t.Errorf("on: %q", r.Messages[0])
	}
	sub, _, _ := s.Store.Subscription(ctx, chat.ID)
	if !sub.Figures || sub.Time != "08:30" {
		t.Errorf("subscription %+v", sub)
	}
	s.Subscribe(ctx, chat, store.Subscription{ChatID: chat.ID, Group: true}, "09:15", time.UTC)
	if sub, _, _ = s.Store.Subscription(ctx, chat.ID); !sub.Figures {
		t.Error("a new time turned the figures off")
	}
	if r := s.Settings(ctx, chat); !strings.Contains(r.Messages[0], "新报告的主要数字：开") {
		t.Errorf("/settings: %q", r.Messages[0])
	}
	if r := s.ChangeSettings(ctx, Chat{ID: chat.ID, Lang: "en"}, "figures off"); !strings.Contains(r.Messages[0], "off") {
		t.Errorf("off: %q", r.Messages[0])
	}
	if sub, _, _ = s.Store.Subscription(ctx, chat.ID); sub.Figures {
		t.Error("still on")
	}
	if r := s.ChangeSettings(ctx, chat, "颜色 红"); !strings.Contains(r.Messages[0], "用法") {
		t.Errorf("unknown setting: %q", r.Messages[0])
	}
}

func TestParseFigureCallback(t *testing.T) {
	for data, want := range map[string]Callback{
		"g:a1b2c3:4.5":  {Kind: CallbackFigure, Version: "a1b2c3", Report: 4, N: 5},
		"g::4.5":        {},
		"g:a1b2c3:4":    {},
		"g:a1b2c3:-1.2": {},
	} {
		if got := ParseCallback(data); got != want {
			t.Errorf("ParseCallback(%q) = %+v, want %+v", data, got, want)
		}
	}
	if d := figureData("0123456789abcdef", 30, 47); d != "g:012345:30.47" || len(d) > 64 {
		t.Errorf("figureData = %q", d)
	}
}
