package retrieval

import (
	"slices"
	"sort"
)

// reportInfo is what scoping needs to know of a loaded report.
type reportInfo struct {
	id string
	// year is the year the report plans (a report delivered in 2024 plans
	// 2024 and reviews 2023); 0 when unknown.
	year int
	// path is the report's region and the regions enclosing it, outermost
	// first, as place keys ({"重庆市", "渝中区"}); {National} for the
	// State Council's.
	path []string
}

// place is the key of the report's own region.
func (r reportInfo) place() string {
	if len(r.path) == 0 {
		return ""
	}
	return r.path[len(r.path)-1]
}

// covers reports whether a report of this year speaks of year y in the
// given tense: it plans its own year and reviews the one before.
func (r reportInfo) covers(y int, t Tense) bool {
	if r.year == 0 {
		return true // a report that does not say its year is not ruled out by one
	}
	switch t {
	case Plan:
		return r.year == y
	case Done:
		return r.year == y+1
	}
	return r.year == y || r.year == y+1
}

// Scope is which loaded reports a question asks, from the time and place
// it names.
type Scope struct {
	// Reports are the IDs of the reports to search; nil means all.
	Reports []string `json:"reports,omitempty"`
	// Missing is set when the question names a time or place that no
	// loaded report covers: "place" or "year", or "day" for a particular
	// day or week (明天), which work reports never speak of. Nothing is
	// searched then.
	Missing string `json:"missing,omitempty"`
	// Unknown is what the question named that no report covers
	// ("贵州省", "2030年").
	Unknown []string `json:"unknown,omitempty"`
	// Wider says the place named has no report of its own, and the
	// reports of places within it are searched instead (a city's
	// districts when no city report is loaded).
	Wider string `json:"wider,omitempty"`
}

// scope works out which reports a question asks. Places select the
// reports of that region (its own first; those of places within it only
// when it has none); years select the reports that plan or review them;
// relative years (今年, 去年) the newest report of each region.
func scope(q *Query, reports []reportInfo) Scope {
	var sc Scope
	if q.When.Day != "" {
		sc.Missing, sc.Unknown = "day", []string{q.When.Day}
		return sc
	}
	cands := reports
	if q.Where.named() {
		places := q.Where.Places
		if len(places) > 1 {
			// "浙江国家高新技术企业": the province is the place; 国家 is the
			// kind of enterprise.
			places = slices.DeleteFunc(slices.Clone(places), func(p string) bool { return p == National })
		}
		var picked []reportInfo
		for _, p := range places {
			var own, within, unsure []reportInfo
			for _, r := range reports {
				switch {
				case r.place() == "":
					unsure = append(unsure, r) // a report that does not say where it is for
				case r.place() == p:
					own = append(own, r)
				case slices.Contains(r.path, p):
					within = append(within, r)
				}
			}
			switch {
			case len(own) > 0:
				picked = append(picked, own...)
			case len(within) > 0:
				picked = append(picked, within...)
				sc.Wider = p
			case len(unsure) > 0:
				picked = append(picked, unsure...)
			default:
				sc.Unknown = append(sc.Unknown, p)
			}
		}
		switch {
		case len(picked) > 0:
			cands = picked
		case q.Where.Weak:
			sc.Unknown = nil // 国家 with no national report: not a place to miss
		default:
			sc.Missing = "place"
			return sc
		}
	}
	switch {
	case len(q.When.Years) > 0:
		var picked []reportInfo
		for _, y := range q.When.Years {
			n := len(picked)
			for _, r := range cands {
				if r.covers(y, q.When.Tense) && !slices.ContainsFunc(picked, func(p reportInfo) bool { return p.id == r.id }) {
					picked = append(picked, r)
				}
			}
			if len(picked) == n {
				sc.Unknown = append(sc.Unknown, strconvYear(y))
			}
		}
		if len(picked) == 0 {
			sc.Missing = "year"
			return sc
		}
		cands = picked
	case len(q.When.Relative) > 0 && len(q.When.Years) == 0:
		// 今年 and 去年 are read against each report's own year; of one
		// region's reports, the newest is the one that speaks of now.
		cands = newestEach(cands)
	}
	if len(cands) == len(reports) {
		return sc
	}
	for _, r := range cands {
		sc.Reports = append(sc.Reports, r.id)
	}
	sort.Strings(sc.Reports)
	return sc
}

// newestEach keeps the newest report of each region.
func newestEach(rs []reportInfo) []reportInfo {
	newest := map[string]reportInfo{}
	for _, r := range rs {
		if have, ok := newest[r.place()]; !ok || r.year > have.year {
			newest[r.place()] = r
		}
	}
	var out []reportInfo
	for _, r := range rs {
		if newest[r.place()].id == r.id {
			out = append(out, r)
		}
	}
	return out
}
