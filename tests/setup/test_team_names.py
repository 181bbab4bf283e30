"""team.yml may name people as @display name, an email or an id, and channels as #name or an id; Opsbot looks
them up in Slack at start (users.list, users.lookupByEmail, conversations.list) and names the line of any it
cannot find."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import load_settings
from bot.console.emulator import SlackEmulator
from bot.console.slack_state import Channel, User
from bot.errors import ConfigError
from bot.ops.team import ChannelKey, Role
from bot.wiring import wire

TEAM = """\
id: shenzhen-ops
name: Shenzhen Ops
slack_team_id: T07QCRPA4
timezone: Asia/Shanghai
members:
  - {user: "@Li Wei", name: Li Wei, roles: [manager]}
  - {user: chen.jie@example.com, name: Chen Jie, roles: [purchasing]}
  - {user: U07MKT0004, name: Amy Lin, roles: [marketing]}
channels:
  ops: "#ops"
  purchasing: C07PUR0002
  manager: "#manager"
"""


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    slack = SlackEmulator("xoxb-real", team_id="T07QCRPA4").start()
    slack.add_user(User("U07MGR0001", "Li Wei", "Asia/Shanghai", email="li.wei@example.com"))
    slack.add_user(User("U07BUY0003", "Chen Jie", "Asia/Shanghai", email="chen.jie@example.com"))
    slack.add_user(User("U07MKT0004", "Amy Lin", "America/Los_Angeles", email="amy@example.com"))
    slack.add_channel(Channel("C07OPS0001", "ops"))
    slack.add_channel(Channel("C07PUR0002", "purchasing"))
    slack.add_channel(Channel("G07MGR0004", "manager", is_private=True))
    try:
        yield slack
    finally:
        slack.stop()


def _wire(playbooks_dir: Path, team: str, emulator: SlackEmulator, tmp_path: Path) -> list[str] | object:
    (playbooks_dir / "team.yml").write_text(team, encoding="utf-8")
    settings = load_settings(
        SLACK_BOT_TOKEN="xoxb-real",
        SLACK_API_URL=emulator.api_url,
        OPSBOT_PLAYBOOKS=playbooks_dir,
        DATABASE_URL=f"sqlite:///{tmp_path}/n.sqlite3",
    )
    try:
        services = wire(settings, client=WebClient(token="xoxb-real", base_url=emulator.api_url), migrate=False)
    except ConfigError as exc:
        return exc.problems
    services.db.dispose()
    return services


def test_names_emails_and_channel_names_resolve_to_slack_ids(
    playbooks_dir: Path, emulator: SlackEmulator, tmp_path: Path
) -> None:
    services = _wire(playbooks_dir, TEAM, emulator, tmp_path)
    assert not isinstance(services, list), services
    team = services.teams.teams[0]  # type: ignore[attr-defined]
    assert [m.user for m in team.people_with(Role.manager)] == ["U07MGR0001"]
    assert [m.user for m in team.people_with(Role.purchasing)] == ["U07BUY0003"]
    assert [m.user for m in team.people_with(Role.marketing)] == ["U07MKT0004"]
    assert team.channels[ChannelKey.ops] == "C07OPS0001"
    assert team.channels[ChannelKey.manager] == "G07MGR0004"  # a private channel the bot can see
    assert team.channels[ChannelKey.purchasing] == "C07PUR0002"
    assert emulator.count_calls("users.lookupByEmail") == 1


def test_a_name_that_does_not_resolve_names_the_file_and_line(
    playbooks_dir: Path, emulator: SlackEmulator, tmp_path: Path
) -> None:
    emulator.add_user(User("U07LIW0009", "li wei", "Asia/Taipei"))  # a second Li Wei: the name is ambiguous
    team = TEAM.replace("chen.jie@example.com", "nobody@example.com").replace('"#ops"', '"#opps"')
    problems = _wire(playbooks_dir, team, emulator, tmp_path)
    path = playbooks_dir / "team.yml"
    assert problems == [
        f"{path}: line 6: @Li Wei matches 2 people in Slack (U07LIW0009, U07MGR0001): write their email or id",
        f"{path}: line 7: nobody@example.com: nobody in Slack has this email: check it, or write @name or an id",
        f"{path}: line 10: #opps: no channel by this name in Slack (private ones only once the bot is in them): "
        "check it, or write its id",
    ]


def test_without_a_token_a_name_says_it_needs_one(playbooks_dir: Path, tmp_path: Path) -> None:
    (playbooks_dir / "team.yml").write_text(TEAM, encoding="utf-8")
    settings = load_settings(OPSBOT_PLAYBOOKS=playbooks_dir, DATABASE_URL=f"sqlite:///{tmp_path}/n.sqlite3")
    with pytest.raises(ConfigError) as raised:
        wire(settings, migrate=False)
    path = playbooks_dir / "team.yml"
    assert raised.value.problems[0] == (
        f"{path}: line 6: @Li Wei is looked up in Slack, which needs SLACK_BOT_TOKEN: set it, or write the id"
    )


def test_doctor_lists_the_names_that_did_not_resolve(
    playbooks_dir: Path, emulator: SlackEmulator, tmp_path: Path
) -> None:
    from bot.doctor import run_checks

    (playbooks_dir / "team.yml").write_text(TEAM.replace('"@Li Wei"', '"@Li Wie"'), encoding="utf-8")
    settings = load_settings(
        SLACK_BOT_TOKEN="xoxb-real",
        SLACK_API_URL=emulator.api_url,
        OPSBOT_PLAYBOOKS=playbooks_dir,
        DATABASE_URL=f"sqlite:///{tmp_path}/n.sqlite3",
    )
    checks = {c.name: c for c in run_checks(settings, WebClient(token="xoxb-real", base_url=emulator.api_url))}
    assert not checks["playbooks"].ok
    assert checks["playbooks"].detail == (
        f"{playbooks_dir / 'team.yml'}: line 6: @Li Wie: nobody in Slack goes by this name: check the spelling (as "
        "in their Slack profile), or write their email or id"
    )
