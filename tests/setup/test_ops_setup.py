"""/ops setup: a new team is set up from Slack with pickers, no ids typed; a preview, then saved per team;
after that only the manager may change it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleSlack
from bot.db.core import AuditEntry
from bot.db.setup import TeamSetupRow
from bot.ops.team import ChannelKey, Role
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.setup.conftest import NEW_TEAM

FILLED = (
    "!fill timezone=Asia/Shanghai language=zh-CN base_currency=cny workdays=mon,tue,wed,thu,fri,sat "
    'holiday_countries="CN, US" channel_ops=C0OPS channel_purchasing=C0PURCHASING channel_manager=C0MANAGER '
    "role_manager=U0MANAGER role_purchasing=U0BUYER,U0SELECT role_marketing=U0MARKET"
)


def test_the_installer_sets_up_a_new_team_with_a_preview_and_then_only_the_manager_may_change_it(
    new_team: ConsoleSlack,
) -> None:
    new_team.emulator.users["U0MANAGER"].locale = "en-US"
    converse(
        new_team,
        [
            (
                "/ops setup",
                [
                    "modal opened for Li Wei: “Team setup”",
                    "Time zone: UTC",
                    "Team channel (stand-ups, digest)",
                    "Operations manager",
                ],
            ),
            # A time zone that does not exist: the field says what is accepted; nothing is saved.
            (
                FILLED.replace("Asia/Shanghai", "Asia/Beijing") + "\n!submit",
                ["not submitted", "Unknown time zone Asia/Beijing: write one like Asia/Shanghai"],
            ),
            (
                FILLED + "\n!submit",
                [
                    "“Check and save”",
                    "Time zone*: Asia/Shanghai",
                    "Language*: 简体中文",
                    "Base currency*: CNY",
                    "Saturday",
                    "CN, US",
                    "Purchasing channel: #purchasing",
                    "Purchasing: @Chen Jie, @Zhang Min",
                    "Operations manager: @Li Wei",
                ],
            ),
            ("!submit", ["DM with Li Wei", "Team setup saved for Shenzhen Ops. /ops team shows it."]),
            ("/ops team", ["Time zone China (Shanghai) Time", "@Li Wei", "#purchasing"]),
            # Set in Slack, it stays Slack's to change: the form opens again with what was saved.
            ("/ops setup", ["Time zone: Asia/Shanghai", "Base currency: CNY"]),
            ("!close", ["modal closed"]),
            # Now the team has a manager: someone else may not change it.
            ("!as U0BUYER\n/ops setup", ["Only the team's manager can change its setup. Ask Li Wei."]),
        ],
    )
    team = new_team.services.teams.by_id("shenzhen-ops")
    assert team is not None and team.timezone == "Asia/Shanghai" and team.language == "zh-CN"
    assert team.base_currency == "CNY" and team.workdays == ("mon", "tue", "wed", "thu", "fri", "sat")
    assert team.holiday_countries == ("CN", "US")
    assert team.channels == {
        ChannelKey.ops: "C0OPS",
        ChannelKey.purchasing: "C0PURCHASING",
        ChannelKey.manager: "C0MANAGER",
    }
    assert {m.user for m in team.people_with(Role.purchasing)} == {"U0BUYER", "U0SELECT"}
    assert [m.name for m in team.people_with(Role.manager)] == ["Li Wei"]  # the name from Slack's profile
    with new_team.services.db.transaction() as session:
        assert session.scalars(select(TeamSetupRow.saved_by)).all() == ["U0MANAGER"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "team_setup")).all()
        assert [(a.actor, a.from_state, a.to_state) for a in audit] == [("U0MANAGER", None, "saved")]


def test_the_setup_is_kept_across_a_restart(new_team: ConsoleSlack, playbooks_dir: Path, database_url: str) -> None:
    converse(new_team, [("/ops setup", ["团队设置"]), (FILLED + "\n!submit", ["确认并保存"]), ("!submit", ["已保存"])])
    again = ConsoleSlack(
        playbooks_dir=playbooks_dir,
        database_url=database_url,
        start=MONDAY_9AM_SHENZHEN,
        as_user="U0BUYER",
        in_channel="C0OPS",
    )
    try:
        team = again.services.teams.by_id("shenzhen-ops")
        assert team is not None and team.timezone == "Asia/Shanghai"
        assert team.channels[ChannelKey.purchasing] == "C0PURCHASING"
        converse(again, [("/ops setup", ["Only the team's manager can change its setup."])])
    finally:
        again.close()


def test_the_manager_reading_chinese_sets_up_in_chinese(new_team: ConsoleSlack) -> None:
    converse(
        new_team,
        [
            ("/ops setup", ["团队设置", "时区", "工作日", "运营主管"]),
            (FILLED.replace("base_currency=cny", "base_currency=rmb") + "\n!submit", ["不认识币种 RMB"]),
            (FILLED + "\n!submit", ["确认并保存", "周六", "采购频道: #purchasing"]),
            ("!submit", ["团队设置已保存"]),
        ],
    )


def test_what_team_yml_gives_is_not_offered_and_wins(console: ConsoleSlack) -> None:
    """The example team.yml gives everything: the form says so and offers nothing to change."""
    console.emulator.users["U0MANAGER"].locale = "en-US"
    converse(console, [("/ops setup", ["Set in team.yml, where you change them: Time zone, Language"])])


def test_playbooks_export_writes_the_team_as_it_runs_and_the_file_loads_back(
    playbooks_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A setup made in Slack, exported as team.yml: a team that keeps its settings in git takes it from there."""
    from datetime import UTC, datetime

    from typer.testing import CliRunner

    from bot.cli import cli
    from bot.db import Database
    from bot.db import setup as store
    from bot.db.migrate import upgrade
    from bot.playbooks import load_teams

    (playbooks_dir / "team.yml").write_text(NEW_TEAM, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'export.sqlite3'}"
    database = Database(url)
    upgrade(database.engine)
    members = [
        {"user": "U0MANAGER", "name": "Li Wei", "roles": ["manager"]},
        {"user": "U0BUYER", "name": "Chen Jie", "roles": ["purchasing"]},
    ]
    with database.transaction() as session:
        store.save(
            session,
            "shenzhen-ops",
            {"timezone": "Asia/Shanghai", "channels": {"ops": "C0OPS"}, "members": members},
            by="U0MANAGER",
            at=datetime.now(UTC),
        )
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "exported" / "team.yml"
    out.parent.mkdir()
    result = CliRunner().invoke(cli, ["playbooks", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    team = load_teams(out.parent, env={}).teams[0]
    assert team.id == "shenzhen-ops" and team.timezone == "Asia/Shanghai"
    assert team.channels == {ChannelKey.ops: "C0OPS"}
    assert [(m.user, m.name, m.roles) for m in team.members] == [
        ("U0MANAGER", "Li Wei", (Role.manager,)),
        ("U0BUYER", "Chen Jie", (Role.purchasing,)),
    ]
    again = CliRunner().invoke(cli, ["playbooks", "export", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_playbooks_export_keeps_the_workspace_a_team_yml_names(
    playbooks_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """slack_team_id maps a team to its workspace: written in team.yml, it is in the export, even when it is the
    default's value (a several-workspace deployment committing the export would otherwise lose the mapping)."""
    from typer.testing import CliRunner

    from bot.cli import cli
    from bot.db import Database
    from bot.db.migrate import upgrade

    (playbooks_dir / "team.yml").write_text(NEW_TEAM, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'export.sqlite3'}"
    database = Database(url)
    upgrade(database.engine)
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["playbooks", "export"])
    assert result.exit_code == 0, result.output
    assert "slack_team_id: T0DEMO" in result.output.splitlines()
