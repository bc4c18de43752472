// Package reload keeps a running process answering from the reports its
// reports folder holds now: it looks at the folder every so often (and at
// once when asked, on SIGHUP), and when a report was added, changed or
// removed it loads the reports, opens the new corpus version's saved index
// (building it if no process has yet) and swaps it into the retrieval.Live
// the handlers read. The old index answers until the new one is open; a
// folder that does not load leaves it answering, and the log says why.
package reload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"reportbot/data"
	"reportbot/retrieval"
)

// Reloader keeps Live's index in step with the reports in Dir.
type Reloader struct {
	// Dir is the reports folder (REPORTS_DIR); with "" only the embedded
	// report is loaded, and there is nothing to look at.
	Dir string
	// Every is how often Run looks at Dir for changes (REPORTS_CHECK); 0
	// looks only when asked.
	Every time.Duration
	// Live holds the index being served.
	Live *retrieval.Live
	// Lexicon is the lexicon new indexes are made with.
	Lexicon *retrieval.Lexicon
	// Index says where saved indexes are (INDEX_DIR).
	Index retrieval.OpenOptions
	// Log receives a line per reload; nil is slog.Default().
	Log *slog.Logger
	// Load reads the reports in a folder; nil is data.Load.
	Load func(dir string) (*data.Corpus, error)
	// OnSwap, when set, is told of each corpus swapped in, once its index
	// serves (to bring what is derived from the reports, such as their
	// key figures, up to date).
	OnSwap func(*data.Corpus)

	mu sync.Mutex
	// seen is the folder as it looked at the last reload, loaded or not:
	// an unchanged folder is not loaded again (and a broken file is
	// reported once, not every minute).
	seen    string
	hasSeen bool
}

func (r *Reloader) log() *slog.Logger {
	if r.Log == nil {
		return slog.Default()
	}
	return r.Log
}

// Run looks at Dir every Every, reloading when anything in it changed,
// and reloads at once whenever asked arrives (SIGHUP), until ctx ends.
func (r *Reloader) Run(ctx context.Context, asked <-chan os.Signal) {
	var tick <-chan time.Time
	if r.Every > 0 && r.Dir != "" {
		t := time.NewTicker(r.Every)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			if _, err := r.reload(ctx, false); err != nil && ctx.Err() == nil {
				r.log().Error("reports not reloaded; still answering from the reports loaded before", "corpus", r.Live.Corpus().Version, "err", err)
			}
		case <-asked:
			r.log().Info("reloading the reports (SIGHUP)", "dir", r.Dir)
			if _, err := r.reload(ctx, true); err != nil && ctx.Err() == nil {
				r.log().Error("reports not reloaded; still answering from the reports loaded before", "corpus", r.Live.Corpus().Version, "err", err)
			}
		}
	}
}

// Reload loads the reports now and, when their corpus version is not the
// one served, opens its index and swaps it in; swapped says it did. On an
// error the index served stays.
func (r *Reloader) Reload(ctx context.Context) (swapped bool, err error) {
	return r.reload(ctx, true)
}

func (r *Reloader) reload(ctx context.Context, force bool) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fp, fpErr := fingerprint(r.Dir)
	if !force && fpErr == nil && r.hasSeen && fp == r.seen {
		return false, nil
	}
	r.seen, r.hasSeen = fp, fpErr == nil

	load := r.Load
	if load == nil {
		load = data.Load
	}
	start := time.Now()
	c, err := load(r.Dir)
	if err != nil {
		return false, err
	}
	for _, sk := range c.Skipped {
		// A broken new file is left out, named, and the rest is served.
		r.log().Warn("report file skipped", "file", sk.File, "reason", sk.Reason)
	}
	old := r.Live.Corpus()
	if c.Version == old.Version {
		r.log().Debug("reports unchanged", "corpus", c.Version)
		return false, nil
	}
	ix, err := retrieval.Open(ctx, c, r.Lexicon, r.Index)
	if err != nil {
		return false, fmt.Errorf("index of the new reports: %w", err)
	}
	r.Live.Swap(ix)
	if r.OnSwap != nil {
		r.OnSwap(c)
	}
	added, removed, changed := diff(old, c)
	o := ix.Origin()
	how := "opened"
	if o.Built {
		how = "built"
	}
	r.log().Info("reports reloaded", "added", added, "removed", removed, "changed", changed,
		"reports", len(c.Reports), "corpus", c.Version, "was", old.Version,
		"index", how, "took", time.Since(start).Round(time.Millisecond))
	return true, nil
}

// fingerprint sums what a look at dir can see of each entry without
// reading it: name, size, modification time and mode (links followed).
func fingerprint(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range entries {
		info, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			fmt.Fprintf(h, "%s\x00broken\x00", e.Name())
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00", e.Name(), info.Size(), info.ModTime().UnixNano(), info.Mode())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// diff names the reports (by ID) added, removed and changed from a to b.
func diff(a, b *data.Corpus) (added, removed, changed []string) {
	was := map[string]string{}
	for _, r := range a.Reports {
		was[r.ID] = digest(r)
	}
	for _, r := range b.Reports {
		d, ok := was[r.ID]
		switch {
		case !ok:
			added = append(added, r.ID)
		case d != digest(r):
			changed = append(changed, r.ID)
		}
		delete(was, r.ID)
	}
	for id := range was {
		removed = append(removed, id)
	}
	slices.Sort(removed)
	return added, removed, changed
}

// digest sums what a report says.
func digest(r *data.Report) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", r.Title, r.Date, r.Speaker)
	for _, p := range r.Paragraphs {
		title := ""
		if p.Section != nil {
			title = p.Section.Title
		}
		io.WriteString(h, title+"\x00"+p.Text+"\x00")
	}
	return hex.EncodeToString(h.Sum(nil))
}
