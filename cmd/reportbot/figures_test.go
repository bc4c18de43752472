package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// reportbot figures prints the bot's own report's key figures; with a
// place and a year, that report's; --json the lines and every figure.
func TestFiguresCommand(t *testing.T) {
	r := runMain(t, nil, "", "figures")
	if r.code != 0 || !strings.Contains(r.stdout, "《重庆市渝中区人民政府工作报告》主要数字") || !strings.Contains(r.stdout, "1. 地区生产总值增长 【6%左右】〔6〕") {
		t.Fatalf("figures: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "点下面") {
		t.Error("the command line has no buttons to point at")
	}
	r = runMain(t, nil, "", "figures", "--json")
	var out figuresJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("figures --json: %v %d\n%s", err, r.code, r.stdout)
	}
	if out.Report.ID != "yuzhong-2024" || len(out.Lines) != 4 || out.Lines[0].Target == nil || out.Lines[0].Target.Value != "6" || len(out.Figures) == 0 {
		t.Errorf("figures --json: %+v", out)
	}
	if !strings.Contains(r.stdout, `"text":"6%左右"`) || !strings.Contains(r.stdout, `"kind":"target"`) {
		t.Errorf("figures --json lacks the figure's text or kind:\n%.400s", r.stdout)
	}
	r = runMain(t, nil, "", "figures", "四川")
	if r.code != 1 || !strings.Contains(r.stderr, "没有收录四川省的报告") {
		t.Errorf("figures 四川: %d %q", r.code, r.stderr)
	}
	dir := "../../../shared/corpus/txt"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the real corpus %s is not here", dir)
	}
	r = runMain(t, nil, "", "figures", "--reports", dir, "国务院", "2023")
	if r.code != 0 || !strings.Contains(r.stdout, "国内生产总值增长 【5%左右】〔71〕 · 2022年 【3%】〔3〕") {
		t.Errorf("figures 国务院 2023: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
