package handlers

// The digest commands' replies: /subscribe, /unsubscribe, /settings. The
// digest itself, its schedule and its sending are package digest's.

import (
	"context"
	"fmt"
	"time"

	"reportbot/digest"
	"reportbot/render"
	"reportbot/store"
)

// Subscribe subscribes a chat; the reply says when the first digest comes.
func (s *Service) Subscribe(ctx context.Context, chat Chat, sub store.Subscription, args string, defaultTZ *time.Location) Reply {
	hhmm, loc, err := digest.ParseSchedule(args, defaultTZ)
	if err != nil {
		return reply(render.Escape(s.Say(chat,
			"时间或时区不对。例如：/subscribe 08:30、/subscribe 早上8点半 或 /subscribe 08:30 Asia/Shanghai",
			"That time or time zone is not valid. For example: /subscribe 08:30, /subscribe 8:30am or /subscribe 08:30 Asia/Shanghai")))
	}
	sub.Time, sub.TZ, sub.Created = hhmm, loc.String(), s.now()
	if old, ok, err := s.Store.Subscription(ctx, chat.ID); err == nil && ok {
		sub.Figures = old.Figures // a new time keeps the chat's settings
	}
	next := digest.NextDue(hhmm, loc, s.now())
	if err := s.Store.Subscribe(ctx, sub, next); err != nil {
		return reply(render.Escape(s.Say(chat,
			"现在无法保存订阅，请稍后再试。",
			"The subscription could not be saved right now; please try again later.")))
	}
	return reply(render.Escape(s.Say(chat,
		fmt.Sprintf("已订阅：每天 %s（%s）发送每日一读。第一次：%s。/unsubscribe 退订。", hhmm, loc, next.In(loc).Format("2006-01-02 15:04")),
		fmt.Sprintf("Subscribed: a digest every day at %s (%s). First: %s. /unsubscribe to stop.", hhmm, loc, next.In(loc).Format("2006-01-02 15:04")))))
}

// Unsubscribe ends a chat's subscription.
func (s *Service) Unsubscribe(ctx context.Context, chat Chat) Reply {
	ok, err := s.Store.Unsubscribe(ctx, chat.ID)
	switch {
	case err != nil:
		return reply(render.Escape(s.Say(chat, "现在无法退订，请稍后再试。", "Could not unsubscribe right now; please try again later.")))
	case !ok:
		return reply(render.Escape(s.Say(chat, "本聊天没有订阅每日一读。/subscribe 订阅。", "This chat is not subscribed. /subscribe to subscribe.")))
	}
	return reply(render.Escape(s.Say(chat, "已退订每日一读。", "Unsubscribed from the daily digest.")))
}

// Settings shows a chat's subscription.
func (s *Service) Settings(ctx context.Context, chat Chat) Reply {
	sub, ok, err := s.Store.Subscription(ctx, chat.ID)
	switch {
	case err != nil:
		return reply(render.Escape(s.Say(chat, "现在无法读取订阅，请稍后再试。", "Could not read the subscription right now; please try again later.")))
	case !ok:
		return reply(render.Escape(s.Say(chat, "本聊天没有订阅每日一读。/subscribe 08:30 订阅。", "This chat is not subscribed. /subscribe 08:30 to subscribe.")))
	}
	return reply(render.Escape(s.Say(chat,
		fmt.Sprintf("每日一读：每天 %s（%s）。订阅于 %s。/unsubscribe 退订。", sub.Time, sub.TZ, sub.Created.Format("2006-01-02")),
		fmt.Sprintf("Daily digest: every day at %s (%s), since %s. /unsubscribe to stop.", sub.Time, sub.TZ, sub.Created.Format("2006-01-02"))) +
		"\n" + figuresSetting(s, chat, sub.Figures)))
}

// AdminsOnly tells a group member that only administrators manage the
// group's digest.
func (s *Service) AdminsOnly(chat Chat) Reply {
	return reply(render.Escape(s.Say(chat,
		"只有本群管理员可以订阅或退订每日一读。",
		"Only this group's administrators can subscribe or unsubscribe it.")))
}
