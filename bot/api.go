package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"
)

// api is the one client of the Bot API: every call the bot makes goes
// through it (telebot only routes what comes in). Its calls take a context,
// so the intake and shutdown decide how long each may take, and its errors
// never contain the token: a failed request names the method and the
// cause, an answer that is not ok is an *APIError.
type api struct {
	base   string // APIURL + "/bot" + token: never printed
	token  string // to scrub from causes that might quote a URL
	client *http.Client
}

func newAPI(apiURL, token string, client *http.Client) *api {
	return &api{base: strings.TrimRight(apiURL, "/") + "/bot" + token, token: token, client: client}
}

// APIError is an answer of the Bot API that is not ok: the method called,
// Telegram's error_code (an HTTP status: 400, 403, 409, 429, 5xx …) and
// description, and for 429 how long to wait before trying again.
type APIError struct {
	Method      string
	Code        int
	Description string
	RetryAfter  time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %s (%d)", e.Method, e.Description, e.Code)
}

// requestError is a Bot API call that got no answer: the connection was
// refused or dropped, it timed out, or it was canceled. Go's HTTP client
// says this in a *url.Error that quotes the request URL, whose path holds
// the token; requestError keeps the method, the operation and the cause
// instead. Unwrap gives the cause, so errors.Is(err, context.Canceled) and
// errors.As(err, &netErr) work as they would on the *url.Error.
type requestError struct {
	method string
	op     string // "Post"
	msg    string // the cause's text, the token scrubbed from it
	err    error
}

func (e *requestError) Error() string {
	return fmt.Sprintf("telegram %s: %s failed: %s", e.method, e.op, e.msg)
}

func (e *requestError) Unwrap() error { return e.err }

// Timeout reports whether the cause was a timeout, as net.Error does.
func (e *requestError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// Temporary reports what the cause reports, as net.Error does.
func (e *requestError) Temporary() bool {
	var t interface{ Temporary() bool }
	return errors.As(e.err, &t) && t.Temporary()
}

// requestFailed rebuilds an error of http.Client.Do without its URL.
func (a *api) requestFailed(method string, err error) error {
	op := "request"
	for {
		var ue *url.Error
		if !errors.As(err, &ue) {
			break
		}
		op, err = ue.Op, ue.Err
	}
	return &requestError{method: method, op: op, msg: a.scrub(err.Error()), err: err}
}

// scrub removes the token, and its secret half on its own, from s.
func (a *api) scrub(s string) string {
	if a.token == "" {
		return s
	}
	s = strings.ReplaceAll(s, a.token, "<token>")
	if _, secret, ok := strings.Cut(a.token, ":"); ok && secret != "" {
		s = strings.ReplaceAll(s, secret, "<token>")
	}
	return s
}

// answer is the Bot API's envelope around every result.
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts params as JSON to method and decodes the result into result
// (when not nil).
func (a *api) call(ctx context.Context, method string, params, result any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("telegram %s: encoding the request: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/"+method, bytes.NewReader(body))
	if err != nil {
		// Only a malformed TELEGRAM_API_URL gets here; the error would
		// quote the URL, token and all.
		return fmt.Errorf("telegram %s: TELEGRAM_API_URL is not a valid URL", method)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return a.requestFailed(method, err)
	}
	defer resp.Body.Close()
	var r answer
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&r); err != nil {
		if ctx.Err() != nil {
			return a.requestFailed(method, ctx.Err())
		}
		return fmt.Errorf("telegram %s: %s: unreadable answer: %s", method, resp.Status, a.scrub(err.Error()))
	}
	if !r.OK {
		code := r.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		return &APIError{Method: method, Code: code, Description: r.Description, RetryAfter: time.Duration(r.Parameters.RetryAfter) * time.Second}
	}
	if result != nil {
		if err := json.Unmarshal(r.Result, result); err != nil {
			return fmt.Errorf("telegram %s: unexpected result: %w", method, err)
		}
	}
	return nil
}

// getMe returns the bot's own user: it checks the token.
func (a *api) getMe(ctx context.Context) (*tele.User, error) {
	var me tele.User
	if err := a.call(ctx, "getMe", struct{}{}, &me); err != nil {
		return nil, err
	}
	return &me, nil
}

type getUpdatesParams struct {
	Offset         int      `json:"offset"`
	Timeout        int      `json:"timeout"`
	Limit          int      `json:"limit"`
	AllowedUpdates []string `json:"allowed_updates,omitempty"`
}

// getUpdatesRaw returns each update as Telegram sent it.
func (a *api) getUpdatesRaw(ctx context.Context, p getUpdatesParams) ([]json.RawMessage, error) {
	var updates []json.RawMessage
	err := a.call(ctx, "getUpdates", p, &updates)
	return updates, err
}

func (a *api) deleteWebhook(ctx context.Context, dropPending bool) error {
	return a.call(ctx, "deleteWebhook", map[string]bool{"drop_pending_updates": dropPending}, nil)
}

type setWebhookParams struct {
	URL            string   `json:"url"`
	SecretToken    string   `json:"secret_token,omitempty"`
	AllowedUpdates []string `json:"allowed_updates,omitempty"`
}

func (a *api) setWebhook(ctx context.Context, p setWebhookParams) error {
	return a.call(ctx, "setWebhook", p, nil)
}

// keyboard is a message's reply_markup: an inline keyboard, spelled as
// the Bot API's InlineKeyboardMarkup (telebot's own InlineButton adds an
// empty switch_inline_query_current_chat to every button), or, with
// ForceReply set, a ForceReply: the user's app opens a reply to the
// message, with Placeholder in the input field, for the users the message
// replies to or mentions only when Selective.
type keyboard struct {
	InlineKeyboard [][]button `json:"inline_keyboard,omitempty"`
	ForceReply     bool       `json:"force_reply,omitempty"`
	Placeholder    string     `json:"input_field_placeholder,omitempty"`
	Selective      bool       `json:"selective,omitempty"`
}

// button is an InlineKeyboardButton with exactly one action: callback
// data, a URL, or inline mode started in the current chat with a query
// (a pointer, since the empty query is one).
type button struct {
	Text         string  `json:"text"`
	CallbackData string  `json:"callback_data,omitempty"`
	URL          string  `json:"url,omitempty"`
	InlineQuery  *string `json:"switch_inline_query_current_chat,omitempty"`
}

type linkPreviewOptions struct {
	IsDisabled bool `json:"is_disabled"`
}

type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
}

type sendMessageParams struct {
	ChatID             int64               `json:"chat_id"`
	MessageThreadID    int                 `json:"message_thread_id,omitempty"`
	Text               string              `json:"text"`
	ParseMode          string              `json:"parse_mode,omitempty"`
	LinkPreviewOptions *linkPreviewOptions `json:"link_preview_options,omitempty"`
	// DisableNotification sends the message silently: a daily post is
	// no reason to ring every member's phone.
	DisableNotification bool             `json:"disable_notification,omitempty"`
	ReplyParameters     *replyParameters `json:"reply_parameters,omitempty"`
	ReplyMarkup         *keyboard        `json:"reply_markup,omitempty"`
}

// sendMessage sends a message and returns its ID; the rest of the message
// Telegram echoes back (our text, again) is not decoded.
func (a *api) sendMessage(ctx context.Context, p *sendMessageParams) (int, error) {
	var sent struct {
		MessageID int `json:"message_id"`
	}
	err := a.call(ctx, "sendMessage", p, &sent)
	return sent.MessageID, err
}

type editReplyMarkupParams struct {
	ChatID      int64     `json:"chat_id"`
	MessageID   int       `json:"message_id"`
	ReplyMarkup *keyboard `json:"reply_markup,omitempty"` // nil removes the keyboard
}

func (a *api) editMessageReplyMarkup(ctx context.Context, p editReplyMarkupParams) error {
	return a.call(ctx, "editMessageReplyMarkup", p, nil)
}

type editMessageTextParams struct {
	ChatID             int64               `json:"chat_id"`
	MessageID          int                 `json:"message_id"`
	Text               string              `json:"text"`
	ParseMode          string              `json:"parse_mode,omitempty"`
	LinkPreviewOptions *linkPreviewOptions `json:"link_preview_options,omitempty"`
	ReplyMarkup        *keyboard           `json:"reply_markup,omitempty"` // nil removes the keyboard
}

// editMessageText replaces the text (and keyboard) of one of the bot's
// messages.
func (a *api) editMessageText(ctx context.Context, p *editMessageTextParams) error {
	return a.call(ctx, "editMessageText", p, nil)
}

// deleteMessage deletes one of the bot's messages.
func (a *api) deleteMessage(ctx context.Context, chatID int64, messageID int) error {
	return a.call(ctx, "deleteMessage", map[string]int64{"chat_id": chatID, "message_id": int64(messageID)}, nil)
}

type reactionType struct {
	Type  string `json:"type"` // "emoji"
	Emoji string `json:"emoji"`
}

type setReactionParams struct {
	ChatID    int64          `json:"chat_id"`
	MessageID int            `json:"message_id"`
	Reaction  []reactionType `json:"reaction"`
}

// setMessageReaction sets the bot's reaction on a message to emoji (one
// of Telegram's reaction emoji), or removes it for "".
func (a *api) setMessageReaction(ctx context.Context, chatID int64, messageID int, emoji string) error {
	p := setReactionParams{ChatID: chatID, MessageID: messageID, Reaction: []reactionType{}}
	if emoji != "" {
		p.Reaction = append(p.Reaction, reactionType{Type: "emoji", Emoji: emoji})
	}
	return a.call(ctx, "setMessageReaction", p, nil)
}

// notModified reports whether err is Telegram refusing an edit that would
// change nothing.
func notModified(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == http.StatusBadRequest && strings.Contains(ae.Description, "message is not modified")
}

type answerCallbackParams struct {
	CallbackQueryID string `json:"callback_query_id"`
	Text            string `json:"text,omitempty"`
}

func (a *api) answerCallbackQuery(ctx context.Context, p answerCallbackParams) error {
	return a.call(ctx, "answerCallbackQuery", p, nil)
}

// article is an InlineQueryResultArticle whose message is HTML text.
type article struct {
	Type        string      `json:"type"` // "article"
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Content     textContent `json:"input_message_content"`
	ReplyMarkup *keyboard   `json:"reply_markup,omitempty"` // inline keyboards only
}

// resultsButton is an InlineQueryResultsButton that opens a private chat
// with the bot and sends it /start StartParameter.
type resultsButton struct {
	Text           string `json:"text"`
	StartParameter string `json:"start_parameter"`
}

type textContent struct {
	MessageText        string              `json:"message_text"`
	ParseMode          string              `json:"parse_mode,omitempty"`
	LinkPreviewOptions *linkPreviewOptions `json:"link_preview_options,omitempty"`
}

type answerInlineParams struct {
	InlineQueryID string         `json:"inline_query_id"`
	Results       []article      `json:"results"`
	CacheTime     int            `json:"cache_time,omitempty"`
	NextOffset    string         `json:"next_offset"`
	Button        *resultsButton `json:"button,omitempty"`
}

func (a *api) answerInlineQuery(ctx context.Context, p answerInlineParams) error {
	return a.call(ctx, "answerInlineQuery", p, nil)
}

// getChatMember returns a member's status in a chat: "creator",
// "administrator", "member", "restricted", "left" or "kicked".
func (a *api) getChatMember(ctx context.Context, chatID, userID int64) (tele.MemberStatus, error) {
	var m struct {
		Status tele.MemberStatus `json:"status"`
	}
	err := a.call(ctx, "getChatMember", map[string]int64{"chat_id": chatID, "user_id": userID}, &m)
	return m.Status, err
}

type setMyCommandsParams struct {
	Commands     []tele.Command    `json:"commands"`
	Scope        tele.CommandScope `json:"scope"`
	LanguageCode string            `json:"language_code,omitempty"`
}

func (a *api) setMyCommands(ctx context.Context, p setMyCommandsParams) error {
	return a.call(ctx, "setMyCommands", p, nil)
}

func (a *api) getMyCommands(ctx context.Context, scope tele.CommandScope, lang string) ([]tele.Command, error) {
	var cmds []tele.Command
	err := a.call(ctx, "getMyCommands", setMyCommandsParams{Scope: scope, LanguageCode: lang}, &cmds)
	return cmds, err
}

// description is what a chat with the bot shows before it starts: the
// description in an empty chat (up to 512 characters), the short one on
// the bot's profile and when the bot is shared (up to 120).
type description struct {
	Short bool
	Text  string
	Lang  string // two letters; "" for users of any other language
}

func (d description) method(verb string) (method, field string) {
	if d.Short {
		return verb + "MyShortDescription", "short_description"
	}
	return verb + "MyDescription", "description"
}

// getMyDescription returns the bot's (short) description for d.Lang.
func (a *api) getMyDescription(ctx context.Context, d description) (string, error) {
	method, field := d.method("get")
	var got map[string]string
	params := map[string]string{}
	if d.Lang != "" {
		params["language_code"] = d.Lang
	}
	err := a.call(ctx, method, params, &got)
	return got[field], err
}

// setMyDescription sets the bot's (short) description for d.Lang.
func (a *api) setMyDescription(ctx context.Context, d description) error {
	method, field := d.method("set")
	params := map[string]string{field: d.Text}
	if d.Lang != "" {
		params["language_code"] = d.Lang
	}
	return a.call(ctx, method, params, nil)
}
