package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"reportbot/digest"
	"reportbot/render"
)

const digestUsage = `digest [--date YYYY-MM-DD] [--chat ID] [--group] [--html] [--reports DIR]

Prints the daily digest for a date (default: today in DIGEST_TZ) with no
Telegram: the paragraph of the day, and for a group chat (--group, with
--chat and REDIS_URL) yesterday's questions there. Plain text unless --html.`

func runDigest(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet(env, "digest", digestUsage)
	dateFlag := fs.String("date", "", "local date of the digest, YYYY-MM-DD (default: today in DIGEST_TZ)")
	chatFlag := fs.String("chat", "", "chat ID whose statistics to include")
	group := fs.Bool("group", false, "the chat is a group: include yesterday's questions")
	asHTML := fs.Bool("html", false, "print Telegram HTML instead of plain text")
	reports := fs.String("reports", "", "folder of extra .txt/.md reports (overrides REPORTS_DIR)")
	if helped, err := parseFlags(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("digest: unexpected arguments %q", fs.Args())
	}
	l, err := loadIndex(ctx, env, *reports)
	if err != nil {
		return err
	}
	defer l.Close()
	date := digest.LocalDate(time.Now(), l.cfg.DigestTZ)
	if *dateFlag != "" {
		d, err := time.Parse(time.DateOnly, *dateFlag)
		if err != nil {
			return usagef("digest: --date %q is not a date like 2024-01-15", *dateFlag)
		}
		date = d
	}
	var chatID int64
	if *chatFlag != "" {
		if chatID, err = strconv.ParseInt(*chatFlag, 10, 64); err != nil {
			return usagef("digest: --chat %q is not a chat ID (a whole number, negative for groups)", *chatFlag)
		}
	}
	st, _, err := openStore(l.cfg, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	c := &digest.Composer{Corpus: l.corpus, Stats: st, Log: newLogger(env, l.cfg)}
	html, err := c.Compose(ctx, digest.Chat{ID: chatID, Group: *group}, date)
	if err != nil {
		return err
	}
	if *asHTML {
		fmt.Fprintln(env.stdout, html)
		return nil
	}
	fmt.Fprintln(env.stdout, render.PlainText(html))
	return nil
}
