package main

import (
	"context"
	"fmt"
)

const indexUsage = `index [--reports DIR]

Loads the reports, opens their index saved in INDEX_DIR (building and
saving it there first when there is none: a Docker image builds its index
so) and shows what was loaded (reports, sections, paragraphs, sentences,
corpus version), how long it took, and where the index is.`

func runIndex(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "index", indexUsage)
	reports := fs.String("reports", "", "folder of extra .txt/.md reports (overrides REPORTS_DIR)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("index: unexpected arguments %q", fs.Args())
	}
	l, err := loadIndex(ctx, env, *reports)
	if err != nil {
		return err
	}
	defer l.Close()
	w := env.stdout
	st := l.corpus.Stats()
	for _, r := range l.corpus.Reports {
		var sentences int
		for _, p := range r.Paragraphs {
			sentences += len(p.Sentences)
		}
		fmt.Fprintf(w, "report %s: 《%s》", r.ID, r.Title)
		if r.Date != "" {
			fmt.Fprintf(w, " %s", r.Date)
		}
		fmt.Fprintf(w, ", %d sections, %d paragraphs, %d sentences\n", len(r.Sections), len(r.Paragraphs), sentences)
		for _, s := range r.Sections {
			fmt.Fprintf(w, "  %s（%d段）\n", s.Title, len(s.Paragraphs))
		}
	}
	fmt.Fprintf(w, "reports         %d\n", st.Reports)
	fmt.Fprintf(w, "sections        %d\n", st.Sections)
	fmt.Fprintf(w, "paragraphs      %d (+%d title passages)\n", st.Paragraphs, st.Reports)
	fmt.Fprintf(w, "sentences       %d\n", st.Sentences)
	fmt.Fprintf(w, "corpus version  %s\n", l.corpus.Version)
	fmt.Fprintf(w, "load            %s\n", l.loadTime.Round(10_000))
	fmt.Fprintf(w, "index           %s\n", l.indexTime.Round(10_000))
	fmt.Fprintf(w, "saved index     %s\n", l.how())
	return nil
}
