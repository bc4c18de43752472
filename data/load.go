package data

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed reports/*.txt
var embedded embed.FS

// DefaultReportID names the embedded report.
const DefaultReportID = "yuzhong-2024"

// maxReportBytes bounds one report file; a government work report is a few
// hundred kilobytes at most, and a larger file is almost surely a mistake.
const maxReportBytes = 16 << 20

// Load returns the embedded report plus every .txt and .md report in dir
// (none when dir is ""). A report in dir with the embedded report's ID
// replaces it. Errors name the file and what is wrong with it.
func Load(dir string) (*Corpus, error) {
	raw, err := embedded.ReadFile("reports/" + DefaultReportID + ".txt")
	if err != nil {
		return nil, fmt.Errorf("embedded report: %w", err)
	}
	def, err := Parse(DefaultReportID, raw)
	if err != nil {
		return nil, fmt.Errorf("embedded report: %w", err)
	}
	reports := []*Report{def}
	if dir == "" {
		return newCorpus(reports), nil
	}
	extra, err := LoadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, r := range extra {
		if r.ID == def.ID {
			reports[0] = r
			continue
		}
		reports = append(reports, r)
	}
	return newCorpus(reports), nil
}

// LoadDir parses every .txt and .md file in dir (not its subfolders), in
// name order. A missing or unreadable folder, a folder with no reports, and
// any file that is not a report are errors: a bot that silently answers from
// less than it was given is worse than one that refuses to start.
func LoadDir(dir string) ([]*Report, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reports folder %q: %w", dir, reason(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("reports folder %q is a file, not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reports folder %q cannot be read: %w", dir, reason(err))
	}
	var names []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.Type().IsRegular() && (ext == ".txt" || ext == ".md") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("reports folder %q has no .txt or .md files", dir)
	}
	sort.Strings(names)
	var reports []*Report
	for _, name := range names {
		r, err := loadFile(os.DirFS(dir), name)
		if err != nil {
			return nil, fmt.Errorf("reports folder %q: %w", dir, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

func loadFile(fsys fs.FS, name string) (*Report, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", name, reason(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if info.Size() > maxReportBytes {
		return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit for one report", name, info.Size(), maxReportBytes)
	}
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", name, reason(err))
	}
	id := strings.TrimSuffix(name, filepath.Ext(name))
	return Parse(id, raw)
}
