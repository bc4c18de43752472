package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"reportbot/bot/apitest"
)

func TestSmoke(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "reportbot")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/reportbot").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	token := "123456789:TESTtoken_abcdefghijklmnopqrstuv"
	srv := apitest.New(token)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "TELEGRAM_TOKEN="+token, "TELEGRAM_API_URL="+srv.URL(), "HTTP_ADDR=127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	srv.PushUpdate(srv.PrivateText(42, "2024年GDP增长目标是多少?"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := srv.WaitSent(ctx, 42, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		t.Logf("%+v", m.Text)
	}
	for _, r := range srv.Requests() {
		t.Logf("%s %d %s", r.Method, r.Status, r.Description)
	}
}
