package main

import (
	"reportbot/config"
	"reportbot/store"
)

// openStore returns the Redis store when Redis is configured, and the
// in-memory twin otherwise; redis says which.
func openStore(cfg config.Config) (st store.Store, redis bool, err error) {
	if cfg.RedisURL == "" && len(cfg.RedisAddrs) == 0 {
		return store.NewMemory(store.MemoryOptions{}), false, nil
	}
	r, err := store.NewRedis(store.RedisOptions{
		URL: cfg.RedisURL, Addrs: cfg.RedisAddrs, MasterName: cfg.RedisMasterName,
		Username: cfg.RedisUsername, Password: cfg.RedisPassword,
		Prefix: cfg.RedisPrefix, Timeout: cfg.RedisTimeout,
	})
	if err != nil {
		return nil, false, err
	}
	return r, true, nil
}
