package main

import (
	"log/slog"

	"reportbot/config"
	"reportbot/store"
)

// openStore returns the Redis store when Redis is configured, and the
// in-memory twin otherwise; redis says which. A Redis outage is logged to
// log (slog.Default() when nil).
func openStore(cfg config.Config, log *slog.Logger) (st store.Store, redis bool, err error) {
	if cfg.RedisURL == "" && len(cfg.RedisAddrs) == 0 {
		return store.NewMemory(store.MemoryOptions{}), false, nil
	}
	r, err := store.NewRedis(store.RedisOptions{
		URL: cfg.RedisURL, Addrs: cfg.RedisAddrs, MasterName: cfg.RedisMasterName,
		Username: cfg.RedisUsername, Password: cfg.RedisPassword,
		Prefix: cfg.RedisPrefix, Timeout: cfg.RedisTimeout, DialTimeout: cfg.RedisDialTimeout,
		Log: log,
	})
	if err != nil {
		return nil, false, err
	}
	return r, true, nil
}
