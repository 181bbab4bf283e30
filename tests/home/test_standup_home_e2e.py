"""Issue 18, item 5 — the stand-up in each person's App Home: today's stand-up (to do with its button, answered,
skipped, away, not a stand-up day), my open blockers with their age, the blockers I can help with (my role is
named, or I am the manager) and the manager's team line; every one kept current when it changes, without the
person opening the tab."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleSlack
from tests.conftest import Speakers, converse
from tests.home.helpers import mark, published

BLOCKER = "Waiting on marketing for the A+ copy of LED-100"


def test_a_member_answers_from_home_and_the_people_it_concerns_see_it_without_opening_the_tab(
    console: ConsoleSlack,
) -> None:
    converse(console, [
        ("!as U0BUYER\n!home", ["── App Home of Chen Jie", "*Stand-up*",
                                "⏳ To do: your stand-up for Monday, November 23, 2026.", "[1: Fill in my stand-up]"]),
        ("!click 1", ["modal opened for Chen Jie: “Daily stand-up”"]),
    ])
    before = mark(console)
    converse(console, [
        (f'!fill today="Call the supplier" yesterday="PO 4711 sent" blockers="{BLOCKER}"\n!submit',
         ["Thanks — your stand-up for Monday, November 23, 2026 is in", "── App Home of Chen Jie"]),
    ])
    homes = published(console, before)
    # Chen's own Home, the manager's strip and marketing's "you can help" were all published again.
    assert set(homes) == {"U0BUYER", "U0MANAGER", "U0MARKET"}
    assert "✅ Answered for Monday, November 23, 2026 at 9:00\u202fAM" in homes["U0BUYER"]
    assert f"🚧 {BLOCKER} · raised today" in homes["U0BUYER"] and "Resolved]" in homes["U0BUYER"]
    assert "Blockers you can help with (your role is named):" in homes["U0MARKET"]
    assert f"🚧 {BLOCKER} — Chen Jie · raised today" in homes["U0MARKET"]
    assert "Resolved" not in homes["U0MARKET"]  # only its owner or a manager may resolve it
    # Amy is in Los Angeles: it is still Sunday there, said plainly.
    assert "Today (Sunday, November 22, 2026) is not a stand-up day for you." in homes["U0MARKET"]
    # Klaus (warehouse) is not named: his Home is left alone, and shows no blocker when he opens it.
    converse(console, [("!as U0WAREHOUSE\n!home", ["── App Home of Klaus Becker", "[1: Fill in my stand-up]"])])
    assert BLOCKER not in console.send("!home")


def test_the_manager_sees_who_answered_and_resolves_a_blocker_from_home(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n/standup", ["“Daily stand-up”"]),
        (f'!fill today="Call the supplier" yesterday="PO sent" blockers="{BLOCKER}"\n!submit', ["is in"]),
        ("!as U0CS\n/standup skip dentist", ["Skipped your stand-up for Monday, November 23, 2026."]),
        ("!home", ["⏭ Skipped for Monday, November 23, 2026.", "Answer after all"]),
        ("!as U0WAREHOUSE\n/standup ooo 2026-11-23..2026-11-27 trade fair", ["Away from"]),
        ("!home", ["🌴 You are away until Nov 27, 2026: no stand-up for you today."]),
        # Li Wei, the manager, reads Chinese (his Slack language).
        ("!as U0MANAGER\n!home", ["── App Home of Li Wei", "*今日团队*", "✅ 已提交：Chen Jie",
                                  "⏳ 未提交：Li Wei、Zhang Min、Liu Yang和Sara Kim",  # Klaus away, Amy's Sunday
                                  f"🚧 {BLOCKER} — Chen Jie · 今天提出", "[2: 已解决]"]),
        ("!click 2", ["“解决阻碍”"]),
    ])
    before = mark(console)
    converse(console, [('!fill reason="Amy sent the copy by email"\n!submit', ["── App Home of Chen Jie"])])
    homes = published(console, before)
    assert {"U0BUYER", "U0MANAGER", "U0MARKET"} <= set(homes)
    assert all(BLOCKER not in shown for shown in homes.values())
    assert "🚧 未解决阻碍：0" in homes["U0MANAGER"]


def test_a_member_resolves_their_own_blocker_from_home(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n/standup", ["“Daily stand-up”"]),
        (f'!fill today="Call the supplier" yesterday="PO sent" blockers="{BLOCKER}"\n!submit', ["is in"]),
        ("!home", [f"🚧 {BLOCKER} · raised today", "[2: Resolved]"]),
    ])
    before = mark(console)
    converse(console, [("!click 2", ["── App Home of Chen Jie"])])
    homes = published(console, before)
    assert BLOCKER not in homes["U0BUYER"] and BLOCKER not in homes["U0MANAGER"]
    # A day later the blocker's age is in workdays, in the reader's calendar.


def test_times_are_the_readers_and_a_skip_updates_the_managers_strip(console: ConsoleSlack) -> None:
    converse(console, [("!as U0WAREHOUSE\n/standup", ["“Daily stand-up”"]),
                       ('!fill today="Count the pallets" yesterday="Inbound checked"\n!submit', ["is in"])])
    # 01:00 UTC is 02:00 in Berlin, where Klaus reads his Home.
    assert "✅ Answered for Monday, November 23, 2026 at 2:00\u202fAM" in console.send("!home")
    before = mark(console)
    converse(console, [("!as U0CS\n/standup skip dentist", ["Skipped your stand-up"])])
    homes = published(console, before)
    assert "⏭ Skipped for Monday, November 23, 2026." in homes["U0CS"]
    assert "Wang Fang" not in homes["U0MANAGER"].split("⏳ 未提交：")[1].split("·")[0]


def test_a_blocker_ages_in_workdays(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n/standup", ["“Daily stand-up”"]),
        (f'!fill today="Call the supplier" yesterday="PO sent" blockers="{BLOCKER}"\n!submit', ["is in"]),
        ("!at 2026-11-25 08:00\n!home", [f"🚧 {BLOCKER} · open 2 workdays",
                                         "⏳ To do: your stand-up for Wednesday, November 25, 2026."]),
    ])


CHINESE = {
    "zh-CN": ["Chen Jie，你好", "*晨会*", "⏳ 待办：你 2026年11月23日星期一 的晨会。", "[1: 填写我的晨会]",
              "✅ 已提交 2026年11月23日星期一 的晨会，时间 09:00", "🚧 等市场部的 A+ 文案 · 今天提出",
              "你可以帮忙的阻碍（提到了你的角色）：", "🚧 等市场部的 A+ 文案 — Chen Jie · 今天提出",
              "今天（2026年11月22日星期日）不是你的晨会日。", "*今日团队* · ✅ 已提交：Chen Jie"],
    "zh-TW": ["Chen Jie，你好", "*晨會*", "⏳ 待辦：你 2026年11月23日 星期一 的晨會。", "[1: 填寫我的晨會]",
              "✅ 已提交 2026年11月23日 星期一 的晨會，時間 上午9:00", "🚧 等市場部的 A+ 文案 · 今天提出",
              "你可以幫忙的阻礙（提到了你的角色）：", "🚧 等市場部的 A+ 文案 — Chen Jie · 今天提出",
              "今天（2026年11月22日 星期日）不是你的晨會日。", "*今日團隊* · ✅ 已提交：Chen Jie"],
}


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_the_same_home_in_chinese(speakers: Speakers, language: str) -> None:
    console = speakers(language)
    said = CHINESE[language]
    blocker = "等市場部的 A+ 文案" if language == "zh-TW" else "等市场部的 A+ 文案"
    converse(console, [
        ("!as U0BUYER\n!home", said[0:4]),
        ("!click 1", ["modal opened for Chen Jie"]),
        (f'!fill today="联系供应商" yesterday="已下单" blockers="{blocker}"\n!submit',
         ["── App Home of Chen Jie", *said[4:6]]),
        ("!as U0MARKET\n!home", said[6:9]),
        ("!as U0MANAGER\n!home", said[9:]),
    ])
