package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Len counts s the way Telegram counts message length and entity
// offsets: in UTF-16 code units, so a Chinese character is 1 and an emoji
// outside the Basic Multilingual Plane is 2.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// htmlTags maps each tag Telegram's HTML parse mode accepts to the entity
// type it produces ("" for tags that produce none).
var htmlTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"span": "spoiler", "tg-spoiler": "spoiler",
	"a":          "text_link",
	"code":       "code",
	"pre":        "pre",
	"blockquote": "blockquote",
	"tg-emoji":   "custom_emoji",
	"tg-time":    "date_time",
}

type openTag struct {
	name       string
	bytePos    int
	offset     int // UTF-16 offset where the entity starts
	url        string
	language   string
	emojiID    string
	expandable bool
	class      string
}

// parseHTML parses text in Telegram's HTML parse mode, following the Bot API
// server's parser (tdlib's parse_html): it returns the plain text and its
// entities, or the reason Telegram gives after "can't parse entities: ".
//
// One deliberate difference: Telegram keeps an "&" that does not start a
// known entity as a literal character, while this parser rejects it,
// because the Bot API documentation says every "&" must be escaped and a
// bot that forgets to escape one will also forget "<".
func parseHTML(s string) (string, []MessageEntity, error) {
	var (
		out   strings.Builder
		u16   int
		stack []openTag
		ents  []MessageEntity
	)
	emit := func(r rune) {
		out.WriteRune(r)
		u16 += utf16.RuneLen(r)
	}
	n := len(s)
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for i := 0; i < n; {
		c := s[i]
		if c == '&' {
			r, size := decodeHTMLEntity(s[i:])
			if size == 0 {
				return "", nil, fmt.Errorf("Unescaped \"&\" at byte offset %d: use &amp;", i)
			}
			emit(r)
			i += size
			continue
		}
		if c != '<' {
			r, size := utf8.DecodeRuneInString(s[i:])
			emit(r)
			i += size
			continue
		}
		begin := i
		if i+1 < n && s[i+1] == '/' {
			// An end tag.
			if len(stack) == 0 {
				return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
			}
			i += 2
			for i < n && !isSpace(s[i]) && s[i] != '>' {
				i++
			}
			endName := strings.ToLower(s[begin+2 : i])
			for i < n && isSpace(s[i]) {
				i++
			}
			if i >= n || s[i] != '>' {
				return "", nil, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
			}
			i++
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if endName != "" && endName != top.name {
				return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.name, endName)
			}
			ents = closeTag(ents, stack, top, u16)
			continue
		}
		// A start tag.
		i++
		for i < n && !isSpace(s[i]) && s[i] != '>' {
			i++
		}
		if i >= n {
			return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		name := strings.ToLower(s[begin+1 : i])
		if _, ok := htmlTags[name]; !ok {
			return "", nil, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
		}
		tag := openTag{name: name, bytePos: begin, offset: u16}
		for s[i] != '>' {
			for i < n && isSpace(s[i]) {
				i++
			}
			if i >= n {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			if s[i] == '>' {
				break
			}
			attrBegin := i
			for i < n && !isSpace(s[i]) && s[i] != '=' && s[i] != '>' {
				i++
			}
			attr := strings.ToLower(s[attrBegin:i])
			if attr == "" {
				return "", nil, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, attrBegin)
			}
			for i < n && isSpace(s[i]) {
				i++
			}
			if i >= n {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			if s[i] != '=' {
				if name == "blockquote" && attr == "expandable" {
					tag.expandable = true
					continue
				}
				return "", nil, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", name, begin)
			}
			i++
			for i < n && isSpace(s[i]) {
				i++
			}
			if i >= n {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			var value strings.Builder
			if s[i] != '\'' && s[i] != '"' {
				// A name token: letters, digits, periods and hyphens.
				tokBegin := i
				for i < n && (isASCIIAlnum(s[i]) || s[i] == '.' || s[i] == '-') {
					i++
				}
				value.WriteString(strings.ToLower(s[tokBegin:i]))
				if i < n && !isSpace(s[i]) && s[i] != '>' {
					return "", nil, fmt.Errorf("Unexpected end of name token at byte offset %d", tokBegin)
				}
			} else {
				quote := s[i]
				i++
				for i < n && s[i] != quote {
					if s[i] == '&' {
						if r, size := decodeHTMLEntity(s[i:]); size > 0 {
							value.WriteRune(r)
							i += size
							continue
						}
					}
					value.WriteByte(s[i])
					i++
				}
				if i < n {
					i++
				}
			}
			if i >= n {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			v := value.String()
			switch {
			case name == "a" && attr == "href":
				tag.url = v
			case name == "code" && attr == "class" && strings.HasPrefix(v, "language-"):
				tag.language = strings.TrimPrefix(v, "language-")
			case name == "span" && attr == "class":
				tag.class = v
			case name == "tg-emoji" && attr == "emoji-id":
				tag.emojiID = v
			case name == "blockquote" && attr == "expandable":
				tag.expandable = true
			}
		}
		i++ // the '>'
		if name == "span" && tag.class != "tg-spoiler" {
			return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
		}
		if name == "blockquote" {
			for _, t := range stack {
				if t.name == "blockquote" {
					return "", nil, fmt.Errorf("Blockquote can't be nested at byte offset %d", begin)
				}
			}
		}
		stack = append(stack, tag)
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	text, ents := trimText(out.String(), ents)
	return text, ents, nil
}

// closeTag turns a closed tag into its entity. A code tag directly inside
// pre only names the pre block's language, as in Telegram.
func closeTag(ents []MessageEntity, stack []openTag, t openTag, end int) []MessageEntity {
	if end <= t.offset {
		return ents // empty entities are dropped
	}
	e := MessageEntity{Type: htmlTags[t.name], Offset: t.offset, Length: end - t.offset}
	switch t.name {
	case "a":
		if t.url == "" {
			return ents
		}
		if id, ok := strings.CutPrefix(t.url, "tg://user?id="); ok {
			if uid, err := strconv.ParseInt(id, 10, 64); err == nil {
				e.Type = "text_mention"
				e.User = &User{ID: uid}
				break
			}
		}
		e.URL = t.url
	case "code":
		if len(stack) > 0 && stack[len(stack)-1].name == "pre" {
			stack[len(stack)-1].language = t.language
			return ents
		}
	case "pre":
		e.Language = t.language
	case "blockquote":
		if t.expandable {
			e.Type = "expandable_blockquote"
		}
	case "tg-emoji":
		e.CustomEmojiID = t.emojiID
	case "tg-time":
		return ents
	}
	return append(ents, e)
}

// trimText strips leading and trailing white space the way Telegram does
// before storing a message, moving and clipping the entities with it.
func trimText(text string, ents []MessageEntity) (string, []MessageEntity) {
	trimmedLeft := strings.TrimLeftFunc(text, unicode.IsSpace)
	shift := utf16Len(text[:len(text)-len(trimmedLeft)])
	trimmed := strings.TrimRightFunc(trimmedLeft, unicode.IsSpace)
	total := utf16Len(trimmed)
	out := ents[:0]
	for _, e := range ents {
		start, end := e.Offset-shift, e.Offset-shift+e.Length
		start = max(start, 0)
		end = min(end, total)
		if end <= start {
			continue
		}
		e.Offset, e.Length = start, end-start
		out = append(out, e)
	}
	sortEntities(out)
	return trimmed, out
}

func sortEntities(ents []MessageEntity) {
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].Offset != ents[b].Offset {
			return ents[a].Offset < ents[b].Offset
		}
		return ents[a].Length > ents[b].Length
	})
}

// decodeHTMLEntity decodes the entity at the start of s (which begins with
// '&'): the four named ones Telegram supports and numeric ones. It returns
// size 0 when s does not start with one.
func decodeHTMLEntity(s string) (rune, int) {
	semi := strings.IndexByte(s, ';')
	if semi < 0 || semi > 12 {
		return 0, 0
	}
	body := s[1:semi]
	switch body {
	case "lt":
		return '<', semi + 1
	case "gt":
		return '>', semi + 1
	case "amp":
		return '&', semi + 1
	case "quot":
		return '"', semi + 1
	}
	if !strings.HasPrefix(body, "#") || len(body) < 2 {
		return 0, 0
	}
	var (
		v   uint64
		err error
	)
	if body[1] == 'x' || body[1] == 'X' {
		v, err = strconv.ParseUint(body[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(body[1:], 10, 32)
	}
	if err != nil || v == 0 || v > unicode.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, 0
	}
	return rune(v), semi + 1
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isUsernameByte(c byte) bool { return isASCIIAlnum(c) || c == '_' }

// detectEntities finds the bot_command and mention entities Telegram's
// clients attach to a user's text, with UTF-16 offsets.
func detectEntities(text string) []MessageEntity {
	var ents []MessageEntity
	prev := rune(0)
	u16 := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		boundary := prev == 0 || !(isWordRune(prev) || prev == '/' || prev == '@')
		if boundary && (r == '/' || r == '@') {
			j := i + 1
			for j < len(text) && isUsernameByte(text[j]) {
				j++
			}
			word := j - i - 1
			if r == '/' && word >= 1 && word <= 64 {
				if j < len(text) && text[j] == '@' {
					k := j + 1
					for k < len(text) && isUsernameByte(text[k]) {
						k++
					}
					if k-j-1 >= 3 {
						j = k
					}
				}
			}
			next, _ := utf8.DecodeRuneInString(text[j:])
			ok := j == len(text) || !(isWordRune(next) || next == '/' || next == '@')
			if r == '/' && word >= 1 && word <= 64 && ok {
				ents = append(ents, MessageEntity{Type: "bot_command", Offset: u16, Length: j - i})
			} else if r == '@' && word >= 5 && word <= 32 && ok {
				ents = append(ents, MessageEntity{Type: "mention", Offset: u16, Length: j - i})
			} else {
				j = i + size
			}
			if j > i+size {
				// the matched span is ASCII, so bytes are UTF-16 units
				u16 += j - i
				prev, _ = utf8.DecodeLastRuneInString(text[:j])
				i = j
				continue
			}
		}
		u16 += utf16.RuneLen(r)
		prev = r
		i += size
	}
	return ents
}
