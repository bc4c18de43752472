package main

import (
	"log/slog"

	"reportbot/config"
)

// newLogger logs to stderr, as text or JSON (LOG_FORMAT).
func newLogger(env *environment, cfg config.Config) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.stderr, nil))
}
