package retrieval_test

import (
	"context"
	"sync"
	"testing"

	"reportbot/retrieval"
)

// A swap takes effect for the next search; a search that holds the old
// index keeps it open until it is done; then the old index is closed.
func TestLiveSwapKeepsOldIndexUntilReleased(t *testing.T) {
	lx := lexicon(t)
	oldIx, err := retrieval.Build(seedCorpus(t), lx)
	if err != nil {
		t.Fatal(err)
	}
	newIx, err := retrieval.Build(corpusWith(t, map[string]string{"ceshi-2025.txt": extraReport}), lx)
	if err != nil {
		t.Fatal(err)
	}
	live := retrieval.NewLive(oldIx)
	defer live.Close()
	ctx := context.Background()

	held, release := live.Acquire()
	live.Swap(newIx)
	if live.Corpus() != newIx.Corpus() {
		t.Fatal("Corpus is not the new index's after Swap")
	}
	// The search that started before the swap still works.
	if _, err := held.Search(ctx, "2024年GDP增长目标是多少?", 3); err != nil {
		t.Fatalf("search on the index held across a swap: %v", err)
	}
	release()
	release() // twice is harmless
	if _, err := held.Search(ctx, "2024年GDP增长目标是多少?", 3); err == nil {
		t.Error("the swapped-out index still searches after its last release; want it closed")
	}

	cur, release := live.Acquire()
	defer release()
	res, err := cur.Search(ctx, "茶园面积有多少", 1)
	if err != nil || !res.Covered {
		t.Fatalf("search on the new index: %v %+v", err, res)
	}
}

// Searches and swaps at once (run with -race).
func TestLiveConcurrentSearchAndSwap(t *testing.T) {
	lx := lexicon(t)
	c := seedCorpus(t)
	first, err := retrieval.Build(c, lx)
	if err != nil {
		t.Fatal(err)
	}
	live := retrieval.NewLive(first)
	defer live.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				ix, release := live.Acquire()
				_, err := ix.Search(ctx, "民间投资情况如何", 3)
				release()
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range 5 {
		ix, err := retrieval.Build(c, lx)
		if err != nil {
			t.Fatal(err)
		}
		live.Swap(ix)
	}
	close(stop)
	wg.Wait()
}
