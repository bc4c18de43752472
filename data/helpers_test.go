package data

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// closers may follow a sentence's end mark and belong to that sentence.
const closers = "”’」』）)】"

// pageFurniture is text that only web-page boilerplate carries; none of it
// may survive into a paragraph, a header or a section title.
var pageFurniture = []string{"导航菜单", "本文仅代表", "本站", "本文地址", ".html", "留言与评论", "验证码"}

// checkSentences asserts that spans are a valid sentence split of text:
// inside it, in order, non-empty, trimmed, covering every non-space byte,
// each ending with an end mark (optionally followed by closing quotes)
// except a final unterminated run.
func checkSentences(t *testing.T, where, text string, spans []Span) {
	t.Helper()
	prev := 0
	for i, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Errorf("%s: sentence %d span %v out of order or outside text (len %d, previous end %d)", where, i, s, len(text), prev)
			return
		}
		if !utf8.ValidString(text[s.Start:s.End]) && utf8.ValidString(text) {
			t.Errorf("%s: sentence %d span %v cuts a character", where, i, s)
		}
		if gap := text[prev:s.Start]; strings.TrimSpace(gap) != "" {
			t.Errorf("%s: text %q before sentence %d is in no sentence", where, gap, i)
		}
		sent := text[s.Start:s.End]
		if strings.TrimSpace(sent) == "" {
			t.Errorf("%s: sentence %d is blank", where, i)
		} else if strings.TrimSpace(sent) != sent {
			t.Errorf("%s: sentence %d %q has spaces around it", where, i, sent)
		}
		if i < len(spans)-1 {
			body := strings.TrimRight(sent, closers)
			last, _ := utf8.DecodeLastRuneInString(body)
			if !strings.ContainsRune("。！？!?", last) {
				t.Errorf("%s: sentence %d %q does not end with 。！？!? (or a closing quote after one)", where, i, sent)
			}
		}
		prev = s.End
	}
	if rest := text[prev:]; strings.TrimSpace(rest) != "" {
		t.Errorf("%s: trailing text %q is in no sentence", where, rest)
	}
}

// checkReport asserts the structural invariants every parsed report keeps,
// and that none of the given furniture strings survived.
func checkReport(t *testing.T, r *Report, furniture []string) {
	t.Helper()
	if r.Header == nil {
		t.Fatalf("%s: no header passage", r.ID)
	}
	if r.Header.Number != 0 || r.Header.Section != nil || r.Header.Report != r {
		t.Errorf("%s: header is numbered %d in section %v; want number 0, no section", r.ID, r.Header.Number, r.Header.Section)
	}
	if r.Header.SectionTitle() != HeaderSection {
		t.Errorf("%s: header section title %q, want %q", r.ID, r.Header.SectionTitle(), HeaderSection)
	}
	if !strings.Contains(r.Header.Text, r.Title) {
		t.Errorf("%s: header %q does not contain the title %q", r.ID, r.Header.Text, r.Title)
	}
	if r.Date != "" && !strings.Contains(r.Header.Text, r.Date) {
		t.Errorf("%s: header %q does not contain the date %q", r.ID, r.Header.Text, r.Date)
	}
	var fromSections []*Paragraph
	for _, s := range r.Sections {
		if len(s.Paragraphs) == 0 && s.Title == OpeningSection {
			t.Errorf("%s: empty opening section", r.ID)
		}
		for _, p := range s.Paragraphs {
			if p.Section != s {
				t.Errorf("%s#%d: paragraph points at section %q, is listed under %q", r.ID, p.Number, p.SectionTitle(), s.Title)
			}
		}
		fromSections = append(fromSections, s.Paragraphs...)
	}
	if len(fromSections) != len(r.Paragraphs) {
		t.Errorf("%s: sections hold %d paragraphs, report lists %d", r.ID, len(fromSections), len(r.Paragraphs))
	}
	for i, p := range r.Paragraphs {
		if i < len(fromSections) && fromSections[i] != p {
			t.Errorf("%s: paragraph %d is not in reading order with its section", r.ID, i+1)
		}
		if p.Number != i+1 {
			t.Errorf("%s: paragraph %d is numbered %d", r.ID, i+1, p.Number)
		}
		if p.Report != r {
			t.Errorf("%s#%d: paragraph points at another report", r.ID, p.Number)
		}
		if p.Text == "" || strings.TrimFunc(p.Text, unicode.IsSpace) != p.Text {
			t.Errorf("%s#%d: text %q is empty or untrimmed", r.ID, p.Number, p.Text)
		}
		for _, s := range r.Sections {
			if p.Text == s.Title {
				t.Errorf("%s#%d: the heading line %q is a paragraph", r.ID, p.Number, s.Title)
			}
		}
		checkSentences(t, p.ID(), p.Text, p.Sentences)
	}
	texts := []string{r.Title, r.Date, r.Speaker, r.Header.Text}
	for _, s := range r.Sections {
		texts = append(texts, s.Title, s.Parent)
	}
	for _, p := range r.Paragraphs {
		texts = append(texts, p.Text)
	}
	for _, text := range texts {
		for _, f := range furniture {
			if strings.Contains(text, f) {
				t.Errorf("%s: page boilerplate %q survived in %q", r.ID, f, text)
			}
		}
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "reports", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// makeDocx builds a Word .docx holding paragraphs, one w:p each, the way
// Word writes them: text cut into runs with their own properties, a tab as
// w:tab and a line break ("\n") as w:br.
func makeDocx(t testing.TB, paragraphs []string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString(`<w:p><w:pPr><w:ind w:firstLine="560"/><w:rPr><w:sz w:val="28"/></w:rPr></w:pPr>`)
		runes := []rune(p)
		for len(runes) > 0 {
			n := min(7, len(runes))
			body.WriteString(`<w:r><w:rPr><w:rFonts w:hint="eastAsia"/><w:sz w:val="28"/></w:rPr>`)
			var text strings.Builder
			flush := func() {
				if text.Len() > 0 {
					body.WriteString(`<w:t xml:space="preserve">`)
					xml.EscapeText(&body, []byte(text.String()))
					body.WriteString(`</w:t>`)
					text.Reset()
				}
			}
			for _, r := range runes[:n] {
				switch r {
				case '\t':
					flush()
					body.WriteString(`<w:tab/>`)
				case '\n':
					flush()
					body.WriteString(`<w:br/>`)
				default:
					text.WriteRune(r)
				}
			}
			flush()
			body.WriteString(`</w:r>`)
			runes = runes[n:]
		}
		body.WriteString(`</w:p>`)
	}
	return makeDocxXML(t, body.String())
}

// makeDocxXML wraps a document body's XML in a .docx archive.
func makeDocxXML(t testing.TB, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>` + body + `<w:sectPr/></w:body></w:document>`},
	}
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
