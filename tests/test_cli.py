"""The opsbot command as a newcomer uses it: demo, manifest, doctor, db upgrade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient
from typer.testing import CliRunner

from bot.__main__ import cli
from bot.config import load_settings
from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
from bot.db import Database
from bot.db.migrate import upgrade
from bot.delivery import Delivery
from bot.doctor import run_checks

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_slack_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


def test_demo_plays_every_scene_without_a_token(tmp_path: Path, playbooks_dir: Path) -> None:
    result = runner.invoke(
        cli, ["demo", "--database", str(tmp_path / "demo.sqlite3"), "--playbooks", str(playbooks_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "» /ops help" in result.output
    assert "Opsbot commands" in result.output
    assert "团队 Shenzhen Ops" in result.output  # the manager reads Chinese
    assert " ! " not in result.output  # no console line failed


def test_manifest_prints_yaml_for_socket_mode_and_for_http() -> None:
    socket = yaml.safe_load(runner.invoke(cli, ["manifest", "--socket"]).output)
    assert socket["settings"]["socket_mode_enabled"] is True
    http = yaml.safe_load(runner.invoke(cli, ["manifest", "--http", "https://ops.example.com"]).output)
    assert http["settings"]["interactivity"]["request_url"] == "https://ops.example.com/slack/events"
    refused = runner.invoke(cli, ["manifest", "--http", "http://insecure.example.com"])
    assert refused.exit_code == 2 and "https://" in refused.output


def test_db_upgrade_then_doctor_passes_without_a_token(playbooks_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    before = runner.invoke(cli, ["doctor"])
    assert before.exit_code == 1
    assert "✗ migrations" in before.output and "opsbot db upgrade" in before.output
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    after = runner.invoke(cli, ["doctor"])
    assert after.exit_code == 0, after.output
    assert "✓ playbooks" in after.output and "skipped: SLACK_BOT_TOKEN is not set" in after.output


def test_doctor_names_a_broken_playbook_and_fails(playbooks_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team = playbooks_dir / "team.yml"
    team.write_text(team.read_text(encoding="utf-8").replace("Asia/Shanghai", "Asia/Nowhere"), encoding="utf-8")
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "✗ playbooks" in result.output and "timezone: unknown time zone 'Asia/Nowhere'" in result.output


def test_doctor_checks_the_token_with_auth_test(playbooks_dir: Path, tmp_path: Path) -> None:
    emulator = SlackEmulator("xoxb-good").start()
    try:
        for token, expected in (("xoxb-good", True), ("xoxb-revoked", False)):
            settings = load_settings(
                SLACK_BOT_TOKEN=token,
                SLACK_API_URL=emulator.api_url,
                OPSBOT_PLAYBOOKS=playbooks_dir,
                DATABASE_URL=f"sqlite:///{tmp_path}/d.sqlite3",
            )
            slack = {c.name: c for c in run_checks(settings, WebClient(token=token, base_url=emulator.api_url))}[
                "slack"
            ]
            assert slack.ok is expected, slack.detail
    finally:
        emulator.stop()


def test_i18n_missing_reports_nothing_missing() -> None:
    result = runner.invoke(cli, ["i18n", "missing"])
    assert result.exit_code == 0, result.output


def test_doctor_says_when_the_outbox_is_stuck_or_slack_refused_a_message(playbooks_dir: Path, tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path}/d.sqlite3"
    emulator = SlackEmulator("xoxb-good").start()
    database = Database(database_url)
    try:
        upgrade(database.engine)
        settings = load_settings(OPSBOT_PLAYBOOKS=playbooks_dir, DATABASE_URL=database_url)
        assert {c.name: c for c in run_checks(settings)}["outbox"].ok

        twenty_minutes_ago = datetime.now(UTC) - timedelta(minutes=20)
        delivery = Delivery(WebClient(token="xoxb-good", base_url=emulator.api_url), database, pace_seconds=0,
                            now=lambda: twenty_minutes_ago)
        too_many = [{"type": "divider"}] * 51
        delivery.post("C0OPS", "a digest Slack refuses", too_many)
        emulator.faults = Faults(rate_limited=1.0, retry_after_seconds=3600)  # and Slack says: come back in an hour
        delivery.post("C0PURCHASING", "the restock watch")

        outbox = {c.name: c for c in run_checks(settings)}["outbox"]
        assert not outbox.ok
        assert "1 message(s) waiting" in outbox.detail and "is `opsbot serve` (or `run`) running" in outbox.detail
        assert "1 given up in the last day (C0OPS: invalid_blocks)" in outbox.detail
        assert "refuses" not in outbox.detail and "restock watch" not in outbox.detail  # never the message itself
    finally:
        database.dispose()
        emulator.stop()
