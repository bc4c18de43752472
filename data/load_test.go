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

func TestLoadDirErrors(t *testing.T) {
	root := t.TempDir()
	aFile := filepath.Join(root, "report.txt")
	if err := os.WriteFile(aFile, []byte(smallReport), 0o644); err != nil {
		t.Fatal(err)
	}
	noReports := writeFiles(t, map[string]string{
		"notes.doc":       "not a report",
		"README":          "no extension",
		".hidden.txt":     smallReport,
		"sub/nested.txt":  smallReport, // subfolders are not read
		"archive.txt.bak": smallReport,
	})
	emptyFile := writeFiles(t, map[string]string{"a.txt": smallReport, "b-empty.txt": ""})
	binaryFile := writeFiles(t, map[string]string{"scan.txt": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
	dupIDs := writeFiles(t, map[string]string{"x.txt": smallReport, "x.md": smallReport})
	broken := writeFiles(t, map[string]string{"a.txt": smallReport})
	if err := os.Symlink(filepath.Join(broken, "gone.txt"), filepath.Join(broken, "link.txt")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		dir      string
		want     []string // every one must appear in the message
		noText   bool     // the error wraps ErrNoText
		rootSkip bool     // permissions do not bind root
		setup    func(t *testing.T) string
	}{
		{name: "missing folder", dir: filepath.Join(root, "nope"), want: []string{filepath.Join(root, "nope"), "no such file or directory"}},
		{name: "file, not folder", dir: aFile, want: []string{aFile, "is a file, not a folder"}},
		{name: "no .txt or .md files", dir: noReports, want: []string{noReports, "has no .txt or .md files"}},
		{name: "an empty report among good ones", dir: emptyFile, want: []string{filepath.Join(emptyFile, "b-empty.txt"), "the file is empty"}, noText: true},
		{name: "a binary file named .txt", dir: binaryFile, want: []string{filepath.Join(binaryFile, "scan.txt"), "binary"}, noText: true},
		{name: "two files with one report ID", dir: dupIDs, want: []string{filepath.Join(dupIDs, "x.md"), filepath.Join(dupIDs, "x.txt"), `"x"`}},
		{name: "broken link", dir: broken, want: []string{filepath.Join(broken, "link.txt"), "broken link", "no such file or directory"}},
		{
			name: "unreadable file", rootSkip: true,
			setup: func(t *testing.T) string {
				dir := writeFiles(t, map[string]string{"locked.txt": smallReport})
				if err := os.Chmod(filepath.Join(dir, "locked.txt"), 0); err != nil {
					t.Fatal(err)
				}
				return dir
			},
			want: []string{"locked.txt", "cannot be read", "permission denied"},
		},
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
			reports, err := LoadDir(dir)
			if err == nil {
				t.Fatalf("LoadDir(%q) loaded %d reports; want an error", dir, len(reports))
			}
			t.Logf("LoadDir: %v", err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if got := errors.Is(err, ErrNoText); got != tt.noText {
				t.Errorf("errors.Is(%v, ErrNoText) = %v, want %v", err, got, tt.noText)
			}
			// Load reports the same error rather than a partial corpus.
			if c, err := Load(dir); err == nil {
				t.Errorf("Load(%q) gave %d reports; want the LoadDir error", dir, len(c.Reports))
			}
		})
	}
}

func TestLoadDir(t *testing.T) {
	t.Run("testdata layouts, in name order", func(t *testing.T) {
		reports, err := LoadDir(filepath.Join("testdata", "reports"))
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
		reports, err := LoadDir(dir)
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
