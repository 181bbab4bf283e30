"""The App Home's frame knows no feature: it shows whatever sections the features declare, in order, stays
inside Slack's 100 blocks with a "more" line, keeps the commands last, says "Nothing waiting for you" when no
section has anything, and a section that fails is left out while the others still show."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pytest

from bot.blocks.common import section
from bot.blocks.home import HOME_BLOCKS, home_view
from bot.console.session import ConsoleSlack
from bot.flows.context import Context, HomeReader
from bot.flows.home import home_view_for
from bot.i18n import translator


def texts(view: dict[str, Any]) -> list[str]:
    found = []
    for block in view["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            found.append(element.get("text", ""))
    return found


def with_sections(console: ConsoleSlack, *sections: Any) -> Context:
    return replace(console.services.context, home_sections=sections)


def test_many_sections_stay_inside_the_home_limit_with_a_more_line_and_the_commands_last(console: ConsoleSlack) -> None:
    def busy(n: int) -> Any:
        return lambda _ctx, _reader: [section(f"section {n} line {i}") for i in range(30)]

    view = home_view_for(with_sections(console, busy(1), busy(2), busy(3), busy(4)), "U0BUYER")
    assert len(view["blocks"]) == HOME_BLOCKS
    shown = texts(view)
    assert "section 1 line 0" in shown and "section 3 line 0" in shown and "section 4 line 29" not in shown
    assert any("There is more than your Home can show" in t for t in shown)
    assert "Commands" in shown[-1] and "`/standup`" in shown[-1]
    assert shown.index(next(t for t in shown if "There is more" in t)) == len(shown) - 2


def test_one_failing_section_is_logged_and_skipped_and_the_others_show(
    console: ConsoleSlack, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_ctx: Context, _reader: HomeReader) -> list[dict[str, Any]]:
        raise RuntimeError("the restock table is locked")

    def fine(_ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
        return [section(f"hello {reader.user}")]

    with caplog.at_level(logging.ERROR):
        view = home_view_for(with_sections(console, fine, broken, fine), "U0BUYER")
    assert texts(view).count("hello U0BUYER") == 2
    assert "home section" in caplog.text and "the restock table is locked" in caplog.text


def test_nobody_has_anything_waiting_is_said_plainly(console: ConsoleSlack) -> None:
    view = home_view_for(with_sections(console, lambda _c, _r: []), "U0WAREHOUSE")
    assert "Nothing waiting for you. 🎉" in texts(view)
    chinese = home_view(translator("zh_CN"), name="Li", team_name="Ops", roles=[], timezone="Asia/Shanghai",
                        sections=[[], []], commands=("/ops",))
    assert "暂时没有等你处理的事。🎉" in texts(chinese)


def test_the_sections_come_in_feature_order_and_commands_come_last(console: ConsoleSlack) -> None:
    console.send("!as U0MANAGER")
    shown = console.send("!home")  # Li Wei reads Chinese
    assert shown.index("*晨会*") < shown.index("*KPI 指标*") < shown.index("命令")
