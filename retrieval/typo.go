package retrieval

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// Typos. A question's wrong character (赤子率 for 赤字率, 新曾就业 for
// 新增就业: the same sound, another character) makes both bigrams it is in
// words no report uses, and the question then looks off-topic. Where a
// character's two bigrams are both unknown to the index and one character
// in its place would make both known, and clearly more used than any
// other that would, the question meant that one. Only characters with a neighbour on each side are mended: one
// unknown bigram alone is as likely a new word as a typo.

// bigrams maps each Han character to the characters that follow it in the
// index's bigrams, built once from the term dictionary.
type bigrams struct {
	once sync.Once
	next map[rune][]rune
}

func (ix *Index) nextChars(r rune) []rune {
	ix.typos.once.Do(func() {
		ix.typos.next = map[rune][]rune{}
		for term := range ix.df {
			a, n := utf8.DecodeRuneInString(term)
			b, m := utf8.DecodeRuneInString(term[n:])
			if n+m == len(term) && unicode.Is(unicode.Han, a) && unicode.Is(unicode.Han, b) {
				ix.typos.next[a] = append(ix.typos.next[a], b)
			}
		}
	})
	return ix.typos.next[r]
}

// mend returns phrase with its typos mended (see above), and whether any
// were.
func (ix *Index) mend(phrase string) (string, bool) {
	if utf8.RuneCountInString(phrase) < 3 {
		return phrase, false // no character with a neighbour on each side
	}
	rs := []rune(phrase)
	changed := false
	for j := 1; j+1 < len(rs); j++ {
		if !unicode.Is(unicode.Han, rs[j]) || ix.known(rs[j-1], rs[j]) || ix.known(rs[j], rs[j+1]) {
			continue
		}
		// The character that makes both bigrams most used wins, when it
		// is clearly the one meant: twice as used as the next best.
		var fix rune
		best, second := 0, 0
		for _, c := range ix.nextChars(rs[j-1]) {
			n := min(ix.bigramDF(rs[j-1], c), ix.bigramDF(c, rs[j+1]))
			switch {
			case n > best:
				fix, best, second = c, n, best
			case n > second:
				second = n
			}
		}
		if best > 0 && best >= 2*second {
			rs[j], changed = fix, true
		}
	}
	return string(rs), changed
}

func (ix *Index) known(a, b rune) bool { return ix.bigramDF(a, b) > 0 }

// bigramDF is the document frequency of the bigram ab, looked up without
// allocating (the map index takes the bytes as a string in place).
func (ix *Index) bigramDF(a, b rune) int {
	var buf [2 * utf8.UTFMax]byte
	k := utf8.AppendRune(utf8.AppendRune(buf[:0], a), b)
	return ix.df[string(k)]
}
