package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"reportbot/data"
)

// Saved indexes. Open keeps each corpus version's index in a folder of its
// own under OpenOptions.Dir, named <corpus version>-<schema>: the schema
// is a hash of the index mapping and of what the analyzers make of a probe
// text, so a binary that indexes differently never opens another's index.
// A folder is built under a private name beside its final one and renamed
// into place when complete, so a folder with a final name is always whole;
// two processes building the same version at once both finish, the first
// rename wins and the other opens the winner's.

// indexFormat changes when the way passages are indexed changes in a way
// the mapping and the analysis probe cannot show.
const indexFormat = "reportbot-index-1"

// probeText runs through every analysis step (width folding, case,
// traditional to simplified, bigrams and single characters, numbers,
// Latin words): when any step changes what it makes, the schema changes.
const probeText = "２０２４年GDP增長6%左右，“十四五”規劃 Ｗｉ-Fi 渝中区。"

// metaFile in a saved index's folder says what it holds; Open checks it
// before trusting the folder.
const metaFile = "reportbot.json"

// Prefixes of folders in Dir that are not saved indexes: one being built,
// and one found broken and set aside for removal.
const (
	buildPrefix   = ".build-"
	discardPrefix = ".discard-"
)

// staleBuild is how old a build folder must be before Open takes it for
// the leftover of a process that died while building (a build takes
// seconds).
const staleBuild = 10 * time.Minute

// OpenOptions say where saved indexes are kept.
type OpenOptions struct {
	// Dir holds the saved indexes, a folder each (INDEX_DIR). With "" the
	// index is built in memory, as Build does.
	Dir string
	// Keep is how many saved indexes Open leaves in Dir after saving a new
	// one, the most recently used first (0: 3). Older ones are removed.
	Keep int
	// Log receives what Open did about a broken or unwritable Dir; nil is
	// slog.Default().
	Log *slog.Logger
}

// Origin says where an index came from.
type Origin struct {
	// Path is the folder the index was opened from; "" for one in memory.
	Path string
	// Built says this process built the index (no saved one could be
	// opened); otherwise a saved one was opened.
	Built bool
	// Temporary says Path is a private folder, removed when the index is
	// closed, because Dir could not be written.
	Temporary bool
	// BuildTime is how long building took (0 when a saved index was
	// opened); OpenTime how long opening it took, reading what searching
	// needs from it included.
	BuildTime, OpenTime time.Duration
}

// Origin says where the index came from.
func (ix *Index) Origin() Origin { return ix.origin }

// meta is metaFile's content.
type meta struct {
	Format   string    `json:"format"`
	Corpus   string    `json:"corpus"`
	Schema   string    `json:"schema"`
	Passages int       `json:"passages"`
	Built    time.Time `json:"built"`
}

// Open returns the index of corpus saved in opts.Dir, opened read-only.
// When Dir holds none for this corpus version (or only a broken one), Open
// builds it there first and removes the least recently used saved indexes
// beyond opts.Keep. When Dir cannot be written, it builds the index in a
// private temporary folder instead, removed on Close (and failing that, in
// memory), and says so in the log: the process still starts, it only
// builds on every start.
func Open(ctx context.Context, corpus *data.Corpus, lx *Lexicon, opts OpenOptions) (*Index, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	if opts.Dir == "" {
		return Build(corpus, lx)
	}
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	schema, err := schemaOf(m)
	if err != nil {
		return nil, err
	}
	name := corpus.Version + "-" + schema
	final := filepath.Join(opts.Dir, name)

	ix, err := openSaved(final, m, corpus, lx)
	if err == nil {
		touch(final)
		return ix, nil
	}
	if !errors.Is(err, errNoSaved) {
		log.Warn("saved index cannot be opened; building it again", "path", final, "err", err)
		discard(opts.Dir, final)
	}
	// Another process (a replica seeing the same new reports) may be
	// building this very index: wait for it rather than build it twice.
	if waitForBuilder(ctx, opts.Dir, name) {
		if ix, err := openSaved(final, m, corpus, lx); err == nil {
			touch(final)
			return ix, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	start := time.Now()
	err = save(ctx, opts.Dir, name, m, corpus)
	took := time.Since(start)
	switch {
	case err == nil:
		ix, err := openSaved(final, m, corpus, lx)
		if err != nil {
			return nil, fmt.Errorf("open the index just saved in %s: %w", final, err)
		}
		ix.origin.Built, ix.origin.BuildTime = true, took
		prune(opts.Dir, name, opts.Keep, log)
		return ix, nil
	case errors.Is(err, errLost):
		// Another process saved the same version first: open its folder.
		return openSaved(final, m, corpus, lx)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}

	// Dir cannot be written (read-only, full, not a folder): the process
	// still starts, from a private build.
	log.Warn("the index cannot be saved in INDEX_DIR, so it is built in a temporary folder on every start; make INDEX_DIR a writable folder (or build it there with reportbot index) to start without building",
		"dir", opts.Dir, "err", err)
	tmp, err := os.MkdirTemp("", "reportbot-index-")
	if err != nil {
		log.Warn("no temporary folder either: building the index in memory", "err", err)
		return Build(corpus, lx)
	}
	start = time.Now()
	err = save(ctx, tmp, name, m, corpus)
	took = time.Since(start)
	if err == nil {
		ix, err = openSaved(filepath.Join(tmp, name), m, corpus, lx)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	ix.origin.Built, ix.origin.BuildTime, ix.origin.Temporary = true, took, true
	ix.removeOnClose = tmp
	return ix, nil
}

// waitForBuilder waits while another process is building name in dir
// (its build folder's time is kept fresh, see heartbeat), at most
// builderWait, and reports whether the saved index appeared meanwhile.
func waitForBuilder(ctx context.Context, dir, name string) bool {
	final := filepath.Join(dir, name, metaFile)
	deadline := time.Now().Add(builderWait)
	for {
		if _, err := os.Stat(final); err == nil {
			return true
		}
		building := false
		if builds, _ := filepath.Glob(filepath.Join(dir, buildPrefix+name+"-*")); len(builds) > 0 {
			for _, b := range builds {
				if info, err := os.Stat(b); err == nil && time.Since(info.ModTime()) < 6*heartbeatEvery {
					building = true
				}
			}
		}
		if !building || time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// builderWait bounds waiting for another process's build: one that has
// not finished by then is given up on, and this process builds.
const builderWait = time.Minute

// heartbeatEvery is how often a build touches its folder, to show other
// processes it is alive: a folder untouched for a few beats was left by a
// process that died.
const heartbeatEvery = 500 * time.Millisecond

// heartbeat touches dir every heartbeatEvery until stop is called.
func heartbeat(dir string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				touch(dir)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// errLost says another process renamed its build of the same index into
// place first.
var errLost = errors.New("another process saved this index first")

// schemaOf hashes what decides an index's content besides the corpus.
func schemaOf(m *mapping.IndexMappingImpl) (string, error) {
	mj, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("index mapping: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", indexFormat, mj)
	for _, name := range []string{AnalyzerName, QueryAnalyzerName} {
		a := m.AnalyzerNamed(name)
		if a == nil {
			return "", fmt.Errorf("index mapping: no analyzer %s", name)
		}
		for _, t := range a.Analyze([]byte(probeText)) {
			fmt.Fprintf(h, "%s %d %d %d %d\x00", t.Term, t.Start, t.End, t.Position, t.Type)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:8], nil
}

// errNoSaved says there is no saved index (as opposed to a broken one).
var errNoSaved = errors.New("no saved index")

// openSaved opens the saved index in dir read-only. It returns errNoSaved
// when there is none.
func openSaved(dir string, m *mapping.IndexMappingImpl, corpus *data.Corpus, lx *Lexicon) (*Index, error) {
	start := time.Now()
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, errNoSaved
	}
	if err != nil {
		return nil, err
	}
	var md meta
	if err := json.Unmarshal(b, &md); err != nil {
		return nil, fmt.Errorf("%s: %w", metaFile, err)
	}
	passages := len(corpus.Paragraphs())
	if md.Format != indexFormat || md.Corpus != corpus.Version || md.Passages != passages {
		return nil, fmt.Errorf("%s says format %q, corpus %s, %d passages; want %q, %s, %d",
			metaFile, md.Format, md.Corpus, md.Passages, indexFormat, corpus.Version, passages)
	}
	// Read-only: no merger or persister runs, the root bolt is opened
	// shared, and any number of processes may open the folder at once.
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": "5s"})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	n, err := bi.DocCount()
	if err != nil || n != uint64(passages) {
		bi.Close()
		return nil, fmt.Errorf("open %s: %d passages indexed, want %d (%v)", dir, n, passages, err)
	}
	ix, err := newIndex(bi, m, corpus, lx)
	if err != nil {
		return nil, err
	}
	ix.origin = Origin{Path: dir, OpenTime: time.Since(start)}
	return ix, nil
}

// save builds corpus's index and saves it as dir/name: in a private
// folder dir/.build-name-*, renamed into place once complete and synced.
// It returns errLost when dir/name appeared meanwhile.
func save(ctx context.Context, dir, name string, m *mapping.IndexMappingImpl, corpus *data.Corpus) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(dir, buildPrefix+name+"-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	stop := heartbeat(tmp)
	err = write(ctx, tmp, m, corpus)
	stop()
	if err != nil {
		return err
	}
	md, err := json.Marshal(meta{Format: indexFormat, Corpus: corpus.Version, Schema: strings.TrimPrefix(name, corpus.Version+"-"),
		Passages: len(corpus.Paragraphs()), Built: time.Now().UTC()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, metaFile), md, 0o644); err != nil {
		return err
	}
	// Readable by every user (the image builds it as root, the bot runs
	// as nonroot) and on disk before its name says it is complete.
	if err := shareAndSync(tmp); err != nil {
		return err
	}
	final := filepath.Join(dir, name)
	if err := os.Rename(tmp, final); err != nil {
		if _, serr := os.Stat(filepath.Join(final, metaFile)); serr == nil {
			return errLost
		}
		return err
	}
	return syncDir(dir)
}

// shareAndSync makes everything in dir readable by all and syncs it.
func shareAndSync(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if err := os.Chmod(path, 0o755); err != nil {
				return err
			}
			return syncDir(path)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// touch marks a saved index as just used, for prune; a folder that cannot
// be written keeps its time.
func touch(dir string) {
	now := time.Now()
	os.Chtimes(dir, now, now)
}

// discard sets a broken saved index aside and removes it, so that a build
// can take its name. Where dir cannot be written this does nothing (and
// the build goes elsewhere).
func discard(dir, path string) {
	aside, err := os.MkdirTemp(dir, discardPrefix)
	if err != nil {
		return
	}
	target := filepath.Join(aside, filepath.Base(path))
	if os.Rename(path, target) == nil {
		os.RemoveAll(aside)
		return
	}
	os.Remove(aside)
}

// prune removes the saved indexes in dir beyond the keep most recently
// used (the one named current always stays), broken ones set aside, and
// build folders left by processes that died while building. A process
// still searching an index removed here is not disturbed: its files stay
// open (and mapped) until it closes them.
func prune(dir, current string, keep int, log *slog.Logger) {
	if keep <= 0 {
		keep = 3
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type saved struct {
		name string
		used time.Time
	}
	var all []saved
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		info, err := e.Info()
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(name, discardPrefix),
			strings.HasPrefix(name, buildPrefix) && time.Since(info.ModTime()) > staleBuild:
			os.RemoveAll(filepath.Join(dir, name))
		case strings.HasPrefix(name, "."):
		case name != current:
			if _, err := os.Stat(filepath.Join(dir, name, metaFile)); err == nil {
				all = append(all, saved{name, info.ModTime()})
			}
		}
	}
	slices.SortFunc(all, func(a, b saved) int { return b.used.Compare(a.used) })
	for _, s := range all[min(len(all), keep-1):] {
		if err := os.RemoveAll(filepath.Join(dir, s.name)); err != nil {
			log.Warn("old saved index not removed", "path", filepath.Join(dir, s.name), "err", err)
			continue
		}
		log.Info("old saved index removed", "path", filepath.Join(dir, s.name))
	}
}
