package retrieval

import (
	"slices"
	"unicode/utf8"
)

// National is the place key of the whole country (全国, 国家, 我国, 中国).
const National = "全国"

// places maps the names a question may give a place (四川, 四川省, 渝中,
// 渝中区, 全国, china) to the place's key: its full name as the reports write
// it (四川省, 渝中区), or National. It is built from the gazetteer of
// province-level regions and from the loaded reports' own regions.
type places struct {
	names    map[string]string
	maxRunes int
}

func (p *places) add(name, key string) {
	name = Normalize(name)
	if name == "" || key == "" {
		return
	}
	if _, taken := p.names[name]; taken {
		return // the first (more specific) owner keeps an ambiguous name
	}
	if p.names == nil {
		p.names = map[string]string{}
	}
	p.names[name] = key
	p.maxRunes = max(p.maxRunes, utf8.RuneCountInString(name))
}

// at returns the key of the longest place name at w.s[i] and its length in
// runes, or n == 0. A name is not taken from inside a longer word that the
// lexicon knows (国家 of 国家级 is not the country) nor before 级.
func (p *places) at(w words, i int) (key string, n int) {
	if p == nil {
		return "", 0
	}
	for k := min(p.maxRunes, len(w.s)-i); k >= 2; k-- {
		key, ok := p.names[w.sub(i, k)]
		if !ok || !wholeWord(w.s, i, k) {
			continue
		}
		if i+k < len(w.s) && notAfterPlace(w.s[i+k]) {
			return "", 0 // 国家级, 中国式, 中国特色: a kind, not a place
		}
		if i > 0 && w.s[i-1] == '新' && key == National {
			return "", 0 // 新中国: the state founded in 1949, not where
		}
		return key, k
	}
	return "", 0
}

// Where is what a question says about place.
type Where struct {
	// Places are the keys of the places the question names, in order.
	Places []string `json:"places,omitempty"`
	// Weak says the only place named is the country in a word that is as
	// often not a place (国家 of 国家战略, 国家给钱吗): national reports are
	// searched when loaded, and no report is ruled out when none is.
	Weak bool `json:"weak,omitempty"`
}

// weakNational are names of the country that reports use at least as
// often for "the state" as for "the whole country".
var weakNational = map[string]bool{"国家": true}

func (w *Where) add(key string) {
	if !slices.Contains(w.Places, key) {
		w.Places = append(w.Places, key)
	}
}

// named reports whether the question names a place.
func (w Where) named() bool { return len(w.Places) > 0 }

// notAfterPlace: a place name followed by these characters describes a
// kind of thing (国家级, 中国式现代化, 中国特色) rather than naming where.
func notAfterPlace(r rune) bool { return r == '级' || r == '式' || r == '特' }
