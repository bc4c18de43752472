package data

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	unicode16 "golang.org/x/text/encoding/unicode"
)

// ErrNoText is returned for a file that is empty, binary, or has no
// paragraphs once its boilerplate is removed.
var ErrNoText = errors.New("no report text")

// ErrNotReport is returned for a readable text that is not a report: it has
// neither a report title nor a date line (a README, notes).
var ErrNotReport = errors.New("not a report")

// Parse turns one published report page, as plain text or Markdown, into a
// Report. id names the report (the file name without extension); raw is the
// file's bytes: UTF-8, GB18030 (the encoding of many Chinese government
// sites) or UTF-16 with a byte-order mark. ParseFile reads the other
// formats.
func Parse(id string, raw []byte) (*Report, error) {
	text, err := decode(raw)
	if err != nil {
		return nil, fmt.Errorf("report %q: %w", id, err)
	}
	r, err := parseLines(id, strings.Split(text, "\n"), "")
	if err != nil {
		return nil, fmt.Errorf("report %q: %w", id, err)
	}
	return r, nil
}

// parseLines builds the report from its lines, as read from whichever
// format; source is the page's address when the format gives one.
func parseLines(id string, raw []string, source string) (*Report, error) {
	lines := make([]string, 0, len(raw))
	for _, l := range raw {
		if l = cleanLine(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		// Full-width spaces and the like, which decode does not trim.
		return nil, fmt.Errorf("%w: the file holds only whitespace", ErrNoText)
	}
	p := parser{report: &Report{ID: id, Source: source}, lines: lines, numbered: hasNumberedParts(lines)}
	for p.next = 1; p.next <= len(lines); p.next++ {
		p.line(lines[p.next-1])
	}
	r := p.report
	if len(r.Paragraphs) == 0 {
		return nil, fmt.Errorf("%w: none of its %d lines is a body paragraph (only a title, headings or page boilerplate)", ErrNoText, len(lines))
	}
	if r.Title == "" {
		r.Title = id
	} else {
		r.titled = true
	}
	if p.firstPart != "" && !firstPartRe.MatchString(p.firstPart) {
		// "二、2024年工作安排" with no 一、 before it: the page left out
		// the report's first part.
		r.Excerpt = true
	}
	r.Header = &Paragraph{Report: r, Number: 0, Text: headerText(r, p.titleLine)}
	r.Header.Sentences = []Span{{0, len(r.Header.Text)}}
	identify(r, p.parts)
	r.Name = citationName(r, 0)
	return r, nil
}

// isReport reports whether a parsed text is a report rather than notes
// about one: it has a date line, or a title that names a document (not
// notes or a reading of one).
func isReport(r *Report) bool {
	if r.Date != "" {
		return true
	}
	return r.titled && cnTitleRe.MatchString(r.Title) && !aboutReportRe.MatchString(r.Title)
}

var (
	cnTitleRe     = regexp.MustCompile(`报告|公报|纲要|规划|讲话|决议|白皮书`)
	aboutReportRe = regexp.MustCompile(`笔记|心得|体会|解读|读后感|摘抄|问答|学习|目录|说明`)
)

// decode returns raw as UTF-8 text, converting GB18030, and refuses empty
// and binary files with a reason a person can act on.
func decode(raw []byte) (string, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if len(raw) == 0 {
		return "", fmt.Errorf("%w: the file is empty", ErrNoText)
	}
	// Windows editors save "Unicode" text as UTF-16 with a byte-order
	// mark; its NUL bytes would otherwise make it look binary.
	if bytes.HasPrefix(raw, []byte("\xff\xfe")) || bytes.HasPrefix(raw, []byte("\xfe\xff")) {
		dec, err := unicode16.UTF16(unicode16.LittleEndian, unicode16.UseBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("%w: the file starts like UTF-16 text but does not decode as UTF-16", ErrNoText)
		}
		raw = dec
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", fmt.Errorf("%w: the file holds only whitespace", ErrNoText)
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return "", fmt.Errorf("%w: the file is binary (it contains NUL bytes), not a text report", ErrNoText)
	}
	if !utf8.Valid(raw) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil || !looksLikeText(string(dec)) {
			return "", fmt.Errorf("%w: the file is neither UTF-8 nor GB18030 text", ErrNoText)
		}
		raw = dec
	}
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !looksLikeText(s) {
		return "", fmt.Errorf("%w: the file holds control characters, not text", ErrNoText)
	}
	return s, nil
}

// looksLikeText reports whether s is mostly printable: a few stray control
// characters are tolerated (and removed line by line), a binary blob is not.
func looksLikeText(s string) bool {
	var bad, all int
	for _, r := range s {
		all++
		// '\r' is a line end: decode checks GB18030 text before it turns
		// Windows line ends into '\n'.
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') {
			bad++
		}
	}
	return all > 0 && bad*100 <= all
}

// cleanLine trims indentation (ASCII, full-width and no-break spaces), drops
// control characters and Markdown emphasis.
func cleanLine(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == '\u200b', r == '\ufeff':
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "__", "")
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
}

type parser struct {
	report *Report
	lines  []string
	next   int // index of the line after the current one
	// numbered says the report numbers its parts (一、 第一章 ##), so a
	// short unnumbered line between paragraphs is a sub-heading.
	numbered bool
	section  *Section // current section; nil before the first heading
	parent   string   // current top-level heading, for sub-sections
	// parts are the top-level headings, for the report's year.
	parts []string
	// firstPart is the first numbered top-level heading, to tell an
	// excerpt that starts at 二、.
	firstPart string
	// appendix: the report proper has ended; every line but the next
	// appendix heading is an entry of the current appendix. label: its
	// heading so far is only "附件1", whose title may follow.
	appendix, label bool
	// titleLine is the title as published (date included), for the header.
	titleLine string
	// titleSource is the line the title came from, exactly, to recognise
	// the page repeating it.
	titleSource string
	inBody      bool // a body paragraph or heading has been seen
	bodyStart   int  // index of the body's first line
	done        bool // the page footer began: nothing after it is report
}

func (p *parser) line(s string) {
	if p.done || isFooter(s) {
		// The page's own address and its notes on completeness stand in
		// and after the footer.
		p.noteSource(s)
		p.noteExcerpt(s)
		if p.inBody {
			p.done = true
		}
		return
	}
	if !p.inBody {
		if rest, ok := splitSourceLine(s); ok {
			// "来源：江西省人民政府2025年1月17日在…": the date line run
			// into the source line.
			p.line(rest)
			return
		}
	}
	if isBoilerplate(s) {
		p.noteSource(s)
		return
	}
	if p.inBody {
		if p.appendix && p.label && len(p.section.Paragraphs) == 0 && isHeadingLike(s) {
			// "附件1" then "2025年省十件民生实事": one heading.
			p.section.Title += " " + s
			p.label = false
			return
		}
		if title, label, ok := appendixHeading(s); ok {
			p.startAppendix(title, label)
			return
		}
		if p.appendix {
			p.paragraph(s)
			return
		}
	}
	if level, title, ok := heading(s); ok {
		if level == 0 { // a Markdown H1 is the title
			if p.report.Title == "" && !p.inBody {
				p.setTitle(title)
				return
			}
			level = 1
		}
		if level == 1 && p.firstPart == "" && level1Re.MatchString(title) {
			p.firstPart = title
		}
		p.startSection(level, title)
		if title != s && isLongHeading(s) {
			// "（一）聚焦…。正文…": the heading opens a paragraph; the
			// whole line is that paragraph as published.
			p.paragraph(stripMarkdownHeading(s))
		}
		return
	}
	if !p.inBody {
		switch {
		case p.report.Title != "" && (s == p.titleSource || s == p.titleLine || s == p.report.Title):
			// Pages repeat the title (the page's <title>, then the
			// article's heading); the second copy is not the report's
			// first paragraph.
			return
		case p.report.Title == "" && looksLikeTitle(s):
			p.setTitle(s)
			return
		case p.report.Title != "" && looksLikeSpeaker(s):
			p.addSpeaker(s)
			return
		case p.report.Title != "" && isHeadingLike(s) && partRe.MatchString(s) && p.next < len(p.lines):
			// "2024年工作回顾" right under the title block.
			p.startSection(1, s)
			return
		case isShortLabel(s):
			// Menus and breadcrumbs above the article: short, unpunctuated;
			// or a note such as "（节选）".
			p.noteExcerpt(s)
			return
		}
	} else if level, ok := p.unnumberedHeading(s); ok {
		p.startSection(level, s)
		return
	}
	p.paragraph(s)
}

func (p *parser) startSection(level int, title string) {
	p.startBody()
	sec := &Section{Title: title}
	if level == 1 {
		p.parent = title
		p.parts = append(p.parts, title)
	} else {
		sec.Parent = p.parent
	}
	p.section = sec
	p.report.Sections = append(p.report.Sections, sec)
}

func (p *parser) startBody() {
	if !p.inBody {
		p.inBody, p.bodyStart = true, p.next-1
	}
}

func (p *parser) startAppendix(title string, label bool) {
	p.appendix, p.label = true, label
	p.parent = ""
	p.section = &Section{Title: title, Appendix: true}
	p.report.Sections = append(p.report.Sections, p.section)
}

func (p *parser) paragraph(s string) {
	p.startBody()
	if p.section == nil {
		p.section = &Section{Title: OpeningSection}
		p.report.Sections = append(p.report.Sections, p.section)
	}
	para := &Paragraph{
		Report:    p.report,
		Section:   p.section,
		Number:    len(p.report.Paragraphs) + 1,
		Text:      s,
		Sentences: SplitSentences(s),
	}
	p.section.Paragraphs = append(p.section.Paragraphs, para)
	p.report.Paragraphs = append(p.report.Paragraphs, para)
}

// unnumberedHeading recognises a heading without a number: a short line
// without sentence punctuation standing between paragraphs ("2024年工作回顾",
// "加强政府自身建设", "一是聚焦全方位扩大内需，着力提消费促投资"). In a
// report that numbers its parts it is a sub-heading; otherwise a part
// heading, or a sub-heading of the current part when it does not read like
// a part ("着力扩大有效需求" under "2025年工作安排").
func (p *parser) unnumberedHeading(s string) (level int, ok bool) {
	if !isHeadingLike(s) || p.next >= len(p.lines) {
		// The last line closes the report; a heading stands before text.
		return 0, false
	}
	// A part heading may stand right above a sub-heading, but a run of
	// three or more such lines is a table's cells or a list, not headings.
	run := 1
	for i := p.next - 2; i >= p.bodyStart && run <= 2 && isPlainShort(p.lines[i]); i-- {
		run++
	}
	for i := p.next; i < len(p.lines) && run <= 2 && isPlainShort(p.lines[i]); i++ {
		run++
	}
	if run > 2 {
		return 0, false
	}
	switch {
	case ordinalRe.MatchString(s), p.numbered:
		return 2, true
	case partRe.MatchString(s), p.parent == "":
		return 1, true
	}
	return 2, true
}

var (
	// partRe: what the parts of a report are called: a year's review and
	// plan, the government's own conduct.
	partRe = regexp.MustCompile(`(工作回顾|回顾|工作安排|安排建议|工作建议|目标任务|主要任务|重点任务|重点工作|工作任务|政府自身建设|总体要求)$`)
	// ordinalRe: "一是…", a point of a part.
	ordinalRe = regexp.MustCompile(`^` + cnNum + `是`)
	// listItemRe: list entries and Markdown lists and quotes, never headings.
	listItemRe = regexp.MustCompile(`^(?:[-*+>]\s|\d+\s*[.．、)）]|[①-⑳]|[(（]\d+[)）])`)
	// firstPartRe: a first part numbered 一 (or 第一).
	firstPartRe = regexp.MustCompile(`^(?:第)?一[、.．章节部分篇:：\s]`)
)

// isHeadingLike: 2–40 characters with no sentence, clause or list
// punctuation, not a list item or a salutation.
func isHeadingLike(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 40 || strings.ContainsAny(s, "。！？!?；;：:") {
		return false
	}
	if last, _ := utf8.DecodeLastRuneInString(s); strings.ContainsRune("，,、…—-", last) {
		return false
	}
	return !listItemRe.MatchString(s) && !strings.HasPrefix(s, "各位代表")
}

// isPlainShort: a heading-like line without a heading's number or mark.
func isPlainShort(s string) bool {
	if !isHeadingLike(s) {
		return false
	}
	_, _, numbered := heading(s)
	return !numbered
}

// hasNumberedParts reports whether the report numbers its parts.
func hasNumberedParts(lines []string) bool {
	for _, s := range lines {
		if level1Re.MatchString(s) || strings.HasPrefix(s, "## ") {
			return true
		}
	}
	return false
}

var (
	// appendixRe: "附件", "附件1", "附件2 名词解释", "附表一：主要指标".
	appendixRe = regexp.MustCompile(`^(?:附件|附录|附表)\s*[0-9０-９一二三四五六七八九十]{0,3}\s*(?:[:：]\s*)?(.*)$`)
	// glossaryRe: a glossary's heading: "名词解释", "附：名词解释",
	// "《政府工作报告》有关内容名词注释".
	glossaryRe = regexp.MustCompile(`^(?:附\s*[:：]\s*)?(.{0,30}(?:名词解释|名词注释|名词解读|名词说明|术语解释|词语解释|注释|注解))$`)
)

// appendixHeading recognises the heading of an appendix. label says the
// heading is only the appendix's number, "附件1", with its title perhaps
// on the next line.
func appendixHeading(s string) (title string, label, ok bool) {
	if len(s) > 50*3 || !strings.HasPrefix(s, "附") && !strings.Contains(s, "注") && !strings.Contains(s, "解") && !strings.Contains(s, "说明") {
		return "", false, false // too long for a heading, or without its words
	}
	if m := appendixRe.FindStringSubmatch(s); m != nil {
		switch {
		case m[1] == "":
			return s, true, true
		case isHeadingLike(m[1]):
			return strings.Join(strings.Fields(s), " "), false, true
		}
		return "", false, false
	}
	if m := glossaryRe.FindStringSubmatch(s); m != nil && isHeadingLike(m[1]) {
		return s, false, true
	}
	return "", false, false
}

var (
	// sourceLineRe: a source line with the date line run into it.
	sourceLineRe = regexp.MustCompile(`^(?:信息来源|文章来源|来源)\s*[:：]`)
	// addressRe: a labelled address of the page or its original.
	addressRe = regexp.MustCompile(`^(?:本文|原文|文章|本页|页面|信息|文章来源|来源)?(?:地址|链接|网址|出处|来源)\s*[:：]\s*((?:https?://|www\.|/)\S+)`)
	// excerptRe: what a page says when it is not the whole report.
	excerptRe = regexp.MustCompile(`节选|摘编|摘登|摘要|全文略|有删节|(?:并非|不一定|未必)(?:全部)?(?:都)?完整`)
)

func splitSourceLine(s string) (string, bool) {
	if !sourceLineRe.MatchString(s) {
		return "", false
	}
	i := dateRe.FindStringIndex(s)
	if i == nil {
		return "", false
	}
	rest := s[i[0]:]
	if !looksLikeSpeaker(rest) {
		return "", false
	}
	return rest, true
}

func (p *parser) noteSource(s string) {
	if p.report.Source != "" {
		return
	}
	if m := addressRe.FindStringSubmatch(s); m != nil {
		p.report.Source = m[1]
	}
}

func (p *parser) noteExcerpt(s string) {
	if excerptRe.MatchString(s) {
		p.report.Excerpt = true
	}
}

var (
	// A date as Chinese reports write it: 2024年1月15日.
	dateRe = regexp.MustCompile(`\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日`)
	// A parenthesised part at either end of a title: "(重庆市)" or "（2024年1月15日）".
	leadParenRe  = regexp.MustCompile(`^[(（]([^()（）]{1,20})[)）]`)
	trailParenRe = regexp.MustCompile(`[(（]([^()（）]{1,40})[)）]$`)
)

// setTitle keeps the title, moving a trailing date into Date and dropping
// a leading site category such as "(重庆市)" that the page adds.
func (p *parser) setTitle(s string) {
	p.noteExcerpt(s)
	p.titleSource = s
	s = stripMarkdownHeading(s)
	p.titleLine = s
	if m := trailParenRe.FindStringSubmatchIndex(s); m != nil {
		inner := s[m[2]:m[3]]
		if d := dateRe.FindString(inner); d != "" {
			p.report.Date = d
			s = strings.TrimSpace(s[:m[0]])
		}
	}
	if m := leadParenRe.FindStringSubmatchIndex(s); m != nil {
		// Only a prefix the title repeats is a category label; "(草案)" is not.
		if inner := s[m[2]:m[3]]; strings.Contains(s[m[1]:], inner) {
			s = strings.TrimSpace(s[m[1]:])
			p.titleLine = strings.TrimSpace(p.titleLine[m[1]:])
		}
	}
	p.report.Title = s
}

func (p *parser) addSpeaker(s string) {
	s = strings.TrimLeft(s, speakerDashes+" ")
	s = strings.TrimRight(s, "。")
	// "区长　张三": one ordinary space between the parts, whatever the page used.
	s = strings.Join(strings.Fields(s), " ")
	if p.report.Date == "" {
		p.report.Date = dateRe.FindString(s)
	}
	if p.report.Speaker != "" {
		p.report.Speaker += " "
	}
	p.report.Speaker += s
}

// headerText is the header passage: the title block as published.
func headerText(r *Report, titleLine string) string {
	s := titleLine
	if s == "" {
		s = r.Title
	}
	if r.Speaker != "" {
		s += " " + r.Speaker
	}
	return s
}

var (
	cnNum      = `[一二三四五六七八九十百零〇]+`
	level1Re   = regexp.MustCompile(`^(` + cnNum + `[、.．]|第` + cnNum + `[章节部分篇][、:：\s]?)`)
	level2Re   = regexp.MustCompile(`^[(（]` + cnNum + `[)）]`)
	markdownRe = regexp.MustCompile(`^(#{1,6})\s+`)
)

// heading recognises a section heading and returns its level (0 for a
// Markdown H1, 1 for "一、" and "第一章", 2 for "（一）" and deeper Markdown)
// and its title. A long line that starts with a marker is a heading that
// opens a paragraph; its title is the first sentence.
func heading(s string) (level int, title string, ok bool) {
	if m := markdownRe.FindStringSubmatch(s); m != nil {
		title = strings.TrimSpace(s[len(m[0]):])
		switch len(m[1]) {
		case 1:
			return 0, title, title != ""
		case 2:
			return 1, title, title != ""
		default:
			return 2, title, title != ""
		}
	}
	switch {
	case level1Re.MatchString(s):
		level = 1
	case level2Re.MatchString(s):
		level = 2
	default:
		return 0, "", false
	}
	if !isLongHeading(s) {
		return level, strings.TrimRight(s, "。:："), true
	}
	// "（一）聚焦主导产业，加快转型升级。全年…": the first sentence is the title.
	end := strings.IndexAny(s, "。！？")
	if end < 0 || utf8.RuneCountInString(s[:end]) > 60 {
		return 0, "", false // an enumerated body paragraph, not a heading
	}
	return level, s[:end], true
}

// isLongHeading reports whether a line with a heading marker carries body
// text too, rather than being a heading alone.
func isLongHeading(s string) bool {
	n := utf8.RuneCountInString(s)
	if n > 50 {
		return true
	}
	i := strings.IndexAny(s, "。！？")
	return i >= 0 && i+len("。") < len(s)
}

func stripMarkdownHeading(s string) string {
	if m := markdownRe.FindString(s); m != "" {
		return strings.TrimSpace(s[len(m):])
	}
	return s
}

// titleWords are words that name a document in a title line.
var titleWordsRe = regexp.MustCompile(`报告|公报|纲要|规划|讲话|决议|白皮书|[Rr]eport`)

// looksLikeTitle: a short line without sentence punctuation that names a
// kind of document.
func looksLikeTitle(s string) bool {
	return utf8.RuneCountInString(s) <= 80 && !strings.ContainsAny(s, "。！？!?") && titleWordsRe.MatchString(s)
}

// speakerDashes open the speaker line. Besides the em dash (U+2014) there
// are the look-alikes that pages converted from GBK carry: GBK's A1AA is
// mapped to the horizontal bar U+2015 by Windows code page 936, and some
// sites type box-drawing U+2500 or the two-em dash U+2E3A. The ASCII
// hyphen stays last: speakerRe puts these in a character class.
const speakerDashes = "—―─⸺－-"

// speakerRe: "——2024年1月10日在…会议上", "区长 张三", "XX市人民政府市长 李四",
// "自治区主席 艾尔肯·吐尼亚孜".
var speakerRe = regexp.MustCompile(`^[` + speakerDashes + `]{1,4}|会议上|^[\p{Han}]{0,20}(区长|市长|县长|省长|主任|书记|总理|主席)[\s　:：]*(?:\p{Han}{2,4}|\p{Han}{1,8}·\p{Han}{1,8})$`)

func looksLikeSpeaker(s string) bool {
	if body := strings.TrimRight(s, "。"); body != s {
		// "2025年1月14日在北京市…会议上北京市市长 殷勇同志作政府工作报告。":
		// a date line may end as a sentence; no other speaker line does.
		return utf8.RuneCountInString(body) <= 120 && !strings.ContainsAny(body, "。！？") && dateLineRe.MatchString(body)
	}
	if utf8.RuneCountInString(s) > 120 || strings.ContainsAny(s, "。！？") {
		return false
	}
	if utf8.RuneCountInString(s) > 80 && !dateLineRe.MatchString(s) {
		return false
	}
	return speakerRe.MatchString(s) || dateLineRe.MatchString(s) || (dateRe.MatchString(s) && utf8.RuneCountInString(s) <= 20)
}

// dateLineRe: a date line, the date first and the congress it was
// delivered to: "2025年1月13日在河北省第十四届人民代表大会第三次会议上…".
var dateLineRe = regexp.MustCompile(`^[` + speakerDashes + `]*\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,100}(?:会议|大会)`)

// isShortLabel: a menu item, breadcrumb or button label — a few characters
// with no sentence punctuation. Only used above the report's first paragraph.
func isShortLabel(s string) bool {
	return utf8.RuneCountInString(s) <= 20 && !strings.ContainsAny(s, "。！？!?，,；;")
}

// SplitSentences returns the byte ranges of s's sentences: each ends after
// 。！？ (or ASCII ! ?), closing quotes and brackets kept with it; a trailing
// run without an end mark is a sentence too.
func SplitSentences(s string) []Span {
	var out []Span
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if !isSentenceEnd(r) {
			continue
		}
		// Keep runs of end marks and the closing quotes after them.
		for i < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[i:])
			if !isSentenceEnd(r2) && !strings.ContainsRune("”’」』）)】", r2) {
				break
			}
			i += n2
		}
		if strings.TrimSpace(s[start:i]) != "" {
			out = append(out, trimSpan(s, start, i))
		}
		start = i
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, trimSpan(s, start, len(s)))
	}
	return out
}

func isSentenceEnd(r rune) bool { return strings.ContainsRune("。！？!?", r) }

// trimSpan narrows [start, end) to leave out the spaces around a sentence,
// full-width and no-break spaces included, so a quoted sentence never
// starts or ends with blank space.
func trimSpan(s string, start, end int) Span {
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for start < end {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return Span{start, end}
}
