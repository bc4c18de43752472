package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"reportbot/config"
	"reportbot/data"
	"reportbot/figures"
	"reportbot/retrieval"
)

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to stderr.
func newFlagSet(env *environment, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: reportbot %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; -h prints usage and stops with status 0, a bad
// flag with status 2.
func parseFlags(fs *flag.FlagSet, args []string) (helped bool, err error) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return true, nil
		}
		return false, usagef("%s: %v", fs.Name(), err)
	}
	return false, nil
}

// loaded is a corpus with its index and its key figures, and how long
// each took.
type loaded struct {
	cfg         config.Config
	corpus      *data.Corpus
	lexicon     *retrieval.Lexicon
	index       *retrieval.Index
	figures     *figures.Set
	loadTime    time.Duration
	indexTime   time.Duration
	figuresTime time.Duration
}

// loadIndex reads the configuration (the --reports flag wins over
// REPORTS_DIR), loads the reports and opens their index saved in
// INDEX_DIR, building and saving it first when no process has yet.
func loadIndex(ctx context.Context, env *environment, reportsFlag string) (*loaded, error) {
	cfg, err := config.Load(env.getenv)
	if err != nil {
		return nil, err
	}
	if reportsFlag != "" {
		cfg.ReportsDir = reportsFlag
	}
	start := time.Now()
	corpus, err := data.Load(cfg.ReportsDir)
	if err != nil {
		return nil, err
	}
	loadTime := time.Since(start)
	log := newLogger(env, cfg)
	for _, s := range corpus.Skipped {
		// One bad file never keeps the others from being served; it is
		// named, with what to do about it.
		log.Warn("report file skipped", "file", s.File, "reason", s.Reason)
	}
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	start = time.Now()
	ix, err := retrieval.Open(ctx, corpus, lx, indexOptions(env, cfg))
	if err != nil {
		return nil, err
	}
	indexTime := time.Since(start)
	start = time.Now()
	figs, err := figures.Extract(corpus, lx)
	if err != nil {
		ix.Close()
		return nil, err
	}
	return &loaded{cfg: cfg, corpus: corpus, lexicon: lx, index: ix, figures: figs, loadTime: loadTime, indexTime: indexTime, figuresTime: time.Since(start)}, nil
}

// indexOptions says where saved indexes are kept.
func indexOptions(env *environment, cfg config.Config) retrieval.OpenOptions {
	return retrieval.OpenOptions{Dir: cfg.IndexDir, Log: newLogger(env, cfg)}
}

func (l *loaded) Close() error { return l.index.Close() }

// how says how the index was got, for a person: opened or built, where.
func (l *loaded) how() string {
	o := l.index.Origin()
	switch {
	case o.Path == "":
		return "built in memory"
	case o.Temporary:
		return "built in " + o.Path + " (temporary: INDEX_DIR cannot be written)"
	case o.Built:
		return "built and saved in " + o.Path
	default:
		return "opened from " + o.Path
	}
}

// printSections lists each report's sections, for a reader to look further.
func printSections(w io.Writer, c *data.Corpus) {
	for _, r := range c.Reports {
		fmt.Fprintf(w, "《%s》", r.Title)
		if r.Date != "" {
			fmt.Fprintf(w, "（%s）", r.Date)
		}
		fmt.Fprintln(w)
		for _, s := range r.Sections {
			indent := "  "
			if s.Parent != "" {
				indent = "    "
			}
			fmt.Fprintf(w, "%s- %s（%d段）\n", indent, s.Title, len(s.Paragraphs))
		}
	}
}
