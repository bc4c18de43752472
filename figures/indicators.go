package figures

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"reportbot/retrieval"
)

//go:embed indicators.txt
var indicatorsText string

// Measure is what a figure measures of its indicator: its level (达到
// 134.9万亿元, 5.5%左右 of a rate), its growth (增长5%) or its fall
// (下降3%).
type Measure string

// Measures.
const (
	Level Measure = ""
	Rise  Measure = "增长"
	Fall  Measure = "下降"
)

// indicator is one line of indicators.txt.
type indicator struct {
	name  string
	order int
}

// alias is what a name stands for.
type alias struct {
	ind     *indicator
	measure Measure // set when the name says it ("经济增长")
	hasMeas bool
}

// table knows the indicators by every name: indicators.txt's, and the
// lexicon's equivalents of them.
type table struct {
	inds     []*indicator
	byName   map[string]alias // normalised name
	maxRunes int
}

func parseTable(text string, lx *retrieval.Lexicon) (*table, error) {
	t := &table{byName: map[string]alias{}}
	var lexiconNames [][2]string // lexicon equivalent, the table name it came from
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names := strings.Split(line, ",")
		ind := &indicator{name: strings.TrimSpace(names[0]), order: len(t.inds)}
		if ind.name == "" || strings.Contains(ind.name, "+") {
			return nil, fmt.Errorf("indicators.txt line %d: the first name is the indicator's, with no measure: %q", n+1, line)
		}
		t.inds = append(t.inds, ind)
		for _, nm := range names {
			nm = strings.TrimSpace(nm)
			a := alias{ind: ind}
			if base, m, ok := strings.Cut(nm, "+"); ok {
				nm, a.measure, a.hasMeas = base, Measure(m), true
				if a.measure != Rise && a.measure != Fall {
					return nil, fmt.Errorf("indicators.txt line %d: measure %q is neither %s nor %s", n+1, m, Rise, Fall)
				}
			}
			if nm == "" {
				return nil, fmt.Errorf("indicators.txt line %d: an empty name in %q", n+1, line)
			}
			key := retrieval.Normalize(nm)
			if other, taken := t.byName[key]; taken {
				return nil, fmt.Errorf("indicators.txt line %d: %q is already a name of %s", n+1, nm, other.ind.name)
			}
			t.add(key, a)
			if lx != nil && !a.hasMeas {
				for _, syn := range lx.Synonyms(nm) {
					lexiconNames = append(lexiconNames, [2]string{syn, key})
				}
			}
		}
	}
	// The lexicon's equivalents come after every name of the table, so a
	// name the table gives one indicator is never taken by another's
	// synonym. Only two-way synonyms are equivalents: "a => b" says a
	// question's a also looks for b, not that b is a.
	for _, ln := range lexiconNames {
		syn, from := retrieval.Normalize(ln[0]), ln[1]
		if _, taken := t.byName[syn]; taken || !mutual(lx, syn, from) {
			continue
		}
		t.add(syn, t.byName[from])
	}
	return t, nil
}

func (t *table) add(key string, a alias) {
	t.byName[key] = a
	t.maxRunes = max(t.maxRunes, utf8.RuneCountInString(key))
}

// mutual says the lexicon gives a and b as each other's synonyms.
func mutual(lx *retrieval.Lexicon, a, b string) bool {
	has := func(list []string, s string) bool {
		for _, x := range list {
			if retrieval.Normalize(x) == s {
				return true
			}
		}
		return false
	}
	return has(lx.Synonyms(a), b) && has(lx.Synonyms(b), a)
}

// lookup finds the indicator a phrase names, whole.
func (t *table) lookup(phrase string) (alias, bool) {
	a, ok := t.byName[retrieval.Normalize(phrase)]
	return a, ok
}

// find returns the first indicator named in a normalised text (a
// question), the longest name at each position: its alias, and the name
// as it stands there.
func (t *table) find(text string) (alias, string, bool) {
	for i := 0; i < len(text); {
		rest := text[i:]
		n := utf8.RuneCountInString(rest)
		for k := min(t.maxRunes, n); k >= 1; k-- {
			end := runeOffset(rest, k)
			if a, ok := t.byName[rest[:end]]; ok && utf8.RuneCountInString(rest[:end]) >= 2 {
				return a, rest[:end], true
			}
		}
		_, size := utf8.DecodeRuneInString(rest)
		i += size
	}
	return alias{}, "", false
}

// runeOffset is the byte offset of the k-th rune of s (len(s) past the end).
func runeOffset(s string, k int) int {
	for i := range s {
		if k == 0 {
			return i
		}
		k--
	}
	return len(s)
}

// Indicators returns the names of the indicators the table lists, in
// its order: the order a report's key figures are shown in.
func (s *Set) Indicators() []string {
	out := make([]string, len(s.table.inds))
	for i, ind := range s.table.inds {
		out[i] = ind.name
	}
	return out
}
