package retrieval

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionRunes bounds a question. Real questions are a sentence or two;
// a longer message (a pasted page) is cut here and the answer says so,
// which also bounds the work one message can cause.
const MaxQuestionRunes = 200

// ErrNoQuestion is returned when nothing searchable is left of a question
// once punctuation, emoji and question words are removed ("?", "🙂",
// "是什么"). Callers answer it with help, not with an error.
var ErrNoQuestion = errors.New("the question has no words to search for")

// Query is a question understood: what to look for, and how.
type Query struct {
	// Asked is the question as received, cut to MaxQuestionRunes.
	Asked string `json:"asked"`
	// Truncated says the question was longer than MaxQuestionRunes.
	Truncated bool `json:"truncated,omitempty"`
	// Phrases are runs of content words, searched as CJK bigrams.
	Phrases []string `json:"phrases,omitempty"`
	// Concepts are lexicon words found in the question, each searched as
	// any of its phrases.
	Concepts []Concept `json:"concepts,omitempty"`
	// When is the time the question names; its words are not searched as
	// content, they select the reports (and the part of a report) asked.
	When When `json:"when,omitempty"`
	// Where is the place the question names; its words are not searched
	// as content, they select the reports asked.
	Where Where `json:"where,omitempty"`
	// Want is the kind of answer the question words ask for.
	Want Want `json:"want,omitempty"`
	// At is "end" or "start" when the question asks how a report ends or
	// begins rather than about a topic.
	At string `json:"at,omitempty"`
}

// Concept is a lexicon word and the phrases that stand for it.
type Concept struct {
	Surface      string   `json:"surface"`
	Alternatives []string `json:"alternatives"`
	// Context marks a concept that says when, not what: it is searched
	// and marked, but does not count towards covering the question.
	Context bool `json:"context,omitempty"`
}

// Key is the question's canonical form: two questions with the same key
// are the same question (width, case, script, punctuation and question
// words aside). Caches key on it.
func (q *Query) Key() string {
	parts := make([]string, 0, len(q.Phrases)+len(q.Concepts))
	parts = append(parts, q.Phrases...)
	for _, c := range q.Concepts {
		parts = append(parts, c.Surface)
	}
	// The time asked changes the answer: "2023年GDP目标" is not "2025年GDP目标".
	for _, y := range q.When.Years {
		parts = append(parts, "@"+strconv.Itoa(y))
	}
	for _, r := range q.When.Relative {
		parts = append(parts, "@"+strconv.Itoa(r)+"r")
	}
	for _, p := range q.Where.Places {
		parts = append(parts, "@"+p)
	}
	if q.Want != WantAny {
		parts = append(parts, "?"+q.Want.String())
	}
	if q.When.Day != "" {
		parts = append(parts, "@day")
	}
	if q.At != "" {
		parts = append(parts, "@"+q.At)
	}
	if q.When.Tense != EitherTense {
		parts = append(parts, "@"+q.When.Tense.String())
	}
	return strings.Join(parts, " ")
}

// Parse understands a question: it folds width, case and script, finds
// lexicon words (longest first), removes question words and punctuation,
// and keeps the rest as phrases. It returns ErrNoQuestion when nothing is
// left to search for.
func (lx *Lexicon) Parse(question string) (*Query, error) {
	q := &Query{Asked: question}
	if utf8.RuneCountInString(question) > MaxQuestionRunes {
		q.Asked = string([]rune(question)[:MaxQuestionRunes])
		q.Truncated = true
	}
	text := Normalize(q.Asked)
	s := []rune(text)
	// off[i] is the byte offset of rune i in text: lexicon look-ups use
	// substrings of text, which cost no allocation.
	off := make([]int, 0, len(s)+1)
	for b := range text {
		off = append(off, b)
	}
	off = append(off, len(text))
	w := words{s: s, text: text, off: off}
	var phrase []rune
	var surfaces []string // place names, taken out of the phrases
	var weak, strong bool // the country named by a weak name / a strong one
	// atStart: the phrase begins a run of words (after punctuation or at
	// the start), where a leading particle is not part of a word; after a
	// removed or lexicon word it may well be (地 of 地区).
	atStart := false
	flush := func() {
		if p := lx.trimEdges(string(phrase), atStart); p != "" && !slices.Contains(q.Phrases, p) {
			q.Phrases = append(q.Phrases, p)
		}
		phrase = phrase[:0]
	}
	for i := 0; i < len(s); {
		if !isWordRune(s[i]) {
			flush()
			i++
			continue
		}
		// A year, and a year relative to the report's own (今年, 去年),
		// selects the reports asked and the part of each (see scope). It is
		// still searched and marked, as a report writes it (a report's own
		// year is also its 今年, see forCorpus), but is context, not
		// content: it does not count towards covering the question.
		if y, n := yearAt(s, i); n > 0 {
			flush()
			if !slices.Contains(q.When.Years, y) {
				q.When.Years = append(q.When.Years, y)
			}
			surface := w.sub(i, n)
			alts := lx.expansions[strconv.Itoa(y)+"年"]
			if alts == nil {
				alts = []string{surface}
			}
			q.addContext(surface, alts)
			i += n
			continue
		}
		if off, n := relativeAt(w, i); n > 0 {
			// "比上年多多少", "较去年": the comparison's 比 goes with the year.
			if k := len(phrase); k > 0 && (phrase[k-1] == '比' || phrase[k-1] == '较') {
				phrase = phrase[:k-1]
			}
			flush()
			if !slices.Contains(q.When.Relative, off) {
				q.When.Relative = append(q.When.Relative, off)
			}
			q.addContext(w.sub(i, n), relativeForms[off])
			i += n
			continue
		}
		if key, n := lx.places.at(w, i); n > 0 && lx.longestSurface(w, i) <= n {
			flush()
			if weakNational[w.sub(i, n)] {
				weak = true
			} else if key == National {
				strong = true
			}
			q.Where.add(key)
			surfaces = append(surfaces, w.sub(i, n))
			i += n
			continue
		}
		if n, alts := lx.matchSurface(w, i); n > 0 {
			flush()
			surface := string(s[i : i+n])
			if !q.hasConcept(surface) {
				q.Concepts = append(q.Concepts, Concept{Surface: surface, Alternatives: alts})
			}
			i += n
			continue
		}
		if n := lx.matchQuestionWord(w, i); n > 0 {
			// The phrase ends here: a bigram across a removed word is noise.
			flush()
			i += n
			continue
		}
		if len(phrase) == 0 {
			atStart = i == 0 || !isWordRune(s[i-1])
		}
		phrase = append(phrase, s[i])
		i++
	}
	flush()
	q.Where.Weak = weak && !strong && len(q.Where.Places) == 1
	q.When.Tense = lx.tense(text, q.When.Years, q.When.Relative)
	q.Want = wantOf(text)
	q.At = positionOf(text)
	q.When.Day = dayIn(text)
	if len(q.Phrases) == 0 && len(q.Concepts) == 0 {
		// A question that only names a place ("渝中区") asks about that
		// place's report as a whole: its name is what to search.
		q.Phrases = surfaces
	}
	if len(q.Phrases) == 0 && len(q.Concepts) == 0 {
		return q, ErrNoQuestion
	}
	return q, nil
}

// addContext adds a concept that is context (a time), not content.
func (q *Query) addContext(surface string, alts []string) {
	if !q.hasConcept(surface) {
		q.Concepts = append(q.Concepts, Concept{Surface: surface, Alternatives: alts, Context: true})
	}
}

func (q *Query) hasConcept(surface string) bool {
	for _, c := range q.Concepts {
		if c.Surface == surface {
			return true
		}
	}
	return false
}

// isWordRune: letters and digits carry meaning; spaces, punctuation,
// symbols and emoji separate phrases.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// matchSurface returns the length in runes of the longest lexicon surface
// starting at s[i], and its expansions. A surface with Latin letters must
// stand as whole words ("tax" is not in "taxi").
func (lx *Lexicon) matchSurface(w words, i int) (int, []string) {
	for n := min(lx.maxRunes, len(w.s)-i); n > 0; n-- {
		if alts, ok := lx.expansions[w.sub(i, n)]; ok && wholeWord(w.s, i, n) {
			return n, alts
		}
	}
	return 0, nil
}

// longestSurface is the length in runes of the longest lexicon surface at
// s[i], or 0.
func (lx *Lexicon) longestSurface(w words, i int) int {
	n, _ := lx.matchSurface(w, i)
	return n
}

// words is a normalised question as runes, with each rune's byte offset.
type words struct {
	s    []rune
	text string
	off  []int
}

// sub is the n runes from rune i, as a substring of text.
func (w words) sub(i, n int) string { return w.text[w.off[i]:w.off[i+n]] }

// matchQuestionWord returns the length in runes of the longest question
// word at s[i], or 0.
func (lx *Lexicon) matchQuestionWord(w words, i int) int {
	for n := min(lx.maxQW, len(w.s)-i); n > 0; n-- {
		if lx.anywhere[w.sub(i, n)] && wholeWord(w.s, i, n) {
			return n
		}
	}
	return 0
}

// trimEdges removes trailing particles (吗, 了 …) from the end of a phrase,
// and leading ones (在, 就 …) from its start when it begins a run of words.
func (lx *Lexicon) trimEdges(p string, atStart bool) string {
	for p != "" {
		first, n := utf8.DecodeRuneInString(p)
		if atStart && lx.leading[string(first)] {
			p = p[n:]
			continue
		}
		last, n := utf8.DecodeLastRuneInString(p)
		if lx.trailing[string(last)] {
			p = p[:len(p)-n]
			continue
		}
		break
	}
	return p
}

// wholeWord reports whether s[i:i+n] does not cut a run of Latin letters or
// digits. Han text has no word boundaries to respect.
func wholeWord(s []rune, i, n int) bool {
	latin := func(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	if !latin(s[i]) && !latin(s[i+n-1]) {
		return true
	}
	if latin(s[i]) && i > 0 && latin(s[i-1]) {
		return false
	}
	if latin(s[i+n-1]) && i+n < len(s) && latin(s[i+n]) {
		return false
	}
	return true
}
