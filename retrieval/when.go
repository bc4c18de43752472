package retrieval

import (
	"strconv"
	"strings"
	"unicode"
)

// Tense says which part of a report a question asks about. A report of
// year Y reviews Y−1 (what was done, the results) and plans Y (the
// targets and tasks), so "2023年赤字率安排多少" is the 2023 report's plan and
// "2022年实际赤字率是多少" the 2023 report's review.
type Tense int

const (
	// EitherTense: the question does not say.
	EitherTense Tense = iota
	// Plan: targets, arrangements, tasks (目标, 安排, 计划, 打算).
	Plan
	// Done: what happened (实际, 完成, 增长了, 实现了).
	Done
)

func (t Tense) String() string {
	switch t {
	case Plan:
		return "plan"
	case Done:
		return "result"
	}
	return "either"
}

// When is what a question says about time.
type When struct {
	// Years are the calendar years the question names (2023年, 二〇二三年).
	Years []int `json:"years,omitempty"`
	// Relative are years named relative to a report's own year: 今年 0,
	// 去年 −1, 前年 −2, 明年 +1. Each report reads them against its year.
	Relative []int `json:"relative,omitempty"`
	// Tense is which part of a report the question asks about.
	Tense Tense `json:"tense,omitempty"`
	// Day is set when the question asks about a particular day or week
	// (明天, 这周末): work reports speak of years, so none covers it.
	Day string `json:"day,omitempty"`
}

// relativeYears are the words that name a year relative to a report's own.
// 上年 and 过去一年 are how reports themselves say "last year".
var relativeYears = map[string]int{
	"今年": 0, "本年": 0, "当年": 0, "本年度": 0, "今年度": 0,
	"去年": -1, "上年": -1, "上一年": -1, "过去一年": -1, "刚刚过去的一年": -1,
	"前年": -2,
	"明年": 1, "下一年": 1,
}

// relativeForms are how reports write each relative year: 上年 and 过去一年
// are their "last year".
var relativeForms = map[int][]string{
	0:  {"今年", "本年"},
	-1: {"去年", "上年", "过去一年"},
	-2: {"前年"},
	1:  {"明年"},
}

// dayWords name a particular day or week near now. Work reports plan and
// review years; a question about tomorrow's weather or this weekend's
// events is not one they answer. (今天 is left out: reports say "今天的
// 渝中" of the present in general.)
var dayWords = []string{"明天", "后天", "昨天", "前天", "这周末", "本周末", "这个周末", "下周", "上周", "今晚", "明早", "明晚", "tomorrow", "yesterday", "this weekend", "next week"}

// dayIn returns the first day word in a normalised question, or "".
func dayIn(text string) string {
	for _, w := range dayWords {
		if strings.Contains(text, w) {
			return w
		}
	}
	return ""
}

// maxRelativeRunes is the longest key of relativeYears, in runes.
const maxRelativeRunes = 7

// yearAt returns the calendar year written at s[i] and its length in runes
// (the 年 included when it follows), or 0. A year is four digits from 1949
// to 2099 not inside a longer number ("2024年", "2023", "二〇二三年"); a
// four-digit number followed by a unit (2000亿) is an amount, not a year.
func yearAt(s []rune, i int) (year, n int) {
	if i > 0 && isYearDigit(s[i-1]) {
		return 0, 0
	}
	if i+4 > len(s) {
		return 0, 0
	}
	y := 0
	han := false
	for j := i; j < i+4; j++ {
		d, ok := digitValue(s[j])
		if !ok {
			return 0, 0
		}
		if s[j] > unicode.MaxASCII {
			han = true
		}
		y = y*10 + d
	}
	if y < 1949 || y > 2099 {
		return 0, 0
	}
	n = 4
	if i+n < len(s) {
		next := s[i+n]
		switch {
		case next == '年':
			n++
		case isYearDigit(next) || next == '.' || next == '%':
			return 0, 0
		case han:
			return 0, 0 // 二〇二三 without 年 is not written as a year
		case unicode.Is(unicode.Han, next) && !yearMayFollow(next):
			return 0, 0 // 2000亿, 1200万
		}
	} else if han {
		return 0, 0
	}
	return y, n
}

// yearMayFollow lists the characters that may follow a bare four-digit
// year in a question ("2023赤字率", "2019中国"), as opposed to the units
// that make it an amount (2000亿元, 1200万人, 5000套).
func yearMayFollow(r rune) bool {
	switch r {
	case '亿', '万', '千', '百', '元', '人', '套', '个', '辆', '吨', '亩', '斤', '户', '家', '所', '项', '公', '米', '张', '台', '部', '条', '座', '间', '次', '件', '只', '株', '头':
		return false
	}
	return true
}

func isYearDigit(r rune) bool { _, ok := digitValue(r); return ok }

func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	}
	switch r {
	case '〇', '零', 'O':
		return 0, r != 'O'
	case '一':
		return 1, true
	case '二':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// relativeAt returns the offset of a relative-year word at s[i] and its
// length in runes, or n == 0.
func relativeAt(w words, i int) (offset, n int) {
	for k := min(maxRelativeRunes, len(w.s)-i); k >= 2; k-- {
		if off, ok := relativeYears[w.sub(i, k)]; ok {
			return off, k
		}
	}
	return 0, 0
}

// strconvYear formats a year for messages.
func strconvYear(y int) string { return strconv.Itoa(y) + "年" }
