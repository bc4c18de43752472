package bench

import (
	"context"
	"testing"

	"reportbot/data"
	"reportbot/retrieval/retrievaltest"
)

// seedCorpus is the embedded report.
func seedCorpus(tb testing.TB) *data.Corpus {
	tb.Helper()
	c, err := data.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestRepeat(t *testing.T) {
	c := seedCorpus(t)
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

func TestRepeatIsSearchable(t *testing.T) {
	ix := retrievaltest.Index(t, Repeat(seedCorpus(t), 100))
	res, err := ix.Search(context.Background(), Questions[0], 3)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Covered || len(res.Passages) == 0 {
		t.Fatalf("%q not answered from the repeated corpus", Questions[0])
	}
}
