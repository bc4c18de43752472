package retrieval

import "reportbot/data"

// What other packages may read of the lexicon and of the parts of a
// report, so that they understand a report's words as searching does
// (package figures normalises indicators through the same synonyms).

// Synonyms returns what the lexicon says term also means, term itself
// first, or nil when the lexicon does not know it. Two-way rules
// ("a, b, c") give every member the same set; one-way rules ("a => b")
// give a the set and b nothing back, so a caller that wants only
// equivalences keeps the members whose own Synonyms hold term.
func (lx *Lexicon) Synonyms(term string) []string {
	alts := lx.expansions[Normalize(term)]
	if alts == nil {
		return nil
	}
	return append([]string(nil), alts...)
}

// PartOf says whether a paragraph stands in its report's review of the
// year before (Done) or its plan for the year (Plan), read from the
// titles of its section and the section's parent: a report of year Y
// reviews Y−1 under headings such as "2023年工作回顾" and plans Y under
// "2024年工作安排" or "总体要求和主要目标". EitherTense when they say neither.
// Ranking reads it as figures do.
func PartOf(p *data.Paragraph) Tense {
	if p == nil || p.Section == nil || p.Report == nil {
		return EitherTense
	}
	if own := partOf(p.Section.Title, p.Report.Year); own != EitherTense {
		return own
	}
	return partOf(p.Section.Parent, p.Report.Year)
}
