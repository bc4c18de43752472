package data

import (
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

//go:embed reports/*.txt
var embedded embed.FS

// DefaultReportID names the embedded report.
const DefaultReportID = "yuzhong-2024"

// maxReportBytes bounds one report file; a government work report is a few
// hundred kilobytes at most, and a larger file is almost surely a mistake.
const maxReportBytes = 16 << 20

// Load returns the embedded report plus every report in dir (none when dir
// is ""): its .txt, .md, .docx, .html and .htm files. A report in dir with
// the embedded report's ID replaces it. A file that cannot be loaded as a
// report is left out and listed in Corpus.Skipped with the reason, so that
// one bad file never keeps the others from being served; the error is for
// a folder that cannot be used at all (missing, not a folder, unreadable).
func Load(dir string) (*Corpus, error) {
	def, err := Embedded()
	if err != nil {
		return nil, err
	}
	reports := []*Report{def}
	if dir == "" {
		return newCorpus(reports, nil), nil
	}
	extra, skipped, err := LoadDir(dir)
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
	return newCorpus(reports, skipped), nil
}

// Embedded parses the report built into the binary.
func Embedded() (*Report, error) {
	name := DefaultReportID + ".txt"
	raw, err := embedded.ReadFile("reports/" + name)
	if err != nil {
		return nil, fmt.Errorf("embedded report: %w", err)
	}
	r, err := parseFile(name, raw)
	if err != nil {
		return nil, fmt.Errorf("embedded report: %w", err)
	}
	return r, nil
}

// LoadDir reads every report file in dir (not its subfolders), in name
// order, and lists the files it did not load with the reason: empty,
// binary, damaged or too large files, types it cannot read (.pdf, .doc),
// texts that are not reports (a README), names that are not UTF-8, and a
// second file giving a report ID already loaded ("x.docx" and "x.txt").
// The error is only for a folder that is missing, not a folder or
// unreadable.
//
// Symbolic links to files are followed (Kubernetes ConfigMap and Docker
// secret mounts present files that way). Subfolders, hidden files (".#x.txt"
// editor locks, "._x.txt" macOS resource forks) and Word's "~$x.docx" lock
// files are not reports and are passed over without a word.
func LoadDir(dir string) ([]*Report, []Skipped, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reports folder %q: %w", dir, reason(err))
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("reports folder %q is a file, not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reports folder %q cannot be read: %w", dir, reason(err))
	}
	var names []string
	for _, e := range entries {
		if name := e.Name(); !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "~$") && !e.IsDir() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var (
		reports []*Report
		skipped []Skipped
		byID    = map[string]string{}
	)
	skip := func(name string, err error) {
		skipped = append(skipped, Skipped{File: filepath.Join(dir, name), Reason: err.Error(), Err: err})
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		if !utf8.ValidString(name) {
			skip(name, fmt.Errorf("%w: the file name is not valid UTF-8 (%q); rename the file", ErrFormat, name))
			continue
		}
		info, err := os.Stat(path) // follows links
		if err != nil {
			if _, lerr := os.Lstat(path); lerr == nil {
				err = fmt.Errorf("it is a broken link: %w", reason(err))
			} else {
				err = fmt.Errorf("it cannot be read: %w", reason(err))
			}
			skip(name, err)
			continue
		}
		if info.IsDir() {
			continue // a link to a folder
		}
		if !info.Mode().IsRegular() {
			skip(name, fmt.Errorf("%w: it is not a regular file (%s)", ErrFormat, info.Mode().Type()))
			continue
		}
		r, err := loadFile(path, name, info.Size())
		if err != nil {
			skip(name, err)
			continue
		}
		if other, ok := byID[r.ID]; ok {
			skip(name, fmt.Errorf("it gives the report ID %q, which %q already has; rename one of them (or remove the copy: a .docx and a .txt of one report are one report)", r.ID, filepath.Join(dir, other)))
			continue
		}
		byID[r.ID] = name
		reports = append(reports, r)
	}
	return reports, skipped, nil
}

func loadFile(path, name string, size int64) (*Report, error) {
	if !knownExtension(name) {
		// Refused before reading: a .pdf says what to do whatever it
		// holds, and an unknown type is not read at all.
		_, err := parseFile(name, nil)
		return nil, err
	}
	if size > maxReportBytes {
		return nil, fmt.Errorf("%w: it is %d bytes, over the %d-byte (%d MiB) limit for one report; a government work report is well under 1 MiB", ErrFormat, size, maxReportBytes, maxReportBytes>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("it cannot be read: %w", reason(err))
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("it cannot be read: %w", reason(err))
	}
	if len(raw) > maxReportBytes {
		return nil, fmt.Errorf("%w: it is over the %d-byte limit for one report", ErrFormat, maxReportBytes)
	}
	return parseFile(name, raw)
}

func knownExtension(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range extensions {
		if e == ext {
			return true
		}
	}
	return false
}
