package render

import (
	"fmt"

	"reportbot/data"
	"reportbot/retrieval"
)

// perPage is how many paragraphs one page of a section shows at most: a
// phone's screen of reading.
const perPage = 2

// sectionPages splits a section's paragraphs into pages of at most
// perPage, each page within one message after its heading.
func (st Style) sectionPages(sec *data.Section) [][]*data.Paragraph {
	budget := Limit - units(st.sectionHeading(sec)) - 64
	var pages [][]*data.Paragraph
	var cur []*data.Paragraph
	used := 0
	for _, p := range sec.Paragraphs {
		n := units(p.Text) + 16
		if len(cur) > 0 && (len(cur) == perPage || used+n > budget) {
			pages = append(pages, cur)
			cur, used = nil, 0
		}
		cur = append(cur, p)
		used += n
	}
	if len(cur) > 0 || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

func (st Style) sectionHeading(sec *data.Section) string {
	name := ""
	if len(sec.Paragraphs) > 0 && sec.Paragraphs[0].Report != nil {
		name = "《" + Clip(reportName(sec.Paragraphs[0].Report), maxQuote) + "》"
	}
	return name + Clip(sec.Title, maxQuote)
}

// Section renders page (from 0) of a section for reading, as one HTML
// message: the report and the section in bold, then the page's
// paragraphs, each quoted in full (not collapsed, nothing in bold) with
// its number within the section. It returns the message and how many
// pages the section has; a page past the end is the last.
func (st Style) Section(sec *data.Section, page int) (html string, pages int) {
	all := st.sectionPages(sec)
	page = min(max(page, 0), len(all)-1)
	var m message
	m.b.WriteString("<b>")
	m.text(st.sectionHeading(sec))
	m.b.WriteString("</b>")
	left := Limit - m.n
	n := 0 // paragraphs on the pages before
	for _, pg := range all[:page] {
		n += len(pg)
	}
	for i, p := range all[page] {
		num := st.say(fmt.Sprintf("第%d段", n+i+1), fmt.Sprintf("para. %d", n+i+1))
		b := block{kind: shown, text: p.Text, cite: plainCitation(num)}
		html := st.within(b, left-2)
		m.text("\n\n")
		m.b.WriteString(html)
		m.n += Len(html)
		left = Limit - m.n
	}
	return m.b.String(), len(all)
}

// Shared is a passage as it is posted into a chat through inline mode:
// the question asked (the chat has not seen it), then the passage with
// the span that answers in bold and its citation, the report named.
func (st Style) Shared(question string, p retrieval.Passage) string {
	head := "❓ " + Escape(Clip(question, 100)) + "\n"
	return head + st.PassageWithin(p, Limit-Len(head))
}

// Read renders a paragraph to be read on its own (the paragraph of the
// day): quoted in full, never collapsed, nothing in bold, its citation
// with the report named under it, in at most limit units.
func (st Style) Read(p retrieval.Passage, limit int) string {
	return st.within(block{kind: shown, text: p.Text, cite: st.cite(p, 0, true)}, limit)
}
