package data

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// wordML is the namespace of the elements of a Word document body.
const wordML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// maxDocumentXML bounds the uncompressed document part of a .docx: a report
// of a few hundred kilobytes of text is a few megabytes of XML, and a much
// larger part is a damaged file or a zip bomb.
const maxDocumentXML = 64 << 20

// docxLines returns the paragraphs of a Word .docx file, one a line: each
// w:p element's text runs (w:t) joined, with a tab (w:tab) as a space and a
// line break (w:br, w:cr) as a line end, as Word shows them. Table cells
// and text boxes are paragraphs too; deleted revisions, field codes and the
// fallback copies of drawings are not text.
func docxLines(raw []byte) ([]string, error) {
	if bytes.HasPrefix(raw, oleMagic) {
		return nil, fmt.Errorf("%w: it is an old Word 97-2003 .doc file with a .docx name; open it in Word and save it as .docx (Word Document) or .txt", ErrFormat)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%w: the .docx file is damaged or incomplete (%v); open it in Word and save it again, or save it as .txt", ErrFormat, err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("%w: the file is a zip archive but not a Word document (it has no word/document.xml); save the report from Word as .docx or .txt", ErrFormat)
	}
	if doc.UncompressedSize64 > maxDocumentXML {
		return nil, fmt.Errorf("%w: its document part is %d bytes, over the %d-byte limit", ErrFormat, doc.UncompressedSize64, maxDocumentXML)
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: the .docx file is damaged (%v); open it in Word and save it again, or save it as .txt", ErrFormat, err)
	}
	defer rc.Close()
	lines, err := wordParagraphs(io.LimitReader(rc, maxDocumentXML))
	if err != nil {
		return nil, fmt.Errorf("%w: the .docx file is damaged or incomplete (%v); open it in Word and save it again, or save it as .txt", ErrFormat, err)
	}
	return lines, nil
}

// oleMagic starts the compound files of Word 97-2003 (.doc) and other old
// Office formats.
var oleMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

// wordParagraphs streams a WordprocessingML document and collects the text
// of its paragraphs.
func wordParagraphs(r io.Reader) ([]string, error) {
	dec := xml.NewDecoder(r)
	var (
		lines []string
		// open holds the paragraphs being read: a text box inside a
		// paragraph holds paragraphs of its own, which end before it.
		open   []*strings.Builder
		inText bool // inside w:t, whose character data is text
		skip   int  // depth inside an element whose content is not text
	)
	flush := func(b *strings.Builder) {
		for _, l := range strings.Split(b.String(), "\n") {
			lines = append(lines, l)
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Space == markupCompat && t.Name.Local == "Fallback" {
				// mc:AlternateContent offers the same content twice
				// (mc:Choice and mc:Fallback); read it once.
				skip = 1
				continue
			}
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "p":
				open = append(open, &strings.Builder{})
			case "t":
				inText = true
			case "tab", "ptab":
				if len(open) > 0 {
					open[len(open)-1].WriteByte('\t')
				}
			case "br", "cr":
				if len(open) > 0 {
					open[len(open)-1].WriteByte('\n')
				}
			case "noBreakHyphen":
				if len(open) > 0 {
					open[len(open)-1].WriteByte('-')
				}
			case "del", "delText", "instrText", "delInstrText", "rPr", "pPr":
				// Deleted revisions and field codes are not what the
				// reader sees; properties hold no text.
				skip = 1
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if len(open) > 0 {
					flush(open[len(open)-1])
					open = open[:len(open)-1]
				}
			}
		case xml.CharData:
			if inText && skip == 0 && len(open) > 0 {
				open[len(open)-1].Write(t)
			}
		}
	}
	if len(open) > 0 {
		return nil, errors.New("the document ends inside a paragraph")
	}
	return lines, nil
}

// markupCompat is the namespace of mc:AlternateContent.
const markupCompat = "http://schemas.openxmlformats.org/markup-compatibility/2006"
