package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"reportbot/retrieval"
)

// AnswerText says what Answer says: the answer sentence, every passage
// whole with the span that answers marked, and the same citations in the
// same order.
func TestAnswerTextMatchesAnswer(t *testing.T) {
	ix, _ := testIndex(t)
	for _, q := range []string{"2024年GDP增长目标是多少?", "渝中有多少人才?", `<b>GDP</b> & "增长目标"`, strings.Repeat("渝中发展面临哪些困难和挑战", 40)} {
		res, err := ix.Search(context.Background(), q, 3)
		if err != nil || !res.Covered {
			t.Fatalf("%.20q: %v, covered %v", q, err, res != nil && res.Covered)
		}
		text := AnswerText(res, 1, Brackets)
		var html strings.Builder
		for _, m := range Answer(res, 1) {
			html.WriteString(PlainText(m) + "\n")
		}
		rest := text
		for strings.HasPrefix(rest, "（") { // the notes
			_, rest, _ = strings.Cut(rest, "\n")
		}
		if !strings.HasPrefix(rest, "答："+res.Answer+"\n") {
			t.Errorf("%.20q: text starts %.80q, want the answer sentence", q, text)
		}
		if res.Truncated != strings.HasPrefix(text, TruncatedNote()) {
			t.Errorf("%.20q: truncated %v, text starts %.40q", q, res.Truncated, text)
		}
		last := -1
		for i, p := range res.Passages {
			cite := fmt.Sprintf("[%d] %s", i+1, Citation(p))
			at := strings.Index(text, "\n"+cite+"\n    ")
			if at < 0 || at < last || !strings.Contains(html.String(), "\n"+cite) {
				t.Errorf("%.20q: citation %q missing, out of order, or not as Answer has it:\n%s", q, cite, text)
			}
			last = at
			var marked strings.Builder
			pos := 0
			for _, h := range safeSpans(p.Text, AnswerSpans(p)) {
				marked.WriteString(p.Text[pos:h.Start] + "【" + p.Text[h.Start:h.End] + "】")
				pos = h.End
			}
			marked.WriteString(p.Text[pos:])
			if !strings.Contains(text, "    "+marked.String()+"\n") {
				t.Errorf("%.20q: passage %d not quoted whole with its matched words marked", q, i+1)
			}
		}
		if !strings.HasSuffix(text, "\n\n") {
			t.Errorf("%.20q: text does not end with an empty line", q)
		}
	}
	if got := AnswerText(&retrieval.Result{Covered: true}, 1, Brackets); got != "没有更多结果了。\n\n" {
		t.Errorf("nothing to quote: %q", got)
	}
}
