// Package data holds the reports reportbot answers from and turns each one,
// as it was published, into Report → Section → Paragraph → sentences.
//
// The default report is embedded in the binary, so the bot runs with no files
// beside it; more reports can be added from a folder (REPORTS_DIR). Published
// pages carry web boilerplate (navigation, disclaimers, page addresses,
// comment boxes); the loader removes it by rules about what such lines look
// like, never by line numbers, so the same rules hold on other pages.
package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Report is one loaded report.
type Report struct {
	// ID is the file name without its extension; it is stable across loads
	// and names the report in document IDs and cache keys.
	ID string `json:"id"`
	// Title is the report's title without the date or site prefixes.
	Title string `json:"title"`
	// Date is the date the report was delivered, as written ("2024年1月15日"),
	// or "" when the page does not say.
	Date string `json:"date,omitempty"`
	// Speaker is the line under the title that says who delivered it and
	// where, when the page has one.
	Speaker string `json:"speaker,omitempty"`
	// Header is the report's title block (title, date, speaker line) as a
	// passage of its own, so that questions about the report itself (when,
	// by whom) can be answered by quoting it. It is not a body paragraph: it
	// is numbered 0 and left out of Paragraphs and of the daily rotation.
	Header *Paragraph `json:"header"`
	// Sections in reading order. Paragraphs before the first heading belong
	// to an opening section titled OpeningSection.
	Sections []*Section `json:"sections"`
	// Paragraphs are all body paragraphs in reading order, numbered from 1.
	Paragraphs []*Paragraph `json:"-"`
}

// OpeningSection titles the paragraphs that come before a report's first
// heading.
const OpeningSection = "开篇"

// HeaderSection titles the header passage (title, date, speaker).
const HeaderSection = "报告信息"

// Section is a run of paragraphs under one heading.
type Section struct {
	// Title is the heading as written, numbering included ("二、2024年工作安排").
	Title string `json:"title"`
	// Parent is the title of the enclosing section for a sub-section
	// ("（一）…" under "一、…"), or "".
	Parent     string       `json:"parent,omitempty"`
	Paragraphs []*Paragraph `json:"-"`
}

// Paragraph is the unit that is indexed, quoted and cited.
type Paragraph struct {
	Report  *Report  `json:"-"`
	Section *Section `json:"-"`
	// Number counts body paragraphs from 1 within the report; 0 is the header.
	Number int `json:"number"`
	// Text is the paragraph as published, trimmed of indentation.
	Text string `json:"text"`
	// Sentences are byte ranges of Text, split after 。！？ (and ASCII !?),
	// keeping closing quotes with the sentence they close.
	Sentences []Span `json:"sentences"`
}

// Span is a half-open byte range [Start, End) of a paragraph's Text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// MergeSpans sorts spans and merges those that overlap or touch, in place;
// it returns the merged prefix of spans.
func MergeSpans(spans []Span) []Span {
	slices.SortFunc(spans, func(x, y Span) int { return x.Start - y.Start })
	merged := spans[:0]
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, sp.End)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// ID names the paragraph uniquely in a corpus: "<report id>#<number>".
func (p *Paragraph) ID() string { return p.Report.ID + "#" + strconv.Itoa(p.Number) }

// SectionTitle is the title of the paragraph's section.
func (p *Paragraph) SectionTitle() string {
	if p.Section == nil {
		return HeaderSection
	}
	return p.Section.Title
}

// Sentence returns the text of sentence i.
func (p *Paragraph) Sentence(i int) string {
	s := p.Sentences[i]
	return p.Text[s.Start:s.End]
}

// Corpus is every report the bot answers from.
type Corpus struct {
	Reports []*Report
	// Version is a short hash of everything loaded (titles, headings and
	// paragraph texts, and the loader's rules version). Caches key on it,
	// so new or changed data never serves an old answer.
	Version string
}

// Paragraphs returns every passage of every report, header passages
// included, in load order.
func (c *Corpus) Paragraphs() []*Paragraph {
	var n int
	for _, r := range c.Reports {
		n += len(r.Paragraphs) + 1
	}
	out := make([]*Paragraph, 0, n)
	for _, r := range c.Reports {
		out = append(out, r.Header)
		out = append(out, r.Paragraphs...)
	}
	return out
}

// Stats counts what was loaded.
type Stats struct {
	Reports, Sections, Paragraphs, Sentences int
}

// Stats counts reports, sections, body paragraphs and their sentences.
func (c *Corpus) Stats() Stats {
	var s Stats
	s.Reports = len(c.Reports)
	for _, r := range c.Reports {
		s.Sections += len(r.Sections)
		s.Paragraphs += len(r.Paragraphs)
		for _, p := range r.Paragraphs {
			s.Sentences += len(p.Sentences)
		}
	}
	return s
}

// rulesVersion changes whenever the loader's rules change what it produces,
// so the corpus version (and every cache key) changes with them.
const rulesVersion = "loader-2"

func newCorpus(reports []*Report) *Corpus {
	h := sha256.New()
	io.WriteString(h, rulesVersion)
	for _, r := range reports {
		fmt.Fprintf(h, "\x00R%s\x00%s\x00%s\x00%s", r.ID, r.Title, r.Date, r.Speaker)
		for _, s := range r.Sections {
			fmt.Fprintf(h, "\x00S%s", s.Title)
			for _, p := range s.Paragraphs {
				fmt.Fprintf(h, "\x00P%s", p.Text)
			}
		}
	}
	return &Corpus{Reports: reports, Version: hex.EncodeToString(h.Sum(nil))[:12]}
}
