package bot

import (
	"strings"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"
)

func TestCleanDropsControlCharacters(t *testing.T) {
	// "\a@bot 问题": the mention entity moves with the text; a character
	// outside the BMP (two UTF-16 units) before it stays.
	text := "\a😀\x1b@bot 问题\n第二行"
	ents := tele.Entities{{Type: tele.EntityMention, Offset: 4, Length: 4}}
	got, gotEnts := cleanText(text, ents)
	if got != "😀@bot 问题\n第二行" {
		t.Errorf("cleanText = %q", got)
	}
	if len(gotEnts) != 1 || gotEnts[0].Offset != 2 || gotEnts[0].Length != 4 {
		t.Errorf("entities = %+v, want the mention at 2, length 4", gotEnts)
	}
	if got, _ := cleanText("plain", nil); got != "plain" {
		t.Errorf("clean text changed: %q", got)
	}
}

func TestDecodeUpdateRefusesTrailingData(t *testing.T) {
	if _, err := decodeUpdate(strings.NewReader(`{"update_id":1}` + "\n ")); err != nil {
		t.Errorf("one update and white space: %v", err)
	}
	for _, body := range []string{`{"update_id":1} x`, `{"update_id":1}{"update_id":2}`, `{"update_id":1}]`, ``, `{`} {
		if _, err := decodeUpdate(strings.NewReader(body)); err == nil {
			t.Errorf("%q accepted", body)
		}
	}
}

func TestTrackerOffset(t *testing.T) {
	tr := newTracker()
	var ups []tele.Update
	for id := 10; id < 15; id++ {
		ups = append(ups, tele.Update{ID: id})
	}
	if fresh := tr.add(ups, false); len(fresh) != 5 {
		t.Fatalf("fresh %d, want 5", len(fresh))
	}
	if fresh := tr.add(ups[:2], false); len(fresh) != 0 {
		t.Fatalf("known updates came back fresh: %v", fresh)
	}
	// 11 and 13 answered: the offset stays at the oldest unanswered.
	tr.finish(ups[1], handled)
	tr.finish(ups[3], duplicate)
	if off := tr.offset(); off != 10 {
		t.Errorf("offset %d, want 10", off)
	}
	tr.finish(ups[0], handled)
	if off := tr.offset(); off != 12 {
		t.Errorf("offset %d, want 12", off)
	}
	// Journaled: confirmed although unanswered.
	tr.setDurable(ups[2:3])
	if off := tr.offset(); off != 14 {
		t.Errorf("offset %d, want 14", off)
	}
	// Given up: tried again, once.
	tr.finish(ups[4], givenUp)
	if again := tr.again(); len(again) != 1 || again[0].ID != 14 {
		t.Errorf("again = %v, want [14]", again)
	}
	if again := tr.again(); len(again) != 0 {
		t.Errorf("again twice: %v", again)
	}
	// Shutdown: only what is older than the newest answer out goes on; a
	// refused request does not count.
	tr.sending(12)
	tr.sentOne(12, true)
	tr.sending(14)
	tr.sentOne(14, false)
	tr.close(time.Second)
	if cutoff := tr.final(); cutoff != 13 {
		t.Errorf("cutoff %d, want 13", cutoff)
	}
	if !tr.sending(12) || tr.sending(14) || tr.start(tele.Update{ID: 14}) {
		t.Error("an update past the cutoff may still send or start")
	}
}

func TestTrackerHoldCap(t *testing.T) {
	tr := newTracker()
	var ups []tele.Update
	for id := 1; id <= 100; id++ {
		ups = append(ups, tele.Update{ID: id})
	}
	tr.add(ups, false)
	// None answered: the offset moves on no further than holdCap behind.
	if off := tr.offset(); off != 101-holdCap {
		t.Errorf("offset %d, want %d", off, 101-holdCap)
	}
	tr.confirmed(tr.offset())
	// At shutdown the updates Telegram no longer has must be finished; the
	// others are held back.
	tr.close(time.Second)
	if cutoff := tr.final(); cutoff != 101-holdCap {
		t.Errorf("cutoff %d, want %d", cutoff, 101-holdCap)
	}
	if !tr.start(tele.Update{ID: 5}) {
		t.Error("an update confirmed while waiting may not start at shutdown")
	}
	if tr.start(tele.Update{ID: 50}) {
		t.Error("an update still at Telegram started at shutdown")
	}
}
