package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"reportbot/store"
)

// pollTimeout is how long one getUpdates waits for an update.
const pollTimeout = 25

// holdPoll is how often the poller asks again while it holds updates back
// unconfirmed (Telegram answers at once then: the held ones are there).
const holdPoll = 50 * time.Millisecond

// poll takes updates by long polling and hands each to its chat's queue,
// going on while the chats work. An update is confirmed to Telegram only
// once it is answered, or kept in the store's journal (with Redis): so a
// crash loses none. On ctx's end it takes no more, lets the updates
// already started (and the older ones still waiting) finish within the
// shutdown timeout, and confirms, with one last immediate getUpdates,
// everything answered while holding back what was not.
func (b *Bot) poll(ctx context.Context) error {
	if err := b.api.deleteWebhook(ctx, false); err != nil {
		return fmt.Errorf("switching to long polling: %w", err)
	}
	b.log.Info("taking updates by long polling", "bot", b.me.Username)
	tr := newTracker()
	b.tracker.Store(tr)
	q := newChatQueues(tr.start, b.handle)
	submit := func(u tele.Update) { q.submit(u, func(o outcome) { tr.finish(u, o) }) }
	if b.redis {
		b.recoverJournal(ctx, tr, submit)
	}
	backoff := time.Second
	for ctx.Err() == nil {
		for _, u := range tr.again() {
			submit(u)
		}
		if n, _ := tr.unanswered(); n >= maxUnanswered {
			select { // backlog full: let Telegram keep the rest for now
			case <-ctx.Done():
			case <-tr.wake():
			case <-time.After(time.Second):
			}
			continue
		}
		wake := tr.wake()
		offset := tr.offset()
		timeout := pollTimeout
		if n, _ := tr.unanswered(); n > 0 {
			timeout = 1 // one may come back to be tried again (given up, busy elsewhere)
		}
		if offset < tr.next {
			timeout = 0 // held back: Telegram answers at once anyway
		}
		raw, err := b.api.getUpdatesRaw(ctx, getUpdatesParams{
			Offset: offset, Timeout: timeout, Limit: 100, AllowedUpdates: allowedUpdates,
		})
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			var ae *APIError
			if errors.As(err, &ae) && ae.Code == http.StatusConflict {
				return fmt.Errorf("another process takes this bot's updates (webhook set, or a second poller): %w", err)
			}
			if errors.As(err, &ae) && ae.Code == http.StatusUnauthorized {
				return fmt.Errorf("TELEGRAM_TOKEN was refused: %w", err)
			}
			b.m.apiErrors.WithLabelValues(errorCode(err)).Inc()
			b.log.Warn("getUpdates failed; retrying", "err", err, "in", backoff)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = time.Second
		tr.confirmed(offset)
		ups, bodies := decodeUpdates(b, tr, raw)
		fresh := tr.add(ups, false)
		if b.redis && len(fresh) > 0 {
			b.journal(tr, fresh, bodies)
		}
		for _, u := range fresh {
			submit(u)
		}
		if len(fresh) == 0 && timeout == 0 {
			select { // nothing new: wait for an answer to go out, or a moment
			case <-ctx.Done():
			case <-wake:
			case <-time.After(holdPoll):
			}
		}
	}
	return b.stopPolling(tr, q)
}

// stopPolling finishes the updates started and those older, within the
// shutdown timeout, and confirms what it may.
func (b *Bot) stopPolling(tr *tracker, q *chatQueues) error {
	tr.close(sendTimeout)
	b.wait(q.wait)
	cutoff := tr.final()
	offset := tr.offset()
	if lost := tr.lost(cutoff); !b.redis && len(lost) > 0 {
		// Without a shared store the next process cannot tell which of
		// these were answered: confirming past them answers nothing
		// twice, and loses these.
		b.log.Warn("shutdown timeout: updates not answered and not delivered again (no REDIS_URL to keep them)", "updates", lost)
	}
	if !b.redis {
		offset = max(offset, cutoff)
	}
	if offset > 0 {
		// What this call returns stays unconfirmed and is delivered again
		// to the next process.
		confirm, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := b.api.getUpdatesRaw(confirm, getUpdatesParams{Offset: offset, Timeout: 0, Limit: 1}); err != nil {
			b.log.Warn("could not confirm the last updates; they will be de-duplicated when delivered again", "err", err)
		}
	}
	return nil
}

// decodeUpdates decodes the updates of getUpdates' result that tr does
// not know yet (held back, the known ones come again), keeping each one's
// JSON for the journal. An update that does not decode is skipped (and
// confirmed): it could never be handled.
func decodeUpdates(b *Bot, tr *tracker, raw []json.RawMessage) ([]tele.Update, map[int][]byte) {
	ups := make([]tele.Update, 0, len(raw))
	bodies := make(map[int][]byte, len(raw))
	for _, r := range raw {
		var id struct {
			ID int `json:"update_id"`
		}
		if json.Unmarshal(r, &id) == nil && tr.known(id.ID) {
			continue
		}
		var u tele.Update
		if err := json.Unmarshal(r, &u); err != nil {
			b.log.Warn("skipping an update that does not decode", "err", err)
			continue
		}
		ups = append(ups, u)
		bodies[u.ID] = r
	}
	return ups, bodies
}

// journal keeps fresh updates in the store before the next getUpdates
// confirms them to Telegram. If the store fails they stay unconfirmed
// instead.
func (b *Bot) journal(tr *tracker, fresh []tele.Update, bodies map[int][]byte) {
	js := make([]store.JournaledUpdate, 0, len(fresh))
	for _, u := range fresh {
		js = append(js, store.JournaledUpdate{ID: int64(u.ID), Body: bodies[u.ID]})
	}
	if err := b.st.JournalUpdates(b.ctx, js); err != nil {
		b.log.Debug("updates not journaled; holding them back at Telegram", "err", err)
		return
	}
	tr.setDurable(fresh)
}

// recoverJournal hands the journal's updates (taken by an earlier process
// and not answered) to their chats' queues before any new one. Those whose
// process still heartbeats come back busy and are tried again.
func (b *Bot) recoverJournal(ctx context.Context, tr *tracker, submit func(tele.Update)) {
	js, err := b.st.Journaled(ctx)
	if err != nil {
		b.log.Warn("could not read the journal of unanswered updates; they are answered once Redis is back and this process restarts", "err", err)
		return
	}
	var ups []tele.Update
	for _, j := range js {
		var u tele.Update
		if err := json.Unmarshal(j.Body, &u); err != nil {
			continue
		}
		ups = append(ups, u)
	}
	fresh := tr.add(ups, true)
	if len(fresh) > 0 {
		b.log.Info("answering updates left unanswered by an earlier process", "updates", len(fresh))
	}
	for _, u := range fresh {
		submit(u)
	}
}

// secretHeader carries WEBHOOK_SECRET on every request Telegram makes.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// serveWebhook sets the webhook and serves it until ctx ends. A request
// without the secret gets 401 and is not handled; one that is not exactly
// one update, 400. An update is answered 200 once its answer is out (or it
// was answered before); otherwise 503, so Telegram delivers it again later
// (to this or another replica): while shutting down, while another live
// replica is answering it, and when Telegram kept refusing its answer for
// the whole retry window.
func (b *Bot) serveWebhook(ctx context.Context) error {
	// Nothing new starts once shutdown begins: what waits is answered 503,
	// and Telegram delivers it again.
	b.hooks = newChatQueues(func(tele.Update) bool { return !b.closing.Load() }, b.handle)
	mux := http.NewServeMux()
	path := webhookPath(b.cfg.WebhookURL)
	mux.HandleFunc(path, b.webhookHandler)
	srv := &http.Server{Addr: b.cfg.WebhookListen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("WEBHOOK_LISTEN %s: %w", b.cfg.WebhookListen, err)
		}
		close(errc)
	}()
	err := b.api.setWebhook(ctx, setWebhookParams{
		URL: b.cfg.WebhookURL, SecretToken: b.cfg.WebhookSecret, AllowedUpdates: allowedUpdates,
	})
	if err != nil {
		srv.Close()
		return fmt.Errorf("setting the webhook to %s: %w", b.cfg.WebhookURL, err)
	}
	b.log.Info("taking updates by webhook", "url", b.cfg.WebhookURL, "listen", b.cfg.WebhookListen, "path", path)
	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil {
			return err
		}
	}
	b.closing.Store(true)
	b.wait(b.wg.Wait) // requests in flight: answered, or cut short and refused
	shut, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

func webhookPath(url string) string {
	rest := url
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		return rest[i:]
	}
	return "/"
}

func (b *Bot) webhookHandler(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get(secretHeader)
	// Without a secret set, nothing could tell Telegram from a forger.
	if b.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.WebhookSecret)) != 1 {
		b.m.forged.Inc()
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if b.closing.Load() {
		http.Error(w, "shutting down; deliver again later", http.StatusServiceUnavailable)
		return
	}
	u, err := decodeUpdate(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	b.wg.Add(1)
	defer b.wg.Done()
	result := make(chan outcome, 1)
	b.hooks.submit(u, func(o outcome) { result <- o })
	if o := <-result; !o.done() {
		// Telegram delivers it again later, to this or another replica.
		w.Header().Set("Retry-After", "1")
		http.Error(w, "not answered ("+o.String()+"); deliver again later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// decodeUpdate reads one update: exactly one JSON object, nothing after it.
func decodeUpdate(r io.Reader) (tele.Update, error) {
	var u tele.Update
	dec := json.NewDecoder(r)
	if err := dec.Decode(&u); err != nil {
		return u, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return u, errors.New("trailing data after the update")
	}
	return u, nil
}
