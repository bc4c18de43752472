package figures

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportbot/data"
)

// What a report says that the same issuer's report of the year before
// does not: its new phrases (新提法), and the targets that are new, gone
// or changed.

// Phrase is a phrase of a report that the report of the year before
// does not have.
type Phrase struct {
	Text string `json:"text"`
	// Count is how often the report uses it; Quoted says the report puts
	// it in quotation marks, as reports mark a new formulation (“两重”).
	Count  int  `json:"count"`
	Quoted bool `json:"quoted,omitempty"`
	// Weight ranks phrases: uses, length, quotation.
	Weight float64 `json:"weight"`
	// Para, Sentence and Span are where it first stands.
	Para     *data.Paragraph `json:"-"`
	Sentence int             `json:"sentence"`
	Span     data.Span       `json:"span"`
}

// Change is a target that changed between two years' reports: same
// indicator and measure, another figure.
type Change struct {
	Key        string
	This, Prev *Figure
}

// Novelty is what is new in a report against its issuer's report of the
// year before.
type Novelty struct {
	This, Prev *data.Report
	Phrases    []Phrase
	Changed    []Change
	// NewTargets are targets for indicators the year before's report set
	// none for; Dropped the year before's targets this report does not
	// set again.
	NewTargets, Dropped []*Figure
}

// Pairs returns every loaded report that has its issuer's report of the
// year before loaded too, newest first, the bot's own report first among
// equals.
func (s *Set) Pairs() [][2]*data.Report {
	if s == nil {
		return nil
	}
	var out [][2]*data.Report
	for _, r := range s.corpus.Reports {
		if p := s.previous(r); p != nil {
			out = append(out, [2]*data.Report{r, p})
		}
	}
	slices.SortStableFunc(out, func(a, b [2]*data.Report) int { return cmp.Compare(b[0].Year, a[0].Year) })
	return out
}

// previous is the loaded report of r's issuer for the year before r's.
func (s *Set) previous(r *data.Report) *data.Report {
	if r.Year == 0 || r.Region == "" {
		return nil
	}
	for _, p := range s.corpus.Reports {
		if p != r && p.Region == r.Region && p.Issuer == r.Issuer && p.Year == r.Year-1 {
			return p
		}
	}
	return nil
}

// maxPhrases bounds the new phrases a Novelty lists.
const maxPhrases = 12

// New compares a report with its issuer's report of the year before; nil
// when that report is not loaded.
func (s *Set) New(r *data.Report) *Novelty {
	prev := s.previous(r)
	if prev == nil {
		return nil
	}
	n := &Novelty{This: r, Prev: prev, Phrases: newPhrases(r, prev)}
	this, last := s.targetsByKey(r), s.targetsByKey(prev)
	for _, l := range s.Headline(r) {
		f := l.Target
		if f == nil {
			continue
		}
		p, ok := last[f.Key()]
		switch {
		case !ok:
			n.NewTargets = append(n.NewTargets, f)
		case figureWords(f) != figureWords(p):
			n.Changed = append(n.Changed, Change{Key: f.Key(), This: f, Prev: p})
		}
	}
	for _, l := range s.Headline(prev) {
		if f := l.Target; f != nil {
			if _, ok := this[f.Key()]; !ok {
				n.Dropped = append(n.Dropped, f)
			}
		}
	}
	return n
}

// figureWords is a figure's value as compared between years: the number,
// a range's end, the unit (％ and % alike) and the qualifier.
func figureWords(f *Figure) string {
	u := f.Unit
	if u == "％" {
		u = "%"
	}
	return strings.Join([]string{f.Value, f.ValueTo, u, f.Qualifier}, "\x00")
}

// targetsByKey is a report's headline targets by key.
func (s *Set) targetsByKey(r *data.Report) map[string]*Figure {
	out := map[string]*Figure{}
	for _, l := range s.Headline(r) {
		if l.Target != nil {
			out[l.Key] = l.Target
		}
	}
	return out
}

// Phrase lengths considered, in runes.
const (
	minPhrase = 4
	maxPhrase = 10
)

// edgeRunes do not start or end a phrase: particles and function words
// that make a run of characters a piece of a sentence rather than a term.
const edgeRunes = "的地得了着和与及或等在是为对把将以并从向于由要更也还再又就都而其之所被让使加进和年月日个"

// phraseVerbs are the verbs reports put before what they do ("着力发展新质
// 生产力", "打造低空经济先行区"): a phrase neither starts with one nor cuts
// one in two, so the term after the verb is what is found.
var phraseVerbs = []string{"着力", "大力", "加力", "发展", "推进", "推动", "加快", "实施", "开展", "建设", "培育", "打造",
	"促进", "加强", "提升", "扩大", "深化", "完善", "坚持", "落实", "支持", "鼓励", "聚焦", "围绕", "积极", "持续", "全面",
	"统筹", "做好", "办好", "抓好", "用好", "强化", "优化", "构建", "健全", "推广", "开拓", "扎实", "深入", "加紧", "力争"}

// verbEndsAt says a verb of phraseVerbs ends just before rune i of rs.
func verbEndsAt(rs []rune, i int) bool {
	for _, v := range phraseVerbs {
		if n := utf8.RuneCountInString(v); n <= i && string(rs[i-n:i]) == v {
			return true
		}
	}
	return false
}

// cutsVerb says a phrase from rune i of rs starts with a verb, or starts
// inside one.
func cutsVerb(rs []rune, i int) bool {
	for _, v := range phraseVerbs {
		vr := []rune(v)
		if i+len(vr) <= len(rs) && string(rs[i:i+len(vr)]) == v {
			return true
		}
		if i > 0 && i+len(vr)-1 <= len(rs) && string(rs[i-1:i-1+len(vr)]) == v {
			return true
		}
	}
	return false
}

// newPhrases finds the phrases of r that prev does not have: terms it
// quotes (“人工智能+”), and runs of four to ten characters it uses at
// least twice that are whole: used in no longer run as often (so not a
// piece of a longer phrase), with no particle at either end and no verb
// before them. They are ranked by weight: uses times length, quoted terms
// half as much again.
func newPhrases(r, prev *data.Report) []Phrase {
	old := reportText(prev)
	type cand struct {
		p           Phrase
		runes       int
		left, right rune // the runes beside its first use (0 at a run's end or after a verb)
		cut         bool // its first use starts inside a verb
	}
	byText := map[string]*cand{}
	counts := map[string]int{} // runs of minPhrase to maxPhrase+1 runes
	for _, p := range r.Paragraphs {
		text := p.Text
		// Quoted terms.
		for i := 0; i < len(text); {
			open := strings.Index(text[i:], "“")
			if open < 0 {
				break
			}
			start := i + open + len("“")
			end := strings.Index(text[start:], "”")
			if end < 0 {
				break
			}
			term := text[start : start+end]
			if n := utf8.RuneCountInString(term); n >= 2 && n <= 16 && !strings.ContainsAny(term, "，。；：、") && !strings.Contains(old, term) {
				if byText[term] == nil {
					byText[term] = &cand{p: Phrase{Text: term, Para: p, Sentence: sentenceAt(p, start), Span: data.Span{Start: start, End: start + len(term)}}, runes: n}
				}
				byText[term].p.Quoted = true
			}
			i = start + end + len("”")
		}
		// Runs of characters between punctuation.
		for _, run := range hanRuns(text) {
			rs := []rune(text[run.Start:run.End])
			offs := runeOffsets(text[run.Start:run.End])
			for i := range rs {
				for n := minPhrase; n <= maxPhrase+1 && i+n <= len(rs); n++ {
					term := string(rs[i : i+n])
					counts[term]++
					if n > maxPhrase || byText[term] != nil {
						continue
					}
					c := &cand{p: Phrase{Text: term, Para: p, Sentence: sentenceAt(p, run.Start+offs[i]), Span: data.Span{Start: run.Start + offs[i], End: run.Start + offs[i] + len(term)}}, runes: n, cut: cutsVerb(rs, i)}
					if i > 0 && !verbEndsAt(rs, i) {
						c.left = rs[i-1]
					}
					if i+n < len(rs) {
						c.right = rs[i+n]
					}
					byText[term] = c
				}
			}
		}
	}
	this := reportText(r)
	var cands []*cand
	for text, c := range byText {
		if c.p.Quoted {
			c.p.Count = max(counts[text], strings.Count(this, text))
			cands = append(cands, c)
			continue
		}
		c.p.Count = counts[text]
		first, _ := utf8.DecodeRuneInString(text)
		last, _ := utf8.DecodeLastRuneInString(text)
		switch {
		case c.p.Count < 2, c.cut, strings.ContainsRune(edgeRunes, first), strings.ContainsRune(edgeRunes, last),
			unicode.IsDigit(first), unicode.IsDigit(last):
			continue
		case c.left != 0 && counts[string(c.left)+text] == c.p.Count:
			continue // always used after the same character: a piece of a longer phrase
		case c.right != 0 && counts[text+string(c.right)] == c.p.Count:
			continue
		case strings.Contains(old, text):
			continue
		}
		cands = append(cands, c)
	}
	// Longest first, so a term's parts that are used no more often than
	// it is are dropped as its parts.
	slices.SortFunc(cands, func(a, b *cand) int {
		if a.runes != b.runes {
			return b.runes - a.runes
		}
		return strings.Compare(a.p.Text, b.p.Text)
	})
	var kept []*cand
	for _, c := range cands {
		part := slices.ContainsFunc(kept, func(k *cand) bool {
			return strings.Contains(k.p.Text, c.p.Text) && k.p.Count >= c.p.Count
		})
		if !part {
			kept = append(kept, c)
		}
	}
	out := make([]Phrase, 0, len(kept))
	for _, c := range kept {
		c.p.Weight = float64(c.p.Count * c.runes)
		if c.p.Quoted {
			c.p.Weight *= 1.5
		}
		out = append(out, c.p)
	}
	slices.SortStableFunc(out, func(a, b Phrase) int {
		if d := cmp.Compare(b.Weight, a.Weight); d != 0 {
			return d
		}
		return cmp.Compare(a.Para.Number, b.Para.Number)
	})
	return out[:min(len(out), maxPhrases)]
}

// reportText is all of a report's text, for looking phrases up.
func reportText(r *data.Report) string {
	var b strings.Builder
	for _, p := range r.Paragraphs {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// hanRuns are the runs of Han characters (and ASCII letters and digits,
// as in 5G) of a text.
func hanRuns(text string) []data.Span {
	var out []data.Span
	start := -1
	for i, r := range text {
		in := unicode.Is(unicode.Han, r) || (r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, data.Span{Start: start, End: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, data.Span{Start: start, End: len(text)})
	}
	return out
}

func runeOffsets(s string) []int {
	out := make([]int, 0, len(s)/3)
	for i := range s {
		out = append(out, i)
	}
	return out
}

// sentenceAt is the index of the sentence of p that holds byte off.
func sentenceAt(p *data.Paragraph, off int) int {
	for i, s := range p.Sentences {
		if off < s.End {
			return i
		}
	}
	return max(len(p.Sentences)-1, 0)
}
