"""Issue 17: "Use this channel" answered in a DM with the bot, or in a group DM, would put the team's launch — its
pinned checklist, progress lines and go/no-go copies — where the other owners and the manager never see it. The
form refuses it under "Where", in the reader's language, without asking Slack; a team channel still works."""

from __future__ import annotations

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.db import launch as store
from tests.conftest import converse

FORM = '!fill name="LED Night Light" skus=LED-700 marketplaces=US launch_date=2027-03-01'


def launches(console: ConsoleSlack) -> list[store.Launch]:
    with console.services.db.transaction() as session:
        return store.all_launches(session, "shenzhen-ops")


def test_use_this_channel_in_a_dm_with_the_bot_is_refused_under_where(launches_only: ConsoleSlack) -> None:
    console = launches_only
    before = len(console.emulator.records)
    converse(
        console,
        [
            ("!as U0BUYER\n!in U0BUYER\n/launch new", ["modal opened for Chen Jie: “New launch”"]),
            (
                FORM + ' channel="Use this channel"\n!submit',
                [
                    "✗ channel: A DM is not a team channel, so the other owners could not follow the launch here: "
                    "choose “Create a #launch- channel”, or start /launch new in a team channel."
                ],
            ),
        ],
    )
    assert launches(console) == []
    assert not any(r.kind in ("message", "pin") for r in console.emulator.records[before:])
    # Li Wei reads Slack in Chinese: so does his refusal. Creating a channel from the DM works.
    converse(
        console,
        [
            ("!as U0MANAGER\n!in U0MANAGER\n/launch new", ["“新品上市”"]),
            (
                FORM + " channel=使用当前频道\n!submit",
                [
                    "✗ channel: 私信不是团队频道，其他负责人无法在这里跟进上市："
                    "请选择“新建 #launch- 频道”，或在团队频道里运行 /launch 新建。"
                ],
            ),
            (
                '!fill channel="新建 #launch- 频道并邀请负责人"\n!submit',
                ["channel #launch-led-night-light created", "LED Night Light 已在 #launch-led-night-light 建好。"],
            ),
        ],
    )
    assert [launch.channel.startswith("C") for launch in launches(console)] == [True]


def test_use_this_channel_in_a_group_dm_is_refused_too(launches_only: ConsoleSlack) -> None:
    """A group DM's id need not start with D: Slack names it mpdm-… in the command, which the form carries."""
    console = launches_only
    console.send("!as U0BUYER")
    seat = console.seat
    body = payloads.slash_command(
        "/launch",
        "new",
        user="U0BUYER",
        channel="G0GROUPDM",
        team=seat.team.slack_team_id,
        response_url=console.emulator.new_response_url("G0GROUPDM", "U0BUYER"),
        channel_name="mpdm-chen.jie--amy.lin--li.wei-1",
    )
    console.dispatch(body)
    assert "“New launch”" in seat.new_output()
    converse(
        console,
        [
            (
                FORM + ' channel="Use this channel"\n!submit',
                ["✗ channel: A DM is not a team channel, so the other owners could not follow the launch here"],
            ),
        ],
    )
    assert launches(console) == []


def test_use_this_channel_in_a_team_channel_still_works(launches_only: ConsoleSlack) -> None:
    converse(
        launches_only,
        [
            ("!as U0BUYER\n!in C0LAUNCHES\n/launch new", ["“New launch”"]),
            (
                FORM + ' channel="Use this channel"\n!submit',
                ["── #launches · Opsbot", "message pinned", "LED Night Light is set up in #launches."],
            ),
        ],
    )
