package telegramtest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseHTMLValid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		text string
		ents []MessageEntity
	}{
		{"plain", "hello", "hello", nil},
		{"bold and strong", "<b>a</b><strong>b</strong>", "ab", []MessageEntity{
			{Type: "bold", Offset: 0, Length: 1}, {Type: "bold", Offset: 1, Length: 1}}},
		{"all simple tags", "<i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del><tg-spoiler>p</tg-spoiler><span class=\"tg-spoiler\">q</span>",
			"ieunskdpq", []MessageEntity{
				{Type: "italic", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1},
				{Type: "underline", Offset: 2, Length: 1}, {Type: "underline", Offset: 3, Length: 1},
				{Type: "strikethrough", Offset: 4, Length: 1}, {Type: "strikethrough", Offset: 5, Length: 1},
				{Type: "strikethrough", Offset: 6, Length: 1}, {Type: "spoiler", Offset: 7, Length: 1},
				{Type: "spoiler", Offset: 8, Length: 1}}},
		{"entities", "&lt;a&gt; &amp; &quot;q&quot; &#20013;&#x6587;", "<a> & \"q\" 中文", nil},
		{"bare greater-than is text", "a > b", "a > b", nil},
		{"link", `<a href="https://example.com/?a=1&amp;b=2">x</a>`, "x", []MessageEntity{
			{Type: "text_link", Offset: 0, Length: 1, URL: "https://example.com/?a=1&b=2"}}},
		{"single-quoted and unquoted attributes", `<a href='https://e.com'>x</a><a href=foo>y</a>`, "xy", []MessageEntity{
			{Type: "text_link", Offset: 0, Length: 1, URL: "https://e.com"}, {Type: "text_link", Offset: 1, Length: 1, URL: "foo"}}},
		{"user mention", `<a href="tg://user?id=42">bob</a>`, "bob", []MessageEntity{
			{Type: "text_mention", Offset: 0, Length: 3, User: &User{ID: 42}}}},
		{"pre with language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1", []MessageEntity{
			{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{"code", "<code>a&lt;b</code>", "a<b", []MessageEntity{{Type: "code", Offset: 0, Length: 3}}},
		{"blockquote", "<blockquote>q</blockquote>", "q", []MessageEntity{{Type: "blockquote", Offset: 0, Length: 1}}},
		{"expandable blockquote with bold inside", "<b>答案</b>\n<blockquote expandable>前文<b>财政收入</b>后文</blockquote>\n《报告》",
			"答案\n前文财政收入后文\n《报告》", []MessageEntity{
				{Type: "bold", Offset: 0, Length: 2},
				{Type: "expandable_blockquote", Offset: 3, Length: 8},
				{Type: "bold", Offset: 5, Length: 4}}},
		{"nested inline tags", "<b>a<i>b<u>c</u></i></b>", "abc", []MessageEntity{
			{Type: "bold", Offset: 0, Length: 3}, {Type: "italic", Offset: 1, Length: 2}, {Type: "underline", Offset: 2, Length: 1}}},
		{"offsets in UTF-16 after emoji", "😀<b>x</b>", "😀x", []MessageEntity{{Type: "bold", Offset: 2, Length: 1}}},
		{"tags are case-insensitive", "<B>x</B>", "x", []MessageEntity{{Type: "bold", Offset: 0, Length: 1}}},
		{"end tag without name closes the last", "<b>x</>", "x", []MessageEntity{{Type: "bold", Offset: 0, Length: 1}}},
		{"empty entity dropped", "<b></b>x", "x", nil},
		{"surrounding space trimmed", "  <b>x</b> \n", "x", []MessageEntity{{Type: "bold", Offset: 0, Length: 1}}},
		{"custom emoji", `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍", []MessageEntity{
			{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"unknown attributes ignored", `<b class="x">y</b>`, "y", []MessageEntity{{Type: "bold", Offset: 0, Length: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ents, err := parseHTML(tt.in)
			if err != nil {
				t.Fatalf("parseHTML(%q): %v", tt.in, err)
			}
			if text != tt.text {
				t.Errorf("text = %q, want %q", text, tt.text)
			}
			if len(ents) == 0 {
				ents = nil
			}
			if !reflect.DeepEqual(ents, tt.ents) {
				t.Errorf("entities = %+v, want %+v", ents, tt.ents)
			}
		})
	}
}

func TestParseHTMLInvalid(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown tag", "<p>x</p>", `Unsupported start tag "p" at byte offset 0`},
		{"bare less-than", "a < b", `Unsupported start tag "" at byte offset 2`},
		{"less-than at the end", "1<2", "Unclosed start tag at byte offset 1"},
		{"less-than before word", "1<2 x", `Unsupported start tag "2" at byte offset 1`},
		{"self-closing br", "a<br/>b", `Unsupported start tag "br/" at byte offset 1`},
		{"unclosed tag", "<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"unclosed inner tag", "<b><i>x</b>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"overlapping tags", "<b>a<i>b</b>c</i>", `Unmatched end tag at byte offset 8, expected "</i>", found "</b>"`},
		{"end tag without start", "x</b>", "Unexpected end tag at byte offset 1"},
		{"start tag cut off", "x<b", "Unclosed start tag at byte offset 1"},
		{"end tag cut off", "<b>x</b", "Unclosed end tag at byte offset 4"},
		{"bare ampersand", "A & B", `Unescaped "&" at byte offset 2`},
		{"unknown named entity", "&nbsp;", `Unescaped "&" at byte offset 0`},
		{"entity without semicolon", "&lt", `Unescaped "&" at byte offset 0`},
		{"span without spoiler class", `<span class="x">y</span>`, `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{"attribute without value", "<a href>x</a>", `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{"unterminated attribute", `<a href="x>y</a>`, "Unclosed start tag at byte offset 0"},
		{"nested blockquote", "<blockquote>a<blockquote expandable>b</blockquote></blockquote>", "Blockquote can't be nested at byte offset 13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseHTML(tt.in)
			if err == nil {
				t.Fatalf("parseHTML(%q) succeeded, want error %q", tt.in, tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("parseHTML(%q) error = %q, want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestUTF16Len(t *testing.T) {
	for in, want := range map[string]int{"abc": 3, "中文": 2, "😀": 2, "a😀中": 4, "": 0} {
		if got := utf16Len(in); got != want {
			t.Errorf("utf16Len(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestDetectEntities(t *testing.T) {
	tests := []struct {
		in   string
		want []MessageEntity
	}{
		{"/start", []MessageEntity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"/ask@reportbot_test_bot 财政收入", []MessageEntity{{Type: "bot_command", Offset: 0, Length: 23}}},
		{"😀 @reportbot_test_bot 你好", []MessageEntity{{Type: "mention", Offset: 3, Length: 19}}},
		{"中文/ask", nil}, // a letter before "/" is not a command boundary
		{"a/b and @abc", nil},
		{"email a@example", nil},
		{"看 /topics 和 @someone_", []MessageEntity{{Type: "bot_command", Offset: 2, Length: 7}, {Type: "mention", Offset: 12, Length: 9}}},
	}
	for _, tt := range tests {
		got := detectEntities(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("detectEntities(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
