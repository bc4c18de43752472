package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"reportbot/data"
	"reportbot/handlers"
	"reportbot/render"
	"reportbot/retrieval"
)

const askUsage = `ask [--json] [-k N] [--reports DIR] [QUESTION ...]

Answers each QUESTION from the report: the answer sentence, then up to N
quoted passages with matched words marked and a citation each. With no
QUESTION, questions are read from standard input, one per line, and the
index is opened once for all of them (from INDEX_DIR, built and saved
there first when no process has yet). A question longer than 200 characters
is cut to its first 200, and the answer says so.`

func runAsk(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "ask", askUsage)
	asJSON := fs.Bool("json", false, "print one JSON object per question, one per line")
	k := fs.Int("k", 3, "number of passages to quote (1-10)")
	reports := fs.String("reports", "", "folder of extra reports: .txt, .md, .docx, .html (overrides REPORTS_DIR)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if *k < 1 || *k > 10 {
		return usagef("ask: -k must be between 1 and 10, not %d", *k)
	}
	questions := fs.Args()
	fromStdin := len(questions) == 0
	if !fromStdin {
		for _, q := range questions {
			if strings.TrimSpace(q) == "" {
				fs.Usage()
				return usagef("ask: the question is empty; ask something about the report, e.g. reportbot ask \"2024年GDP增长目标是多少?\"")
			}
		}
	}
	l, err := loadIndex(ctx, env, *reports)
	if err != nil {
		return err
	}
	defer l.Close()

	st, _, err := openStore(l.cfg, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	answerer := &handlers.Answerer{Index: l.index, Store: st, TTL: l.cfg.CacheTTL, Log: newLogger(env, l.cfg)}

	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	a := asker{l: l, answerer: answerer, w: out, json: *asJSON, k: *k, marks: markers(env.stdout)}
	if !fromStdin {
		var bad error
		for _, q := range questions {
			if err := a.ask(ctx, q); err != nil {
				bad = err
			}
		}
		return bad
	}
	sc := bufio.NewScanner(env.stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		q := sc.Text()
		if strings.TrimSpace(q) == "" {
			continue // blank lines separate, they do not ask
		}
		if err := a.ask(ctx, q); err != nil && !isBadQuestion(err) {
			return err
		}
		// Each answer goes out as soon as it is ready: another program may
		// be waiting for it before it sends the next question.
		if err := out.Flush(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading questions from standard input: %w", err)
	}
	return nil
}

type asker struct {
	l        *loaded
	answerer *handlers.Answerer
	w        *bufio.Writer
	json     bool
	k        int
	marks    render.Marks
}

func isBadQuestion(err error) bool {
	var ue *usageError
	return errors.As(err, &ue)
}

// ask answers one question. A question with nothing to search for is
// answered with a note (and, in text mode, a usage error).
func (a *asker) ask(ctx context.Context, q string) error {
	ans, err := a.answerer.Answer(ctx, q, a.k)
	if errors.Is(err, retrieval.ErrNoQuestion) {
		if a.json {
			return a.writeJSON(askJSON{Question: q, Passages: []passageJSON{}, Error: noQuestionText})
		}
		a.w.Flush()
		return usagef("ask: %q: %s", q, noQuestionText)
	}
	if err != nil {
		return err
	}
	if a.json {
		v := toJSON(ans.Result, a.l.corpus)
		v.Cached = &ans.Cached
		return a.writeJSON(v)
	}
	a.printText(ans.Result)
	return nil
}

const noQuestionText = "nothing to search for once punctuation, emoji and question words are removed; ask about the report in words, e.g. \"2024年GDP增长目标是多少?\""

// askJSON is the line printed for each question by ask --json.
type askJSON struct {
	Question  string        `json:"question"`
	Covered   bool          `json:"covered"`
	Answer    string        `json:"answer"`
	Passages  []passageJSON `json:"passages"`
	Truncated bool          `json:"truncated,omitempty"`
	// Coverage is the best passage's share of the question (see
	// retrieval.MinCoverage), for tuning and for checking a "not covered".
	Coverage float64 `json:"coverage"`
	// Cached says the answer came from the answer cache.
	Cached *bool  `json:"cached,omitempty"`
	Error  string `json:"error,omitempty"`
	// Understood is how the question was read (phrases, lexicon concepts,
	// the time, place and kind of answer asked), and Scope which reports
	// that selected: what to look at when an answer surprises.
	Understood *retrieval.Query      `json:"understood,omitempty"`
	Scope      retrieval.Scope       `json:"scope"`
	AlsoIn     []retrieval.ReportRef `json:"also_in,omitempty"`
	Unanswered bool                  `json:"unanswered,omitempty"`
}

type passageJSON struct {
	Report string `json:"report"`
	// The report's identity, so a reader can tell two reports' passages
	// apart (data.Report says what each field holds).
	ReportID   string   `json:"report_id,omitempty"`
	ReportName string   `json:"report_name,omitempty"`
	Issuer     string   `json:"issuer,omitempty"`
	Region     string   `json:"region,omitempty"`
	RegionPath []string `json:"region_path,omitempty"`
	Level      string   `json:"level,omitempty"`
	Year       int      `json:"year,omitempty"`
	Date       string   `json:"date,omitempty"`

	Section   string  `json:"section"`
	Paragraph int     `json:"paragraph"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
	Coverage  float64 `json:"coverage"`
}

func toJSON(res *retrieval.Result, c *data.Corpus) askJSON {
	out := askJSON{Question: res.Question, Covered: res.Covered, Answer: res.Answer, Truncated: res.Truncated, Coverage: res.Coverage, Passages: []passageJSON{},
		Understood: res.Query, Scope: res.Scope, AlsoIn: res.AlsoIn, Unanswered: res.Unanswered}
	for _, p := range res.Passages {
		pj := passageJSON{Report: p.Report, ReportID: p.ReportID, Section: p.Section, Paragraph: p.Paragraph, Text: p.Text, Score: p.Score, Coverage: p.Coverage}
		for _, r := range c.Reports {
			if r.ID == p.ReportID {
				pj.ReportName, pj.Issuer, pj.Region, pj.RegionPath = r.Name, r.Issuer, r.Region, r.RegionPath
				pj.Level, pj.Year, pj.Date = r.Level.String(), r.Year, r.Date
				break
			}
		}
		out.Passages = append(out.Passages, pj)
	}
	return out
}

func (a *asker) writeJSON(v askJSON) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	a.w.Write(b)
	a.w.WriteByte('\n')
	return nil
}

// printText prints an answer as render.AnswerText lays it out; for a
// question the reports do not cover, it says so and lists their sections.
func (a *asker) printText(res *retrieval.Result) {
	w := a.w
	if res.Covered {
		w.WriteString(render.AnswerText(res, 1, a.marks))
		return
	}
	if res.Truncated {
		fmt.Fprintln(w, render.TruncatedNote())
	}
	// "报告没有谈到…": the reports are named in the list right below.
	fmt.Fprintln(w, render.NotCoveredSentence(res.Question, nil))
	if why := render.OutOfScope(res, a.l.corpus); why != "" {
		fmt.Fprintln(w, why)
		if res.Scope.Missing != "day" {
			// It said which years or places the reports cover; their
			// sections are beside the point.
			fmt.Fprintln(w)
			return
		}
	}
	fmt.Fprintln(w, "可以看看报告的这些部分：")
	printSections(w, a.l.corpus)
	fmt.Fprintln(w)
}

// markers are ANSI bold on a terminal, 【】 elsewhere (a file, a pipe).
func markers(w io.Writer) render.Marks {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return render.ANSIBold
		}
	}
	return render.Brackets
}
