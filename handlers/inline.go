package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"reportbot/render"
	"reportbot/retrieval"
)

// InlinePage is how many sections one inline answer lists, and
// inlinePassages how many passages: a question's (up to CachedPassages)
// passages then come in two pages, the second by next_offset.
const (
	InlinePage     = 10
	inlinePassages = 5
)

// InlineAnswer is the answer to an inline query: results to choose from,
// the offset of the next page ("" at the end), and a button above them.
type InlineAnswer struct {
	Results []InlineResult
	Next    string
	// Button, when set, opens a private chat with the bot, which gets
	// "/start Start".
	Button *InlineButton
}

// InlineButton is the button above inline results.
type InlineButton struct {
	Text  string
	Start string // the deep-link payload, 1–64 of A-Z a-z 0-9 _ -
}

// InlineResult is one inline-mode result: an article that, chosen, posts
// HTML with Buttons under it.
type InlineResult struct {
	ID          string
	Title       string
	Description string
	HTML        string
	Buttons     [][]Button
}

// Inline answers an inline query: passages as articles, InlinePage at a
// time from offset. A result's title is what tells it from the others
// (the span that answers, or the passage's start), its description the
// citation; chosen, it posts the question, the passage and its citation,
// and a button to ask the bot itself. A question the reports do not
// cover gets no result to post into someone's chat, only a button that
// opens the bot and explains. An empty query lists the report's
// sections.
func (s *Service) Inline(ctx context.Context, chat Chat, query string, offset int) (InlineAnswer, error) {
	if strings.TrimSpace(query) == "" {
		return s.inlineSections(offset), nil
	}
	ans, err := s.Answerer.Answer(ctx, query, CachedPassages)
	if errors.Is(err, retrieval.ErrNoQuestion) {
		return s.inlineSections(offset), nil
	}
	if err != nil {
		return InlineAnswer{}, err
	}
	if !ans.Covered {
		return InlineAnswer{Button: &InlineButton{
			Text:  s.Say(chat, "报告里没有找到，点此看看能问什么", "Not in the report: open the bot to see what it covers"),
			Start: EncodePayload(query),
		}}, nil
	}
	st := s.style(chat)
	var out InlineAnswer
	for i := offset; i < len(ans.Passages) && len(out.Results) < inlinePassages; i++ {
		p := ans.Passages[i]
		r := InlineResult{
			ID:          fmt.Sprintf("%s:%d", p.ReportID, p.Paragraph),
			Title:       render.Clip(inlineTitle(p), 60),
			Description: st.Cite(p),
			HTML:        st.Shared(query, p),
		}
		if link := s.DeepLink(query); link != "" {
			r.Buttons = [][]Button{{{Text: s.Say(chat, "问问机器人", "Ask the bot"), URL: link}}}
		}
		out.Results = append(out.Results, r)
	}
	if end := offset + len(out.Results); end < len(ans.Passages) {
		out.Next = strconv.Itoa(end)
	}
	return out, nil
}

// inlineTitle is what tells a passage from the others at a glance: the
// span that answers, else the passage's start.
func inlineTitle(p retrieval.Passage) string {
	var parts []string
	for _, sp := range render.AnswerSpans(p) {
		parts = append(parts, p.Text[sp.Start:sp.End])
	}
	if t := strings.Join(parts, "…"); t != "" {
		return t
	}
	return strings.TrimSpace(p.Text)
}

// DeepLink is a t.me link that opens the bot and asks it question, or ""
// while the bot's username is not known.
func (s *Service) DeepLink(question string) string {
	if s.Bot == "" {
		return ""
	}
	u := "https://t.me/" + url.PathEscape(s.Bot)
	if p := EncodePayload(question); p != "" {
		u += "?start=" + p
	}
	return u
}

func (s *Service) inlineSections(offset int) InlineAnswer {
	var all []InlineResult
	st := render.Style{Corpus: s.Corpus()}
	for _, r := range s.Corpus().Reports {
		for si, sec := range r.Sections {
			if len(sec.Paragraphs) == 0 {
				continue
			}
			p := render.PassageOf(sec.Paragraphs[0])
			all = append(all, InlineResult{
				ID:          fmt.Sprintf("%s:s%d", r.ID, si),
				Title:       sec.Title,
				Description: render.Clip(p.Text, 120),
				HTML:        st.Passage(p),
			})
		}
	}
	if offset >= len(all) {
		return InlineAnswer{}
	}
	end := min(offset+InlinePage, len(all))
	out := InlineAnswer{Results: all[offset:end]}
	if end < len(all) {
		out.Next = strconv.Itoa(end)
	}
	return out
}
