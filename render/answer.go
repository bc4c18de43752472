package render

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/retrieval"
)

const (
	// maxCite bounds a citation line, in runes, so that a report or
	// section with an absurd title still leaves room for the quote.
	maxCite = 200
	// maxQuote bounds a question or a report's name quoted in a reply.
	maxQuote = 60
)

// TruncatedNote is the remark that opens the answer to a question longer
// than retrieval.MaxQuestionRunes: it was searched for by its start only.
func TruncatedNote() string { return Style{}.truncatedNote() }

func (st Style) truncatedNote() string {
	return st.say(
		fmt.Sprintf("（问题超过%d字，只按前%d字检索。）", retrieval.MaxQuestionRunes, retrieval.MaxQuestionRunes),
		fmt.Sprintf("(The question is over %d characters; only its start was searched.)", retrieval.MaxQuestionRunes))
}

// maxLead is the longest answer sentence, in runes, that heads an
// answer: a longer one would be a wall of bold above the same words
// quoted.
const maxLead = 80

// ownLine says the answer sentence gets a line of its own above the
// quotes: only when it is short and the first passage says more than it.
// Otherwise the first passage, quoted in full with the span that answers
// in bold, says it once.
func ownLine(answer, passage string) bool {
	a := strings.TrimSpace(answer)
	return a != strings.TrimSpace(passage) && utf8.RuneCountInString(a) <= maxLead
}

// answerBlocks is what an answer says, in order, before it takes a form:
// the note when the question was cut (res.Truncated); the answer sentence
// (left out when res.Answer is empty, as on a "更多结果" page, and, unless
// always is set, when it would not stand on its own line (ownLine): the
// first passage is then quoted in full right below, the span that answers
// in bold); then each passage with the span that answers (AnswerSpans)
// and its citation, numbered from first; then, for a page of a longer
// answer (total passages in all), which of them these are; or, with
// nothing to quote, a sentence saying so.
func (st Style) answerBlocks(res *retrieval.Result, first, total int, always bool) []block {
	var bs []block
	if res.Truncated {
		bs = append(bs, block{kind: note, text: st.truncatedNote()})
	}
	if res.Scope.Wider != "" && len(res.Passages) > 0 {
		bs = append(bs, block{kind: note, text: st.say(
			fmt.Sprintf("（没有收录%s本级的报告，以下来自%s所辖地区的报告。）", res.Scope.Wider, res.Scope.Wider),
			fmt.Sprintf("(No report of %s itself is loaded; these come from reports of places within it.)", res.Scope.Wider))})
	}
	if res.Unanswered && len(res.Passages) > 0 && res.Answer != "" {
		bs = append(bs, block{kind: note, text: st.say(
			"（报告谈到了这个问题，但没有给出"+wantedThing(res)+"；下面是最相关的段落。）",
			"(The report speaks of this but gives no "+wantedThingEN(res)+"; here are the nearest passages.)")})
	}
	answer := strings.TrimSpace(res.Answer) != ""
	quotedWhole := answer && len(res.Passages) > 0 && !ownLine(res.Answer, res.Passages[0].Text)
	if answer && (always || !quotedWhole) {
		bs = append(bs, block{kind: lead, text: res.Answer})
	}
	numbered := st.Corpus == nil || len(res.Passages) > 1 || first > 1 || total > 1
	named := st.Corpus == nil || len(res.Passages) == 0 || !oneReport(res.Passages)
	for i, ps := range res.Passages {
		k := quote
		if i == 0 && quotedWhole && !always {
			k = shown // the answer is in it: not collapsed
		}
		n := 0
		if numbered {
			n = first + i
		}
		bs = append(bs, block{kind: k, text: ps.Text, hl: AnswerSpans(ps), cite: st.cite(ps, n, named || i == 0)})
	}
	if len(res.AlsoIn) > 0 && res.Answer != "" {
		bs = append(bs, block{kind: note, text: st.alsoIn(res.AlsoIn)})
	}
	if last := first + len(res.Passages) - 1; total > len(res.Passages) && len(res.Passages) > 0 {
		bs = append(bs, block{kind: note, text: st.say(
			fmt.Sprintf("第%d–%d条，共%d条", first, last, total),
			fmt.Sprintf("Results %d–%d of %d", first, last, total))})
	}
	if len(res.Passages) == 0 && !answer {
		// Nothing to quote: say so rather than send an empty message.
		if res.Covered {
			bs = append(bs, block{text: st.say("没有更多结果了。", "No more results.")})
		} else {
			bs = append(bs, block{text: st.notCoveredText(false)})
		}
	}
	return bs
}

// Answer renders an answer as one or more HTML messages: a note in italics
// when the question was cut, the answer sentence in bold when it is short
// and the first passage says more (else the first passage is quoted in
// full), then each passage as a blockquote with the span that answers in
// bold and, on its own line, its citation numbered from first. It is
// Style{}.Answer.
func Answer(res *retrieval.Result, first int) []string { return Style{}.Answer(res, first) }

// Answer renders an answer (see Page).
func (st Style) Answer(res *retrieval.Result, first int) []string { return st.Page(res, first, 0) }

// Page renders one page of an answer with total passages in all: its
// passages are numbered from first, and when they are not all of them a
// last line says which they are ("第4–5条，共5条").
//
// Every message is at most Limit UTF-16 units as Telegram counts them and
// closes every tag it opens. Messages break between passages; a passage
// too long for a message of its own is split, at sentence ends where it
// can be, into parts each quoted in its own message and cited with
// "（k/n）". The first passage is quoted in full when the answer sentence
// has no line of its own; the others collapse past a few lines.
func (st Style) Page(res *retrieval.Result, first, total int) []string {
	if res == nil {
		return nil
	}
	var p packer
	for _, b := range st.answerBlocks(res, first, total, false) {
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
// for reading line by line: "答：" before the answer sentence (always: a
// terminal has no quote to find it in), and each passage under its
// citation, indented, the span that answers between m. It ends with an
// empty line. It is Style{}.AnswerText.
func AnswerText(res *retrieval.Result, first int, m Marks) string {
	return Style{}.AnswerText(res, first, m)
}

// AnswerText renders an answer as plain text (see the function
// AnswerText).
func (st Style) AnswerText(res *retrieval.Result, first int, m Marks) string {
	if res == nil {
		return ""
	}
	var w strings.Builder
	for _, b := range st.answerBlocks(res, first, 0, true) {
		switch b.kind {
		case lead:
			w.WriteString(st.say("答：", "A: ") + b.text + "\n")
		case quote, shown:
			w.WriteString("\n" + b.cite.text + "\n    ")
			pos := 0
			for _, h := range safeSpans(b.text, b.hl) {
				w.WriteString(b.text[pos:h.Start] + m.Open + b.text[h.Start:h.End] + m.Close)
				pos = h.End
			}
			w.WriteString(b.text[pos:] + "\n")
			if b.cite.url != "" {
				w.WriteString("    " + b.cite.url + "\n")
			}
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

// wantedThingEN is wantedThing in English.
func wantedThingEN(res *retrieval.Result) string {
	if res.Query != nil {
		switch res.Query.Want {
		case retrieval.WantDate:
			return "date"
		case retrieval.WantReason:
			return "reason"
		case retrieval.WantList:
			return "list"
		}
	}
	return "figure"
}

// maxAlso bounds how many other reports an answer names.
const maxAlso = 3

// alsoIn says which other reports answer the question too.
func (st Style) alsoIn(refs []retrieval.ReportRef) string {
	var names []string
	for _, r := range refs[:min(len(refs), maxAlso)] {
		names = append(names, "《"+Clip(r.Name, maxQuote)+"》")
	}
	if st.English {
		s := "Other reports speak of this too: " + strings.Join(names, ", ")
		if len(refs) > maxAlso {
			s += fmt.Sprintf(" and more (%d)", len(refs))
		}
		return s + ". Tap “More results” for their passages, or name the place and year in the question."
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
// question's scope was not the reason. It is Style{}.OutOfScope with c.
func OutOfScope(res *retrieval.Result, c *data.Corpus) string {
	return Style{Corpus: c}.OutOfScope(res)
}

// OutOfScope is the function OutOfScope in the reader's language.
func (st Style) OutOfScope(res *retrieval.Result) string {
	if res == nil || res.Scope.Missing == "" {
		return ""
	}
	c := st.Corpus
	if c == nil {
		c = &data.Corpus{}
	}
	named := strings.Join(res.Scope.Unknown, "、")
	switch res.Scope.Missing {
	case "day":
		return st.say("政府工作报告谈的是全年的工作，不谈“"+named+"”这样具体某一天、某一周的事。",
			"A government work report speaks of the whole year, not of a day or week like “"+named+"”.")
	case "year":
		return st.say("收录的报告没有谈到"+named+"的情况。收录的报告谈的是"+coveredYears(c)+"（每份报告回顾上一年、部署当年）。",
			"The reports I hold do not speak of "+named+". They speak of "+coveredYears(c)+" (each reviews the year before it and plans its own).")
	case "place":
		return st.say("没有收录"+named+"的报告。收录了这些地区的报告："+loadedRegions(c)+"。",
			"I hold no report of "+named+". I hold reports of: "+loadedRegions(c)+".")
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

// NotCovered is the reply when the reports do not answer a question, as
// one short HTML message: what was searched (the excerpt or the reports
// loaded, by name, and how much of them) or, when the question named a
// time or place no loaded report covers, that (OutOfScope); where to look
// instead (/topics); and the published text when a report has its
// address. It does not quote the question: the reply is a reply to it.
// res may be nil.
func (st Style) NotCovered(res *retrieval.Result) string {
	s := Escape(st.notCoveredText(true))
	if why := st.OutOfScope(res); why != "" {
		s = Escape(why + st.say("\n可以用 /topics 看看报告谈了哪些方面。", "\n/topics shows what the report covers."))
	}
	if st.Corpus != nil && len(st.Corpus.Reports) == 1 {
		if src := reportSource(st.Corpus.Reports[0]); src != "" {
			s += "\n" + st.say("全文：", "Full text: ") + `<a href="` + Escape(src) + `">` + Escape(Clip(src, maxQuote)) + "</a>"
		}
	}
	return s
}

// searched says what the bot searched, as plain text: "收录的《…》节选
// （8段）", "收录的3份报告".
func (st Style) searched() string {
	if st.Corpus == nil || len(st.Corpus.Reports) == 0 {
		return st.say("收录的报告", "the reports I hold")
	}
	if len(st.Corpus.Reports) > 1 {
		return st.say(fmt.Sprintf("收录的%d份报告", len(st.Corpus.Reports)), fmt.Sprintf("the %d reports I hold", len(st.Corpus.Reports)))
	}
	r := st.Corpus.Reports[0]
	name := "《" + Clip(strings.Join(strings.Fields(strings.ToValidUTF8(reportName(r), "\uFFFD")), " "), maxQuote) + "》"
	n := len(r.Paragraphs)
	if reportExcerpt(r) {
		return st.say(fmt.Sprintf("收录的%s节选（%d段）", name, n), fmt.Sprintf("the excerpt of %s I hold (%d paragraphs)", name, n))
	}
	return st.say(fmt.Sprintf("收录的%s（%d段）", name, n), fmt.Sprintf("%s as I hold it (%d paragraphs)", name, n))
}

func (st Style) notCoveredText(topics bool) string {
	s := st.say("我在"+st.searched()+"里没有找到相关的段落。", "I found nothing on this in "+st.searched()+".")
	if topics {
		s += st.say("\n可以用 /topics 看看报告谈了哪些方面。", "\n/topics shows what the report covers.")
	}
	return s
}

// NotCoveredSentence says, as plain text, that the loaded reports (named
// when there is one) do not speak of question, quoting it cut to 60
// characters: reportbot ask prints it above the list of what it loaded.
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

// Passage renders one passage (an inline answer, a paragraph on its own)
// as a blockquote with the span that answers in bold and its citation,
// the report named, under it, in one message of at most Limit UTF-16
// units: a passage too long for that is cut, at a sentence end where it
// can be, and marked with "…". It is Style{}.Passage.
func Passage(p retrieval.Passage) string { return Style{}.Passage(p) }

// Passage renders one passage (see the function Passage).
func (st Style) Passage(p retrieval.Passage) string { return st.PassageWithin(p, Limit) }

// PassageWithin is Passage in at most limit units, for a message that has
// other parts too (the digest, an inline answer).
func (st Style) PassageWithin(p retrieval.Passage, limit int) string {
	return st.within(block{kind: quote, text: p.Text, hl: AnswerSpans(p), cite: st.cite(p, 0, true)}, limit)
}

// PassageWithin is Style{}.PassageWithin.
func PassageWithin(p retrieval.Passage, limit int) string { return Style{}.PassageWithin(p, limit) }

// within writes one block in at most limit units, cut with "…" if need be.
func (st Style) within(b block, limit int) string {
	citeUnits := 0
	if !b.cite.empty() {
		citeUnits = 1 + units(b.cite.text)
	}
	if units(b.text)+citeUnits > limit {
		e := cut(b.text, 0, limit-citeUnits-1)
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
