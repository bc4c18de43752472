package digest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultTime is when a digest arrives unless the chat says.
const DefaultTime = "09:00"

var timeRe = regexp.MustCompile(`^([01]?\d|2[0-3])[:：]([0-5]\d)$`)

// spokenRe is a time said in Chinese: "8点", "八点半", "早上8点半",
// "下午3点15分", "20时".
var spokenRe = regexp.MustCompile(`^(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})[点时](?:(半)|(一刻)|(三刻)|(整)|(\d{1,2}|[零〇一二三四五六七八九十]{1,3})分?)?$`)

// ampmRe is a time said in English: "8am", "8:30pm".
var ampmRe = regexp.MustCompile(`^(?i)(\d{1,2})(?:[:：]([0-5]\d))?\s*(am|pm)$`)

// periods are the words of the day that may stand before a spoken time,
// as a field of their own ("早上 8点").
var periods = map[string]bool{"凌晨": true, "早上": true, "早晨": true, "上午": true, "中午": true, "下午": true, "傍晚": true, "晚上": true, "夜里": true}

// chineseNumber reads 0–59 in digits or Chinese numerals (八, 十二, 二十五).
func chineseNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	digit := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10, true
	case len(r) == 1:
		n, ok := digit[r[0]]
		return n, ok
	case len(r) == 2 && r[0] == '十':
		n, ok := digit[r[1]]
		return 10 + n, ok
	case len(r) == 2 && r[1] == '十':
		n, ok := digit[r[0]]
		return 10 * n, ok
	case len(r) == 3 && r[1] == '十':
		a, ok1 := digit[r[0]]
		b, ok2 := digit[r[2]]
		return 10*a + b, ok1 && ok2
	}
	return 0, false
}

// spokenTime reads a time of day said in words, as "HH:MM".
func spokenTime(f string) (string, bool) {
	var h, m int
	if g := spokenRe.FindStringSubmatch(f); g != nil {
		var ok bool
		if h, ok = chineseNumber(g[2]); !ok {
			return "", false
		}
		switch {
		case g[3] != "":
			m = 30
		case g[4] != "":
			m = 15
		case g[5] != "":
			m = 45
		case g[7] != "":
			if m, ok = chineseNumber(g[7]); !ok {
				return "", false
			}
		}
		switch g[1] {
		case "下午", "傍晚", "晚上", "夜里":
			if h < 12 {
				h += 12
			}
		case "中午":
			if h < 11 {
				h += 12
			}
		}
	} else if g := ampmRe.FindStringSubmatch(f); g != nil {
		h, _ = strconv.Atoi(g[1])
		if g[2] != "" {
			m, _ = strconv.Atoi(g[2])
		}
		if h < 1 || h > 12 {
			return "", false
		}
		h %= 12
		if strings.EqualFold(g[3], "pm") {
			h += 12
		}
	} else {
		return "", false
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, m), true
}

// ErrBadSchedule is a schedule that is not a time or a zone.
var ErrBadSchedule = errors.New("bad schedule")

// ParseSchedule reads the arguments of "/subscribe [time] [Zone]", in
// either order: the time of day (DefaultTime when not given) as "HH:MM",
// or as said: "8点", "早上8点半", "下午3点15分", "8am"; and the IANA zone
// (defaultTZ when not given). An error wraps ErrBadSchedule and names the
// word that is neither.
func ParseSchedule(args string, defaultTZ *time.Location) (hhmm string, loc *time.Location, err error) {
	hhmm, loc = DefaultTime, defaultTZ
	fields := strings.Fields(args)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if periods[f] && i+1 < len(fields) {
			f, i = f+fields[i+1], i+1 // "早上 8点"
		}
		if m := timeRe.FindStringSubmatch(f); m != nil {
			h, _ := strconv.Atoi(m[1])
			hhmm = fmt.Sprintf("%02d:%s", h, m[2])
			continue
		}
		if t, ok := spokenTime(f); ok {
			hhmm = t
			continue
		}
		l, lerr := time.LoadLocation(f)
		if lerr != nil || f == "" || f == "Local" {
			return "", nil, fmt.Errorf("%w: %q is neither a time (08:30) nor a time zone (Asia/Shanghai)", ErrBadSchedule, f)
		}
		loc = l
	}
	return hhmm, loc, nil
}

// NextDue is the first time at or after from when the clock in loc reads
// hhmm. On a day when that local time does not exist (clocks go forward
// through it) it is the first moment after the gap; when it exists twice
// (clocks go back) it is the first.
func NextDue(hhmm string, loc *time.Location, from time.Time) time.Time {
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:])
	local := from.In(loc)
	for d := 0; d < 3; d++ {
		y, mo, day := local.AddDate(0, 0, d).Date()
		t := time.Date(y, mo, day, h, m, 0, 0, loc)
		if t.Hour() != h || t.Minute() != m {
			// The clocks skip this time today: the first moment after
			// the gap (time.Date may give one before it).
			_, end := t.ZoneBounds()
			t = end
		}
		if !t.Before(from) {
			return t
		}
	}
	return from.Add(24 * time.Hour) // unreachable: some day's time is ahead
}

// LocalDate is the date of t in loc, at midnight UTC, as digests name it.
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
