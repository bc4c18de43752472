package retrieval

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

// AnalyzerName is the Bleve analyzer that indexes report text: Unicode word
// boundaries → width folding → lower case → traditional to simplified
// Chinese → CJK bigrams, with each Han character also indexed alone.
// Bigrams need no dictionary, so the new words of another report are found
// as well as the words of this one; a dictionary segmenter (gse) was
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
// with it.
const QueryAnalyzerName = "reportbot_zh_query"

// Names of the token filters this package registers with Bleve.
const (
	FoldFilterName     = "reportbot_fold"
	T2SFilterName      = "reportbot_t2s"
	UnigramsFilterName = "reportbot_bigram_unigrams"
)

func init() {
	registry.RegisterTokenFilter(FoldFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	registry.RegisterTokenFilter(T2SFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		conv, err := simplifier()
		if err != nil {
			return nil, err
		}
		return &t2sFilter{conv: conv}, nil
	})
	registry.RegisterTokenFilter(UnigramsFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return cjk.NewCJKBigramFilter(true), nil
	})
	registry.RegisterAnalyzer(AnalyzerName, chain(cjk.WidthName, FoldFilterName, lowercase.Name, T2SFilterName, UnigramsFilterName))
	registry.RegisterAnalyzer(QueryAnalyzerName, chain(cjk.BigramName))
}

// chain builds an analyzer: the Unicode tokenizer and the named filters.
func chain(filterNames ...string) registry.AnalyzerConstructor {
	return func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(unicodetok.Name)
		if err != nil {
			return nil, err
		}
		var filters []analysis.TokenFilter
		for _, name := range filterNames {
			f, err := cache.TokenFilterNamed(name)
			if err != nil {
				return nil, err
			}
			filters = append(filters, f)
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: filters}, nil
	}
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

// foldFilter folds full-width and other compatibility forms that
// cjk_width leaves alone (full-width ％, ～ and the like) to their ordinary
// forms. Offsets are untouched, so highlights still point into the original
// text.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !isASCII(t.Term) {
			t.Term = []byte(width.Fold.String(string(t.Term)))
		}
	}
	return in
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

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
