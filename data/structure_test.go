package data

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnnumberedHeadings loads the 四川-style fixture, whose parts have no
// numbering, and the README beside it, which is no report.
func TestUnnumberedHeadings(t *testing.T) {
	dir := filepath.Join("testdata", "structure")
	reports, skipped, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 || skipped[0].File != filepath.Join(dir, "README.md") || !errors.Is(skipped[0].Err, ErrNotReport) {
		t.Errorf("skipped %v; want the README, as not a report", skipped)
	}
	if len(reports) != 1 {
		t.Fatalf("%d reports, want 1", len(reports))
	}
	r := reports[0]
	checkLayout(t, r, "sichuan-style-2025", "2025年四川省政府工作报告", "2025年1月20日",
		"2025年1月20日在四川省第十四届人民代表大会第三次会议上 四川省省长 张某某",
		[]wantSection{
			{OpeningSection, "", 1},
			{"2024年工作回顾", "", 1},
			{"经济运行稳中向好", "2024年工作回顾", 1},
			{"民生保障持续加强", "2024年工作回顾", 1},
			{"2025年工作安排建议", "", 1},
			{"（一）着力扩大有效需求", "2025年工作安排建议", 1},
			{"（二）加快建设现代化产业体系", "2025年工作安排建议", 1},
			{"加强政府自身建设", "", 2},
			{"名词解释", "", 2},
		},
		11, "现在，我代表省人民政府",
		[]string{"今年是“十四五”规划收官之年", "1.“两重”"},
		append([]string{"来源", "四川日报", "各位代表："}, pageFurniture...))
	for _, s := range r.Sections {
		if s.Appendix != (s.Title == "名词解释") {
			t.Errorf("section %q: appendix %v", s.Title, s.Appendix)
		}
	}
	// The year's targets are cited under the plan, the closing words under
	// the last part, not under the glossary.
	for _, p := range r.Paragraphs {
		switch {
		case strings.Contains(p.Text, "主要预期目标"):
			if p.SectionTitle() != "2025年工作安排建议" {
				t.Errorf("the targets are under %q", p.SectionTitle())
			}
		case strings.Contains(p.Text, "让我们更加紧密地团结"):
			if p.SectionTitle() != "加强政府自身建设" {
				t.Errorf("the closing words are under %q", p.SectionTitle())
			}
		}
	}
	if r.Issuer != "四川省人民政府" || r.Region != "四川省" || r.Level != LevelProvincial || r.Year != 2025 || r.Person != "张某某" || r.Office != "四川省省长" {
		t.Errorf("issuer %q region %q level %v year %d person %q office %q", r.Issuer, r.Region, r.Level, r.Year, r.Person, r.Office)
	}
}

// TestStructureRules covers single heading decisions through Parse.
func TestStructureRules(t *testing.T) {
	const head = "某县人民政府工作报告\n——2024年1月8日在某县第十届人民代表大会第三次会议上\n"
	tests := []struct {
		name     string
		body     string
		sections string // title<parent[paragraphs] each, |-separated
	}{
		{
			name:     "a short line at the end closes the report, it heads nothing",
			body:     "一、工作回顾\n全年粮食产量增长3%。\n谢谢大家\n",
			sections: "一、工作回顾<[2]",
		},
		{
			name:     "lines ending in a colon or with sentence marks are paragraphs",
			body:     "一、工作回顾\n重点做好以下工作：\n全年粮食产量增长3%。\n",
			sections: "一、工作回顾<[2]",
		},
		{
			name:     "in a numbered report an unnumbered line is a sub-heading",
			body:     "一、工作回顾\n农业基础更加稳固\n全年粮食产量增长3%。\n二、今年安排\n一是抓好粮食生产，稳住基本盘\n确保粮食播种面积稳定。\n",
			sections: "一、工作回顾<[0]|农业基础更加稳固<一、工作回顾[1]|二、今年安排<[0]|一是抓好粮食生产，稳住基本盘<二、今年安排[1]",
		},
		{
			name:     "a part heading right under the title block",
			body:     "2023年工作回顾\n全年粮食产量增长3%。\n2024年工作安排\n今年要大力发展茶叶加工。\n",
			sections: "2023年工作回顾<[1]|2024年工作安排<[1]",
		},
		{
			name:     "a table's cells are no headings",
			body:     "一、工作回顾\n全年粮食产量增长3%。\n指标\n2024年\n增长\n粮食\n30万吨\n3%\n茶叶面积扩大到五万亩。\n",
			sections: "一、工作回顾<[8]",
		},
		{
			name:     "a part heading right above a sub-heading",
			body:     "2023年工作回顾\n全年粮食产量增长3%。\n2024年工作安排\n着力扩大有效需求\n今年要大力发展茶叶加工。\n",
			sections: "2023年工作回顾<[1]|2024年工作安排<[0]|着力扩大有效需求<2024年工作安排[1]",
		},
		{
			name:     "list items are never headings",
			body:     "一、工作回顾\n全年粮食产量增长3%。\n1.粮食产量\n- 茶叶面积\n（1）生猪出栏\n①蔬菜产量\n",
			sections: "一、工作回顾<[5]",
		},
		{
			name:     "appendix with its title on the next line, and a second one",
			body:     "一、工作回顾\n全年粮食产量增长3%。\n附件1\n十件民生实事\n一、新建改扩建中小学校4所。\n二、新增学位2800个。\n附：名词解释\n1.“两重”：国家重大战略实施和重点领域安全能力建设。\n",
			sections: "一、工作回顾<[1]|附件1 十件民生实事<[2]|附：名词解释<[1]",
		},
		{
			name:     "numbering starting at 二 marks an excerpt",
			body:     "二、今年安排\n今年要大力发展茶叶加工。\n",
			sections: "二、今年安排<[1]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("rules", []byte(head+tt.body))
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, r, nil)
			var got []string
			for _, s := range r.Sections {
				got = append(got, s.Title+"<"+s.Parent+"["+itoa(len(s.Paragraphs))+"]")
			}
			if strings.Join(got, "|") != tt.sections {
				t.Errorf("sections %q\nwant     %q", strings.Join(got, "|"), tt.sections)
			}
			if excerpt := strings.HasPrefix(tt.body, "二、"); r.Excerpt != excerpt {
				t.Errorf("excerpt %v, want %v", r.Excerpt, excerpt)
			}
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

// TestExcerpt: a page that shows or says it is not the whole report.
func TestExcerpt(t *testing.T) {
	def, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	// Its parts start at 二、 and its site says its pages may not be
	// complete ("本站展示并非全部都完整").
	if !def.Excerpt || def.Source != "/baogao/xn/10234.html" {
		t.Errorf("embedded report: excerpt %v, source %q", def.Excerpt, def.Source)
	}
	tests := []struct {
		text    string
		excerpt bool
	}{
		{"某县政府工作报告（摘要）\n全年粮食产量增长3%。\n", true},
		{"某县政府工作报告\n（节选）\n全年粮食产量增长3%。\n", true},
		{"某县政府工作报告\n全年粮食产量增长3%。\n本文仅代表作者观点。本站展示并非全部都完整。\n", true},
		{"某县政府工作报告\n一、工作回顾\n全年粮食产量增长3%。\n二、今年安排\n今年要大力发展茶叶加工。\n", false},
		{"某县政府工作报告\n全年粮食产量增长3%，编制完成规划摘要。\n", false},
	}
	for _, tt := range tests {
		r, err := Parse("x", []byte(tt.text))
		if err != nil {
			t.Fatal(err)
		}
		if r.Excerpt != tt.excerpt {
			t.Errorf("%q: excerpt %v, want %v", tt.text, r.Excerpt, tt.excerpt)
		}
	}
}
