// Package render is how an answer looks: Telegram HTML and plain text,
// the span that answers in bold (AnswerSpans), citations, what "not
// covered" says, a section to read, and the packer that fits an answer
// into messages of at most 4096 UTF-16 units. It is the one answer
// format: the bot sends what a Style (the reader's language, and the
// corpus for short citations) renders, and reportbot ask prints what
// AnswerText renders from the same parts, in the same order.
//
// Telegram's HTML parse mode accepts a handful of tags (b, i, blockquote
// expandable, …) and the entities &lt; &gt; &amp; &quot;, and counts a
// message's length in UTF-16 code units of its text once the tags are
// removed and the entities decoded. No Telegram library is needed for that.
package render

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/retrieval"
)

// Limit is the longest message text Telegram accepts, in UTF-16 code
// units of the text after entity parsing.
const Limit = 4096

// Escape escapes s for Telegram's HTML parse mode: &, <, > and " (the last
// so that s is also safe inside an attribute value). Bytes that are not
// UTF-8 become U+FFFD, since Telegram refuses text that is not UTF-8.
func Escape(s string) string {
	if !strings.ContainsAny(s, `&<>"`) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	escapeTo(&b, s)
	return b.String()
}

func escapeTo(b *strings.Builder, s string) {
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

// units is the length Telegram counts for s once escaped: UTF-16 code
// units, with each byte that is not UTF-8 counted as the U+FFFD that
// Escape writes for it.
func units(s string) int {
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

// Len is the length Telegram counts for an HTML message: the UTF-16 code
// units of its text, tags removed and entities decoded. A message may be
// at most Limit.
func Len(html string) int { return units(PlainText(html)) }

var tagRe = regexp.MustCompile(`<[^>]*>`)

// PlainText is the text a reader sees of HTML this package (or a caller
// using Escape) wrote: tags removed, entities decoded.
func PlainText(html string) string {
	s := tagRe.ReplaceAllString(html, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(s)
}

// Clip cuts s to at most n runes, ending a cut string with "…".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
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

// PassageOf is a report's paragraph as a passage with nothing matched, to
// render it on its own (a section read through /topics, the paragraph of
// the day).
func PassageOf(p *data.Paragraph) retrieval.Passage {
	return retrieval.Passage{ReportID: p.Report.ID, Report: p.Report.Title, Section: p.SectionTitle(), Paragraph: p.Number, Text: p.Text}
}
