package retrieval_test

import (
	"context"
	"os"
	"path/filepath"
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

// benchCorpora are the embedded report and, where the shared corpus is
// beside the project, its 30 reports with it, as served.
func benchCorpora(b *testing.B) map[string]*data.Corpus {
	out := map[string]*data.Corpus{"seed": benchCorpus(b)}
	if _, err := os.Stat(sharedReports); err == nil {
		c, err := data.Load(sharedReports)
		if err != nil {
			b.Fatal(err)
		}
		out["reports"] = c
	}
	return out
}

// sharedReports is the shared corpus's text reports.
const sharedReports = "../../shared/corpus/txt"

// BenchmarkOpenSaved is a start's work once the index is saved: open it
// read-only and read what searching needs (the corpus loaded outside).
func BenchmarkOpenSaved(b *testing.B) {
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	for name, c := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			ix, err := retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: dir})
			if err != nil {
				b.Fatal(err)
			}
			ix.Close()
			b.ReportAllocs()
			for b.Loop() {
				ix, err := retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: dir})
				if err != nil || ix.Origin().Built {
					b.Fatal(err, ix.Origin())
				}
				ix.Close()
			}
		})
	}
}

// BenchmarkBuildSaved is a cold start's work: build the index into an
// empty folder and open it; BenchmarkBuildPlainBleve builds the same
// passages as plain Bleve does (bleve.New, one batch), for comparison.
func BenchmarkBuildSaved(b *testing.B) {
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	for name, c := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dir, err := os.MkdirTemp(b.TempDir(), "")
				if err != nil {
					b.Fatal(err)
				}
				ix, err := retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: dir})
				if err != nil || !ix.Origin().Built {
					b.Fatal(err, ix.Origin())
				}
				ix.Close()
				os.RemoveAll(dir)
			}
		})
	}
}

func BenchmarkBuildPlainBleve(b *testing.B) {
	for name, c := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dir, err := os.MkdirTemp(b.TempDir(), "")
				if err != nil {
					b.Fatal(err)
				}
				if err := bench.BuildPlainBleve(c, filepath.Join(dir, "index")); err != nil {
					b.Fatal(err)
				}
				os.RemoveAll(dir)
			}
		})
	}
}

// BenchmarkSearchReports answers the bench questions from the saved index
// of the shared corpus's reports and the embedded one.
func BenchmarkSearchReports(b *testing.B) {
	c, ok := benchCorpora(b)["reports"]
	if !ok {
		b.Skip("the shared corpus is not beside the project")
	}
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	ix, err := retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	qs := append(append([]string(nil), bench.Questions...), bench.CorpusQuestions...)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ix.Search(ctx, qs[i%len(qs)], 3); err != nil {
			b.Fatal(err)
		}
	}
}
