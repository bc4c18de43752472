package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Want is the kind of answer a question asks for, read from its question
// words: 多少 asks for a figure, 谁 for a person or body, 哪天 for a date,
// 哪些 for a list. The answer sentence should be of that kind.
type Want int

const (
	// WantAny: the question words do not say (or there are none).
	WantAny Want = iota
	// WantFigure: a number with its unit (多少, 几, 百分之几, how much).
	WantFigure
	// WantWho: a person or a body (谁, 哪位, who).
	WantWho
	// WantDate: a date (哪天, 何时, 什么时候, when).
	WantDate
	// WantList: several things (哪些, 有什么, which).
	WantList
	// WantReason: why (为什么, 为何, why).
	WantReason
)

func (w Want) String() string {
	switch w {
	case WantFigure:
		return "figure"
	case WantWho:
		return "who"
	case WantDate:
		return "date"
	case WantList:
		return "list"
	case WantReason:
		return "reason"
	}
	return "any"
}

// wantWords maps question words to the answer kind they ask for, longest
// first where one contains another. Matched on the normalised question.
var wantWords = []struct {
	word string
	want Want
}{
	{"什么时候", WantDate}, {"啥时候", WantDate}, {"哪一天", WantDate}, {"哪天", WantDate},
	{"何时", WantDate}, {"几月", WantDate}, {"哪年", WantDate}, {"when", WantDate},
	{"百分之几", WantFigure}, {"多少", WantFigure}, {"几个", WantFigure}, {"几成", WantFigure},
	{"多大", WantFigure}, {"多高", WantFigure}, {"多快", WantFigure}, {"多长", WantFigure},
	{"how much", WantFigure}, {"how many", WantFigure}, {"what percent", WantFigure},
	{"哪位", WantWho}, {"谁", WantWho}, {"who", WantWho},
	{"为什么", WantReason}, {"为何", WantReason}, {"什么原因", WantReason}, {"why", WantReason},
	{"哪些", WantList}, {"有什么", WantList}, {"有哪些", WantList}, {"which", WantList},
}

// wantOf reads the kind of answer a normalised question asks for.
func wantOf(text string) Want {
	best, at := WantAny, len(text)+1
	for _, w := range wantWords {
		// The first question word in the question decides: "哪些…多少"
		// is rare, and then the earlier one is the question.
		if i := strings.Index(text, w.word); i >= 0 && i < at {
			best, at = w.want, i
		}
	}
	return best
}

// hasFigure reports whether s states a figure: a number (Arabic or
// Chinese) followed by a unit or a percent sign, or a multiple (翻一番).
func hasFigure(s string) bool {
	for i, r := range s {
		if !isNumberRune(r) {
			continue
		}
		// Skip to the end of the number, then look at what follows.
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isNumberRune(r) && r != '.' && r != ',' {
				break
			}
			j += n
		}
		if j == len(s) {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[j:])
		if isFigureUnit(next) {
			return true
		}
	}
	return strings.Contains(s, "百分之") || strings.Contains(s, "翻一番") || strings.Contains(s, "个百分点")
}

func isNumberRune(r rune) bool {
	if r >= '0' && r <= '9' {
		return true
	}
	return strings.ContainsRune("一二三四五六七八九十百千万亿两〇零", r)
}

// isFigureUnit: what makes a number a figure rather than an ordinal or
// a name (第一, 一是, 十四五): a measure, a currency, a percent.
func isFigureUnit(r rune) bool {
	if r == '%' || r == '‰' {
		return true
	}
	if !unicode.Is(unicode.Han, r) {
		return false
	}
	return strings.ContainsRune("万亿元人个家户套所座条项辆吨亩斤公里米台张部件次倍成岁天", r)
}

// hasDate reports whether s names a date or a time of year: 1月15日,
// 3月5日, 2025年底, 2027年前, 年内.
func hasDate(s string) bool {
	if strings.Contains(s, "年内") || strings.Contains(s, "年底前") {
		return true
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch {
		case rs[i] == '月' && i > 0 && unicode.IsDigit(rs[i-1]):
			return true
		case rs[i] == '年' && i >= 4 && unicode.IsDigit(rs[i-1]) && i+1 < len(rs) && strings.ContainsRune("底初末前内", rs[i+1]):
			return true // 2025年底, 2027年前
		}
	}
	return false
}

// reasonWords mark a sentence that gives a reason: reports explain a
// target with "主要考虑…" or "这是为了…".
var reasonWords = []string{"考虑", "因为", "由于", "为了", "旨在", "有利于", "目的是", "之所以"}

// satisfies reports whether a sentence is of the kind of answer wanted.
func (w Want) satisfies(sentence string) bool {
	switch w {
	case WantFigure:
		return hasFigure(sentence)
	case WantDate:
		return hasDate(sentence)
	case WantReason:
		for _, w := range reasonWords {
			if strings.Contains(sentence, w) {
				return true
			}
		}
		return false
	case WantList:
		// A list is several items: enumerated with 、 or ；, or 一是…二是.
		return strings.Count(sentence, "、")+strings.Count(sentence, "；")+strings.Count(sentence, ";") >= 2 || strings.Contains(sentence, "二是")
	}
	return true
}

// endWords and startWords ask for where a report ends or begins ("报告最后
// 那句口号", "开头第一句"), not for a topic: the answer is that paragraph.
var (
	endWords   = []string{"最后一句", "最后那句", "最后一段", "最后那段", "结尾", "结束语", "最后说了"}
	startWords = []string{"开头", "第一句", "第一段", "开场白"}
)

// positionOf reads whether a normalised question asks for a report's last
// ("end") or first ("start") words; "" when it does not.
func positionOf(text string) string {
	switch {
	case hasAny(text, endWords):
		return "end"
	case hasAny(text, startWords):
		return "start"
	}
	return ""
}
