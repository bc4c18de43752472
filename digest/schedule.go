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

// ErrBadSchedule is a schedule that is not a time or a zone.
var ErrBadSchedule = errors.New("bad schedule")

// ParseSchedule reads the arguments of "/subscribe [HH:MM] [Zone]", in
// either order: the time of day as "HH:MM" (DefaultTime when not given)
// and the IANA zone (defaultTZ when not given). An error wraps
// ErrBadSchedule and names the word that is neither.
func ParseSchedule(args string, defaultTZ *time.Location) (hhmm string, loc *time.Location, err error) {
	hhmm, loc = DefaultTime, defaultTZ
	for _, f := range strings.Fields(args) {
		if m := timeRe.FindStringSubmatch(f); m != nil {
			h, _ := strconv.Atoi(m[1])
			hhmm = fmt.Sprintf("%02d:%s", h, m[2])
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
