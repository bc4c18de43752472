package data

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Level is where a report's issuer stands in China's administrative
// hierarchy.
type Level int

const (
	LevelUnknown    Level = iota
	LevelNational         // the State Council, for the whole country
	LevelProvincial       // a province, autonomous region, municipality under the central government or SAR
	LevelMunicipal        // a prefecture-level city, autonomous prefecture or league (市, 州, 盟)
	LevelDistrict         // a district, county, banner or county-level city (区, 县, 旗)
)

var levelNames = [...]string{"unknown", "national", "provincial", "municipal", "district"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText writes the level by its name, so JSON says "district", not 4.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level written by MarshalText.
func (l *Level) UnmarshalText(b []byte) error {
	for i, n := range levelNames {
		if n == string(b) {
			*l = Level(i)
			return nil
		}
	}
	return fmt.Errorf("unknown report level %q", b)
}

// Region is a place a report can be for.
type Region struct {
	// Name is the usual name: 四川, 广西, 重庆, 渝中, 全国.
	Name string `json:"name"`
	// Full is the official name, as titles write it: 四川省,
	// 广西壮族自治区, 重庆市, 渝中区, 全国. Report.Region and
	// Report.RegionPath hold full names.
	Full string `json:"full"`
	// Short are the other names people use: abbreviations (川, 渝, 桂),
	// short forms and English names. A one-character abbreviation is
	// only a region's name where the context says so.
	Short []string `json:"short,omitempty"`
	// Kind is 国家, 省, 自治区, 直辖市 or 特别行政区 for the gazetteer's
	// regions, and the suffix (市, 区, 县, 州, 盟, 旗) for the others.
	Kind  string `json:"kind"`
	Level Level  `json:"level"`
	// Parent is the full name of the enclosing region: 全国 for a
	// province, 重庆市 for 渝中区; "" for the nation, and when unknown.
	Parent string `json:"parent,omitempty"`
}

// Names returns every name the region goes by: Name, Full and Short.
func (g Region) Names() []string {
	out := []string{g.Name}
	if g.Full != g.Name {
		out = append(out, g.Full)
	}
	return append(out, g.Short...)
}

//go:embed gazetteer/regions.txt
var gazetteerText string

type gazetteerIndex struct {
	regions []Region
	byName  map[string]int // every name, English ones lower-cased
}

var gazetteer = sync.OnceValue(func() *gazetteerIndex {
	g, err := parseGazetteer(gazetteerText)
	if err != nil {
		panic("data: embedded gazetteer: " + err.Error())
	}
	return g
})

func parseGazetteer(text string) (*gazetteerIndex, error) {
	g := &gazetteerIndex{byName: map[string]int{}}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 || f[0] == "" || f[1] == "" || f[2] == "" {
			return nil, fmt.Errorf("line %d: want 4 tab-separated fields (name, full name, kind, other names), got %q", n+1, line)
		}
		r := Region{Name: f[0], Full: f[1], Kind: f[2], Level: LevelProvincial, Parent: "全国"}
		if r.Kind == "国家" {
			r.Level, r.Parent = LevelNational, ""
		}
		for _, s := range strings.Split(f[3], "、") {
			if s = strings.TrimSpace(s); s != "" {
				r.Short = append(r.Short, s)
			}
		}
		for _, name := range r.Names() {
			key := regionKey(name)
			if other, ok := g.byName[key]; ok && other != len(g.regions) {
				return nil, fmt.Errorf("line %d: the name %q is also %s's", n+1, name, g.regions[other].Full)
			}
			g.byName[key] = len(g.regions)
		}
		g.regions = append(g.regions, r)
	}
	return g, nil
}

// regionKey folds case for English names ("shanghai", "Shanghai").
func regionKey(name string) string {
	name = strings.TrimSpace(name)
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return name
		}
	}
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// LookupRegion finds a province-level region, or the nation, by any of its
// names: "四川", "四川省", "川", "Sichuan"; "全国", "国家", "我国", "China".
// Regions below a province are known only from the loaded reports: see
// Corpus.LookupRegion.
func LookupRegion(name string) (Region, bool) {
	g := gazetteer()
	i, ok := g.byName[regionKey(name)]
	if !ok {
		return Region{}, false
	}
	return copyRegion(g.regions[i]), true
}

// Gazetteer returns the nation and the 34 province-level regions, in the
// gazetteer's order.
func Gazetteer() []Region {
	g := gazetteer()
	out := make([]Region, len(g.regions))
	for i, r := range g.regions {
		out[i] = copyRegion(r)
	}
	return out
}

func copyRegion(r Region) Region {
	r.Short = append([]string(nil), r.Short...)
	return r
}

// Regions returns the regions the loaded reports are for, each once, with
// the regions that enclose them, outermost first, in load order.
func (c *Corpus) Regions() []Region {
	var out []Region
	seen := map[string]bool{}
	for _, r := range c.Reports {
		for i, full := range r.RegionPath {
			if seen[full] {
				continue
			}
			seen[full] = true
			out = append(out, regionAt(r, i))
		}
	}
	return out
}

// LookupRegion finds a region by any of its names among the gazetteer's
// and the loaded reports' regions: "渝中" and "渝中区" when a report of
// 渝中区 is loaded, besides everything LookupRegion finds.
func (c *Corpus) LookupRegion(name string) (Region, bool) {
	if g, ok := LookupRegion(name); ok {
		return g, true
	}
	key := regionKey(name)
	for _, g := range c.Regions() {
		for _, n := range g.Names() {
			if regionKey(n) == key {
				return g, true
			}
		}
	}
	return Region{}, false
}

// regionAt describes the i-th region of r's path.
func regionAt(r *Report, i int) Region {
	full := r.RegionPath[i]
	if g, ok := LookupRegion(full); ok && g.Full == full {
		return g
	}
	g := Region{Full: full, Name: full}
	if i > 0 {
		g.Parent = r.RegionPath[i-1]
	}
	if suffix, name := splitSuffix(full); suffix != "" {
		g.Kind, g.Name = suffix, name
	}
	if i == len(r.RegionPath)-1 {
		g.Level = r.Level
	} else {
		g.Level = unitLevel(r.RegionPath[:i+1])
	}
	return g
}

// unitSuffixes end the names of the regions below a province; two-character
// ones come first so that 新区 is one suffix.
var unitSuffixes = []string{"新区", "自治州", "自治县", "自治旗", "市", "区", "县", "州", "盟", "旗", "省"}

// splitSuffix splits a sub-province region's name into its usual name and
// its suffix: 渝中区 → 渝中, 区. A name that would be left with one
// character keeps its suffix (安县).
func splitSuffix(full string) (suffix, name string) {
	for _, s := range unitSuffixes {
		if strings.HasSuffix(full, s) {
			rest := strings.TrimSuffix(full, s)
			if utf8.RuneCountInString(rest) < 2 {
				return s, full
			}
			return s, rest
		}
	}
	return "", full
}
