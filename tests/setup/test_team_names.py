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


# Several workspaces (the OAuth install): each team's names are looked up in its own workspace, with its token.
BERLIN = """\
id: berlin-ops
name: Berlin Ops
slack_team_id: T08BERLIN
timezone: Europe/Berlin
members:
  - {user: klaus@example.com, name: Klaus Becker, roles: [manager]}
  - {user: U07MKT0004, name: Amy Lin, roles: [marketing]}
channels:
  ops: "#purchasing"
"""


def _several(playbooks_dir: Path, tmp_path: Path, emulator: SlackEmulator, installed: list[str]) -> object:
    from slack_sdk.oauth.installation_store import Installation
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from bot.db import Database
    from bot.db.migrate import upgrade

    (playbooks_dir / "team.yml").write_text(TEAM, encoding="utf-8")
    (playbooks_dir / "teams").mkdir(exist_ok=True)
    (playbooks_dir / "teams" / "berlin.yml").write_text(BERLIN, encoding="utf-8")
    url = f"sqlite:///{tmp_path}/several.sqlite3"
    database = Database(url)
    upgrade(database.engine)
    store = SQLAlchemyInstallationStore(client_id="1000.2000", engine=database.engine)
    for workspace, token in (("T07QCRPA4", "xoxb-shenzhen"), ("T08BERLIN", "xoxb-berlin")):
        emulator.add_token(token, workspace)
        if workspace in installed:
            store.save(Installation(app_id="A0OPSBOT", team_id=workspace, team_name=workspace, bot_token=token,
                                    bot_id="B0OPSBOT", bot_user_id="U0OPSBOT", bot_scopes="chat:write",
                                    user_id="U07MGR0001"))
    database.dispose()
    emulator.add_user(User("U07KLA0005", "Klaus Becker", "Europe/Berlin", email="klaus@example.com"))
    return load_settings(SLACK_CLIENT_ID="1000.2000", SLACK_CLIENT_SECRET="shh", SLACK_API_URL=emulator.api_url,
                         OPSBOT_PLAYBOOKS=playbooks_dir, DATABASE_URL=url)


def test_with_several_workspaces_each_teams_names_resolve_with_its_own_workspaces_token(
    playbooks_dir: Path, emulator: SlackEmulator, tmp_path: Path
) -> None:
    settings = _several(playbooks_dir, tmp_path, emulator, installed=["T07QCRPA4", "T08BERLIN"])
    services = wire(settings, client=WebClient(base_url=emulator.api_url), migrate=False)  # type: ignore[arg-type]
    try:
        shenzhen, berlin = services.teams.by_id("shenzhen-ops"), services.teams.by_id("berlin-ops")
        assert shenzhen is not None and berlin is not None
        assert [m.user for m in shenzhen.people_with(Role.manager)] == ["U07MGR0001"]
        assert [m.user for m in shenzhen.people_with(Role.purchasing)] == ["U07BUY0003"]
        assert shenzhen.channels[ChannelKey.ops] == "C07OPS0001"
        assert [m.user for m in berlin.people_with(Role.manager)] == ["U07KLA0005"]
        assert berlin.channels[ChannelKey.ops] == "C07PUR0002"
        asked = set(emulator.workspace_calls)
        assert {("T07QCRPA4", "users.list"), ("T07QCRPA4", "users.lookupByEmail")} <= asked
        assert ("T08BERLIN", "users.lookupByEmail") in asked and ("T08BERLIN", "conversations.list") in asked
    finally:
        services.db.dispose()


def test_a_workspace_not_installed_yet_has_its_names_resolved_once_it_is_and_doctor_says_so(
    playbooks_dir: Path, emulator: SlackEmulator, tmp_path: Path
) -> None:
    from slack_sdk.oauth.installation_store import Installation
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from bot.doctor import run_checks

    settings = _several(playbooks_dir, tmp_path, emulator, installed=["T07QCRPA4"])
    checks = {c.name: c for c in run_checks(settings, WebClient(base_url=emulator.api_url))}  # type: ignore[arg-type]
    assert checks["playbooks"].ok
    assert (
        "berlin-ops: klaus@example.com, #purchasing are looked up in Slack once the app is installed in workspace "
        "T08BERLIN" in checks["playbooks"].detail
    )
    # The bot starts all the same: Berlin's team waits for its install, without the people it cannot name yet.
    services = wire(settings, client=WebClient(base_url=emulator.api_url), migrate=False)  # type: ignore[arg-type]
    try:
        berlin = services.teams.by_id("berlin-ops")
        assert berlin is not None and [m.user for m in berlin.members] == ["U07MKT0004"] and not berlin.channels
        store = SQLAlchemyInstallationStore(client_id="1000.2000", engine=services.db.engine)
        store.save(Installation(app_id="A0OPSBOT", team_id="T08BERLIN", team_name="Berlin", bot_token="xoxb-berlin",
                                bot_id="B0OPSBOT", bot_user_id="U0OPSBOT", bot_scopes="chat:write",
                                user_id="U07KLA0005"))
        services.lifecycle.installed("T08BERLIN", by="U07KLA0005", name="Berlin")
        jobs = services.scheduled_jobs()  # the scheduler's next tick: no restart
        berlin = services.teams.by_id("berlin-ops")
        assert berlin is not None
        assert [m.user for m in berlin.people_with(Role.manager)] == ["U07KLA0005"]
        assert berlin.channels[ChannelKey.ops] == "C07PUR0002"
        assert any(job.team_id == "berlin-ops" and job.id.startswith("setup.channels") for job in jobs)
    finally:
        services.db.dispose()
