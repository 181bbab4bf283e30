"""Issue 19, a tester's findings: the monthly review never calls a target without data "met"; a section's name
reaches each reader in their own language; /agenda add without text says /agenda add's own usage."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_the_monthly_review_does_not_call_targets_without_data_met(console: ConsoleSlack) -> None:
    # No report was loaded: every target of November has no data, so none of them was met.
    shown = converse(console, [
        ("!at 2026-11-30 11:05\n"
         "!as U0CS\n"
         "/agenda show", ["Monthly review · Dec 1, 2026", "no data yet", "No data yet to judge"]),
    ])
    assert "No gaps" not in shown.split("/agenda show")[-1]


def test_the_monthly_review_without_data_in_chinese(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!at 2026-11-30 11:05\n"
         "!as U0MANAGER\n"
         "/agenda show", ["每月归纳会", "尚无数据，无法判断"]),
    ])
    assert "没有差距" not in shown.split("/agenda show")[-1]


def test_a_decision_on_a_section_names_it_in_the_readers_language(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!at 2026-11-29 10:00\n"
         "!as U0CS\n"
         "/agenda add item-D", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("!at 2026-11-30 10:05\n"
         "!as U0BUYER\n"
         "/decision #items Keep the refund window at 30 days",
         ["Decision recorded in the Weekly meeting of Nov 30, 2026.", "on Items added"]),
        ("!at 2026-11-30 11:05", ["Keep the refund window at 30 days", "关于「新增议题」"]),
    ])
    li_wei = shown.split("DM with Li Wei")[-1].split("\n── ")[0]
    assert "关于「新增议题」" in li_wei and "Items added" not in li_wei


def test_agenda_add_without_text_says_its_own_usage(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0CS\n"
         "/agenda add <@U0BUYER>", ["/agenda add [@owner] text"]),
        ("!as U0MANAGER\n"
         "/agenda 添加", ["请写明要加入议程的内容：/agenda 添加 [@负责人] 内容"]),
    ])
    assert "/decision" not in shown
