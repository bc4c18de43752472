// Package retrievaltest builds search indexes for other packages' tests.
package retrievaltest

import (
	"testing"

	"reportbot/data"
	"reportbot/retrieval"
)

// Index indexes corpus (the embedded report when nil) with the default
// lexicon, and closes the index when the test ends.
func Index(tb testing.TB, corpus *data.Corpus) *retrieval.Index {
	tb.Helper()
	if corpus == nil {
		c, err := data.Load("")
		if err != nil {
			tb.Fatal(err)
		}
		corpus = c
	}
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := retrieval.Build(corpus, lx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}
