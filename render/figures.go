package render

// How key figures look: a report's headline figures one line per
// indicator, a figure's sentence quoted with the figure in bold, a
// comparison side by side, and what is new against the year before. Each
// figure stays beside where it stands in its report.

import (
	"fmt"
	"strconv"
	"strings"

	"reportbot/data"
	"reportbot/figures"
	"reportbot/retrieval"
)

// figureBlocks are a report's key figures: a title, a line saying what
// the columns are, and one line per indicator, numbered from 1, each
// figure bold and followed by its paragraph number: "1. 国内生产总值增长
// 5%左右〔18〕 · 2024年 5%〔3〕".
func figureBlocks(r *data.Report, lines []figures.Line, buttons bool) []block {
	bs := []block{{kind: lead, text: Clip("《"+r.Name+"》主要数字", maxCite)}}
	if len(lines) == 0 {
		return append(bs, block{text: "这份报告里没有找到能按规则读出的主要目标或上年实际数字。可以直接提问，例如“" + r.Region + "今年GDP增长目标是多少”。"})
	}
	var head []string
	hasTarget, hasResult := false, false
	for _, l := range lines {
		hasTarget = hasTarget || l.Target != nil
		hasResult = hasResult || l.Result != nil
	}
	if hasTarget {
		head = append(head, yearWord(r.Year)+"目标")
	}
	if hasResult {
		head = append(head, yearWord(r.Year-1)+"实际")
	}
	legend := strings.Join(head, "，") + "；〔 〕内是报告的段落号。"
	if buttons {
		legend += "点下面的序号看原句。"
	}
	bs = append(bs, block{kind: note, text: legend})
	resultsOnly := false
	for i, l := range lines {
		if l.Target == nil && !resultsOnly && hasTarget {
			resultsOnly = true
			bs = append(bs, block{kind: lead, text: yearWord(r.Year-1) + "其他实际数字"})
		}
		bs = append(bs, figureLine(i+1, l, r.Year))
	}
	return bs
}

func yearWord(y int) string {
	if y <= 0 {
		return ""
	}
	return strconv.Itoa(y) + "年"
}

// figureLine is one line of a report's key figures.
func figureLine(n int, l figures.Line, year int) block {
	var b strings.Builder
	var hl []data.Span
	bold := func(s string) {
		hl = append(hl, data.Span{Start: b.Len(), End: b.Len() + len(s)})
		b.WriteString(s)
	}
	fmt.Fprintf(&b, "%d. %s ", n, strings.TrimSpace(l.Lead()))
	if f := l.Target; f != nil {
		bold(f.Text())
		fmt.Fprintf(&b, "〔%d〕", f.Paragraph)
		if l.Result != nil {
			b.WriteString(" · " + yearWord(year-1) + " ")
		}
	}
	if f := l.Result; f != nil {
		bold(f.Text())
		fmt.Fprintf(&b, "〔%d〕", f.Paragraph)
	}
	return block{text: b.String(), hl: hl}
}

// Figures renders a report's key figures (figures.Set.Headline) as
// Telegram HTML: one compact message in all but the most extreme case
// (the packer splits between lines, never inside one).
func Figures(r *data.Report, lines []figures.Line) []string {
	return pack(figureBlocks(r, lines, true))
}

// FiguresText is Figures as plain text, for a terminal or a file, the
// figures between m.
func FiguresText(r *data.Report, lines []figures.Line, m Marks) string {
	return blocksText(figureBlocks(r, lines, false), m)
}

// pack puts blocks into as few messages as they fit.
func pack(bs []block) []string {
	var p packer
	for _, b := range bs {
		p.add(b)
	}
	p.flush()
	return p.msgs
}

// blocksText lays blocks out as plain text, one a line, bold parts
// between m, quotes indented under their citation.
func blocksText(bs []block, m Marks) string {
	var w strings.Builder
	for _, b := range bs {
		if b.kind == quote {
			w.WriteString("\n" + b.cite.text + "\n    ")
		}
		pos := 0
		for _, h := range b.hl {
			w.WriteString(b.text[pos:h.Start] + m.Open + b.text[h.Start:h.End] + m.Close)
			pos = h.End
		}
		w.WriteString(b.text[pos:] + "\n")
	}
	return w.String()
}

// figurePassage is a figure's sentence as a passage, the figure marked
// and the citation its paragraph's.
func figurePassage(f *figures.Figure) (text string, hl []data.Span, cite string) {
	sent := f.Para.Sentences[f.Sentence]
	text = f.Para.Text[sent.Start:sent.End]
	hl = safeSpans(text, []data.Span{{Start: f.FigureSpan.Start - sent.Start, End: f.FigureSpan.End - sent.Start}})
	p := retrieval.Passage{ReportID: f.ReportID, Report: f.Report().Name, Section: f.Section, Paragraph: f.Paragraph}
	return text, hl, Clip(Citation(p), maxCite)
}

// maxSentence bounds a quoted sentence, in runes: a list of main targets
// is one long sentence; what stands around the figure is kept.
const maxSentence = 600

// sentenceBlock quotes a figure's sentence with the figure in bold, cited
// with number n when n > 0.
func sentenceBlock(f *figures.Figure, n int) block {
	text, hl, cite := figurePassage(f)
	if n > 0 {
		cite = fmt.Sprintf("[%d] %s", n, cite)
	}
	if len([]rune(text)) > maxSentence && len(hl) > 0 {
		text, hl = around(text, hl[0], maxSentence)
	}
	return block{kind: quote, text: text, hl: hl, cite: plainCitation(cite)}
}

// around cuts text to about n runes around span h, marking each cut
// with "…", and moves h with it.
func around(text string, h data.Span, n int) (string, []data.Span) {
	rs := []rune(text)
	// rune index of h.Start
	hr := len([]rune(text[:h.Start]))
	start := max(0, hr-n/2)
	end := min(len(rs), start+n)
	prefix, suffix := "", ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(rs) {
		suffix = "…"
	}
	cutText := prefix + string(rs[start:end]) + suffix
	shift := len(string(rs[:start])) - len(prefix)
	return cutText, safeSpans(cutText, []data.Span{{Start: h.Start - shift, End: h.End - shift}})
}

// FigureSentences renders the sentences that state figures, each quoted
// with its figure in bold and cited (what a button under the key figures
// shows).
func FigureSentences(fs ...*figures.Figure) []string {
	var bs []block
	for _, f := range fs {
		if f != nil {
			bs = append(bs, block{kind: lead, text: kindWord(f) + "：" + strings.TrimSpace(f.Lead()) + f.Text()}, sentenceBlock(f, 0))
		}
	}
	return pack(bs)
}

// kindWord says what a figure is: "2025年目标", "2024年实际".
func kindWord(f *figures.Figure) string {
	if f.Kind == figures.Result {
		return yearWord(f.Year) + "实际"
	}
	return yearWord(f.Year) + "目标"
}

// comparisonBlocks lay a comparison out: what is compared, the note on
// how the sides were chosen, then each side, newest first: its label and
// figure in bold, its sentence quoted and cited, or what is missing; then
// the verdict. Every region's figure (各省) is one line each instead.
func comparisonBlocks(c *figures.Comparison) []block {
	var labels []string
	for _, s := range c.Sides {
		labels = append(labels, s.Label)
	}
	title := c.Ask.What()
	if c.Ask.Mode == figures.EveryRegion {
		title += fmt.Sprintf("，各地（%d份报告）", len(c.Sides))
	} else {
		sep := "与"
		if len(labels) > 2 {
			sep = "、"
		}
		title += "：" + strings.Join(labels, sep)
	}
	bs := []block{{kind: lead, text: title}}
	if c.Note != "" {
		bs = append(bs, block{kind: note, text: c.Note})
	}
	if c.Ask.Mode == figures.EveryRegion {
		return append(bs, everyRegionBlocks(c)...)
	}
	n := 0
	for _, s := range c.Sides {
		switch {
		case s.Figure != nil:
			n++
			bs = append(bs, boldLine(s.Label+"：", s.Figure.Text(), ""), sentenceBlock(s.Figure, n))
		default:
			bs = append(bs, block{text: s.Label + "：" + s.Missing + "。", hl: []data.Span{{Start: 0, End: len(s.Label + "：")}}})
			if f := s.Instead; f != nil {
				n++
				bs = append(bs, boldLine(fmt.Sprintf("《%s》回顾的%s实际：", f.Report().Name, yearWord(f.Year)), f.Text(), ""), sentenceBlock(f, n))
			}
		}
	}
	if c.Verdict != "" {
		bs = append(bs, block{text: c.Verdict + "。"})
	}
	return bs
}

// boldLine is a line with its figure in bold.
func boldLine(before, figure, after string) block {
	return block{text: before + figure + after, hl: []data.Span{{Start: len(before), End: len(before) + len(figure)}}}
}

// everyRegionBlocks are one line per report: region, figure in bold, the
// clause that states it and its paragraph; the reports that give none
// are named together at the end.
func everyRegionBlocks(c *figures.Comparison) []block {
	var bs []block
	var missing []string
	n := 0
	for _, s := range c.Sides {
		if s.Figure == nil {
			missing = append(missing, s.Label)
			continue
		}
		n++
		f := s.Figure
		label := s.Label
		if s.Year > 0 {
			label += "（" + yearWord(s.Year) + "）"
		}
		bs = append(bs, boldLine(fmt.Sprintf("%d. %s ", n, label), f.Text(), fmt.Sprintf(" · %s〔%d〕", f.Clause(), f.Paragraph)))
	}
	if len(missing) > 0 {
		bs = append(bs, block{kind: note, text: "没有给出" + c.Ask.What() + "的：" + strings.Join(missing, "、") + "。"})
	}
	bs = append(bs, block{kind: note, text: "〔 〕内是各自报告的段落号。"})
	return bs
}

// Comparison renders a comparison (figures.Set.Compare) as Telegram
// HTML messages, each within Limit.
func Comparison(c *figures.Comparison) []string { return pack(comparisonBlocks(c)) }

// ComparisonText is Comparison as plain text.
func ComparisonText(c *figures.Comparison, m Marks) string {
	return blocksText(comparisonBlocks(c), m)
}

// noveltyBlocks lay out what is new in a report against the year
// before's: the new phrases ranked by weight, each with its sentence
// (the phrase in bold), then the targets that changed, the new ones and
// those not set again.
func noveltyBlocks(n *figures.Novelty) []block {
	bs := []block{{kind: lead, text: Clip(fmt.Sprintf("《%s》比《%s》新在哪里", n.This.Name, n.Prev.Name), maxCite)}}
	if len(n.Phrases) > 0 {
		bs = append(bs, block{kind: lead, text: "新提法（按分量排序）"})
		for i, p := range n.Phrases {
			sent := p.Para.Sentences[p.Sentence]
			text := p.Para.Text[sent.Start:sent.End]
			hl := []data.Span{{Start: p.Span.Start - sent.Start, End: p.Span.End - sent.Start}}
			if len([]rune(text)) > maxSentence {
				text, hl = around(text, hl[0], maxSentence)
			}
			cite := Clip(fmt.Sprintf("[%d] %s", i+1, Citation(retrieval.Passage{ReportID: n.This.ID, Report: n.This.Name, Section: p.Para.SectionTitle(), Paragraph: p.Para.Number})), maxCite)
			uses := ""
			if p.Count > 1 {
				uses = fmt.Sprintf("（%d处）", p.Count)
			}
			bs = append(bs, boldLine(fmt.Sprintf("%d. ", i+1), p.Text, uses), block{kind: quote, text: text, hl: safeSpans(text, hl), cite: plainCitation(cite)})
		}
	} else {
		bs = append(bs, block{text: "没有找到上一年报告里没有的提法。"})
	}
	if len(n.Changed)+len(n.NewTargets)+len(n.Dropped) > 0 {
		bs = append(bs, block{kind: lead, text: fmt.Sprintf("目标的变化（%s → %s）", yearWord(n.Prev.Year), yearWord(n.This.Year))})
	}
	for _, ch := range n.Changed {
		bs = append(bs, changeLine(ch.This.Lead(), ch.Prev, ch.This))
	}
	for _, f := range n.NewTargets {
		bs = append(bs, boldLine("新增 "+strings.TrimSpace(f.Lead())+" ", f.Text(), fmt.Sprintf("〔%d〕", f.Paragraph)))
	}
	for _, f := range n.Dropped {
		bs = append(bs, boldLine("不再列出 "+strings.TrimSpace(f.Lead())+"（上年 ", f.Text(), fmt.Sprintf("〔上年第%d段〕）", f.Paragraph)))
	}
	return bs
}

// changeLine is "国内生产总值增长 5.5%左右〔上年17〕 → 5%左右〔18〕".
func changeLine(lead string, prev, this *figures.Figure) block {
	var b strings.Builder
	var hl []data.Span
	b.WriteString(strings.TrimSpace(lead) + " ")
	b.WriteString(prev.Text())
	fmt.Fprintf(&b, "〔上年%d〕 → ", prev.Paragraph)
	hl = append(hl, data.Span{Start: b.Len(), End: b.Len() + len(this.Text())})
	b.WriteString(this.Text())
	fmt.Fprintf(&b, "〔%d〕", this.Paragraph)
	return block{text: b.String(), hl: hl}
}

// Novelty renders what is new in a report (figures.Set.New) as Telegram
// HTML messages, each within Limit.
func Novelty(n *figures.Novelty) []string { return pack(noveltyBlocks(n)) }

// NoveltyText is Novelty as plain text.
func NoveltyText(n *figures.Novelty, m Marks) string { return blocksText(noveltyBlocks(n), m) }

// NoPair says, as plain text, that no two consecutive years of one
// issuer are loaded, and which years of whom are.
func NoPair(c *data.Corpus) string {
	var issuers []string
	years := map[string][]string{}
	for _, r := range c.Reports {
		who := r.Region
		if who == "" {
			who = r.Name
		}
		if _, ok := years[who]; !ok {
			issuers = append(issuers, who)
		}
		if r.Year > 0 {
			years[who] = append(years[who], strconv.Itoa(r.Year))
		}
	}
	var have []string
	for _, who := range issuers {
		if len(years[who]) > 0 {
			have = append(have, who+" "+strings.Join(years[who], "、")+"年")
		} else {
			have = append(have, who)
		}
	}
	return "要比较“新提法”，需要同一地区连续两年的报告（例如2024年和2025年），现在没有收录这样的一对。收录的报告：" + strings.Join(have, "；") + "。把上一年的报告放进报告目录（REPORTS_DIR）后再试。"
}

// FiguresWithin renders a report's key figures as one piece of a larger
// message (the digest): the title and as many lines as fit in limit
// units, then how many more /figures shows. "" when not even the title
// and one line fit.
func FiguresWithin(r *data.Report, lines []figures.Line, limit int) string {
	bs := figureBlocks(r, lines, false)
	var m message
	shown := 0
	for i, b := range bs {
		var one message
		one.part(b, 0, len(b.text), "")
		rest := len(lines) - shown
		more := 0
		if rest > 0 {
			more = 40 // room for the "…" line
		}
		if m.n+1+one.n+more > limit {
			if shown == 0 {
				return ""
			}
			m.text("\n")
			m.text(fmt.Sprintf("……另有%d项，/figures 查看全部。", rest))
			break
		}
		if i > 0 {
			m.text("\n")
		}
		m.part(b, 0, len(b.text), "")
		if b.kind == plain {
			shown++
		}
	}
	return m.b.String()
}
