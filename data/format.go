package data

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// extensions are the file types the loader reads as reports.
var extensions = []string{".txt", ".md", ".docx", ".html", ".htm"}

// ParseFile reads one report file in the format its name says: .txt and .md
// as text, .docx as a Word document, .html and .htm as a saved web page.
// name is the file's name: its extension picks the format and the rest is
// the report ID. A .pdf, a .doc or a type it does not know is ErrFormat,
// saying what to do; a readable text that is not a report is ErrNotReport.
func ParseFile(name string, raw []byte) (*Report, error) {
	r, err := parseFile(name, raw)
	if err != nil {
		return nil, fmt.Errorf("report file %q: %w", name, err)
	}
	return r, nil
}

// parseFile is ParseFile with errors that do not repeat the file's name.
func parseFile(name string, raw []byte) (*Report, error) {
	ext := filepath.Ext(name)
	id := strings.TrimSuffix(name, ext)
	var lines []string
	var source string
	switch ext = strings.ToLower(ext); ext {
	case ".txt", ".md":
		if err := sniffText(ext, raw); err != nil {
			return nil, err
		}
		text, err := decode(raw)
		if err != nil {
			return nil, err
		}
		lines = strings.Split(text, "\n")
	case ".docx":
		var err error
		if lines, err = docxLines(raw); err != nil {
			return nil, err
		}
	case ".html", ".htm":
		var err error
		if lines, source, err = htmlLines(raw); err != nil {
			return nil, err
		}
	case ".pdf":
		return nil, fmt.Errorf("%w: PDF files cannot be read; save the report as .docx or .txt (in Word or WPS: File › Save As) and put that file in the folder instead", ErrFormat)
	case ".doc", ".wps":
		return nil, fmt.Errorf("%w: old Word %s files cannot be read; open it in Word or WPS and save it as .docx (Word Document) or .txt", ErrFormat, ext)
	default:
		return nil, fmt.Errorf("%w: %s is not a report file type; reports are %s files", ErrFormat, typeName(ext), strings.Join(extensions, ", "))
	}
	r, err := parseLines(id, lines, source)
	if err != nil {
		return nil, err
	}
	if !isReport(r) {
		return nil, fmt.Errorf("%w: it has neither a report title (such as 2024年政府工作报告) nor a date line (2024年1月15日在…会议上), so it is taken for notes, not a report", ErrNotReport)
	}
	r.File = name
	return r, nil
}

func typeName(ext string) string {
	if ext == "" {
		return "a file without an extension"
	}
	return ext
}

// sniffText refuses the binary formats people save under a text name, with
// what to do instead of "binary".
func sniffText(ext string, raw []byte) error {
	switch {
	case bytes.HasPrefix(raw, []byte("%PDF-")):
		return fmt.Errorf("%w: it is a PDF file with a %s name; save the report as .docx or .txt and put that file in the folder instead", ErrFormat, ext)
	case bytes.HasPrefix(raw, oleMagic):
		return fmt.Errorf("%w: it is an old Word .doc file with a %s name; open it in Word or WPS and save it as .docx or .txt", ErrFormat, ext)
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")):
		return fmt.Errorf("%w: it is a zip archive (a .docx?) with a %s name; if it is a Word document, give it the .docx extension", ErrFormat, ext)
	}
	return nil
}
