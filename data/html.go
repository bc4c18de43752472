package data

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// htmlLines reads a saved web page: the text of its block elements, one a
// line, without what is never the article (scripts, styles, navigation,
// headers and footers outside the article, forms and comment boxes, share
// buttons), and the page's own address when it gives one. What furniture
// is left in the text (breadcrumbs, "来源：" lines, disclaimers) goes to the
// same line rules as a text page's.
func htmlLines(raw []byte) (lines []string, source string, err error) {
	text, err := decodeHTML(raw)
	if err != nil {
		return nil, "", err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, "", fmt.Errorf("%w: the page cannot be read as HTML (%v)", ErrNoText, err)
	}
	w := &htmlWalker{}
	w.scanHead(doc)
	w.walk(doc, false)
	w.endLine()
	if w.title != "" && !w.hasH1 {
		// The page's <title> stands for the article's heading only when
		// the article has none.
		w.lines = append([]string{w.title}, w.lines...)
	}
	return w.lines, w.source, nil
}

// metaCharsetRe finds the charset a page declares, in either form:
// <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// decodeHTML honours the charset the page declares: GB2312, GBK and
// GB18030 (read as GB18030, which contains the others) and Big5. A page
// whose bytes are UTF-8 is read as UTF-8 whatever it declares (browsers
// re-save pages so and leave the old declaration); one that declares
// nothing is read as a text file is (UTF-8, else GB18030).
func decodeHTML(raw []byte) (string, error) {
	head := raw
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil && !utf8.Valid(raw) && !bytes.HasPrefix(raw, []byte("\xff\xfe")) && !bytes.HasPrefix(raw, []byte("\xfe\xff")) {
		var dec []byte
		var err error
		switch strings.ToLower(string(m[1])) {
		case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn":
			dec, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		case "big5", "big5-hkscs", "x-x-big5":
			dec, err = traditionalchinese.Big5.NewDecoder().Bytes(raw)
		}
		if dec != nil && err == nil {
			raw = dec
		}
	}
	return decode(raw)
}

type htmlWalker struct {
	lines  []string
	cur    strings.Builder
	title  string // the page's <title>, the site's name cut off
	hasH1  bool   // the article text has a heading of its own
	source string
}

// scanHead reads what the document says about itself: its title and its
// canonical address.
func (w *htmlWalker) scanHead(n *html.Node) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Title:
			if w.title == "" {
				w.title = pageTitle(textOf(n))
			}
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && w.source == "" {
				w.source = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Meta:
			if p := attr(n, "property"); (p == "og:url" || attr(n, "name") == "url") && w.source == "" {
				w.source = strings.TrimSpace(attr(n, "content"))
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.scanHead(c)
	}
}

// pageTitle cuts the site's name off a page title: "报告_某某网",
// "报告 - 某某市人民政府", "报告|某某网".
func pageTitle(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, sep := range []string{"_", "｜", "|", " - ", " — ", "——", "－"} {
		if i := strings.Index(s, sep); i > 0 && looksLikeTitle(strings.TrimSpace(s[:i])) {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// skippedElements never hold article text.
var skippedElements = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Nav: true, atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Iframe: true,
	atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Input: true, atom.Label: true,
	atom.Svg: true, atom.Canvas: true, atom.Object: true, atom.Embed: true, atom.Menu: true,
	atom.Dialog: true, atom.Map: true, atom.Audio: true, atom.Video: true,
}

// blockElements end a line of text.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Center: true, atom.Dd: true,
	atom.Details: true, atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Caption: true, atom.Ul: true, atom.Body: true,
}

// furnitureRe matches the class and id words of page furniture. It is
// matched against whole words of the attribute ("bdsharebuttonbox",
// "article-footer", "nav_top"), never inside one.
var furnitureRe = regexp.MustCompile(`(?i)^(nav|navbar|navigation|menu|breadcrumbs?|crumbs?|position|location|footer|foot|share|bdshare|bdsharebuttonbox|social|comments?|reply|sidebar|toolbar|tools|print|copyright|related|recommend|advert|ads?|banner|login|search|pager|pagination|qrcode|ewm|topbar)$`)

func isFurniture(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	for _, a := range []string{attr(n, "class"), attr(n, "id")} {
		for _, word := range strings.FieldsFunc(a, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || unicode.IsSpace(r) }) {
			if furnitureRe.MatchString(word) {
				return true
			}
		}
	}
	return strings.EqualFold(attr(n, "role"), "navigation") || strings.EqualFold(attr(n, "aria-hidden"), "true")
}

// walk collects the text under n. inArticle: n is inside <article> or
// <main>, where a <header> is the article's own (its title, its date).
func (w *htmlWalker) walk(n *html.Node, inArticle bool) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if skippedElements[n.DataAtom] || isFurniture(n) || n.DataAtom == atom.Header && !inArticle {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			w.endLine()
			return
		case atom.Pre:
			w.endLine()
			for _, l := range strings.Split(textOf(n), "\n") {
				w.cur.WriteString(l)
				w.endLine()
			}
			return
		case atom.Article, atom.Main:
			inArticle = true
		case atom.H1:
			if strings.TrimSpace(textOf(n)) != "" {
				w.hasH1 = true
			}
		case atom.Img:
			// An image's alt text is not the report's.
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockElements[n.DataAtom]
	if block {
		w.endLine()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, inArticle)
	}
	if block {
		w.endLine()
	}
}

// text adds a text node, collapsing white space as a browser does, except
// that a line break between two Chinese characters (source wrapping) is
// nothing, not a space.
func (w *htmlWalker) text(s string) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isHTMLSpace(r) {
			w.cur.WriteRune(r)
			i += n
			continue
		}
		j, newline := i, false
		for j < len(s) && isHTMLSpace(rune(s[j])) {
			newline = newline || s[j] == '\n'
			j++
		}
		next, _ := utf8.DecodeRuneInString(s[j:])
		prev, _ := utf8.DecodeLastRuneInString(w.cur.String())
		if !(newline && isWide(prev) && isWide(next)) {
			w.cur.WriteByte(' ')
		}
		i = j
	}
}

func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// isWide: a Chinese character or punctuation that Chinese text sets full
// width (the curly quotes and dashes too), between which it has no spaces.
func isWide(r rune) bool {
	return r >= 0x2e80 && r != utf8.RuneError && !unicode.IsSpace(r) || strings.ContainsRune("“”‘’…—·", r)
}

func (w *htmlWalker) endLine() {
	if s := strings.TrimSpace(w.cur.String()); s != "" {
		w.lines = append(w.lines, s)
	}
	w.cur.Reset()
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
