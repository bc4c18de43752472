package figures

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportbot/data"
)

// The rules, general to government work reports. A figure is a clause
// (between ，；。： and the like, or a part of one between 、) of the form
//
//	[scope] indicator [modifier] [verb] [pre-qualifier] value unit [– value unit] [qualifier]
//
// "全年国内生产总值增长3%", "城镇新增就业1200万人以上", "居民消费价格涨幅2%左右",
// "粮食产量保持在1.3万亿斤以上", "城镇调查失业率控制在5%以内",
// "国内生产总值增长6%－6.5%", "外汇储备超过3.2万亿美元", and nothing else: a
// clause with anything before its indicator that is not a scope word, or
// anything after its figure, is not understood and yields nothing. Two
// further forms: a part after 、 with no indicator takes the one before
// ("地区生产总值5503亿元、增长5.4%"), and a list with 分别 gives each
// indicator its value ("城镇、农村居民人均可支配收入分别增长5%、6.5%左右").

// Word lists, longest first where one starts another.
var (
	// scopeWords open a clause without being part of its indicator.
	scopeWords = []string{"全市", "全省", "全区", "全州", "全县", "全国", "全社会", "我国", "我省", "我市", "我区",
		"全年", "年末", "年底", "今年", "去年", "上年", "初步核算", "预计", "实现", "确保", "带动", "推动", "其中", "力争", "努力", "实施"}
	// verbs come between an indicator and its value; each says the
	// measure, or none (a level).
	verbs = []struct {
		word string
		m    Measure
	}{
		{"控制在", Level}, {"保持在", Level}, {"稳定在", Level}, {"提高到", Level}, {"提高至", Level},
		{"提升到", Level}, {"提升至", Level}, {"上升到", Level}, {"上升至", Level}, {"下降到", Level},
		{"下降至", Level}, {"降低到", Level}, {"降低至", Level}, {"增加到", Level}, {"增加至", Level},
		{"增长到", Level}, {"增长至", Level}, {"扩大到", Level}, {"扩大至", Level}, {"平均为", Level},
		{"降到", Level}, {"降至", Level}, {"达到", Level}, {"突破", Level}, {"保持", Level}, {"稳定", Level},
		{"增长", Rise}, {"净增", Rise}, {"上涨", Rise}, {"提高", Rise}, {"提升", Rise}, {"上升", Rise}, {"增加", Rise}, {"扩大", Rise},
		{"下降", Fall}, {"降低", Fall}, {"减少", Fall}, {"回落", Fall},
		{"为", Level}, {"达", Level}, {"在", Level},
	}
	// modifiers stand between an indicator and its verb.
	modifiers = []string{"同比", "实际", "名义", "同口径", "比上年", "较上年", "继续", "稳步", "总体", "分别", "均值", "平均"}
	// measureNouns end an indicator and say its measure: 居民消费价格涨幅.
	measureNouns = []struct {
		word string
		m    Measure
	}{{"涨幅", Rise}, {"增幅", Rise}, {"增速", Rise}, {"增长率", Rise}, {"降幅", Fall}}
	// targetNouns end an indicator in a sentence about the target itself:
	// "经济增长预期目标为5%左右".
	targetNouns = []string{"预期目标", "目标"}
	// preQualifiers stand before a value.
	preQualifiers = []string{"不低于", "不少于", "不高于", "不超过", "低于", "高于", "超过", "约", "近", "逾", "超"}
	// postQualifiers follow a value.
	postQualifiers = []string{"左右", "以上", "以内", "以下", "上下"}
	// multipliers and baseUnits make a unit: 万亿斤, 亿元, 万人次.
	multipliers = []string{"万亿", "千亿", "百亿", "千万", "百万", "十万", "亿", "万", "千", "百"}
	baseUnits   = []string{"个百分点", "吨标准煤", "平方公里", "平方米", "立方米", "千瓦时", "标准箱", "人民币", "美元", "人次",
		"千瓦", "公里", "千米", "公顷", "公斤", "千克", "标箱", "小时", "元", "人", "户", "家", "个", "项", "所", "座", "套", "间",
		"张", "台", "辆", "艘", "架", "件", "头", "只", "株", "吨", "斤", "亩", "米", "倍", "天", "名", "位", "次", "场", "部",
		"条", "处", "片", "批", "床", "份", "%", "％", "‰"}
	// rangeDashes join the two ends of a range: 6%－6.5%.
	rangeDashes = []string{"－", "—", "–", "-", "~", "～", "至", "到"}
	// heads end the name of an indicator not in the table: a figure's
	// indicator is a rate, an amount, a quantity.
	heads = []string{"率", "额", "量", "值", "总值", "收入", "支出", "投资", "就业", "人数", "人口", "产量", "面积", "规模",
		"比例", "比重", "强度", "价格", "指数", "能耗", "储备", "产值", "亩产", "单产", "浓度", "天数", "里程", "产能",
		"装机", "增加值", "余额", "贷款", "税收", "利润", "营收", "出口", "进口", "消费", "客流", "游客", "订单", "生产率", "主体", "外资", "企业", "项目"}
	// bareHeads are too general to name an indicator alone.
	bareHeads = []string{"总量", "规模", "增速", "数量", "总额", "比例", "比重", "产量", "收入", "投资", "产值", "总产", "增量", "存量", "企业", "项目", "主体"}
	// multiYear words make a review sentence speak of several years, not
	// of the year before: its figures are not that year's results.
	multiYear = []string{"五年", "十年", "年来", "十三五", "十四五时期", "以来"}
	// periodWords make a clause's figure a sum or an average over years
	// ("累计达到973座", "年均增长5.2%"), not a year's.
	periodWords = []string{"累计", "年均"}
)

// clause is a parsed figure, before its kind is known.
type clause struct {
	phrase    data.Span // the indicator as written (empty: taken from the one before)
	indicator string
	known     bool
	measure   Measure
	verb      string
	value     data.Span
	valueTo   data.Span
	unit      data.Span
	pre, post string // qualifiers before the value (约, 不低于, 力争) and after it (左右, 以上)
	preSpan   data.Span
	figure    data.Span // value to qualifier
	clause    data.Span // indicator (or verb) to qualifier
	num, to   float64   // the value, and the range's end (0 for none)
}

// parseSentence returns the figures of one sentence of text, in order.
func (t *table) parseSentence(text string, sent data.Span) []clause {
	if !hasDigit(text[sent.Start:sent.End]) {
		return nil // most sentences: no figure to look for
	}
	var out []clause
	for _, c := range splitClauses(text, sent) {
		if !hasDigit(text[c.Start:c.End]) {
			continue
		}
		if strings.Contains(text[c.Start:c.End], "分别") {
			out = append(out, t.parseList(text, c)...)
			continue
		}
		var prev *clause
		listed := false // the part before names something with no figure
		for _, part := range splitOn(text, c, "、") {
			if firstDigit(text, part.Start, part.End) < 0 {
				// "集成电路、生物医药、人工智能三大先导产业规模达到1.8万亿元":
				// the figure after it is of a list, whose name the rules
				// cannot tell.
				listed, prev = true, nil
				continue
			}
			if listed {
				listed = false
				continue
			}
			cls := t.parsePart(text, part, prev)
			if len(cls) == 0 {
				prev = nil
				continue
			}
			out = append(out, cls...)
			prev = &out[len(out)-1]
		}
	}
	return out
}

// splitClauses cuts a sentence at clause punctuation. A comma between
// digits is a thousands separator, not a break.
func splitClauses(text string, sent data.Span) []data.Span {
	var out []data.Span
	start := sent.Start
	for i := sent.Start; i < sent.End; {
		r, size := utf8.DecodeRuneInString(text[i:])
		brk := false
		switch r {
		case '，', '；', '。', '：', '！', '？', ';', ':', '!', '?', '\n':
			brk = true
		case ',':
			brk = !(i > 0 && isDigit(lastRune(text[:i])) && i+1 < len(text) && isDigit(firstRune(text[i+1:])))
		}
		if brk {
			if sp := trimSpan(text, start, i); sp.End > sp.Start {
				out = append(out, sp)
			}
			start = i + size
		}
		i += size
	}
	if sp := trimSpan(text, start, sent.End); sp.End > sp.Start {
		out = append(out, sp)
	}
	return out
}

// splitOn cuts a span at sep.
func splitOn(text string, sp data.Span, sep string) []data.Span {
	var out []data.Span
	start := sp.Start
	for {
		i := strings.Index(text[start:sp.End], sep)
		if i < 0 {
			break
		}
		if s := trimSpan(text, start, start+i); s.End > s.Start {
			out = append(out, s)
		}
		start += i + len(sep)
	}
	if s := trimSpan(text, start, sp.End); s.End > s.Start {
		out = append(out, s)
	}
	return out
}

func trimSpan(text string, start, end int) data.Span {
	for start < end {
		r, size := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return data.Span{Start: start, End: end}
}

// parsePart parses one part of a clause: its figure, and a second one
// that follows it with a verb and no punctuation ("社会消费品零售总额2.76万亿元
// 增长6.1%"). prev is the figure of the part before it (joined by 、),
// whose indicator a part that names none takes.
func (t *table) parsePart(text string, sp data.Span, prev *clause) []clause {
	if hasAny(text[sp.Start:sp.End], periodWords) {
		return nil
	}
	cl, k, ok := t.parseFirst(text, sp, prev)
	if !ok {
		return nil
	}
	if k == sp.End {
		return []clause{cl}
	}
	// Something follows the figure: it must be a verb and a figure.
	next := clause{phrase: data.Span{Start: k, End: k}, indicator: cl.indicator, known: cl.known}
	for _, v := range verbs {
		if utf8.RuneCountInString(v.word) >= 2 && strings.HasPrefix(text[k:sp.End], v.word) {
			next.verb, next.measure = v.word, v.m
			break
		}
	}
	if next.verb == "" {
		return nil // not understood
	}
	e, ok := parseFigure(text, k+len(next.verb), sp.End, &next)
	if !ok || e != sp.End {
		return nil
	}
	next.clause = sp
	return []clause{cl, next}
}

// parseFirst parses a part's first figure and returns where it ends.
func (t *table) parseFirst(text string, sp data.Span, prev *clause) (clause, int, bool) {
	i := skipWords(text, sp.Start, sp.End, scopeWords, true)
	j := firstDigit(text, i, sp.End)
	if j < 0 {
		return clause{}, 0, false
	}
	pre := text[i:j]
	var cl clause
	if a := strings.Index(text[sp.Start:i], "力争"); a >= 0 {
		// "力争达到8%": a figure to strive for, beyond the target itself.
		cl.pre, cl.preSpan = "力争", data.Span{Start: sp.Start + a, End: sp.Start + a + len("力争")}
	}
	// From the value back: pre-qualifier, verb, modifiers, measure noun.
	end := len(pre)
	if w := suffixIn(pre[:end], preQualifiers); w != "" {
		end -= len(w)
		cl.pre, cl.preSpan = w, data.Span{Start: i + end, End: i + end + len(w)}
	}
	for _, v := range verbs {
		if strings.HasSuffix(pre[:end], v.word) {
			end -= len(v.word)
			cl.verb, cl.measure = v.word, v.m
			break
		}
	}
	for {
		w := suffixIn(pre[:end], modifiers)
		if w == "" {
			break
		}
		end -= len(w)
	}
	for _, w := range targetNouns {
		if strings.HasSuffix(pre[:end], w) && end > len(w) {
			end -= len(w)
			break
		}
	}
	phrase := pre[:end]
	if phrase == "" {
		// "、增长5.4%": the indicator is the one before.
		if prev == nil || cl.verb == "" {
			return clause{}, 0, false
		}
		cl.phrase, cl.indicator, cl.known = data.Span{Start: i, End: i}, prev.indicator, prev.known
	} else {
		for _, n := range measureNouns {
			if strings.HasSuffix(phrase, n.word) && len(phrase) > len(n.word) {
				phrase = phrase[:len(phrase)-len(n.word)]
				if cl.verb == "" || cl.measure == Level {
					cl.measure = n.m
				}
				break
			}
		}
		name, known, m, ok := t.name(phrase)
		if !ok {
			return clause{}, 0, false
		}
		if m != nil {
			cl.measure = *m
		}
		cl.phrase = data.Span{Start: i, End: i + len(phrase)}
		cl.indicator, cl.known = name, known
	}
	k, ok := parseFigure(text, j, sp.End, &cl)
	if !ok {
		return clause{}, 0, false
	}
	if inherited := cl.phrase.End == cl.phrase.Start; inherited && cl.measure == Level && prev.measure != Level &&
		isPercent(text[cl.unit.Start:cl.unit.End]) && isPercent(text[prev.unit.Start:prev.unit.End]) {
		// "增长7%以上、力争达到8%": a rate reached is the growth rate before it.
		cl.measure = prev.measure
	}
	// The clause as written, scope words included: "全年国内生产总值增长3%".
	cl.clause = data.Span{Start: sp.Start, End: k}
	return cl, k, true
}

// name normalises an indicator phrase: the table's indicator, or the
// phrase itself when its form says it is one (it ends in a head such as
// 率, 额, 产量). A measure is returned when the name says it.
func (t *table) name(phrase string) (name string, known bool, m *Measure, ok bool) {
	if phrase == "" || utf8.RuneCountInString(phrase) > 24 {
		return "", false, nil, false
	}
	for _, r := range phrase {
		if !unicode.Is(unicode.Han, r) && !(r < utf8.RuneSelf && unicode.IsLetter(r)) {
			return "", false, nil, false
		}
	}
	a, ok := t.lookup(phrase)
	if !ok && (strings.HasPrefix(phrase, "全") || strings.HasPrefix(phrase, "我")) {
		// 全疆, 我区: a scope word of a place the list does not name.
		_, size := utf8.DecodeRuneInString(phrase[len("全"):])
		a, ok = t.lookup(phrase[len("全")+size:])
	}
	if ok {
		if a.hasMeas {
			m := a.measure
			return a.ind.name, true, &m, true
		}
		return a.ind.name, true, nil, true
	}
	for _, b := range bareHeads {
		if phrase == b {
			return "", false, nil, false
		}
	}
	// A name the table does not know must say enough alone: 普及率 and
	// 总规模 are of something said before; 占全国份额 is a share of it.
	// And it must be a name: "将…从月销售额" and "培育一批产值" are pieces of
	// a sentence that says what is done.
	if utf8.RuneCountInString(phrase) < 4 || strings.HasPrefix(phrase, "占") || suffixIn(phrase, heads) == "" ||
		strings.ContainsAny(phrase, "将把从使让被") || strings.Contains(phrase, "一批") {
		return "", false, nil, false
	}
	return phrase, false, nil, true
}

// parseFigure reads value, unit, range and qualifier from text[j:end]
// into cl and returns where it stopped.
func parseFigure(text string, j, end int, cl *clause) (int, bool) {
	v, k := number(text, j, end)
	if k == j {
		return j, false
	}
	cl.value, cl.num = data.Span{Start: j, End: k}, v
	u := unitAt(text, k, end)
	k += len(u)
	if d := prefixIn(text[k:end], rangeDashes); d != "" {
		if v2, k2 := number(text, k+len(d), end); k2 > k+len(d) {
			u2 := unitAt(text, k2, end)
			if u == "" || u2 == "" || u == u2 || (isPercent(u) && isPercent(u2)) {
				cl.valueTo, cl.to = data.Span{Start: k + len(d), End: k2}, v2
				k = k2 + len(u2)
				if u == "" {
					u = u2
				}
			}
		}
	}
	if u == "" {
		return j, false // a bare number is not a figure
	}
	if prefixIn(u, baseUnits) == "" && len(prefixIn(u, multipliers)) == len(u) && prefixIn(text[k:end], postQualifiers) == "" {
		// "1000万以上" is a count of people; "超500亿" could be anything.
		return j, false
	}
	cl.unit = data.Span{Start: k - len(u), End: k}
	if q := prefixIn(text[k:end], postQualifiers); q != "" {
		cl.post = q
		k += len(q)
	}
	start := j
	if cl.pre != "" && cl.preSpan.End == j {
		start = cl.preSpan.Start // "约1500亿元", "超过3%": the qualifier is part of the figure
	}
	cl.figure = data.Span{Start: start, End: k}
	return k, true
}

// number reads a decimal number at text[j:] (ASCII or full-width digits,
// one decimal point) and returns its value and where it ends.
func number(text string, j, end int) (float64, int) {
	var b strings.Builder
	k := j
	dot := false
	for k < end {
		r, size := utf8.DecodeRuneInString(text[k:])
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case (r == '.' || r == '．') && !dot && k > j && k+size < end && isDigit(firstRune(text[k+size:])):
			dot = true
			b.WriteByte('.')
		default:
			v, _ := strconv.ParseFloat(b.String(), 64)
			return v, k
		}
		k += size
	}
	v, _ := strconv.ParseFloat(b.String(), 64)
	return v, k
}

// unitAt is the unit at text[k:]: a multiplier, a base unit, both, or a
// base unit per another ("万元/人"), or "".
func unitAt(text string, k, end int) string {
	rest := text[k:end]
	m := prefixIn(rest, multipliers)
	b := prefixIn(rest[len(m):], baseUnits)
	u := m + b
	if b != "" && strings.HasPrefix(rest[len(u):], "/") {
		if per := prefixIn(rest[len(u)+1:], baseUnits); per != "" {
			u += "/" + per
		}
	}
	return u
}

func isPercent(u string) bool { return u == "%" || u == "％" }

// hasDigit reports whether s holds an ASCII or a full-width digit,
// looking at bytes: UTF-8 writes ０–９ as EF BC 90–99.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			return true
		}
		if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

func firstDigit(text string, i, end int) int {
	for k := i; k < end; {
		r, size := utf8.DecodeRuneInString(text[k:])
		if isDigit(r) {
			return k
		}
		k += size
	}
	return -1
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

// skipWords skips the words of list at text[i:end], repeatedly when
// repeat is set, and a four-digit year ("2024年") among them.
func skipWords(text string, i, end int, list []string, repeat bool) int {
	for {
		w := prefixIn(text[i:end], list)
		if w == "" {
			if y := yearPrefix(text[i:end]); y > 0 {
				w = text[i : i+y]
			}
		}
		if w == "" {
			return i
		}
		i += len(w)
		if !repeat {
			return i
		}
	}
}

// yearPrefix is the length of "2024年" at the start of s, or 0.
func yearPrefix(s string) int {
	if len(s) < 4+len("年") {
		return 0
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
	}
	if !strings.HasPrefix(s[4:], "年") || (s[0] != '1' && s[0] != '2') {
		return 0
	}
	return 4 + len("年")
}

func prefixIn(s string, list []string) string {
	for _, w := range list {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

func suffixIn(s string, list []string) string {
	best := ""
	for _, w := range list {
		if strings.HasSuffix(s, w) && len(w) > len(best) {
			best = w
		}
	}
	return best
}

// listSeps join the indicators, and the values, of a list with 分别.
var listSeps = []string{"、", "和", "及", "与"}

// parseList parses a clause that gives several indicators their values
// with 分别: "一产、二产、三产增加值分别增长5.5%左右、6%左右、5%左右",
// "城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内". An indicator that is
// not one alone (一产, 城镇) takes the end of the last one's name (增加值,
// 居民人均可支配收入); 城乡 is 城镇 and 农村. A clause whose indicators and
// values do not pair off yields nothing.
func (t *table) parseList(text string, c data.Span) []clause {
	i := skipWords(text, c.Start, c.End, scopeWords, true)
	at := strings.Index(text[i:c.End], "分别")
	if at <= 0 {
		return nil
	}
	itemsEnd := i + at
	k := itemsEnd + len("分别")
	k = skipWords(text, k, c.End, modifiers, true)
	verb, measure := "", Level
	for _, v := range verbs {
		if strings.HasPrefix(text[k:c.End], v.word) {
			verb, measure = v.word, v.m
			k += len(v.word)
			break
		}
	}
	var values []clause
	for k < c.End {
		var cl clause
		if w := prefixIn(text[k:c.End], preQualifiers); w != "" {
			cl.pre, cl.preSpan = w, data.Span{Start: k, End: k + len(w)}
			k += len(w)
		}
		e, ok := parseFigure(text, k, c.End, &cl)
		if !ok {
			return nil
		}
		values = append(values, cl)
		k = e
		if k == c.End {
			break
		}
		sep := prefixIn(text[k:c.End], listSeps)
		if sep == "" {
			return nil
		}
		k += len(sep)
	}
	// A qualifier written once after the last value is every value's:
	// "分别增长5%、6.5%左右".
	if last := values[len(values)-1].post; last != "" {
		for n := range values {
			if values[n].post == "" && values[n].pre == "" {
				values[n].post = last
			}
		}
	}
	items := splitItems(text, data.Span{Start: i, End: itemsEnd})
	if len(items) == 1 && len(values) == 2 && strings.HasPrefix(text[items[0].Start:items[0].End], "城乡") {
		// 城乡居民 are 城镇居民 and 农村居民.
		rest := text[items[0].Start+len("城乡") : items[0].End]
		return t.pair(text, c, items, []string{"城镇" + rest, "农村" + rest}, values, verb, measure)
	}
	if len(items) != len(values) || len(items) < 2 {
		return nil
	}
	last := text[items[len(items)-1].Start:items[len(items)-1].End]
	names := make([]string, len(items))
	for n, it := range items {
		phrase := text[it.Start:it.End]
		if n == len(items)-1 {
			names[n] = phrase
			continue
		}
		if _, _, _, ok := t.name(trimMeasure(phrase)); ok {
			names[n] = phrase
			continue
		}
		tail := t.sharedTail(last)
		if tail == "" {
			return nil
		}
		names[n] = phrase + tail
	}
	return t.pair(text, c, items, names, values, verb, measure)
}

// pair gives each named indicator its value.
func (t *table) pair(text string, c data.Span, items []data.Span, names []string, values []clause, verb string, measure Measure) []clause {
	out := make([]clause, 0, len(values))
	for n, v := range values {
		phrase := names[n]
		m := measure
		for _, mn := range measureNouns {
			if strings.HasSuffix(phrase, mn.word) && len(phrase) > len(mn.word) {
				phrase = phrase[:len(phrase)-len(mn.word)]
				if verb == "" || m == Level {
					m = mn.m
				}
				break
			}
		}
		name, known, nm, ok := t.name(phrase)
		if !ok {
			return nil
		}
		if nm != nil {
			m = *nm
		}
		v.indicator, v.known, v.measure, v.verb = name, known, m, verb
		v.phrase = items[min(n, len(items)-1)]
		v.clause = c
		out = append(out, v)
	}
	return out
}

// sharedTail is the end of a list's last indicator that the others
// share: the longest ending that is an indicator's name or a head
// (居民人均可支配收入 of 农村居民人均可支配收入, 增加值 of 三产增加值).
func (t *table) sharedTail(last string) string {
	last = trimMeasure(last)
	for i := range last {
		if i == 0 {
			continue
		}
		tail := last[i:]
		if _, ok := t.lookup(tail); ok {
			return tail
		}
		for _, h := range heads {
			if tail == h && utf8.RuneCountInString(h) >= 2 {
				return tail
			}
		}
	}
	return ""
}

func trimMeasure(phrase string) string {
	for _, mn := range measureNouns {
		if strings.HasSuffix(phrase, mn.word) && len(phrase) > len(mn.word) {
			return phrase[:len(phrase)-len(mn.word)]
		}
	}
	return phrase
}

// splitItems cuts a list of indicators at 、和及与.
func splitItems(text string, sp data.Span) []data.Span {
	var out []data.Span
	start := sp.Start
	for k := sp.Start; k < sp.End; {
		if sep := prefixIn(text[k:sp.End], listSeps); sep != "" {
			if s := trimSpan(text, start, k); s.End > s.Start {
				out = append(out, s)
			}
			k += len(sep)
			start = k
			continue
		}
		_, size := utf8.DecodeRuneInString(text[k:])
		k += size
	}
	if s := trimSpan(text, start, sp.End); s.End > s.Start {
		out = append(out, s)
	}
	return out
}
