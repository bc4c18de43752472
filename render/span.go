package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"reportbot/data"
	"reportbot/retrieval"
)

// maxBold is the longest clause, in runes, that is bolded whole: past it
// the bold would be most of the quote, and only its matched words are.
const maxBold = 40

// minBold is how much matched content (in runes) a clause needs to be
// bolded, unless it has a figure: one common word (问题, 发展) found in a
// clause does not make it the answer.
const minBold = 4

// AnswerSpans are what an answer shows in bold in a passage: the span
// that answers, not every matched word. It is the clause of the passage's
// answer sentence (cut at ，；：) that holds the most matched content,
// and, when that clause is long, its item (cut at 、) that does; past
// maxBold runes, the matched content words in it. Matched content is a
// matched word of two characters or more, or one with a digit or a Latin
// letter: single characters (和, 好) are filler, and so are words of the
// report's own title (its region's name, in every passage). Between
// equals a clause with a figure wins ("地区生产总值增长6%左右"), then the
// earlier. Nothing is bolded when no clause holds enough (minBold runes
// of matched content, or a figure and some).
func AnswerSpans(p retrieval.Passage) []data.Span {
	content := contentSpans(p)
	if len(content) == 0 {
		return nil
	}
	sent := data.Span{Start: 0, End: len(p.Text)}
	if a := p.Answer; a.Start >= 0 && a.End <= len(p.Text) && a.Start < a.End {
		sent = a
	}
	best, ok := bestPart(p.Text, parts(p.Text, sent, "，,；;：:"), content)
	if !ok {
		return nil
	}
	if score(p.Text, best, content) < minBold && !hasFigure(p.Text[best.Start:best.End]) {
		return nil
	}
	if utf8.RuneCountInString(p.Text[best.Start:best.End]) > maxBold {
		if item, ok := bestPart(p.Text, parts(p.Text, best, "、"), content); ok {
			best = item
		}
	}
	if utf8.RuneCountInString(p.Text[best.Start:best.End]) > maxBold {
		var in []data.Span
		for _, c := range content {
			if a, b := max(c.Start, best.Start), min(c.End, best.End); a < b {
				in = append(in, data.Span{Start: a, End: b})
			}
		}
		return in
	}
	return []data.Span{best}
}

// contentSpans are the passage's highlights that carry content.
func contentSpans(p retrieval.Passage) []data.Span {
	var out []data.Span
	for _, h := range safeSpans(p.Text, p.Highlights) {
		w := p.Text[h.Start:h.End]
		figure := strings.IndexFunc(w, func(r rune) bool { return r < utf8.RuneSelf && (unicode.IsDigit(r) || unicode.IsLetter(r)) }) >= 0
		if !figure && (utf8.RuneCountInString(w) < 2 || strings.Contains(p.Report, w)) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// parts cuts span s of text after each of the runes in seps, trimming
// the cut runes, spaces and a sentence's end from each part.
func parts(text string, s data.Span, seps string) []data.Span {
	var out []data.Span
	start := s.Start
	add := func(a, b int) {
		seg := text[a:b]
		trimmed := strings.TrimRightFunc(strings.TrimLeftFunc(seg, unicode.IsSpace), func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(seps, r) || isTerminator(r)
		})
		lead := len(seg) - len(strings.TrimLeftFunc(seg, unicode.IsSpace))
		if trimmed != "" {
			out = append(out, data.Span{Start: a + lead, End: a + lead + len(trimmed)})
		}
	}
	for i := s.Start; i < s.End; {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		if strings.ContainsRune(seps, r) {
			add(start, i)
			start = i
		}
	}
	if start < s.End {
		add(start, s.End)
	}
	return out
}

// bestPart is the part holding the most matched content (in runes),
// then one with a figure, then the first.
func bestPart(text string, ps []data.Span, content []data.Span) (data.Span, bool) {
	var best data.Span
	bestScore, bestFigure := 0, false
	for _, p := range ps {
		score := score(text, p, content)
		figure := hasFigure(text[p.Start:p.End])
		if score > bestScore || (score == bestScore && score > 0 && figure && !bestFigure) {
			best, bestScore, bestFigure = p, score, figure
		}
	}
	return best, bestScore > 0
}

// score is how many runes of matched content part p of text holds.
func score(text string, p data.Span, content []data.Span) int {
	n := 0
	for _, c := range content {
		if a, b := max(c.Start, p.Start), min(c.End, p.End); a < b {
			n += utf8.RuneCountInString(text[a:b])
		}
	}
	return n
}

func hasFigure(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }
