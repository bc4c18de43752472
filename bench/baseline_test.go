package bench

import (
	"context"
	"strings"
	"testing"
)

func TestBaselineSearches(t *testing.T) {
	c := seedCorpus(t)
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
