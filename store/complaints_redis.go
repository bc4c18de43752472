package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// complaintScript keeps a complaint once per voter and answer. KEYS: the
// day's why hash, its gaps list; ARGV: voter field, reason, the complaint
// as JSON, TTL s, cap.
var complaintScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[1], 'reason:' .. ARGV[2], 1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1`)

func (r *Redis) RecordComplaint(ctx context.Context, chatID int64, day, answerID string, voter int64, c Complaint) (bool, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	b, err := json.Marshal(c)
	if err != nil {
		return false, err
	}
	keys := []string{r.statsKey(chatID, day, "why"), r.statsKey(chatID, day, "gaps")}
	n, err := complaintScript.Run(ctx, r.c, keys, "said:"+answerID+":"+strconv.FormatInt(voter, 10), c.Reason, string(b),
		int64(r.statTTL/time.Second), maxComplaints).Int()
	if err != nil {
		return false, r.fail("record complaint", err)
	}
	return n == 1, nil
}

func (r *Redis) Complaints(ctx context.Context, chatID int64, day string) (DayComplaints, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	var (
		why  *redis.MapStringStringCmd
		gaps *redis.StringSliceCmd
	)
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		why = p.HGetAll(ctx, r.statsKey(chatID, day, "why"))
		gaps = p.LRange(ctx, r.statsKey(chatID, day, "gaps"), 0, -1)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return DayComplaints{}, r.fail("complaints", err)
	}
	out := DayComplaints{Reasons: map[string]int{}}
	for k, v := range why.Val() {
		if reason, ok := strings.CutPrefix(k, "reason:"); ok {
			out.Reasons[reason], _ = strconv.Atoi(v)
		}
	}
	for _, g := range gaps.Val() {
		var c Complaint
		if json.Unmarshal([]byte(g), &c) == nil {
			out.Recent = append(out.Recent, c)
		}
	}
	return out, nil
}

func (r *Redis) replyKey(chatID int64, asked int) string {
	return r.p + "reply:" + strconv.FormatInt(chatID, 10) + ":" + strconv.Itoa(asked)
}

func (r *Redis) RememberReplies(ctx context.Context, chatID int64, asked int, replies []int) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	ids := make([]string, len(replies))
	for i, id := range replies {
		ids[i] = strconv.Itoa(id)
	}
	return r.fail("remember replies", r.c.Set(ctx, r.replyKey(chatID, asked), strings.Join(ids, ","), RepliesTTL).Err())
}

func (r *Redis) Replies(ctx context.Context, chatID int64, asked int) ([]int, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	v, err := r.c.Get(ctx, r.replyKey(chatID, asked)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, r.fail("replies", err)
	}
	var out []int
	for _, s := range strings.Split(v, ",") {
		if id, err := strconv.Atoi(s); err == nil {
			out = append(out, id)
		}
	}
	return out, nil
}
