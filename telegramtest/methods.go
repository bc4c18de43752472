package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

const maxTextLen = 4096

// chatLocked resolves the chat_id parameter.
func (s *Server) chatLocked(p params) (*Chat, error) {
	if !p.has("chat_id") || p.str("chat_id") == "" {
		return nil, badRequest("chat_id is empty")
	}
	raw := p.str("chat_id")
	if id, ok := p.int("chat_id"); ok {
		if c, ok := s.chats[id]; ok {
			return c, nil
		}
		return nil, badRequest("chat not found")
	}
	if name, ok := strings.CutPrefix(raw, "@"); ok {
		for _, c := range s.chats {
			if c.Username != "" && strings.EqualFold(c.Username, name) {
				return c, nil
			}
		}
	}
	return nil, badRequest("chat not found")
}

func (s *Server) blockedLocked(c *Chat) error {
	if !s.blocked[c.ID] {
		return nil
	}
	switch c.Type {
	case "private":
		return forbidden("bot was blocked by the user")
	case "group":
		return forbidden("bot was kicked from the group chat")
	case "supergroup":
		return forbidden("bot was kicked from the supergroup chat")
	default:
		return forbidden("bot is not a member of the channel chat")
	}
}

// formatText applies parse_mode (or explicit entities) to a text parameter
// and enforces Telegram's limits on the result.
func formatText(p params, textField, modeField, entitiesField string) (string, []MessageEntity, error) {
	text := p.str(textField)
	if !utf8.ValidString(text) {
		return "", nil, badRequest("text must be encoded in UTF-8")
	}
	var ents []MessageEntity
	switch mode := strings.ToLower(p.str(modeField)); mode {
	case "":
		if p.has(entitiesField) {
			v, ok := paramObject(p[entitiesField])
			data, _ := json.Marshal(v)
			if !ok || json.Unmarshal(data, &ents) != nil {
				return "", nil, badRequest("can't parse entities JSON object")
			}
			total := utf16Len(text)
			for _, e := range ents {
				if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > total {
					return "", nil, badRequest("entity beginning or end is out of the text")
				}
			}
		}
		text, ents = trimText(text, ents)
	case "html":
		t, e, err := parseHTML(text)
		if err != nil {
			return "", nil, badRequest("can't parse entities: %v", err)
		}
		text, ents = t, e
	case "markdown", "markdownv2":
		// Not validated: reportbot sends HTML. Kept as plain text.
		text, _ = trimText(text, nil)
	default:
		return "", nil, badRequest("unsupported parse_mode")
	}
	if text == "" {
		return "", nil, badRequest("message text is empty")
	}
	if utf16Len(text) > maxTextLen {
		return "", nil, badRequest("message is too long")
	}
	if len(ents) == 0 {
		ents = nil
	}
	return text, ents, nil
}

var inlineActions = []string{"url", "callback_data", "callback_game", "pay", "switch_inline_query",
	"switch_inline_query_chosen_chat", "switch_inline_query_current_chat", "login_url", "web_app", "copy_text"}

// parseMarkup validates a reply_markup value. It returns the inline
// keyboard as Telegram echoes it in the sent message (nil for other
// keyboards, which messages do not carry).
func parseMarkup(v any, present bool) (json.RawMessage, error) {
	if !present {
		return nil, nil
	}
	obj, ok := paramObject(v)
	m, isMap := obj.(map[string]any)
	if !ok || !isMap {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	rowsV, hasInline := m["inline_keyboard"]
	if !hasInline {
		if _, ok := m["force_reply"]; ok {
			return nil, checkForceReply(m)
		}
		if kb, ok := m["keyboard"]; ok {
			if _, ok := kb.([]any); !ok {
				return nil, badRequest("Field \"keyboard\" of the ReplyKeyboardMarkup must be an Array")
			}
		}
		return nil, nil
	}
	rows, ok := rowsV.([]any)
	if !ok {
		return nil, badRequest("can't parse inline keyboard button: Field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
	}
	clean := make([][]map[string]any, 0, len(rows))
	for _, rowV := range rows {
		row, ok := rowV.([]any)
		if !ok {
			return nil, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Array")
		}
		var cleanRow []map[string]any
		for _, bV := range row {
			b, ok := bV.(map[string]any)
			if !ok {
				return nil, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
			}
			text, ok := b["text"].(string)
			if !ok {
				return nil, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
			}
			if strings.TrimSpace(text) == "" {
				return nil, badRequest("BUTTON_TEXT_INVALID")
			}
			var present []string
			for _, a := range inlineActions {
				if v, ok := b[a]; ok && v != nil {
					present = append(present, a)
				}
			}
			if len(present) > 1 {
				// telebot always sends "switch_inline_query_current_chat":"";
				// an empty one beside a real action is not a second action.
				var real []string
				for _, a := range present {
					if str, ok := b[a].(string); ok && str == "" && strings.HasPrefix(a, "switch_inline_query") {
						continue
					}
					real = append(real, a)
				}
				present = real
			}
			switch len(present) {
			case 0:
				return nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			case 1:
			default:
				return nil, badRequest("can't parse inline keyboard button: exactly one of %s must be used, found %s", strings.Join(inlineActions, ", "), strings.Join(present, " and "))
			}
			action := present[0]
			out := map[string]any{"text": text}
			switch action {
			case "callback_data":
				data, ok := b["callback_data"].(string)
				if !ok {
					return nil, badRequest("can't parse inline keyboard button: Field \"callback_data\" must be of type String")
				}
				if len(data) == 0 || len(data) > 64 {
					return nil, badRequest("BUTTON_DATA_INVALID")
				}
				out[action] = data
			case "url":
				raw, _ := b["url"].(string)
				u, err := url.Parse(raw)
				if err != nil || raw == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") || (u.Scheme != "tg" && u.Host == "") {
					return nil, badRequest("BUTTON_URL_INVALID")
				}
				out[action] = raw
			default:
				out[action] = b[action]
			}
			cleanRow = append(cleanRow, out)
		}
		clean = append(clean, cleanRow)
	}
	data, _ := json.Marshal(map[string]any{"inline_keyboard": clean})
	return data, nil
}

// parseInlineMarkup validates the reply_markup of an edit or an inline
// result, which may only be an inline keyboard.
func parseInlineMarkup(v any, present bool) (json.RawMessage, error) {
	if !present {
		return nil, nil
	}
	if obj, _ := paramObject(v); obj != nil {
		if m, ok := obj.(map[string]any); ok && m["inline_keyboard"] == nil {
			return nil, badRequest("can't parse inline keyboard markup JSON object: Field \"inline_keyboard\" must be of type Array")
		}
	}
	return parseMarkup(v, present)
}

// replyTarget resolves reply_parameters or reply_to_message_id.
func (s *Server) replyTargetLocked(p params, chat *Chat, thread int64) (*Message, error) {
	var (
		id    int64
		allow = p.bool("allow_sending_without_reply")
		in    = chat
	)
	if p.has("reply_parameters") {
		v, _ := paramObject(p["reply_parameters"])
		rp, ok := v.(map[string]any)
		if !ok {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
		id, _ = paramInt(rp["message_id"])
		if id == 0 {
			return nil, badRequest("can't parse reply parameters JSON object: Field \"message_id\" must be a valid Number")
		}
		allow = paramBool(rp["allow_sending_without_reply"])
		if rp["chat_id"] != nil {
			other, err := s.chatLocked(params{"chat_id": rp["chat_id"]})
			if err != nil {
				return nil, err
			}
			in = other
		}
	} else if n, ok := p.int("reply_to_message_id"); ok {
		id = n
	}
	if id == 0 {
		return nil, nil
	}
	sm, ok := s.msgs[in.ID][id]
	if ok && chat.IsForum && thread != 0 && sm.msg.MessageThreadID != thread {
		ok = false // Telegram looks the message up within the topic
	}
	if !ok {
		if allow {
			return nil, nil
		}
		return nil, badRequest("message to be replied not found")
	}
	return shallow(&sm.msg), nil
}

func (s *Server) threadLocked(p params, chat *Chat) (int64, error) {
	thread, _ := p.int("message_thread_id")
	if thread == 0 {
		return 0, nil
	}
	if chat.IsForum {
		if !s.threads[chat.ID][thread] && thread != 1 {
			return 0, badRequest("message thread not found")
		}
		return thread, nil
	}
	if _, ok := s.msgs[chat.ID][thread]; !ok {
		return 0, badRequest("message thread not found")
	}
	return thread, nil
}

func checkLinkPreview(p params) error {
	if !p.has("link_preview_options") {
		return nil
	}
	v, ok := paramObject(p["link_preview_options"])
	if _, isMap := v.(map[string]any); !ok || !isMap {
		return badRequest("can't parse link preview options JSON object")
	}
	return nil
}

// messageContent checks what sendMessage and editMessageText both carry:
// the keyboard, link preview options and the formatted text.
func messageContent(p params, edit bool) (text string, ents []MessageEntity, markup json.RawMessage, err error) {
	parse := parseMarkup
	if edit {
		parse = parseInlineMarkup
	}
	if markup, err = parse(p["reply_markup"], p.has("reply_markup")); err != nil {
		return "", nil, nil, err
	}
	if err = checkLinkPreview(p); err != nil {
		return "", nil, nil, err
	}
	if !p.has("text") {
		return "", nil, nil, badRequest("message text is empty")
	}
	text, ents, err = formatText(p, "text", "parse_mode", "entities")
	return text, ents, markup, err
}

func (s *Server) sendMessage(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	text, ents, markup, err := messageContent(p, false)
	if err != nil {
		return nil, err
	}
	if p.has("disable_notification") {
		if _, ok := p["disable_notification"].(bool); !ok && !isBoolString(p["disable_notification"]) {
			return nil, badRequest("can't parse disable_notification: Field must be of type Boolean")
		}
	}
	if err := s.blockedLocked(chat); err != nil {
		return nil, err
	}
	thread, err := s.threadLocked(p, chat)
	if err != nil {
		return nil, err
	}
	reply, err := s.replyTargetLocked(p, chat, thread)
	if err != nil {
		return nil, err
	}
	if thread == 0 && reply != nil && chat.IsForum && reply.MessageThreadID != 0 {
		thread = reply.MessageThreadID // a reply stays in its topic
	}
	bot := s.bot
	m := Message{
		MessageID:      s.newMessageIDLocked(chat.ID),
		From:           &bot,
		Date:           time.Now().Unix(),
		Chat:           *chat,
		ReplyToMessage: reply,
		Text:           text,
		Entities:       ents,
		ReplyMarkup:    markup,
	}
	if thread != 0 {
		m.MessageThreadID = thread
		m.IsTopicMessage = chat.IsForum
	}
	s.storeLocked(m, true)
	return sentMessage{m}, nil
}

// editTargetLocked finds the bot's message named by chat_id and message_id.
func (s *Server) editTargetLocked(p params) (*storedMsg, error) {
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	id, ok := p.int("message_id")
	if !ok || id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	if err := s.blockedLocked(chat); err != nil {
		return nil, err
	}
	sm, ok := s.msgs[chat.ID][id]
	if !ok {
		return nil, badRequest("message to edit not found")
	}
	if !sm.fromBot {
		return nil, badRequest("message can't be edited")
	}
	return sm, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	text, ents, markup, err := messageContent(p, true)
	if err != nil {
		return nil, err
	}
	if p.str("inline_message_id") != "" && !p.has("chat_id") {
		return true, nil // messages sent via inline mode are not tracked
	}
	sm, err := s.editTargetLocked(p)
	if err != nil {
		return nil, err
	}
	if sm.msg.Text == "" {
		return nil, badRequest("there is no text in the message to edit")
	}
	oldEnts, _ := json.Marshal(sm.msg.Entities)
	newEnts, _ := json.Marshal(ents)
	if sm.msg.Text == text && bytes.Equal(oldEnts, newEnts) && bytes.Equal(sm.msg.ReplyMarkup, markup) {
		return nil, badRequest(notModified)
	}
	m := sm.msg
	m.Text, m.Entities, m.ReplyMarkup = text, ents, markup
	m.EditDate = time.Now().Unix()
	sm.msg = m
	return sentMessage{m}, nil
}

func (s *Server) editMessageReplyMarkup(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	markup, err := parseInlineMarkup(p["reply_markup"], p.has("reply_markup"))
	if err != nil {
		return nil, err
	}
	if p.str("inline_message_id") != "" && !p.has("chat_id") {
		return true, nil
	}
	sm, err := s.editTargetLocked(p)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(sm.msg.ReplyMarkup, markup) {
		return nil, badRequest(notModified)
	}
	m := sm.msg
	m.ReplyMarkup = markup
	m.EditDate = time.Now().Unix()
	sm.msg = m
	return sentMessage{m}, nil
}

// isBoolString says a form field holds a boolean ("true", "false").
func isBoolString(v any) bool {
	str, ok := v.(string)
	return ok && (strings.EqualFold(str, "true") || strings.EqualFold(str, "false") || str == "1" || str == "0")
}

func (s *Server) deleteMessage(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	id, ok := p.int("message_id")
	if !ok || id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	if _, ok := s.msgs[chat.ID][id]; !ok {
		return nil, badRequest("message to delete not found")
	}
	delete(s.msgs[chat.ID], id)
	return true, nil
}

const queryTooOld = "query is too old and response timeout expired or query ID is invalid"

func (s *Server) answerCallbackQuery(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := p.str("callback_query_id")
	if !s.callbacks[id] {
		return nil, badRequest(queryTooOld)
	}
	if utf16Len(p.str("text")) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	if n, ok := p.int("cache_time"); ok && n < 0 {
		return nil, badRequest("CACHE_TIME_INVALID")
	}
	delete(s.callbacks, id)
	return true, nil
}

var inlineResultTypes = map[string]bool{
	"article": true, "photo": true, "gif": true, "mpeg4_gif": true, "video": true, "audio": true, "voice": true,
	"document": true, "location": true, "venue": true, "contact": true, "game": true, "sticker": true,
}

func (s *Server) answerInlineQuery(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := p.str("inline_query_id")
	if !s.inlines[id] {
		return nil, badRequest(queryTooOld)
	}
	if !p.has("results") {
		return nil, badRequest("parameter \"results\" is required")
	}
	v, ok := paramObject(p["results"])
	list, isList := v.([]any)
	if !ok || !isList {
		return nil, badRequest("can't parse JSON encoded inline query results")
	}
	if len(list) > 50 {
		return nil, badRequest("RESULTS_TOO_MUCH")
	}
	seen := map[string]bool{}
	for _, rv := range list {
		r, ok := rv.(map[string]any)
		if !ok {
			return nil, badRequest("can't parse inline query result: InlineQueryResult must be an Object")
		}
		typ, _ := r["type"].(string)
		if !inlineResultTypes[strings.ToLower(typ)] {
			return nil, badRequest("can't parse inline query result: Unsupported inline query result type \"%s\"", typ)
		}
		rid, ok := paramString(r["id"])
		if !ok || rid == "" || len(rid) > 64 {
			return nil, badRequest("RESULT_ID_INVALID")
		}
		if seen[rid] {
			return nil, badRequest("RESULT_ID_DUPLICATE")
		}
		seen[rid] = true
		if _, err := parseInlineMarkup(r["reply_markup"], r["reply_markup"] != nil); err != nil {
			return nil, err
		}
		if strings.EqualFold(typ, "article") {
			if t, ok := r["title"].(string); !ok || strings.TrimSpace(t) == "" {
				return nil, badRequest("ARTICLE_TITLE_EMPTY")
			}
		}
		content, hasContent := r["input_message_content"].(map[string]any)
		if !hasContent && r["message_text"] != nil && strings.EqualFold(typ, "article") {
			// The Bot API still accepts Bot API 1.0's flat message_text.
			content, hasContent = map[string]any{"message_text": r["message_text"], "parse_mode": r["parse_mode"]}, true
		}
		if strings.EqualFold(typ, "article") && !hasContent {
			return nil, badRequest("can't parse inline query result: Field \"input_message_content\" must be of type Object")
		}
		if hasContent && content["message_text"] != nil {
			mode := content["parse_mode"]
			if mode == nil {
				mode = r["parse_mode"]
			}
			cp := params{"message_text": content["message_text"], "parse_mode": mode, "entities": content["entities"]}
			if _, _, err := formatText(cp, "message_text", "parse_mode", "entities"); err != nil {
				return nil, err
			}
		}
	}
	if len(p.str("next_offset")) > 64 {
		return nil, badRequest("NEXT_OFFSET_INVALID")
	}
	if p.has("button") {
		if err := checkResultsButton(p["button"]); err != nil {
			return nil, err
		}
	}
	if n, ok := p.int("cache_time"); ok && n < 0 {
		return nil, badRequest("CACHE_TIME_INVALID")
	}
	delete(s.inlines, id)
	return true, nil
}

var commandRe = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) commandScopeLocked(p params) (CommandScope, error) {
	sc := CommandScope{Type: "default"}
	if !p.has("scope") {
		return sc, nil
	}
	v, _ := paramObject(p["scope"])
	m, ok := v.(map[string]any)
	if !ok {
		return sc, badRequest("can't parse BotCommandScope JSON object")
	}
	sc.Type, _ = m["type"].(string)
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
	case "chat", "chat_administrators", "chat_member":
		chat, err := s.chatLocked(params{"chat_id": m["chat_id"]})
		if err != nil {
			return sc, err
		}
		sc.ChatID = chat.ID
		if sc.Type == "chat_member" {
			uid, ok := paramInt(m["user_id"])
			if !ok || uid == 0 {
				return sc, badRequest("invalid user_id specified")
			}
			sc.UserID = uid
		}
	default:
		return sc, badRequest("can't parse BotCommandScope JSON object: unsupported type \"%s\"", sc.Type)
	}
	return sc, nil
}

var langRe = regexp.MustCompile(`^[a-z]{2}$`)

func commandLang(p params) (string, error) {
	lang := p.str("language_code")
	if lang != "" && !langRe.MatchString(lang) {
		return "", badRequest("invalid language code specified")
	}
	return lang, nil
}

func (s *Server) setMyCommands(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !p.has("commands") {
		return nil, badRequest("parameter \"commands\" is required")
	}
	v, ok := paramObject(p["commands"])
	list, isList := v.([]any)
	if !ok || !isList {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(list) > 100 {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	cmds := make([]BotCommand, 0, len(list))
	seen := map[string]bool{}
	for _, cv := range list {
		c, ok := cv.(map[string]any)
		if !ok {
			return nil, badRequest("can't parse BotCommand JSON object")
		}
		name, _ := c["command"].(string)
		desc, _ := c["description"].(string)
		name = strings.TrimPrefix(name, "/")
		if !commandRe.MatchString(name) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(strings.TrimSpace(desc)); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
		if seen[name] {
			return nil, badRequest("BOT_COMMAND_DUPLICATE")
		}
		seen[name] = true
		cmds = append(cmds, BotCommand{Command: name, Description: desc})
	}
	scope, err := s.commandScopeLocked(p)
	if err != nil {
		return nil, err
	}
	lang, err := commandLang(p)
	if err != nil {
		return nil, err
	}
	if len(cmds) == 0 {
		delete(s.commands, commandKey{scope, lang})
	} else {
		s.commands[commandKey{scope, lang}] = cmds
	}
	return true, nil
}

func (s *Server) getMyCommands(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.commandScopeLocked(p)
	if err != nil {
		return nil, err
	}
	lang, err := commandLang(p)
	if err != nil {
		return nil, err
	}
	cmds := s.commands[commandKey{scope, lang}]
	if cmds == nil {
		cmds = []BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.commandScopeLocked(p)
	if err != nil {
		return nil, err
	}
	lang, err := commandLang(p)
	if err != nil {
		return nil, err
	}
	delete(s.commands, commandKey{scope, lang})
	return true, nil
}

var memberStatuses = map[string]bool{"creator": true, "administrator": true, "member": true, "restricted": true, "left": true, "kicked": true}

func (s *Server) getChatMember(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	uid, ok := p.int("user_id")
	if !ok || uid <= 0 {
		return nil, badRequest("invalid user_id specified")
	}
	u, known := s.users[uid]
	if uid == s.bot.ID {
		u, known = s.bot, true
	}
	if !known {
		return nil, badRequest("user not found")
	}
	status := s.members[[2]int64{chat.ID, uid}]
	if !memberStatuses[status] {
		status = "member"
	}
	out := map[string]any{"status": status, "user": u}
	switch status {
	case "creator":
		out["is_anonymous"] = false
	case "administrator":
		for _, right := range []string{"can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
			"can_change_info", "can_invite_users", "can_pin_messages", "can_post_stories", "can_edit_stories", "can_delete_stories"} {
			out[right] = true
		}
		out["can_be_edited"] = false
		out["is_anonymous"] = false
		out["can_promote_members"] = false
		if chat.IsForum {
			out["can_manage_topics"] = true
		}
	case "restricted":
		out["is_member"] = true
		out["can_send_messages"] = false
		out["until_date"] = 0
	case "kicked":
		out["until_date"] = 0
	}
	return out, nil
}

func (s *Server) getChat(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"id": chat.ID, "type": chat.Type, "accent_color_id": 0, "max_reaction_count": 11}
	for k, v := range map[string]string{"title": chat.Title, "username": chat.Username, "first_name": chat.FirstName, "last_name": chat.LastName} {
		if v != "" {
			out[k] = v
		}
	}
	if chat.IsForum {
		out["is_forum"] = true
	}
	return out, nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true, "record_voice": true,
	"upload_voice": true, "upload_document": true, "choose_sticker": true, "find_location": true,
	"record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	if !chatActions[p.str("action")] {
		return nil, badRequest("wrong parameter action in request")
	}
	if err := s.blockedLocked(chat); err != nil {
		return nil, err
	}
	if _, err := s.threadLocked(p, chat); err != nil {
		return nil, err
	}
	return true, nil
}
