package telegramtest

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
)

// The bot's profile, reactions and the other methods the bot uses to look
// right in a chat: setMyDescription and setMyShortDescription (what an
// empty chat with the bot shows), setMessageReaction, and the checks of
// ForceReply markup and of answerInlineQuery's button.

const (
	maxDescription      = 512
	maxShortDescription = 120
	maxPlaceholder      = 64
)

type descKind int

const (
	longDesc descKind = iota
	shortDesc
)

// Description returns the bot's description (short: the short
// description) for a language code ("" for the default), as the bot last
// set it, and whether one is set.
func (s *Server) Description(lang string, short bool) (string, bool) {
	k := longDesc
	if short {
		k = shortDesc
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.descriptions[descKey{k, lang}]
	return d, ok
}

type descKey struct {
	kind descKind
	lang string
}

func (s *Server) setMyDescription(ctx context.Context, p params) (any, error) {
	return s.setDescription(p, longDesc, "description", maxDescription)
}

func (s *Server) setMyShortDescription(ctx context.Context, p params) (any, error) {
	return s.setDescription(p, shortDesc, "short_description", maxShortDescription)
}

func (s *Server) setDescription(p params, k descKind, field string, limit int) (any, error) {
	lang, err := commandLang(p)
	if err != nil {
		return nil, err
	}
	text := p.str(field)
	if utf16Len(text) > limit {
		if k == shortDesc {
			return nil, badRequest("SHORT_DESCRIPTION_TOO_LONG")
		}
		return nil, badRequest("DESCRIPTION_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if text == "" {
		// An empty string removes the language's own description.
		delete(s.descriptions, descKey{k, lang})
	} else {
		s.descriptions[descKey{k, lang}] = text
	}
	return true, nil
}

func (s *Server) getMyDescription(ctx context.Context, p params) (any, error) {
	return s.getDescription(p, longDesc, "description")
}

func (s *Server) getMyShortDescription(ctx context.Context, p params) (any, error) {
	return s.getDescription(p, shortDesc, "short_description")
}

// getDescription answers as Telegram does: the language's own
// description, else the default one, else "".
func (s *Server) getDescription(p params, k descKind, field string) (any, error) {
	lang, err := commandLang(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.descriptions[descKey{k, lang}]
	if !ok {
		d = s.descriptions[descKey{k, ""}]
	}
	return map[string]string{field: d}, nil
}

// reactionEmoji are the emoji a ReactionTypeEmoji may carry.
var reactionEmoji = map[string]bool{}

func init() {
	for _, e := range strings.Fields("👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡") {
		reactionEmoji[e] = true
	}
}

// Reaction is a reaction the bot set on a message.
type Reaction struct {
	Type          string `json:"type"` // "emoji" or "custom_emoji"
	Emoji         string `json:"emoji,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// Reactions returns the reactions the bot has set on a message (none
// when it set none or removed them).
func (s *Server) Reactions(chatID, messageID int64) []Reaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Reaction(nil), s.reactions[[2]int64{chatID, messageID}]...)
}

func (s *Server) setMessageReaction(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	id, ok := p.int("message_id")
	if !ok || id <= 0 {
		return nil, badRequest("message identifier is not specified")
	}
	var list []Reaction
	if p.has("reaction") {
		v, ok := paramObject(p["reaction"])
		data, _ := json.Marshal(v)
		if !ok || json.Unmarshal(data, &list) != nil {
			return nil, badRequest("can't parse reaction types JSON object")
		}
	}
	// Bots, like users without Telegram Premium, set one reaction at most.
	if len(list) > 1 {
		return nil, badRequest("REACTIONS_TOO_MANY")
	}
	for _, r := range list {
		switch r.Type {
		case "emoji":
			if !reactionEmoji[r.Emoji] {
				return nil, badRequest("REACTION_INVALID")
			}
		case "custom_emoji":
			if r.CustomEmojiID == "" {
				return nil, badRequest("REACTION_INVALID")
			}
		case "paid":
			return nil, badRequest("REACTION_INVALID")
		default:
			return nil, badRequest("can't parse reaction types JSON object: unsupported type \"%s\"", r.Type)
		}
	}
	if err := s.blockedLocked(chat); err != nil {
		return nil, err
	}
	if _, ok := s.msgs[chat.ID][id]; !ok {
		return nil, badRequest("MESSAGE_ID_INVALID")
	}
	if len(list) == 0 {
		delete(s.reactions, [2]int64{chat.ID, id})
	} else {
		s.reactions[[2]int64{chat.ID, id}] = list
	}
	return true, nil
}

// checkForceReply validates a ForceReply reply_markup.
func checkForceReply(m map[string]any) error {
	if v, _ := m["force_reply"].(bool); !v {
		return badRequest("can't parse reply keyboard markup JSON object: Field \"force_reply\" must be true")
	}
	if v, ok := m["input_field_placeholder"]; ok && v != nil {
		ph, ok := v.(string)
		if !ok {
			return badRequest("can't parse reply keyboard markup JSON object: Field \"input_field_placeholder\" must be of type String")
		}
		if n := utf16Len(ph); n < 1 || n > maxPlaceholder {
			return badRequest("PLACEHOLDER_INVALID")
		}
	}
	if v, ok := m["selective"]; ok && v != nil {
		if _, ok := v.(bool); !ok {
			return badRequest("can't parse reply keyboard markup JSON object: Field \"selective\" must be of type Boolean")
		}
	}
	return nil
}

var startParamRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// checkResultsButton validates answerInlineQuery's button, an
// InlineQueryResultsButton: a label and exactly one of web_app and
// start_parameter.
func checkResultsButton(v any) error {
	obj, ok := paramObject(v)
	b, isMap := obj.(map[string]any)
	if !ok || !isMap {
		return badRequest("can't parse inline query results button JSON object")
	}
	text, ok := b["text"].(string)
	if !ok || strings.TrimSpace(text) == "" {
		return badRequest("BUTTON_TEXT_INVALID")
	}
	_, hasApp := b["web_app"].(map[string]any)
	param, hasParam := b["start_parameter"].(string)
	switch {
	case hasApp && hasParam, !hasApp && !hasParam:
		return badRequest("can't parse inline query results button: exactly one of web_app and start_parameter must be used")
	case hasParam && !startParamRe.MatchString(param):
		return badRequest("START_PARAM_INVALID")
	}
	return nil
}
