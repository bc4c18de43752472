// Package config reads reportbot's settings from the environment. Every
// setting has a working default except the ones that name a secret; a bad
// value is an error that names the variable and says what it should be,
// quoting the value unless it is or may hold a secret (the token, the
// webhook secret, a Redis URL or password).
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work in a distroless image with no zoneinfo
)

// Config is every setting, read once at start and handed down.
type Config struct {
	// ReportsDir adds the .txt and .md reports in it to the embedded one
	// (REPORTS_DIR).
	ReportsDir string
	// ReportsCheck is how often serve looks for reports added, changed or
	// removed in ReportsDir (REPORTS_CHECK); 0 looks only on SIGHUP.
	ReportsCheck time.Duration
	// IndexDir keeps the search index of each corpus version, built once
	// and then opened (INDEX_DIR); by default the user's cache folder
	// (os.UserCacheDir()/reportbot/index), else the temporary folder.
	IndexDir string
	// RedisURL selects Redis for the cache and all state (REDIS_URL); empty
	// means an in-memory store.
	RedisURL string
	// RedisAddrs lists Sentinel (with RedisMasterName) or Cluster node
	// addresses (REDIS_ADDRS, comma-separated), instead of RedisURL.
	RedisAddrs      []string
	RedisMasterName string
	// RedisUsername and RedisPassword go with RedisAddrs (REDIS_USERNAME,
	// REDIS_PASSWORD); a URL carries its own.
	RedisUsername, RedisPassword string
	// RedisPrefix starts every Redis key (REDIS_PREFIX).
	RedisPrefix string
	// RedisTimeout bounds each Redis call (REDIS_TIMEOUT).
	RedisTimeout time.Duration
	// RedisDialTimeout bounds opening a Redis connection
	// (REDIS_DIAL_TIMEOUT).
	RedisDialTimeout time.Duration
	// CacheTTL is how long an answer stays cached (CACHE_TTL).
	CacheTTL time.Duration
	// LogFormat is "text" or "json" (LOG_FORMAT).
	LogFormat string
	// LogQuestions logs question text at info level (LOG_QUESTIONS).
	LogQuestions bool

	// TelegramToken is the bot's token from BotFather (TELEGRAM_TOKEN);
	// required by serve, checked by Telegram.
	TelegramToken string
	// TelegramAPIURL is the Bot API server (TELEGRAM_API_URL): Telegram's,
	// a local telegram-bot-api, or a test server.
	TelegramAPIURL string
	// WebhookURL switches from long polling to a webhook (WEBHOOK_URL);
	// WebhookSecret must then be set (WEBHOOK_SECRET), and the webhook
	// listens on WebhookListen (WEBHOOK_LISTEN).
	WebhookURL, WebhookSecret, WebhookListen string
	// HTTPAddr serves /healthz, /readyz and /metrics (HTTP_ADDR).
	HTTPAddr string
	// RateLimit is how many questions a user may ask a minute (RATE_LIMIT).
	RateLimit int
	// ShutdownTimeout bounds finishing the updates in flight on SIGTERM
	// (SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// DigestTZ is the default time zone of digests and of statistics days
	// (DIGEST_TZ).
	DigestTZ *time.Location
	// DigestInterval is how often the scheduler looks for due digests
	// (DIGEST_INTERVAL).
	DigestInterval time.Duration
	// SendRetryWindow is how long a message Telegram refuses for now (429,
	// 5xx, unreachable) is retried (SEND_RETRY_WINDOW).
	SendRetryWindow time.Duration
	// SendRate is how many messages a second the bot sends in all,
	// across replicas (SEND_RATE).
	SendRate float64
}

// tokenRe is the shape of a Bot API token: the bot's numeric ID, a colon,
// and a secret of letters, digits, - and _.
var tokenRe = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$`)

// webhookSecretRe is what Telegram accepts as secret_token.
var webhookSecretRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// CheckServe checks what serve needs beyond Load: a token of the right
// shape, and a secret with a webhook.
func (c Config) CheckServe() error {
	switch {
	case c.TelegramToken == "":
		return fmt.Errorf("TELEGRAM_TOKEN is not set: get a token from @BotFather and set TELEGRAM_TOKEN=123456:ABC…")
	case !tokenRe.MatchString(c.TelegramToken):
		return fmt.Errorf("TELEGRAM_TOKEN is malformed: want <bot id>:<secret> as @BotFather gives it, such as 123456789:AAH…")
	case c.WebhookURL != "" && c.WebhookSecret == "":
		return fmt.Errorf("WEBHOOK_SECRET is not set: a webhook needs a secret (1-256 of A-Z a-z 0-9 _ -) so forged requests can be refused")
	case c.WebhookSecret != "" && !webhookSecretRe.MatchString(c.WebhookSecret):
		return fmt.Errorf("WEBHOOK_SECRET is malformed: want 1-256 characters of A-Z a-z 0-9 _ -")
	case c.WebhookURL != "" && !strings.HasPrefix(c.WebhookURL, "https://") && !strings.HasPrefix(c.WebhookURL, "http://127.0.0.1") && !strings.HasPrefix(c.WebhookURL, "http://localhost"):
		return fmt.Errorf("WEBHOOK_URL=%q is not valid: Telegram calls webhooks over https", c.WebhookURL)
	}
	return nil
}

// Load reads the configuration through getenv (os.Getenv in main; a map in
// tests).
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		ReportsDir:       r.str("REPORTS_DIR", ""),
		ReportsCheck:     r.interval("REPORTS_CHECK", time.Minute),
		IndexDir:         r.folder("INDEX_DIR", defaultIndexDir(getenv)),
		RedisURL:         r.str("REDIS_URL", ""),
		RedisAddrs:       r.list("REDIS_ADDRS"),
		RedisMasterName:  r.str("REDIS_MASTER_NAME", ""),
		RedisUsername:    r.str("REDIS_USERNAME", ""),
		RedisPassword:    r.str("REDIS_PASSWORD", ""),
		RedisPrefix:      r.str("REDIS_PREFIX", "reportbot:"),
		RedisTimeout:     r.duration("REDIS_TIMEOUT", 100*time.Millisecond),
		RedisDialTimeout: r.duration("REDIS_DIAL_TIMEOUT", time.Second),
		CacheTTL:         r.duration("CACHE_TTL", 24*time.Hour),
		LogFormat:        r.str("LOG_FORMAT", "text"),
		LogQuestions:     r.boolean("LOG_QUESTIONS", false),

		TelegramToken:   r.str("TELEGRAM_TOKEN", ""),
		TelegramAPIURL:  strings.TrimRight(r.str("TELEGRAM_API_URL", "https://api.telegram.org"), "/"),
		WebhookURL:      r.str("WEBHOOK_URL", ""),
		WebhookSecret:   r.str("WEBHOOK_SECRET", ""),
		WebhookListen:   r.str("WEBHOOK_LISTEN", ":8443"),
		HTTPAddr:        r.str("HTTP_ADDR", ":8080"),
		RateLimit:       r.integer("RATE_LIMIT", 20),
		ShutdownTimeout: r.duration("SHUTDOWN_TIMEOUT", 10*time.Second),
		DigestTZ:        r.zone("DIGEST_TZ", "Asia/Shanghai"),
		DigestInterval:  r.duration("DIGEST_INTERVAL", 30*time.Second),
		SendRetryWindow: r.duration("SEND_RETRY_WINDOW", 10*time.Minute),
		SendRate:        r.number("SEND_RATE", 30),
	}
	if c.RedisURL != "" && len(c.RedisAddrs) > 0 {
		r.fail("REDIS_ADDRS", strings.Join(c.RedisAddrs, ","), "unset when REDIS_URL is set (one or the other)")
	}
	if c.RedisMasterName != "" && len(c.RedisAddrs) == 0 {
		r.fail("REDIS_MASTER_NAME", c.RedisMasterName, "set together with REDIS_ADDRS (the Sentinel addresses)")
	}
	if c.RedisURL != "" && !validRedisURL(c.RedisURL) {
		// Never quoted: the URL may carry a password.
		r.failf("REDIS_URL is not valid: want redis://[user:password@]host:port[/db], rediss://… or unix://…, with special characters in the password percent-encoded (the value is not shown: it may hold a password)")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		r.fail("LOG_FORMAT", c.LogFormat, `"text" or "json"`)
	}
	return c, r.err
}

type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) fail(name, value, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s=%q is not valid: want %s", name, value, want)
	}
}

func (r *reader) failf(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// validRedisURL reports whether s parses as a Redis URL. The parser's own
// errors are not kept: they quote the URL.
func validRedisURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "redis", "rediss":
		return u.Host != ""
	case "unix":
		return u.Path != ""
	}
	return false
}

func (r *reader) str(name, def string) string {
	if v := r.getenv(name); v != "" {
		return v
	}
	return def
}

func (r *reader) integer(name string, def int) int {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		r.fail(name, v, "a positive whole number")
		return def
	}
	return n
}

func (r *reader) number(name string, def float64) float64 {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || !(n > 0) || n > 1e6 {
		r.fail(name, v, "a positive number such as 30 or 0.5")
		return def
	}
	return n
}

func (r *reader) zone(name, def string) *time.Location {
	v := r.str(name, def)
	loc, err := time.LoadLocation(v)
	if err != nil {
		r.fail(name, v, "an IANA time zone such as Asia/Shanghai")
		loc, _ = time.LoadLocation(def)
		if loc == nil {
			loc = time.UTC
		}
	}
	return loc
}

func (r *reader) list(name string) []string {
	var out []string
	for _, v := range strings.Split(r.getenv(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, v, "a positive duration such as 100ms, 30s or 24h")
		return def
	}
	return d
}

// interval is a duration that may be 0 (never).
func (r *reader) interval(name string, def time.Duration) time.Duration {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		r.fail(name, v, "a duration such as 30s or 5m, or 0 for never")
		return def
	}
	return d
}

// folder is a path that, where it exists, is a folder.
func (r *reader) folder(name, def string) string {
	v := r.str(name, def)
	if strings.ContainsRune(v, 0) {
		r.fail(name, v, "a folder path")
		return def
	}
	if info, err := os.Stat(v); err == nil && !info.IsDir() {
		r.fail(name, v, "a folder (it is a file)")
	}
	return v
}

// defaultIndexDir is os.UserCacheDir()/reportbot/index, with the user's
// folders read through getenv as os.UserCacheDir reads them from the
// environment; where there is none, a folder in the temporary folder.
func defaultIndexDir(getenv func(string) string) string {
	var cache string
	switch runtime.GOOS {
	case "windows":
		cache = getenv("LocalAppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			cache = filepath.Join(h, "Library", "Caches")
		}
	case "plan9":
		if h := getenv("home"); h != "" {
			cache = filepath.Join(h, "lib", "cache")
		}
	default:
		cache = getenv("XDG_CACHE_HOME")
		if !filepath.IsAbs(cache) {
			cache = ""
			if h := getenv("HOME"); h != "" {
				cache = filepath.Join(h, ".cache")
			}
		}
	}
	if cache == "" {
		return filepath.Join(os.TempDir(), "reportbot-index")
	}
	return filepath.Join(cache, "reportbot", "index")
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, v, "true or false")
		return def
	}
	return b
}
