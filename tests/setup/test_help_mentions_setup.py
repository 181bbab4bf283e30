"""/ops help names /ops setup: to the manager as something they can do, to everyone else as the manager's."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleSlack
from tests.conftest import converse


@pytest.mark.parametrize(
    ("locale", "line", "command", "says", "form"),
    [
        ("en-US", "/ops help", "/ops setup", "Opens the team's setup form", "Set in team.yml"),
        ("zh-CN", "/ops 帮助", "/ops 设置", "打开团队设置表单", "团队设置"),
        ("zh-TW", "/ops 幫助", "/ops 設定", "開啟團隊設定表單", "團隊設定"),
    ],
)
def test_the_manager_is_told_of_ops_setup_in_help_in_their_language_and_it_opens_the_form(
    console: ConsoleSlack, locale: str, line: str, command: str, says: str, form: str
) -> None:
    console.emulator.users["U0MANAGER"].locale = locale
    converse(console, [(f"!as U0MANAGER\n{line}", [f"*{command}*", says]), (command, ["modal opened", form])])


def test_everyone_else_is_told_who_may_use_ops_setup(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0BUYER\n/ops help", ["*/ops setup*", "Only the team's manager can change its setup: @Li Wei"]),
    ])
    assert "Opens the team's setup form" not in shown
