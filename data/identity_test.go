package data

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		name, full string
		level      Level
		kind       string
	}{
		{"四川", "四川省", LevelProvincial, "省"},
		{"四川省", "四川省", LevelProvincial, "省"},
		{"川", "四川省", LevelProvincial, "省"},
		{"Sichuan", "四川省", LevelProvincial, "省"},
		{" sichuan ", "四川省", LevelProvincial, "省"},
		{"广西", "广西壮族自治区", LevelProvincial, "自治区"},
		{"桂", "广西壮族自治区", LevelProvincial, "自治区"},
		{"广西壮族自治区", "广西壮族自治区", LevelProvincial, "自治区"},
		{"重庆", "重庆市", LevelProvincial, "直辖市"},
		{"渝", "重庆市", LevelProvincial, "直辖市"},
		{"Inner Mongolia", "内蒙古自治区", LevelProvincial, "自治区"},
		{"全国", "全国", LevelNational, "国家"},
		{"国家", "全国", LevelNational, "国家"},
		{"我国", "全国", LevelNational, "国家"},
		{"中国", "全国", LevelNational, "国家"},
		{"China", "全国", LevelNational, "国家"},
		{"香港", "香港特别行政区", LevelProvincial, "特别行政区"},
	}
	for _, tt := range tests {
		g, ok := LookupRegion(tt.name)
		if !ok || g.Full != tt.full || g.Level != tt.level || g.Kind != tt.kind {
			t.Errorf("LookupRegion(%q) = %+v, %v; want %s (%v, %s)", tt.name, g, ok, tt.full, tt.level, tt.kind)
		}
	}
	for _, name := range []string{"", "渝中", "渝中区", "成都", "四川人", "sichuanese"} {
		if g, ok := LookupRegion(name); ok {
			t.Errorf("LookupRegion(%q) = %+v; want nothing (not a province-level name)", name, g)
		}
	}
	all := Gazetteer()
	if len(all) != 35 {
		t.Errorf("gazetteer has %d regions, want the nation and 34 province-level regions", len(all))
	}
	for _, g := range all[1:] {
		if g.Level != LevelProvincial || g.Parent != "全国" || !strings.HasPrefix(g.Full, g.Name) {
			t.Errorf("%+v", g)
		}
		if !strings.HasSuffix(g.Full, "省") && !strings.HasSuffix(g.Full, "市") && !strings.HasSuffix(g.Full, "自治区") && !strings.HasSuffix(g.Full, "特别行政区") {
			t.Errorf("%s: not a province-level name", g.Full)
		}
	}
	// A copy: changing it changes nothing.
	all[2].Short[0] = "x"
	if g, _ := LookupRegion("北京"); g.Short[0] == "x" {
		t.Error("Gazetteer shares its slices")
	}
	if _, err := parseGazetteer("四川\t四川省\t省\t川\n云南\t云南省\t省\t川\n"); err == nil {
		t.Error("a name given to two regions is not an error")
	}
	if _, err := parseGazetteer("四川 四川省\n"); err == nil {
		t.Error("a line without tabs is not an error")
	}
}

func TestCorpusRegions(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range c.Regions() {
		names = append(names, g.Full)
	}
	if strings.Join(names, " ") != "重庆市 渝中区" {
		t.Errorf("Regions() = %q", names)
	}
	for _, name := range []string{"渝中", "渝中区"} {
		g, ok := c.LookupRegion(name)
		if !ok || g.Name != "渝中" || g.Full != "渝中区" || g.Level != LevelDistrict || g.Parent != "重庆市" || g.Kind != "区" {
			t.Errorf("LookupRegion(%q) = %+v, %v", name, g, ok)
		}
	}
	if g, ok := c.LookupRegion("渝"); !ok || g.Full != "重庆市" {
		t.Errorf("LookupRegion(渝) = %+v, %v", g, ok)
	}
	if _, ok := c.LookupRegion("江北"); ok {
		t.Error("a district no report is for was found")
	}
}

func TestResolvePlace(t *testing.T) {
	tests := []struct {
		place string
		path  string
		level Level
	}{
		{"重庆市渝中区", "重庆市/渝中区", LevelDistrict},
		{"上海市浦东新区", "上海市/浦东新区", LevelDistrict},
		{"北京市朝阳区", "北京市/朝阳区", LevelDistrict},
		{"宁夏", "宁夏回族自治区", LevelProvincial},
		{"四川省", "四川省", LevelProvincial},
		{"成都市", "成都市", LevelMunicipal},
		{"四川省成都市", "四川省/成都市", LevelMunicipal},
		{"四川省成都市都江堰市", "四川省/成都市/都江堰市", LevelDistrict},
		{"四川省阿坝藏族羌族自治州汶川县", "四川省/阿坝藏族羌族自治州/汶川县", LevelDistrict},
		{"阿坝藏族羌族自治州", "阿坝藏族羌族自治州", LevelMunicipal},
		{"广东省广州市天河区", "广东省/广州市/天河区", LevelDistrict},
		{"苏州市", "苏州市", LevelMunicipal},
		{"山东省济南市市中区", "山东省/济南市/市中区", LevelDistrict},
		{"内蒙古自治区锡林郭勒盟", "内蒙古自治区/锡林郭勒盟", LevelMunicipal},
		{"内蒙古锡林郭勒盟锡林浩特市", "内蒙古自治区/锡林郭勒盟/锡林浩特市", LevelDistrict},
		{"安县", "安县", LevelDistrict},
		{"青山区", "青山区", LevelDistrict},
	}
	for _, tt := range tests {
		path, level := resolvePlace(tt.place)
		if strings.Join(path, "/") != tt.path || level != tt.level {
			t.Errorf("resolvePlace(%q) = %q %v, want %q %v", tt.place, path, level, tt.path, tt.level)
		}
	}
}

// TestIdentify reads identity from the title, speaker and heading lines, in
// the order the rules give them weight.
func TestIdentify(t *testing.T) {
	tests := []struct {
		name, id, text       string
		issuer, region, path string
		level                Level
		year                 int
	}{
		{
			name: "State Council: a bare title, the congress in the speaker line",
			id:   "gwy", text: "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李强\n一、2023年工作回顾\n过去一年，经济回升向好。\n",
			issuer: "国务院", region: "全国", path: "全国", level: LevelNational, year: 2024,
		},
		{
			name: "a bare title, the place in the speaker line",
			id:   "x", text: "政府工作报告\n——2024年1月10日在成都市第十八届人民代表大会第三次会议上\n市长 王某某\n全年新增市场主体30万户。\n",
			issuer: "成都市人民政府", region: "成都市", path: "成都市", level: LevelMunicipal, year: 2024,
		},
		{
			name: "the issuer named in the title",
			id:   "x", text: "重庆市渝中区人民政府工作报告\n全年地区生产总值增长6%。\n",
			issuer: "重庆市渝中区人民政府", region: "渝中区", path: "重庆市/渝中区", level: LevelDistrict,
		},
		{
			name: "an issuer that is no people's government",
			id:   "x", text: "(某省)某省某市某某新区管理委员会2024年政府工作报告全文\n全年粮食产量增长3%。\n",
			issuer: "某省某市某某新区管理委员会", region: "某某新区", path: "某省/某市/某某新区", level: LevelDistrict, year: 2024,
		},
		{
			name: "a short form in the title",
			id:   "x", text: "2025年宁夏政府工作报告\n——2025年1月19日在宁夏回族自治区第十三届人民代表大会第三次会议上\n全区生产总值增长5.5%。\n",
			issuer: "宁夏回族自治区人民政府", region: "宁夏回族自治区", path: "宁夏回族自治区", level: LevelProvincial, year: 2025,
		},
		{
			name: "year from the plan heading, before the date",
			id:   "x", text: "某县人民政府工作报告\n——2023年12月28日在某县第十届人民代表大会第三次会议上\n一、2023年工作回顾\n全年粮食产量增长3%。\n二、2024年工作安排\n今年要大力发展茶叶加工。\n",
			issuer: "某县人民政府", region: "某县", path: "某县", level: LevelDistrict, year: 2024,
		},
		{
			name: "year from the review heading",
			id:   "x", text: "某县人民政府工作报告\n一、2023年工作回顾\n全年粮食产量增长3%。\n",
			issuer: "某县人民政府", region: "某县", path: "某县", level: LevelDistrict, year: 2024,
		},
		{
			name: "year from the file name as the last resort",
			id:   "mouxian-2022", text: "某县人民政府工作报告\n全年粮食产量增长3%。\n",
			issuer: "某县人民政府", region: "某县", path: "某县", level: LevelDistrict, year: 2022,
		},
		{
			name: "the file name says it is the State Council's",
			id:   "国务院政府工作报告-2019", text: "政府工作报告\n各位代表：\n过去一年，经济运行保持在合理区间。\n",
			issuer: "国务院", region: "全国", path: "全国", level: LevelNational, year: 2019,
		},
		{
			name: "a report that is no government's names no place",
			id:   "panda-2024", text: "# 熊猫谷2024年大熊猫保护工作报告\n\n全年救护大熊猫3只。\n",
			year: 2024,
		},
		{
			name: "nothing says",
			id:   "x", text: "某某报告\n全年粮食产量增长3%。\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.id, []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if r.Issuer != tt.issuer || r.Region != tt.region || strings.Join(r.RegionPath, "/") != tt.path || r.Level != tt.level || r.Year != tt.year {
				t.Errorf("issuer %q region %q path %q level %v year %d\nwant issuer %q region %q path %q level %v year %d",
					r.Issuer, r.Region, r.RegionPath, r.Level, r.Year, tt.issuer, tt.region, tt.path, tt.level, tt.year)
			}
		})
	}
}

func TestIdentifyPerson(t *testing.T) {
	tests := []struct{ speaker, person, office string }{
		{"2025年3月5日在第十四届全国人民代表大会第三次会议上 国务院总理 李强", "李强", "国务院总理"},
		{"2025年1月15日龚正市长在上海市第十六届人民代表大会第三次会议的政府工作报告", "龚正", "市长"},
		{"2025年1月14日在北京市第十六届人民代表大会第三次会议上北京市市长 殷勇同志作政府工作报告", "殷勇", "北京市市长"},
		{"2025年1月20日在山东省第十四届人民代表大会第三次会议上山东省省长周乃翔作政府工作报告", "周乃翔", "山东省省长"},
		{"2025年1月14日海南省省长 刘小明在海南省第七届人民代表大会第四次会议上的讲话", "刘小明", "海南省省长"},
		{"2025年1月19日在新疆维吾尔自治区第十四届人民代表大会第三次会议上 自治区主席 艾尔肯·吐尼亚孜", "艾尔肯·吐尼亚孜", "自治区主席"},
		{"2024年1月8日在新安区第五届人民代表大会第三次会议上 新安区人民政府代区长 孙某某", "孙某某", "新安区人民政府代区长"},
		{"2024年1月8日在某县第十届人民代表大会第三次会议上", "", ""},
	}
	for _, tt := range tests {
		r := &Report{Speaker: tt.speaker}
		identifyPerson(r)
		if r.Person != tt.person || r.Office != tt.office {
			t.Errorf("%s: person %q office %q, want %q %q", tt.speaker, r.Person, r.Office, tt.person, tt.office)
		}
	}
}

// TestNames checks that citation names tell any two loaded reports apart,
// and are no longer than that needs.
func TestNames(t *testing.T) {
	parse := func(id, text string) *Report {
		t.Helper()
		r, err := Parse(id, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	gwy := func(year, date string) string {
		return "政府工作报告\n——" + date + "在第十四届全国人民代表大会第一次会议上\n国务院总理　某某\n一、工作回顾\n过去一年，经济回升向好" + year + "。\n"
	}
	yuzhong := "重庆市渝中区人民政府工作报告\n——%s在重庆市渝中区第十八届人民代表大会第三次会议上\n一、%d年工作回顾\n全年地区生产总值增长6%%。\n"
	tests := []struct {
		name    string
		reports []*Report
		want    []string
	}{
		{"one report: its title", []*Report{parse("a", gwy("1", "2025年3月5日"))}, []string{"政府工作报告"}},
		{
			"two State Council reports: issuer and year",
			[]*Report{parse("a", gwy("1", "2023年3月5日")), parse("b", gwy("2", "2025年3月5日"))},
			[]string{"国务院政府工作报告（2023年）", "国务院政府工作报告（2025年）"},
		},
		{
			"a province and the State Council: the title that names its region stays",
			[]*Report{parse("a", "2025年四川省政府工作报告\n——2025年1月20日在四川省第十四届人民代表大会第三次会议上\n全省生产总值增长6%。\n"), parse("b", gwy("2", "2025年3月5日"))},
			[]string{"2025年四川省政府工作报告", "国务院政府工作报告（2025年）"},
		},
		{
			"one district's two years: the year",
			[]*Report{parse("a", fmt.Sprintf(yuzhong, "2023年1月10日", 2022)), parse("b", fmt.Sprintf(yuzhong, "2024年1月15日", 2023))},
			[]string{"重庆市渝中区人民政府工作报告（2023年）", "重庆市渝中区人民政府工作报告（2024年）"},
		},
		{
			"one issuer and year twice: the date",
			[]*Report{parse("a", gwy("1", "2025年3月5日")), parse("b", gwy("2", "2025年3月6日"))},
			[]string{"国务院政府工作报告（2025年，2025年3月5日）", "国务院政府工作报告（2025年，2025年3月6日）"},
		},
		{
			"the same report twice: the file",
			[]*Report{parse("a", gwy("1", "2025年3月5日")), parse("b", gwy("1", "2025年3月5日"))},
			[]string{"国务院政府工作报告（2025年，2025年3月5日，a）", "国务院政府工作报告（2025年，2025年3月5日，b）"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCorpus(tt.reports, nil)
			var got []string
			for _, r := range c.Reports {
				got = append(got, r.Name)
			}
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("names %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLevelJSON(t *testing.T) {
	b, err := json.Marshal(map[string]Level{"a": LevelDistrict, "b": LevelNational})
	if err != nil || string(b) != `{"a":"district","b":"national"}` {
		t.Errorf("%s %v", b, err)
	}
	var back map[string]Level
	if err := json.Unmarshal(b, &back); err != nil || back["a"] != LevelDistrict {
		t.Errorf("%v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"a":"galactic"}`), &back); err == nil {
		t.Error("an unknown level reads")
	}
	if LevelUnknown.String() != "unknown" || Level(9).String() != "Level(9)" {
		t.Error(LevelUnknown, Level(9))
	}
}
