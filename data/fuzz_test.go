package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds Parse arbitrary bytes, seeded with every report layout
// the tests know and with edge cases of each line rule. Parse must never
// panic; it either fails with ErrNoText or returns numbered, non-empty
// paragraphs whose sentence spans lie inside their text.
func FuzzParse(f *testing.F) {
	raw, err := embedded.ReadFile("reports/" + DefaultReportID + ".txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	files, err := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata reports: %v", err)
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		"", " ", "\x00", "\xef\xbb\xbf", "\xff\xfe", "\xfe\xff\x00", "\r\n\r", "\u3000",
		"#", "# ", "# 报告", "## 一、", "### （一）", "# 报告\n# 报告\n正文。",
		"一、", "一、。", "一、。正文。", "（一）", "（一）。正文", "第一章 总则",
		"——", "――2024年1月1日", "报告\n——\n正文。", "市长 张三",
		"(报告)报告(2024年1月1日)", "（（2024年1月1日））", "(重庆市)(2024年1月1日)",
		"。", "！？”", "”。", "……", "a!b?c", "本文地址:/a.html", "首页 > 报告\n正文。\n版权所有",
		"报告\n正文。\n\xe4\xb8", "\xa1\xaa\xa1\xaa2024\xc4\xea", // GB18030 fragments
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := Parse("fuzz", raw)
		if err != nil {
			if r != nil {
				t.Errorf("Parse returned a report and the error %v", err)
			}
			if !errors.Is(err, ErrNoText) {
				t.Errorf("error %v does not wrap ErrNoText", err)
			}
			return
		}
		if len(r.Paragraphs) == 0 {
			t.Fatal("Parse succeeded with no paragraphs")
		}
		if r.Header == nil || r.Header.Number != 0 {
			t.Fatalf("header %+v, want one numbered 0", r.Header)
		}
		for i, p := range r.Paragraphs {
			if p.Number != i+1 {
				t.Errorf("paragraph %d numbered %d", i+1, p.Number)
			}
			if p.Text == "" {
				t.Errorf("paragraph %d has no text", p.Number)
			}
			if !utf8.ValidString(p.Text) {
				t.Errorf("paragraph %d text %q is not UTF-8", p.Number, p.Text)
			}
			if p.Section == nil || p.Report != r {
				t.Errorf("paragraph %d is not linked to its section and report", p.Number)
			}
			prev := 0
			for j, s := range p.Sentences {
				if s.Start < prev || s.End <= s.Start || s.End > len(p.Text) {
					t.Fatalf("paragraph %d sentence %d span %v outside text of %d bytes (previous end %d)", p.Number, j, s, len(p.Text), prev)
				}
				_ = p.Sentence(j)
				prev = s.End
			}
			// And the split is a good one: trimmed, gap-free, each
			// sentence closed by an end mark but the last.
			checkSentences(t, p.ID(), p.Text, p.Sentences)
		}
		n := 0
		for _, s := range r.Sections {
			n += len(s.Paragraphs)
		}
		if n != len(r.Paragraphs) {
			t.Errorf("sections hold %d paragraphs, report lists %d", n, len(r.Paragraphs))
		}
	})
}

// FuzzParseFile feeds ParseFile arbitrary bytes under each file type,
// seeded with the testdata reports as text, Word documents and web pages.
// It must never panic; it fails with one of the loader's errors, or returns
// a report that keeps the invariants.
func FuzzParseFile(f *testing.F) {
	page, err := os.ReadFile(filepath.Join("testdata", "html", "yuzhong-2024.html"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(".html", page)
	f.Add(".htm", []byte("<title>某县政府工作报告</title><p>全年粮食产量增长3%。<br>茶叶<b>种植</b>面积扩大。</p><script>x</script>"))
	f.Add(".html", []byte(`<meta charset="gbk"><h1>`+"\xc4\xb3\xcf\xd8"+`</h1>`))
	raw := readTestdata(f, "chengdu-2024.txt")
	f.Add(".txt", raw)
	f.Add(".docx", makeDocx(f, strings.Split(string(raw), "\n")))
	f.Add(".docx", makeDocxXML(f, `<w:p><w:r><w:t>某县政府工作报告</w:t></w:r></w:p><w:p><w:r><w:t>全年</w:t><w:tab/><w:t>增长</w:t><w:br/></w:r></w:p>`))
	f.Add(".md", []byte("# 报告\n\n正文。"))
	f.Add(".pdf", []byte("%PDF-1.4"))
	f.Fuzz(func(t *testing.T, ext string, raw []byte) {
		r, err := ParseFile("fuzz"+ext, raw)
		if err != nil {
			if r != nil {
				t.Errorf("ParseFile returned a report and the error %v", err)
			}
			if !errors.Is(err, ErrNoText) && !errors.Is(err, ErrNotReport) && !errors.Is(err, ErrFormat) {
				t.Errorf("error %v is none of the loader's", err)
			}
			return
		}
		if len(r.Paragraphs) == 0 || r.Header == nil || r.Name == "" {
			t.Fatalf("report with %d paragraphs, header %v, name %q", len(r.Paragraphs), r.Header, r.Name)
		}
		for i, p := range r.Paragraphs {
			if p.Number != i+1 || p.Text == "" || !utf8.ValidString(p.Text) || p.Section == nil {
				t.Errorf("paragraph %d: number %d text %q", i+1, p.Number, p.Text)
			}
			checkSentences(t, p.ID(), p.Text, p.Sentences)
		}
		if len(r.RegionPath) > 0 && r.Region != r.RegionPath[len(r.RegionPath)-1] {
			t.Errorf("region %q, path %q", r.Region, r.RegionPath)
		}
	})
}
