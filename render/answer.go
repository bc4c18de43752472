package render

import (
	"fmt"
	"slices"
	"strings"

	"reportbot/data"
	"reportbot/retrieval"
)

const (
	// maxCite bounds a citation line, in runes, so that a report or
	// section with an absurd title still leaves room for the quote.
	maxCite = 200
	// maxQuote bounds the question quoted in a "not covered" reply.
	maxQuote = 60
)

// TruncatedNote is the remark that opens the answer to a question longer
// than retrieval.MaxQuestionRunes: it was searched for by its start only.
func TruncatedNote() string {
	return fmt.Sprintf("（问题超过%d字，只按前%d字检索。）", retrieval.MaxQuestionRunes, retrieval.MaxQuestionRunes)
}

// answerBlocks is what an answer says, in order, before it takes a form:
// the note when the question was cut (res.Truncated), the answer sentence
// (left out when res.Answer is empty, as on a "更多结果" page), then each
// passage with its matched words and its citation numbered from first
// ("[4] 《…》· … · 第N段"); or, with nothing to quote, a sentence saying so.
func answerBlocks(res *retrieval.Result, first int) []block {
	var bs []block
	if res.Truncated {
		bs = append(bs, block{kind: note, text: TruncatedNote()})
	}
	if res.Scope.Wider != "" && len(res.Passages) > 0 {
		bs = append(bs, block{kind: note, text: fmt.Sprintf("（没有收录%s本级的报告，以下来自%s所辖地区的报告。）", res.Scope.Wider, res.Scope.Wider)})
	}
	if res.Unanswered && len(res.Passages) > 0 && res.Answer != "" {
		bs = append(bs, block{kind: note, text: "（报告谈到了这个问题，但没有给出" + wantedThing(res) + "；下面是最相关的段落。）"})
	}
	if strings.TrimSpace(res.Answer) != "" {
		bs = append(bs, block{kind: lead, text: res.Answer})
	}
	for i, ps := range res.Passages {
		bs = append(bs, block{
			kind: quote,
			text: ps.Text,
			hl:   safeSpans(ps.Text, ps.Highlights),
			cite: Clip(fmt.Sprintf("[%d] %s", first+i, Citation(ps)), maxCite),
		})
	}
	if len(res.AlsoIn) > 0 && res.Answer != "" {
		bs = append(bs, block{kind: note, text: alsoIn(res.AlsoIn)})
	}
	if len(res.Passages) == 0 && strings.TrimSpace(res.Answer) == "" {
		// Nothing to quote: say so rather than send an empty message.
		if res.Covered {
			bs = append(bs, block{text: "没有更多结果了。"})
		} else {
			bs = append(bs, block{text: notCoveredText(res.Question, nil)})
		}
	}
	return bs
}

// Answer renders an answer as one or more HTML messages: a note in italics
// when the question was cut, the answer sentence in bold, then each
// passage as an expandable blockquote with the matched words in bold and,
// on its own line, its citation numbered from first.
//
// Every message is at most Limit UTF-16 units as Telegram counts them and
// closes every tag it opens. Messages break between passages; a passage
// too long for a message of its own is split, at sentence ends where it
// can be, into parts each quoted in its own message and cited with
// "（k/n）".
func Answer(res *retrieval.Result, first int) []string {
	if res == nil {
		return nil
	}
	var p packer
	for _, b := range answerBlocks(res, first) {
		p.add(b)
	}
	p.flush()
	return p.msgs
}

// Marks are what plain text puts around matched words.
type Marks struct{ Open, Close string }

var (
	// Brackets mark matched words in a file or a pipe: 【地区生产总值】.
	Brackets = Marks{"【", "】"}
	// ANSIBold marks matched words on a terminal, in bold.
	ANSIBold = Marks{"\x1b[1m", "\x1b[0m"}
)

// AnswerText renders an answer as plain text, for a terminal or a file:
// the parts Answer sends, in its order and with its citations, laid out
// for reading line by line: "答：" before the answer sentence, and each
// passage under its citation, indented, its matched words between m.
// It ends with an empty line.
func AnswerText(res *retrieval.Result, first int, m Marks) string {
	if res == nil {
		return ""
	}
	var w strings.Builder
	for _, b := range answerBlocks(res, first) {
		switch b.kind {
		case lead:
			w.WriteString("答：" + b.text + "\n")
		case quote:
			w.WriteString("\n" + b.cite + "\n    ")
			pos := 0
			for _, h := range b.hl {
				w.WriteString(b.text[pos:h.Start] + m.Open + b.text[h.Start:h.End] + m.Close)
				pos = h.End
			}
			w.WriteString(b.text[pos:] + "\n")
		default:
			w.WriteString(b.text + "\n")
		}
	}
	w.WriteString("\n")
	return w.String()
}

// wantedThing names the kind of answer a question asked for and the
// passages did not give.
func wantedThing(res *retrieval.Result) string {
	if res.Query != nil {
		switch res.Query.Want {
		case retrieval.WantDate:
			return "具体时间"
		case retrieval.WantReason:
			return "原因"
		case retrieval.WantList:
			return "具体清单"
		}
	}
	return "具体数字"
}

// maxAlso bounds how many other reports an answer names.
const maxAlso = 3

// alsoIn says which other reports answer the question too.
func alsoIn(refs []retrieval.ReportRef) string {
	var names []string
	for _, r := range refs[:min(len(refs), maxAlso)] {
		names = append(names, "《"+Clip(r.Name, maxQuote)+"》")
	}
	s := "其他报告也谈到这个问题：" + strings.Join(names, "、")
	if len(refs) > maxAlso {
		s += fmt.Sprintf("等%d份", len(refs))
	}
	return s + "。点“更多结果”看它们的段落，或在问题里写明地区和年份。"
}

// OutOfScope is the reply, as plain text, when a question names a time or
// place that no loaded report covers (res.Scope.Missing): it says what
// was named and what the loaded reports do cover. It is "" when the
// question's scope was not the reason.
func OutOfScope(res *retrieval.Result, c *data.Corpus) string {
	if res == nil || res.Scope.Missing == "" {
		return ""
	}
	named := strings.Join(res.Scope.Unknown, "、")
	switch res.Scope.Missing {
	case "day":
		return "政府工作报告谈的是全年的工作，不谈“" + named + "”这样具体某一天、某一周的事。"
	case "year":
		return "收录的报告没有谈到" + named + "的情况。收录的报告谈的是" + coveredYears(c) + "（每份报告回顾上一年、部署当年）。"
	case "place":
		return "没有收录" + named + "的报告。收录了这些地区的报告：" + loadedRegions(c) + "。"
	}
	return ""
}

// coveredYears lists the years the loaded reports speak of: each reviews
// the year before its own and plans its own.
func coveredYears(c *data.Corpus) string {
	seen := map[int]bool{}
	var years []int
	for _, r := range c.Reports {
		for _, y := range []int{r.Year - 1, r.Year} {
			if r.Year > 0 && !seen[y] {
				seen[y] = true
				years = append(years, y)
			}
		}
	}
	slices.Sort(years)
	var parts []string
	for i := 0; i < len(years); {
		j := i
		for j+1 < len(years) && years[j+1] == years[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d年", years[i], years[j]))
		} else {
			parts = append(parts, fmt.Sprintf("%d年", years[i]))
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return "各自的年份"
	}
	return strings.Join(parts, "、")
}

// loadedRegions lists the regions of the loaded reports, each once.
func loadedRegions(c *data.Corpus) string {
	var names []string
	for _, r := range c.Reports {
		if r.Region != "" && !slices.Contains(names, r.Region) {
			names = append(names, r.Region)
		}
	}
	if len(names) == 0 {
		return "（未标明地区）"
	}
	return strings.Join(names, "、")
}

// NotCovered is the reply when the reports do not answer question: the
// sentence NotCoveredSentence says, and where to look instead (/topics).
// It is one short HTML message.
func NotCovered(question string, c *data.Corpus) string {
	return Escape(notCoveredText(question, c))
}

func notCoveredText(question string, c *data.Corpus) string {
	return NotCoveredSentence(question, c) + "\n可以用 /topics 查看报告的各部分。"
}

// NotCoveredSentence says, as plain text, that the loaded reports (named
// when there is one) do not speak of question, quoting it cut to 60
// characters.
func NotCoveredSentence(question string, c *data.Corpus) string {
	q := Clip(strings.Join(strings.Fields(strings.ToValidUTF8(question, "\uFFFD")), " "), maxQuote)
	var who string
	switch {
	case c != nil && len(c.Reports) == 1 && strings.TrimSpace(c.Reports[0].Title) != "":
		who = "《" + Clip(strings.Join(strings.Fields(strings.ToValidUTF8(c.Reports[0].Title, "\uFFFD")), " "), maxQuote) + "》"
	case c != nil && len(c.Reports) > 1:
		who = fmt.Sprintf("这%d份报告都", len(c.Reports))
	default:
		who = "报告"
	}
	if q == "" {
		return who + "没有谈到这个问题。"
	}
	return who + "没有谈到这个问题：“" + q + "”。"
}

// Passage renders one passage (for an inline answer, or a section read
// through /topics) as an expandable blockquote with its matched words in
// bold and its citation under it, in one message of at most Limit UTF-16
// units: a passage too long for that is cut, at a sentence end where it
// can be, and marked with "…".
func Passage(p retrieval.Passage) string { return PassageWithin(p, Limit) }

// PassageWithin is Passage in at most limit units, for a message that has
// other parts too (the digest).
func PassageWithin(p retrieval.Passage, limit int) string {
	b := block{
		kind: quote,
		text: p.Text,
		hl:   safeSpans(p.Text, p.Highlights),
		cite: Clip(Citation(p), maxCite),
	}
	citeUnits := units(b.cite)
	if units(b.text)+1+citeUnits > limit {
		e := cut(b.text, 0, limit-1-citeUnits-1)
		b.text = b.text[:e] + "…"
		hl := b.hl[:0:0]
		for _, h := range b.hl {
			if h.Start < e {
				hl = append(hl, data.Span{Start: h.Start, End: min(h.End, e)})
			}
		}
		b.hl = hl
	}
	var m message
	m.part(b, 0, len(b.text), "")
	return m.b.String()
}
