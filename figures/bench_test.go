package figures

import (
	"testing"

	"reportbot/data"
	"reportbot/retrieval"
)

// BenchmarkExtract measures extraction at load: the embedded report alone,
// and the real corpus (31 reports) when it is here.
func BenchmarkExtract(b *testing.B) {
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("seed", func(b *testing.B) {
		c, err := data.Load("")
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Extract(c, lx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("corpus", func(b *testing.B) {
		s := realFigures(b)
		for b.Loop() {
			if _, err := Extract(s.corpus, lx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
