package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// sameReport asserts that got is want read from another format: the same
// title block, sections and paragraphs.
func sameReport(t *testing.T, got, want *Report) {
	t.Helper()
	if got.Title != want.Title || got.Date != want.Date || got.Speaker != want.Speaker || got.Header.Text != want.Header.Text {
		t.Errorf("title %q date %q speaker %q header %q\nwant title %q date %q speaker %q header %q",
			got.Title, got.Date, got.Speaker, got.Header.Text, want.Title, want.Date, want.Speaker, want.Header.Text)
	}
	if a, b := sectionList(got), sectionList(want); a != b {
		t.Errorf("sections\n%s\nwant\n%s", a, b)
	}
	if len(got.Paragraphs) != len(want.Paragraphs) {
		t.Fatalf("%d paragraphs, want %d", len(got.Paragraphs), len(want.Paragraphs))
	}
	for i, p := range got.Paragraphs {
		if p.Text != want.Paragraphs[i].Text {
			t.Errorf("paragraph %d %.50q, want %.50q", i+1, p.Text, want.Paragraphs[i].Text)
		}
	}
	if got.Issuer != want.Issuer || got.Year != want.Year || got.Level != want.Level || got.Excerpt != want.Excerpt {
		t.Errorf("identity %q %d %v excerpt %v, want %q %d %v excerpt %v", got.Issuer, got.Year, got.Level, got.Excerpt, want.Issuer, want.Year, want.Level, want.Excerpt)
	}
}

// TestParseDocx reads the testdata reports saved as Word documents: the
// same reports as from their text.
func TestParseDocx(t *testing.T) {
	for _, tt := range layoutTests {
		if !strings.HasSuffix(tt.file, ".txt") {
			continue // Markdown marks are not Word's
		}
		t.Run(tt.file, func(t *testing.T) {
			raw := readTestdata(t, tt.file)
			want, err := Parse(tt.id, raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseFile(tt.id+".docx", makeDocx(t, strings.Split(string(raw), "\n")))
			if err != nil {
				t.Fatal(err)
			}
			sameReport(t, got, want)
			if got.File != tt.id+".docx" || got.ID != tt.id {
				t.Errorf("file %q ID %q", got.File, got.ID)
			}
		})
	}
}

// TestWordParagraphs covers the parts of WordprocessingML a report's text
// goes through.
func TestWordParagraphs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"runs join", `<w:p><w:r><w:t>全年</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t>增长5%</w:t></w:r></w:p>`, []string{"全年增长5%"}},
		{"tab and break", `<w:p><w:r><w:t>区长</w:t><w:tab/><w:t>张三</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>`, []string{"区长\t张三", "第二行"}},
		{"empty paragraph", `<w:p/><w:p><w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:pPr></w:p>`, []string{"", ""}},
		{"deleted revision and field code are not text", `<w:p><w:del><w:r><w:delText>删去的</w:delText></w:r></w:del><w:ins><w:r><w:t>新增的</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>`, []string{"新增的"}},
		{"table cells are paragraphs", `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>增长6%</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`, []string{"指标", "增长6%"}},
		{"text box read once", `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>`, []string{"框中文字", "正文"}},
		{"entities", `<w:p><w:r><w:t>A&amp;B &lt;1&gt;</w:t></w:r></w:p>`, []string{"A&B <1>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := docxLines(makeDocxXML(t, tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("damaged", func(t *testing.T) {
		full := makeDocx(t, []string{"某县政府工作报告", "全年粮食产量增长3%。"})
		for name, raw := range map[string][]byte{
			"truncated":      full[:len(full)-40],
			"not a zip":      []byte("plain text"),
			"no document":    zipOf(t, "word/other.xml", "<x/>"),
			"broken XML":     zipOf(t, "word/document.xml", `<w:document xmlns:w="`+wordML+`"><w:body><w:p><w:r><w:t>半`),
			"old Word .doc":  append(append([]byte{}, oleMagic...), 0, 0, 0),
			"empty document": makeDocxXML(t, ""),
		} {
			r, err := ParseFile("x.docx", raw)
			if err == nil {
				t.Errorf("%s: read %d paragraphs", name, len(r.Paragraphs))
				continue
			}
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrNoText) || !strings.Contains(err.Error(), `"x.docx"`) {
				t.Errorf("%s: %v", name, err)
			}
			t.Logf("%s: %v", name, err)
		}
	})
}

// zipOf is a zip archive holding one file.
func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, content)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestParseHTML reads the embedded report as a saved web page: the same
// report, with the page's navigation, scripts, share buttons, comment box
// and footer gone, in UTF-8 and in GBK as the page declares.
func TestParseHTML(t *testing.T) {
	want, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	page := readFile(t, "testdata/html/yuzhong-2024.html")
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.Replace(page, []byte(`charset="utf-8"`), []byte(`charset="gb2312"`), 1))
	if err != nil {
		t.Fatal(err)
	}
	furniture := append([]string{"博县网", "首页", "搜索", "发布时间", "分享", "微信", "字体", "打印", "验证码", "提交", "Copyright", "ICP", "_hmt", "console", "font-size"}, pageFurniture...)
	for name, raw := range map[string][]byte{"UTF-8": page, "GBK (meta charset=gb2312)": gbk} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseFile(DefaultReportID+".html", raw)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, got, furniture)
			sameReport(t, got, want)
			if got.Source != "https://www.example.cn/baogao/xn/10234.html" {
				t.Errorf("source %q, want the canonical link", got.Source)
			}
		})
	}
	t.Run("page without a heading: its title, without the site's name", func(t *testing.T) {
		page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>某县2024年政府工作报告 - 某县人民政府网</title></head>
<body><nav><a href="/">首页</a></nav><div id="content">——2024年1月8日在某县第十届人民代表大会第三次会议上<br>县长　李四<p>过去一年，全县粮食产量
增长3%。<br/>茶叶种植面积扩大到五万亩。</p><pre>一、2024年工作安排
今年要大力发展茶叶加工。</pre></div><div class="share-box">分享到：微博</div><div id="footer">版权所有 某县人民政府</div></body></html>`
		r, err := ParseFile("mouxian-2024.htm", []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, r, []string{"首页", "分享", "版权", "人民政府网"})
		if r.Title != "某县2024年政府工作报告" || r.Date != "2024年1月8日" || r.Speaker != "2024年1月8日在某县第十届人民代表大会第三次会议上 县长 李四" {
			t.Errorf("title %q date %q speaker %q", r.Title, r.Date, r.Speaker)
		}
		var texts []string
		for _, p := range r.Paragraphs {
			texts = append(texts, p.Text)
		}
		if got, want := strings.Join(texts, "|"), "过去一年，全县粮食产量增长3%。|茶叶种植面积扩大到五万亩。|今年要大力发展茶叶加工。"; got != want {
			t.Errorf("paragraphs %q, want %q", got, want)
		}
		if r.Issuer != "某县人民政府" || r.Level != LevelDistrict || r.Year != 2024 {
			t.Errorf("issuer %q level %v year %d", r.Issuer, r.Level, r.Year)
		}
	})
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
