package data

import (
	"bytes"
	"errors"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

func TestEmbeddedReport(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatalf("Load(\"\"): %v", err)
	}
	if len(c.Reports) != 1 {
		t.Fatalf("Load(\"\") gave %d reports, want 1", len(c.Reports))
	}
	r := c.Reports[0]
	checkReport(t, r, pageFurniture)

	if r.ID != DefaultReportID {
		t.Errorf("ID = %q, want %q", r.ID, DefaultReportID)
	}
	if want := "重庆市渝中区人民政府工作报告"; r.Title != want {
		t.Errorf("Title = %q, want %q", r.Title, want)
	}
	if want := "2024年1月15日"; r.Date != want {
		t.Errorf("Date = %q, want %q", r.Date, want)
	}
	if !strings.Contains(r.Header.Text, "2024年1月15日") {
		t.Errorf("header %q does not contain the date", r.Header.Text)
	}
	if strings.HasPrefix(r.Header.Text, "(重庆市)") {
		t.Errorf("header %q keeps the site's category prefix", r.Header.Text)
	}

	wantSections := []struct {
		title, parent string
		paragraphs    int
	}{
		{OpeningSection, "", 3},
		{"二、2024年工作安排", "", 5},
	}
	if len(r.Sections) != len(wantSections) {
		t.Fatalf("%d sections %v, want %d", len(r.Sections), sectionTitles(r), len(wantSections))
	}
	for i, w := range wantSections {
		s := r.Sections[i]
		if s.Title != w.title || s.Parent != w.parent || len(s.Paragraphs) != w.paragraphs {
			t.Errorf("section %d = %q (parent %q, %d paragraphs), want %q (parent %q, %d paragraphs)",
				i, s.Title, s.Parent, len(s.Paragraphs), w.title, w.parent, w.paragraphs)
		}
	}
	if len(r.Paragraphs) != 8 {
		t.Fatalf("%d body paragraphs, want 8", len(r.Paragraphs))
	}
	for i, p := range r.Paragraphs {
		if p.Number != i+1 {
			t.Errorf("paragraph %d numbered %d", i+1, p.Number)
		}
		if strings.Contains(p.Text, "2024年工作安排") && len(p.Text) < 40 {
			t.Errorf("heading line is a paragraph: %q", p.Text)
		}
	}
	// Spot checks: the first and last paragraphs are the article's, not
	// the page's.
	if !strings.HasPrefix(r.Paragraphs[0].Text, "过去一年,我们坚持把政治建设摆在首位") {
		t.Errorf("paragraph 1 = %.60q", r.Paragraphs[0].Text)
	}
	if !strings.HasPrefix(r.Paragraphs[7].Text, "实现上述目标") {
		t.Errorf("paragraph 8 = %.60q", r.Paragraphs[7].Text)
	}
	if got := r.Paragraphs[0].ID(); got != "yuzhong-2024#1" {
		t.Errorf("paragraph 1 ID = %q", got)
	}
	// "各位代表!" ends a sentence with an ASCII mark.
	if got := r.Paragraphs[1].Sentence(0); got != "各位代表!" {
		t.Errorf("paragraph 2 sentence 1 = %q, want %q", got, "各位代表!")
	}

	ps := c.Paragraphs()
	if len(ps) != 9 || ps[0] != r.Header {
		t.Errorf("Corpus.Paragraphs() has %d passages (first %v), want the header then 8", len(ps), ps[0].Number)
	}
	st := c.Stats()
	if st.Reports != 1 || st.Sections != 2 || st.Paragraphs != 8 || st.Sentences < 8 {
		t.Errorf("Stats = %+v", st)
	}
}

func sectionTitles(r *Report) []string {
	var out []string
	for _, s := range r.Sections {
		out = append(out, s.Title)
	}
	return out
}

type wantSection struct {
	title, parent string
	paragraphs    int
}

// scrapedFurniture is what the xinan page carries around its article.
var scrapedFurniture = append([]string{
	"首页", ">", "来源：", "发布时间", "2024-01-20", "浏览次数", "字体", "打印本页", "关闭窗口",
	"分享到", "上一篇", "下一篇", "版权所有", "ICP备", "公网安备", "网站标识码", "主办：", "――",
}, pageFurniture...)

var layoutTests = []struct {
	name, file, id   string
	title, date      string
	speaker          string
	sections         []wantSection
	paragraphs       int
	firstParagraph   string // prefix of paragraph 1
	mustHave         []string
	furniture        []string
	inlineSubheading bool // sub-section paragraphs open with their heading
}{
	{
		name: "clean report with speaker line and sub-headings",
		file: "chengdu-2024.txt", id: "chengdu-2024",
		title:   "成都市人民政府工作报告",
		date:    "2024年1月10日",
		speaker: "2024年1月10日在成都市第十八届人民代表大会第三次会议上 市长 王某某",
		sections: []wantSection{
			{OpeningSection, "", 1},
			{"一、2023年工作回顾", "", 1},
			{"（一）经济运行持续回升向好", "一、2023年工作回顾", 1},
			{"（二）科技创新能力显著增强", "一、2023年工作回顾", 1},
			{"二、2024年工作安排", "", 1},
			{"（一）着力扩大有效需求", "二、2024年工作安排", 1},
			{"（二）加快建设现代化产业体系", "二、2024年工作安排", 3},
		},
		paragraphs:     9,
		firstParagraph: "现在，我代表市人民政府，向大会报告工作",
		// A short paragraph that starts like a font-size button ("大").
		mustHave:  []string{"大力推进城市更新，全年改造老旧小区500个。"},
		furniture: append([]string{"——", "各位代表："}, pageFurniture...),
	},
	{
		name: "markdown report",
		file: "anxian-2024.md", id: "anxian-2024",
		title:   "安县2024年政府工作报告",
		date:    "2024年1月18日",
		speaker: "2024年1月18日在安县第十九届人民代表大会第四次会议上 县长 李某某",
		sections: []wantSection{
			{"一、2023年工作回顾", "", 1},
			{"（一）农业基础更加稳固", "一、2023年工作回顾", 1},
			{"（二）工业经济提质增效", "一、2023年工作回顾", 1},
			{"二、2024年主要目标任务", "", 1},
			{"（一）全力推动乡村全面振兴", "二、2024年主要目标任务", 1},
			{"（二）持续增进民生福祉", "二、2024年主要目标任务", 1},
		},
		paragraphs:     6,
		firstParagraph: "2023年，在县委的坚强领导下",
		mustHave:       []string{"粮食生产再获丰收，全年粮食播种面积稳定在52万亩"},
		furniture:      append([]string{"#", "**", "——"}, pageFurniture...),
	},
	{
		name: "sub-headings with body text on the same line",
		file: "qingshan-2024.txt", id: "qingshan-2024",
		title:   "青山区人民政府工作报告",
		date:    "2024年1月12日",
		speaker: "2024年1月12日在青山区第三届人民代表大会第四次会议上 青山区人民政府区长 赵某某",
		sections: []wantSection{
			{OpeningSection, "", 1},
			{"一、2023年工作回顾", "", 1},
			{"（一）聚焦主导产业，加快转型升级", "一、2023年工作回顾", 1},
			{"（二）坚持项目为王，扩大有效投资", "一、2023年工作回顾", 2},
			{"（三）守牢生态底线，环境质量持续改善", "一、2023年工作回顾", 1},
			{"二、2024年工作安排", "", 1},
			{"（一）坚持创新驱动，培育发展新动能", "二、2024年工作安排", 1},
			{"（二）深化改革开放，持续优化营商环境", "二、2024年工作安排", 2},
		},
		paragraphs:     10,
		firstParagraph: "现在，我代表区人民政府",
		mustHave: []string{
			"（一）聚焦主导产业，加快转型升级。全年规上工业增加值增长8%",
			// Short paragraphs that start like page buttons ("关闭", "中").
			"关闭退出落后产能企业32家。",
			"中小企业服务中心年内建成投用。",
		},
		furniture:        append([]string{"——", "\u3000"}, pageFurniture...),
		inlineSubheading: true,
	},
	{
		name: "scraped page with breadcrumbs, metadata, buttons and a site footer",
		file: "xinan-2024.txt", id: "xinan-2024",
		title:   "新安区2024年政府工作报告",
		date:    "2024年1月8日",
		speaker: "2024年1月8日在新安区第五届人民代表大会第三次会议上 新安区人民政府代区长 孙某某",
		sections: []wantSection{
			{OpeningSection, "", 1},
			{"一、2023年工作回顾", "", 3},
			{"二、2024年工作安排", "", 3},
		},
		paragraphs:     7,
		firstParagraph: "现在，我代表区人民政府",
		mustHave: []string{
			"小微企业是稳就业的主力军。",
			"各位代表！蓝图已经绘就，奋进正当其时。",
		},
		furniture: scrapedFurniture,
	},
}

func TestParseLayouts(t *testing.T) {
	for _, tt := range layoutTests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.id, readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkLayout(t, r, tt.id, tt.title, tt.date, tt.speaker, tt.sections, tt.paragraphs, tt.firstParagraph, tt.mustHave, tt.furniture)
			if tt.inlineSubheading {
				for _, s := range r.Sections {
					if s.Parent == "" {
						continue
					}
					if !strings.HasPrefix(s.Paragraphs[0].Text, s.Title+"。") {
						t.Errorf("section %q: first paragraph %.40q does not open with its heading", s.Title, s.Paragraphs[0].Text)
					}
				}
			}
		})
	}
}

func checkLayout(t *testing.T, r *Report, id, title, date, speaker string, sections []wantSection, paragraphs int, first string, mustHave, furniture []string) {
	t.Helper()
	checkReport(t, r, furniture)
	if r.ID != id || r.Title != title || r.Date != date || r.Speaker != speaker {
		t.Errorf("got ID %q title %q date %q speaker %q\nwant ID %q title %q date %q speaker %q",
			r.ID, r.Title, r.Date, r.Speaker, id, title, date, speaker)
	}
	for _, s := range []string{title, date, speaker} {
		if !strings.Contains(r.Header.Text, s) {
			t.Errorf("header %q lacks %q", r.Header.Text, s)
		}
	}
	if len(r.Sections) != len(sections) {
		t.Errorf("%d sections %q, want %d", len(r.Sections), sectionTitles(r), len(sections))
	}
	for i := 0; i < len(r.Sections) && i < len(sections); i++ {
		s, w := r.Sections[i], sections[i]
		if s.Title != w.title || s.Parent != w.parent || len(s.Paragraphs) != w.paragraphs {
			t.Errorf("section %d = %q (parent %q, %d paragraphs), want %q (parent %q, %d paragraphs)",
				i, s.Title, s.Parent, len(s.Paragraphs), w.title, w.parent, w.paragraphs)
		}
	}
	if len(r.Paragraphs) != paragraphs {
		t.Fatalf("%d paragraphs, want %d", len(r.Paragraphs), paragraphs)
	}
	if !strings.HasPrefix(r.Paragraphs[0].Text, first) {
		t.Errorf("paragraph 1 = %.40q, want it to start %q", r.Paragraphs[0].Text, first)
	}
	for _, m := range mustHave {
		found := false
		for _, p := range r.Paragraphs {
			if strings.HasPrefix(p.Text, m) {
				found = true
			}
		}
		if !found {
			t.Errorf("no paragraph starts with %q", m)
		}
	}
}

// TestParseEncodings parses the same reports as GB18030, UTF-16, with a
// byte-order mark and with Windows line ends, and expects the same result
// as from plain UTF-8.
func TestParseEncodings(t *testing.T) {
	gb := func(s []byte) []byte {
		out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(s)
		if err != nil {
			t.Fatalf("encoding GB18030: %v", err)
		}
		if utf8.Valid(out) {
			t.Fatal("GB18030 text is also valid UTF-8; the test would not exercise decoding")
		}
		return out
	}
	utf16 := func(order xunicode.Endianness) func([]byte) []byte {
		return func(s []byte) []byte {
			out, err := xunicode.UTF16(order, xunicode.UseBOM).NewEncoder().Bytes(s)
			if err != nil {
				t.Fatalf("encoding UTF-16: %v", err)
			}
			return out
		}
	}
	encodings := []struct {
		name   string
		encode func([]byte) []byte
	}{
		{"GB18030", gb},
		{"UTF-8 with BOM", func(s []byte) []byte { return append([]byte("\xef\xbb\xbf"), s...) }},
		{"CRLF line ends", func(s []byte) []byte { return bytes.ReplaceAll(s, []byte("\n"), []byte("\r\n")) }},
		{"GB18030 with CRLF", func(s []byte) []byte { return gb(bytes.ReplaceAll(s, []byte("\n"), []byte("\r\n"))) }},
		{"UTF-16LE with BOM", utf16(xunicode.LittleEndian)},
		{"UTF-16BE with BOM", utf16(xunicode.BigEndian)},
	}
	for _, tt := range layoutTests {
		plain := readTestdata(t, tt.file)
		for _, enc := range encodings {
			t.Run(enc.name+"/"+tt.file, func(t *testing.T) {
				r, err := Parse(tt.id, enc.encode(plain))
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				checkLayout(t, r, tt.id, tt.title, tt.date, tt.speaker, tt.sections, tt.paragraphs, tt.firstParagraph, tt.mustHave, tt.furniture)
			})
		}
	}
	t.Run("GB18030/embedded report", func(t *testing.T) {
		raw, err := embedded.ReadFile("reports/" + DefaultReportID + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		r, err := Parse(DefaultReportID, gb(raw))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		checkReport(t, r, pageFurniture)
		if r.Title != "重庆市渝中区人民政府工作报告" || r.Date != "2024年1月15日" || len(r.Paragraphs) != 8 || len(r.Sections) != 2 {
			t.Errorf("got %q %q with %d sections, %d paragraphs", r.Title, r.Date, len(r.Sections), len(r.Paragraphs))
		}
	})
}

func TestParseBadInput(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(1 + rng.Intn(255)) // no NUL: not "binary", just not text
	}
	if utf8.Valid(noise) {
		t.Fatal("random bytes happen to be UTF-8")
	}
	boilerplateOnly := "导航菜单\n\n本文仅代表作者观点,不代表本站立场。\n\n本文地址:/baogao/xn/10234.html\n\n留言与评论(共有 条评论)\n验证码:\n"
	tests := []struct {
		name string
		raw  []byte
		want string // the problem, as the error must name it
	}{
		{"empty file", nil, "the file is empty"},
		{"byte-order mark only", []byte("\xef\xbb\xbf"), "the file is empty"},
		{"whitespace only", []byte(" \n\t\r\n  \n"), "only whitespace"},
		{"full-width spaces only", []byte("\u3000\u3000\n\u00a0\n\u200b"), "only whitespace"},
		{"binary with NUL bytes", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), "binary"},
		{"random bytes", noise, "neither UTF-8 nor GB18030"},
		{"control characters", []byte(strings.Repeat("\x01\x02\x03报告", 50)), "control characters"},
		{"only boilerplate", []byte(boilerplateOnly), "body paragraph"},
		{"scraped page furniture only", []byte("首页 > 政务公开 > 政府工作报告\n【字体：大 中 小】\n打印本页 关闭窗口\n版权所有：新安区人民政府\n"), "body paragraph"},
		{"title and headings only", []byte("某某县人民政府工作报告\n\n一、工作回顾\n\n（一）经济发展\n\n二、今年安排\n"), "body paragraph"},
		{"footer before any article text", []byte("某某县人民政府工作报告\n版权所有：某某县人民政府\n"), "body paragraph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("bad-input", tt.raw)
			if err == nil {
				t.Fatalf("Parse succeeded with %d paragraphs; want an error", len(r.Paragraphs))
			}
			t.Logf("Parse: %v", err)
			if !errors.Is(err, ErrNoText) {
				t.Errorf("error %v does not wrap ErrNoText", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || !strings.Contains(msg, `"bad-input"`) {
				t.Errorf("error %q should name the report and say %q", msg, tt.want)
			}
		})
	}
}

// TestBoilerplateRules checks single lines against the furniture rules,
// including report sentences that merely start like page furniture.
func TestBoilerplateRules(t *testing.T) {
	tests := []struct {
		line          string
		footer, noise bool
	}{
		// Page furniture.
		{"导航菜单", false, true},
		{"首页 > 政务公开 > 政府工作报告", false, true},
		{"首页>政务公开>政府工作报告", false, true},
		{"当前位置：首页 > 政务公开", false, true},
		{"您现在的位置：首页 > 政府工作报告", false, true},
		{"来源：XX区人民政府办公室", false, true},
		{"信息来源：区政府办", false, true},
		{"发布时间：2024-01-20", false, true},
		{"发布时间：2024-01-20 来源：新安区人民政府办公室 浏览次数：1024", false, true},
		{"索引号：11510100MB1234567X/2024-00012", false, true},
		{"【字体：大 中 小】", false, true},
		{"字号：大 中 小", false, true},
		{"大 中 小", false, true},
		{"【大】【中】【小】", false, true},
		{"打印本页 关闭窗口", false, true},
		{"【打印本页】 【关闭窗口】", false, true},
		{"[打印] [关闭]", false, true},
		{"返回顶部", false, true},
		{"分享到：微信 微博", false, true},
		{"验证码:", false, true},
		{"http://www.example.gov.cn/art/2024/1/20/art_1.html", false, true},
		{"/baogao/xn/10234.html", false, true},
		// Footer lines: the article is over.
		{"本文仅代表作者观点,不代表本站立场。", true, false},
		{"本文地址:/baogao/xn/10234.html", true, false},
		{"留言与评论(共有 条评论)", true, false},
		{"上一篇：新安区2023年国民经济和社会发展统计公报", true, false},
		{"版权所有：XX区人民政府 地址：人民路1号 蜀ICP备12345678号", true, false},
		{"豫ICP备12345678号-1", true, false},
		{"川公网安备 51010402000001号", true, false},
		{"网站标识码：5101000001", true, false},
		{"主办：新安区人民政府办公室", true, false},
		{"Copyright © 2024 新安区人民政府", true, false},
		// Report text that only starts like furniture.
		{"大力推进城市更新，全年改造老旧小区500个。", false, false},
		{"中小企业服务中心年内建成投用。", false, false},
		{"小微企业是稳就业的主力军。", false, false},
		{"关闭退出落后产能企业32家。", false, false},
		{"打印产业园项目年内开工。", false, false},
		{"收藏品市场交易额增长12%。", false, false},
		{"返回式卫星产业园落地。", false, false},
		{"来源于人民、服务人民。", false, false},
		{"位置优越的中央商务区持续扩容。", false, false},
		{"加强版权保护，打击侵权盗版。", false, false},
		{"字里行间饱含对人民的深情。", false, false},
		{"一、2023年工作回顾", false, false},
	}
	for _, tt := range tests {
		if got := isFooter(tt.line); got != tt.footer {
			t.Errorf("isFooter(%q) = %v, want %v", tt.line, got, tt.footer)
		}
		if tt.footer {
			continue
		}
		if got := isBoilerplate(tt.line); got != tt.noise {
			t.Errorf("isBoilerplate(%q) = %v, want %v", tt.line, got, tt.noise)
		}
	}
}

// TestParseLineRules covers single-line decisions through Parse: where the
// header ends and the body begins.
func TestParseLineRules(t *testing.T) {
	tests := []struct {
		name           string
		text           string
		title, date    string
		speaker        string
		firstParagraph string
		paragraphs     int
	}{
		{
			name:           "speaker dash as horizontal bar (GBK pages)",
			text:           "某县政府工作报告\n――2024年2月1日在某县第十届人民代表大会第三次会议上\n全年粮食产量增长3%。\n",
			title:          "某县政府工作报告",
			date:           "2024年2月1日",
			speaker:        "2024年2月1日在某县第十届人民代表大会第三次会议上",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "speaker dash as box drawing",
			text:           "某县政府工作报告\n──2024年2月1日在某县第十届人民代表大会第三次会议上\n县长　李四\n全年粮食产量增长3%。\n",
			title:          "某县政府工作报告",
			date:           "2024年2月1日",
			speaker:        "2024年2月1日在某县第十届人民代表大会第三次会议上 县长 李四",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "salutation is not a speaker",
			text:           "某县政府工作报告\n各位代表：\n全年粮食产量增长3%。\n",
			title:          "某县政府工作报告",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "title repeated by the page",
			text:           "(某省)某省某市某某新区管理委员会2024年政府工作报告全文\n(某省)某省某市某某新区管理委员会2024年政府工作报告全文\n全年粮食产量增长3%。\n",
			title:          "某省某市某某新区管理委员会2024年政府工作报告全文",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "title with date in parentheses",
			text:           "某市人民政府工作报告（2024年1月20日）\n全年粮食产量增长3%。\n",
			title:          "某市人民政府工作报告",
			date:           "2024年1月20日",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "draft marker stays in the title",
			text:           "(草案)某市国民经济和社会发展计划报告\n全年粮食产量增长3%。\n",
			title:          "(草案)某市国民经济和社会发展计划报告",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "no title falls back to the ID",
			text:           "全年粮食产量增长3%。\n\n茶叶种植面积扩大到五万亩。\n",
			title:          "rules",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     2,
		},
		{
			name:           "enumerated paragraph with a long first sentence is not a heading",
			text:           "某县政府工作报告\n一、" + strings.Repeat("坚持稳中求进", 12) + "。全年粮食产量增长3%。\n",
			title:          "某县政府工作报告",
			firstParagraph: "一、坚持稳中求进",
			paragraphs:     1,
		},
		{
			name:           "date line run into the source line (Word's line break lost)",
			text:           "某省政府工作报告\n来源：某省人民政府2025年1月17日在某省第十四届人民代表大会第三次会议上省长张三作政府工作报告。\n各位代表：\n全年粮食产量增长3%。\n",
			title:          "某省政府工作报告",
			date:           "2025年1月17日",
			speaker:        "2025年1月17日在某省第十四届人民代表大会第三次会议上省长张三作政府工作报告",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "source line, then a date line that ends as a sentence",
			text:           "2025年某省政府工作报告\n来源：某省日报\n2025年1月14日在某省第十四届人民代表大会第三次会议上某省省长 张三同志作政府工作报告。\n各位代表：\n全年粮食产量增长3%。\n",
			title:          "2025年某省政府工作报告",
			date:           "2025年1月14日",
			speaker:        "2025年1月14日在某省第十四届人民代表大会第三次会议上某省省长 张三同志作政府工作报告",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "ASCII dashes and the name before the office",
			text:           "2025年某市政府工作报告\n----2025年1月15日张三市长在某市第十六届人民代表大会第三次会议的政府工作报告\n来源：某市日报\n全年粮食产量增长3%。\n",
			title:          "2025年某市政府工作报告",
			date:           "2025年1月15日",
			speaker:        "2025年1月15日张三市长在某市第十六届人民代表大会第三次会议的政府工作报告",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
		{
			name:           "a first paragraph that opens with a date is no date line",
			text:           "某县政府工作报告\n2024年1月1日起，全县实施新的耕地保护办法。全年粮食产量增长3%。\n",
			title:          "某县政府工作报告",
			firstParagraph: "2024年1月1日起",
			paragraphs:     1,
		},
		{
			name:           "footer ends the report",
			text:           "某县政府工作报告\n全年粮食产量增长3%。\n版权所有：某县人民政府\n这一行在页脚之后。\n",
			title:          "某县政府工作报告",
			firstParagraph: "全年粮食产量增长3%。",
			paragraphs:     1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("rules", []byte(tt.text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkReport(t, r, nil)
			if r.Title != tt.title || r.Date != tt.date || r.Speaker != tt.speaker {
				t.Errorf("got title %q date %q speaker %q\nwant title %q date %q speaker %q", r.Title, r.Date, r.Speaker, tt.title, tt.date, tt.speaker)
			}
			if len(r.Paragraphs) != tt.paragraphs || !strings.HasPrefix(r.Paragraphs[0].Text, tt.firstParagraph) {
				t.Errorf("got %d paragraphs, first %.40q; want %d, first %q", len(r.Paragraphs), r.Paragraphs[0].Text, tt.paragraphs, tt.firstParagraph)
			}
		})
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"closing quote after 。", "他说：“要实干。”然后出发。", []string{"他说：“要实干。”", "然后出发。"}},
		{"quoted question", "“今年要干什么？”他问。", []string{"“今年要干什么？”", "他问。"}},
		{"single quotes and brackets", "引用‘单引号。’之后（注：初步统计。）结束。", []string{"引用‘单引号。’", "之后（注：初步统计。）", "结束。"}},
		{"quote closed without an end mark does not split", "坚决做到“两个维护”。坚持不懈。", []string{"坚决做到“两个维护”。", "坚持不懈。"}},
		{"ellipsis inside a sentence", "我们要坚持……不断前进。", []string{"我们要坚持……不断前进。"}},
		{"ellipsis then end mark", "好吗……？是的。", []string{"好吗……？", "是的。"}},
		{"ellipsis at the end", "历史告诉我们……", []string{"历史告诉我们……"}},
		{"ASCII exclamation", "各位代表!力量源于团结。", []string{"各位代表!", "力量源于团结。"}},
		{"ASCII question", "真的吗?是的", []string{"真的吗?", "是的"}},
		{"no terminal punctuation", "没有标点的一段话", []string{"没有标点的一段话"}},
		{"unterminated final run", "第一句。第二句没有结束", []string{"第一句。", "第二句没有结束"}},
		{"consecutive marks", "真的吗！？是的！！好。", []string{"真的吗！？", "是的！！", "好。"}},
		{"consecutive marks then quote", "他问：“真的吗？！”", []string{"他问：“真的吗？！”"}},
		{"spaces between sentences", "第一句。 第二句。\u3000第三句。 ", []string{"第一句。", "第二句。", "第三句。"}},
		{"leading end mark", "。开头", []string{"。", "开头"}},
		{"empty", "", nil},
		{"blank", " \u3000 ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := SplitSentences(tt.in)
			checkSentences(t, tt.name, tt.in, spans)
			var got []string
			for _, s := range spans {
				got = append(got, tt.in[s.Start:s.End])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("SplitSentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
