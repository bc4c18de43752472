package bench

import (
	"fmt"

	"reportbot/data"
)

// Repeat returns a corpus of n passages made by repeating c's body
// paragraphs, for measuring how search and indexing scale with the size of
// the corpus: len(Repeat(c, n).Paragraphs()) == n (header passages
// included; n is raised to the number of reports when smaller). Each report
// keeps its ID, title and header; its body paragraphs are c's, in order,
// copy after copy (each copy with its own sections), numbered on from 1, so
// passage IDs stay unique. The texts and sentence spans are shared with c,
// which is left unchanged. The Version is derived from c's and n.
func Repeat(c *data.Corpus, n int) *data.Corpus {
	out := &data.Corpus{Version: fmt.Sprintf("%s-x%d", c.Version, n)}
	if len(c.Reports) == 0 {
		return out
	}
	reports := make([]*data.Report, len(c.Reports))
	for i, src := range c.Reports {
		r := &data.Report{ID: src.ID, Title: src.Title, Date: src.Date, Speaker: src.Speaker,
			Name: src.Name, Issuer: src.Issuer, Region: src.Region, RegionPath: src.RegionPath, Level: src.Level, Year: src.Year}
		if src.Header != nil {
			h := *src.Header
			h.Report, h.Section = r, nil
			r.Header = &h
		} else {
			r.Header = &data.Paragraph{Report: r, Text: r.Title, Sentences: []data.Span{{Start: 0, End: len(r.Title)}}}
		}
		reports[i] = r
	}
	out.Reports = reports
	left := n - len(reports) // body paragraphs still to place
	for copied := true; left > 0 && copied; {
		copied = false
		for i, src := range c.Reports {
			r := reports[i]
			for _, s := range src.Sections {
				if left == 0 {
					break
				}
				sec := &data.Section{Title: s.Title, Parent: s.Parent}
				for _, p := range s.Paragraphs {
					if left == 0 {
						break
					}
					np := &data.Paragraph{Report: r, Section: sec, Number: len(r.Paragraphs) + 1, Text: p.Text, Sentences: p.Sentences}
					sec.Paragraphs = append(sec.Paragraphs, np)
					r.Paragraphs = append(r.Paragraphs, np)
					left--
					copied = true
				}
				if len(sec.Paragraphs) > 0 {
					r.Sections = append(r.Sections, sec)
				}
			}
		}
	}
	return out
}
