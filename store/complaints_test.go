package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"reportbot/store/redistest"
)

// complaintsStore is what the complaints contract needs of a store.
type complaintsStore interface {
	Stats
	Complaints
	Replies
}

func testComplaintsContract(t *testing.T, newStore func(t *testing.T) complaintsStore) {
	ctx := context.Background()
	t.Run("Complaints", func(t *testing.T) {
		s := newStore(t)
		if got, err := s.Complaints(ctx, 7, "2024-01-15"); err != nil || len(got.Reasons) != 0 || len(got.Recent) != 0 {
			t.Fatalf("no complaints yet: %+v, %v", got, err)
		}
		for i, c := range []struct {
			answer string
			voter  int64
			want   bool
			c      Complaint
		}{
			{"10", 1, true, Complaint{"irrelevant", "火锅底料配方"}},
			{"10", 1, false, Complaint{"other", "火锅底料配方"}}, // the same voter again
			{"10", 2, true, Complaint{"figures", "火锅底料配方"}},
			{"11", 1, true, Complaint{"irrelevant", "渝中有多少人才？"}},
		} {
			counted, err := s.RecordComplaint(ctx, 7, "2024-01-15", c.answer, c.voter, c.c)
			if err != nil || counted != c.want {
				t.Fatalf("complaint %d: counted %v, %v; want %v", i, counted, err, c.want)
			}
		}
		got, err := s.Complaints(ctx, 7, "2024-01-15")
		if err != nil {
			t.Fatal(err)
		}
		want := DayComplaints{
			Reasons: map[string]int{"irrelevant": 2, "figures": 1},
			Recent:  []Complaint{{"irrelevant", "渝中有多少人才？"}, {"figures", "火锅底料配方"}, {"irrelevant", "火锅底料配方"}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Complaints = %+v\nwant %+v", got, want)
		}
		// Other chats and days are apart; the day's question count is not touched.
		if got, _ := s.Complaints(ctx, 8, "2024-01-15"); len(got.Recent) != 0 {
			t.Errorf("another chat sees %+v", got)
		}
		if got, _ := s.Complaints(ctx, 7, "2024-01-16"); len(got.Recent) != 0 {
			t.Errorf("another day sees %+v", got)
		}
		if st, _ := s.Stats(ctx, 7, "2024-01-15"); st.Questions != 0 || st.Down != 0 {
			t.Errorf("complaints counted as questions or votes: %+v", st)
		}
		for i := range 60 {
			s.RecordComplaint(ctx, 9, "2024-01-15", fmt.Sprint(i), 1, Complaint{"other", fmt.Sprint(i)})
		}
		if got, _ := s.Complaints(ctx, 9, "2024-01-15"); len(got.Recent) != 50 || got.Recent[0].Question != "59" || got.Reasons["other"] != 60 {
			t.Errorf("after 60: %d kept, newest %+v, counted %d", len(got.Recent), got.Recent[0], got.Reasons["other"])
		}
	})
	t.Run("Replies", func(t *testing.T) {
		s := newStore(t)
		if ids, err := s.Replies(ctx, 7, 100); err != nil || ids != nil {
			t.Fatalf("none yet: %v, %v", ids, err)
		}
		if err := s.RememberReplies(ctx, 7, 100, []int{101, 102}); err != nil {
			t.Fatal(err)
		}
		if ids, err := s.Replies(ctx, 7, 100); err != nil || !reflect.DeepEqual(ids, []int{101, 102}) {
			t.Fatalf("Replies = %v, %v", ids, err)
		}
		if err := s.RememberReplies(ctx, 7, 100, []int{103}); err != nil {
			t.Fatal(err)
		}
		if ids, _ := s.Replies(ctx, 7, 100); !reflect.DeepEqual(ids, []int{103}) {
			t.Fatalf("after replacing: %v", ids)
		}
		if ids, _ := s.Replies(ctx, -7, 100); ids != nil {
			t.Fatalf("another chat: %v", ids)
		}
	})
}

func TestMemoryComplaintsContract(t *testing.T) {
	testComplaintsContract(t, func(t *testing.T) complaintsStore { return NewMemory(MemoryOptions{}) })
}

func TestRedisComplaintsContract(t *testing.T) {
	srv := redistest.Start(t)
	testComplaintsContract(t, func(t *testing.T) complaintsStore { return newTestRedis(t, RedisOptions{URL: srv.URL()}) })
}
