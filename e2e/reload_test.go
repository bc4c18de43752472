package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"reportbot/telegramtest"
)

// Reports of our own for the reload tests: each question's answer holds
// words the question does not, so a reply that quotes it is told apart
// from one that says the reports do not cover it (which repeats the
// question).
const (
	teaReportText = `测试县人民政府工作报告
——2025年1月10日在测试县第一届人民代表大会第一次会议上
一、2024年工作回顾
过去一年，测试县大力发展茶叶产业，茶园面积达到十万亩，带动两万户茶农增收。
`
	parkReport = `样例市人民政府工作报告
——2025年1月12日在样例市第一届人民代表大会第一次会议上
一、2025年工作安排
今年将建设熊猫主题公园，力争接待游客五百万人次。
`
	teaQuestion  = "茶园面积有多少"
	parkQuestion = "熊猫主题公园建设"
)

// asker asks the running bot questions in a private chat, one at a time.
type asker struct {
	t   *testing.T
	ctx context.Context
	srv *telegramtest.Server
}

// reply asks q and returns the text of the bot's reply.
func (a *asker) reply(q string) string {
	a.t.Helper()
	const user = 2001
	u := a.srv.PrivateText(user, q)
	a.srv.PushUpdate(u)
	return result(a.t, waitReply(a.t, a.ctx, a.srv, user, u.Message.MessageID)).Text
}

// answers requires the reply to q to quote want (or, with want "", not
// to quote unwanted).
func (a *asker) answers(q, want string) {
	a.t.Helper()
	if got := a.reply(q); !strings.Contains(got, want) {
		a.t.Errorf("%q: reply does not quote %q:\n%s", q, want, got)
	}
}

func (a *asker) doesNotAnswer(q, unwanted string) {
	a.t.Helper()
	if got := a.reply(q); strings.Contains(got, unwanted) {
		a.t.Errorf("%q: reply quotes %q, want it not covered:\n%s", q, unwanted, got)
	}
}

// waitLog waits until the bot has logged a line holding every one of
// parts, and returns it.
func (p *proc) waitLog(ctx context.Context, parts ...string) string {
	p.t.Helper()
	for {
		for line := range strings.Lines(p.out.String()) {
			ok := true
			for _, s := range parts {
				ok = ok && strings.Contains(line, s)
			}
			if ok {
				return line
			}
		}
		select {
		case <-ctx.Done():
			p.t.Fatalf("no log line with %q:\n%s", parts, p.out)
		case <-p.done:
			p.t.Fatalf("reportbot exited: %v\n%s", p.err, p.out)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func writeReport(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A running serve picks up a report added, changed and removed in
// REPORTS_DIR on its periodic check, says so in its log, and answers from
// the new reports; a file that does not load leaves the reports served
// before answering, and the log names it.
func TestReloadPicksUpReportChanges(t *testing.T) {
	t.Parallel()
	reports := t.TempDir()
	writeReport(t, reports, "tea.txt", teaReportText)
	srv := newServer(t)
	p := startBot(t, srv, "REPORTS_DIR="+reports, "REPORTS_CHECK=100ms")
	ctx := timeout(t, 60*time.Second)
	a := &asker{t, ctx, srv}

	a.answers(teaQuestion, "十万亩")
	a.doesNotAnswer(parkQuestion, "五百万人次")

	writeReport(t, reports, "panda.txt", parkReport)
	p.waitLog(ctx, "reports reloaded", "added=[panda]")
	a.answers(parkQuestion, "五百万人次")
	a.answers(teaQuestion, "十万亩")

	writeReport(t, reports, "tea.txt", strings.Replace(teaReportText, "十万亩", "八万亩", 1))
	p.waitLog(ctx, "reports reloaded", "changed=[tea]")
	a.answers(teaQuestion, "八万亩")

	os.Remove(filepath.Join(reports, "panda.txt"))
	p.waitLog(ctx, "reports reloaded", "removed=[panda]")
	a.doesNotAnswer(parkQuestion, "五百万人次")

	writeReport(t, reports, "broken.txt", "\x7fELF\x00\x00\x01\x02 not a report")
	p.waitLog(ctx, "broken.txt")
	a.answers(teaQuestion, "八万亩")

	p.stop()
}

// SIGHUP reloads at once, with no periodic check at all.
func TestReloadOnSIGHUP(t *testing.T) {
	t.Parallel()
	reports := t.TempDir()
	writeReport(t, reports, "tea.txt", teaReportText)
	srv := newServer(t)
	p := startBot(t, srv, "REPORTS_DIR="+reports, "REPORTS_CHECK=0")
	ctx := timeout(t, 60*time.Second)
	a := &asker{t, ctx, srv}

	writeReport(t, reports, "panda.txt", parkReport)
	a.doesNotAnswer(parkQuestion, "五百万人次") // not looked at yet
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	p.waitLog(ctx, "reports reloaded", "added=[panda]")
	a.answers(parkQuestion, "五百万人次")
	p.stop()
}

// A second process with the same reports and INDEX_DIR (a replica, a
// restart) opens the index the first one saved instead of building it.
func TestSecondProcessOpensTheSavedIndex(t *testing.T) {
	t.Parallel()
	reports, index := t.TempDir(), t.TempDir()
	writeReport(t, reports, "tea.txt", teaReportText)
	srv := newServer(t)
	env := []string{"REPORTS_DIR=" + reports, "INDEX_DIR=" + index}
	first := startBot(t, srv, env...)
	ctx := timeout(t, 30*time.Second)
	first.waitLog(ctx, "serving", "built and saved in "+index)
	first.stop()

	second := startBot(t, srv, env...)
	second.waitLog(ctx, "serving", "opened from "+index)
	(&asker{t, ctx, srv}).answers(teaQuestion, "十万亩")
	second.stop()
}
