// Package config reads reportbot's settings from the environment. Every
// setting has a working default except the ones that name a secret; a bad
// value is an error that names the variable and says what it should be.
package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is every setting, read once at start and handed down.
type Config struct {
	// ReportsDir adds the .txt and .md reports in it to the embedded one
	// (REPORTS_DIR).
	ReportsDir string
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
	// CacheTTL is how long an answer stays cached (CACHE_TTL).
	CacheTTL time.Duration
	// LogFormat is "text" or "json" (LOG_FORMAT).
	LogFormat string
	// LogQuestions logs question text at info level (LOG_QUESTIONS).
	LogQuestions bool
}

// Load reads the configuration through getenv (os.Getenv in main; a map in
// tests).
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		ReportsDir:      r.str("REPORTS_DIR", ""),
		RedisURL:        r.str("REDIS_URL", ""),
		RedisAddrs:      r.list("REDIS_ADDRS"),
		RedisMasterName: r.str("REDIS_MASTER_NAME", ""),
		RedisUsername:   r.str("REDIS_USERNAME", ""),
		RedisPassword:   r.str("REDIS_PASSWORD", ""),
		RedisPrefix:     r.str("REDIS_PREFIX", "reportbot:"),
		RedisTimeout:    r.duration("REDIS_TIMEOUT", 100*time.Millisecond),
		CacheTTL:        r.duration("CACHE_TTL", 24*time.Hour),
		LogFormat:       r.str("LOG_FORMAT", "text"),
		LogQuestions:    r.boolean("LOG_QUESTIONS", false),
	}
	if c.RedisURL != "" && len(c.RedisAddrs) > 0 {
		r.fail("REDIS_ADDRS", strings.Join(c.RedisAddrs, ","), "unset when REDIS_URL is set (one or the other)")
	}
	if c.RedisMasterName != "" && len(c.RedisAddrs) == 0 {
		r.fail("REDIS_MASTER_NAME", c.RedisMasterName, "set together with REDIS_ADDRS (the Sentinel addresses)")
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

func (r *reader) str(name, def string) string {
	if v := r.getenv(name); v != "" {
		return v
	}
	return def
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
