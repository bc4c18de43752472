package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// result is what one in-process run of reportbot left behind.
type result struct {
	stdout, stderr string
	code           int
}

// runMain runs reportbot in-process with env as its whole environment.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	dir := t.TempDir() // INDEX_DIR, unless the test sets one
	getenv := func(k string) string {
		if v, ok := env[k]; ok || k != "INDEX_DIR" {
			return v
		}
		return dir
	}
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	code := exitCode(err, &errOut)
	return result{out.String(), errOut.String(), code}
}

// evalFile is the shared question set, beside the project folder.
func evalFile(t *testing.T) string {
	p, err := filepath.Abs("../../../shared/eval/questions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared question set not found: %v", err)
	}
	return p
}

// The answer quality the issue asks for, on the shared question set.
func TestEvalMeetsThresholds(t *testing.T) {
	r := runMain(t, nil, "", "eval", "--min-r1", "32", "--min-r3", "32", "--min-answer", "32", "--min-rejected", "5", "--max-false-rejects", "0", evalFile(t))
	if r.code != 0 {
		t.Fatalf("eval exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"R@1", "R@3", "answer", "rejected", "false rejects"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("eval output lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Differently worded questions (colloquial, abbreviations, traditional
// characters, English, a typo) and more off-topic ones.
func TestEvalVariants(t *testing.T) {
	r := runMain(t, nil, "", "eval", "--min-r1", "45", "--min-r3", "45", "--min-answer", "45", "--min-rejected", "17", "--max-false-rejects", "0", "../../retrieval/testdata/variants.jsonl")
	if r.code != 0 {
		t.Fatalf("eval exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// The 30 real, full-length reports of ../shared/corpus loaded together,
// and questions about them (../shared/eval/real-dev.jsonl): the region and
// year a question names must find that report among near-identical ones.
func TestEvalRealReports(t *testing.T) {
	set, err := filepath.Abs("../../../shared/eval/real-dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	corpus, _ := filepath.Abs("../../../shared/corpus/txt")
	for _, p := range []string{set, corpus} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared real-report set not found: %v", err)
		}
	}
	r := runMain(t, map[string]string{"REPORTS_DIR": corpus}, "", "eval", "--min-r1", "66", "--min-r3", "70", "--min-answer", "64", "--min-rejected", "16", "--max-false-rejects", "3", set)
	if r.code != 0 {
		t.Fatalf("eval exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestEvalFailsBelowThreshold(t *testing.T) {
	r := runMain(t, nil, "", "eval", "--min-r1", "1000", evalFile(t))
	if r.code != 1 || !strings.Contains(r.stderr, "below thresholds") {
		t.Fatalf("exit %d, stderr %q: want 1 and a reason", r.code, r.stderr)
	}
}

func TestAskPrintsAnswerPassagesAndCitations(t *testing.T) {
	r := runMain(t, nil, "", "ask", "2024年GDP增长目标是多少?")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	if !strings.HasPrefix(lines[0], "答：") || !strings.Contains(lines[0], "地区生产总值增长6%左右") {
		t.Errorf("first line %q: want the answer sentence", lines[0])
	}
	if !strings.Contains(r.stdout, "《重庆市渝中区人民政府工作报告》· 二、2024年工作安排 · 第6段") {
		t.Errorf("no citation in:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "【地区生产总值") {
		t.Errorf("matched words not marked:\n%s", r.stdout)
	}
	if n := strings.Count(r.stdout, "《重庆市渝中区人民政府工作报告》·"); n < 1 || n > 3 {
		t.Errorf("%d passages, want 1 to 3", n)
	}
}

func TestAskNotCoveredListsSections(t *testing.T) {
	r := runMain(t, nil, "", "ask", "明天重庆天气怎么样?")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"报告没有谈到这个问题", "开篇", "二、2024年工作安排"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "第") && strings.Contains(r.stdout, "段\n    ") {
		t.Errorf("a not-covered answer quotes passages:\n%s", r.stdout)
	}
}

func TestAskJSON(t *testing.T) {
	stdin := "2024年GDP增长目标是多少?\n\n你好\n???\n渝中有多少人才?\n"
	r := runMain(t, nil, stdin, "ask", "--json", "-k", "2")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines for 4 questions:\n%s", len(lines), r.stdout)
	}
	var objs []askJSON
	for _, l := range lines {
		var raw map[string]any
		if err := json.Unmarshal([]byte(l), &raw); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		for _, key := range []string{"question", "covered", "answer", "passages"} {
			if _, ok := raw[key]; !ok {
				t.Errorf("line %q lacks %q", l, key)
			}
		}
		var o askJSON
		json.Unmarshal([]byte(l), &o)
		objs = append(objs, o)
	}
	if o := objs[0]; !o.Covered || len(o.Passages) == 0 || len(o.Passages) > 2 || o.Passages[0].Paragraph != 6 || !strings.Contains(o.Answer, "地区生产总值增长6%左右") {
		t.Errorf("first answer: %+v", o)
	} else if p := o.Passages[0]; p.Report != "重庆市渝中区人民政府工作报告" || p.Section != "二、2024年工作安排" || !strings.HasPrefix(p.Text, "今年全区经济社会发展主要预期目标是") || p.Score <= 0 {
		t.Errorf("first passage: %+v", p)
	}
	if o := objs[1]; o.Covered || len(o.Passages) != 0 || o.Answer != "" {
		t.Errorf("greeting: %+v", o)
	}
	if o := objs[2]; o.Covered || o.Error == "" {
		t.Errorf("punctuation only: %+v, want an error note", o)
	}
	if o := objs[3]; !o.Covered || !strings.Contains(o.Answer, "23万人才") {
		t.Errorf("talent: %+v", o)
	}
}

func TestAskBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string // on stderr
	}{
		{"empty", nil, []string{"ask", ""}, 2, "question is empty"},
		{"spaces", nil, []string{"ask", "   "}, 2, "Usage: reportbot ask"},
		{"punctuation", nil, []string{"ask", "？！。"}, 2, "nothing to search for"},
		{"emoji", nil, []string{"ask", "🙂🎉"}, 2, "nothing to search for"},
		{"control", nil, []string{"ask", "\x00\x07\x1b"}, 2, "nothing to search for"},
		{"bad k", nil, []string{"ask", "-k", "0", "GDP"}, 2, "-k must be"},
		{"bad flag", nil, []string{"ask", "--nope", "GDP"}, 2, "flag provided but not defined"},
		{"missing reports dir", map[string]string{"REPORTS_DIR": "/no/such/folder"}, []string{"ask", "GDP"}, 1, `"/no/such/folder"`},
		{"unknown command", nil, []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"no command", nil, nil, 2, "no command given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, tc.env, "", tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q: want %d and %q", r.code, r.stderr, tc.code, tc.want)
			}
		})
	}
}

func TestAskOddButValidInput(t *testing.T) {
	for _, q := range []string{
		"<b>GDP</b> & <script>alert(1)</script> 增长目标?",
		"*GDP* _增长_ `目标` [链接](http://x)",
		"渝中區今年的經濟增長目標是多少？",
	} {
		r := runMain(t, nil, "", "ask", q)
		if r.code != 0 || !strings.Contains(r.stdout, "地区生产总值增长6%左右") {
			t.Errorf("%q: exit %d\n%s%s", q, r.code, r.stdout, r.stderr)
		}
	}
	long := strings.Repeat("渝中发展面临哪些困难和挑战", 400) // 5,200 characters
	r := runMain(t, nil, "", "ask", long)
	if r.code != 0 || !strings.Contains(r.stdout, "只按前200字检索") {
		t.Errorf("long question: exit %d, want the cut noted\n%.300s", r.code, r.stdout)
	}
}

func TestReportsDirAddsReports(t *testing.T) {
	dir := t.TempDir()
	report := "某某县人民政府工作报告\n——2024年1月8日在某某县第十届人民代表大会第三次会议上\n\n一、工作回顾\n\n过去一年，全县茶叶种植面积扩大到五万亩，茶叶综合产值突破十亿元。\n"
	if err := os.WriteFile(filepath.Join(dir, "county.txt"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runMain(t, map[string]string{"REPORTS_DIR": dir}, "", "ask", "茶叶种植面积多大")
	if r.code != 0 || !strings.Contains(r.stdout, "《某某县人民政府工作报告》· 一、工作回顾 · 第1段") {
		t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runMain(t, nil, "", "index", "--reports", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "reports         2") {
		t.Errorf("index --reports: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A bad file is skipped with a warning naming it, and the rest is
	// served (before issue 9 it stopped the command).
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "blank.txt"), nil, 0o644)
	r = runMain(t, map[string]string{"REPORTS_DIR": empty}, "", "ask", "GDP")
	if r.code != 0 || !strings.Contains(r.stderr, "blank.txt") || !strings.Contains(r.stderr, "empty") || !strings.Contains(r.stdout, "答：") {
		t.Errorf("empty report: exit %d, stderr %q", r.code, r.stderr)
	}
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "x.txt"), []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2}, 0o644)
	os.WriteFile(filepath.Join(bin, "county.txt"), []byte(report), 0o644)
	r = runMain(t, map[string]string{"REPORTS_DIR": bin}, "", "ask", "茶叶种植面积多大")
	if r.code != 0 || !strings.Contains(r.stderr, "x.txt") || !strings.Contains(r.stderr, "binary") || !strings.Contains(r.stdout, "某某县人民政府工作报告") {
		t.Errorf("binary report: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runMain(t, nil, "", "index", "--reports", bin)
	if r.code != 0 || !strings.Contains(r.stdout, "skipped         1") || !strings.Contains(r.stdout, "x.txt") ||
		!strings.Contains(r.stdout, "issuer 某某县人民政府 · region 某某县 · level district · year 2024") {
		t.Errorf("index lists the skipped file and the identity: exit %d:\n%s", r.code, r.stdout)
	}
}

func TestIndexShowsWhatWasLoaded(t *testing.T) {
	r := runMain(t, nil, "", "index")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"reports         1", "sections        2", "paragraphs      8", "sentences       ", "corpus version  ", "load            ", "index           "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("index output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	r := runMain(t, nil, "", "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
		t.Fatalf("help: exit %d\n%s", r.code, r.stdout)
	}
	for _, c := range commands() {
		if c.run == nil {
			continue
		}
		r := runMain(t, nil, "", c.name, "-h")
		if r.code != 0 || !strings.Contains(r.stderr, "Usage: reportbot "+c.name) {
			t.Errorf("%s -h: exit %d, stderr %q", c.name, r.code, r.stderr)
		}
	}
}

func TestExitCodes(t *testing.T) {
	var buf bytes.Buffer
	if exitCode(nil, &buf) != 0 || exitCode(errSilent, &buf) != 1 || exitCode(usagef("x"), &buf) != 2 || exitCode(errors.New("y"), &buf) != 1 {
		t.Error("exit codes: want 0, 1, 2, 1")
	}
}
