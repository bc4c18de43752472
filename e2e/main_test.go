// Package e2e drives the real reportbot binary (`reportbot serve`) against
// the strict Bot API test server (telegramtest) on 127.0.0.1 and checks what
// the bot did through what the server recorded: every request, every
// message sent. No test sleeps for a fixed time: each waits for an event
// (a request, a message, a process exit) under a context deadline.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"reportbot/telegramtest"
)

// token is a well-formed Bot API token; the bot's user id is 123456789.
const token = "123456789:TESTtoken_abcdefghijklmnopqrstuv"

// botName is the bot's username as the test server's getMe reports it.
const botName = telegramtest.DefaultUsername

// gdpQuestion is answered by paragraph 6 of the embedded report, the
// third of its section 二.
const gdpQuestion = "2024年GDP增长目标是多少？"

const (
	gdpTarget   = "地区生产总值增长6%左右"
	gdpCitation = "《重庆市渝中区人民政府工作报告》二 · 第3段"
)

// bin is the reportbot binary, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "reportbot-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "reportbot")
	build := exec.Command("go", "build", "-o", bin, "reportbot/cmd/reportbot")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building reportbot: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ownEnv are the variables the tests set themselves; any value inherited
// from the environment running the tests is dropped.
var ownEnv = []string{
	"TELEGRAM_", "WEBHOOK_", "REDIS_", "HTTP_ADDR", "RATE_LIMIT", "SHUTDOWN_TIMEOUT",
	"REPORTS_DIR", "LOG_", "CACHE_TTL", "DIGEST_", "SEND_", "INDEX_DIR", "REPORTS_CHECK",
}

func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		keep := true
		for _, p := range ownEnv {
			if strings.HasPrefix(kv, p) {
				keep = false
				break
			}
		}
		if keep {
			env = append(env, kv)
		}
	}
	return env
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is one running `reportbot serve`.
type proc struct {
	t        *testing.T
	cmd      *exec.Cmd
	out      *syncBuffer
	httpAddr string
	done     chan struct{}
	err      error // set when done is closed
}

// startBot runs `reportbot serve` against srv with HTTP_ADDR on a free port
// and extra environment variables ("NAME=value"), and waits until it
// answers /healthz (by then the command menu is registered). The process
// must be stopped with stop; if a test fails first, it is killed.
func startBot(t *testing.T, srv *telegramtest.Server, extra ...string) *proc {
	t.Helper()
	p := startProc(t, srv, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := p.waitHTTP(ctx, "/healthz"); err != nil {
		t.Fatalf("bot did not come up: %v\n%s", err, p.out)
	}
	return p
}

func startProc(t *testing.T, srv *telegramtest.Server, extra ...string) *proc {
	t.Helper()
	p := &proc{t: t, out: &syncBuffer{}, done: make(chan struct{})}
	p.httpAddr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	// A saved-index folder of the test's own (extra may name another).
	env := append(baseEnv(), "TELEGRAM_TOKEN="+token, "HTTP_ADDR="+p.httpAddr, "INDEX_DIR="+t.TempDir())
	if srv != nil {
		env = append(env, "TELEGRAM_API_URL="+srv.URL())
	}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = append(env, extra...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("reportbot output:\n%s", p.out)
		}
	})
	return p
}

// waitHTTP polls path on the bot's HTTP_ADDR until it answers 200.
func (p *proc) waitHTTP(ctx context.Context, path string) error {
	var last error
	for {
		select {
		case <-p.done:
			return fmt.Errorf("reportbot exited: %v", p.err)
		default:
		}
		code, err := p.get(ctx, path)
		if err == nil && code == http.StatusOK {
			return nil
		}
		last = err
		if err == nil {
			last = fmt.Errorf("%s answered %d", path, code)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-p.done:
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// get asks the bot's HTTP server for path and returns the status code.
func (p *proc) get(ctx context.Context, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+p.httpAddr+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// signal sends SIGTERM without waiting.
func (p *proc) sigterm() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatalf("SIGTERM: %v", err)
	}
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("reportbot did not exit within %v\n%s", timeout, p.out)
	}
	var ee *exec.ExitError
	switch {
	case p.err == nil:
		return 0
	case errors.As(p.err, &ee):
		return ee.ExitCode()
	default:
		p.t.Fatalf("reportbot: %v", p.err)
		return -1
	}
}

// stop sends SIGTERM and requires a clean exit (code 0).
func (p *proc) stop() {
	p.t.Helper()
	p.sigterm()
	if code := p.wait(20 * time.Second); code != 0 {
		p.t.Errorf("reportbot exited %d after SIGTERM, want 0\n%s", code, p.out)
	}
}

// newServer starts a test Bot API server, closed when the test ends.
func newServer(t *testing.T, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.New(token, opts...)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// isSend says r is a sendMessage call to chat.
func isSend(r telegramtest.Request, chat int64) bool {
	return strings.EqualFold(r.Method, "sendMessage") && r.Int("chat_id") == chat
}

// sends returns the sendMessage calls to chat (successful or not).
func sends(srv *telegramtest.Server, chat int64) []telegramtest.Request {
	var out []telegramtest.Request
	for _, r := range srv.Requests() {
		if isSend(r, chat) {
			out = append(out, r)
		}
	}
	return out
}

// okSends returns the successful sendMessage calls to chat.
func okSends(srv *telegramtest.Server, chat int64) []telegramtest.Request {
	var out []telegramtest.Request
	for _, r := range sends(srv, chat) {
		if r.OK() {
			out = append(out, r)
		}
	}
	return out
}

// calls returns the calls of method (any case).
func calls(srv *telegramtest.Server, method string) []telegramtest.Request {
	var out []telegramtest.Request
	for _, r := range srv.Requests() {
		if strings.EqualFold(r.Method, method) {
			out = append(out, r)
		}
	}
	return out
}

// result decodes the message a successful sendMessage returned.
func result(t *testing.T, r telegramtest.Request) telegramtest.Message {
	t.Helper()
	var m telegramtest.Message
	if err := json.Unmarshal(r.Result, &m); err != nil {
		t.Fatalf("%s result %s: %v", r.Method, r.Result, err)
	}
	return m
}

// replyTo returns the id of the message a sendMessage replied to, as the
// server resolved it (0 for none).
func replyTo(r telegramtest.Request) int64 {
	var m telegramtest.Message
	if json.Unmarshal(r.Result, &m) != nil || m.ReplyToMessage == nil {
		return 0
	}
	return m.ReplyToMessage.MessageID
}

// waitReply waits for the first successful sendMessage to chat that
// replies to message msgID.
func waitReply(t *testing.T, ctx context.Context, srv *telegramtest.Server, chat, msgID int64) telegramtest.Request {
	t.Helper()
	r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
		return isSend(r, chat) && r.OK() && replyTo(r) == msgID
	})
	if err != nil {
		t.Fatalf("no reply to message %d in chat %d: %v\nsent there: %s", msgID, chat, err, describe(sends(srv, chat)))
	}
	return r
}

func describe(rs []telegramtest.Request) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "\n  #%d %s %d %q reply_to=%d text=%q", r.Seq, r.Method, r.Status, r.Description, replyTo(r), clip(r.String("text"), 120))
	}
	if b.Len() == 0 {
		return "(nothing)"
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// pokeChat is a group where the barrier posts chatter the bot ignores.
const pokeChat = -4242424242

// handled waits until the polling bot has handled update id (and every
// update before it). Without Redis (as in the tests that use this) the bot
// confirms an update, with a getUpdates whose offset is past it, only once
// it is answered and every earlier one is too, so such a getUpdates proves
// it. Chatter the bot ignores is pushed to make that long poll
// return: when the chatter is taken in the same batch as id, more is
// pushed, which only a later getUpdates can take.
func handled(t *testing.T, ctx context.Context, srv *telegramtest.Server, id int64) {
	t.Helper()
	for {
		poke := srv.PushUpdate(srv.GroupText(pokeChat, 4242, "poke"))
		r, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool {
			return strings.EqualFold(r.Method, "getUpdates") && slices.Contains(updateIDs(r), poke)
		})
		if err != nil {
			t.Fatalf("update %d was not handled: %v", id, err)
		}
		if r.Int("offset") > id {
			return
		}
	}
}

// updateIDs lists the update_ids a getUpdates call returned.
func updateIDs(r telegramtest.Request) []int64 {
	var ups []struct {
		ID int64 `json:"update_id"`
	}
	json.Unmarshal(r.Result, &ups)
	ids := make([]int64, len(ups))
	for i, u := range ups {
		ids[i] = u.ID
	}
	return ids
}

// keyboard reads the inline keyboard of a request's reply_markup.
func keyboard(t *testing.T, v any) [][]button {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		InlineKeyboard [][]button `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("reply_markup %s: %v", raw, err)
	}
	return m.InlineKeyboard
}

type button struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// findButton returns the first button whose data starts with prefix.
func findButton(kb [][]button, prefix string) (button, bool) {
	for _, row := range kb {
		for _, b := range row {
			if strings.HasPrefix(b.Data, prefix) {
				return b, true
			}
		}
	}
	return button{}, false
}

// previewsOff says the request turned link previews off, in either of the
// Bot API's spellings.
func previewsOff(r telegramtest.Request) bool {
	if r.String("disable_web_page_preview") == "true" {
		return true
	}
	if o, ok := r.Object("link_preview_options").(map[string]any); ok {
		return o["is_disabled"] == true
	}
	return false
}
