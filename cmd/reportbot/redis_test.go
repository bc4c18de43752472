package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"reportbot/store/redistest"
)

// askSession drives one `reportbot ask --json` process-in-a-goroutine over
// pipes, question by question, so the test can act between questions.
type askSession struct {
	t     *testing.T
	in    *io.PipeWriter
	out   *bufio.Reader
	done  chan error
	close func()
}

func startAsk(t *testing.T, env map[string]string) *askSession {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &askSession{t: t, in: inW, out: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		err := run(context.Background(), []string{"ask", "--json"}, func(k string) string { return env[k] }, inR, outW, io.Discard)
		outW.Close()
		s.done <- err
	}()
	s.close = func() {
		inW.Close()
		if err := <-s.done; err != nil {
			t.Errorf("ask ended with %v", err)
		}
	}
	return s
}

func (s *askSession) ask(q string) askJSON {
	s.t.Helper()
	if _, err := io.WriteString(s.in, q+"\n"); err != nil {
		s.t.Fatal(err)
	}
	line, err := s.out.ReadString('\n')
	if err != nil {
		s.t.Fatalf("reading the answer to %q: %v", q, err)
	}
	var a askJSON
	if err := json.Unmarshal([]byte(line), &a); err != nil {
		s.t.Fatalf("answer %q: %v", line, err)
	}
	return a
}

// Redis stopped mid-run: every question is still answered, and right;
// Redis back: the cache is used again, without restarting reportbot.
func TestAskSurvivesRedisOutage(t *testing.T) {
	srv := redistest.Start(t)
	s := startAsk(t, map[string]string{"REDIS_URL": srv.URL(), "REDIS_TIMEOUT": "50ms"})
	defer s.close()

	questions := map[string]string{
		"2024年GDP增长目标是多少?": "地区生产总值增长6%左右",
		"渝中有多少人才?":         "23万人才",
		"民间投资情况如何":         "民间投资亟需提振",
	}
	check := func(q string, wantCached bool, phase string) {
		a := s.ask(q)
		if !a.Covered || !strings.Contains(a.Answer, questions[q]) {
			t.Errorf("%s: %q answered %q", phase, q, a.Answer)
		}
		if a.Cached == nil || *a.Cached != wantCached {
			t.Errorf("%s: %q cached=%v, want %v", phase, q, a.Cached, wantCached)
		}
	}
	check("2024年GDP增长目标是多少?", false, "first ask")
	check("2024年GDP增长目标是多少?", true, "second ask")

	srv.Stop(t)
	for q := range questions {
		check(q, false, "Redis down")
	}

	srv.Restart(t) // AOF on: the cached answer is still there
	q := "2024年GDP增长目标是多少?"
	deadline := time.Now().Add(10 * time.Second)
	for {
		a := s.ask(q)
		if !a.Covered || !strings.Contains(a.Answer, questions[q]) {
			t.Fatalf("after restart: %q answered %q", q, a.Answer)
		}
		if a.Cached != nil && *a.Cached {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache was not used again after Redis came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	check("渝中有多少人才?", false, "Redis back, new question")
	check("渝中有多少人才?", true, "Redis back, asked again")
}
