package telegramtest

import (
	"errors"
	"unicode/utf8"
)

// MaxTextLen is the longest message text Telegram accepts, in UTF-16 code
// units of the text after entity parsing.
const MaxTextLen = maxTextLen

// ParseHTML parses s in Telegram's HTML parse mode the way the test server
// does (see parseHTML): it returns the message text as Telegram stores it
// (tags removed, entities decoded, surrounding white space trimmed) with its
// entities, or the reason Telegram gives after "can't parse entities: ".
func ParseHTML(s string) (text string, entities []MessageEntity, err error) {
	if !utf8.ValidString(s) {
		return "", nil, errors.New("text must be encoded in UTF-8")
	}
	return parseHTML(s)
}

// ValidateHTML checks s as sendMessage with parse_mode HTML does: valid
// UTF-8, valid HTML, not empty and at most MaxTextLen long. It returns the
// message's length in UTF-16 code units, the unit Telegram counts in.
func ValidateHTML(s string) (plainLen int, err error) {
	text, _, err := ParseHTML(s)
	if err != nil {
		return 0, err
	}
	n := utf16Len(text)
	switch {
	case n == 0:
		return 0, errors.New("message text is empty")
	case n > maxTextLen:
		return n, errors.New("message is too long")
	}
	return n, nil
}

// UTF16Len counts s in UTF-16 code units, as Telegram counts lengths and
// entity offsets.
func UTF16Len(s string) int { return utf16Len(s) }
