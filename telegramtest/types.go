package telegramtest

import (
	"encoding/json"
	"time"
)

// User is a Telegram user or bot, as it appears in updates and results.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a Telegram chat. Type is "private", "group", "supergroup" or
// "channel".
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// MessageEntity marks a span of a message's text. Offset and Length are in
// UTF-16 code units, as Telegram counts them.
type MessageEntity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	User          *User  `json:"user,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// Sticker is a sticker message's sticker.
type Sticker struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	IsAnimated   bool   `json:"is_animated"`
	IsVideo      bool   `json:"is_video"`
	Emoji        string `json:"emoji,omitempty"`
}

// Message is a Telegram message: one a user sent (inside an Update) or one
// the bot sent (the result of sendMessage or editMessageText).
type Message struct {
	MessageID       int64           `json:"message_id"`
	MessageThreadID int64           `json:"message_thread_id,omitempty"`
	From            *User           `json:"from,omitempty"`
	SenderChat      *Chat           `json:"sender_chat,omitempty"`
	Date            int64           `json:"date"`
	Chat            Chat            `json:"chat"`
	IsTopicMessage  bool            `json:"is_topic_message,omitempty"`
	ReplyToMessage  *Message        `json:"reply_to_message,omitempty"`
	EditDate        int64           `json:"edit_date,omitempty"`
	Text            string          `json:"text,omitempty"`
	Entities        []MessageEntity `json:"entities,omitempty"`
	Caption         string          `json:"caption,omitempty"`
	CaptionEntities []MessageEntity `json:"caption_entities,omitempty"`
	Photo           []PhotoSize     `json:"photo,omitempty"`
	Sticker         *Sticker        `json:"sticker,omitempty"`
	ReplyMarkup     json.RawMessage `json:"reply_markup,omitempty"`
}

// CallbackQuery is a press on an inline keyboard button.
type CallbackQuery struct {
	ID              string   `json:"id"`
	From            User     `json:"from"`
	Message         *Message `json:"message,omitempty"`
	InlineMessageID string   `json:"inline_message_id,omitempty"`
	ChatInstance    string   `json:"chat_instance"`
	Data            string   `json:"data,omitempty"`
}

// InlineQuery is an "@bot query" typed in any chat.
type InlineQuery struct {
	ID       string `json:"id"`
	From     User   `json:"from"`
	Query    string `json:"query"`
	Offset   string `json:"offset"`
	ChatType string `json:"chat_type,omitempty"`
}

// Update is one incoming update. Exactly one of the optional fields is set.
// UpdateID is assigned by PushUpdate.
type Update struct {
	UpdateID          int64          `json:"update_id"`
	Message           *Message       `json:"message,omitempty"`
	EditedMessage     *Message       `json:"edited_message,omitempty"`
	ChannelPost       *Message       `json:"channel_post,omitempty"`
	EditedChannelPost *Message       `json:"edited_channel_post,omitempty"`
	InlineQuery       *InlineQuery   `json:"inline_query,omitempty"`
	CallbackQuery     *CallbackQuery `json:"callback_query,omitempty"`
	// MyChatMember is a change of the bot's own membership in a chat
	// (added to a group, made an administrator, removed, blocked).
	MyChatMember *ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

// ChatMember is a user's membership in a chat: Status is "creator",
// "administrator", "member", "restricted", "left" or "kicked".
type ChatMember struct {
	Status string `json:"status"`
	User   User   `json:"user"`
}

// ChatMemberUpdated is a change of a member's status in a chat, made by
// From.
type ChatMemberUpdated struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandScope names the scope a command list was set for; the zero value
// is the "default" scope.
type CommandScope struct {
	Type   string `json:"type"`
	ChatID int64  `json:"chat_id,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
}

// Request is one recorded call to the API, in arrival order.
type Request struct {
	Seq    int            // 1-based arrival order
	Method string         // as the client spelled it in the URL
	Params map[string]any // query, form and JSON fields merged; JSON numbers are json.Number
	Time   time.Time
	// Status is the HTTP status returned; ErrorCode and Description are set
	// when the answer was {"ok":false}.
	Status      int
	ErrorCode   int
	Description string
	Result      json.RawMessage // the "result" of a successful call
}

// OK reports whether the call succeeded.
func (r Request) OK() bool { return r.ErrorCode == 0 }

// String returns parameter name as a string ("" when absent).
func (r Request) String(name string) string {
	s, _ := paramString(r.Params[name])
	return s
}

// Int returns parameter name as an integer (0 when absent or not a number).
func (r Request) Int(name string) int64 {
	n, _ := paramInt(r.Params[name])
	return n
}

// Object returns parameter name decoded from JSON, whether it arrived as a
// JSON value or as a JSON-serialized string (as telebot and form posts send
// reply_markup).
func (r Request) Object(name string) any {
	v, _ := paramObject(r.Params[name])
	return v
}

// Delivery is one attempt to deliver an update to the webhook.
type Delivery struct {
	UpdateID int64
	Attempt  int    // 1 for the first try
	Status   int    // HTTP status the bot answered, 0 when the request failed
	Err      string // transport error, if any
	Secret   string // the X-Telegram-Bot-Api-Secret-Token header sent
	Time     time.Time
}
