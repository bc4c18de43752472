package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"reportbot/bench"
)

// The bench command only turns flags into bench.Options; package bench
// tests the measurements and what they print.

func runBenchCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
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

func TestBenchOptions(t *testing.T) {
	var stderr bytes.Buffer
	envOf := func(vars map[string]string) *environment {
		return &environment{getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr}
	}
	for _, c := range []struct {
		args []string
		env  map[string]string
		want bench.Options
	}{
		{nil, nil, bench.Options{N: 2000, Warmup: 200, Runs: 5, Sizes: []int{1000, 10000}, MaxTime: 10 * time.Second, Progress: &stderr}},
		{
			[]string{"-n", "20", "-warmup", "0", "-runs", "2", "--sizes", " 50, ,7", "--max-time", "3s", "--json"},
			map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/1"},
			bench.Options{N: 20, Runs: 2, Sizes: []int{50, 7}, MaxTime: 3 * time.Second, RedisURL: "redis://127.0.0.1:6379/1", JSON: true, Progress: &stderr},
		},
		{
			[]string{"--sizes", "", "--redis", "redis://a:6379/0"},
			map[string]string{"REDIS_URL": "redis://b:6379/0"},
			bench.Options{N: 2000, Warmup: 200, Runs: 5, MaxTime: 10 * time.Second, RedisURL: "redis://a:6379/0", Progress: &stderr},
		},
	} {
		got, helped, err := benchOptions(envOf(c.env), c.args)
		if err != nil || helped {
			t.Errorf("%q: helped %v, %v", c.args, helped, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.args, got, c.want)
		}
	}
}
