package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisPrefix != "reportbot:" || c.RedisTimeout != 100*time.Millisecond || c.CacheTTL != 24*time.Hour || c.LogFormat != "text" || c.RedisURL != "" {
		t.Errorf("defaults: %+v", c)
	}
	if c.SendRetryWindow != 10*time.Minute || c.SendRate != 30 || c.RedisDialTimeout != time.Second {
		t.Errorf("sending defaults: window %v, rate %v, dial %v", c.SendRetryWindow, c.SendRate, c.RedisDialTimeout)
	}
}

func TestValues(t *testing.T) {
	c, err := Load(env(map[string]string{"REDIS_ADDRS": "a:1, b:2,", "REDIS_MASTER_NAME": "m", "CACHE_TTL": "1h", "LOG_QUESTIONS": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.RedisAddrs) != 2 || c.RedisAddrs[1] != "b:2" || c.RedisMasterName != "m" || c.CacheTTL != time.Hour || !c.LogQuestions {
		t.Errorf("%+v", c)
	}
}

// A bad value is an error naming the variable and what it should be.
func TestBadValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"CACHE_TTL": "soon"}, "CACHE_TTL"},
		{map[string]string{"REDIS_TIMEOUT": "-1s"}, "REDIS_TIMEOUT"},
		{map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{map[string]string{"LOG_QUESTIONS": "maybe"}, "LOG_QUESTIONS"},
		{map[string]string{"REDIS_URL": "redis://x", "REDIS_ADDRS": "a:1"}, "REDIS_ADDRS"},
		{map[string]string{"REDIS_MASTER_NAME": "m"}, "REDIS_MASTER_NAME"},
		{map[string]string{"SEND_RETRY_WINDOW": "forever"}, "SEND_RETRY_WINDOW"},
		{map[string]string{"SEND_RETRY_WINDOW": "0s"}, "SEND_RETRY_WINDOW"},
		{map[string]string{"SEND_RATE": "fast"}, "SEND_RATE"},
		{map[string]string{"SEND_RATE": "0"}, "SEND_RATE"},
		{map[string]string{"SEND_RATE": "NaN"}, "SEND_RATE"},
		{map[string]string{"REDIS_DIAL_TIMEOUT": "1"}, "REDIS_DIAL_TIMEOUT"},
	} {
		_, err := Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: err %v, want one naming %s", tc.env, err, tc.name)
		}
	}
}

// An error about a setting that holds a secret names the setting, never
// the secret.
func TestBadSecretsAreNotQuoted(t *testing.T) {
	for _, tc := range []struct {
		env    map[string]string
		name   string
		secret string
	}{
		{map[string]string{"REDIS_URL": "redis://:pa%zzssw0rd@127.0.0.1:6379/0"}, "REDIS_URL", "pa%zzssw0rd"},
		{map[string]string{"REDIS_URL": "user:Sekr1tPw@127.0.0.1:6379"}, "REDIS_URL", "Sekr1tPw"},
		{map[string]string{"REDIS_URL": "redis//:Sekr1tPw@127.0.0.1:6379"}, "REDIS_URL", "Sekr1tPw"},
	} {
		_, err := Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: err %v, want one naming %s", tc.env, err, tc.name)
			continue
		}
		if strings.Contains(err.Error(), tc.secret) {
			t.Errorf("%v: the error shows the secret: %v", tc.env, err)
		}
	}
	for _, tc := range []struct {
		env    map[string]string
		name   string
		secret string
	}{
		{map[string]string{"TELEGRAM_TOKEN": "123456789:short"}, "TELEGRAM_TOKEN", "short"},
		{map[string]string{"TELEGRAM_TOKEN": "123456789:AAbbCCddEEffGGhhIIjjKK", "WEBHOOK_URL": "https://example.org/hook", "WEBHOOK_SECRET": "bad secret!"}, "WEBHOOK_SECRET", "bad secret!"},
	} {
		c, err := Load(env(tc.env))
		if err == nil {
			err = c.CheckServe()
		}
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: err %v, want one naming %s", tc.env, err, tc.name)
			continue
		}
		if strings.Contains(err.Error(), tc.secret) {
			t.Errorf("%v: the error shows the secret: %v", tc.env, err)
		}
	}
}

func TestRedisURLs(t *testing.T) {
	for _, u := range []string{"redis://127.0.0.1:6379/0", "rediss://:p%40ss@redis.example.org:6380", "unix:///run/redis.sock"} {
		if _, err := Load(env(map[string]string{"REDIS_URL": u})); err != nil {
			t.Errorf("REDIS_URL=%s: %v", u, err)
		}
	}
}

// INDEX_DIR defaults to the user's cache folder (then the temporary
// folder); REPORTS_CHECK to a minute, 0 meaning SIGHUP only.
func TestIndexDirAndReportsCheck(t *testing.T) {
	c, err := Load(env(map[string]string{"HOME": "/home/u"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.IndexDir != filepath.Join("/home/u", ".cache", "reportbot", "index") || c.ReportsCheck != time.Minute {
		t.Errorf("defaults: INDEX_DIR %q, REPORTS_CHECK %s", c.IndexDir, c.ReportsCheck)
	}
	c, err = Load(env(map[string]string{"HOME": "/home/u", "XDG_CACHE_HOME": "/var/cache/u"}))
	if err != nil || c.IndexDir != "/var/cache/u/reportbot/index" {
		t.Errorf("with XDG_CACHE_HOME: %q %v", c.IndexDir, err)
	}
	c, err = Load(env(nil))
	if err != nil || c.IndexDir != filepath.Join(os.TempDir(), "reportbot-index") {
		t.Errorf("with no HOME: %q %v", c.IndexDir, err)
	}
	c, err = Load(env(map[string]string{"INDEX_DIR": "/index", "REPORTS_CHECK": "0"}))
	if err != nil || c.IndexDir != "/index" || c.ReportsCheck != 0 {
		t.Errorf("set: %q %s %v", c.IndexDir, c.ReportsCheck, err)
	}

	file := filepath.Join(t.TempDir(), "index")
	os.WriteFile(file, nil, 0o644)
	for _, e := range []map[string]string{
		{"INDEX_DIR": file},
		{"REPORTS_CHECK": "hourly"},
		{"REPORTS_CHECK": "-1m"},
	} {
		_, err := Load(env(e))
		for name := range e {
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%v: err %v, want one naming %s", e, err, name)
			}
		}
	}
}
