package reload

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"reportbot/data"
	"reportbot/retrieval"
)

const (
	teaReport = `测试县人民政府工作报告
——2025年1月10日在测试县第一届人民代表大会第一次会议上
一、2024年工作回顾
过去一年，测试县大力发展茶叶产业，茶园面积达到十万亩，带动两万户茶农增收。
`
	pandaReport = `样例市人民政府工作报告
——2025年1月12日在样例市第一届人民代表大会第一次会议上
一、2025年工作安排
今年将建设熊猫主题公园，力争接待游客五百万人次。
`
)

// syncLog is a log the test reads while the reloader writes it.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	t        *testing.T
	reports  string
	reloader *Reloader
	live     *retrieval.Live
	log      *syncLog
}

func newFixture(t *testing.T, files map[string]string) *fixture {
	t.Helper()
	f := &fixture{t: t, reports: t.TempDir(), log: &syncLog{}}
	for name, text := range files {
		f.write(name, text)
	}
	lx, err := retrieval.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	c, err := data.Load(f.reports)
	if err != nil {
		t.Fatal(err)
	}
	opts := retrieval.OpenOptions{Dir: t.TempDir()}
	ix, err := retrieval.Open(context.Background(), c, lx, opts)
	if err != nil {
		t.Fatal(err)
	}
	f.live = retrieval.NewLive(ix)
	t.Cleanup(func() { f.live.Close() })
	f.reloader = &Reloader{Dir: f.reports, Live: f.live, Lexicon: lx, Index: opts,
		Log: slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	return f
}

func (f *fixture) write(name, text string) {
	f.t.Helper()
	if err := os.WriteFile(filepath.Join(f.reports, name), []byte(text), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// covered says whether the index served now covers question.
func (f *fixture) covered(question string) bool {
	f.t.Helper()
	ix, release := f.live.Acquire()
	defer release()
	res, err := ix.Search(context.Background(), question, 1)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.Covered
}

func (f *fixture) reload(wantSwap bool) {
	f.t.Helper()
	swapped, err := f.reloader.Reload(context.Background())
	if err != nil {
		f.t.Fatalf("Reload: %v\nlog:\n%s", err, f.log)
	}
	if swapped != wantSwap {
		f.t.Fatalf("Reload swapped %v, want %v\nlog:\n%s", swapped, wantSwap, f.log)
	}
}

func TestReloadAddsChangesAndRemovesReports(t *testing.T) {
	f := newFixture(t, map[string]string{"tea.txt": teaReport})
	if !f.covered("茶园面积有多少") || f.covered("熊猫主题公园") {
		t.Fatal("before: want the tea report only")
	}

	f.write("panda.txt", pandaReport)
	f.reload(true)
	if !f.covered("熊猫主题公园") || !f.covered("茶园面积有多少") {
		t.Error("after adding panda.txt: want both reports answered")
	}
	if !strings.Contains(f.log.String(), "added=[panda]") {
		t.Errorf("log does not say panda was added:\n%s", f.log)
	}

	f.write("tea.txt", strings.Replace(teaReport, "茶园面积达到十万亩", "竹林面积达到八万亩", 1))
	f.reload(true)
	if f.covered("茶园面积有多少") || !f.covered("竹林面积有多少") {
		t.Error("after changing tea.txt: want the new text answered, not the old")
	}
	if !strings.Contains(f.log.String(), "changed=[tea]") {
		t.Errorf("log does not say tea changed:\n%s", f.log)
	}

	os.Remove(filepath.Join(f.reports, "panda.txt"))
	f.reload(true)
	if f.covered("熊猫主题公园") {
		t.Error("after removing panda.txt: still answered")
	}
	if !strings.Contains(f.log.String(), "removed=[panda]") {
		t.Errorf("log does not say panda was removed:\n%s", f.log)
	}

	// Nothing changed: nothing swapped.
	f.reload(false)
}

// A file that does not load leaves the reports served before answering,
// and the log names it; once fixed it is loaded.
func TestBrokenFileKeepsTheOldCorpus(t *testing.T) {
	f := newFixture(t, map[string]string{"tea.txt": teaReport})
	before := f.live.Corpus().Version
	f.write("broken.txt", "\x00\x01\x02\xff\xfe binary")
	f.write("panda.txt", pandaReport)
	swapped, err := f.reloader.Reload(context.Background())
	if swapped && !f.covered("熊猫主题公园") {
		t.Error("swapped to a corpus without the new good report")
	}
	logged := f.log.String()
	if err != nil {
		logged += err.Error()
	}
	if !strings.Contains(logged, "broken.txt") {
		t.Errorf("neither the error nor the log names broken.txt: %v\n%s", err, f.log)
	}
	if !f.covered("茶园面积有多少") {
		t.Error("the report served before is no longer answered")
	}
	if err != nil && f.live.Corpus().Version != before {
		t.Error("a failed reload changed the corpus served")
	}

	os.Remove(filepath.Join(f.reports, "broken.txt"))
	f.reload(!swapped)
	if !f.covered("熊猫主题公园") {
		t.Error("after removing broken.txt: panda.txt not answered")
	}
}

// Run looks at the folder every Every and reloads at once when asked.
func TestRunChecksAndReloadsOnSignal(t *testing.T) {
	f := newFixture(t, map[string]string{"tea.txt": teaReport})
	f.reloader.Every = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	asked := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		f.reloader.Run(ctx, asked)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not seen in time\nlog:\n%s", what, f.log)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	f.write("panda.txt", pandaReport)
	waitFor("a report added, found by the periodic check", func() bool { return f.covered("熊猫主题公园") })

	asked <- os.Interrupt
	waitFor("the reload asked for", func() bool { return strings.Contains(f.log.String(), "SIGHUP") })
}

func TestDiffNamesReports(t *testing.T) {
	a := &data.Corpus{Reports: []*data.Report{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}}
	b := &data.Corpus{Reports: []*data.Report{{ID: "b", Title: "B2"}, {ID: "c", Title: "C"}}}
	added, removed, changed := diff(a, b)
	if strings.Join(added, ",") != "c" || strings.Join(removed, ",") != "a" || strings.Join(changed, ",") != "b" {
		t.Errorf("diff: added %v removed %v changed %v", added, removed, changed)
	}
}
