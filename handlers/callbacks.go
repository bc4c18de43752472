package handlers

import (
	"fmt"
	"strconv"
	"strings"
)

// Callback data, each well under Telegram's 64 bytes. None carries the
// question: "更多结果" reads it back from the message the answer replied
// to, so the buttons keep working after a restart and whatever the cache
// holds.
//
//	m:N        the answer's page from passage offset N, in place
//	f:1, f:0   👍 / 👎 for the answer this button is under
//	w:N        the 👎 is for reason N of Reasons
//	q:N        ask example question N
//	t          list the report's sections, in a new message
//	c          list the report's sections in this message
//	s:R.S.P    page P of section S of report R, in this message
//	n          nothing (a page counter)
//	g:V:R.N    the sentences of line N of report R's key figures, for
//	           corpus version V (its first 6 characters)
const (
	dataUp       = "f:1"
	dataDown     = "f:0"
	dataTopics   = "t"
	dataContents = "c"
	dataNoop     = "n"
)

func whyData(i int) string { return "w:" + strconv.Itoa(i) }

func moreData(offset int) string        { return "m:" + strconv.Itoa(offset) }
func exampleData(i int) string          { return "q:" + strconv.Itoa(i) }
func sectionData(r, s, page int) string { return fmt.Sprintf("s:%d.%d.%d", r, s, page) }
func figureData(version string, r, n int) string {
	return fmt.Sprintf("g:%s:%d.%d", version[:min(len(version), 6)], r, n)
}

// Callback is parsed callback data.
type Callback struct {
	Kind   CallbackKind
	N      int // offset (more), example index (example)
	Up     bool
	Report int
	Sect   int
	Page   int
	// Version is the corpus version a key figure's button was made for.
	Version string
}

// CallbackKind says what a button asks for.
type CallbackKind int

// Kinds of callbacks.
const (
	CallbackUnknown CallbackKind = iota
	CallbackMore
	CallbackFeedback
	CallbackExample
	CallbackTopics
	CallbackSection
	CallbackWhy      // N: the reason
	CallbackContents // the sections, in place
	CallbackNoop
	CallbackFigure
)

// ParseCallback reads callback data made by this package; anything else
// (an old or forged button) is CallbackUnknown.
func ParseCallback(data string) Callback {
	kind, arg, _ := strings.Cut(data, ":")
	num := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= 0 && n < 1_000_000
	}
	switch kind {
	case "m":
		if n, ok := num(arg); ok {
			return Callback{Kind: CallbackMore, N: n}
		}
	case "f":
		if arg == "1" || arg == "0" {
			return Callback{Kind: CallbackFeedback, Up: arg == "1"}
		}
	case "q":
		if n, ok := num(arg); ok {
			return Callback{Kind: CallbackExample, N: n}
		}
	case "t":
		return Callback{Kind: CallbackTopics}
	case "c":
		return Callback{Kind: CallbackContents}
	case "n":
		return Callback{Kind: CallbackNoop}
	case "w":
		if n, ok := num(arg); ok {
			return Callback{Kind: CallbackWhy, N: n}
		}
	case "g":
		version, rest, _ := strings.Cut(arg, ":")
		rs, ns, _ := strings.Cut(rest, ".")
		r, ok1 := num(rs)
		n, ok2 := num(ns)
		if ok1 && ok2 && version != "" {
			return Callback{Kind: CallbackFigure, Version: version, Report: r, N: n}
		}
	case "s":
		parts := strings.Split(arg, ".")
		if len(parts) == 3 {
			r, ok1 := num(parts[0])
			s, ok2 := num(parts[1])
			p, ok3 := num(parts[2])
			if ok1 && ok2 && ok3 {
				return Callback{Kind: CallbackSection, Report: r, Sect: s, Page: p}
			}
		}
	}
	return Callback{}
}
