package retrieval

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/width"

	"reportbot/data"
)

// The generated set of traditional characters must hold every character
// OpenCC's t2s changes on its own, or Normalize would skip a conversion.
func TestTraditionalSetCoversOpenCC(t *testing.T) {
	conv, err := simplifier()
	if err != nil {
		t.Fatal(err)
	}
	missed := 0
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if traditional[r] {
			continue
		}
		if out, err := conv.Convert(string(r)); err != nil || out != string(r) {
			missed++
			if missed <= 5 {
				t.Errorf("%c (U+%04X) → %q by OpenCC but not in lexicon/traditional.txt", r, r, out)
			}
		}
	}
	if missed > 0 {
		t.Errorf("%d characters missed; run go generate ./retrieval", missed)
	}
	for _, tc := range []struct{ in, want string }{
		{"渝中區經濟發展", "渝中区经济发展"},
		{"ＧＤＰ增長目標", "gdp增长目标"},
		{"软信服务", "软信服务"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// analysisInputs are texts of every kind the analyzers meet: full-width
// letters, digits and punctuation, traditional characters (with OpenCC's
// phrase tables at work), Latin words and numbers beside Han, punctuation,
// emoji, control and invisible characters, and long text; then every
// passage and title of the embedded report and of the test reports.
func analysisInputs(t *testing.T) []string {
	in := []string{
		"ＧＤＰ增長目標２０２４年",
		"地区生产总值增长６．５％左右，ｃｐｉ涨幅３％，１，０００元",
		"（一）全年全区地区生产总值增长６％。",
		"渝中區經濟發展，乾淨的城市與乾隆年間的故事",
		"軟信服務產業發展得怎麼樣？",
		"2024年GDP增长5.2%，R&D经费投入强度2.6%",
		"5G基站、iPhone15手机和COVID-19疫情",
		"总量gdp，gdp总量 增长",
		"“两重”“两新”、专项债……——《政府工作报告》",
		"🙂好的👍🏻增长🇨🇳中国❤️",
		"a\u200bb\u00adc 中\u200b国",
		"\t渝中\n区\r\n政府",
		"\x00\x1b[31m税收\x7f",
		"ｶﾞｷﾞ半角カナとひらがな",
		"①②③ ㈠ Ⅻ章",
		"ＡＢＣ　ＤＥＦ　中文",
		strings.Repeat("地区生产总值增长目标", 500),
	}
	for _, dir := range []string{"", "../data/testdata/reports"} {
		c, err := data.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Reports {
			in = append(in, r.Title)
		}
		for _, p := range c.Paragraphs() {
			in = append(in, p.Text)
		}
	}
	return in
}

// The query side (Normalize, then the query analyzer, without the index)
// must find the terms the index analyzer gives the same text, at the same
// positions: the index's terms are the question's, plus each Han character
// alone at the position of a bigram that holds it. (A Greek word ending in
// Σ is the one known difference: to_lower gives ς, strings.ToLower σ.)
func TestQueryAnalysisMatchesIndex(t *testing.T) {
	ix := seed(t)
	indexAnalyzer := ix.bleve.Mapping().AnalyzerNamed(AnalyzerName)
	if indexAnalyzer == nil {
		t.Fatalf("the index mapping has no analyzer %s", AnalyzerName)
	}
	for _, text := range analysisInputs(t) {
		toks := indexAnalyzer.Analyze([]byte(text))
		byStart := map[int]*analysis.Token{}
		byEnd := map[int]*analysis.Token{}
		for _, tok := range toks {
			if tok.Type == analysis.Double {
				byStart[tok.Start], byEnd[tok.End] = tok, tok
			}
		}
		var index []string
		for _, tok := range toks {
			term := string(tok.Term)
			if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
				t.Fatalf("%.40q: token %q has offsets %d:%d", text, term, tok.Start, tok.End)
			}
			if tok.Type == analysis.Double || tok.Type == analysis.Single {
				if n := utf8.RuneCountInString(text[tok.Start:tok.End]); n != utf8.RuneCount(tok.Term) {
					t.Errorf("%.40q: term %q stands for %q", text, term, text[tok.Start:tok.End])
				}
			} else if want := strings.ToLower(width.Fold.String(text[tok.Start:tok.End])); term != want {
				t.Errorf("%.40q: term %q stands for %q, want %q", text, term, text[tok.Start:tok.End], want)
			}
			if tok.Type == analysis.Single {
				first, last := byStart[tok.Start], byEnd[tok.End]
				switch {
				case first != nil && first.Position == tok.Position, last != nil && last.Position == tok.Position:
					continue // a character beside another, alone
				case first != nil || last != nil:
					t.Errorf("%.40q: %q at %d is not at the position of a bigram that holds it", text, term, tok.Position)
					continue
				}
			}
			index = append(index, fmt.Sprintf("%s@%d", term, tok.Position))
		}
		for _, d := range byStart {
			if !hasToken(toks, analysis.Single, d.Start, -1) || !hasToken(toks, analysis.Single, -1, d.End) {
				t.Errorf("%.40q: the characters of %q are not indexed alone", text, d.Term)
			}
		}
		var query []string
		for _, tok := range ix.queryAnalyzer.Analyze([]byte(Normalize(text))) {
			query = append(query, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
		}
		if i := firstDifference(index, query); i >= 0 {
			t.Errorf("%.40q: index and query terms differ at term %d:\nindex %q\nquery %q", text, i, around(index, i), around(query, i))
		}
	}
}

func hasToken(toks analysis.TokenStream, typ analysis.TokenType, start, end int) bool {
	for _, t := range toks {
		if t.Type == typ && (start < 0 || t.Start == start) && (end < 0 || t.End == end) {
			return true
		}
	}
	return false
}

func firstDifference(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func around(s []string, i int) []string { return s[max(0, i-3):min(len(s), i+4)] }

// The index analyzer's terms, offsets and types are those of Bleve's
// cjk_bigram with output_unigram; only the positions of a run's last
// character, and so of what follows, differ (see unigramsFilter).
func TestUnigramsAreCJKBigramUnigrams(t *testing.T) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		t.Fatal(err)
	}
	if err := m.AddCustomTokenFilter("bigram_unigrams", map[string]interface{}{"type": cjk.BigramName, "output_unigram": true}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddCustomAnalyzer("bleve_unigrams", map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     TokenizerName,
		"token_filters": []string{lowercase.Name, T2SFilterName, "bigram_unigrams"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, text := range analysisInputs(t) {
		ours, err := m.AnalyzeText(AnalyzerName, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		bleves, err := m.AnalyzeText("bleve_unigrams", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		strip := func(ts analysis.TokenStream) []string {
			var out []string
			for _, t := range ts {
				out = append(out, fmt.Sprintf("%s %d:%d %d", t.Term, t.Start, t.End, t.Type))
			}
			return out
		}
		a, b := strip(ours), strip(bleves)
		if i := firstDifference(a, b); i >= 0 {
			t.Errorf("%.40q: differs from cjk_bigram at token %d:\nours  %q\nbleve %q", text, i, around(a, i), around(b, i))
		}
	}
}

// foldWidth folds every rune as width.Fold does, and its shifts map the
// offsets of the folded text back.
func TestFoldWidthIsWidthFold(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := "a" + string(r) + "b"
		got, _ := foldWidth([]byte(s))
		if want := width.Fold.String(s); string(got) != want {
			t.Fatalf("foldWidth(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"", "abc", "中文", "\xff\xe4\xb8", "ＡＢ，中\xe4\xb8"} {
		got, _ := foldWidth([]byte(s))
		if want := width.Fold.String(s); string(got) != want {
			t.Errorf("foldWidth(%q) = %q, want %q", s, got, want)
		}
	}
	text := "ＧＤＰ，２０２４年ｶﾞ增长"
	var got []string
	for _, tok := range (foldedTokenizer{words: unicodetok.NewUnicodeTokenizer()}).Tokenize([]byte(text)) {
		got = append(got, fmt.Sprintf("%s=%s", tok.Term, text[tok.Start:tok.End]))
	}
	if want := []string{"GDP=ＧＤＰ", "2024=２０２４", "年=年", "カ\u3099=ｶﾞ", "增=增", "长=长"}; !slices.Equal(got, want) {
		t.Errorf("tokens of %q: %q, want %q", text, got, want)
	}
}

// A name already taken in Bleve's registry is an error from Build, not a
// panic and not ignored.
func TestRegistrationErrorsAreReturned(t *testing.T) {
	err := registry.RegisterTokenFilter(T2SFilterName, nil)
	if err == nil {
		t.Fatalf("Bleve registered a second token filter %s", T2SFilterName)
	}
	saved := registerErr
	registerErr = err
	defer func() { registerErr = saved }()
	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(c, lx); err == nil || !strings.Contains(err.Error(), T2SFilterName) {
		t.Errorf("Build = %v, want the registration error", err)
	}
}
