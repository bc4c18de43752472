package retrieval

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

// AnalyzerName is the Bleve analyzer that indexes report text: Unicode word
// boundaries of the width-folded text → lower case → traditional to
// simplified Chinese → CJK bigrams, with each Han character also indexed
// alone. Bigrams need no dictionary, so the new words of another report are
// found as well as the words of this one; a dictionary segmenter (gse) was
// measured as no better on the question set and costs seconds of start-up
// and hundreds of megabytes.
//
// The single characters let a phrase that ends beside a number or a Latin
// word ("2024年", "GDP总量") match: in the question such a character has no
// neighbour to pair with. They share positions with the bigrams, so phrase
// queries are unaffected.
const AnalyzerName = "reportbot_zh"

// QueryAnalyzerName analyses questions once Normalize has folded them
// (width, case, script), so it only splits and pairs: Unicode word
// boundaries → CJK bigrams, with Han characters searched alone only where
// they stand alone. A question's phrase is matched by its bigrams, so a
// passage does not "cover" a question merely by sharing common characters
// with it. Its terms are the index analyzer's, single characters that
// stand beside another aside, at the same positions.
const QueryAnalyzerName = "reportbot_zh_query"

// Names of the tokenizer and token filters this package registers with
// Bleve.
const (
	TokenizerName      = "reportbot_unicode_folded"
	T2SFilterName      = "reportbot_t2s"
	UnigramsFilterName = "reportbot_bigram_unigrams"
)

// analyzers are the analyzers an index mapping defines, each a tokenizer
// and token filters by name, as Bleve's own analyzers are made.
var analyzers = []struct {
	name, tokenizer string
	filters         []string
}{
	{AnalyzerName, TokenizerName, []string{lowercase.Name, T2SFilterName, UnigramsFilterName}},
	{QueryAnalyzerName, unicodetok.Name, []string{cjk.BigramName}},
}

// registerErr is what registering this package's tokenizer and token
// filters with Bleve returned. They are registered as the package loads,
// as Bleve registers its own (the registry is a plain map, safe to read
// only once nothing writes to it), and addAnalyzers reports the error: a
// name another package took is then an error from Build, not a panic.
var registerErr = errors.Join(
	registry.RegisterTokenizer(TokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return foldedTokenizer{words: unicodetok.NewUnicodeTokenizer()}, nil
	}),
	registry.RegisterTokenFilter(T2SFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		conv, err := simplifier()
		if err != nil {
			return nil, fmt.Errorf("load OpenCC t2s: %w", err)
		}
		return &t2sFilter{conv: conv}, nil
	}),
	registry.RegisterTokenFilter(UnigramsFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return unigramsFilter{}, nil
	}),
)

// addAnalyzers defines AnalyzerName and QueryAnalyzerName in m.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	if registerErr != nil {
		return fmt.Errorf("register analysis components with Bleve: %w", registerErr)
	}
	for _, a := range analyzers {
		err := m.AddCustomAnalyzer(a.name, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     a.tokenizer,
			"token_filters": a.filters,
		})
		if err != nil {
			return fmt.Errorf("define analyzer %s: %w", a.name, err)
		}
	}
	return nil
}

// foldedTokenizer splits text at Unicode word boundaries, as Bleve's
// unicode tokenizer does, once its width is folded as Normalize folds a
// question (full-width Ｇ and ２ and ， to G, 2 and ","; half-width ｶ to カ).
// A token filter would fold too late: the segmenter drops full-width digits
// ("２０２４年" gives only 年). Terms are folded, offsets point into text, so
// highlights do too.
type foldedTokenizer struct{ words *unicodetok.UnicodeTokenizer }

func (t foldedTokenizer) Tokenize(text []byte) analysis.TokenStream {
	folded, shifts := foldWidth(text)
	toks := t.words.Tokenize(folded)
	if len(shifts) == 0 {
		return toks
	}
	// Tokens are in order and do not overlap, so one walk of the shifts
	// maps every start and end.
	i, by := 0, 0
	orig := func(off int) int {
		for i < len(shifts) && shifts[i].at <= off {
			by = shifts[i].by
			i++
		}
		return off + by
	}
	for _, tok := range toks {
		tok.Start = orig(tok.Start)
		tok.End = orig(tok.End)
	}
	return toks
}

// shift says that from byte at of a folded text on, offsets in the
// original are by bytes further.
type shift struct{ at, by int }

// foldWidth returns text with every rune folded as width.Fold folds it,
// and where offsets in it move against text. Text with nothing to fold is
// returned as it is, not copied.
func foldWidth(text []byte) (folded []byte, shifts []shift) {
	by := 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			if folded != nil {
				folded = append(folded, text[i])
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		var f rune
		if r != utf8.RuneError || n > 1 {
			p, _ := width.Lookup(text[i : i+n])
			f = p.Folded()
		}
		if f == 0 {
			if folded != nil {
				folded = append(folded, text[i:i+n]...)
			}
			i += n
			continue
		}
		if folded == nil {
			folded = append(make([]byte, 0, len(text)), text[:i]...)
		}
		folded = utf8.AppendRune(folded, f)
		i += n
		if d := n - utf8.RuneLen(f); d != 0 {
			by += d
			shifts = append(shifts, shift{at: len(folded), by: by})
		}
	}
	if folded == nil {
		return text, nil
	}
	return folded, shifts
}

// unigramsFilter pairs adjacent Han characters (and kana) into bigrams, as
// Bleve's cjk_bigram does, and also emits each character alone at the
// position of a bigram that holds it: the bigram it starts, or for the
// last character of a run, the one it ends. Every other token then has the
// position that cjk_bigram without unigrams gives it, as a question is
// analysed, so a phrase of a question's terms stands at consecutive
// positions in the index too. (cjk_bigram's own output_unigram gives a
// run's last character a position of its own, which leaves a gap between
// a run and what follows it: "总量gdp" would not match itself as a
// phrase.) Terms and offsets are those of cjk_bigram with output_unigram.
type unigramsFilter struct{}

func (unigramsFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, 2*len(in))
	pos := 1
	var run analysis.TokenStream // adjacent characters, a token each
	flush := func() {
		switch len(run) {
		case 0:
			return
		case 1:
			out = append(out, single(run[0], pos))
			pos++
		default:
			for i, c := range run[:len(run)-1] {
				next := run[i+1]
				term := make([]byte, 0, len(c.Term)+len(next.Term))
				bigram := &analysis.Token{
					Term:     append(append(term, c.Term...), next.Term...),
					Start:    c.Start,
					End:      next.End,
					Position: pos,
					Type:     analysis.Double,
				}
				out = append(out, single(c, pos), bigram)
				pos++
			}
			out = append(out, single(run[len(run)-1], pos-1))
		}
		run = run[:0]
	}
	for _, t := range in {
		if t.Type != analysis.Ideographic {
			flush()
			t.Position = pos
			pos++
			out = append(out, t)
			continue
		}
		// The Unicode tokenizer gives each Han character a token of its
		// own but a run of kana one token: split it, as cjk_bigram does.
		for off := 0; off < len(t.Term); {
			_, n := utf8.DecodeRune(t.Term[off:])
			c := t
			if n < len(t.Term) {
				c = &analysis.Token{Term: t.Term[off : off+n]}
			}
			c.Start, c.End = t.Start+off, t.Start+off+n
			if len(run) > 0 && run[len(run)-1].End != c.Start {
				flush()
			}
			run = append(run, c)
			off += n
		}
	}
	flush()
	return out
}

// single makes t a single character's token at pos.
func single(t *analysis.Token, pos int) *analysis.Token {
	t.Type, t.Position, t.KeyWord = analysis.Single, pos, false
	return t
}

//go:generate go run ./internal/gentraditional

var (
	t2sOnce sync.Once
	t2sConv *opencc.OpenCC
	t2sErr  error

	// traditional holds every character OpenCC's t2s tables change
	// (lexicon/traditional.txt, generated from them). Text without any is
	// already simplified, and converting it would cost a dictionary walk
	// for nothing.
	traditional = loadTraditional()
)

func loadTraditional() map[rune]bool {
	b, err := lexiconFiles.ReadFile("lexicon/traditional.txt")
	if err != nil {
		panic("retrieval: embedded lexicon/traditional.txt: " + err.Error())
	}
	set := make(map[rune]bool, 4500)
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, r := range line {
			set[r] = true
		}
	}
	return set
}

// hasTraditional reports whether s holds a character t2s would change.
func hasTraditional(s string) bool {
	for _, r := range s {
		if r >= 0x3400 && traditional[r] {
			return true
		}
	}
	return false
}

// simplifier returns the shared OpenCC traditional → simplified converter;
// its dictionaries are loaded once, on first use.
func simplifier() (*opencc.OpenCC, error) {
	t2sOnce.Do(func() { t2sConv, t2sErr = opencc.New("t2s") })
	return t2sConv, t2sErr
}

// t2sFilter converts traditional characters to simplified. The Unicode
// tokenizer emits one token per Han character, so adjacent characters are
// converted together: OpenCC then uses its phrase tables (乾淨 → 干净 but
// 乾隆 stays), and each converted character goes back to its own token.
type t2sFilter struct{ conv *opencc.OpenCC }

func (f *t2sFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var run strings.Builder
	for i := 0; i < len(in); {
		if in[i].Type != analysis.Ideographic {
			i++
			continue
		}
		j := i
		run.Reset()
		for j < len(in) && in[j].Type == analysis.Ideographic && (j == i || in[j].Start == in[j-1].End) {
			run.Write(in[j].Term)
			j++
		}
		if !hasTraditional(run.String()) {
			i = j
			continue
		}
		out, err := f.conv.Convert(run.String())
		if err == nil && utf8.RuneCountInString(out) == j-i {
			for k := i; k < j; k++ {
				r, n := utf8.DecodeRuneInString(out)
				if string(in[k].Term) != string(r) {
					in[k].Term = []byte(string(r))
				}
				out = out[n:]
			}
		}
		i = j
	}
	return in
}

// Normalize folds a question the way the analyzer folds text: control
// characters dropped, width folded, lower case, traditional → simplified.
// Its output is what cache keys and query parsing see.
func Normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.ToLower(width.Fold.String(s))
	if !hasTraditional(s) {
		return s
	}
	if conv, err := simplifier(); err == nil {
		if out, err := conv.Convert(s); err == nil {
			s = out
		}
	}
	return s
}
