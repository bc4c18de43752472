package retrieval

import (
	"context"
	"strings"
	"testing"

	"reportbot/data"
)

// Benchmarks of search and indexing. They measure; they assert nothing
// about time. "reportbot bench" prints the same figures side by side with
// the targets.

func benchCorpus(tb testing.TB) *data.Corpus {
	tb.Helper()
	c, err := data.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func benchIndex(tb testing.TB, c *data.Corpus) *Index {
	tb.Helper()
	lx, err := DefaultLexicon()
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := Build(c, lx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func benchSearch(b *testing.B, ix *Index) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ix.Search(ctx, BenchQuestions[i%len(BenchQuestions)], 3); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearch is one question answered (search, re-ranking, answer
// sentence) on the embedded report.
func BenchmarkSearch(b *testing.B) {
	benchSearch(b, benchIndex(b, benchCorpus(b)))
}

// BenchmarkBaselineSearch is one question searched by the baseline (Bleve's
// standard analyzer, a plain match query) on the embedded report.
func BenchmarkBaselineSearch(b *testing.B) {
	bl, err := BuildBaseline(benchCorpus(b))
	if err != nil {
		b.Fatal(err)
	}
	defer bl.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := bl.Search(ctx, BenchQuestions[i%len(BenchQuestions)], 3); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is start-up's work: load the embedded report and index it
// (the lexicon is loaded once, outside).
func BenchmarkBuild(b *testing.B) {
	lx, err := DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := data.Load("")
		if err != nil {
			b.Fatal(err)
		}
		ix, err := Build(c, lx)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkSearch1k and BenchmarkSearch10k search the embedded report's
// paragraphs repeated to 1,000 and 10,000 passages.
func BenchmarkSearch1k(b *testing.B) {
	benchSearch(b, benchIndex(b, Repeat(benchCorpus(b), 1000)))
}

func BenchmarkSearch10k(b *testing.B) {
	benchSearch(b, benchIndex(b, Repeat(benchCorpus(b), 10000)))
}

func TestBenchRepeat(t *testing.T) {
	c := benchCorpus(t)
	before := len(c.Paragraphs())
	for _, n := range []int{1, before, 3*before + 2, 1000} {
		r := Repeat(c, n)
		ps := r.Paragraphs()
		if len(ps) != n {
			t.Errorf("Repeat(%d): %d passages", n, len(ps))
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p.ID()] {
				t.Errorf("Repeat(%d): passage %s twice", n, p.ID())
			}
			seen[p.ID()] = true
			if p.Report == nil || (p.Number > 0 && p.Section == nil) {
				t.Errorf("Repeat(%d): passage %s has no report or section", n, p.ID())
			}
		}
		if r.Version == "" || r.Version == c.Version {
			t.Errorf("Repeat(%d): version %q", n, r.Version)
		}
		if st := r.Stats(); st.Paragraphs != n-len(r.Reports) {
			t.Errorf("Repeat(%d): Stats counts %d body paragraphs", n, st.Paragraphs)
		}
	}
	if got := len(c.Paragraphs()); got != before {
		t.Errorf("Repeat changed its input: %d passages, was %d", got, before)
	}
}

func TestBenchRepeatIsSearchable(t *testing.T) {
	ix := benchIndex(t, Repeat(benchCorpus(t), 100))
	res, err := ix.Search(context.Background(), BenchQuestions[0], 3)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Covered || len(res.Passages) == 0 {
		t.Fatalf("%q not answered from the repeated corpus", BenchQuestions[0])
	}
}

func TestBenchBaselineSearches(t *testing.T) {
	c := benchCorpus(t)
	bl, err := BuildBaseline(c)
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	hits, err := bl.Search(context.Background(), "社会消费品零售总额", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || len(hits) > 3 {
		t.Fatalf("baseline: %d hits, want 1 to 3", len(hits))
	}
	if !strings.Contains(hits[0].Paragraph.Text, "社会消费品零售总额") {
		t.Errorf("baseline's best passage does not hold the phrase: %s", hits[0].Paragraph.Text)
	}
}
