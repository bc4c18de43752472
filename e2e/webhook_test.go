package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"reportbot/telegramtest"
)

// metricValue reads one sample of the bot's /metrics ("" when absent).
func metricValue(t *testing.T, p *proc, name string) string {
	t.Helper()
	resp, err := http.Get("http://" + p.httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	port := strconv.Itoa(freePort(t))
	hook := "http://127.0.0.1:" + port + "/tg/hook"
	p := startBot(t, srv, "WEBHOOK_URL="+hook, "WEBHOOK_SECRET=s3cret", "WEBHOOK_LISTEN=127.0.0.1:"+port)
	ctx := timeout(t, 30*time.Second)

	set, err := srv.WaitFor(ctx, func(r telegramtest.Request) bool { return strings.EqualFold(r.Method, "setWebhook") })
	if err != nil || !set.OK() {
		t.Fatalf("setWebhook: %v %+v", err, set)
	}
	if set.String("url") != hook || set.String("secret_token") != "s3cret" {
		t.Errorf("setWebhook url %q secret %q", set.String("url"), set.String("secret_token"))
	}
	allowed, _ := set.Object("allowed_updates").([]any)
	if len(allowed) == 0 {
		t.Errorf("setWebhook without allowed_updates")
	}
	if n := len(calls(srv, "getUpdates")); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}

	t.Run("delivered and answered", func(t *testing.T) {
		u := srv.PrivateText(7001, gdpQuestion)
		id := srv.PushUpdate(u)
		r := waitReply(t, ctx, srv, 7001, u.Message.MessageID)
		checkAnswer(t, r)
		// The delivery is recorded once the webhook has answered it.
		var got []telegramtest.Delivery
		for ctx.Err() == nil {
			got = got[:0]
			for _, d := range srv.Deliveries() {
				if d.UpdateID == id {
					got = append(got, d)
				}
			}
			if len(got) > 0 {
				break
			}
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Millisecond):
			}
		}
		if len(got) != 1 || got[0].Status != http.StatusOK || got[0].Secret != "s3cret" {
			t.Errorf("deliveries of update %d: %+v; want one, answered 200", id, got)
		}
	})

	t.Run("forged requests refused", func(t *testing.T) {
		const chat = 7002
		u := srv.PrivateText(chat, gdpQuestion)
		u.UpdateID = 880001
		for _, secret := range []string{"wrong", "", "S3CRET", "s3cret0"} {
			status, err := srv.PostWebhook(u, secret)
			if err != nil || status != http.StatusUnauthorized {
				t.Errorf("secret %q: status %d, %v; want 401", secret, status, err)
			}
		}
		body, _ := json.Marshal(u)
		resp, err := http.Post(hook, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("raw POST without the header: %d, want 401", resp.StatusCode)
		}
		// The webhook answers after handling, so nothing can follow.
		if got := sends(srv, chat); len(got) != 0 {
			t.Errorf("a forged update was handled:%s", describe(got))
		}
		if v := metricValue(t, p, "reportbot_webhook_unauthorized_total"); v != "5" {
			t.Errorf("reportbot_webhook_unauthorized_total = %q, want 5", v)
		}
		// The refused update id is not burnt: the real delivery is answered.
		status, err := srv.PostWebhook(u, "s3cret")
		if err != nil || status != http.StatusOK {
			t.Fatalf("genuine delivery: %d %v", status, err)
		}
		waitReply(t, ctx, srv, chat, u.Message.MessageID)
	})

	t.Run("same update twice answered once", func(t *testing.T) {
		const chat = 7003
		u := srv.PrivateText(chat, gdpQuestion)
		u.UpdateID = 880002
		for i := range 2 {
			status, err := srv.PostWebhook(u, "s3cret")
			if err != nil || status != http.StatusOK {
				t.Errorf("delivery %d: %d %v, want 200", i+1, status, err)
			}
		}
		if got := okSends(srv, chat); len(got) != 1 {
			t.Errorf("want one answer, got:%s", describe(sends(srv, chat)))
		}
	})

	p.stop()
}
