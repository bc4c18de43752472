package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Arrivals remember when each report was first loaded, across restarts
// and replicas, so that the digest can show a new report's key figures
// on the first day after it arrived, once. It is not part of Store: a
// consumer that can do without it asks for it by type.
//
//	P report:H                string  Unix time report H (hash of its ID) was
//	                                  first loaded (SET NX); TTL ArrivalTTL
type Arrivals interface {
	// ReportArrived records that report (its ID) is loaded at now, unless
	// it was loaded before, and returns when it was first.
	ReportArrived(ctx context.Context, report string, now time.Time) (first time.Time, err error)
}

// ArrivalTTL is how long a report's arrival is remembered: more than the
// year until the next year's report replaces it.
const ArrivalTTL = 400 * 24 * time.Hour

func (r *Redis) arrivalKey(report string) string {
	h := sha256.Sum256([]byte(report))
	return r.p + "report:" + hex.EncodeToString(h[:12])
}

func (r *Redis) ReportArrived(ctx context.Context, report string, now time.Time) (time.Time, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	key := r.arrivalKey(report)
	var get *redis.StringCmd
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SetNX(ctx, key, now.Unix(), ArrivalTTL)
		get = p.Get(ctx, key)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return time.Time{}, r.fail("record report arrival", err)
	}
	unix, err := strconv.ParseInt(get.Val(), 10, 64)
	if err != nil {
		return time.Time{}, r.fail("read report arrival", err)
	}
	return time.Unix(unix, 0), nil
}

func (m *Memory) ReportArrived(_ context.Context, report string, now time.Time) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.arrived == nil {
		m.arrived = map[string]time.Time{}
	}
	if first, ok := m.arrived[report]; ok {
		return first, nil
	}
	m.arrived[report] = now
	return now, nil
}
