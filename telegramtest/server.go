// Package telegramtest is a strict Telegram Bot API server for tests: it runs on
// 127.0.0.1, answers the methods reportbot calls the way Telegram does
// (same JSON envelopes, status codes and error descriptions), rejects what
// Telegram rejects, injects failures on demand and records every request,
// so end-to-end tests can drive the real bot binary against it.
//
// A test starts a Server, points the bot at URL(), pushes updates built with
// the helpers (PrivateText, GroupText, Callback, Inline, ...) and waits for
// the bot's answers with WaitSent or WaitFor:
//
//	srv := telegramtest.New("123:abc")
//	if err := srv.Start(); err != nil { ... }
//	defer srv.Close()
//	srv.PushUpdate(srv.PrivateText(42, "hello"))
//	msgs, err := srv.WaitSent(ctx, 42, 1)
package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultUsername is the bot's username unless Username is given.
const DefaultUsername = "reportbot_test_bot"

// Option configures a Server.
type Option func(*Server)

// Username sets the bot's username (without "@").
func Username(name string) Option { return func(s *Server) { s.bot.Username = name } }

// PrivacyMode makes the server behave like a bot with privacy mode on
// (true: group messages reach the bot only when they are commands, mention
// it or reply to it) or off (false: every group message reaches it, and
// getMe says can_read_all_group_messages). Without this option the server
// reports privacy mode on but delivers every pushed update, so tests can
// check that the bot ignores chatter itself.
func PrivacyMode(on bool) Option { return func(s *Server) { s.privacy = &on } }

// WebhookRetry sets how many times an update is offered to the webhook
// before it is dropped, and the first pause between attempts (doubling
// after each failure). The defaults are 5 attempts and 20ms.
func WebhookRetry(attempts int, backoff time.Duration) Option {
	return func(s *Server) { s.whAttempts, s.whBackoff = max(attempts, 1), backoff }
}

// Latency makes every method answer d after it is done: the request has
// taken effect (a message is sent and recorded) before the bot hears so,
// as with a Bot API far away.
func Latency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// Server is a fake Telegram Bot API. The zero value is not usable; call New.
// All methods are safe for concurrent use.
type Server struct {
	token      string
	bot        User
	privacy    *bool
	whAttempts int
	whBackoff  time.Duration
	latency    time.Duration

	ln      net.Listener
	httpSrv *http.Server
	baseURL string
	closed  chan struct{}
	done    sync.WaitGroup
	client  *http.Client

	mu      sync.Mutex
	notify  chan struct{} // closed and replaced whenever state waiters care about changes
	reqSeq  int
	reqs    []Request
	faults  map[string][]apiError
	outages map[string]outage
	blocked map[int64]bool

	nextUpdateID int64
	queue        []queued
	allowed      []string // nil: Telegram's default set
	pollGen      int64
	polling      int // long polls now waiting, for tests
	webhook      *webhookState
	deliveries   []Delivery

	chats     map[int64]*Chat
	users     map[int64]User
	msgs      map[int64]map[int64]*storedMsg
	nextMsgID map[int64]int64
	threads   map[int64]map[int64]bool
	members   map[[2]int64]string
	sent      map[int64][]Message
	commands  map[commandKey][]BotCommand
	callbacks map[string]bool // issued and not yet answered
	// descriptions are the bot's descriptions and short descriptions by
	// language; reactions the bot's reactions by chat and message.
	descriptions map[descKey]string
	reactions    map[[2]int64][]Reaction
	inlines      map[string]bool // issued and not yet answered
	nextQuery    int64
}

type queued struct {
	id   int64
	kind string
	body []byte
}

type storedMsg struct {
	msg     Message
	fromBot bool
}

type webhookState struct {
	url        string
	secret     string
	allowed    []string
	maxConn    int
	lastErr    int64
	lastErrMsg string
}

type commandKey struct {
	scope CommandScope
	lang  string
}

// New returns a server for the bot with the given token. The bot's user id
// is the number before the token's colon (as in real tokens), or 1000001.
func New(token string, opts ...Option) *Server {
	id := int64(1000001)
	if before, _, ok := strings.Cut(token, ":"); ok {
		if n, err := strconv.ParseInt(before, 10, 64); err == nil && n > 0 {
			id = n
		}
	}
	s := &Server{
		token:        token,
		bot:          User{ID: id, IsBot: true, FirstName: "Report Bot", Username: DefaultUsername},
		whAttempts:   5,
		whBackoff:    20 * time.Millisecond,
		closed:       make(chan struct{}),
		notify:       make(chan struct{}),
		faults:       map[string][]apiError{},
		outages:      map[string]outage{},
		blocked:      map[int64]bool{},
		nextUpdateID: 100001,
		chats:        map[int64]*Chat{},
		users:        map[int64]User{},
		msgs:         map[int64]map[int64]*storedMsg{},
		nextMsgID:    map[int64]int64{},
		threads:      map[int64]map[int64]bool{},
		members:      map[[2]int64]string{},
		sent:         map[int64][]Message{},
		commands:     map[commandKey][]BotCommand{},
		callbacks:    map[string]bool{},
		descriptions: map[descKey]string{},
		reactions:    map[[2]int64][]Reaction{},
		inlines:      map[string]bool{},
		nextQuery:    4_000_000_000_000_000_000,
	}
	for _, o := range opts {
		o(s)
	}
	s.client = &http.Client{Timeout: 30 * time.Second}
	return s
}

// Start listens on 127.0.0.1 on a free port and serves until Close.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("telegramtest: listen on 127.0.0.1: %w", err)
	}
	s.ln = ln
	s.baseURL = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.done.Add(2)
	go func() {
		defer s.done.Done()
		_ = s.httpSrv.Serve(ln)
	}()
	go func() {
		defer s.done.Done()
		s.webhookLoop()
	}()
	return nil
}

// URL is the base URL to give the bot as its API server (TELEGRAM_API_URL),
// e.g. "http://127.0.0.1:41234"; methods live at URL()+"/bot<token>/<method>".
func (s *Server) URL() string { return s.baseURL }

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// Bot is the bot's own user, as getMe returns it.
func (s *Server) Bot() User { return s.bot }

// Close stops the server; pending long polls return empty results.
func (s *Server) Close() {
	select {
	case <-s.closed:
		return
	default:
	}
	close(s.closed)
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.httpSrv.Shutdown(ctx)
		_ = s.httpSrv.Close()
	}
	s.done.Wait()
}

// broadcastLocked wakes everyone waiting for a change. Call with s.mu held.
func (s *Server) broadcastLocked() {
	close(s.notify)
	s.notify = make(chan struct{})
}

// apiError is a Telegram error answer.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func (e *apiError) Error() string { return e.description }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func forbidden(desc string) *apiError { return &apiError{code: 403, description: "Forbidden: " + desc} }

// sentMessage is a message the bot sent or edited, to be added to Sent
// together with the request's record.
type sentMessage struct{ Message }

// withDescription is a success that also carries a description, as
// setWebhook's {"ok":true,"result":true,"description":"Webhook was set"}.
type withDescription struct {
	result      any
	description string
}

type handler func(s *Server, ctx context.Context, p params) (any, error)

// methods are matched case-insensitively, as the Bot API does.
var methods = map[string]handler{
	"getme":                  (*Server).getMe,
	"getupdates":             (*Server).getUpdates,
	"setwebhook":             (*Server).setWebhook,
	"deletewebhook":          (*Server).deleteWebhook,
	"getwebhookinfo":         (*Server).getWebhookInfo,
	"sendmessage":            (*Server).sendMessage,
	"editmessagetext":        (*Server).editMessageText,
	"editmessagereplymarkup": (*Server).editMessageReplyMarkup,
	"deletemessage":          (*Server).deleteMessage,
	"answercallbackquery":    (*Server).answerCallbackQuery,
	"answerinlinequery":      (*Server).answerInlineQuery,
	"setmycommands":          (*Server).setMyCommands,
	"getmycommands":          (*Server).getMyCommands,
	"deletemycommands":       (*Server).deleteMyCommands,
	"getchatmember":          (*Server).getChatMember,
	"getchat":                (*Server).getChat,
	"sendchataction":         (*Server).sendChatAction,
	"setmessagereaction":     (*Server).setMessageReaction,
	"setmydescription":       (*Server).setMyDescription,
	"getmydescription":       (*Server).getMyDescription,
	"setmyshortdescription":  (*Server).setMyShortDescription,
	"getmyshortdescription":  (*Server).getMyShortDescription,
}

// ServeHTTP answers /bot<token>/<method> like the Bot API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.mu.Lock()
	s.reqSeq++
	seq := s.reqSeq
	s.mu.Unlock()

	rest, isBot := strings.CutPrefix(r.URL.Path, "/bot")
	var token, method string
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		token, method = rest[:i], rest[i+1:]
	}
	rec := Request{Seq: seq, Method: method, Time: start}
	p, perr := parseParams(r)
	rec.Params = p
	var (
		result any
		err    error
	)
	switch {
	case !isBot || method == "":
		err = &apiError{code: 404, description: "Not Found"}
	case token != s.token:
		err = &apiError{code: 401, description: "Unauthorized"}
	case perr != nil:
		err = badRequest("%v", perr)
	default:
		h, ok := methods[strings.ToLower(method)]
		if !ok {
			err = &apiError{code: 404, description: "Not Found"}
			break
		}
		if f := s.takeFault(method); f != nil {
			err = f
			break
		}
		result, err = h(s, r.Context(), p)
	}
	s.reply(w, &rec, result, err)
}

func (s *Server) reply(w http.ResponseWriter, rec *Request, result any, err error) {
	body := map[string]any{}
	status := http.StatusOK
	var sent *Message
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		status = ae.code
		body["ok"] = false
		body["error_code"] = ae.code
		body["description"] = ae.description
		if ae.retryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": ae.retryAfter}
		}
		rec.ErrorCode, rec.Description = ae.code, ae.description
	case err != nil:
		status = http.StatusInternalServerError
		body["ok"] = false
		body["error_code"] = status
		body["description"] = "Internal Server Error"
		rec.ErrorCode, rec.Description = status, err.Error()
	default:
		if sm, ok := result.(sentMessage); ok {
			result, sent = sm.Message, &sm.Message
		}
		if wd, ok := result.(withDescription); ok {
			result = wd.result
			body["description"] = wd.description
		}
		body["ok"] = true
		body["result"] = result
		raw, _ := json.Marshal(result)
		rec.Result = raw
	}
	rec.Status = status
	data, _ := json.Marshal(body)

	// Recorded before the answer is written, so a caller that got the
	// answer always finds its request in Requests and its message in Sent.
	s.mu.Lock()
	s.reqs = append(s.reqs, *rec)
	if sent != nil {
		s.sent[sent.Chat.ID] = append(s.sent[sent.Chat.ID], *sent)
	}
	s.broadcastLocked()
	s.mu.Unlock()
	if s.latency > 0 {
		select {
		case <-time.After(s.latency):
		case <-s.closed:
		}
	}

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// params are a request's parameters merged from the query string and the
// body (JSON, urlencoded form or multipart form).
type params map[string]any

func parseParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	if r.Body == nil {
		return p, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return p, fmt.Errorf("can't read request body: %w", err)
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(bytes.TrimSpace(body)) == 0:
	case ct == "application/json" || (ct == "" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))):
		trimmed := bytes.TrimSpace(body)
		if bytes.Equal(trimmed, []byte("null")) {
			break
		}
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return p, errors.New("can't parse JSON object")
		}
		for k, v := range obj {
			p[k] = v
		}
	case ct == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return p, errors.New("can't parse URL-encoded form")
		}
		for k, v := range vals {
			p[k] = v[0]
		}
	case ct == "multipart/form-data":
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.Header.Set("Content-Type", mime.FormatMediaType(ct, ctParams))
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return p, errors.New("can't parse multipart form")
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, f := range r.MultipartForm.File {
			p[k] = "<file " + f[0].Filename + ">"
		}
	}
	return p, nil
}

func paramString(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	default:
		b, _ := json.Marshal(x)
		return string(b), true
	}
}

func paramInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n, err == nil
	case float64:
		return int64(x), true
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

func paramBool(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(x, "true") || x == "1"
	case json.Number:
		return x.String() != "0"
	}
	return false
}

// paramObject decodes a JSON value that may arrive as itself or as a string
// holding its JSON serialization.
func paramObject(v any) (any, bool) {
	if str, ok := v.(string); ok {
		dec := json.NewDecoder(strings.NewReader(str))
		dec.UseNumber()
		var out any
		if err := dec.Decode(&out); err != nil {
			return nil, false
		}
		return out, true
	}
	return v, v != nil
}

func (p params) has(name string) bool {
	v, ok := p[name]
	return ok && v != nil
}

func (p params) str(name string) string { s, _ := paramString(p[name]); return s }

func (p params) int(name string) (int64, bool) { return paramInt(p[name]) }

func (p params) bool(name string) bool { return paramBool(p[name]) }

// FailNext makes the next n calls of method fail with code, without doing
// anything: 429 answers "Too Many Requests: retry after N" with
// parameters.retry_after, 500 "Internal Server Error", 502 "Bad Gateway",
// 403 "Forbidden: bot was blocked by the user", other codes their HTTP
// status text.
func (s *Server) FailNext(method string, n int, code int, retryAfter int) {
	e := faultFor(code, retryAfter)
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.faults[key] = append(s.faults[key], e)
	}
}

// outage is a method failing until a time.
type outage struct {
	err   apiError
	until time.Time
}

// FailFor makes every call of method fail for d from now, as FailNext
// does (a 429's retry_after is what it says, however long the outage).
func (s *Server) FailFor(method string, d time.Duration, code int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outages[strings.ToLower(method)] = outage{faultFor(code, retryAfter), time.Now().Add(d)}
}

func faultFor(code, retryAfter int) apiError {
	e := apiError{code: code, retryAfter: retryAfter}
	switch code {
	case 429:
		e.description = fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case 403:
		e.description = "Forbidden: bot was blocked by the user"
		e.retryAfter = 0
	case 400:
		e.description = "Bad Request"
		e.retryAfter = 0
	default:
		e.description = http.StatusText(code)
		e.retryAfter = 0
	}
	return e
}

func (s *Server) takeFault(method string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	if o, ok := s.outages[key]; ok {
		if time.Now().Before(o.until) {
			e := o.err
			return &e
		}
		delete(s.outages, key)
	}
	q := s.faults[key]
	if len(q) == 0 {
		return nil
	}
	e := q[0]
	s.faults[key] = q[1:]
	return &e
}

// Block makes every send, edit and chat action to chatID fail with 403, as
// when a user blocks the bot or a group removes it, until Unblock.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// Unblock undoes Block.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// SetMember sets what getChatMember answers for userID in chatID: "creator",
// "administrator", "member", "restricted", "left" or "kicked". The default
// is "member".
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, userID}] = status
}

// AddChat makes a chat known, so the bot can send to it before any update
// from it was pushed. The update builders add their chats themselves.
func (s *Server) AddChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addChatLocked(c)
}

func (s *Server) addChatLocked(c Chat) *Chat {
	if old, ok := s.chats[c.ID]; ok {
		if c.IsForum && !old.IsForum {
			old.IsForum, old.Type = true, "supergroup"
		}
		return old
	}
	cc := c
	s.chats[c.ID] = &cc
	return &cc
}

// Requests returns every completed request so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]Request(nil), s.reqs...)
	sort.Slice(out, func(a, b int) bool { return out[a].Seq < out[b].Seq })
	return out
}

// Sent returns the messages the bot successfully sent to or edited in
// chatID, in order; an edit appears as another entry with EditDate set.
func (s *Server) Sent(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent[chatID]...)
}

// Message returns the current state of a message in a chat.
func (s *Server) Message(chatID, messageID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm, ok := s.msgs[chatID][messageID]
	if !ok {
		return Message{}, false
	}
	return sm.msg, true
}

// Commands returns the command list set for a scope and language code.
func (s *Server) Commands(scope CommandScope, lang string) ([]BotCommand, bool) {
	if scope.Type == "" {
		scope.Type = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.commands[commandKey{scope, lang}]
	return append([]BotCommand(nil), c...), ok
}

// Deliveries returns every webhook delivery attempt so far.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// WaitFor returns the first completed request (already recorded or still to
// come) for which match is true, or ctx's error.
func (s *Server) WaitFor(ctx context.Context, match func(Request) bool) (Request, error) {
	seen := 0
	for {
		s.mu.Lock()
		reqs := s.reqs[seen:]
		seen = len(s.reqs)
		ch := s.notify
		s.mu.Unlock()
		for _, r := range reqs {
			if match(r) {
				return r, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Request{}, fmt.Errorf("telegramtest: no matching request: %w", ctx.Err())
		case <-s.closed:
			return Request{}, errors.New("telegramtest: server closed while waiting for a request")
		}
	}
}

// WaitSent waits until at least n messages were sent to (or edited in)
// chatID and returns them all.
func (s *Server) WaitSent(ctx context.Context, chatID int64, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		got := append([]Message(nil), s.sent[chatID]...)
		ch := s.notify
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return got, fmt.Errorf("telegramtest: %d of %d messages sent to chat %d: %w", len(got), n, chatID, ctx.Err())
		case <-s.closed:
			return got, errors.New("telegramtest: server closed while waiting for messages")
		}
	}
}
