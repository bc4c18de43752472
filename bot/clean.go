package bot

import (
	"unicode"
	"unicode/utf16"

	tele "gopkg.in/telebot.v3"
)

// clean drops control characters (BEL, ESC, NUL …; not line breaks and
// tabs) from the text and caption of an update's message, moving the
// entities Telegram marked in it (offsets in UTF-16 units) with the text,
// so that a question that starts with one is read, and answered, as if it
// did not.
func clean(u *tele.Update) {
	for _, m := range []*tele.Message{u.Message, u.EditedMessage} {
		if m == nil {
			continue
		}
		m.Text, m.Entities = cleanText(m.Text, m.Entities)
		m.Caption, m.CaptionEntities = cleanText(m.Caption, m.CaptionEntities)
	}
}

func isControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'
}

func cleanText(text string, ents tele.Entities) (string, tele.Entities) {
	dirty := false
	for _, r := range text {
		if isControl(r) {
			dirty = true
			break
		}
	}
	if !dirty {
		return text, ents
	}
	units := utf16.Encode([]rune(text))
	// shift[i] is how many units before unit i are dropped.
	shift := make([]int, len(units)+1)
	kept := make([]uint16, 0, len(units))
	dropped := 0
	for i, c := range units {
		shift[i] = dropped
		if c < 0xd800 || c > 0xdfff { // not half of a surrogate pair
			if isControl(rune(c)) {
				dropped++
				continue
			}
		}
		kept = append(kept, c)
	}
	shift[len(units)] = dropped
	out := make(tele.Entities, 0, len(ents))
	for _, e := range ents {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(units) {
			out = append(out, e)
			continue
		}
		end := e.Offset + e.Length
		e.Offset -= shift[e.Offset]
		e.Length = end - shift[end] - e.Offset
		if e.Length > 0 {
			out = append(out, e)
		}
	}
	return string(utf16.Decode(kept)), out
}
