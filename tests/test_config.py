"""Settings: read once from the environment; every problem reported together with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from bot.config import load_settings
from bot.errors import ConfigError
from bot.reports.playbook import load_playbook as load_kpi

ENV = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "DATABASE_URL",
    "OPSBOT_PLAYBOOKS",
    "OPSBOT_TIMEZONE",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file


def test_defaults_need_no_token_and_use_a_sqlite_file() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///opsbot.sqlite3"
    assert settings.slack_bot_token is None
    assert settings.slack_api_url == "https://slack.com/api/"


def test_every_invalid_setting_is_listed_with_its_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token")
    monkeypatch.setenv("OPSBOT_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    text = "\n".join(raised.value.problems)
    assert "SLACK_BOT_TOKEN: must start with xoxb-" in text
    assert "Bot User OAuth Token" in text
    assert "OPSBOT_TIMEZONE: unknown time zone 'Mars/Olympus'" in text
    assert "DATABASE_URL: must be a sqlite:/// or postgresql+psycopg:// URL" in text
    assert len(raised.value.problems) == 3


def test_secrets_do_not_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "shh-signing")
    shown = repr(load_settings())
    assert "xoxb-very-secret" not in shown and "shh-signing" not in shown


def test_postgres_url_gets_the_psycopg3_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://ops@db/opsbot")
    assert load_settings().database_url == "postgresql+psycopg://ops@db/opsbot"


def test_run_without_tokens_stops_with_exit_2_and_no_traceback() -> None:
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 2
    output = result.output
    assert "SLACK_BOT_TOKEN is not set" in output
    assert "SLACK_APP_TOKEN is not set" in output
    assert "Traceback" not in output


def test_an_invalid_environment_stops_every_command_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "slack.com/api")
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "SLACK_API_URL: must be an http(s) URL" in result.output
    assert "Traceback" not in result.output


def _kpi_with_target(playbooks_dir: Path, target: str) -> Path:
    kpi = playbooks_dir / "kpi.yml"
    text = kpi.read_text(encoding="utf-8")
    edited = text.replace("acos_max: 25%, tacos_max: 10%", target, 1)
    assert edited != text, "the example kpi.yml has the November US target this test edits"
    kpi.write_text(edited, encoding="utf-8")
    return kpi


@pytest.mark.parametrize(
    ("written", "acos", "tacos"),
    [
        ("acos_max: 25%, tacos_max: 10 %", 0.25, 0.10),
        ("acos_max: '12.5%', tacos_max: 0.1", 0.125, 0.10),
        ("acos_max: 0.3, tacos_max: 7%", 0.3, 0.07),
    ],
)
def test_a_percentage_in_a_playbook_may_be_written_with_a_percent_sign(
    playbooks_dir: Path, written: str, acos: float, tacos: float
) -> None:
    _kpi_with_target(playbooks_dir, written)
    target = load_kpi(playbooks_dir).targets["US"]["2026-11"]
    assert target.acos_max == pytest.approx(acos)
    assert target.tacos_max == pytest.approx(tacos)


def test_a_percentage_that_is_not_one_names_the_file_the_key_and_what_is_accepted(playbooks_dir: Path) -> None:
    kpi = _kpi_with_target(playbooks_dir, "acos_max: a quarter, tacos_max: -5%")
    with pytest.raises(ConfigError) as raised:
        load_kpi(playbooks_dir)
    problems = raised.value.problems
    assert f"{kpi}: targets.US.2026-11.acos_max: 'a quarter' is not a percentage: write it as 25% or 0.25" in problems
    assert any(
        p.startswith(f"{kpi}: targets.US.2026-11.tacos_max:") and "greater than or equal to 0" in p for p in problems
    ), problems


def test_the_restock_service_level_may_be_written_in_percent(playbooks_dir: Path) -> None:
    from bot.ops.restock_playbook import load_playbook as load_restock

    restock = playbooks_dir / "restock.yml"
    restock.write_text(
        restock.read_text(encoding="utf-8").replace("service_level: 95%", "service_level: 97.5%"), encoding="utf-8"
    )
    assert load_restock(playbooks_dir).service_level == pytest.approx(0.975)


def test_a_teams_default_marketplace_lives_in_team_yml_and_kpi_yml_is_the_fallback(
    playbooks_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report that names no marketplace loads under the team's own default (team.yml); kpi.yml's per-team
    value still counts when team.yml gives none; --marketplace wins over both."""
    from tests.kpi.conftest import FIXTURES

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'markets.sqlite3'}")
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    nameless = tmp_path / "returns.csv"
    nameless.write_bytes((FIXTURES / "returns-US.csv").read_bytes())
    team, kpi = playbooks_dir / "team.yml", playbooks_dir / "kpi.yml"
    team.write_text(team.read_text(encoding="utf-8") + "default_marketplace: de\n", encoding="utf-8")
    loaded = runner.invoke(cli, ["ingest", str(nameless)])
    assert loaded.exit_code == 0 and "(DE, " in loaded.output, loaded.output
    # kpi.yml names another for the same team: team.yml's own setting wins.
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("default_marketplace: {}", "default_marketplace: "
                                                           "{shenzhen-ops: JP}"), encoding="utf-8")
    assert "(DE, " in runner.invoke(cli, ["ingest", str(nameless)]).output
    assert "(UK, " in runner.invoke(cli, ["ingest", str(nameless), "--marketplace", "UK"]).output
    # Without one in team.yml, kpi.yml's is the fallback.
    team.write_text(team.read_text(encoding="utf-8").replace("default_marketplace: de\n", ""), encoding="utf-8")
    assert "(JP, " in runner.invoke(cli, ["ingest", str(nameless)]).output
    team.write_text(team.read_text(encoding="utf-8") + "default_marketplace: Atlantis\n", encoding="utf-8")
    broken = runner.invoke(cli, ["ingest", str(nameless)])
    assert broken.exit_code == 2
    assert f"{team}: default_marketplace: 'Atlantis' is not a marketplace code" in " ".join(broken.output.split())
