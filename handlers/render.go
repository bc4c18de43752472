package handlers

// Rendering answers as Telegram messages in HTML parse mode, with no
// Telegram library: Telegram accepts a handful of tags (b, i, blockquote
// expandable, …) and the entities &lt; &gt; &amp; &quot;, and counts a
// message's length in UTF-16 code units of its text once the tags are
// removed and the entities decoded. A message may be at most 4096 of them.

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/retrieval"
)

// renderLimit is the longest message text Telegram accepts, in UTF-16 code
// units of the text after entity parsing.
const renderLimit = 4096

const (
	// renderMaxCite bounds a citation line, in runes, so that a report or
	// section with an absurd title still leaves room for the quote.
	renderMaxCite = 200
	// renderMinPart is the least room (UTF-16 units) worth starting a split
	// passage in after other content; with less, it starts a new message.
	renderMinPart = 500
	// renderPartReserve is room kept for a split part's "（k/n）".
	renderPartReserve = 24
	// renderMaxQuote bounds the question quoted in a "not covered" reply.
	renderMaxQuote = 60
)

// Escape escapes s for Telegram's HTML parse mode: &, <, > and " (the last
// so that s is also safe inside an attribute value). Bytes that are not
// UTF-8 become U+FFFD, since Telegram refuses text that is not UTF-8.
func Escape(s string) string {
	if !strings.ContainsAny(s, `&<>"`) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	renderEscapeTo(&b, s)
	return b.String()
}

func renderEscapeTo(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				b.WriteString("&amp;")
			case '<':
				b.WriteString("&lt;")
			case '>':
				b.WriteString("&gt;")
			case '"':
				b.WriteString("&quot;")
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}

// renderUnits is the length Telegram counts for s once escaped: UTF-16
// code units, with each byte that is not UTF-8 counted as the U+FFFD that
// Escape writes for it.
func renderUnits(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += utf16.RuneLen(r) // RuneError (U+FFFD) counts 1
		i += size
	}
	return n
}

// Citation names where a passage comes from, as plain text (not escaped):
// 《report》· section · 第N段, or 《report》· 标题 for a report's title
// passage (paragraph 0).
func Citation(p retrieval.Passage) string {
	report := p.Report
	if report == "" {
		report = p.ReportID
	}
	if p.Paragraph == 0 {
		return fmt.Sprintf("《%s》· 标题", report)
	}
	if p.Section == "" || p.Section == data.HeaderSection {
		return fmt.Sprintf("《%s》· 第%d段", report, p.Paragraph)
	}
	return fmt.Sprintf("《%s》· %s · 第%d段", report, p.Section, p.Paragraph)
}

// RenderAnswer renders an answer as one or more HTML messages: a note when
// the question was cut (res.Truncated), the answer sentence in bold (left
// out when res.Answer is empty, as on a "更多结果" page), then each passage
// as an expandable blockquote with the matched words in bold and, on its
// own line, its citation numbered from first ("[4] 《…》· … · 第N段").
//
// Every message is at most 4096 UTF-16 units as Telegram counts them and
// closes every tag it opens. Messages break between passages; a passage
// too long for a message of its own is split, at sentence ends where it
// can be, into parts each quoted in its own message and cited with
// "（k/n）".
func RenderAnswer(res *retrieval.Result, first int) []string {
	if res == nil {
		return nil
	}
	var p renderPacker
	if res.Truncated {
		note := fmt.Sprintf("（问题超过%d字，只按前%d字检索。）", retrieval.MaxQuestionRunes, retrieval.MaxQuestionRunes)
		p.add(renderBlock{text: note, open: "<i>", close: "</i>"}, 1)
	}
	if strings.TrimSpace(res.Answer) != "" {
		p.add(renderBlock{text: res.Answer, open: "<b>", close: "</b>"}, 1)
	}
	for i, ps := range res.Passages {
		p.add(renderBlock{
			text:  ps.Text,
			hl:    renderSpans(ps.Text, ps.Highlights),
			open:  "<blockquote expandable>",
			close: "</blockquote>",
			cite:  renderClip(fmt.Sprintf("[%d] %s", first+i, Citation(ps)), renderMaxCite),
		}, 2)
	}
	if len(res.Passages) == 0 && strings.TrimSpace(res.Answer) == "" {
		// Nothing to quote: say so rather than send an empty message.
		if res.Covered {
			p.add(renderBlock{text: "没有更多结果了。"}, 1)
		} else {
			p.add(renderBlock{text: renderNotCoveredText(res.Question, nil)}, 1)
		}
	}
	p.flush()
	return p.msgs
}

// RenderNotCovered is the reply when the report does not answer question:
// one sentence saying so, quoting the question (cut to 60 characters),
// and where to look instead. It is one short message.
func RenderNotCovered(question string, c *data.Corpus) string {
	return Escape(renderNotCoveredText(question, c))
}

func renderNotCoveredText(question string, c *data.Corpus) string {
	q := renderClip(strings.Join(strings.Fields(strings.ToValidUTF8(question, "\uFFFD")), " "), renderMaxQuote)
	var who string
	switch {
	case c != nil && len(c.Reports) == 1 && strings.TrimSpace(c.Reports[0].Title) != "":
		who = "《" + renderClip(strings.Join(strings.Fields(strings.ToValidUTF8(c.Reports[0].Title, "\uFFFD")), " "), renderMaxQuote) + "》"
	case c != nil && len(c.Reports) > 1:
		who = fmt.Sprintf("这%d份报告都", len(c.Reports))
	default:
		who = "报告"
	}
	var b strings.Builder
	if q == "" {
		b.WriteString(who + "没有谈到这个问题。")
	} else {
		b.WriteString(who + "没有谈到这个问题：“" + q + "”。")
	}
	b.WriteString("\n可以用 /topics 查看报告的各部分。")
	return b.String()
}

// RenderPassage renders one passage (for an inline answer, or a section
// read through /topics) as an expandable blockquote with its matched words
// in bold and its citation under it, in one message of at most 4096 UTF-16
// units: a passage too long for that is cut, at a sentence end where it can
// be, and marked with "…".
func RenderPassage(p retrieval.Passage) string { return renderPassageWithin(p, renderLimit) }

// renderPassageWithin is RenderPassage in at most limit units, for a
// message that has other parts too (the digest).
func renderPassageWithin(p retrieval.Passage, limit int) string {
	b := renderBlock{
		text:  p.Text,
		hl:    renderSpans(p.Text, p.Highlights),
		open:  "<blockquote expandable>",
		close: "</blockquote>",
		cite:  renderClip(Citation(p), renderMaxCite),
	}
	var m renderMsg
	citeUnits := renderUnits(b.cite)
	if renderUnits(b.text)+1+citeUnits <= limit {
		m.part(b, 0, len(b.text), "")
	} else {
		e := renderCut(b.text, 0, limit-1-citeUnits-1)
		b.text = b.text[:e] + "…"
		hl := b.hl[:0:0]
		for _, h := range b.hl {
			if h.Start < e {
				hl = append(hl, data.Span{Start: h.Start, End: min(h.End, e)})
			}
		}
		b.hl = hl
		m.part(b, 0, len(b.text), "")
	}
	return m.b.String()
}

// renderBlock is one piece of a reply: text wrapped in open…close, with
// highlights (byte spans of text) in bold and, when cite is set, a
// citation line after it.
type renderBlock struct {
	text        string
	hl          []data.Span
	open, close string
	cite        string
}

// renderMsg is a message being built: its HTML and its length in UTF-16
// units as Telegram will count it.
type renderMsg struct {
	b strings.Builder
	n int
}

func (m *renderMsg) empty() bool { return m.b.Len() == 0 }

func (m *renderMsg) text(s string) {
	renderEscapeTo(&m.b, s)
	m.n += renderUnits(s)
}

// part writes text[s:e] of b, wrapped and with its highlights, and the
// citation with suffix when b has one.
func (m *renderMsg) part(b renderBlock, s, e int, suffix string) {
	m.b.WriteString(b.open)
	pos := s
	for _, h := range b.hl {
		hs, he := max(h.Start, s), min(h.End, e)
		if hs >= he {
			continue
		}
		m.text(b.text[pos:hs])
		m.b.WriteString("<b>")
		m.text(b.text[hs:he])
		m.b.WriteString("</b>")
		pos = he
	}
	m.text(b.text[pos:e])
	m.b.WriteString(b.close)
	if b.cite != "" {
		m.text("\n" + b.cite + suffix)
	}
}

// renderPacker packs blocks into messages.
type renderPacker struct {
	msgs []string
	cur  renderMsg
}

func (p *renderPacker) flush() {
	if !p.cur.empty() {
		p.msgs = append(p.msgs, p.cur.b.String())
	}
	p.cur = renderMsg{}
}

// gap is the separator before the next block: gap newlines, or none at
// the start of a message.
func (p *renderPacker) gap(gap int) int {
	if p.cur.empty() {
		return 0
	}
	return gap
}

// add appends b after gap newlines: in the current message when it fits,
// else in a new one, else split into parts across messages.
func (p *renderPacker) add(b renderBlock, gap int) {
	overhead := 0
	if b.cite != "" {
		overhead = 1 + renderUnits(b.cite)
	}
	whole := renderUnits(b.text) + overhead
	if whole+p.gap(gap) > renderLimit-p.cur.n {
		if whole > renderLimit {
			p.split(b, gap, overhead)
			return
		}
		p.flush()
	}
	p.cur.text(strings.Repeat("\n", p.gap(gap)))
	p.cur.part(b, 0, len(b.text), "")
}

// split spreads a block too long for any message over several: the first
// part in the current message if there is fair room left, each further
// part in a message of its own.
func (p *renderPacker) split(b renderBlock, gap, overhead int) {
	if b.cite != "" {
		overhead += renderPartReserve
	}
	type cut struct{ s, e int }
	var cuts []cut
	if renderLimit-p.cur.n-p.gap(gap)-overhead < renderMinPart {
		p.flush()
	}
	n, g := p.cur.n, p.gap(gap)
	for s := 0; s < len(b.text); {
		e := renderCut(b.text, s, renderLimit-n-g-overhead)
		cuts = append(cuts, cut{s, e})
		n, g, s = 0, 0, e
	}
	for k, c := range cuts {
		if k > 0 {
			p.flush()
		}
		suffix := ""
		if b.cite != "" {
			suffix = fmt.Sprintf("（%d/%d）", k+1, len(cuts))
		}
		p.cur.text(strings.Repeat("\n", p.gap(gap)))
		p.cur.part(b, c.s, c.e, suffix)
	}
}

// renderCut returns where the part of text starting at s should end so
// that text[s:e] is at most budget UTF-16 units: the whole rest if it fits;
// else after the last sentence (。！？!? or a line break, with closing
// quotes and spaces), else after the last clause (，；：、…), else between
// two characters that do not belong together (never inside a character,
// an emoji sequence or before a combining mark or a space), and only as a
// last resort anywhere between runes. It always makes progress.
func renderCut(text string, s, budget int) int {
	budget = max(budget, 2)
	var (
		units                    int
		sent, clause, soft, hard = -1, -1, -1, -1
		sentUnits, clauseUnits   int
		prev                     rune = -1
		afterTerm                bool
		i                        = s
		firstSize                int
	)
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if i == s {
			firstSize = size
		}
		if i > s {
			hard = i
			if renderSoftCut(prev, r) {
				soft = i
			}
			if afterTerm && !renderTerminator(r) && !renderCloser(r) && !unicode.IsSpace(r) {
				sent, sentUnits = i, units
			}
			if renderClause(prev) && !renderCloser(r) && !unicode.IsSpace(r) && !renderClause(r) {
				clause, clauseUnits = i, units
			}
		}
		u := utf16.RuneLen(r)
		if units+u > budget {
			break
		}
		units += u
		switch {
		case renderTerminator(r):
			afterTerm = true
		case renderCloser(r) || unicode.IsSpace(r):
		default:
			afterTerm = false
		}
		prev = r
		i += size
	}
	switch {
	case i >= len(text):
		return len(text)
	case sent > s && sentUnits >= budget/3:
		return sent
	case clause > s && clauseUnits >= budget/3:
		return clause
	case sent > s:
		return sent
	case clause > s:
		return clause
	case soft > s:
		return soft
	case hard > s:
		return hard
	}
	return s + firstSize
}

func renderTerminator(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '\n', '…':
		return true
	}
	return false
}

func renderCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '】', '》', '"', '\'':
		return true
	}
	return false
}

func renderClause(r rune) bool {
	switch r {
	case '，', ',', '；', ';', '：', ':', '、':
		return true
	}
	return false
}

// renderSoftCut says whether a part may end between prev and r: not before
// a space (Telegram trims it from the start of the next message), nor
// inside what shows as one character: a combining mark, a variation
// selector, an emoji modifier or tag, a zero-width joiner sequence, a flag.
func renderSoftCut(prev, r rune) bool {
	switch {
	case unicode.IsSpace(r), unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc):
		return false
	case r == 0x200D, prev == 0x200D, r == 0x20E3:
		return false
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return false
	case r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F:
		return false
	case r >= 0x1F1E6 && r <= 0x1F1FF && prev >= 0x1F1E6 && prev <= 0x1F1FF:
		return false
	case prev == '\r' && r == '\n':
		return false
	}
	return true
}

// renderSpans makes highlight spans safe to render: inside text, on rune
// boundaries, non-empty, sorted and merged.
func renderSpans(text string, spans []data.Span) []data.Span {
	if len(spans) == 0 {
		return nil
	}
	out := make([]data.Span, 0, len(spans))
	for _, sp := range spans {
		a := min(max(sp.Start, 0), len(text))
		b := min(max(sp.End, 0), len(text))
		for a > 0 && a < len(text) && !utf8.RuneStart(text[a]) {
			a--
		}
		for b < len(text) && !utf8.RuneStart(text[b]) {
			b++
		}
		if a < b {
			out = append(out, data.Span{Start: a, End: b})
		}
	}
	slices.SortFunc(out, func(x, y data.Span) int { return x.Start - y.Start })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && sp.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, sp.End)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// renderClip cuts s to at most n runes, ending a cut string with "…".
func renderClip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
