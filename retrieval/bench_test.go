package retrieval_test

import (
	"context"
	"testing"

	"reportbot/bench"
	"reportbot/data"
	"reportbot/retrieval"
)

// Benchmarks of search and indexing. They measure; they assert nothing
// about time. "reportbot bench" prints the same figures side by side with
// the targets; the questions, the baseline and the repeated corpora are
// package bench's.

func benchCorpus(tb testing.TB) *data.Corpus {
	tb.Helper()
	c, err := data.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func benchIndex(tb testing.TB, c *data.Corpus) *retrieval.Index {
	tb.Helper()
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := retrieval.Build(c, lx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func benchSearch(b *testing.B, ix *retrieval.Index) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ix.Search(ctx, bench.Questions[i%len(bench.Questions)], 3); err != nil {
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
	bl, err := bench.BuildBaseline(benchCorpus(b))
	if err != nil {
		b.Fatal(err)
	}
	defer bl.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := bl.Search(ctx, bench.Questions[i%len(bench.Questions)], 3); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is start-up's work: load the embedded report and index it
// (the lexicon is loaded once, outside).
func BenchmarkBuild(b *testing.B) {
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := data.Load("")
		if err != nil {
			b.Fatal(err)
		}
		ix, err := retrieval.Build(c, lx)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkSearch1k and BenchmarkSearch10k search the embedded report's
// paragraphs repeated to 1,000 and 10,000 passages.
func BenchmarkSearch1k(b *testing.B) {
	benchSearch(b, benchIndex(b, bench.Repeat(benchCorpus(b), 1000)))
}

func BenchmarkSearch10k(b *testing.B) {
	benchSearch(b, benchIndex(b, bench.Repeat(benchCorpus(b), 10000)))
}
