package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"reportbot/figures"
	"reportbot/handlers"
	"reportbot/render"
)

const figuresUsage = `figures [--json] [--reports DIR] [REGION] [YEAR]

Prints a report's key figures: the targets of its list of main targets,
each beside the year before's result, then the year before's other
headline results, one line per indicator with its paragraph number.
REGION and YEAR pick the report ("北京 2025", "国务院 2023"); with neither,
the bot's own report. --json prints the report's identity, those lines and
every figure extracted from it, each with its spans in its paragraph.`

// figuresJSON is what figures --json prints.
type figuresJSON struct {
	Report  reportJSON       `json:"report"`
	Lines   []lineJSON       `json:"lines"`
	Figures []figures.Figure `json:"figures"`
}

type reportJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Issuer string `json:"issuer,omitempty"`
	Region string `json:"region,omitempty"`
	Year   int    `json:"year,omitempty"`
}

type lineJSON struct {
	Key    string          `json:"key"`
	Lead   string          `json:"lead"`
	Target *figures.Figure `json:"target,omitempty"`
	Result *figures.Figure `json:"result,omitempty"`
}

func runFigures(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "figures", figuresUsage)
	asJSON := fs.Bool("json", false, "print one JSON object: the report, its key figures' lines and all its figures")
	reports := fs.String("reports", "", "folder of extra reports: .txt, .md, .docx, .html (overrides REPORTS_DIR)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	l, err := loadIndex(ctx, env, *reports)
	if err != nil {
		return err
	}
	defer l.Close()
	svc := &handlers.Service{Answerer: &handlers.Answerer{Index: l.index}, Figures: l.figures}
	r, problem := svc.ReportFor(strings.Join(fs.Args(), " "))
	if problem != "" {
		return fmt.Errorf("figures: %s", problem)
	}
	lines := l.figures.Headline(r)
	if !*asJSON {
		fmt.Fprint(env.stdout, render.FiguresText(r, lines, markers(env.stdout)))
		return nil
	}
	out := figuresJSON{
		Report:  reportJSON{ID: r.ID, Name: r.Name, Issuer: r.Issuer, Region: r.Region, Year: r.Year},
		Lines:   make([]lineJSON, 0, len(lines)),
		Figures: l.figures.Report(r.ID),
	}
	for _, ln := range lines {
		out.Lines = append(out.Lines, lineJSON{Key: ln.Key, Lead: ln.Lead(), Target: ln.Target, Result: ln.Result})
	}
	if out.Figures == nil {
		out.Figures = []figures.Figure{}
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
