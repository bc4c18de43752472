package store

import (
	"context"
	"testing"
	"time"

	"reportbot/store/redistest"
)

// A report's arrival is its first: later loads, by this process or
// another replica, do not move it. Both stores, one contract; the Redis
// one also keeps it across a restart of the client (another replica).
func TestReportArrivals(t *testing.T) {
	srv := redistest.Start(t)
	prefix := testPrefix(t)
	for name, mk := range map[string]func() Arrivals{
		"memory": func() Arrivals { return NewMemory(MemoryOptions{}) },
		"redis":  func() Arrivals { return newTestRedis(t, RedisOptions{URL: srv.URL(), Prefix: prefix}) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a := mk()
			first := time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC)
			got, err := a.ReportArrived(ctx, "国务院政府工作报告-2025", first)
			if err != nil || !got.Equal(first) {
				t.Fatalf("first load: %v %v", got, err)
			}
			got, err = a.ReportArrived(ctx, "国务院政府工作报告-2025", first.Add(48*time.Hour))
			if err != nil || !got.Equal(first) {
				t.Fatalf("a later load moved the arrival: %v %v", got, err)
			}
			other, err := a.ReportArrived(ctx, "yuzhong-2024", first.Add(time.Hour))
			if err != nil || !other.Equal(first.Add(time.Hour)) {
				t.Fatalf("another report: %v %v", other, err)
			}
			if name == "redis" {
				replica := newTestRedis(t, RedisOptions{URL: srv.URL(), Prefix: prefix})
				if got, err := replica.ReportArrived(ctx, "国务院政府工作报告-2025", first.Add(72*time.Hour)); err != nil || !got.Equal(first) {
					t.Fatalf("another replica: %v %v", got, err)
				}
			}
		})
	}
}
