package data

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sharedCorpus is the folder of 30 real reports (../shared/corpus from the
// work tree); tests that read it skip when it is absent.
var sharedCorpus = filepath.Join("..", "..", "shared", "corpus")

func needCorpus(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(sharedCorpus, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the shared corpus is not here (%v): these tests read the 30 real reports of ../shared/corpus", err)
	}
	return dir
}

// corpusIdentity is each real report's identity, checked by hand against
// its title, date and speaker lines.
var corpusIdentity = []struct {
	id, issuer, region string
	level              Level
	year               int
	date               string
	person, office     string
}{
	{"2025年上海市政府工作报告", "上海市人民政府", "上海市", LevelProvincial, 2025, "2025年1月15日", "龚正", "市长"},
	{"2025年内蒙古自治区政府工作报告", "内蒙古自治区人民政府", "内蒙古自治区", LevelProvincial, 2025, "2025年1月14日", "王莉霞", "自治区人民政府主席"},
	{"2025年北京市政府工作报告", "北京市人民政府", "北京市", LevelProvincial, 2025, "2025年1月14日", "殷勇", "北京市市长"},
	{"2025年吉林省政府工作报告", "吉林省人民政府", "吉林省", LevelProvincial, 2025, "2025年1月14日", "胡玉亭", "省长"},
	{"2025年天津市政府工作报告", "天津市人民政府", "天津市", LevelProvincial, 2025, "2025年1月14日", "张工", "天津市市长"},
	{"2025年宁夏政府工作报告", "宁夏回族自治区人民政府", "宁夏回族自治区", LevelProvincial, 2025, "2025年1月19日", "张雨浦", "宁夏回族自治区人民政府主席"},
	{"2025年安徽省政府工作报告", "安徽省人民政府", "安徽省", LevelProvincial, 2025, "2025年1月20日", "王清宪", "安徽省人民政府省长"},
	{"2025年山东省政府工作报告", "山东省人民政府", "山东省", LevelProvincial, 2025, "2025年1月20日", "周乃翔", "山东省省长"},
	{"2025年山西省政府工作报告", "山西省人民政府", "山西省", LevelProvincial, 2025, "2025年1月17日", "金湘军", "山西省省长"},
	{"2025年广东省政府工作报告", "广东省人民政府", "广东省", LevelProvincial, 2025, "2025年1月15日", "王伟中", "广东省省长"},
	{"2025年广西政府工作报告", "广西壮族自治区人民政府", "广西壮族自治区", LevelProvincial, 2025, "2025年1月13日", "蓝天立", "自治区主席"},
	{"2025年新疆政府工作报告", "新疆维吾尔自治区人民政府", "新疆维吾尔自治区", LevelProvincial, 2025, "2025年1月19日", "艾尔肯·吐尼亚孜", "自治区主席"},
	{"2025年江苏省政府工作报告", "江苏省人民政府", "江苏省", LevelProvincial, 2025, "2025年1月19日", "许昆林", "省长"},
	{"2025年江西省政府工作报告", "江西省人民政府", "江西省", LevelProvincial, 2025, "2025年1月17日", "叶建春", "省长"},
	{"2025年河北省政府工作报告", "河北省人民政府", "河北省", LevelProvincial, 2025, "2025年1月13日", "王正谱", "河北省人民政府省长"},
	{"2025年河南省政府工作报告", "河南省人民政府", "河南省", LevelProvincial, 2025, "2025年1月18日", "王凯", "河南省人民政府省长"},
	{"2025年浙江省政府工作报告", "浙江省人民政府", "浙江省", LevelProvincial, 2025, "2025年1月14日", "刘捷", "浙江省代省长"},
	{"2025年海南省政府工作报告", "海南省人民政府", "海南省", LevelProvincial, 2025, "2025年1月14日", "刘小明", "海南省省长"},
	{"2025年湖北省政府工作报告", "湖北省人民政府", "湖北省", LevelProvincial, 2025, "2025年1月16日", "李殿勋", "湖北省人民政府代省长"},
	{"2025年湖南省政府工作报告", "湖南省人民政府", "湖南省", LevelProvincial, 2025, "2025年1月14日", "毛伟明", "省长"},
	{"2025年甘肃省政府工作报告", "甘肃省人民政府", "甘肃省", LevelProvincial, 2025, "2025年1月20日", "任振鹤", "甘肃省省长"},
	{"2025年福建省政府工作报告", "福建省人民政府", "福建省", LevelProvincial, 2025, "2025年1月13日", "赵龙", "福建省人民政府省长"},
	{"2025年西藏政府工作报告", "西藏自治区人民政府", "西藏自治区", LevelProvincial, 2025, "2025年1月19日", "嘎玛泽登", "西藏自治区代理主席"},
	{"2025年辽宁省政府工作报告", "辽宁省人民政府", "辽宁省", LevelProvincial, 2025, "2025年1月16日", "李乐成", "省长"},
	{"2025年青海省政府工作报告", "青海省人民政府", "青海省", LevelProvincial, 2025, "2025年1月19日", "罗东川", "代省长"},
	{"2025年黑龙江省政府工作报告", "黑龙江省人民政府", "黑龙江省", LevelProvincial, 2025, "2025年1月13日", "梁惠玲", "省长"},
	{"国务院政府工作报告-2019", "国务院", "全国", LevelNational, 2019, "2019年3月5日", "李克强", "国务院总理"},
	{"国务院政府工作报告-2021", "国务院", "全国", LevelNational, 2021, "2021年3月5日", "李克强", "国务院总理"},
	{"国务院政府工作报告-2023", "国务院", "全国", LevelNational, 2023, "2023年3月5日", "李克强", "国务院总理"},
	{"国务院政府工作报告-2025", "国务院", "全国", LevelNational, 2025, "2025年3月5日", "李强", "国务院总理"},
}

// corpusAppendices are the appendices the real reports carry, by report.
var corpusAppendices = map[string][]wantSection{
	"2025年广东省政府工作报告": {{"附件1 2025年省十件民生实事", "", 10}, {"附件2 名词解释", "", 18}},
	"2025年江西省政府工作报告": {{"附件 《政府工作报告》有关内容名词注释", "", 17}},
}

func TestCorpusIdentity(t *testing.T) {
	c, err := Load(needCorpus(t, "txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Skipped) != 0 {
		t.Errorf("skipped %v; every file of the corpus is a report", c.Skipped)
	}
	if len(c.Reports) != len(corpusIdentity)+1 {
		t.Fatalf("%d reports, want the embedded one and %d", len(c.Reports), len(corpusIdentity))
	}
	byID := map[string]*Report{}
	names := map[string]string{}
	for _, r := range c.Reports {
		byID[r.ID] = r
		if other, ok := names[r.Name]; ok {
			t.Errorf("reports %s and %s are both named %q", other, r.ID, r.Name)
		}
		names[r.Name] = r.ID
	}
	for _, w := range corpusIdentity {
		r := byID[w.id]
		if r == nil {
			t.Errorf("report %s not loaded", w.id)
			continue
		}
		path := []string{w.region}
		if r.Issuer != w.issuer || r.Region != w.region || strings.Join(r.RegionPath, "/") != strings.Join(path, "/") ||
			r.Level != w.level || r.Year != w.year || r.Date != w.date || r.Person != w.person || r.Office != w.office {
			t.Errorf("%s: issuer %q region %q %q level %v year %d date %q person %q office %q\nwant issuer %q region %q %q level %v year %d date %q person %q office %q",
				w.id, r.Issuer, r.Region, r.RegionPath, r.Level, r.Year, r.Date, r.Person, r.Office,
				w.issuer, w.region, path, w.level, w.year, w.date, w.person, w.office)
		}
		if r.File != w.id+".txt" || r.Excerpt || r.Source != "" {
			t.Errorf("%s: file %q excerpt %v source %q; want the .txt, whole, no address", w.id, r.File, r.Excerpt, r.Source)
		}
		// The provinces' titles name them and their year; the State
		// Council's four are all "政府工作报告" and need issuer and year.
		want := r.Title
		if w.level == LevelNational {
			want = "国务院政府工作报告（" + w.id[len(w.id)-4:] + "年）"
		}
		if r.Name != want {
			t.Errorf("%s: name %q, want %q", w.id, r.Name, want)
		}
	}
	def := c.Reports[0]
	if def.ID != DefaultReportID || def.Name != def.Title || def.Issuer != "重庆市渝中区人民政府" || def.Region != "渝中区" ||
		strings.Join(def.RegionPath, "/") != "重庆市/渝中区" || def.Level != LevelDistrict || def.Year != 2024 {
		t.Errorf("embedded report: name %q issuer %q region %q %q level %v year %d", def.Name, def.Issuer, def.Region, def.RegionPath, def.Level, def.Year)
	}
}

// closingRe: the sentence every report closes with.
var closingRe = regexp.MustCompile(`团结在以习近平同志为核心的党中央周围`)

// TestCorpusSections checks that every real report gets sensible sections:
// no source line, date line or heading is left as a paragraph, the closing
// words stay in the report's last part, appendices are their own sections.
func TestCorpusSections(t *testing.T) {
	reports, skipped, err := LoadDir(needCorpus(t, "txt"))
	if err != nil || len(skipped) != 0 {
		t.Fatalf("LoadDir: %v, skipped %v", err, skipped)
	}
	for _, r := range reports {
		checkReport(t, r, []string{"来源：", "来源 :", "----", "——20"})
		if strings.Contains(r.Header.Text, "来源") {
			t.Errorf("%s: the source line is in the header %q", r.ID, r.Header.Text)
		}
		if r.Sections[0].Title != OpeningSection || !strings.HasPrefix(r.Paragraphs[0].Text, "现在，我代表") && !strings.HasPrefix(r.Paragraphs[0].Text, "我代表") && !strings.HasPrefix(r.Paragraphs[0].Text, "本届政府") {
			t.Errorf("%s: opens with section %q, paragraph %.30q", r.ID, r.Sections[0].Title, r.Paragraphs[0].Text)
		}
		var parts, appendices []*Section
		for _, s := range r.Sections {
			switch {
			case s.Appendix:
				appendices = append(appendices, s)
			case s.Parent == "" && s.Title != OpeningSection:
				if len(appendices) > 0 {
					t.Errorf("%s: part %q after an appendix", r.ID, s.Title)
				}
				parts = append(parts, s)
			}
			if len([]rune(s.Title)) > 60 {
				t.Errorf("%s: section title %q is a paragraph", r.ID, s.Title)
			}
		}
		if len(parts) < 2 {
			t.Errorf("%s: %d parts %q; want the review and the plan at least", r.ID, len(parts), sectionTitles(r))
		}
		for _, p := range r.Paragraphs {
			if isHeadingLike(p.Text) && p.Section.Appendix == false {
				t.Errorf("%s#%d: the heading-like line %q is a paragraph", r.ID, p.Number, p.Text)
			}
		}
		// The closing words end the report proper, in its last part.
		var last *Paragraph
		for _, p := range r.Paragraphs {
			if !p.Section.Appendix {
				last = p
			}
		}
		if !closingRe.MatchString(last.Text) {
			t.Errorf("%s: the report proper ends with %.40q, not its closing words", r.ID, last.Text)
		}
		if last.Section.Parent == "" && last.Section != parts[len(parts)-1] {
			t.Errorf("%s: closing words in %q, not in the last part", r.ID, last.Section.Title)
		}
		want := corpusAppendices[r.ID]
		if len(appendices) != len(want) {
			t.Errorf("%s: appendices %d, want %d", r.ID, len(appendices), len(want))
			continue
		}
		for i, w := range want {
			if s := appendices[i]; s.Title != w.title || s.Parent != "" || len(s.Paragraphs) != w.paragraphs {
				t.Errorf("%s: appendix %q with %d paragraphs, want %q with %d", r.ID, s.Title, len(s.Paragraphs), w.title, w.paragraphs)
			}
		}
	}
	byID := map[string]*Report{}
	for _, r := range reports {
		byID[r.ID] = r
	}
	// Parts without numbering, and sub-headings without it.
	if got := topTitles(byID["2025年西藏政府工作报告"]); got != "开篇|2024年工作回顾|2025年工作安排" {
		t.Errorf("西藏 parts %q", got)
	}
	gansu := byID["2025年甘肃省政府工作报告"]
	n := 0
	for _, s := range gansu.Sections {
		if ordinalRe.MatchString(s.Title) {
			n++
			if s.Parent != "三、2025年重点工作" {
				t.Errorf("甘肃 %q under %q", s.Title, s.Parent)
			}
		}
	}
	if n != 8 {
		t.Errorf("甘肃 has %d 一是…八是 sub-headings, want 8", n)
	}
}

func topTitles(r *Report) string {
	var out []string
	for _, s := range r.Sections {
		if s.Parent == "" {
			out = append(out, s.Title)
		}
	}
	return strings.Join(out, "|")
}

// TestCorpusDocxMatchesTxt loads the 26 provincial reports from their
// published .docx and from the text extracted from it: the same report.
func TestCorpusDocxMatchesTxt(t *testing.T) {
	docx, skipped, err := LoadDir(needCorpus(t, "docx"))
	if err != nil || len(skipped) != 0 {
		t.Fatalf("LoadDir(docx): %v, skipped %v", err, skipped)
	}
	txt, _, err := LoadDir(needCorpus(t, "txt"))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Report{}
	for _, r := range txt {
		byID[r.ID] = r
	}
	if len(docx) != 26 {
		t.Errorf("%d .docx reports, want 26", len(docx))
	}
	for _, d := range docx {
		x := byID[d.ID]
		if x == nil {
			t.Errorf("%s.docx has no .txt", d.ID)
			continue
		}
		if d.File != d.ID+".docx" {
			t.Errorf("%s: file %q", d.ID, d.File)
		}
		if a, b := identityOf(d), identityOf(x); a != b {
			t.Errorf("%s: docx identity\n%s\ntxt identity\n%s", d.ID, a, b)
		}
		if a, b := sectionList(d), sectionList(x); a != b {
			t.Errorf("%s: docx sections\n%s\ntxt sections\n%s", d.ID, a, b)
		}
		if len(d.Paragraphs) != len(x.Paragraphs) {
			t.Errorf("%s: %d paragraphs from .docx, %d from .txt", d.ID, len(d.Paragraphs), len(x.Paragraphs))
			continue
		}
		for i, p := range d.Paragraphs {
			if p.Text != x.Paragraphs[i].Text || len(p.Sentences) != len(x.Paragraphs[i].Sentences) {
				t.Errorf("%s#%d: .docx %.40q, .txt %.40q", d.ID, i+1, p.Text, x.Paragraphs[i].Text)
				break
			}
		}
	}
}

func identityOf(r *Report) string {
	return strings.Join([]string{r.Title, r.Date, r.Speaker, r.Person, r.Office, r.Header.Text, r.Issuer, r.Region,
		strings.Join(r.RegionPath, "/"), r.Level.String(), strconv.Itoa(r.Year), r.Name, r.Source}, "\n")
}

func sectionList(r *Report) string {
	var b strings.Builder
	for _, s := range r.Sections {
		b.WriteString(s.Title + " < " + s.Parent + " " + strconv.Itoa(len(s.Paragraphs)) + "\n")
	}
	return b.String()
}

// BenchmarkLoadCorpus measures loading the 30 real reports with the
// embedded one, as a start does, from text and from Word files.
func BenchmarkLoadCorpus(b *testing.B) {
	for _, sub := range []string{"txt", "docx"} {
		dir := needCorpus(b, sub)
		b.Run(sub, func(b *testing.B) {
			for b.Loop() {
				c, err := Load(dir)
				if err != nil || len(c.Skipped) != 0 {
					b.Fatal(err, c.Skipped)
				}
			}
		})
	}
}
