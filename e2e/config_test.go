package e2e

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode"

	"reportbot/telegramtest"
)

// TestServeRefusesBadConfig: serve stops at once, non-zero, with a
// message naming the variable to fix, and without calling Telegram when
// the setting is wrong on its face.
func TestServeRefusesBadConfig(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, c := range []struct {
		name  string
		env   []string
		want  string
		calls bool // Telegram is asked (the token has the right shape)
	}{
		{"no token", nil, "TELEGRAM_TOKEN", false},
		{"malformed token", []string{"TELEGRAM_TOKEN=not-a-token"}, "TELEGRAM_TOKEN", false},
		{"token without secret part", []string{"TELEGRAM_TOKEN=123456789:"}, "TELEGRAM_TOKEN", false},
		{"short secret", []string{"TELEGRAM_TOKEN=123456789:abc"}, "TELEGRAM_TOKEN", false},
		{"webhook without secret", []string{"TELEGRAM_TOKEN=" + token, "WEBHOOK_URL=https://example.org/hook"}, "WEBHOOK_SECRET", false},
		{"token refused by Telegram", []string{"TELEGRAM_TOKEN=987654321:ANOTHERtoken_abcdefghijklmnopq"}, "TELEGRAM_TOKEN", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(srv.Requests())
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "serve")
			cmd.Env = append(baseEnv(), "TELEGRAM_API_URL="+srv.URL(), "HTTP_ADDR=127.0.0.1:0")
			cmd.Env = append(cmd.Env, c.env...)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Fatalf("serve: %v, want a non-zero exit\n%s", err, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("message does not name %s:\n%s", c.want, out)
			}
			if n := len(srv.Requests()) - before; !c.calls && n != 0 {
				t.Errorf("%d calls to Telegram before refusing", n)
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestCommandMenu(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	p := startBot(t, srv) // serving /healthz: the menu is registered
	for _, scope := range []string{"all_private_chats", "all_group_chats"} {
		for _, lang := range []string{"", "en"} {
			cmds, ok := srv.Commands(telegramtest.CommandScope{Type: scope}, lang)
			if !ok {
				t.Errorf("no commands for scope %s, language %q", scope, lang)
				continue
			}
			byName := map[string]string{}
			for _, c := range cmds {
				byName[c.Command] = c.Description
			}
			for _, want := range []string{"ask", "help", "topics", "about", "start"} {
				if _, ok := byName[want]; !ok {
					t.Errorf("%s/%q: no /%s in %v", scope, lang, want, cmds)
				}
			}
			if d := byName["ask"]; (lang == "") != hasHan(d) {
				t.Errorf("%s/%q: /ask is described as %q, want Chinese by default and English for en", scope, lang, d)
			}
		}
	}
	for _, r := range calls(srv, "setMyCommands") {
		if !r.OK() {
			t.Errorf("setMyCommands refused: %s", r.Description)
		}
	}
	p.stop()
}
