package data

import (
	"embed"
	"fmt"
	"io"
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
//
// Symbolic links to files are followed (Kubernetes ConfigMap and Docker
// secret mounts present files that way); hidden files (".#x.txt" editor
// locks, "._x.txt" macOS resource forks) are not reports and are skipped.
// Two files that would give the same report ID ("x.txt" and "x.md") are an
// error, since paragraph IDs must be unique.
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
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if strings.HasPrefix(name, ".") || (ext != ".txt" && ext != ".md") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				return nil, fmt.Errorf("report file %q is a broken link: %w", filepath.Join(dir, name), reason(err))
			}
			if !target.Mode().IsRegular() {
				continue
			}
		} else if !e.Type().IsRegular() {
			continue
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("reports folder %q has no .txt or .md files", dir)
	}
	sort.Strings(names)
	var reports []*Report
	byID := map[string]string{}
	for _, name := range names {
		path := filepath.Join(dir, name)
		id := strings.TrimSuffix(name, filepath.Ext(name))
		if other, ok := byID[id]; ok {
			return nil, fmt.Errorf("report files %q and %q both give the report ID %q; rename one", filepath.Join(dir, other), path, id)
		}
		byID[id] = name
		r, err := loadFile(path, id)
		if err != nil {
			return nil, fmt.Errorf("report file %q: %w", path, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

func loadFile(path, id string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", reason(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", reason(err))
	}
	if info.Size() > maxReportBytes {
		return nil, fmt.Errorf("it is %d bytes, over the %d-byte limit for one report", info.Size(), maxReportBytes)
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", reason(err))
	}
	return Parse(id, raw)
}
