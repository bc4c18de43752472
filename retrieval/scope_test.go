package retrieval

import (
	"slices"
	"testing"
)

func TestScope(t *testing.T) {
	reports := []reportInfo{
		{id: "gwy-2019", year: 2019, path: []string{National}},
		{id: "gwy-2023", year: 2023, path: []string{National}},
		{id: "gwy-2025", year: 2025, path: []string{National}},
		{id: "zj-2025", year: 2025, path: []string{"浙江省"}},
		{id: "yz-2024", year: 2024, path: []string{"重庆市", "渝中区"}},
	}
	for _, tc := range []struct {
		name    string
		q       Query
		reports []string
		missing string
		wider   string
	}{
		{"nothing named", Query{}, nil, "", ""},
		{"a year's plan", Query{When: When{Years: []int{2023}, Tense: Plan}}, []string{"gwy-2023"}, "", ""},
		{"a year's results", Query{When: When{Years: []int{2022}, Tense: Done}}, []string{"gwy-2023"}, "", ""},
		{"either", Query{When: When{Years: []int{2024}}}, []string{"gwy-2025", "yz-2024", "zj-2025"}, "", ""},
		{"no such year", Query{When: When{Years: []int{2030}}}, nil, "year", ""},
		{"plan of a reviewed-only year", Query{When: When{Years: []int{2020}, Tense: Plan}}, nil, "year", ""},
		{"province", Query{Where: Where{Places: []string{"浙江省"}}}, []string{"zj-2025"}, "", ""},
		{"unknown province", Query{Where: Where{Places: []string{"贵州省"}}}, nil, "place", ""},
		{"national, this year", Query{Where: Where{Places: []string{National}}, When: When{Relative: []int{0}}}, []string{"gwy-2025"}, "", ""},
		{"national, a year", Query{Where: Where{Places: []string{National}}, When: When{Years: []int{2018}}}, []string{"gwy-2019"}, "", ""},
		{"national beside a province", Query{Where: Where{Places: []string{"浙江省", National}}}, []string{"zj-2025"}, "", ""},
		{"a city falls back to its district", Query{Where: Where{Places: []string{"重庆市"}}}, []string{"yz-2024"}, "", "重庆市"},
		{"the district", Query{Where: Where{Places: []string{"渝中区"}}}, []string{"yz-2024"}, "", ""},
		{"two places", Query{Where: Where{Places: []string{"浙江省", "渝中区"}}}, []string{"yz-2024", "zj-2025"}, "", ""},
		{"place and year beyond it", Query{Where: Where{Places: []string{"浙江省"}}, When: When{Years: []int{2019}}}, nil, "year", ""},
	} {
		sc := scope(&tc.q, reports)
		if !slices.Equal(sc.Reports, tc.reports) || sc.Missing != tc.missing || sc.Wider != tc.wider {
			t.Errorf("%s: got reports %v missing %q wider %q, want %v %q %q", tc.name, sc.Reports, sc.Missing, sc.Wider, tc.reports, tc.missing, tc.wider)
		}
	}
}
