package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"reportbot/retrieval"
	"reportbot/retrieval/retrievaltest"
)

// The Telegram step is checked for what it prints, never for how fast
// anything is.

func benchTelegramIndex(t testing.TB) *retrieval.Index { return retrievaltest.Index(t, nil) }

func TestBenchTelegram(t *testing.T) {
	ix := benchTelegramIndex(t)
	var progress bytes.Buffer
	say := func(format string, args ...any) { progress.WriteString(strings.TrimSpace(format) + "\n") }
	res, err := benchTelegramMeasure(context.Background(), ix, 200, say)
	if err != nil {
		t.Fatalf("telegram step: %v\n%s", err, progress.String())
	}
	var out bytes.Buffer
	printBenchTelegram(&out, res)
	text := out.String()
	if !strings.Contains(text, "pacing off: Telegram's 30 msg/s limit would cap every bot at 30 updates/s") {
		t.Errorf("no pacing note in:\n%s", text)
	}
	for label, n := range map[string]int{"ours, cache off": 4, "ours, cache on": 4, "echo, bare telebot": 3} {
		f := benchFields(t, text, label)
		if len(f) != n {
			t.Errorf("%q: %q, want %d figures", label, f, n)
			continue
		}
		if f[0] != "200" {
			t.Errorf("%q: %s updates, want 200", label, f[0])
		}
		for _, v := range f {
			if x, err := strconv.ParseFloat(v, 64); err != nil || x <= 0 {
				t.Errorf("%q: %q is not a positive number", label, v)
			}
		}
	}
	for _, label := range []string{"goal ours/echo, cache off ≥ 0.60", "goal ours/echo, cache on ≥ 0.60"} {
		f := benchFields(t, text, label)
		if len(f) < 2 || !isNumber(f[0]) || (strings.Join(f[1:], " ") != "met" && strings.Join(f[1:], " ") != "NOT MET") {
			t.Errorf("%q: %q, want a ratio and met or NOT MET", label, f)
		}
	}
	if res.Updates != 200 || res.Chats != 200 || len(res.Verdicts) != 2 {
		t.Errorf("result: %+v", res)
	}
}

// BenchmarkBenchTelegramOurs runs our bot through the Telegram step, for
// profiling: go test -run '^$' -bench BenchTelegram -cpuprofile cpu.out.
func BenchmarkBenchTelegramOurs(b *testing.B) {
	ix := benchTelegramIndex(b)
	for _, cached := range []bool{false, true} {
		b.Run("cache="+strconv.FormatBool(cached), func(b *testing.B) {
			for b.Loop() {
				r, err := benchTelegramOurs(context.Background(), ix, 2000, cached)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(r.PerSecond, "updates/s")
			}
		})
	}
}

func BenchmarkBenchTelegramEcho(b *testing.B) {
	for b.Loop() {
		r, err := benchTelegramEcho(context.Background(), 2000)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.PerSecond, "updates/s")
	}
}
