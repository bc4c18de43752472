package store

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// One slow call, or a burst of them, is not an outage; calls failing for
// outageAfter are, logged once, and its end once.
func TestHealthLogsOutagesOnly(t *testing.T) {
	var buf bytes.Buffer
	h := health{log: slog.New(slog.NewTextHandler(&buf, nil))}
	fail := errors.New("i/o timeout")
	for range 20 {
		h.observe(fail)
	}
	h.observe(nil)
	if buf.Len() != 0 {
		t.Fatalf("a burst of failures followed by a success was logged:\n%s", buf.String())
	}
	h.observe(fail)
	h.since = h.since.Add(-outageAfter) // failing for outageAfter
	for range 5 {
		h.observe(fail)
	}
	h.observe(nil)
	h.observe(nil)
	out := buf.String()
	if strings.Count(out, "state store unavailable") != 1 || strings.Count(out, "reachable again") != 1 {
		t.Errorf("an outage was not logged once at its start and once at its end:\n%s", out)
	}
}
