package render

// Packing an answer into Telegram messages: blocks of text go into a
// message while they fit; one too long for any message is split at a
// sentence end where it can be.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"reportbot/data"
)

const (
	// minPart is the least room (UTF-16 units) worth starting a split
	// passage in after other content; with less, it starts a new message.
	minPart = 500
	// partReserve is room kept for a split part's "（k/n）".
	partReserve = 24
)

// kind is what a block is, which says how it looks.
type kind int

const (
	plain kind = iota // the bot's own words
	note              // a remark on the asking, in italics
	lead              // the answer sentence, in bold
	quote             // a passage: quoted (collapsed past a few lines), its answer in bold, cited
	shown             // a passage quoted in full, never collapsed
)

// block is one piece of a reply: text, with highlights (byte spans of
// text, as safeSpans returns them) in bold and, when cite is set, a
// citation line after it.
type block struct {
	kind kind
	text string
	hl   []data.Span
	cite citation
}

// tags are the HTML tags around the block's text.
func (b block) tags() (open, close string) {
	switch b.kind {
	case note:
		return "<i>", "</i>"
	case lead:
		return "<b>", "</b>"
	case quote:
		return "<blockquote expandable>", "</blockquote>"
	case shown:
		return "<blockquote>", "</blockquote>"
	}
	return "", ""
}

// gap is how many newlines go before the block after other content: a
// quote stands apart by an empty line.
func (b block) gap() int {
	if b.kind == quote || b.kind == shown {
		return 2
	}
	return 1
}

// message is a message being built: its HTML and its length in UTF-16
// units as Telegram will count it.
type message struct {
	b strings.Builder
	n int
}

func (m *message) empty() bool { return m.b.Len() == 0 }

func (m *message) text(s string) {
	escapeTo(&m.b, s)
	m.n += units(s)
}

// part writes text[s:e] of b, wrapped and with its highlights, and the
// citation with suffix when b has one.
func (m *message) part(b block, s, e int, suffix string) {
	open, close := b.tags()
	m.b.WriteString(open)
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
	m.b.WriteString(close)
	if !b.cite.empty() {
		m.text("\n")
		m.citation(b.cite.suffixed(suffix))
	}
}

// citation writes a citation line, its link as an <a> tag.
func (m *message) citation(c citation) {
	if c.url == "" || c.start >= c.end {
		m.text(c.text)
		return
	}
	m.text(c.text[:c.start])
	m.b.WriteString(`<a href="` + Escape(c.url) + `">`)
	m.text(c.text[c.start:c.end])
	m.b.WriteString("</a>")
	m.text(c.text[c.end:])
}

// packer packs blocks into messages.
type packer struct {
	msgs []string
	cur  message
}

func (p *packer) flush() {
	if !p.cur.empty() {
		p.msgs = append(p.msgs, p.cur.b.String())
	}
	p.cur = message{}
}

// sep is the number of newlines before b: its gap, or none at the start
// of a message.
func (p *packer) sep(b block) int {
	if p.cur.empty() {
		return 0
	}
	return b.gap()
}

// add appends b after its gap: in the current message when it fits, else
// in a new one, else split into parts across messages.
func (p *packer) add(b block) {
	overhead := 0
	if !b.cite.empty() {
		overhead = 1 + units(b.cite.text)
	}
	whole := units(b.text) + overhead
	if whole+p.sep(b) > Limit-p.cur.n {
		if whole > Limit {
			p.split(b, overhead)
			return
		}
		p.flush()
	}
	p.cur.text(strings.Repeat("\n", p.sep(b)))
	p.cur.part(b, 0, len(b.text), "")
}

// split spreads a block too long for any message over several: the first
// part in the current message if there is fair room left, each further
// part in a message of its own.
func (p *packer) split(b block, overhead int) {
	if !b.cite.empty() {
		overhead += partReserve
	}
	type piece struct{ s, e int }
	var pieces []piece
	if Limit-p.cur.n-p.sep(b)-overhead < minPart {
		p.flush()
	}
	n, g := p.cur.n, p.sep(b)
	for s := 0; s < len(b.text); {
		e := cut(b.text, s, Limit-n-g-overhead)
		pieces = append(pieces, piece{s, e})
		n, g, s = 0, 0, e
	}
	for k, c := range pieces {
		if k > 0 {
			p.flush()
		}
		suffix := ""
		if !b.cite.empty() {
			suffix = fmt.Sprintf("（%d/%d）", k+1, len(pieces))
		}
		p.cur.text(strings.Repeat("\n", p.sep(b)))
		p.cur.part(b, c.s, c.e, suffix)
	}
}

// cut returns where the part of text starting at s should end so
// that text[s:e] is at most budget UTF-16 units: the whole rest if it fits;
// else after the last sentence (。！？!? or a line break, with closing
// quotes and spaces), else after the last clause (，；：、…), else between
// two characters that do not belong together (never inside a character,
// an emoji sequence or before a combining mark or a space), and only as a
// last resort anywhere between runes. It always makes progress.
func cut(text string, s, budget int) int {
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
			if isSoftCut(prev, r) {
				soft = i
			}
			if afterTerm && !isTerminator(r) && !isCloser(r) && !unicode.IsSpace(r) {
				sent, sentUnits = i, units
			}
			if isClause(prev) && !isCloser(r) && !unicode.IsSpace(r) && !isClause(r) {
				clause, clauseUnits = i, units
			}
		}
		u := utf16.RuneLen(r)
		if units+u > budget {
			break
		}
		units += u
		switch {
		case isTerminator(r):
			afterTerm = true
		case isCloser(r) || unicode.IsSpace(r):
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

func isTerminator(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '\n', '…':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '】', '》', '"', '\'':
		return true
	}
	return false
}

func isClause(r rune) bool {
	switch r {
	case '，', ',', '；', ';', '：', ':', '、':
		return true
	}
	return false
}

// isSoftCut says whether a part may end between prev and r: not before
// a space (Telegram trims it from the start of the next message), nor
// inside what shows as one character: a combining mark, a variation
// selector, an emoji modifier or tag, a zero-width joiner sequence, a flag.
func isSoftCut(prev, r rune) bool {
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

// safeSpans makes highlight spans safe to render: inside text, on rune
// boundaries, non-empty, sorted and merged.
func safeSpans(text string, spans []data.Span) []data.Span {
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
	return data.MergeSpans(out)
}
