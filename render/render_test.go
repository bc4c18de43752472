package render

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/retrieval"
	"reportbot/telegramtest"
)

var (
	testOnce  sync.Once
	testIx    *retrieval.Index
	testCorp  *data.Corpus
	testBuild error
)

// testIndex is the seed index, built once for the render tests.
func testIndex(t testing.TB) (*retrieval.Index, *data.Corpus) {
	t.Helper()
	testOnce.Do(func() {
		c, err := data.Load("")
		if err != nil {
			testBuild = err
			return
		}
		lx, err := retrieval.DefaultLexicon()
		if err != nil {
			testBuild = err
			return
		}
		testIx, testBuild = retrieval.Build(c, lx)
		testCorp = c
	})
	if testBuild != nil {
		t.Fatal(testBuild)
	}
	return testIx, testCorp
}

// parsed is a message as Telegram stores it.
type parsed struct {
	html  string
	text  string
	units []uint16
	ents  []telegramtest.MessageEntity
}

func (m parsed) sub(e telegramtest.MessageEntity) string {
	return string(utf16.Decode(m.units[e.Offset : e.Offset+e.Length]))
}

func (m parsed) entities(typ string) []telegramtest.MessageEntity {
	var out []telegramtest.MessageEntity
	for _, e := range m.ents {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// validate checks msg the way the strict test server does and
// returns it parsed.
func validate(t testing.TB, msg string) parsed {
	t.Helper()
	n, err := telegramtest.ValidateHTML(msg)
	if err != nil {
		t.Fatalf("message rejected: %v (%d units)\n%.600q", err, n, msg)
	}
	if n > 4096 {
		t.Fatalf("message is %d UTF-16 units, more than 4096", n)
	}
	text, ents, err := telegramtest.ParseHTML(msg)
	if err != nil {
		t.Fatal(err)
	}
	return parsed{html: msg, text: text, units: utf16.Encode([]rune(text)), ents: ents}
}

// quoted returns, for each message, the texts of its blockquotes
// (collapsed or not) and of the bold entities inside them.
func quoted(m parsed) (quotes, bold []string) {
	bqs := append(m.entities("blockquote"), m.entities("expandable_blockquote")...)
	slices.SortFunc(bqs, func(a, b telegramtest.MessageEntity) int { return a.Offset - b.Offset })
	for _, q := range bqs {
		quotes = append(quotes, m.sub(q))
	}
	for _, b := range m.entities("bold") {
		for _, q := range bqs {
			if b.Offset >= q.Offset && b.Offset+b.Length <= q.Offset+q.Length {
				bold = append(bold, m.sub(b))
				break
			}
		}
	}
	return quotes, bold
}

// highlighted are the texts an answer bolds in a passage: the span that
// answers (AnswerSpans), not every matched word.
func highlighted(p retrieval.Passage) []string {
	var out []string
	for _, h := range safeSpans(p.Text, AnswerSpans(p)) {
		out = append(out, p.Text[h.Start:h.End])
	}
	return out
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"渝中区 GDP 增长6%", "渝中区 GDP 增长6%"},
		{`<script>&"`, "&lt;script&gt;&amp;&quot;"},
		{"a&amp;b", "a&amp;amp;b"},
		{"*bold* _it_ `code` [x](y)", "*bold* _it_ `code` [x](y)"},
		{"it's", "it's"},
		{"😀𠀀", "😀𠀀"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.in != "" {
			m := validate(t, Escape(tc.in))
			if want := strings.ToValidUTF8(tc.in, "\uFFFD"); m.text != strings.TrimSpace(want) {
				t.Errorf("Escape(%q) reads back as %q", tc.in, m.text)
			}
		}
	}
}

func TestCitation(t *testing.T) {
	for _, tc := range []struct {
		p    retrieval.Passage
		want string
	}{
		{retrieval.Passage{Report: "政府工作报告", Section: "一、2023年工作回顾", Paragraph: 7}, "《政府工作报告》· 一、2023年工作回顾 · 第7段"},
		{retrieval.Passage{Report: "政府工作报告", Section: data.HeaderSection, Paragraph: 0}, "《政府工作报告》· 标题"},
		{retrieval.Passage{Report: "政府工作报告", Section: "", Paragraph: 0}, "《政府工作报告》· 标题"},
		{retrieval.Passage{ReportID: "yuzhong-2024", Section: "开篇", Paragraph: 1}, "《yuzhong-2024》· 开篇 · 第1段"},
		{retrieval.Passage{Report: "A&B<C>", Section: `"x"`, Paragraph: 3}, `《A&B<C>》· "x" · 第3段`},
	} {
		if got := Citation(tc.p); got != tc.want {
			t.Errorf("Citation(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// TestRenderRealAnswers renders what the seed index answers to many
// questions, metacharacters and a 5,000-character one included, and checks
// every message the way Telegram would.
func TestRenderRealAnswers(t *testing.T) {
	ix, corpus := testIndex(t)
	long := strings.Repeat("2024年GDP增长目标是多少？", 5000/15+1)
	long = string([]rune(long)[:5000])
	questions := []struct {
		q string
		// covered: the seed report must answer it; otherwise it may or may not.
		covered bool
	}{
		{"2024年GDP增长目标是多少?", true},
		{"渝中发展面临哪些困难和挑战?", true},
		{"渝中有多少人才?", true},
		{"<script>alert('GDP增长目标')</script>", true},
		{`<b>GDP</b> & "增长目标" <i>`, true},
		{"**GDP增长目标** _是多少_ `code` [链接](http://example.com)", false}, // covered or not, it must render
		{"&amp; &lt;人才&gt; &#60;", false},
		{"人才 & <b>", true},
		{"😀 GDP增长目标 👨‍👩‍👧 𠀀", true},
		{long, true},
		{"这份报告是什么时候作的？", false}, // title passage or not: either way it must render
		{"火星上有没有水？", false},
		{"<script>火星移民计划</script>", false},
	}
	sawHighlight := false
	for _, tc := range questions {
		name := string([]rune(tc.q)[:min(20, utf8.RuneCountInString(tc.q))])
		t.Run(name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tc.q, 10)
			if errors.Is(err, retrieval.ErrNoQuestion) {
				t.Fatalf("%q: nothing to search", tc.q)
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.covered && !res.Covered {
				t.Fatalf("%q: not covered (coverage %.2f)", tc.q, res.Coverage)
			}
			if !res.Covered {
				msg := Style{Corpus: corpus}.NotCovered(res)
				m := validate(t, msg)
				if n := len(m.units); n > 200 {
					t.Errorf("not-covered reply is %d units long: %q", n, m.text)
				}
				if !strings.Contains(m.text, "/topics") || !strings.Contains(m.text, "没有找到") || !strings.Contains(m.text, "《重庆市渝中区人民政府工作报告》节选（8段）") {
					t.Errorf("not-covered reply %q does not say what was searched, or offer /topics", m.text)
				}
				// RenderAnswer on a result that is not covered still says something valid.
				for _, msg := range Answer(res, 1) {
					validate(t, msg)
				}
				return
			}
			for _, first := range []int{1, 4} {
				msgs := Answer(res, first)
				if len(msgs) == 0 {
					t.Fatal("no messages")
				}
				var plain strings.Builder
				var quotes []string
				for _, msg := range msgs {
					m := validate(t, msg)
					plain.WriteString(m.text + "\n")
					q, _ := quoted(m)
					quotes = append(quotes, q...)
				}
				// After the notes (in italics), a short answer sentence
				// heads the answer; else the first passage, quoted in full,
				// says it.
				head := "<b>" + Escape(res.Answer) + "</b>"
				if !ownLine(res.Answer, res.Passages[0].Text) {
					head = "<blockquote>"
				}
				rest := msgs[0]
				for strings.HasPrefix(rest, "<i>") {
					_, rest, _ = strings.Cut(rest, "</i>\n")
					rest = strings.TrimPrefix(rest, "\n")
				}
				if !strings.HasPrefix(rest, head) {
					t.Errorf("first message starts %.200q, want %.200q after the notes", msgs[0], head)
				}
				if res.Truncated && !strings.HasPrefix(msgs[0], "<i>（问题超过200字，只按前200字检索。）</i>") {
					t.Errorf("a cut question is not said to be cut: %.100q", msgs[0])
				}
				if res.Truncated != (utf8.RuneCountInString(tc.q) > retrieval.MaxQuestionRunes) {
					t.Errorf("Truncated = %v for a %d-rune question", res.Truncated, utf8.RuneCountInString(tc.q))
				}
				if len(quotes) != len(res.Passages) {
					t.Fatalf("%d blockquotes for %d passages", len(quotes), len(res.Passages))
				}
				last := -1
				for i, p := range res.Passages {
					if quotes[i] != strings.TrimSpace(p.Text) {
						t.Errorf("passage %d quoted as %q, want %q", i, quotes[i], p.Text)
					}
					cite := fmt.Sprintf("[%d] %s", first+i, Citation(p))
					at := strings.Index(plain.String(), "\n"+cite)
					if at < 0 {
						t.Errorf("citation %q missing", cite)
					} else if at < last {
						t.Errorf("citation %q out of order", cite)
					}
					last = at
					// One passage per inline message, the span that answers in bold.
					m := validate(t, Passage(p))
					q, bold := quoted(m)
					if len(q) != 1 || q[0] != strings.TrimSpace(p.Text) {
						t.Errorf("RenderPassage quotes %q, want %q", q, p.Text)
					}
					if want := highlighted(p); strings.Join(bold, "|") != strings.Join(want, "|") {
						t.Errorf("RenderPassage bolds %q, want the span that answers %q", bold, want)
					}
					if len(p.Highlights) > 0 {
						sawHighlight = true
					}
					if !strings.HasSuffix(m.text, "\n"+Citation(p)) {
						t.Errorf("RenderPassage does not end with its citation: %q", m.text)
					}
				}
			}
		})
	}
	if !sawHighlight {
		t.Error("no real passage had highlights: the bold check checked nothing")
	}
}

// hugeText is about n characters of report-like text with emoji
// (some outside the BMP, some ZWJ sequences), rare CJK characters outside
// the BMP, and HTML metacharacters.
func hugeText(n int) string {
	sentences := []string{
		"2024年全区地区生产总值增长6%左右，",
		"一般公共预算收入增长5%😀，",
		"城镇调查失业率控制在5.5%以内<目标>&“稳中求进”。",
		"推进𠀀𠀁数字经济👨‍👩‍👧与实体经济深度融合！",
		"人才总量达到30万人 \"R&D\" 投入强度2.5%？",
		"我们要坚持以人民为中心🇨🇳，办好民生实事。",
	}
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < n; i++ {
		b.WriteString(sentences[i%len(sentences)])
	}
	return b.String()
}

// spread puts a highlight of about width bytes every step bytes,
// snapped to rune starts.
func spread(text string, step, width int) []data.Span {
	var out []data.Span
	for s := 0; s < len(text); s += step {
		a, b := s, min(s+width, len(text))
		for a < len(text) && !utf8.RuneStart(text[a]) {
			a++
		}
		for b < len(text) && !utf8.RuneStart(text[b]) {
			b++
		}
		if a < b {
			out = append(out, data.Span{Start: a, End: b})
		}
	}
	return out
}

// TestRenderSplitsHugePassage: a passage far over 4096 units is spread
// over several valid messages that between them quote all of it, with
// every highlight in bold (a highlight longer than a message included),
// cited part by part, and the other passages kept whole.
func TestRenderSplitsHugePassage(t *testing.T) {
	text := hugeText(12000)
	noPunct := strings.Repeat("渝中区数字经济😀发展𠀀", 1200) // no sentence or clause ends at all
	for _, tc := range []struct {
		name string
		text string
		hl   []data.Span
	}{
		{"spread highlights", text, spread(text, 700, 40)},
		{"one highlight over everything", text, []data.Span{{Start: 0, End: len(text)}}},
		{"highlight across the split", text, []data.Span{{Start: len(text) / 4, End: len(text) / 2}}},
		{"no punctuation", noPunct, spread(noPunct, 301, 60)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			small := retrieval.Passage{Report: "重庆市渝中区政府工作报告", Section: "一、2023年工作回顾", Paragraph: 2, Text: "全区经济运行稳中向好。", Highlights: []data.Span{{Start: 0, End: len("全区经济")}}}
			huge := retrieval.Passage{Report: "重庆市渝中区政府工作报告", Section: "二、2024年工作安排", Paragraph: 9, Text: tc.text, Highlights: tc.hl}
			res := &retrieval.Result{Question: "问", Truncated: true, Covered: true, Answer: "全区经济运行稳中向好。", Passages: []retrieval.Passage{small, huge, small}}
			msgs := Answer(res, 4)
			if len(msgs) < 4 {
				t.Fatalf("%d messages for a %d-unit passage", len(msgs), telegramtest.UTF16Len(tc.text))
			}
			var quotes, bold []string
			var plain strings.Builder
			for _, msg := range msgs {
				m := validate(t, msg)
				q, b := quoted(m)
				quotes = append(quotes, q...)
				bold = append(bold, b...)
				plain.WriteString(m.text + "\n")
			}
			if quotes[0] != small.Text || quotes[len(quotes)-1] != small.Text {
				t.Errorf("the small passages are not quoted whole: %q … %q", quotes[0], quotes[len(quotes)-1])
			}
			parts := quotes[1 : len(quotes)-1]
			if got := strings.Join(parts, ""); got != tc.text {
				t.Errorf("the parts (%d) do not add up to the passage: %d bytes, want %d", len(parts), len(got), len(tc.text))
			}
			for k := range parts {
				cite := fmt.Sprintf("[5] %s（%d/%d）", Citation(huge), k+1, len(parts))
				if !strings.Contains(plain.String(), cite) {
					t.Errorf("part citation %q missing", cite)
				}
			}
			for _, want := range []string{"[4] " + Citation(small), "[6] " + Citation(small)} {
				if !strings.Contains(plain.String(), want) {
					t.Errorf("citation %q missing", want)
				}
			}
			// Bold inside quotes: the small passages' answer twice, and the
			// huge one's (a split one in pieces that join up).
			want := append(highlighted(small), highlighted(huge)...)
			want = append(want, highlighted(small)...)
			if got, w := strings.Join(bold, ""), strings.Join(want, ""); got != w {
				t.Errorf("bold text differs from the highlights:\n got %.300q\nwant %.300q", got, w)
			}
			if len(highlighted(huge)) > 1 && len(bold) < len(want) {
				t.Errorf("%d bold runs for %d highlights", len(bold), len(want))
			}
			if tc.text == text {
				// With sentence ends to split at, every part but the last ends one.
				for i, p := range parts[:len(parts)-1] {
					last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(p, func(r rune) bool { return isCloser(r) || unicode.IsSpace(r) }))
					if !isTerminator(last) && !isClause(last) {
						t.Errorf("part %d ends mid-sentence: …%q", i+1, string([]rune(p)[utf8.RuneCountInString(p)-10:]))
					}
				}
			}
		})
	}
}

// TestRenderHugeAnswer: an answer sentence longer than a message never
// heads the answer as a wall of bold: the passage is quoted in full,
// across messages, with only the span that answers in bold.
func TestRenderHugeAnswer(t *testing.T) {
	text := hugeText(9000)
	p := retrieval.Passage{Report: "报告", Section: "开篇", Paragraph: 1, Text: text, Highlights: spread(text, 900, 20)}
	res := &retrieval.Result{Covered: true, Answer: text, Passages: []retrieval.Passage{p}}
	var quotes, bold strings.Builder
	for _, msg := range Answer(res, 1) {
		m := validate(t, msg)
		q, b := quoted(m)
		quotes.WriteString(strings.Join(q, ""))
		bold.WriteString(strings.Join(b, ""))
		if strings.HasPrefix(msg, "<b>") {
			t.Errorf("a message starts with a bold answer: %.80q", msg)
		}
	}
	if quotes.String() != text {
		t.Errorf("the passage is not quoted whole (%d of %d bytes)", quotes.Len(), len(text))
	}
	if want := strings.Join(highlighted(p), ""); bold.String() != want {
		t.Errorf("bold %q, want %q", bold.String(), want)
	}
}

// TestRenderPacksBetweenPassages: passages that fit a message each are
// never split; messages break between them.
func TestRenderPacksBetweenPassages(t *testing.T) {
	text := hugeText(1800)
	var ps []retrieval.Passage
	for i := range 5 {
		ps = append(ps, retrieval.Passage{Report: "报告", Section: "一、回顾", Paragraph: i + 1, Text: text, Highlights: spread(text, 500, 30)})
	}
	msgs := Answer(&retrieval.Result{Covered: true, Answer: "答。", Passages: ps}, 1)
	if len(msgs) != 3 {
		t.Errorf("%d messages for five 1,800-character passages, want 3", len(msgs))
	}
	n := 0
	for _, msg := range msgs {
		m := validate(t, msg)
		q, _ := quoted(m)
		for _, q := range q {
			if q != text {
				t.Errorf("a passage was cut: %d of %d bytes", len(q), len(text))
			}
			n++
		}
		if strings.Contains(m.text, "/") && strings.Contains(m.text, "（1/") {
			t.Errorf("a passage that fits a message was split")
		}
	}
	if n != 5 {
		t.Errorf("%d passages quoted, want 5", n)
	}
}

func TestRenderEscapesQuestionAndAnswer(t *testing.T) {
	evil := `<script>&"`
	p := retrieval.Passage{Report: `A&B<C>`, Section: `"一"`, Paragraph: 3, Text: "前文" + evil + "后文。", Highlights: []data.Span{{Start: len("前文"), End: len("前文" + evil)}}}
	res := &retrieval.Result{Question: evil, Covered: true, Answer: evil + "答。", Passages: []retrieval.Passage{p}}
	msgs := Answer(res, 1)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	want := "<b>&lt;script&gt;&amp;&quot;答。</b>\n\n<blockquote expandable><b>前文&lt;script&gt;&amp;&quot;后文</b>。</blockquote>\n[1] 《A&amp;B&lt;C&gt;》· &quot;一&quot; · 第3段"
	if msgs[0] != want {
		t.Errorf("got  %q\nwant %q", msgs[0], want)
	}
	m := validate(t, msgs[0])
	if _, bold := quoted(m); len(bold) != 1 || bold[0] != "前文"+evil+"后文" {
		t.Errorf("bold %q, want the clause %q", bold, "前文"+evil+"后文")
	}
	nc := Style{Corpus: &data.Corpus{Reports: []*data.Report{{Title: "渝中<区>报告"}}}}.NotCovered(nil)
	if strings.Contains(nc, "<script") || !strings.Contains(nc, "《渝中&lt;区&gt;报告》") {
		t.Errorf("NotCovered = %q", nc)
	}
	validate(t, nc)
}

func TestRenderNumberingAndTitle(t *testing.T) {
	title := retrieval.Passage{Report: "政府工作报告", Section: data.HeaderSection, Paragraph: 0, Text: "政府工作报告\n2024年1月15日"}
	body := retrieval.Passage{Report: "政府工作报告", Section: "开篇", Paragraph: 1, Text: "各位代表：现在，我代表区人民政府作报告。"}
	for _, tc := range []struct {
		first int
		want  []string
	}{
		{1, []string{"[1] 《政府工作报告》· 标题", "[2] 《政府工作报告》· 开篇 · 第1段", "[3] 《政府工作报告》· 开篇 · 第1段"}},
		{4, []string{"[4] 《政府工作报告》· 标题", "[5] 《政府工作报告》· 开篇 · 第1段", "[6] 《政府工作报告》· 开篇 · 第1段"}},
	} {
		msgs := Answer(&retrieval.Result{Covered: true, Passages: []retrieval.Passage{title, body, body}}, tc.first)
		if len(msgs) != 1 {
			t.Fatalf("%d messages", len(msgs))
		}
		m := validate(t, msgs[0])
		var got []string
		for _, line := range strings.Split(m.text, "\n") {
			if strings.HasPrefix(line, "[") {
				got = append(got, line)
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("first=%d: citations %q, want %q", tc.first, got, tc.want)
		}
		if strings.Contains(msgs[0], "<b>") {
			t.Errorf("no answer and no highlights, yet bold: %q", msgs[0])
		}
	}
}

func TestNotCovered(t *testing.T) {
	one := &data.Corpus{Reports: []*data.Report{{Title: "重庆市渝中区政府工作报告", Paragraphs: make([]*data.Paragraph, 8)}}}
	two := &data.Corpus{Reports: []*data.Report{{Title: "a"}, {Title: "b"}}}
	for _, tc := range []struct {
		st   Style
		want string
	}{
		{Style{Corpus: one}, "我在收录的《重庆市渝中区政府工作报告》（8段）里没有找到相关的段落。\n可以用 /topics 看看报告谈了哪些方面。"},
		{Style{Corpus: two}, "我在收录的2份报告里没有找到相关的段落。\n可以用 /topics 看看报告谈了哪些方面。"},
		{Style{}, "我在收录的报告里没有找到相关的段落。\n可以用 /topics 看看报告谈了哪些方面。"},
		{Style{Corpus: one, English: true}, "I found nothing on this in 《重庆市渝中区政府工作报告》 as I hold it (8 paragraphs).\n/topics shows what the report covers."},
	} {
		got := tc.st.NotCovered(nil)
		if got != tc.want {
			t.Errorf("NotCovered() =\n %q\nwant\n %q", got, tc.want)
		}
		validate(t, got)
	}
	// reportbot ask says it of the question, above the list of what it holds.
	long := strings.Repeat("火星<移民>&", 1000)
	if got, want := NotCoveredSentence(long, one), "《重庆市渝中区政府工作报告》没有谈到这个问题：“"+string([]rune(long)[:59])+"…”。"; got != want {
		t.Errorf("NotCoveredSentence = %q, want %q", got, want)
	}
	if got := NotCoveredSentence("   ", nil); got != "报告没有谈到这个问题。" {
		t.Errorf("NotCoveredSentence(blank) = %q", got)
	}
}

func TestRenderPassageTooLong(t *testing.T) {
	text := hugeText(6000)
	p := retrieval.Passage{Report: "报告", Section: "一、回顾", Paragraph: 5, Text: text, Highlights: []data.Span{{Start: 0, End: len(text)}}}
	m := validate(t, Passage(p))
	q, bold := quoted(m)
	if len(q) != 1 || !strings.HasSuffix(q[0], "…") || !strings.HasPrefix(text, strings.TrimSuffix(q[0], "…")) {
		t.Fatalf("a too-long passage is not cut with …: %.100q", q)
	}
	if want := highlighted(p); len(bold) != 1 || bold[0] != want[0] || !strings.Contains(q[0], bold[0]) {
		t.Errorf("bold %q, want the span that answers %q", bold, want[:1])
	}
	if !strings.HasSuffix(m.text, "\n"+Citation(p)) {
		t.Errorf("no citation")
	}
}

// fuzzSpans turns raw bytes into highlight spans of text: pairs of
// 16-bit numbers scaled to the text, clamped to rune boundaries.
func fuzzSpans(text string, raw []byte) []data.Span {
	var out []data.Span
	snap := func(x int) int {
		x = min(max(x, 0), len(text))
		for x > 0 && x < len(text) && !utf8.RuneStart(text[x]) {
			x--
		}
		return x
	}
	for i := 0; i+3 < len(raw) && len(out) < 200; i += 4 {
		a := int(raw[i])<<8 | int(raw[i+1])
		b := int(raw[i+2])<<8 | int(raw[i+3])
		a, b = a*len(text)/65536, b*len(text)/65536
		if a > b {
			a, b = b, a
		}
		out = append(out, data.Span{Start: snap(a), End: snap(b + 1)})
	}
	return out
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func FuzzAnswer(f *testing.F) {
	f.Add("2024年全区地区生产总值增长6%左右。", []byte{0, 0, 40, 0, 128, 0, 160, 0}, uint8(0), 1, false)
	f.Add(hugeText(300), []byte{0, 0, 255, 255}, uint8(40), 4, true)
	f.Add("<script>&\"'&amp;😀👨‍👩‍👧🇨🇳𠀀\u0301\ufe0f", []byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(200), 7, true)
	f.Add(strings.Repeat("a", 5000), []byte{0, 0, 200, 0, 100, 0, 255, 255}, uint8(1), 1, false)
	f.Add(" \n\t 。。！\n  ", []byte{}, uint8(255), 2, true)
	f.Add("bad\xff\xfe utf8\xe4\xb8", []byte{0, 0, 255, 255}, uint8(90), 1, false)
	f.Fuzz(func(t *testing.T, text string, raw []byte, rep uint8, first int, twice bool) {
		if len(text) == 0 {
			return
		}
		// Repeat the text so that small inputs also exercise splitting.
		reps := 1 + int(rep)%64
		if len(text)*reps > 1<<16 {
			reps = max(1, (1<<16)/len(text))
		}
		text = strings.Repeat(text, reps)
		p := retrieval.Passage{Report: "渝中<区>&报告", Section: "一、" + text[:min(len(text), 30)], Paragraph: reps, Text: text, Highlights: fuzzSpans(text, raw)}
		res := &retrieval.Result{Question: text, Truncated: twice, Covered: true, Passages: []retrieval.Passage{p}}
		if len(p.Highlights) > 0 {
			h := p.Highlights[0]
			res.Answer = text[h.Start:h.End]
		}
		if twice {
			res.Passages = append(res.Passages, p)
		}
		var quotes, bold strings.Builder
		for _, msg := range Answer(res, first) {
			m := validate(t, msg)
			q, b := quoted(m)
			quotes.WriteString(strings.Join(q, ""))
			bold.WriteString(strings.Join(b, ""))
		}
		valid := string([]rune(text)) // each byte that is not UTF-8 becomes U+FFFD
		want := noSpace(valid)
		var wantBold strings.Builder
		for _, h := range safeSpans(text, AnswerSpans(p)) {
			wantBold.WriteString(string([]rune(text[h.Start:h.End])))
		}
		wb := noSpace(wantBold.String())
		if twice {
			want += want
			wb += wb
		}
		if got := noSpace(quotes.String()); got != want {
			t.Fatalf("quoted text differs from the passage:\n got %.200q\nwant %.200q", got, want)
		}
		if got := noSpace(bold.String()); got != wb {
			t.Fatalf("bold text differs from the highlights:\n got %.200q\nwant %.200q", got, wb)
		}
		pm := validate(t, Passage(p))
		if q, _ := quoted(pm); len(q) > 1 {
			t.Fatalf("RenderPassage quoted %d times", len(q))
		}
		validate(t, Style{Corpus: &data.Corpus{Reports: []*data.Report{{Title: text}}}}.NotCovered(nil))
	})
}
