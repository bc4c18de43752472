package retrieval_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"reportbot/bench"
	"reportbot/data"
	"reportbot/retrieval"
)

// extraReport is a small report of our own, to make a second corpus.
const extraReport = `测试县人民政府工作报告
——2025年1月10日在测试县第一届人民代表大会第一次会议上
一、2024年工作回顾
过去一年，测试县大力发展茶叶产业，茶园面积达到十万亩，带动两万户茶农增收。
二、2025年工作安排
今年将建设熊猫主题公园，力争接待游客五百万人次。
`

func seedCorpus(t testing.TB) *data.Corpus {
	t.Helper()
	c, err := data.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// corpusWith loads the embedded report and the given report files.
func corpusWith(t testing.TB, files map[string]string) *data.Corpus {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := data.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func lexicon(t testing.TB) *retrieval.Lexicon {
	t.Helper()
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	return lx
}

func open(t testing.TB, dir string, c *data.Corpus) *retrieval.Index {
	t.Helper()
	ix, err := retrieval.Open(context.Background(), c, lexicon(t), retrieval.OpenOptions{Dir: dir})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// answers is every bench question (and a few on the extra report)
// answered by ix, as JSON, for comparing indexes. Passages are told apart
// by their text, not their number: of passages that score the same (the
// copies of a repeated corpus) Bleve returns whichever it numbered first,
// which depends on the order analysis finished in. Scores are rounded to
// 12 digits: a sum's last bit depends on its order.
func answers(t testing.TB, ix *retrieval.Index) []string {
	t.Helper()
	qs := append([]string{"茶园面积有多少", "熊猫主题公园", "今年游客目标"}, bench.Questions...)
	var out []string
	for _, q := range qs {
		res, err := ix.Search(context.Background(), q, 5)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		res.Query = nil
		res.Coverage = round(res.Coverage)
		for i := range res.Passages {
			p := &res.Passages[i]
			p.Paragraph, p.Score, p.Coverage = 0, round(p.Score), round(p.Coverage)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func round(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	return r
}

func sameAnswers(t *testing.T, what string, got, want []string) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: answer %d differs from a fresh build's:\n got %s\nwant %s", what, i, got[i], want[i])
		}
	}
}

// savedFolders lists the saved indexes in dir and anything else left there.
func savedFolders(t *testing.T, dir string) (saved, other []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "reportbot.json")); err == nil && !strings.HasPrefix(e.Name(), ".") {
			saved = append(saved, e.Name())
		} else {
			other = append(other, e.Name())
		}
	}
	return saved, other
}

// An index is built once per corpus version and then opened, and an
// opened index answers exactly as a fresh in-memory build does: on a small
// index (postings read at start) and on a large one (two-pass search).
func TestOpenBuildsOnceThenOpensTheSame(t *testing.T) {
	seed := seedCorpus(t)
	for _, c := range []*data.Corpus{corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport}), bench.Repeat(seed, 700)} {
		t.Run(fmt.Sprintf("%d passages", len(c.Paragraphs())), func(t *testing.T) {
			fresh, err := retrieval.Build(c, lexicon(t))
			if err != nil {
				t.Fatal(err)
			}
			defer fresh.Close()
			want := answers(t, fresh)

			dir := t.TempDir()
			first := open(t, dir, c)
			if o := first.Origin(); !o.Built || o.Path == "" || o.Temporary {
				t.Fatalf("first Open: origin %+v, want built and saved", o)
			}
			sameAnswers(t, "just built", answers(t, first), want)

			again := open(t, dir, c)
			o := again.Origin()
			if o.Built || o.Path != first.Origin().Path {
				t.Fatalf("second Open: origin %+v, want %s opened, not built", o, first.Origin().Path)
			}
			sameAnswers(t, "opened", answers(t, again), want)
			if saved, other := savedFolders(t, dir); len(saved) != 1 || len(other) != 0 {
				t.Errorf("INDEX_DIR holds %v and %v, want one saved index", saved, other)
			}
		})
	}
}

// A changed report is a new corpus version: one new build; the versions
// beyond Keep are removed, the most recently used stay.
func TestChangedCorpusBuildsAgainAndOldVersionsGo(t *testing.T) {
	dir := t.TempDir()
	lx := lexicon(t)
	var paths []string
	for i := range 4 {
		c := corpusWith(t, map[string]string{"ceshi-2025.txt": strings.Replace(extraReport, "十万亩", fmt.Sprintf("%d万亩", 11+i), 1)})
		ix, err := retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: dir, Keep: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !ix.Origin().Built {
			t.Errorf("version %d: opened %s, want a new build", i, ix.Origin().Path)
		}
		paths = append(paths, ix.Origin().Path)
		ix.Close()
		time.Sleep(10 * time.Millisecond) // distinct modification times
	}
	saved, other := savedFolders(t, dir)
	want := []string{filepath.Base(paths[2]), filepath.Base(paths[3])}
	if !reflect.DeepEqual(saved, want) && !reflect.DeepEqual(saved, []string{want[1], want[0]}) {
		t.Errorf("saved indexes %v, want the last two %v", saved, want)
	}
	if len(other) != 0 {
		t.Errorf("left in INDEX_DIR: %v", other)
	}
}

// Many builders at once (goroutines here, processes below) give one
// saved index, every one of them opens it, and nothing half-built is left.
func TestConcurrentOpensBuildOneIndex(t *testing.T) {
	dir := t.TempDir()
	c := corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport})
	lx := lexicon(t)
	const n = 4
	var wg sync.WaitGroup
	ixs := make([]*retrieval.Index, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			ixs[i], errs[i] = retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: dir})
		})
	}
	wg.Wait()
	var want []string
	for i, ix := range ixs {
		if errs[i] != nil {
			t.Fatalf("Open %d: %v", i, errs[i])
		}
		defer ix.Close()
		got := answers(t, ix)
		if want == nil {
			want = got
		}
		sameAnswers(t, fmt.Sprintf("Open %d", i), got, want)
	}
	if saved, other := savedFolders(t, dir); len(saved) != 1 || len(other) != 0 {
		t.Errorf("INDEX_DIR holds %v and %v, want one saved index", saved, other)
	}
}

// helperEnv makes the test binary a process that opens the index of the
// corpus with the extra report in $RETRIEVAL_OPEN_DIR and prints its
// origin.
const helperEnv = "RETRIEVAL_OPEN_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		os.Exit(openHelper(dir))
	}
	os.Exit(m.Run())
}

func openHelper(dir string) int {
	reports, err := os.MkdirTemp("", "reports-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(reports)
	os.WriteFile(filepath.Join(reports, "ceshi-2025.txt"), []byte(extraReport), 0o644)
	c, err := data.Load(reports)
	if err == nil {
		var lx *retrieval.Lexicon
		if lx, err = retrieval.DefaultLexicon(); err == nil {
			var ix *retrieval.Index
			if ix, err = retrieval.Open(context.Background(), c, lx, retrieval.OpenOptions{Dir: dir}); err == nil {
				var res *retrieval.Result
				res, err = ix.Search(context.Background(), "茶园面积有多少", 1)
				if err == nil && res.Covered {
					fmt.Printf("built=%v %s\n", ix.Origin().Built, res.Answer)
				}
				ix.Close()
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func TestConcurrentProcessesBuildOneIndex(t *testing.T) {
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+dir)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", i, err, outs[i])
		}
		if !strings.Contains(outs[i].String(), "茶园面积达到十万亩") {
			t.Errorf("process %d did not answer from the index: %s", i, outs[i])
		}
	}
	if saved, other := savedFolders(t, dir); len(saved) != 1 || len(other) != 0 {
		t.Errorf("INDEX_DIR holds %v and %v, want one saved index", saved, other)
	}
	// A third process opens what they saved.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "built=false") {
		t.Errorf("third process: %v %s, want the saved index opened", err, out)
	}
}

// A saved index that is broken (a file truncated, a segment replaced by
// garbage) is built again; a folder half built by a process that died is
// ignored, and removed once stale.
func TestBrokenAndHalfBuiltFolders(t *testing.T) {
	c := corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport})
	fresh, err := retrieval.Build(c, lexicon(t))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	want := answers(t, fresh)

	breakages := map[string]func(t *testing.T, path string){
		"meta garbage": func(t *testing.T, path string) {
			os.WriteFile(filepath.Join(path, "reportbot.json"), []byte("{"), 0o644)
		},
		"segment truncated": func(t *testing.T, path string) {
			zaps, _ := filepath.Glob(filepath.Join(path, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment file")
			}
			os.Truncate(zaps[0], 100)
		},
		"root garbage": func(t *testing.T, path string) {
			os.WriteFile(filepath.Join(path, "store", "root.bolt"), []byte("not a bolt file"), 0o644)
		},
		"store missing": func(t *testing.T, path string) {
			os.RemoveAll(filepath.Join(path, "store"))
		},
	}
	for name, breakIt := range breakages {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			ix := open(t, dir, c)
			path := ix.Origin().Path
			ix.Close()
			breakIt(t, path)

			again := open(t, dir, c)
			if !again.Origin().Built || again.Origin().Path != path {
				t.Fatalf("origin %+v, want %s built again", again.Origin(), path)
			}
			sameAnswers(t, "rebuilt", answers(t, again), want)
			if saved, other := savedFolders(t, dir); len(saved) != 1 || len(other) != 0 {
				t.Errorf("INDEX_DIR holds %v and %v, want one saved index", saved, other)
			}
		})
	}

	t.Run("half built", func(t *testing.T) {
		dir := t.TempDir()
		name := filepath.Base(open(t, t.TempDir(), c).Origin().Path)
		fresh := filepath.Join(dir, ".build-"+name+"-1")
		stale := filepath.Join(dir, ".build-"+name+"-2")
		for _, p := range []string{fresh, stale} {
			os.MkdirAll(filepath.Join(p, "store"), 0o755)
			os.WriteFile(filepath.Join(p, "store", "000000000001.zap"), []byte("half"), 0o644)
		}
		// Neither is being built any more (no process touches them); the
		// recent one is kept a while, the stale one removed.
		recent, old := time.Now().Add(-30*time.Second), time.Now().Add(-time.Hour)
		os.Chtimes(fresh, recent, recent)
		os.Chtimes(stale, old, old)

		ix := open(t, dir, c)
		if !ix.Origin().Built {
			t.Fatalf("origin %+v, want built", ix.Origin())
		}
		sameAnswers(t, "beside a half-built folder", answers(t, ix), want)
		saved, other := savedFolders(t, dir)
		if len(saved) != 1 || !reflect.DeepEqual(other, []string{filepath.Base(fresh)}) {
			t.Errorf("INDEX_DIR holds %v and %v, want the saved index and the recent build folder (another process may still be at it)", saved, other)
		}
	})
}

// When INDEX_DIR cannot be written the index is built in a private
// temporary folder, removed on Close.
func TestUnwritableDirBuildsInATemporaryFolder(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	c := corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport})
	ix, err := retrieval.Open(context.Background(), c, lexicon(t), retrieval.OpenOptions{Dir: notDir})
	if err != nil {
		t.Fatal(err)
	}
	o := ix.Origin()
	if !o.Built || !o.Temporary || o.Path == "" {
		t.Fatalf("origin %+v, want a temporary build", o)
	}
	if res, err := ix.Search(context.Background(), "茶园面积有多少", 1); err != nil || !res.Covered {
		t.Errorf("search: %v %+v", err, res)
	}
	ix.Close()
	if _, err := os.Stat(o.Path); !os.IsNotExist(err) {
		t.Errorf("temporary folder %s left after Close (%v)", o.Path, err)
	}
}

// A saved index opens read-only: a folder nobody may write still opens.
func TestSavedIndexOpensFromAReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	c := corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport})
	open(t, dir, c).Close()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil {
			os.Chmod(p, info.Mode().Perm()&^0o222)
		}
		return nil
	})
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil {
				os.Chmod(p, info.Mode().Perm()|0o200)
			}
			return nil
		})
	})
	ix := open(t, dir, c)
	if ix.Origin().Built {
		t.Errorf("origin %+v, want opened", ix.Origin())
	}
}

// While another process is building the same index (its build folder kept
// fresh), Open waits for it and opens what it saved instead of building.
func TestOpenWaitsForAnotherBuilder(t *testing.T) {
	c := corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport})
	elsewhere := t.TempDir()
	name := filepath.Base(open(t, elsewhere, c).Origin().Path)

	dir := t.TempDir()
	building := filepath.Join(dir, ".build-"+name+"-other")
	os.Mkdir(building, 0o755)
	stop := make(chan struct{})
	touched := make(chan struct{})
	go func() {
		defer close(touched)
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				now := time.Now()
				os.Chtimes(building, now, now)
			}
		}
	}()

	type opened struct {
		ix  *retrieval.Index
		err error
	}
	got := make(chan opened, 1)
	go func() {
		ix, err := retrieval.Open(context.Background(), c, lexicon(t), retrieval.OpenOptions{Dir: dir})
		got <- opened{ix, err}
	}()
	time.Sleep(300 * time.Millisecond)
	select {
	case o := <-got:
		t.Fatalf("Open did not wait for the other builder: %+v %v", o.ix.Origin(), o.err)
	default:
	}
	// The other process finishes: its folder is renamed into place.
	close(stop)
	<-touched
	if err := os.Rename(filepath.Join(elsewhere, name), filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	os.Remove(building)
	o := <-got
	if o.err != nil {
		t.Fatal(o.err)
	}
	defer o.ix.Close()
	if o.ix.Origin().Built {
		t.Errorf("origin %+v, want the other process's index opened", o.ix.Origin())
	}
}
