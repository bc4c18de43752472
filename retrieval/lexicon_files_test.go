package retrieval

import (
	"bufio"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The lexicon files are data that people edit; these tests read them from
// disk as an editor leaves them and check what a wrong line would break.

var synonymFiles = []string{"lexicon/synonyms.txt", "lexicon/english.txt"}

const questionWordFile = "lexicon/questionwords.txt"

// rule is one line of a synonym file, normalised as LoadLexicon does.
type rule struct {
	file     string
	line     int
	text     string
	lhs, rhs []string
}

func readRules(t *testing.T) []rule {
	t.Helper()
	var out []rule
	for _, name := range synonymFiles {
		eachLine(t, name, func(n int, line string) {
			from, to, oneWay := strings.Cut(line, "=>")
			r := rule{file: name, line: n, text: line, lhs: normTerms(from)}
			r.rhs = r.lhs
			if oneWay {
				r.rhs = normTerms(to)
			}
			out = append(out, r)
		})
	}
	return out
}

func eachLine(t *testing.T, name string, each func(n int, line string)) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			each(n, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func normTerms(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.Join(strings.Fields(Normalize(s)), " "); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestLexiconFilesLoad(t *testing.T) {
	names := append(slices.Clone(synonymFiles), questionWordFile)
	if _, err := LoadLexicon(os.DirFS("."), names...); err != nil {
		t.Fatal(err)
	}
	if _, err := DefaultLexicon(); err != nil {
		t.Fatal(err)
	}
}

// TestLexiconRules checks each rule against what the matcher does with it.
func TestLexiconRules(t *testing.T) {
	seen := map[string]string{}
	for _, r := range readRules(t) {
		at := path.Base(r.file) + ":" + strconv.Itoa(r.line)
		key := strings.Join(r.lhs, ",") + "=>" + strings.Join(r.rhs, ",")
		if prev, ok := seen[key]; ok {
			t.Errorf("%s: %q repeats %s", at, r.text, prev)
		}
		seen[key] = at
		for _, alt := range r.rhs {
			// A single character matches almost every passage: as an
			// alternative it would make any question with the surface
			// look covered.
			if utf8.RuneCountInString(alt) == 1 {
				t.Errorf("%s: alternative %q is a single character", at, alt)
			}
		}
		if path.Base(r.file) == "english.txt" {
			for _, s := range r.lhs {
				if strings.ContainsFunc(s, func(c rune) bool { return unicode.Is(unicode.Han, c) }) {
					t.Errorf("%s: %q is not English; Chinese rules go in synonyms.txt", at, s)
				}
			}
		}
	}
}

// TestQuestionWordsAreNotSynonyms: a lexicon surface is matched before a
// question word at the same place, so a word in both lists would never be
// removed, and it would be a question word expanded as a topic.
func TestQuestionWordsAreNotSynonyms(t *testing.T) {
	surfaces := map[string]string{}
	for _, r := range readRules(t) {
		for _, s := range r.lhs {
			surfaces[s] = path.Base(r.file) + ":" + strconv.Itoa(r.line)
		}
	}
	eachLine(t, questionWordFile, func(n int, line string) {
		if strings.HasPrefix(line, "[") {
			return
		}
		if at, ok := surfaces[Normalize(line)]; ok {
			t.Errorf("questionwords.txt:%d: %q is also a synonym (%s)", n, line, at)
		}
	})
}

// TestLexiconParaphrases: everyday and short forms find the reports' terms,
// while a report's own term, as the report writes it, stays a phrase.
func TestLexiconParaphrases(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		question, surface, finds string
	}{
		{"保租房建了多少套", "保租房", "保障性租赁住房"},
		{"新能源车产量", "新能源车", "新能源汽车"},
		{"EV 产量", "ev", "新能源汽车"},
		{"地铁新线", "地铁", "轨道交通"},
		{"R&D投入", "r&d", "研发"},
		{"PM2.5浓度", "pm2.5", "细颗粒物"},
		{"每个县都通高速", "每个县", "县县"},
		{"每个县都通高速", "通高速", "通高速公路"},
		{"养老钱涨了吗", "养老钱", "基础养老金"},
		{"生孩子补贴", "生孩子补贴", "育儿补贴"},
		{"托儿所", "托儿所", "托育"},
		{"幼儿园免费", "幼儿园", "学前教育"},
		{"双碳目标", "双碳", "碳达峰"},
		{"What is the deficit ratio", "deficit ratio", "赤字率"},
		{"special bonds", "special bonds", "专项债券"},
		{"affordable housing", "affordable housing", "保障性住房"},
		{"new energy vehicles", "new energy vehicles", "新能源汽车"},
		{"elderly care", "elderly care", "养老服务"},
		{"Taiwan", "taiwan", "台湾"},
	} {
		q, err := lx.Parse(tc.question)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.question, err)
			continue
		}
		i := slices.IndexFunc(q.Concepts, func(c Concept) bool { return c.Surface == tc.surface })
		if i < 0 || !slices.Contains(q.Concepts[i].Alternatives, tc.finds) {
			t.Errorf("Parse(%q) = %+v, want %q to find %q", tc.question, q.Concepts, tc.surface, tc.finds)
		}
	}
	// A rule of the report's own term would weigh it as one two-character
	// word and take it out of the question's phrases (lexicon/synonyms.txt
	// says why): it may hold shorter lexicon words, but is not one.
	for _, term := range []string{"新能源汽车", "城镇新增就业", "粮食产量", "保障性租赁住房", "超长期特别国债"} {
		q, err := lx.Parse(term)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(q.Concepts, func(c Concept) bool { return c.Surface == term }) {
			t.Errorf("Parse(%q): the report's term is a lexicon word; want its rules to go one way, to it", term)
		}
	}
}
