package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles creates files (name → content) in a fresh folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const smallReport = "某某县人民政府工作报告\n\n一、工作回顾\n\n过去一年，全县粮食产量达到三十万吨，茶叶种植面积扩大到五万亩。\n\n二、今年安排\n\n今年要大力发展茶叶加工，建设茶叶交易市场。\n"

// TestLoadDirErrors: only a folder that cannot be used at all is an error.
// (A bad file among good ones was an error too before issue 9; it is now
// skipped with the reason: see TestLoadDirSkips.)
func TestLoadDirErrors(t *testing.T) {
	root := t.TempDir()
	aFile := filepath.Join(root, "report.txt")
	if err := os.WriteFile(aFile, []byte(smallReport), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		dir      string
		want     []string // every one must appear in the message
		rootSkip bool     // permissions do not bind root
		setup    func(t *testing.T) string
	}{
		{name: "missing folder", dir: filepath.Join(root, "nope"), want: []string{filepath.Join(root, "nope"), "no such file or directory"}},
		{name: "file, not folder", dir: aFile, want: []string{aFile, "is a file, not a folder"}},
		{
			name: "unreadable folder", rootSkip: true,
			setup: func(t *testing.T) string {
				dir := writeFiles(t, map[string]string{"a.txt": smallReport})
				if err := os.Chmod(dir, 0); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o755) })
				return dir
			},
			want: []string{"cannot be read", "permission denied"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rootSkip && os.Geteuid() == 0 {
				t.Skip("running as root: file permissions do not prevent reading")
			}
			dir := tt.dir
			if tt.setup != nil {
				dir = tt.setup(t)
				tt.want = append(tt.want, dir)
			}
			reports, _, err := LoadDir(dir)
			if err == nil {
				t.Fatalf("LoadDir(%q) loaded %d reports; want an error", dir, len(reports))
			}
			t.Logf("LoadDir: %v", err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if c, err := Load(dir); err == nil {
				t.Errorf("Load(%q) gave %d reports; want the LoadDir error", dir, len(c.Reports))
			}
		})
	}
}

// TestLoadDirSkips puts one bad file of each kind beside a good report: each
// is skipped with a reason naming the file, and the good report loads.
func TestLoadDirSkips(t *testing.T) {
	good := smallReport
	docx := makeDocx(t, strings.Split(strings.TrimSpace(good), "\n\n"))
	tests := []struct {
		name    string
		file    string
		content string
		setup   func(t *testing.T, path string) // instead of content
		want    []string                        // in the reason
		is      error
		// rootSkip: permissions do not bind root.
		rootSkip bool
	}{
		{name: "empty", file: "b-empty.txt", want: []string{"the file is empty"}, is: ErrNoText},
		{name: "binary", file: "scan.txt", content: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", want: []string{"binary"}, is: ErrNoText},
		{name: "whitespace only", file: "blank.md", content: "\u3000\n \n", want: []string{"only whitespace"}, is: ErrNoText},
		{name: "boilerplate only", file: "page.txt", content: "导航菜单\n本文地址:/a.html\n", want: []string{"body paragraph"}, is: ErrNoText},
		{name: "truncated docx", file: "cut.docx", content: string(docx[:len(docx)/2]), want: []string{".docx", "damaged or incomplete", "save it"}, is: ErrFormat},
		{name: "docx that is not a zip", file: "fake.docx", content: smallReport, want: []string{"damaged or incomplete"}, is: ErrFormat},
		{name: "old Word file named docx", file: "old.docx", content: string(oleMagic) + "\x00\x00", want: []string{".doc", "save it as .docx"}, is: ErrFormat},
		{name: "pdf", file: "report.pdf", content: "%PDF-1.7\n...", want: []string{"PDF", ".docx or .txt"}, is: ErrFormat},
		{name: "pdf named txt", file: "scan2.txt", content: "%PDF-1.4\n\x00\x01", want: []string{"PDF", ".docx or .txt"}, is: ErrFormat},
		{name: "old Word doc", file: "old.doc", content: string(oleMagic), want: []string{".doc", "save it as .docx"}, is: ErrFormat},
		{name: "unknown type", file: "archive.txt.bak", content: smallReport, want: []string{".bak", "not a report file type"}, is: ErrFormat},
		{name: "no extension", file: "README", content: "notes", want: []string{"without an extension"}, is: ErrFormat},
		{name: "not a report", file: "README.md", content: "# Reports\n\nThis folder holds the reports the bot answers from. Put new ones here.\n", want: []string{"neither a report title", "nor a date line"}, is: ErrNotReport},
		{name: "notes about a report", file: "notes.md", content: "# 政府工作报告学习笔记\n\n今年的目标是增长5%左右。\n", want: []string{"not a report"}, is: ErrNotReport},
		{name: "same report ID twice", file: "a.md", content: smallReport, want: []string{`"a"`, "a.docx", "rename one"}},
		{name: "50 MB file", file: "huge.txt", setup: func(t *testing.T, path string) {
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(50 << 20); err != nil { // sparse: no 50 MB written
				t.Fatal(err)
			}
		}, want: []string{"52428800 bytes", "limit"}, is: ErrFormat},
		{name: "file name not UTF-8", file: "bad\xff\xfename.txt", content: smallReport, want: []string{"not valid UTF-8", `\xff`, "rename"}, is: ErrFormat},
		{name: "broken link", file: "link.txt", setup: func(t *testing.T, path string) {
			if err := os.Symlink(filepath.Join(filepath.Dir(path), "gone.txt"), path); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"broken link", "no such file or directory"}},
		{name: "unreadable file", file: "locked.txt", rootSkip: true, setup: func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(smallReport), 0); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"cannot be read", "permission denied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rootSkip && os.Geteuid() == 0 {
				t.Skip("running as root: file permissions do not prevent reading")
			}
			dir := t.TempDir()
			write := func(name string, b []byte) {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("a.docx", docx) // the good report, as Word saves it
			write(".#lock.txt", nil)
			write("~$a.docx", []byte("\x05Word owner file"))
			path := filepath.Join(dir, tt.file)
			if tt.setup != nil {
				tt.setup(t, path)
			} else {
				write(tt.file, []byte(tt.content))
			}
			reports, skipped, err := LoadDir(dir)
			if err != nil {
				t.Fatalf("LoadDir: %v; a bad file must not stop loading", err)
			}
			if len(reports) != 1 || reports[0].ID != "a" || reports[0].File != "a.docx" || len(reports[0].Paragraphs) != 2 {
				t.Errorf("loaded %d reports; want the good a.docx alone, with 2 paragraphs", len(reports))
			}
			if len(skipped) != 1 {
				t.Fatalf("skipped %v; want %q alone (hidden files and Word lock files pass without a word)", skipped, tt.file)
			}
			s := skipped[0]
			t.Logf("skipped %s", s)
			if s.File != path {
				t.Errorf("skipped file %q, want %q", s.File, path)
			}
			for _, w := range tt.want {
				if !strings.Contains(s.Reason, w) && !strings.Contains(s.String(), w) {
					t.Errorf("reason %q does not say %q", s.Reason, w)
				}
			}
			if tt.is != nil && !errors.Is(s.Err, tt.is) {
				t.Errorf("skip error %v is not %v", s.Err, tt.is)
			}
			// Load serves the rest and reports the same skip.
			c, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Reports) != 2 || len(c.Skipped) != 1 || c.Skipped[0].File != path {
				t.Errorf("Load: %d reports, skipped %v", len(c.Reports), c.Skipped)
			}
		})
	}

	t.Run("a folder with no reports serves the embedded one", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"notes.doc":      "not a report",
			".hidden.txt":    smallReport,
			"sub/nested.txt": smallReport, // subfolders are not read
		})
		c, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Reports) != 1 || c.Reports[0].ID != DefaultReportID {
			t.Errorf("%d reports, want the embedded one", len(c.Reports))
		}
		if len(c.Skipped) != 1 || c.Skipped[0].File != filepath.Join(dir, "notes.doc") {
			t.Errorf("skipped %v, want notes.doc alone", c.Skipped)
		}
	})
}

func TestLoadDir(t *testing.T) {
	t.Run("testdata layouts, in name order", func(t *testing.T) {
		reports, _, err := LoadDir(filepath.Join("testdata", "reports"))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range reports {
			ids = append(ids, r.ID)
			checkReport(t, r, pageFurniture)
		}
		if got, want := strings.Join(ids, " "), "anxian-2024 chengdu-2024 qingshan-2024 xinan-2024"; got != want {
			t.Errorf("IDs %q, want %q", got, want)
		}
	})
	t.Run("links, upper-case extensions, other files ignored", func(t *testing.T) {
		src := writeFiles(t, map[string]string{"linked.txt": smallReport})
		dir := writeFiles(t, map[string]string{
			"upper.TXT":  smallReport,
			"notes.docx": "ignored",
			".#lock.txt": "", // an editor's lock file: would fail if read
		})
		if err := os.Symlink(filepath.Join(src, "linked.txt"), filepath.Join(dir, "via-link.txt")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, filepath.Join(dir, "folder-link.md")); err != nil {
			t.Fatal(err)
		}
		reports, _, err := LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range reports {
			ids = append(ids, r.ID)
		}
		if got, want := strings.Join(ids, " "), "upper via-link"; got != want {
			t.Errorf("IDs %q, want %q", got, want)
		}
	})
}

func TestLoad(t *testing.T) {
	def, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	again, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if def.Version == "" || def.Version != again.Version {
		t.Errorf("embedded corpus version %q then %q; want a stable, non-empty version", def.Version, again.Version)
	}
	embeddedRaw, err := embedded.ReadFile("reports/" + DefaultReportID + ".txt")
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name        string
		files       map[string]string
		ids         []string
		firstTitle  string
		sameVersion bool // as the embedded corpus
	}{
		{
			name:       "a report with the embedded ID replaces it",
			files:      map[string]string{DefaultReportID + ".txt": strings.Replace(smallReport, "某某县", "渝中区", 1)},
			ids:        []string{DefaultReportID},
			firstTitle: "渝中区人民政府工作报告",
		},
		{
			name:        "the embedded report's own text changes nothing",
			files:       map[string]string{DefaultReportID + ".txt": string(embeddedRaw)},
			ids:         []string{DefaultReportID},
			firstTitle:  "重庆市渝中区人民政府工作报告",
			sameVersion: true,
		},
		{
			name:       "other reports are added after the embedded one",
			files:      map[string]string{"zz-county.txt": smallReport, "aa-county.md": smallReport},
			ids:        []string{DefaultReportID, "aa-county", "zz-county"},
			firstTitle: "重庆市渝中区人民政府工作报告",
		},
		{
			name:       "replace and add together",
			files:      map[string]string{DefaultReportID + ".md": "# 新版渝中区政府工作报告\n\n今年要办好十件民生实事。\n", "other.txt": smallReport},
			ids:        []string{DefaultReportID, "other"},
			firstTitle: "新版渝中区政府工作报告",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(writeFiles(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range c.Reports {
				ids = append(ids, r.ID)
				checkReport(t, r, pageFurniture)
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("reports %q, want %q", ids, tt.ids)
			}
			if c.Reports[0].Title != tt.firstTitle {
				t.Errorf("first report title %q, want %q", c.Reports[0].Title, tt.firstTitle)
			}
			if got := c.Version == def.Version; got != tt.sameVersion {
				t.Errorf("version %q vs embedded %q: same = %v, want %v", c.Version, def.Version, got, tt.sameVersion)
			}
		})
	}

	t.Run("each added report changes the version", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"a.txt": smallReport})
		one, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "b.txt"), []byte(strings.Replace(smallReport, "三十万吨", "四十万吨", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		two, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		versions := map[string]bool{def.Version: true, one.Version: true, two.Version: true}
		if len(versions) != 3 {
			t.Errorf("versions embedded %q, +1 report %q, +2 reports %q; want three different", def.Version, one.Version, two.Version)
		}
		if len(two.Reports) != 3 || two.Stats().Reports != 3 {
			t.Errorf("%d reports, want 3", len(two.Reports))
		}
		if n := len(two.Paragraphs()); n != 3+8+2+2 {
			t.Errorf("Corpus.Paragraphs() = %d passages, want 3 headers and 12 paragraphs", n)
		}
	})

	t.Run("testdata layouts", func(t *testing.T) {
		c, err := Load(filepath.Join("testdata", "reports"))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Reports) != 5 || c.Reports[0].ID != DefaultReportID || c.Version == def.Version {
			t.Errorf("%d reports, first %q, version %q (embedded %q)", len(c.Reports), c.Reports[0].ID, c.Version, def.Version)
		}
		seen := map[string]bool{}
		for _, p := range c.Paragraphs() {
			if seen[p.ID()] {
				t.Errorf("paragraph ID %q is not unique", p.ID())
			}
			seen[p.ID()] = true
		}
	})
}
