package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"reportbot/data"
	"reportbot/render"
	"reportbot/retrieval"
)

const evalUsage = `eval [flags] FILE.jsonl

Scores answer quality on a question set: one JSON object a line, either
{"id","q","passage","answer"} (passage: text found in exactly one paragraph,
the right one; answer: text the answer sentence must contain) or
{"id","q","none":true} (a question the report does not cover). Prints R@1,
R@3, answer hits, off-topic questions rejected, real questions wrongly
rejected and every miss; exits 1 when a score is below its threshold.`

// evalItem is one line of a question set.
type evalItem struct {
	ID      string `json:"id"`
	Q       string `json:"q"`
	Passage string `json:"passage"`
	Answer  string `json:"answer"`
	None    bool   `json:"none"`
	// Report is the ID of the report that answers (its file name without
	// the extension), when several are loaded: passage is looked for there.
	Report string `json:"report"`
}

type evalScore struct {
	positives, negatives              int
	r1, r3, answers, rejected, falseR int
	misses                            []string
}

func runEval(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "eval", evalUsage)
	minR1 := fs.Int("min-r1", 0, "fail below this many right passages ranked first")
	minR3 := fs.Int("min-r3", 0, "fail below this many right passages in the first three")
	minAnswer := fs.Int("min-answer", 0, "fail below this many answer sentences holding the answer")
	minRejected := fs.Int("min-rejected", 0, "fail below this many off-topic questions rejected")
	maxFalse := fs.Int("max-false-rejects", -1, "fail above this many real questions rejected (-1: no limit)")
	reports := fs.String("reports", "", "folder of extra .txt/.md reports (overrides REPORTS_DIR)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usagef("eval: want one question file, got %d arguments", fs.NArg())
	}
	items, err := readEvalItems(fs.Arg(0))
	if err != nil {
		return err
	}
	l, err := loadIndex(ctx, env, *reports)
	if err != nil {
		return err
	}
	defer l.Close()

	var sc evalScore
	for _, it := range items {
		if err := sc.score(ctx, l, it); err != nil {
			return err
		}
	}
	w := env.stdout
	pct := func(n, d int) string {
		if d == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
	}
	fmt.Fprintf(w, "questions      %d (%d answered by the report, %d not covered)\n", len(items), sc.positives, sc.negatives)
	fmt.Fprintf(w, "R@1            %d/%d  %s\n", sc.r1, sc.positives, pct(sc.r1, sc.positives))
	fmt.Fprintf(w, "R@3            %d/%d  %s\n", sc.r3, sc.positives, pct(sc.r3, sc.positives))
	fmt.Fprintf(w, "answer         %d/%d  %s\n", sc.answers, sc.positives, pct(sc.answers, sc.positives))
	fmt.Fprintf(w, "rejected       %d/%d  %s  (not-covered questions answered \"not covered\")\n", sc.rejected, sc.negatives, pct(sc.rejected, sc.negatives))
	fmt.Fprintf(w, "false rejects  %d/%d  (real questions answered \"not covered\")\n", sc.falseR, sc.positives)
	if len(sc.misses) > 0 {
		fmt.Fprintf(w, "misses:\n")
		for _, m := range sc.misses {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
	var fails []string
	check := func(name string, got, want int) {
		if got < want {
			fails = append(fails, fmt.Sprintf("%s %d < %d", name, got, want))
		}
	}
	check("R@1", sc.r1, *minR1)
	check("R@3", sc.r3, *minR3)
	check("answer", sc.answers, *minAnswer)
	check("rejected", sc.rejected, *minRejected)
	if *maxFalse >= 0 && sc.falseR > *maxFalse {
		fails = append(fails, fmt.Sprintf("false rejects %d > %d", sc.falseR, *maxFalse))
	}
	if len(fails) > 0 {
		fmt.Fprintf(env.stderr, "eval: below thresholds: %s\n", strings.Join(fails, ", "))
		return errSilent
	}
	return nil
}

func readEvalItems(path string) ([]evalItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("eval: %v", err)
	}
	defer f.Close()
	var items []evalItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it evalItem
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if it.Q == "" || (!it.None && it.Passage == "") {
			return nil, fmt.Errorf("%s:%d: want \"q\" and either \"passage\" or \"none\": true", path, n)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return items, nil
}

func (sc *evalScore) score(ctx context.Context, l *loaded, it evalItem) error {
	res, err := l.index.Search(ctx, it.Q, 3)
	if err != nil && err != retrieval.ErrNoQuestion {
		return err
	}
	covered := err == nil && res.Covered
	if it.None {
		sc.negatives++
		if covered {
			sc.misses = append(sc.misses, fmt.Sprintf("%s not rejected: %q answered with %s", it.ID, it.Q, render.Citation(res.Passages[0])))
		} else {
			sc.rejected++
		}
		return nil
	}
	sc.positives++
	want, err := rightParagraph(l.corpus, it.Report, it.Passage)
	if err != nil {
		return fmt.Errorf("eval item %s: %w", it.ID, err)
	}
	if !covered {
		sc.falseR++
		sc.misses = append(sc.misses, fmt.Sprintf("%s rejected: %q (want %s)", it.ID, it.Q, want.ID()))
		return nil
	}
	rank := -1
	for i, p := range res.Passages {
		if p.ReportID == want.Report.ID && p.Paragraph == want.Number {
			rank = i
			break
		}
	}
	switch {
	case rank == 0:
		sc.r1++
		sc.r3++
	case rank > 0 && rank < 3:
		sc.r3++
		sc.misses = append(sc.misses, fmt.Sprintf("%s R@1: %q ranked %s first, want %s (at %d)", it.ID, it.Q, render.Citation(res.Passages[0]), want.ID(), rank+1))
	default:
		sc.misses = append(sc.misses, fmt.Sprintf("%s R@3: %q ranked %s first, want %s", it.ID, it.Q, render.Citation(res.Passages[0]), want.ID()))
	}
	if strings.Contains(res.Answer, it.Answer) {
		sc.answers++
	} else {
		sc.misses = append(sc.misses, fmt.Sprintf("%s answer: %q got %q, want it to contain %q", it.ID, it.Q, res.Answer, it.Answer))
	}
	return nil
}

// rightParagraph finds the one passage that contains text, in the report
// with ID report when it is given.
func rightParagraph(c *data.Corpus, report, text string) (*data.Paragraph, error) {
	var found []*data.Paragraph
	for _, p := range c.Paragraphs() {
		if (report == "" || p.Report.ID == report) && strings.Contains(p.Text, text) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("passage text %q is in %d passages, want exactly 1", text, len(found))
	}
	return found[0], nil
}
