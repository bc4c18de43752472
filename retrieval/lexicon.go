package retrieval

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"
)

//go:embed lexicon/*.txt
var lexiconFiles embed.FS

// Lexicon is the query-side knowledge kept as data: synonyms and
// abbreviations, the English glossary, and the question words to remove.
// None of it names a question; it names words.
type Lexicon struct {
	// expansions maps a normalised surface form to the phrases a question
	// containing it also looks for (the surface itself first).
	expansions map[string][]string
	maxRunes   int // longest surface, in runes
	// question words by kind (see lexicon/questionwords.txt).
	anywhere map[string]bool
	trailing map[string]bool
	leading  map[string]bool
	maxQW    int
	// places are the place names questions may use; set per index.
	places *places
	// tense words (see lexicon/tense.txt): plan and result markers.
	planWords, resultWords []string
}

// DefaultLexicon loads the lexicon embedded in the binary.
func DefaultLexicon() (*Lexicon, error) {
	lx, err := LoadLexicon(lexiconFiles, "lexicon/synonyms.txt", "lexicon/english.txt", "lexicon/questionwords.txt")
	if err != nil {
		return nil, err
	}
	f, err := lexiconFiles.Open("lexicon/tense.txt")
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	defer f.Close()
	if err := lx.readTense(f); err != nil {
		return nil, fmt.Errorf("lexicon lexicon/tense.txt: %w", err)
	}
	return lx, nil
}

// readTense reads the words that mark a question as asking for a plan or
// for a result, under [plan] and [result] headings.
func (lx *Lexicon) readTense(r io.Reader) error {
	var kind *[]string
	return lines(r, func(n int, line string) error {
		switch line {
		case "[plan]":
			kind = &lx.planWords
		case "[result]":
			kind = &lx.resultWords
		default:
			if kind == nil {
				return fmt.Errorf("line %d: %q comes before a [plan] or [result] heading", n, line)
			}
			*kind = append(*kind, Normalize(line))
		}
		return nil
	})
}

// tense says which part of a report the normalised question asks about.
func (lx *Lexicon) tense(text string, years, rel []int) Tense {
	plan, result := hasAny(text, lx.planWords), hasAny(text, lx.resultWords)
	if len(years) > 0 {
		// "2025年专项债比上年多多少": beside a year, 上年 is what it is
		// compared with, not the time asked.
		rel = nil
	}
	for _, r := range rel {
		// "去年" asks what was done; "今年"/"明年" what is planned.
		if r < 0 {
			result = true
		} else {
			plan = true
		}
	}
	switch {
	case plan && !result:
		return Plan
	case result && !plan:
		return Done
	}
	return EitherTense
}

func hasAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// LoadLexicon reads synonym files (Solr format) and then a question-word
// file, the last name given.
func LoadLexicon(fsys fs.FS, names ...string) (*Lexicon, error) {
	lx := &Lexicon{expansions: map[string][]string{}, anywhere: map[string]bool{}, trailing: map[string]bool{}, leading: map[string]bool{}}
	for i, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		if i == len(names)-1 {
			err = lx.readQuestionWords(f)
		} else {
			err = lx.readSynonyms(f)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", name, err)
		}
	}
	return lx, nil
}

func lines(r io.Reader, each func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := each(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

func terms(list string) []string {
	var out []string
	for _, t := range strings.Split(list, ",") {
		if t = strings.Join(strings.Fields(Normalize(t)), " "); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (lx *Lexicon) readSynonyms(r io.Reader) error {
	return lines(r, func(n int, line string) error {
		from, to, oneWay := strings.Cut(line, "=>")
		lhs := terms(from)
		rhs := lhs
		if oneWay {
			rhs = terms(to)
		}
		if len(lhs) == 0 || len(rhs) == 0 || (!oneWay && len(lhs) < 2) {
			return fmt.Errorf("line %d: want \"a, b\" or \"a => b\", got %q", n, line)
		}
		for _, s := range lhs {
			lx.add(s, rhs)
		}
		return nil
	})
}

func (lx *Lexicon) add(surface string, alts []string) {
	have := lx.expansions[surface]
	if have == nil {
		have = []string{surface}
	}
	for _, a := range alts {
		if !slices.Contains(have, a) {
			have = append(have, a)
		}
	}
	lx.expansions[surface] = have
	lx.maxRunes = max(lx.maxRunes, utf8.RuneCountInString(surface))
}

func (lx *Lexicon) readQuestionWords(r io.Reader) error {
	kind := lx.anywhere
	return lines(r, func(n int, line string) error {
		switch line {
		case "[anywhere]":
			kind = lx.anywhere
		case "[trailing]":
			kind = lx.trailing
		case "[leading]":
			kind = lx.leading
		default:
			w := Normalize(line)
			kind[w] = true
			lx.maxQW = max(lx.maxQW, utf8.RuneCountInString(w))
		}
		return nil
	})
}
