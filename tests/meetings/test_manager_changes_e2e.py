"""Issue 19, line 5: "done / blocked / moved with a note" — the manager can change anyone's action from Slack, where
she sees others' actions (the overdue strip of her App Home, /meeting show, the summary in her DM), each with its
own menu. Who may is checked on the server: a forged press by someone else is refused and changes nothing. The
owner is told, in their own language."""

from __future__ import annotations

import re

from bot.blocks.meeting_lines import ACTION_MENU
from bot.console import payloads
from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.meetings.test_actions_e2e import action_state


def number_of(output: str, label: str) -> str:
    """The number the console gave the first option labelled ``label`` in ``output``."""
    found = re.search(r"\[(\d+): " + re.escape(label) + r"\]", output)
    assert found, f"no {label!r} in:\n{output}"
    return found.group(1)


def press_menu(console: ConsoleSlack, user: str, value: str) -> None:
    """An action's menu option as Slack would send it, whatever the person's screen showed."""
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0OPS", response_url=None,
        action={"type": "overflow", "action_id": ACTION_MENU, "block_id": "b",
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value}},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0OPS"},
    ))
    console.send("!as " + user)


def test_the_manager_moves_an_overdue_action_from_her_app_home(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by 11-24 Call the factory", ["A-1 recorded for @Chen Jie, due Nov 24, 2026."]),
    ])
    # Amy is neither the owner nor a manager: a forged press of the menu is refused, nothing opens or changes.
    views = sum(r.kind == "view_open" for r in console.emulator.records)
    for value in ("done:1", "blocked:1", "moved:1"):
        press_menu(console, "U0MARKET", value)
    assert sum(r.kind == "view_open" for r in console.emulator.records) == views
    refusals = [r for r in console.emulator.records if r.text == "Only the action's owner or a manager can change it."]
    assert len(refusals) == 3 and all(r.kind == "ephemeral" and r.user == "U0MARKET" for r in refusals)
    for value in ("reopen:1", "done:999", "done:1;drop"):
        press_menu(console, "U0MANAGER", value)
    assert action_state(console, 1) == ("open", 1)

    # Li Wei (the manager, reading Chinese) sees it overdue in her App Home, with its menu, and moves it.
    home = converse(console, [
        ("!at 2026-11-25 10:00\n"
         "!as U0MANAGER\n"
         "!home", ["逾期的行动项", "*A-1* · @Chen Jie", "改日期"]),
    ])
    move = number_of(home.split("» !at 2026-11-25")[-1].split("App Home of Li Wei")[-1], "改日期")
    converse(console, [
        (f"!click {move}", ["modal opened for Li Wei: “A-1 改期”"]),
        ('!fill due=2026-11-30 note="工厂放假，下周一再打"\n'
         "!submit", ["A-1 已改到 2026年11月30日。",
                     # Chen, the owner, reads English: told who changed it, to what, and why.
                     "DM with Chen Jie", "@Li Wei updated your action A-1.", "due Nov 30, 2026",
                     "Note: 工厂放假，下周一再打"]),
    ])
    assert action_state(console, 1) == ("open", 2)
    # /meeting show: the manager gets the menu on everyone's open action; Amy gets none on Chen's.
    converse(console, [
        ("/meeting 查看 2026-11-23", ["*A-1*", "完成", "受阻", "改日期"]),
    ])
    shown = converse(console, [("!as U0MARKET\n/meeting show 2026-11-23", ["*A-1*", "Call the factory"])])
    assert "Move date" not in shown.split("/meeting show 2026-11-23")[-1]


def test_the_manager_closes_an_action_from_the_summary_and_its_chinese_owner_is_told(
        console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0FINANCE> by 11-27 Reconcile the November statement", ["A-1 recorded for @Liu Yang"]),
        ("/action <@U0BUYER> by 11-27 Confirm the PO date", ["A-2 recorded for @Chen Jie"]),
        # The summary: in Li Wei's DM each open action has its menu; in Chen's only his own has one.
        ("!at 2026-11-23 11:05", ["每周例会 · 2026年11月23日：会议纪要", "Weekly meeting · Nov 23, 2026: summary"]),
    ])
    dms = {r.channel: r for r in console.emulator.records
           if r.kind == "message" and r.text.endswith(("summary", "会议纪要"))}
    manager = dms[console.emulator.dm_channel_of("U0MANAGER")]
    buyer = dms[console.emulator.dm_channel_of("U0BUYER")]
    channel = dms["C0OPS"]
    values = [b["accessory"]["options"][0]["value"] for b in manager.blocks if "accessory" in b]
    assert values == ["done:1", "done:2"]
    assert [b["accessory"]["options"][0]["value"] for b in buyer.blocks if "accessory" in b] == ["done:2"]
    assert not any("accessory" in b for b in channel.blocks)

    converse(console, [
        ("!as U0MANAGER\n"
         "!in U0MANAGER\n"
         "!click 完成", ["modal opened for Li Wei: “A-1 完成”"]),
        ('!fill note="财务已核对，无差异"\n'
         "!submit", ["A-1 现在已完成。",
                     # Liu Yang reads Chinese: told in Chinese.
                     "DM with Liu Yang", "@Li Wei 更新了你的行动项 A-1。", "备注：财务已核对，无差异"]),
    ])
    assert action_state(console, 1) == ("done", 2)
    assert action_state(console, 2) == ("open", 1)
