package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// The bench command is checked for what it prints, never for how fast
// anything is: every figure is labelled and is a number.

// benchArgs is a small configuration: few queries, one small scaling size.
var benchArgs = []string{"bench", "-n", "20", "-warmup", "5", "-runs", "2", "--sizes", "50"}

func runBenchCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// benchFields returns the fields after label on the line that starts with
// it.
func benchFields(t *testing.T, out, label string) []string {
	t.Helper()
	for line := range strings.Lines(out) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), label); ok {
			return strings.Fields(rest)
		}
	}
	t.Errorf("no line labelled %q in:\n%s", label, out)
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func TestBenchPrintsEveryFigure(t *testing.T) {
	out, _, err := runBenchCmd(t, benchArgs...)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	numbers := map[string]int{ // label → how many numbers follow it
		"queries timed":          2,
		"p50 latency (ms)":       2,
		"p99 latency (ms)":       2,
		"throughput (queries/s)": 2,
		"load (ms)":              2,
		"lexicon (ms)":           2,
		"index (ms)":             2,
		"total (ms)":             2,
		"Go heap in use (MiB)":   1,
		"Go heap live (MiB)":     1,
	}
	for label, n := range numbers {
		f := benchFields(t, out, label)
		if len(f) != n {
			t.Errorf("%q: %d figures %q, want %d", label, len(f), f, n)
			continue
		}
		for _, v := range f {
			if !isNumber(v) {
				t.Errorf("%q: %q is not a number", label, v)
			}
		}
	}
	// Figures that may be unavailable.
	for _, label := range []string{"ours/baseline p50 (x)", "process RSS (MiB)", "peak RSS so far (MiB)"} {
		if f := benchFields(t, out, label); len(f) != 1 || !(isNumber(f[0]) || f[0] == "n/a") {
			t.Errorf("%q: %q, want one number or n/a", label, f)
		}
	}
	if f := benchFields(t, out, "queries timed"); len(f) == 2 && (f[0] != "20" || f[1] != "20") {
		t.Errorf("queries timed: %q, want 20 and 20", f)
	}

	// Scaling: a header, then one row for the seed report and one per size.
	head := benchFields(t, out, "passages")
	if len(head) == 0 {
		return
	}
	var rows [][]string
	inTable := false
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && f[0] == "passages":
			inTable = true
		case inTable && len(f) == 0:
			inTable = false
		case inTable:
			rows = append(rows, f)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("scaling: %d rows, want 2 (seed, 50):\n%s", len(rows), out)
	}
	for _, r := range rows {
		if len(r) != 9 {
			t.Errorf("scaling row %q: %d columns, want 9", r, len(r))
		}
		for _, v := range r {
			if !isNumber(v) {
				t.Errorf("scaling row %q: %q is not a number", r, v)
			}
		}
	}
	if rows[1][0] != "50" {
		t.Errorf("scaling: second row is %s passages, want 50", rows[1][0])
	}

	// Targets: measured, target, verdict.
	for _, label := range []string{
		"search p50 / baseline p50 (x)",
		"start-up, cold (ms)",
		"RSS with the seed report (MiB)",
		"p99 at 10000 passages (ms)",
	} {
		f := benchFields(t, out, label)
		if len(f) < 3 {
			t.Errorf("target %q: %q", label, f)
			continue
		}
		if !isNumber(f[0]) && f[0] != "n/a" {
			t.Errorf("target %q: measured %q is not a number", label, f[0])
		}
		if !isNumber(strings.TrimLeft(f[1], "≤<")) {
			t.Errorf("target %q: target %q is not a bound", label, f[1])
		}
		switch v := strings.Join(f[2:], " "); v {
		case "met", "NOT MET", "n/a":
		default:
			t.Errorf("target %q: verdict %q", label, v)
		}
	}
	// 10,000 passages were not measured, so that target cannot be judged.
	if f := benchFields(t, out, "p99 at 10000 passages (ms)"); len(f) > 0 && f[0] != "n/a" {
		t.Errorf("p99 at 10000 passages: %q, want n/a when 10000 is not among --sizes", f)
	}
}

func TestBenchJSON(t *testing.T) {
	out, _, err := runBenchCmd(t, append(benchArgs, "--json")...)
	if err != nil {
		t.Fatalf("bench --json: %v", err)
	}
	var res benchResult
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("bench --json is not one benchResult: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("bench --json printed more than one object")
	}
	if res.Search.Ours.Queries != 20 || res.Search.Baseline.Queries != 20 {
		t.Errorf("queries: ours %d, baseline %d, want 20", res.Search.Ours.Queries, res.Search.Baseline.Queries)
	}
	if res.Passages == 0 || res.Report == "" || res.Questions == 0 || res.Startup.Runs != 2 {
		t.Errorf("description: %+v", res)
	}
	if len(res.Scaling) != 2 || res.Scaling[1].Passages != 50 {
		t.Errorf("scaling: %+v, want the seed report and 50 passages", res.Scaling)
	}
	if len(res.Targets) != 4 {
		t.Errorf("targets: %d, want 4", len(res.Targets))
	}
	for _, g := range res.Targets {
		if (g.Value == nil) != (g.Met == nil) {
			t.Errorf("target %q: a value without a verdict or the reverse", g.Name)
		}
	}
	// The same keys a reader of the JSON relies on.
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, path := range [][]string{
		{"search", "ours", "p50_ms"}, {"search", "ours", "p99_ms"}, {"search", "ours", "queries_per_s"},
		{"search", "baseline", "p50_ms"}, {"search", "baseline", "p99_ms"}, {"search", "baseline", "queries_per_s"},
		{"search", "ratio_p50"},
		{"startup", "cold_total_ms"}, {"startup", "median_total_ms"}, {"startup", "median_load_ms"}, {"startup", "median_index_ms"},
		{"memory", "heap_inuse_mib"},
	} {
		var v any = raw
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[k]
		}
		if _, ok := v.(float64); !ok {
			t.Errorf("JSON %s: %v is not a number", strings.Join(path, "."), v)
		}
	}
}

func TestBenchFlags(t *testing.T) {
	if _, stderr, err := runBenchCmd(t, "bench", "-h"); err != nil || !strings.Contains(stderr, "Usage: reportbot bench") {
		t.Errorf("bench -h: %v, usage %q", err, stderr)
	}
	for _, args := range [][]string{
		{"bench", "-n", "0"},
		{"bench", "--sizes", "ten"},
		{"bench", "--sizes", "0"},
		{"bench", "-runs", "0"},
		{"bench", "extra"},
	} {
		_, _, err := runBenchCmd(t, args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
