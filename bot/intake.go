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
	"sync"
	"time"

	tele "gopkg.in/telebot.v3"
)

// pollTimeout is how long one getUpdates waits for an update.
const pollTimeout = 25

// poll takes updates by long polling. The offset moves past a batch only
// once every update in it has been handled, so an update is never lost: a
// crash re-delivers what was not finished (and the store's de-duplication
// drops what was). On ctx's end it takes no more, and confirms the
// handled batch with one last, immediate getUpdates.
func (b *Bot) poll(ctx context.Context) error {
	if err := b.api.deleteWebhook(ctx, false); err != nil {
		return fmt.Errorf("switching to long polling: %w", err)
	}
	b.log.Info("taking updates by long polling", "bot", b.me.Username)
	offset := 0
	backoff := time.Second
	for ctx.Err() == nil {
		updates, err := b.api.getUpdates(ctx, getUpdatesParams{
			Offset: offset, Timeout: pollTimeout, Limit: 100, AllowedUpdates: allowedUpdates,
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
		if len(updates) == 0 {
			continue
		}
		offset = updates[len(updates)-1].ID + 1
		if unfinished := b.handleBatch(updates); unfinished >= 0 {
			// Shutdown cut the batch short: confirm only what came before
			// the first unfinished update; the rest is delivered again (and
			// what of it was handled, de-duplicated).
			offset = unfinished
			break
		}
	}
	if offset > 0 {
		// Confirm the last batch; what this call returns stays unconfirmed
		// and is delivered again to the next process.
		confirm, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := b.api.getUpdates(confirm, getUpdatesParams{Offset: offset, Timeout: 0, Limit: 1}); err != nil {
			b.log.Warn("could not confirm the last updates; they will be de-duplicated when delivered again", "err", err)
		}
	}
	return nil
}

// handleBatch handles a batch: chats in parallel, each chat's updates in
// order, and returns when all are done, with the lowest update ID whose
// handling shutdown cut short (-1 when none was).
func (b *Bot) handleBatch(updates []tele.Update) int {
	byChat := map[int64][]tele.Update{}
	var order []int64
	for _, u := range updates {
		k := chatKey(u)
		if _, ok := byChat[k]; !ok {
			order = append(order, k)
		}
		byChat[k] = append(byChat[k], u)
	}
	var (
		wg         sync.WaitGroup
		mu         sync.Mutex
		unfinished = -1
	)
	sem := make(chan struct{}, 100) // a batch is at most 100 updates: all at once
	for _, k := range order {
		wg.Add(1)
		b.wg.Add(1)
		sem <- struct{}{}
		go func(us []tele.Update) {
			defer func() { <-sem; wg.Done(); b.wg.Done() }()
			for _, u := range us {
				if !b.handle(u) {
					mu.Lock()
					if unfinished < 0 || u.ID < unfinished {
						unfinished = u.ID
					}
					mu.Unlock()
					return // the chat's later updates wait for redelivery too
				}
			}
		}(byChat[k])
	}
	wg.Wait()
	return unfinished
}

// chatKey groups updates that must be handled in order: a chat's, or an
// inline user's.
func chatKey(u tele.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.Callback != nil && u.Callback.Message != nil:
		return u.Callback.Message.Chat.ID
	case u.Callback != nil && u.Callback.Sender != nil:
		return u.Callback.Sender.ID
	case u.Query != nil && u.Query.Sender != nil:
		return u.Query.Sender.ID
	}
	return 0
}

// secretHeader carries WEBHOOK_SECRET on every request Telegram makes.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// serveWebhook sets the webhook and serves it until ctx ends. A request
// without the secret gets 401 and is not handled. An update is answered
// 200 once handled; while shutting down, 503, so Telegram delivers it
// again later (to this or another replica).
func (b *Bot) serveWebhook(ctx context.Context) error {
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
	shut, cancel := context.WithTimeout(context.Background(), b.cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shut) // waits for handlers in flight
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
	var u tele.Update
	if err := json.NewDecoder(io.LimitReader(r.Body, 8<<20)).Decode(&u); err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	b.wg.Add(1)
	defer b.wg.Done()
	if !b.handle(u) {
		http.Error(w, "shutting down; deliver again later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
