"""Subcommands as Chinese readers type them, Simplified and Traditional: each feature declares its own with its
SlashCommand (``aliases=``), and ``Registrar.command`` applies them once, before the handler parses the text."""

from __future__ import annotations

from bot.features import Alias

SETUP_WORD = Alias("setup", "设置", "設定")  # /ops setup has a listener of its own (handlers/setup.py)
OPS_WORDS = (Alias("help", "帮助", "幫助"), Alias("team", "团队", "團隊"), SETUP_WORD)
STANDUP_WORDS = (
    Alias("skip", "跳过", "跳過"),
    Alias("ooo list", "请假 列表", "請假 列表"),
    Alias("ooo cancel", "请假 取消", "請假 取消"),
    Alias("ooo", "请假", "請假"),
    Alias("back", "回来", "回來"),
    Alias("status", "进度", "進度"),
    Alias("history", "记录", "紀錄"),
    Alias("export", "导出", "匯出"),
    Alias("reminders on", "提醒 开", "提醒 開"),
    Alias("reminders off", "提醒 关", "提醒 關"),
    Alias("reminders", "提醒", "提醒"),
)
RESTOCK_WORDS = (
    Alias("list", "列表", "列表"),
    Alias("list mine", "列表 我的", "列表 我的"),
    Alias("list open", "列表 未完成", "列表 未完成"),
    Alias("list all", "列表 全部", "列表 全部"),
    Alias("status", "状态", "狀態"),
)
LAUNCH_WORDS = (
    Alias("new", "新建", "新增"),
    Alias("list closed", "列表 已结束", "列表 已結案"),
    Alias("list", "列表", "列表"),
    Alias("status", "状态", "狀態"),
    Alias("move", "改期", "改期"),
)
FEEDBACK_WORDS = (
    Alias("list", "列表", "列表"),
    Alias("list open", "列表 未关闭", "列表 未關閉"),
    Alias("list mine", "列表 我的", "列表 我的"),
    Alias("status", "状态", "狀態"),
)
KPI_WORDS = (
    Alias("yesterday", "昨天", "昨天", anywhere=True),
    Alias("mtd", "本月", "本月", anywhere=True),
)
PROMO_WORDS = (
    Alias("new", "新建", "新增"),
    Alias("list mine", "列表 我的", "列表 我的"),
    Alias("list all", "列表 全部", "列表 全部"),
    Alias("list", "列表", "列表"),
    Alias("status", "状态", "狀態"),
)
GOALS_WORDS = (
    Alias("team", "团队", "團隊"),
    Alias("report", "上报", "回報"),
    Alias("set", "设定", "設定"),
    Alias("remove", "删除", "刪除"),
)
