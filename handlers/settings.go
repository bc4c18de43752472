package handlers

// /settings 数字 开|关: whether a chat's digest brings a new report's key
// figures on the first day after the report is loaded. The flag is kept
// with the subscription (store.Subscription.Figures).

import (
	"context"
	"slices"
	"strings"
	"time"

	"reportbot/digest"
	"reportbot/render"
	"reportbot/store"
)

// figuresSetting says whether the chat's digest brings new reports' key
// figures, and how to change it.
func figuresSetting(s *Service, chat Chat, on bool) string {
	if on {
		return s.Say(chat, "新报告的主要数字：开（新报告载入后的第一天随每日一读发送）。/settings 数字 关 关闭。",
			"New reports' key figures: on (in the digest on the first day after a report is loaded). /settings figures off to stop.")
	}
	return s.Say(chat, "新报告的主要数字：关。/settings 数字 开 可在新报告载入后的第一天随每日一读收到它的主要数字。",
		"New reports' key figures: off. /settings figures on to get a new report's key figures in the digest on the first day after it is loaded.")
}

// settingWords name the key figures setting; onWords and offWords its
// values.
var (
	settingWords = []string{"数字", "主要数字", "figures", "key figures"}
	onWords      = []string{"开", "开启", "打开", "on", "yes", "1"}
	offWords     = []string{"关", "关闭", "off", "no", "0"}
)

// ChangeSettings answers /settings with arguments: "数字 开" or "数字 关"
// (in English "figures on|off") turns the key figures of new reports in
// the chat's digest on or off. The chat must be subscribed. In a group
// only administrators may change it (the bot checks, as for /subscribe).
func (s *Service) ChangeSettings(ctx context.Context, chat Chat, args string) Reply {
	fields := strings.Fields(strings.ToLower(strings.TrimSpace(args)))
	usage := reply(render.Escape(s.Say(chat,
		"用法：/settings 数字 开 或 /settings 数字 关（新报告载入后的第一天，每日一读附上它的主要数字）。",
		"Usage: /settings figures on, or /settings figures off (a new report's key figures in the digest on the first day after it is loaded).")))
	if len(fields) < 2 || !slices.Contains(settingWords, strings.Join(fields[:len(fields)-1], " ")) {
		return usage
	}
	var on bool
	switch v := fields[len(fields)-1]; {
	case slices.Contains(onWords, v):
		on = true
	case slices.Contains(offWords, v):
	default:
		return usage
	}
	sub, ok, err := s.Store.Subscription(ctx, chat.ID)
	switch {
	case err != nil:
		return reply(render.Escape(s.Say(chat, "现在无法读取订阅，请稍后再试。", "Could not read the subscription right now; please try again later.")))
	case !ok:
		return reply(render.Escape(s.Say(chat, "本聊天没有订阅每日一读，请先 /subscribe 08:30 订阅。", "This chat is not subscribed; /subscribe 08:30 first.")))
	}
	sub.Figures = on
	if err := s.Store.Subscribe(ctx, sub, s.nextDue(sub)); err != nil {
		return reply(render.Escape(s.Say(chat, "现在无法保存设置，请稍后再试。", "The setting could not be saved right now; please try again later.")))
	}
	return reply(render.Escape(figuresSetting(s, chat, on)))
}

// nextDue is when a subscription's next digest is due: rewriting the
// subscription sets it again, as /subscribe does.
func (s *Service) nextDue(sub store.Subscription) time.Time {
	loc, err := time.LoadLocation(sub.TZ)
	if err != nil {
		loc = s.TZ
	}
	if loc == nil {
		loc = time.UTC
	}
	return digest.NextDue(sub.Time, loc, s.now())
}
