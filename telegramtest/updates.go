package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// defaultAllowed is what Telegram sends when allowed_updates is empty: every
// kind except chat_member, message_reaction and message_reaction_count.
var excludedByDefault = []string{"chat_member", "message_reaction", "message_reaction_count"}

func allowedKind(allowed []string, kind string) bool {
	if len(allowed) == 0 {
		return !slices.Contains(excludedByDefault, kind)
	}
	return slices.Contains(allowed, kind)
}

// PushUpdate queues an update for the bot (getUpdates or the webhook) and
// returns its update_id, which always increases. u is an Update, *Update,
// or any value that marshals to an update's JSON (such as map[string]any);
// any update_id in it is replaced. Chats, messages, callback and inline
// query ids found in it become known to the server, so the bot can reply to
// and answer them. With PrivacyMode(true), a group message Telegram would
// withhold from the bot is dropped and 0 is returned.
func (s *Server) PushUpdate(u any) int64 {
	raw, typed, err := normalizeUpdate(u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: PushUpdate: %v", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registerLocked(typed)
	if s.privacy != nil && *s.privacy && s.withheldLocked(typed) {
		return 0
	}
	id := s.nextUpdateID
	s.nextUpdateID++
	raw["update_id"] = id
	kind := ""
	for k := range raw {
		if k != "update_id" {
			kind = k
		}
	}
	body, _ := json.Marshal(raw)
	s.queue = append(s.queue, queued{id: id, kind: kind, body: body})
	s.broadcastLocked()
	return id
}

func normalizeUpdate(u any) (map[string]any, Update, error) {
	data, err := json.Marshal(u)
	if err != nil {
		return nil, Update{}, fmt.Errorf("update does not marshal to JSON: %w", err)
	}
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, Update{}, errors.New("update is not a JSON object")
	}
	var typed Update
	_ = json.Unmarshal(data, &typed)
	return raw, typed, nil
}

// registerLocked remembers what an update introduces.
func (s *Server) registerLocked(u Update) {
	for _, m := range []*Message{u.Message, u.EditedMessage, u.ChannelPost, u.EditedChannelPost} {
		if m != nil {
			s.storeLocked(*m, false)
		}
	}
	if q := u.CallbackQuery; q != nil {
		s.callbacks[q.ID] = true
		s.users[q.From.ID] = q.From
		if q.Message != nil {
			s.addChatLocked(q.Message.Chat)
		}
	}
	if q := u.InlineQuery; q != nil {
		s.inlines[q.ID] = true
		s.users[q.From.ID] = q.From
	}
	if m := u.MyChatMember; m != nil {
		s.addChatLocked(m.Chat)
		s.users[m.From.ID] = m.From
	}
}

// storeLocked records a message (a user's or the bot's) under its chat.
func (s *Server) storeLocked(m Message, fromBot bool) {
	s.addChatLocked(m.Chat)
	if m.From != nil && !m.From.IsBot {
		s.users[m.From.ID] = *m.From
	}
	if m.Chat.IsForum && m.MessageThreadID != 0 {
		s.addThreadLocked(m.Chat.ID, m.MessageThreadID)
	}
	if s.msgs[m.Chat.ID] == nil {
		s.msgs[m.Chat.ID] = map[int64]*storedMsg{}
	}
	if old, ok := s.msgs[m.Chat.ID][m.MessageID]; ok {
		fromBot = fromBot || old.fromBot
	}
	m.ReplyToMessage = shallow(m.ReplyToMessage)
	s.msgs[m.Chat.ID][m.MessageID] = &storedMsg{msg: m, fromBot: fromBot}
	if m.MessageID >= s.nextMsgID[m.Chat.ID] {
		s.nextMsgID[m.Chat.ID] = m.MessageID + 1
	}
}

func (s *Server) addThreadLocked(chatID, threadID int64) {
	if s.threads[chatID] == nil {
		s.threads[chatID] = map[int64]bool{}
	}
	s.threads[chatID][threadID] = true
}

// shallow copies a message for use as reply_to_message: Telegram does not
// nest replies further.
func shallow(m *Message) *Message {
	if m == nil {
		return nil
	}
	c := *m
	c.ReplyToMessage = nil
	return &c
}

func (s *Server) newMessageIDLocked(chatID int64) int64 {
	id := max(s.nextMsgID[chatID], 1)
	s.nextMsgID[chatID] = id + 1
	return id
}

// withheldLocked reports whether privacy mode keeps a message from the bot:
// in groups it sees only commands, mentions of it and replies to it.
func (s *Server) withheldLocked(u Update) bool {
	m := u.Message
	if m == nil {
		m = u.EditedMessage
	}
	if m == nil || (m.Chat.Type != "group" && m.Chat.Type != "supergroup") {
		return false
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == s.bot.ID {
		return false
	}
	text, ents := m.Text, m.Entities
	if text == "" {
		text, ents = m.Caption, m.CaptionEntities
	}
	for _, e := range ents {
		part := utf16Slice(text, e.Offset, e.Length)
		switch e.Type {
		case "bot_command":
			_, at, ok := strings.Cut(part, "@")
			if !ok || strings.EqualFold(at, s.bot.Username) {
				return false
			}
		case "mention":
			if strings.EqualFold(part, "@"+s.bot.Username) {
				return false
			}
		}
	}
	return true
}

func utf16Slice(s string, off, n int) string {
	pos, start, end := 0, -1, len(s)
	for i, r := range s {
		if pos == off && start < 0 {
			start = i
		}
		if pos == off+n {
			end = i
			break
		}
		if r >= 0x10000 {
			pos += 2
		} else {
			pos++
		}
	}
	if start < 0 {
		return ""
	}
	return s[start:end]
}

// confirmLocked drops updates the client confirmed with offset.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(s.queue) {
			s.queue = s.queue[len(s.queue)-keep:]
		}
	}
}

// takeLocked returns up to limit queued updates of allowed kinds, dropping
// the others as Telegram would never have created them.
func (s *Server) takeLocked(limit int, allowed []string) []json.RawMessage {
	kept := s.queue[:0]
	var out []json.RawMessage
	for _, q := range s.queue {
		if !allowedKind(allowed, q.kind) {
			continue
		}
		kept = append(kept, q)
		if len(out) < limit {
			out = append(out, q.body)
		}
	}
	s.queue = kept
	return out
}

func parseAllowed(p params) ([]string, bool, error) {
	if !p.has("allowed_updates") {
		return nil, false, nil
	}
	v, ok := paramObject(p["allowed_updates"])
	if !ok {
		return nil, false, errors.New("can't parse allowed updates")
	}
	if v == nil {
		return nil, false, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false, errors.New("can't parse allowed updates")
	}
	out := []string{}
	for _, x := range list {
		if str, ok := x.(string); ok {
			out = append(out, str)
		}
	}
	return out, true, nil
}

func (s *Server) getMe(ctx context.Context, p params) (any, error) {
	readAll := s.privacy != nil && !*s.privacy
	return map[string]any{
		"id":                          s.bot.ID,
		"is_bot":                      true,
		"first_name":                  s.bot.FirstName,
		"username":                    s.bot.Username,
		"can_join_groups":             true,
		"can_read_all_group_messages": readAll,
		"supports_inline_queries":     true,
		"can_connect_to_business":     false,
		"has_main_web_app":            false,
	}, nil
}

const webhookConflict = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

func (s *Server) getUpdates(ctx context.Context, p params) (any, error) {
	offset, _ := p.int("offset")
	limit := int64(100)
	if n, ok := p.int("limit"); ok && n > 0 {
		limit = min(n, 100) // Telegram treats 0 or less as the default
	}
	timeout, _ := p.int("timeout")
	timeout = max(timeout, 0)
	allowed, set, err := parseAllowed(p)
	if err != nil {
		return nil, badRequest("%v", err)
	}

	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return nil, &apiError{code: 409, description: webhookConflict}
	}
	if set {
		s.allowed = allowed
		if len(allowed) == 0 {
			s.allowed = nil
		}
	}
	s.pollGen++
	gen := s.pollGen
	s.broadcastLocked() // an older long poll is terminated by this one
	s.confirmLocked(offset)
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		timer = t.C
	}
	waiting := false
	defer func() {
		if waiting {
			s.mu.Lock()
			s.polling--
			s.mu.Unlock()
		}
	}()
	for {
		ups := s.takeLocked(int(limit), s.allowed)
		if len(ups) > 0 || timer == nil {
			s.mu.Unlock()
			if ups == nil {
				ups = []json.RawMessage{}
			}
			return ups, nil
		}
		if !waiting {
			waiting = true
			s.polling++
			s.broadcastLocked()
		}
		ch := s.notify
		s.mu.Unlock()
		select {
		case <-ch:
		case <-timer:
			return []json.RawMessage{}, nil
		case <-ctx.Done():
			return []json.RawMessage{}, nil
		case <-s.closed:
			return []json.RawMessage{}, nil
		}
		s.mu.Lock()
		if s.pollGen != gen {
			s.mu.Unlock()
			return nil, &apiError{code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		if s.webhook != nil {
			s.mu.Unlock()
			return nil, &apiError{code: 409, description: webhookConflict}
		}
	}
}

var secretTokenRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(ctx context.Context, p params) (any, error) {
	raw := strings.TrimSpace(p.str("url"))
	if raw == "" {
		return s.removeWebhook(p.bool("drop_pending_updates"))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, badRequest("bad webhook: Failed to resolve host: Name or service not known")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p.str("secret_token")
	if p.has("secret_token") && secret != "" && !secretTokenRe.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	allowed, set, err := parseAllowed(p)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	maxConn := int64(40)
	if n, ok := p.int("max_connections"); ok && p.has("max_connections") {
		maxConn = min(max(n, 1), 100)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !set && s.webhook != nil {
		allowed = s.webhook.allowed
	}
	if s.webhook != nil && s.webhook.url == raw && s.webhook.secret == secret && slices.Equal(s.webhook.allowed, allowed) && !p.bool("drop_pending_updates") {
		return withDescription{true, "Webhook is already set"}, nil
	}
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	s.webhook = &webhookState{url: raw, secret: secret, allowed: allowed, maxConn: int(maxConn)}
	s.pollGen++
	s.broadcastLocked()
	return withDescription{true, "Webhook was set"}, nil
}

func (s *Server) deleteWebhook(ctx context.Context, p params) (any, error) {
	return s.removeWebhook(p.bool("drop_pending_updates"))
}

func (s *Server) removeWebhook(drop bool) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if drop {
		s.queue = nil
	}
	if s.webhook == nil {
		return withDescription{true, "Webhook is already deleted"}, nil
	}
	s.webhook = nil
	s.broadcastLocked()
	return withDescription{true, "Webhook was deleted"}, nil
}

func (s *Server) getWebhookInfo(ctx context.Context, p params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.queue)}
	if wh := s.webhook; wh != nil {
		info["url"] = wh.url
		info["max_connections"] = wh.maxConn
		if len(wh.allowed) > 0 {
			info["allowed_updates"] = wh.allowed
		}
		if wh.lastErr != 0 {
			info["last_error_date"] = wh.lastErr
			info["last_error_message"] = wh.lastErrMsg
		}
	}
	return info, nil
}

// webhookLoop delivers queued updates to the webhook one at a time, in
// order, retrying failures with a doubling pause and dropping an update
// after the configured number of attempts (recorded in getWebhookInfo).
func (s *Server) webhookLoop() {
	for {
		s.mu.Lock()
		wh := s.webhook
		var next *queued
		if wh != nil {
			for i, q := range s.queue {
				if allowedKind(wh.allowed, q.kind) {
					next = &s.queue[i]
					break
				}
			}
		}
		var q queued
		if next != nil {
			q = *next
		}
		ch := s.notify
		s.mu.Unlock()
		if next == nil {
			select {
			case <-ch:
				continue
			case <-s.closed:
				return
			}
		}
		if !s.deliver(wh, q) {
			return
		}
	}
}

// deliver offers one update to the webhook; it returns false when the
// server is closing.
func (s *Server) deliver(wh *webhookState, q queued) bool {
	pause := s.whBackoff
	for attempt := 1; attempt <= s.whAttempts; attempt++ {
		status, err := s.post(wh.url, wh.secret, q.body)
		d := Delivery{UpdateID: q.id, Attempt: attempt, Status: status, Secret: wh.secret, Time: time.Now()}
		if err != nil {
			d.Err = err.Error()
		}
		ok := err == nil && status >= 200 && status < 300
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		current := s.webhook == wh
		if ok || attempt == s.whAttempts {
			s.removeLocked(q.id)
		}
		if !ok && current {
			wh.lastErr = time.Now().Unix()
			if err != nil {
				wh.lastErrMsg = "Connection refused"
			} else {
				wh.lastErrMsg = fmt.Sprintf("Wrong response from the webhook: %d %s", status, http.StatusText(status))
			}
		}
		s.broadcastLocked()
		s.mu.Unlock()
		if ok || !current {
			return true
		}
		if attempt < s.whAttempts {
			select {
			case <-time.After(pause):
			case <-s.closed:
				return false
			}
			pause *= 2
		}
	}
	return true
}

func (s *Server) removeLocked(id int64) {
	s.queue = slices.DeleteFunc(s.queue, func(q queued) bool { return q.id == id })
}

func (s *Server) post(target, secret string, body []byte) (int, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
	return resp.StatusCode, nil
}

// PostWebhook sends update to the webhook the bot set, with secret as the
// X-Telegram-Bot-Api-Secret-Token header (none when empty), bypassing the
// queue: for forging requests. An update without update_id gets a fresh one.
func (s *Server) PostWebhook(update any, secret string) (int, error) {
	raw, _, err := normalizeUpdate(update)
	if err != nil {
		return 0, fmt.Errorf("telegramtest: PostWebhook: %w", err)
	}
	s.mu.Lock()
	wh := s.webhook
	if id, _ := paramInt(raw["update_id"]); id == 0 {
		raw["update_id"] = s.nextUpdateID
		s.nextUpdateID++
	}
	s.mu.Unlock()
	if wh == nil {
		return 0, errors.New("telegramtest: PostWebhook: no webhook is set")
	}
	body, _ := json.Marshal(raw)
	return s.post(wh.url, secret, body)
}
