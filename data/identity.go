package data

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reading who issued a report, for where and for which year, from the lines
// every report carries: the title ("2025年上海市政府工作报告",
// "重庆市渝中区人民政府工作报告", or just "政府工作报告"), the speaker line
// ("——2025年3月5日在第十四届全国人民代表大会第三次会议上 国务院总理 李强")
// and the part headings ("一、2024年工作回顾", "二、2025年工作安排"). The
// file name is the last resort.

var (
	// titlePlaceRe splits a work report's title into the place, the body
	// that issues it when the title names one, and the document kind.
	titlePlaceRe = regexp.MustCompile(`^(?:\d{4}\s*年度?)?(.*?)(人民政府|管理委员会|管委会)?(?:\d{4}\s*年度?)?(政府)?工作报告`)
	// placeRe: what a place's name is made of.
	placeRe = regexp.MustCompile(`^\p{Han}+$`)
	// speakerPlaceRe finds the people's congress a report was delivered
	// to: "在成都市第十八届人民代表大会…".
	speakerPlaceRe = regexp.MustCompile(`在(\p{Han}{2,30}?)第[一二三四五六七八九十百]+届`)
	nationalRe     = regexp.MustCompile(`全国人民代表大会|国务院|总理`)
	yearRe         = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)
	monthNextRe    = regexp.MustCompile(`^\s*\d{1,2}\s*月`)
	fileYearRe     = regexp.MustCompile(`(?:^|\D)((?:19|20)\d{2})(?:\D|$)`)
	// officeRe finds who delivered the report in a speaker line: the
	// office, then the name ("省长　胡玉亭", "北京市市长 殷勇同志作…",
	// "自治区人民政府主席王莉霞在…").
	officeRe = regexp.MustCompile(`((?:代理|代)?(?:总理|省长|市长|区长|县长|州长|盟长|旗长|主席|主任))[\s　]*(\p{Han}{2,6}?(?:·\p{Han}{1,8})?)(?:同志|作|在|\s|$)`)
	// nameFirstRe is the other order: "2025年1月15日龚正市长在…".
	nameFirstRe = regexp.MustCompile(`日(\p{Han}{2,3})((?:代理|代)?(?:总理|省长|市长|区长|县长|州长|盟长|旗长|主席))在`)
	// officeStartRe marks where an office's own words begin in a speaker
	// line: after the date, after "会议上", or at the line's start.
	officeStartRe = regexp.MustCompile(`(?:\d日|会议上|会议的|讲话|\s)`)
)

// identify fills in the report's issuer, region, level, year, person and
// office. headings are the report's top-level headings.
func identify(r *Report, headings []string) {
	identifyPerson(r)
	place, body := "", ""
	if m := titlePlace(r.Title); m != nil && r.titled {
		place, body = m[1], m[2]
	}
	national := false
	switch {
	case place != "":
		national = isNationalName(place)
	case nationalRe.MatchString(r.Speaker) || strings.Contains(r.Office, "国务院") || strings.Contains(r.Office, "总理"):
		national = true
	default:
		if m := speakerPlaceRe.FindStringSubmatch(r.Speaker); m != nil {
			place = m[1]
		} else if m := titlePlace(r.ID); m != nil {
			// The file name, as published sites name them: 国务院政府工作报告-2019.
			place, body = strings.TrimSpace(m[1]), m[2]
			national = isNationalName(place)
		}
	}
	switch {
	case national:
		r.Issuer, r.Region, r.RegionPath, r.Level = "国务院", "全国", []string{"全国"}, LevelNational
	case place != "":
		r.RegionPath, r.Level = resolvePlace(place)
		r.Region = r.RegionPath[len(r.RegionPath)-1]
		if body != "" && body != "人民政府" {
			r.Issuer = place + body
		} else {
			r.Issuer = strings.Join(r.RegionPath, "") + "人民政府"
		}
	}
	r.Year = reportYear(r, headings)
}

// titlePlace matches a government work report's title: the place, the
// issuing body when named, and 政府 in the document's kind. Other reports
// ("熊猫谷2024年大熊猫保护工作报告") name no place.
func titlePlace(title string) []string {
	m := titlePlaceRe.FindStringSubmatch(title)
	if m == nil || m[2] == "" && m[3] == "" {
		return nil
	}
	if m[1] = strings.TrimSpace(m[1]); m[1] != "" && !placeRe.MatchString(m[1]) {
		return nil
	}
	return m
}

func isNationalName(place string) bool {
	if place == "国务院" || place == "中央人民政府" {
		return true
	}
	g, ok := LookupRegion(place)
	return ok && g.Level == LevelNational
}

// resolvePlace turns the place a title names into the region path: the
// province from the gazetteer, then the regions below it cut by their
// suffixes (市, 区, 县, 州, 盟, 旗).
func resolvePlace(place string) (path []string, level Level) {
	rest := place
	if g, n := provincePrefix(place); n > 0 {
		path = append(path, g.Full)
		rest = place[n:]
		level = LevelProvincial
	}
	units := splitUnits(rest)
	path = append(path, units...)
	if len(units) > 0 {
		level = unitLevel(path)
	}
	if len(path) == 0 {
		path = []string{place}
	}
	return path, level
}

// provincePrefix finds the province-level region a place name starts with,
// by its full name or its usual name (never a one-character abbreviation),
// and how many bytes of place that name takes.
func provincePrefix(place string) (Region, int) {
	var best Region
	n := 0
	for _, g := range gazetteer().regions {
		if g.Level != LevelProvincial {
			continue
		}
		for _, name := range []string{g.Full, g.Name} {
			if len(name) > n && strings.HasPrefix(place, name) {
				best, n = g, len(name)
			}
		}
	}
	return best, n
}

// splitUnits cuts "阿坝藏族羌族自治州汶川县" into its regions, after each
// suffix character that leaves at least two characters (济南市 + 市中区),
// except a 州 that another suffix follows (苏州市 is one region, not
// 苏州 + 市).
func splitUnits(s string) []string {
	const suffixes = "省市区县州盟旗"
	runes := []rune(s)
	var units []string
	start := 0
	for i, r := range runes {
		if !strings.ContainsRune(suffixes, r) || i+1-start < 2 {
			continue
		}
		if r == '州' && i+1 < len(runes) && strings.ContainsRune(suffixes, runes[i+1]) {
			continue
		}
		units = append(units, string(runes[start:i+1]))
		start = i + 1
	}
	if start < len(runes) {
		units = append(units, string(runes[start:]))
	}
	return units
}

// unitLevel is the level of the last region of path, by its suffix and
// what encloses it: a 市 under another 市 or a 州 is county-level.
func unitLevel(path []string) Level {
	last := path[len(path)-1]
	if g, ok := LookupRegion(last); ok && g.Full == last {
		return g.Level
	}
	switch suffix, _ := splitSuffix(last); suffix {
	case "区", "县", "旗", "新区", "自治县", "自治旗":
		return LevelDistrict
	case "州", "盟", "自治州":
		return LevelMunicipal
	case "省":
		return LevelProvincial
	case "市":
		for _, above := range path[:len(path)-1] {
			if s, _ := splitSuffix(above); s == "州" || s == "自治州" || s == "盟" {
				return LevelDistrict
			}
			if g, ok := LookupRegion(above); ok && g.Full == above {
				continue // a province, or a municipality's own 市
			}
			if s, _ := splitSuffix(above); s == "市" {
				return LevelDistrict
			}
		}
		return LevelMunicipal
	}
	return LevelUnknown
}

// reportYear is the year the report plans: the title's year, else the year
// its plan heading names (or its review heading's next year), else the
// year it was delivered, else a year in the file name.
func reportYear(r *Report, headings []string) int {
	if r.titled {
		for _, m := range yearRe.FindAllStringSubmatchIndex(r.Title, -1) {
			if !monthNextRe.MatchString(r.Title[m[1]:]) { // a date is not the title's year
				return atoi(r.Title[m[2]:m[3]])
			}
		}
	}
	review := 0
	for _, h := range headings {
		m := yearRe.FindStringSubmatch(h)
		if m == nil {
			continue
		}
		y := atoi(m[1])
		if strings.Contains(h, "回顾") {
			if review == 0 {
				review = y + 1
			}
			continue
		}
		return y
	}
	if review != 0 {
		return review
	}
	if m := yearRe.FindStringSubmatch(r.Date); m != nil {
		return atoi(m[1])
	}
	if m := yearRe.FindStringSubmatch(r.ID); m != nil {
		return atoi(m[1])
	}
	if m := fileYearRe.FindStringSubmatch(r.ID); m != nil {
		return atoi(m[1])
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// identifyPerson reads the person and their office from the speaker line.
func identifyPerson(r *Report) {
	s := r.Speaker
	if m := nameFirstRe.FindStringSubmatch(s); m != nil {
		r.Person, r.Office = m[1], m[2]
		return
	}
	loc := officeRe.FindAllStringSubmatchIndex(s, -1)
	if loc == nil {
		return
	}
	m := loc[len(loc)-1]
	r.Person = s[m[4]:m[5]]
	// The office's own words run back to the date, "会议上" or a space:
	// "北京市市长", "宁夏回族自治区人民政府主席".
	start := 0
	for _, b := range officeStartRe.FindAllStringIndex(s[:m[2]], -1) {
		start = b[1]
	}
	r.Office = strings.TrimSpace(s[start:m[3]])
}

// nameReports gives every report a citation name that no other loaded
// report has, as short as that allows.
func nameReports(reports []*Report) {
	byIssuer := map[string]int{}
	for _, r := range reports {
		if r.Issuer != "" {
			byIssuer[r.Issuer]++
		}
	}
	level := make([]int, len(reports))
	for i, r := range reports {
		if !titleNames(r, byIssuer[r.Issuer] > 1, len(reports)) {
			level[i] = 1
		}
	}
	for round := 0; round < 4; round++ {
		names := map[string][]int{}
		for i, r := range reports {
			r.Name = citationName(r, level[i])
			names[r.Name] = append(names[r.Name], i)
		}
		clash := false
		for _, same := range names {
			if len(same) < 2 {
				continue
			}
			for _, i := range same {
				if level[i] < 3 {
					level[i]++
					clash = true
				}
			}
		}
		if !clash {
			return
		}
	}
}

// titleNames reports whether r's title alone makes a good citation: it
// names the report's region (or it is the only report), and it carries the
// year when another report of the same issuer is loaded.
func titleNames(r *Report, sameIssuer bool, reports int) bool {
	if r.Region == "" || reports == 1 && !sameIssuer {
		return true
	}
	named := false
	if g, ok := regionOf(r); ok {
		for _, n := range g.Names() {
			if utf8.RuneCountInString(n) >= 2 && strings.Contains(r.Title, n) {
				named = true
			}
		}
	}
	if !named {
		return false
	}
	return !sameIssuer || r.Year != 0 && strings.Contains(r.Title, strconv.Itoa(r.Year)+"年")
}

func regionOf(r *Report) (Region, bool) {
	if len(r.RegionPath) == 0 {
		return Region{}, false
	}
	return regionAt(r, len(r.RegionPath)-1), true
}

// citationName is r's name at a level of detail: 0 the title, 1 issuer and
// year, 2 with the date, 3 with the file too.
func citationName(r *Report, level int) string {
	if level == 0 {
		return r.Title
	}
	base := r.Title
	if r.Issuer != "" && strings.Contains(r.Title, "政府工作报告") {
		if strings.HasSuffix(r.Issuer, "政府") {
			base = r.Issuer + "工作报告"
		} else {
			base = r.Issuer + "政府工作报告"
		}
	}
	var parts []string
	if r.Year != 0 {
		parts = append(parts, strconv.Itoa(r.Year)+"年")
	}
	if level >= 2 && r.Date != "" {
		parts = append(parts, r.Date)
	}
	if level >= 3 || len(parts) == 0 && level >= 2 {
		parts = append(parts, r.ID)
	}
	if len(parts) == 0 {
		return base
	}
	return base + "（" + strings.Join(parts, "，") + "）"
}
