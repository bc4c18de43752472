package e2e

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"reportbot/store/redistest"
	"reportbot/telegramtest"
)

// The secrets the tests hand the bot, none of which may ever show in its
// output or on /metrics: the token and its secret half on their own, a
// Redis password, the webhook secret.
const (
	redisPassword = "rEdIsPaSsW0rd4e2e"
	webhookSecret = "wEbHoOkSeCrEt4e2e"
)

// tokenSecret is the half of the token after the colon.
var tokenSecret = token[strings.IndexByte(token, ':')+1:]

// noSecrets fails the test when where's text holds a secret.
func noSecrets(t *testing.T, where, text string) {
	t.Helper()
	for name, secret := range map[string]string{
		"the token": token, "the token's secret half": tokenSecret,
		"the Redis password": redisPassword, "the webhook secret": webhookSecret,
	} {
		if strings.Contains(text, secret) {
			t.Errorf("%s shows %s (%q):\n%s", where, name, secret, text)
		}
	}
}

// closedAddr is a 127.0.0.1 address nothing listens on.
func closedAddr(t *testing.T) string {
	return "127.0.0.1:" + strconv.Itoa(freePort(t))
}

// dropper accepts connections, reads what is sent and closes them without
// answering, until the test ends.
func dropper(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetReadDeadline(time.Now().Add(time.Second))
			c.Read(make([]byte, 4096))
			c.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestSecretsWhenTelegramIsUnreachable: serve stops, non-zero, saying the
// method that failed, when the Bot API refuses connections or drops them
// mid-request, and shows no secret in doing so.
func TestSecretsWhenTelegramIsUnreachable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, url string }{
		{"closed port", "http://" + closedAddr(t)},
		{"connection dropped", dropper(t)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := startProc(t, nil,
				"TELEGRAM_API_URL="+c.url,
				"REDIS_URL=redis://:"+redisPassword+"@"+closedAddr(t)+"/0",
				"WEBHOOK_URL=http://127.0.0.1:"+strconv.Itoa(freePort(t))+"/hook",
				"WEBHOOK_SECRET="+webhookSecret,
			)
			if code := p.wait(20 * time.Second); code == 0 {
				t.Errorf("serve exited 0 with Telegram unreachable\n%s", p.out)
			}
			out := p.out.String()
			if !strings.Contains(out, "getMe") || !strings.Contains(out, "TELEGRAM_API_URL") {
				t.Errorf("the error does not say which call failed and what to check:\n%s", out)
			}
			noSecrets(t, "the output", out)
		})
	}
}

// TestSecretsOfAMalformedRedisURL: the error names REDIS_URL and shows
// no part of the URL, which holds a password.
func TestSecretsOfAMalformedRedisURL(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startProc(t, srv, "REDIS_URL=redis://:"+redisPassword+"%zz@127.0.0.1:1/0")
	if code := p.wait(20 * time.Second); code == 0 {
		t.Errorf("serve exited 0 with a malformed REDIS_URL\n%s", p.out)
	}
	out := p.out.String()
	if !strings.Contains(out, "REDIS_URL") {
		t.Errorf("the error does not name REDIS_URL:\n%s", out)
	}
	noSecrets(t, "the output", out)
}

// flaky is the test server behind a switch: methods switched off have
// their connections dropped mid-request (the request read, no answer).
type flaky struct {
	srv *telegramtest.Server

	mu      sync.Mutex
	off     map[string]bool // lower-case method names
	dropped map[string]int
	changed chan struct{} // closed and replaced on every drop
}

func newFlaky(t *testing.T, srv *telegramtest.Server) (*flaky, string) {
	f := &flaky{srv: srv, off: map[string]bool{}, dropped: map[string]int{}, changed: make(chan struct{})}
	hs := httptest.NewServer(f)
	t.Cleanup(hs.Close)
	return f, hs.URL
}

func (f *flaky) set(method string, off bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.off[strings.ToLower(method)] = off
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := strings.ToLower(path.Base(r.URL.Path))
	f.mu.Lock()
	off := f.off[method]
	f.mu.Unlock()
	if !off {
		f.srv.ServeHTTP(w, r)
		return
	}
	io.Copy(io.Discard, r.Body)
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
	f.mu.Lock()
	f.dropped[method]++
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

// waitDropped waits until n calls of method were dropped.
func (f *flaky) waitDropped(t *testing.T, ctx context.Context, method string, n int) {
	t.Helper()
	for {
		f.mu.Lock()
		got, changed := f.dropped[strings.ToLower(method)], f.changed
		f.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("%d of %d %s calls dropped: %v", got, n, method, ctx.Err())
		}
	}
}

// TestSecretsWhenTelegramFailsLater: getMe succeeds, then getUpdates and
// sendMessage lose their connections, so the retry paths log their errors,
// and the confirmation at shutdown fails too; meanwhile Redis refuses the
// bot's password. No secret shows in the output, on /metrics or /readyz.
func TestSecretsWhenTelegramFailsLater(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t, redistest.WithArgs("--requirepass", "the-right-one"))
	srv := newServer(t)
	f, api := newFlaky(t, srv)
	ctx := timeout(t, 45*time.Second)

	f.set("getUpdates", true)
	p := startProc(t, nil, "TELEGRAM_API_URL="+api,
		"REDIS_URL=redis://:"+redisPassword+"@"+rdb.Addr()+"/0", "REDIS_TIMEOUT=200ms",
		"DIGEST_INTERVAL=200ms", "SHUTDOWN_TIMEOUT=1s")
	if err := p.waitHTTP(ctx, "/healthz"); err != nil {
		t.Fatalf("bot did not come up: %v\n%s", err, p.out)
	}
	// Long polling fails and is retried (after 1s, then 2s).
	f.waitDropped(t, ctx, "getUpdates", 2)
	f.set("getUpdates", false)

	// A question is answered: the offset moves, to be confirmed at exit.
	first := srv.PrivateText(9301, gdpQuestion)
	srv.PushUpdate(first)
	waitReply(t, ctx, srv, 9301, first.Message.MessageID)

	// The next answer's sends fail and are retried.
	f.set("sendMessage", true)
	srv.PushUpdate(srv.PrivateText(9302, gdpQuestion))
	f.waitDropped(t, ctx, "sendMessage", 2)

	for _, page := range []string{"/metrics", "/readyz"} {
		body := p.body(ctx, page)
		if page == "/metrics" && !strings.Contains(body, "reportbot_telegram_errors_total") {
			t.Errorf("/metrics counts no Telegram errors:\n%s", body)
		}
		noSecrets(t, page, body)
	}

	// At shutdown the unfinished answer is abandoned (SHUTDOWN_TIMEOUT)
	// and confirming the handled updates fails.
	f.set("getUpdates", true)
	p.sigterm()
	if code := p.wait(20 * time.Second); code != 0 {
		t.Errorf("reportbot exited %d after SIGTERM, want 0\n%s", code, p.out)
	}
	out := p.out.String()
	for _, logged := range []string{"getUpdates failed", "telegram asked to retry", "could not confirm"} {
		if !strings.Contains(out, logged) {
			t.Errorf("the output has no %q: the test did not take that path\n%s", logged, out)
		}
	}
	noSecrets(t, "the output", out)
}

// TestSecretsWhenSetWebhookFails: serve stops when setWebhook loses its
// connection, saying so without the token or the webhook secret.
func TestSecretsWhenSetWebhookFails(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	f, api := newFlaky(t, srv)
	f.set("setWebhook", true)
	port := strconv.Itoa(freePort(t))
	p := startProc(t, nil, "TELEGRAM_API_URL="+api,
		"WEBHOOK_URL=http://127.0.0.1:"+port+"/hook", "WEBHOOK_SECRET="+webhookSecret, "WEBHOOK_LISTEN=127.0.0.1:"+port)
	if code := p.wait(20 * time.Second); code == 0 {
		t.Errorf("serve exited 0 without a webhook\n%s", p.out)
	}
	out := p.out.String()
	if !strings.Contains(out, "setWebhook") {
		t.Errorf("the error does not name setWebhook:\n%s", out)
	}
	noSecrets(t, "the output", out)
}

// body returns what the bot's HTTP server answers on path, whatever the
// status.
func (p *proc) body(ctx context.Context, path string) string {
	p.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+p.httpAddr+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatalf("%s: %v", path, err)
	}
	return string(b)
}
