package telegramtest

import (
	"fmt"
	"time"
)

// Builders of the updates a test pushes: private and group texts, replies,
// stickers, photos, edits, channel posts, messages from other bots,
// callback queries and inline queries, as Telegram would deliver them.

// MessageOption adjusts a message built by an update helper.
type MessageOption func(*msgSpec)

type msgSpec struct {
	thread   int64
	lang     string
	replyTo  int64
	username *string
}

// InThread puts the message in a forum topic: the chat becomes a forum
// supergroup and the message gets message_thread_id and is_topic_message.
func InThread(threadID int64) MessageOption { return func(m *msgSpec) { m.thread = threadID } }

// Language sets the sender's language_code (default "zh-hans").
func Language(code string) MessageOption { return func(m *msgSpec) { m.lang = code } }

// Replying makes the message a reply to messageID in the same chat.
func Replying(messageID int64) MessageOption { return func(m *msgSpec) { m.replyTo = messageID } }

// SenderUsername sets the sender's username ("" for none); the default is
// "user<id>".
func SenderUsername(name string) MessageOption { return func(m *msgSpec) { m.username = &name } }

func (s *Server) userLocked(id int64, spec msgSpec) User {
	u, ok := s.users[id]
	if !ok {
		u = User{ID: id, FirstName: fmt.Sprintf("User%d", id), Username: fmt.Sprintf("user%d", id), LanguageCode: "zh-hans"}
	}
	if spec.lang != "" {
		u.LanguageCode = spec.lang
	}
	if spec.username != nil {
		u.Username = *spec.username
	}
	s.users[id] = u
	return u
}

func chatFor(chatID int64, user *User) Chat {
	switch {
	case chatID > 0:
		c := Chat{ID: chatID, Type: "private"}
		if user != nil && user.ID == chatID {
			c.FirstName, c.Username = user.FirstName, user.Username
		} else {
			c.FirstName = fmt.Sprintf("User%d", chatID)
		}
		return c
	case chatID <= -1_000_000_000_000:
		return Chat{ID: chatID, Type: "supergroup", Title: fmt.Sprintf("Supergroup %d", chatID)}
	default:
		return Chat{ID: chatID, Type: "group", Title: fmt.Sprintf("Group %d", chatID)}
	}
}

// userMessage builds and stores a message from userID in chatID.
func (s *Server) userMessage(chatID, userID int64, text string, opts []MessageOption) *Message {
	var spec msgSpec
	for _, o := range opts {
		o(&spec)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userID, spec)
	chat := chatFor(chatID, &u)
	if known, ok := s.chats[chatID]; ok {
		chat = *known
	}
	m := &Message{
		MessageID: s.newMessageIDLocked(chatID),
		From:      &u,
		Date:      time.Now().Unix(),
		Chat:      chat,
		Text:      text,
		Entities:  detectEntities(text),
	}
	if spec.thread != 0 {
		m.Chat.Type, m.Chat.IsForum = "supergroup", true
		m.MessageThreadID, m.IsTopicMessage = spec.thread, true
	}
	if spec.replyTo != 0 {
		if r, ok := s.msgs[chatID][spec.replyTo]; ok {
			m.ReplyToMessage = shallow(&r.msg)
		} else {
			m.ReplyToMessage = &Message{MessageID: spec.replyTo, Chat: m.Chat, Date: m.Date}
		}
		if m.MessageThreadID == 0 && m.ReplyToMessage.MessageThreadID != 0 {
			m.MessageThreadID, m.IsTopicMessage = m.ReplyToMessage.MessageThreadID, m.ReplyToMessage.IsTopicMessage
		}
	}
	s.storeLocked(*m, false)
	return m
}

// PrivateText is a text message from userID in its private chat with the
// bot. Commands and mentions get their entities.
func (s *Server) PrivateText(userID int64, text string, opts ...MessageOption) Update {
	return Update{Message: s.userMessage(userID, userID, text, opts)}
}

// GroupText is a text message from userID in a group (chatID between
// -999999999999 and -1), or a supergroup (chatID -100xxxxxxxxxx), with
// bot_command and mention entities computed as Telegram does (UTF-16
// offsets). Use InThread for forum topics.
func (s *Server) GroupText(chatID, userID int64, text string, opts ...MessageOption) Update {
	return Update{Message: s.userMessage(chatID, userID, text, opts)}
}

// ReplyTo is a text message from userID replying to message replyToID in
// chatID (a user's or the bot's), carrying reply_to_message as Telegram
// does and staying in the replied message's topic.
func (s *Server) ReplyTo(chatID, userID, replyToID int64, text string, opts ...MessageOption) Update {
	return Update{Message: s.userMessage(chatID, userID, text, append(opts, Replying(replyToID)))}
}

// Sticker is a sticker message.
func (s *Server) Sticker(chatID, userID int64, emoji string, opts ...MessageOption) Update {
	m := s.userMessage(chatID, userID, "", opts)
	m.Entities = nil
	m.Sticker = &Sticker{FileID: fmt.Sprintf("CAACAgIAAxk-sticker-%d", m.MessageID), FileUniqueID: fmt.Sprintf("AgAD%d", m.MessageID),
		Type: "regular", Width: 512, Height: 512, Emoji: emoji}
	s.restore(*m)
	return Update{Message: m}
}

// Photo is a photo message with an optional caption.
func (s *Server) Photo(chatID, userID int64, caption string, opts ...MessageOption) Update {
	m := s.userMessage(chatID, userID, "", opts)
	m.Entities = nil
	m.Caption, m.CaptionEntities = caption, detectEntities(caption)
	m.Photo = []PhotoSize{
		{FileID: fmt.Sprintf("AgACAgIAAxk-photo-s-%d", m.MessageID), FileUniqueID: fmt.Sprintf("AQADs%d", m.MessageID), Width: 90, Height: 67},
		{FileID: fmt.Sprintf("AgACAgIAAxk-photo-m-%d", m.MessageID), FileUniqueID: fmt.Sprintf("AQADm%d", m.MessageID), Width: 800, Height: 600},
	}
	s.restore(*m)
	return Update{Message: m}
}

func (s *Server) restore(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeLocked(m, false)
}

// EditedText is an edited_message update: userID changed message
// messageID in chatID to text.
func (s *Server) EditedText(chatID, userID, messageID int64, text string) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	var m Message
	if old, ok := s.msgs[chatID][messageID]; ok {
		m = old.msg
	} else {
		u := s.userLocked(userID, msgSpec{})
		m = Message{MessageID: messageID, From: &u, Date: time.Now().Unix(), Chat: chatFor(chatID, &u)}
	}
	m.Text, m.Entities = text, detectEntities(text)
	m.EditDate = time.Now().Unix()
	s.storeLocked(m, false)
	return Update{EditedMessage: &m}
}

// ChannelPost is a channel_post update in channel chatID (no sender user).
func (s *Server) ChannelPost(chatID int64, text string) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat := Chat{ID: chatID, Type: "channel", Title: fmt.Sprintf("Channel %d", chatID)}
	m := Message{MessageID: s.newMessageIDLocked(chatID), SenderChat: &chat, Date: time.Now().Unix(),
		Chat: chat, Text: text, Entities: detectEntities(text)}
	s.storeLocked(m, false)
	return Update{ChannelPost: &m}
}

// FromBot is a text message sent by another bot (botUserID) in chatID.
func (s *Server) FromBot(chatID, botUserID int64, text string) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := User{ID: botUserID, IsBot: true, FirstName: fmt.Sprintf("Bot%d", botUserID), Username: fmt.Sprintf("other%d_bot", botUserID)}
	chat := chatFor(chatID, nil)
	if known, ok := s.chats[chatID]; ok {
		chat = *known
	}
	m := Message{MessageID: s.newMessageIDLocked(chatID), From: &u, Date: time.Now().Unix(), Chat: chat,
		Text: text, Entities: detectEntities(text)}
	s.storeLocked(m, false)
	return Update{Message: &m}
}

// Callback is a press by userID on a button of message messageID in
// chatID, with the button's callback data. The query id is one the server
// will accept exactly once in answerCallbackQuery.
func (s *Server) Callback(userID, chatID, messageID int64, data string) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userID, msgSpec{})
	s.nextQuery++
	id := fmt.Sprint(s.nextQuery)
	var msg *Message
	if sm, ok := s.msgs[chatID][messageID]; ok {
		c := sm.msg
		msg = &c
	} else {
		msg = &Message{MessageID: messageID, Chat: chatFor(chatID, &u), Date: 0}
	}
	s.callbacks[id] = true
	return Update{CallbackQuery: &CallbackQuery{ID: id, From: u, Message: msg, ChatInstance: fmt.Sprint(-chatID*7 + 13), Data: data}}
}

// Inline is an inline query "@bot query" from userID, asking for the page
// at offset ("" for the first). Of the options, Language applies.
func (s *Server) Inline(userID int64, query, offset string, opts ...MessageOption) Update {
	var spec msgSpec
	for _, o := range opts {
		o(&spec)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userID, spec)
	s.nextQuery++
	id := fmt.Sprint(s.nextQuery)
	s.inlines[id] = true
	return Update{InlineQuery: &InlineQuery{ID: id, From: u, Query: query, Offset: offset, ChatType: "sender"}}
}

// AddedToGroup is the my_chat_member update Telegram sends when userID
// adds the bot to group chatID: its status goes from "left" to "member".
func (s *Server) AddedToGroup(chatID, userID int64) Update {
	return s.botMembership(chatID, userID, "left", "member")
}

// RemovedFromGroup is the my_chat_member update of userID removing the
// bot from group chatID.
func (s *Server) RemovedFromGroup(chatID, userID int64) Update {
	return s.botMembership(chatID, userID, "member", "left")
}

func (s *Server) botMembership(chatID, userID int64, from, to string) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userID, msgSpec{})
	chat := chatFor(chatID, nil)
	if known, ok := s.chats[chatID]; ok {
		chat = *known
	}
	s.addChatLocked(chat)
	bot := s.bot
	return Update{MyChatMember: &ChatMemberUpdated{
		Chat: chat, From: u, Date: time.Now().Unix(),
		OldChatMember: ChatMember{Status: from, User: bot},
		NewChatMember: ChatMember{Status: to, User: bot},
	}}
}
