// Package data holds the reports reportbot answers from and turns each one,
// as it was published, into Report → Section → Paragraph → sentences, and
// knows what each report is: who issued it, for which region and level, for
// which year.
//
// The default report is embedded in the binary, so the bot runs with no files
// beside it; more reports can be added from a folder (REPORTS_DIR) as plain
// text, Markdown, Word .docx or saved web pages, in UTF-8 or GB18030.
// Published pages carry web boilerplate (navigation, disclaimers, page
// addresses, comment boxes); the loader removes it by rules about what such
// lines look like, never by line numbers, so the same rules hold on other
// pages. A file that cannot be read as a report is skipped with the reason,
// never loaded as garbage and never the end of loading the others.
//
// The gazetteer of province-level regions (LookupRegion) is data the
// loader and query understanding share.
package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
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
	// Person and Office are who delivered the report, read from the
	// speaker line ("李强", "国务院总理"), when it says.
	Person string `json:"person,omitempty"`
	Office string `json:"office,omitempty"`

	// Name is the report's citation name, unique among the loaded reports
	// and only as long as that needs: the title when it alone tells the
	// report apart and names its issuer, else issuer and year
	// ("国务院政府工作报告（2025年）"), then the date or the file. It is
	// written without 《》; Load sets it once every report is read.
	Name string `json:"name"`
	// File is the name of the file the report was read from.
	File string `json:"file,omitempty"`
	// Issuer is the government that delivered the report: "国务院",
	// "四川省人民政府", "重庆市渝中区人民政府"; "" when the page does not say.
	Issuer string `json:"issuer,omitempty"`
	// Region is the place the report is for, in its full name: "全国",
	// "四川省", "重庆市", "渝中区".
	Region string `json:"region,omitempty"`
	// RegionPath is Region with the regions that enclose it, outermost
	// first: ["重庆市", "渝中区"]; ["全国"] for the State Council's.
	RegionPath []string `json:"region_path,omitempty"`
	// Level is the issuer's level: national, provincial, municipal or
	// district (county).
	Level Level `json:"level"`
	// Year is the year the report plans: delivered early in year Y, it
	// reviews Y−1 and sets the tasks of Y. 0 when nothing says.
	Year int `json:"year,omitempty"`
	// Source is the address the page gives for itself or its original
	// (a 本文地址 or 原文链接 line, an HTML canonical link). It is kept to
	// cite, not indexed as text.
	Source string `json:"source,omitempty"`
	// Excerpt is set when the page shows or says it is not the whole
	// report: its numbered parts start after 一, or it calls itself an
	// excerpt (节选, 摘要) or possibly incomplete.
	Excerpt bool `json:"excerpt,omitempty"`

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

	// titled says the page has a title line, rather than Title being the
	// file name.
	titled bool
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
	Parent string `json:"parent,omitempty"`
	// Appendix marks a section after the report proper: 附件, 名词解释
	// and the like. Its paragraphs are the appendix's entries.
	Appendix   bool         `json:"appendix,omitempty"`
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
	// Skipped are the files of the reports folder that were not loaded,
	// each with the reason.
	Skipped []Skipped
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
const rulesVersion = "loader-3"

// newCorpus names the reports so that any two can be told apart and
// computes the corpus version from everything loaded, identity included.
func newCorpus(reports []*Report, skipped []Skipped) *Corpus {
	nameReports(reports)
	h := sha256.New()
	io.WriteString(h, rulesVersion)
	for _, r := range reports {
		fmt.Fprintf(h, "\x00R%s\x00%s\x00%s\x00%s", r.ID, r.Title, r.Date, r.Speaker)
		fmt.Fprintf(h, "\x00I%s\x00%s\x00%s\x00%s\x00%d\x00%d\x00%s\x00%s\x00%s\x00%t",
			r.Name, r.Issuer, r.Region, strings.Join(r.RegionPath, "/"), r.Level, r.Year, r.Person, r.Office, r.Source, r.Excerpt)
		for _, s := range r.Sections {
			fmt.Fprintf(h, "\x00S%s\x00%s\x00%t", s.Title, s.Parent, s.Appendix)
			for _, p := range s.Paragraphs {
				fmt.Fprintf(h, "\x00P%s", p.Text)
			}
		}
	}
	return &Corpus{Reports: reports, Skipped: skipped, Version: hex.EncodeToString(h.Sum(nil))[:12]}
}

// Skipped is a file of the reports folder that was not loaded.
type Skipped struct {
	// File is the file's path (the folder joined with its name).
	File string `json:"file"`
	// Reason says what is wrong and, where it can, what to do about it.
	Reason string `json:"reason"`
	// Err is the error behind Reason; errors.Is tells ErrNoText,
	// ErrNotReport and ErrFormat apart.
	Err error `json:"-"`
}

func (s Skipped) String() string { return fmt.Sprintf("%q: %s", s.File, s.Reason) }
