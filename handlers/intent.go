package handlers

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportbot/retrieval"
)

// Intent is what a message to the bot is, as far as answering goes.
type Intent int

// Intents.
const (
	// IntentQuestion asks something: it is searched.
	IntentQuestion Intent = iota
	// IntentGreeting ("你好"), IntentThanks ("谢谢") and IntentAck ("好的",
	// "收到") are small talk: never searched.
	IntentGreeting
	IntentThanks
	IntentAck
	// IntentChatter has words, but asks nothing the reports know of
	// ("今天天气不错"): no question mark, no question word, no content
	// word of the reports.
	IntentChatter
	// IntentNothing has nothing to search for: punctuation, emoji.
	IntentNothing
)

func (i Intent) String() string {
	switch i {
	case IntentQuestion:
		return "question"
	case IntentGreeting:
		return "greeting"
	case IntentThanks:
		return "thanks"
	case IntentAck:
		return "ack"
	case IntentChatter:
		return "chatter"
	case IntentNothing:
		return "nothing"
	}
	return fmt.Sprintf("Intent(%d)", int(i))
}

// SmallTalk is the data that tells questions from small talk: greetings,
// thanks and acknowledgements, the particles that go with them, and the
// words that ask (see lexicon/smalltalk.txt).
type SmallTalk struct {
	kinds     map[string]Intent // entry → greeting, thanks or ack
	particles map[string]bool
	asking    []string
	maxRunes  int
}

//go:embed lexicon/smalltalk.txt
var smallTalkFile []byte

// DefaultSmallTalk is the small talk embedded in the binary.
var DefaultSmallTalk = mustSmallTalk(smallTalkFile)

func mustSmallTalk(b []byte) *SmallTalk {
	st, err := ParseSmallTalk(b)
	if err != nil {
		panic(err)
	}
	return st
}

// ParseSmallTalk reads small talk in the format of lexicon/smalltalk.txt:
// entries one a line under [greeting], [thanks], [ack], [particle] and
// [question]; '#' starts a comment.
func ParseSmallTalk(b []byte) (*SmallTalk, error) {
	st := &SmallTalk{kinds: map[string]Intent{}, particles: map[string]bool{}}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			continue
		}
		entry := retrieval.Normalize(line)
		st.maxRunes = max(st.maxRunes, utf8.RuneCountInString(entry))
		switch section {
		case "greeting":
			st.kinds[entry] = IntentGreeting
		case "thanks":
			st.kinds[entry] = IntentThanks
		case "ack":
			st.kinds[entry] = IntentAck
		case "particle":
			st.particles[entry] = true
		case "question":
			st.asking = append(st.asking, entry)
		default:
			return nil, fmt.Errorf("small talk line %d: %q is under no known [section]", n, line)
		}
	}
	return st, sc.Err()
}

// kind returns the small talk a whole message is (IntentGreeting,
// IntentThanks, IntentAck), or IntentQuestion when it is not all small
// talk. Greetings win over thanks, thanks over acknowledgements: "好的，
// 谢谢" thanks.
func (st *SmallTalk) kind(text string) Intent {
	s := []rune(text)
	found := IntentQuestion
	for i := 0; i < len(s); {
		r := s[i]
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			i++
			continue
		}
		if n, k := st.match(s, i); n > 0 {
			if found == IntentQuestion || k < found {
				found = k
			}
			i += n
			continue
		}
		if st.particles[string(r)] && found != IntentQuestion {
			i++
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i++ // an emoji or a symbol that says nothing
			continue
		}
		return IntentQuestion
	}
	return found
}

// match returns the length of the longest entry at s[i] and its kind.
func (st *SmallTalk) match(s []rune, i int) (int, Intent) {
	for n := min(st.maxRunes, len(s)-i); n > 0; n-- {
		k, ok := st.kinds[string(s[i:i+n])]
		if ok && wholeLatin(s, i, n) {
			return n, k
		}
	}
	return 0, IntentQuestion
}

// wholeLatin reports whether s[i:i+n] does not cut a run of Latin letters.
func wholeLatin(s []rune, i, n int) bool {
	latin := func(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }
	return !(latin(s[i]) && i > 0 && latin(s[i-1])) && !(latin(s[i+n-1]) && i+n < len(s) && latin(s[i+n]))
}

// asks reports whether text has a word that asks, or asks to be told.
func (st *SmallTalk) asks(text string) bool {
	s := []rune(text)
	for _, w := range st.asking {
		for i := strings.Index(text, w); i >= 0; {
			at := utf8.RuneCountInString(text[:i])
			if wholeLatin(s, at, utf8.RuneCountInString(w)) {
				return true
			}
			next := strings.Index(text[i+len(w):], w)
			if next < 0 {
				break
			}
			i += len(w) + next
		}
	}
	return false
}

// Intent tells what a message to the bot is, from its text alone, the
// same way wherever it comes from (a private chat, a reply to the bot,
// /ask): small talk, by the data in SmallTalk; otherwise a question when
// it has a question mark, a word that asks, or a content word the
// reports contain (retrieval.Index.Knows); chatter when it has words but
// none of these; nothing when it has no words at all.
func (s *Service) Intent(text string) Intent {
	st := s.SmallTalk
	if st == nil {
		st = DefaultSmallTalk
	}
	norm := retrieval.Normalize(text)
	if k := st.kind(norm); k != IntentQuestion {
		return k
	}
	ix, release := s.Answerer.Index.Acquire()
	defer release()
	q, err := ix.Understand(text)
	if err != nil {
		return IntentNothing
	}
	if strings.ContainsAny(norm, "?？") || st.asks(norm) || ix.Knows(q) {
		return IntentQuestion
	}
	return IntentChatter
}
