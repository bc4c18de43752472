package render

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/retrieval"
)

// Style is how answers are written for one reader. The zero value writes
// Chinese and cites every passage in full (Citation), as reportbot ask
// prints it.
type Style struct {
	// Corpus, when set, is the reports the passages come from. Citations
	// are then short enough for one line on a phone: the report's name
	// once (linked to its source when it has one), the section by its
	// number, and the paragraph's number within the section ("二 · 第3段").
	Corpus *data.Corpus
	// English writes the bot's own words in English; the reports' text is
	// quoted as it is.
	English bool
}

func (st Style) say(zh, en string) string {
	if st.English {
		return en
	}
	return zh
}

// reportName is the name a citation gives a report, without 《》: its
// citation name, which tells the loaded reports apart.
func reportName(r *data.Report) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Title
}

// reportSource is the address of the report's published text when it is
// one a reader can open (an absolute http or https URL), or "".
func reportSource(r *data.Report) string {
	u, err := url.Parse(r.Source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return r.Source
}

// reportExcerpt says the loaded text is not the whole report.
func reportExcerpt(r *data.Report) bool { return r.Excerpt }

// report finds a passage's report in the corpus.
func (st Style) report(p retrieval.Passage) *data.Report {
	if st.Corpus == nil {
		return nil
	}
	for _, r := range st.Corpus.Reports {
		if r.ID == p.ReportID {
			return r
		}
	}
	return nil
}

// citation is a citation line as it is written: its text, of which the
// byte span link, when url is set, links to url (the report's name to its
// published text).
type citation struct {
	text       string
	url        string
	start, end int // the link's span of text
}

func plainCitation(s string) citation { return citation{text: s} }

func (c citation) empty() bool { return c.text == "" }

func (c citation) suffixed(s string) citation { c.text += s; return c }

// where is a passage's place in its report, short: the section by its
// number ("二", "一（三）", "开篇") and the paragraph's number within the
// section, or the title passage.
func (st Style) where(p retrieval.Passage) string {
	r := st.report(p)
	if p.Paragraph == 0 {
		return st.say("标题", "title")
	}
	if r == nil || p.Paragraph > len(r.Paragraphs) || r.Paragraphs[p.Paragraph-1].Section == nil {
		return st.say(fmt.Sprintf("第%d段", p.Paragraph), fmt.Sprintf("para. %d", p.Paragraph))
	}
	return st.whereOf(r.Paragraphs[p.Paragraph-1])
}

// whereOf is where for a paragraph at hand.
func (st Style) whereOf(para *data.Paragraph) string {
	sec := para.Section
	if sec == nil {
		return st.say("标题", "title")
	}
	n := 1
	for i, q := range sec.Paragraphs {
		if q == para {
			n = i + 1
			break
		}
	}
	return sectionLabel(sec) + " · " + st.say(fmt.Sprintf("第%d段", n), fmt.Sprintf("para. %d", n))
}

// sectionLabel names a section by its numbering ("二" of "二、2024年工作
// 安排", "一（三）" for "（三）…" under "一、…", "第一章"), or by its title,
// cut short, when it has none.
func sectionLabel(sec *data.Section) string {
	num := numbering(sec.Title)
	if num == "" {
		return Clip(sec.Title, 10)
	}
	if strings.HasPrefix(num, "（") {
		if parent := numbering(sec.Parent); parent != "" && !strings.HasPrefix(parent, "（") {
			return parent + num
		}
	}
	return num
}

// numbering is the heading number a title starts with: "二" of "二、…",
// "（三）" of "（三）…", "第一章" of "第一章 …"; "" for none.
func numbering(title string) string {
	t := strings.TrimSpace(title)
	isNum := func(r rune) bool {
		return strings.ContainsRune("一二三四五六七八九十百零〇", r) || unicode.IsDigit(r)
	}
	switch {
	case strings.HasPrefix(t, "（") || strings.HasPrefix(t, "("):
		end := strings.IndexAny(t, "）)")
		if end < 0 {
			return ""
		}
		_, open := utf8.DecodeRuneInString(t)
		inner := t[open:end]
		if inner == "" || strings.IndexFunc(inner, func(r rune) bool { return !isNum(r) }) >= 0 {
			return ""
		}
		return "（" + inner + "）"
	case strings.HasPrefix(t, "第"):
		rest := strings.TrimPrefix(t, "第")
		i := strings.IndexFunc(rest, func(r rune) bool { return !isNum(r) })
		if i <= 0 {
			return ""
		}
		unit, _ := utf8.DecodeRuneInString(rest[i:])
		if !strings.ContainsRune("章节部篇", unit) {
			return ""
		}
		return "第" + rest[:i] + string(unit)
	}
	i := strings.IndexFunc(t, func(r rune) bool { return !isNum(r) })
	if i <= 0 {
		return ""
	}
	sep, _ := utf8.DecodeRuneInString(t[i:])
	if !strings.ContainsRune("、.．", sep) {
		return ""
	}
	return t[:i]
}

// cite writes a passage's citation: "[n] " when n > 0, then, when named,
// the report's name, then where the passage stands. Without a corpus it
// is "[n] " and Citation. (That a report is an excerpt is said where it
// matters, when the bot says what it did not find.)
func (st Style) cite(p retrieval.Passage, n int, named bool) citation {
	num := ""
	if n > 0 {
		num = fmt.Sprintf("[%d] ", n)
	}
	r := st.report(p)
	if r == nil {
		return citation{text: Clip(num+Citation(p), maxCite)}
	}
	c := citation{text: num}
	if named {
		c.start = len(c.text)
		c.text += "《" + Clip(reportName(r), maxQuote) + "》"
		c.end = len(c.text)
		c.url = reportSource(r)
		c.text += st.say("", " ")
	}
	c.text += st.where(p)
	return c
}

// Cite is a passage's citation as plain text, the report named:
// "《name》二 · 第3段" with a corpus, Citation without.
func (st Style) Cite(p retrieval.Passage) string { return st.cite(p, 0, true).text }

// oneReport says every passage comes from the same report.
func oneReport(ps []retrieval.Passage) bool {
	for _, p := range ps[1:] {
		if p.ReportID != ps[0].ReportID {
			return false
		}
	}
	return true
}
