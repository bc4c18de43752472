package main

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"reportbot/data"
)

const indexUsage = `index [--reports DIR]

Loads the reports, opens their index saved in INDEX_DIR (building and
saving it there first when there is none: a Docker image builds its index
so) and shows what was loaded (each report with its identity: issuer,
region, level, year, date, speaker; sections, paragraphs, sentences,
corpus version), which files were skipped and why, how long it took, and
where the index is.`

func runIndex(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "index", indexUsage)
	reports := fs.String("reports", "", "folder of extra reports: .txt, .md, .docx, .html (overrides REPORTS_DIR)")
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
		fmt.Fprintf(w, "report %s: 《%s》", r.ID, cmp.Or(r.Name, r.Title))
		if r.Date != "" {
			fmt.Fprintf(w, " %s", r.Date)
		}
		fmt.Fprintf(w, ", %d sections, %d paragraphs, %d sentences\n", len(r.Sections), len(r.Paragraphs), sentences)
		fmt.Fprintf(w, "  %s\n", identityLine(r))
		for _, s := range r.Sections {
			fmt.Fprintf(w, "  %s（%d段）\n", s.Title, len(s.Paragraphs))
		}
	}
	fmt.Fprintf(w, "skipped         %d\n", len(l.corpus.Skipped))
	for _, s := range l.corpus.Skipped {
		fmt.Fprintf(w, "  %s\n", s)
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

// identityLine says what a report is: its file, issuer, region with the
// regions enclosing it, level, year, speaker.
func identityLine(r *data.Report) string {
	parts := []string{"file " + cmp.Or(r.File, "(embedded)")}
	if r.Issuer != "" {
		parts = append(parts, "issuer "+r.Issuer)
	}
	if len(r.RegionPath) > 0 {
		parts = append(parts, "region "+strings.Join(r.RegionPath, " › "))
	}
	parts = append(parts, "level "+r.Level.String())
	if r.Year != 0 {
		parts = append(parts, fmt.Sprintf("year %d", r.Year))
	}
	switch {
	case r.Person != "":
		parts = append(parts, "speaker "+strings.TrimSpace(r.Office+" "+r.Person))
	case r.Speaker != "":
		parts = append(parts, "speaker "+r.Speaker)
	}
	if r.Excerpt {
		parts = append(parts, "excerpt")
	}
	if r.Source != "" {
		parts = append(parts, "source "+r.Source)
	}
	return strings.Join(parts, " · ")
}
