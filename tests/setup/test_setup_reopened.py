"""/ops setup opened again after a save: the form shows what was saved (the channel by its name, the people in
their pickers) and saving it again unchanged works, as in Slack where a picker's initial value is its value."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleSlack
from bot.ops.team import ChannelKey, Role
from tests.conftest import converse


@pytest.fixture
def new_team(new_team: ConsoleSlack) -> ConsoleSlack:
    new_team.emulator.users["U0MANAGER"].locale = "en-US"
    return new_team


def test_the_form_opens_again_with_what_was_saved_and_saves_again_unchanged(new_team: ConsoleSlack) -> None:
    converse(
        new_team,
        [
            (
                "/ops setup\n!fill timezone=Asia/Shanghai channel_ops=C0OPS channel_purchasing=C0PURCHASING "
                "role_manager=U0MANAGER role_purchasing=U0BUYER,U0SELECT\n!submit",
                ["“Check and save”"],
            ),
            ("!submit", ["Team setup saved for Shenzhen Ops."]),
            (
                "/ops setup",
                [
                    "Team channel (stand-ups, digest): #ops",
                    "Purchasing channel (optional): #purchasing",
                    "Operations manager: @Li Wei",
                    "Purchasing (optional): @Chen Jie, @Zhang Min",
                ],
            ),
            # Nothing changed: the preview shows what was saved, not "pick the team channel".
            ("!submit", ["“Check and save”", "Team channel (stand-ups, digest): #ops", "Purchasing: @Chen Jie"]),
            ("!submit", ["Team setup saved for Shenzhen Ops."]),
        ],
    )
    team = new_team.services.teams.by_id("shenzhen-ops")
    assert team is not None and team.channels[ChannelKey.ops] == "C0OPS"
    assert {m.user for m in team.people_with(Role.purchasing)} == {"U0BUYER", "U0SELECT"}
    assert [m.user for m in team.people_with(Role.manager)] == ["U0MANAGER"]
