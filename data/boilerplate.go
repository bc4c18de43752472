package data

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Rules for the furniture that report pages carry around the article. They
// describe kinds of lines found on Chinese news and government sites, so
// they hold on pages the bot has never seen; none of them names a line of a
// particular page.
var (
	// footerStartRe and footerWords mark the start of the page footer: a
	// site disclaimer or copyright notice, the page's own address, a
	// comment box. Once the article has begun, nothing after such a line
	// is report text. The words are looked for with strings.Contains:
	// every line of a report passes here, and an unanchored regular
	// expression over long paragraphs costs more than the rest of the
	// loader together.
	footerStartRe = regexp.MustCompile(`^(?:` +
		`(本文|原文|文章|本页|页面)(地址|链接|网址)\s*[:：]|` +
		`(留言与评论|发表评论|网友评论|我要评论|相关评论)|(上一篇|下一篇)\s*[:：]|` +
		// Government sites close with the sponsoring office.
		`(主办|承办|协办)(单位)?\s*[:：])`)
	footerWords = []string{
		"本文仅代表", "不代表本站", "本站立场", "本站观点", "本站声明", "版权所有", "版权声明", "免责声明",
		// Government sites close with their registration numbers (ICP
		// licence, public-security filing, site ID); these are never
		// part of an article.
		"ICP备", "公网安备", "网站标识码", "©",
	}
	// unlicensedRe: "未经许可，不得转载", looked for where 不得转载 is.
	unlicensedRe = regexp.MustCompile(`未经(许可|授权)[，,]?不得转载`)

	// boilerplateRes are single lines of page furniture found anywhere on a
	// page: navigation, share and print buttons, counters, captchas, bare
	// addresses. Each is only trusted on a short line, where a sentence of
	// the report could not be mistaken for it.
	boilerplateRes = []*regexp.Regexp{
		// Navigation and breadcrumbs: "首页 > 政务公开 > …", "您现在的位置：…".
		regexp.MustCompile(`^(导航|菜单|导航菜单|网站导航|首页|(您|你)?(现在|当前)?的?位置)([:：>》\s]|$)`),
		// Labels that introduce a widget: "分享到：", "验证码：", "【字体：大 中 小】".
		regexp.MustCompile(`^[【\[]?(验证码|分享到|扫一扫|字体|字号)`),
		// A line made only of buttons ("打印本页 关闭窗口", "【打印本页】
		// 【关闭窗口】", "大 中 小"). The whole line must be button labels:
		// a report sentence may well begin with 关闭…, 打印…, 大力…, 中…
		// or 小…, so a prefix alone proves nothing.
		regexp.MustCompile(`^(?:[\s【】\[\]|｜/·:：]*(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回首页|返回|加入收藏|收藏本页|收藏|我要纠错|纠错|默认|大|中|小))+[\s【】\[\]|｜/·:：]*$`),
		// Article metadata: "来源：…", "发布时间：…", and the fields of a
		// government information-disclosure table ("索引号：…").
		regexp.MustCompile(`^(信息来源|文章来源|来源|作者|编辑|责任编辑|发布时间|发布日期|发布机构|成文日期|索引号|主题分类|浏览次数|阅读次数|点击(数|量)?|访问量)\s*[:：]`),
		regexp.MustCompile(`^(https?://|www\.)\S*$|^/?[\w\-/]+\.(s?html?|php|aspx?|jsp)$`),
	}
)

// maxBoilerplateRunes bounds the lines the boilerplate rules may remove: a
// report paragraph is longer than any page furniture.
const maxBoilerplateRunes = 60

func isFooter(s string) bool {
	for _, w := range footerWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	if strings.Contains(s, "不得转载") && unlicensedRe.MatchString(s) {
		return true
	}
	return footerStartRe.MatchString(s) || containsFold(s, "copyright") || containsFold(s, "all rights reserved")
}

// containsFold reports whether s contains the lower-case ASCII word in any
// case.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && s[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

func isBoilerplate(s string) bool {
	if utf8.RuneCountInString(s) > maxBoilerplateRunes {
		return false
	}
	for _, re := range boilerplateRes {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
