package data

import (
	"fmt"
	"os"
	"testing"
)

func dump(r *Report) {
	fmt.Printf("ID=%q Title=%q Date=%q Speaker=%q\nHeader=%q\n", r.ID, r.Title, r.Date, r.Speaker, r.Header.Text)
	for _, s := range r.Sections {
		fmt.Printf("  S %q parent=%q (%d)\n", s.Title, s.Parent, len(s.Paragraphs))
		for _, p := range s.Paragraphs {
			t := []rune(p.Text)
			if len(t) > 40 {
				t = t[:40]
			}
			fmt.Printf("    %d %q [%d sent]\n", p.Number, string(t), len(p.Sentences))
		}
	}
}

func TestZZDump(t *testing.T) {
	path := os.Getenv("DUMP")
	if path == "" {
		t.Skip()
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse("x", raw)
	if err != nil {
		t.Fatal(err)
	}
	dump(r)
}
