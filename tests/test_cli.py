"""The opsbot command as a newcomer uses it: demo, manifest, doctor, db upgrade before anything else."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient
from typer.testing import CliRunner

from bot.cli import cli
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
        cli, ["demo", "--database", f"sqlite:///{tmp_path / 'demo.sqlite3'}", "--playbooks", str(playbooks_dir)]
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
    assert "✗ database: no database at" in before.output and "`opsbot db upgrade` creates it" in before.output
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    after = runner.invoke(cli, ["doctor"])
    assert after.exit_code == 0, after.output
    assert "✓ playbooks" in after.output and "skipped: SLACK_BOT_TOKEN is not set" in after.output


@pytest.fixture
def root_logger_kept() -> Iterator[None]:
    """`serve` configures logging onto the runner's stream, which is closed once the command returns."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("root_logger_kept")
def test_on_a_fresh_database_the_data_commands_and_serve_stop_and_say_to_run_db_upgrade(
    playbooks_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    refused = runner.invoke(cli, ["kpi", "--from", "2026-11-20", "--to", "2026-11-21"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    # One line, which rich wraps at the runner's 80 columns: compared without the spaces and breaks.
    behind = (
        rf"thedatabasesqlite:///{re.escape(str(tmp_path))}/cli\.sqlite3has\d+migrationspending:run`opsbotdbupgrade`"
    )
    assert re.search(behind, "".join(refused.output.split())), refused.output

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "shh")
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("served a database that is behind"))
    serve = runner.invoke(cli, ["serve"])
    assert serve.exit_code == 2 and "run `opsbot db upgrade`" in serve.output and "Traceback" not in serve.output


def test_db_upgrade_says_what_it_applied_and_then_the_data_commands_run(
    playbooks_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    first = runner.invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert re.match(r"applied \d+ migrations; database is up to date: sqlite:///", first.output)
    again = runner.invoke(cli, ["db", "upgrade"])
    assert again.exit_code == 0 and again.output.startswith("database is up to date: sqlite:///")
    shown = runner.invoke(cli, ["kpi", "--from", "2026-11-20", "--to", "2026-11-21"])
    assert shown.exit_code == 0, shown.output
    assert "2026-11-20..2026-11-21, data through no data" in shown.output


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
        delivery = Delivery(
            WebClient(token="xoxb-good", base_url=emulator.api_url),
            database,
            pace_seconds=0,
            now=lambda: twenty_minutes_ago,
        )
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


def test_a_long_problem_is_one_line_when_not_on_a_terminal(tmp_path: Path) -> None:
    """Piped into a log or another program, a message is never broken mid-sentence at 80 columns."""
    far = tmp_path / ("a-folder-with-a-rather-long-name-" * 3) / "manifest.yml"
    result = runner.invoke(cli, ["manifest", "--check", str(far)])
    assert result.exit_code == 2
    assert f"  • {far}: file not found\n" in result.output


@pytest.mark.parametrize(
    "command", [["kpi"], ["manifest"], ["demo"], ["db", "upgrade"], ["doctor"], ["restock", "export"]]
)
def test_help_shows_flags_as_flags(command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "--help" in result.output
    assert "<bool>" not in result.output


# Each way a database cannot be used, the URL that shows it, and what the one line must say.
UNREACHABLE = "postgresql+psycopg://opsbot@127.0.0.1:1/opsbot"  # nothing listens on port 1
DATA_COMMANDS = [
    ["db", "upgrade"],
    ["kpi", "--from", "2026-11-20", "--to", "2026-11-21"],
    ["digest", "--team", "shenzhen-ops", "--date", "2026-11-23"],
    ["serve"],
    ["run"],
]


def _first_problem(output: str) -> str:
    lines = output.splitlines()
    assert lines[0] == "Opsbot cannot continue:", output
    assert len(lines) == 2, f"one problem, one line:\n{output}"
    return lines[1]


@pytest.fixture
def slack_settings(monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path) -> None:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "shh")
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("served without a database"))


@pytest.mark.usefixtures("root_logger_kept", "slack_settings")
@pytest.mark.parametrize("command", DATA_COMMANDS, ids=lambda c: c[0])
def test_a_database_server_that_is_down_is_one_line_naming_it_and_what_to_do(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    line = _first_problem(result.output)
    assert "cannot reach the database server at 127.0.0.1:1" in line
    assert "start it, or fix the host and port in DATABASE_URL" in line


@pytest.mark.usefixtures("root_logger_kept", "slack_settings")
@pytest.mark.parametrize("command", DATA_COMMANDS, ids=lambda c: c[0])
def test_a_sqlite_folder_that_does_not_exist_is_one_line_and_no_file_is_made(
    command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "no-such-folder"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder}/opsbot.sqlite3")
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert _first_problem(result.output) == (
        f"  • the folder {folder} of the SQLite database does not exist: create it, or point DATABASE_URL "
        "at a file in a folder that does"
    )
    assert not folder.exists()


@pytest.mark.postgres
@pytest.mark.usefixtures("root_logger_kept", "slack_settings")
@pytest.mark.parametrize("command", DATA_COMMANDS, ids=lambda c: c[0])
def test_a_database_that_does_not_exist_on_the_server_is_one_line_saying_to_create_it(
    command: list[str], monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    missing = postgres_url.rsplit("/", 1)[0] + "/opsbot_never_created"
    monkeypatch.setenv("DATABASE_URL", missing)
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    line = _first_problem(result.output)
    assert "the database opsbot_never_created does not exist on 127.0.0.1:5432" in line
    assert "createdb opsbot_never_created" in line


def test_doctor_names_the_database_failure_the_same_way(monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path) -> None:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "✗ database: cannot reach the database server at 127.0.0.1:1" in result.output
    assert "Traceback" not in result.output


def test_doctor_on_a_fresh_clone_creates_no_file_and_says_how_the_database_is_made(
    monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    before = sorted(tmp_path.rglob("*"))
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert f"✗ database: no database at sqlite:///{tmp_path}/cli.sqlite3 yet: `opsbot db upgrade` creates it" in (
        result.output
    )
    assert sorted(tmp_path.rglob("*")) == before


def test_demo_plays_from_an_empty_folder_with_the_packaged_playbooks_and_a_temporary_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "somewhere-else"
    empty.mkdir()
    monkeypatch.chdir(empty)
    monkeypatch.delenv("OPSBOT_PLAYBOOKS", raising=False)
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Opsbot commands" in result.output and " ! " not in result.output
    assert list(empty.iterdir()) == []  # nothing left behind in the folder it ran from


def test_packaged_playbooks_are_the_repository_playbooks() -> None:
    from bot.config import packaged_playbooks
    from tests.conftest import PLAYBOOKS

    shipped = packaged_playbooks()
    names = sorted(p.relative_to(PLAYBOOKS).as_posix() for p in PLAYBOOKS.rglob("*.yml"))
    assert names and sorted(p.relative_to(shipped).as_posix() for p in shipped.rglob("*.yml")) == names
    for name in names:
        assert (shipped / name).read_bytes() == (PLAYBOOKS / name).read_bytes()


def test_the_console_and_the_demo_take_the_same_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "morning.txt"
    script.write_text("/ops team\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    console = runner.invoke(cli, ["console", "--script", str(script), "--database", url])
    assert console.exit_code == 0, console.output
    assert "Shenzhen Ops" in console.output and (tmp_path / "mine.sqlite3").exists()
    demo = runner.invoke(cli, ["demo", "--database", url])
    assert demo.exit_code == 2
    assert f"{url} already holds data: the demo plays on an empty database" in " ".join(demo.output.split())
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert runner.invoke(cli, ["demo", "--database", fresh]).exit_code == 0


def test_the_demo_and_console_read_opsbot_playbooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path
) -> None:
    team = playbooks_dir / "team.yml"
    team.write_text(
        team.read_text(encoding="utf-8").replace("name: Shenzhen Ops", "name: Taipei Ops"), encoding="utf-8"
    )
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "morning.txt"
    script.write_text("/ops team\n", encoding="utf-8")
    result = runner.invoke(cli, ["console", "--script", str(script)])
    assert result.exit_code == 0, result.output
    assert "Taipei Ops" in result.output


def test_init_writes_editable_playbooks_and_refuses_to_overwrite(tmp_path: Path, playbooks_dir: Path) -> None:
    target = tmp_path / "our-team"
    made = runner.invoke(cli, ["init", str(target)])
    assert made.exit_code == 0, made.output
    assert (target / "team.yml").is_file() and (target / "launch").is_dir()
    assert "OPSBOT_PLAYBOOKS" in made.output and "opsbot doctor" in made.output
    team = (target / "team.yml").read_text(encoding="utf-8")
    assert "# " in team and re.search(r"#.*[\u4e00-\u9fff]", team), "comments in English and Chinese"
    # What init wrote is a valid set of playbooks.
    settings = load_settings(OPSBOT_PLAYBOOKS=target, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    from bot.wiring import FEATURES, load_playbooks

    teams, _ = load_playbooks(settings, FEATURES)
    assert [t.id for t in teams.teams] == ["shenzhen-ops"]

    (target / "team.yml").write_text("id: ours\n", encoding="utf-8")
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 2
    assert f"{target / 'team.yml'} already exists" in " ".join(again.output.split())
    assert (target / "team.yml").read_text(encoding="utf-8") == "id: ours\n"


# Ids as a real workspace has them, for the example team.yml's placeholders.
REAL_IDS = {
    "T0DEMO": "T07QCRPA4",
    "U0MANAGER": "U07MGR0001",
    "U0SELECT": "U07SEL0002",
    "U0BUYER": "U07BUY0003",
    "U0MARKET": "U07MKT0004",
    "U0CS": "U07CS00005",
    "U0WAREHOUSE": "U07WH00006",
    "U0FINANCE": "U07FIN0007",
    "U0ANALYST": "U07ANA0008",
    "C0OPS": "C07OPS0001",
    "C0PURCHASING": "C07PUR0002",
    "C0MARKETING": "C07MKT0003",
    "C0MANAGER": "G07MGR0004",
    "C0DATA": "C07DAT0005",
    "C0LAUNCHES": "C07LAU0006",
}


def _real_team(playbooks_dir: Path) -> None:
    team = playbooks_dir / "team.yml"
    text = team.read_text(encoding="utf-8")
    for placeholder, real in sorted(REAL_IDS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"\b{placeholder}\b", real, text)
    team.write_text(text, encoding="utf-8")


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    slack = SlackEmulator("xoxb-real", team_id="T07QCRPA4").start()
    try:
        yield slack
    finally:
        slack.stop()


def _doctor_slack(monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path, emulator: SlackEmulator) -> str:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    monkeypatch.setenv("SLACK_API_URL", emulator.api_url)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(cli, ["doctor", "--slack"])
    assert "Traceback" not in result.output
    return f"{result.exit_code}\n{result.output}"


def test_doctor_slack_fails_on_missing_credentials_and_the_examples_placeholder_ids(
    monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path, emulator: SlackEmulator
) -> None:
    output = _doctor_slack(monkeypatch, playbooks_dir, emulator)
    assert output.startswith("1\n")
    assert "✗ credentials: SLACK_BOT_TOKEN is not set" in output and "SLACK_SIGNING_SECRET is not set" in output
    assert "✗ team ids: team.yml still holds the example's ids" in output
    for placeholder in ("T0DEMO", "U0MANAGER", "C0OPS"):
        assert placeholder in output
    # Without --slack the same ids are fine: the console and the demo run on them.
    assert runner.invoke(cli, ["doctor"]).exit_code == 0


def test_doctor_slack_fails_on_the_example_envs_placeholder_token(
    monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path, emulator: SlackEmulator
) -> None:
    from tests.conftest import REPO

    example = dict(
        line.split("=", 1)
        for line in (REPO / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    _real_team(playbooks_dir)
    monkeypatch.setenv("SLACK_BOT_TOKEN", example["SLACK_BOT_TOKEN"])
    monkeypatch.setenv("SLACK_SIGNING_SECRET", example["SLACK_SIGNING_SECRET"])
    output = _doctor_slack(monkeypatch, playbooks_dir, emulator)
    assert output.startswith("1\n")
    assert "✗ credentials: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET still hold the example's placeholder" in output


def test_doctor_slack_checks_the_token_its_scopes_and_the_channels_the_bot_is_in(
    monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path, emulator: SlackEmulator
) -> None:
    from bot.console.slack_state import Channel
    from bot.manifest import bot_scopes
    from bot.wiring import FEATURES

    _real_team(playbooks_dir)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-real")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "a-real-secret")
    needed = bot_scopes(FEATURES)
    emulator.granted_scopes = tuple(s for s in needed if s != "usergroups:read")
    for placeholder, real in REAL_IDS.items():
        if placeholder.startswith("C0"):
            emulator.add_channel(Channel(real, placeholder[2:].lower(), is_private=real.startswith("G")))
    emulator.channel(REAL_IDS["C0DATA"]).bot_in = False  # public: the bot can join it itself
    emulator.channel(REAL_IDS["C0MANAGER"]).bot_in = False  # private: someone must invite it
    output = _doctor_slack(monkeypatch, playbooks_dir, emulator)
    assert output.startswith("1\n"), output
    assert "✓ credentials" in output and "✓ team ids" in output
    assert "✓ slack: auth.test ok: bot opsbot in Opsbot Demo" in output
    assert "✗ scopes: the app was not granted usergroups:read" in output
    assert "reinstall it from the output of `opsbot manifest`" in output
    channels = next(line for line in output.splitlines() if "channels" in line)
    assert channels.startswith("✗ channels:")
    assert "not in #data (it joins public channels itself when it starts)" in channels
    assert "not in the private #manager: type /invite @Opsbot in #manager" in channels
    assert "#ops" not in channels

    emulator.granted_scopes = tuple(needed)
    emulator.channel(REAL_IDS["C0DATA"]).bot_in = True
    emulator.channel(REAL_IDS["C0MANAGER"]).bot_in = True
    fixed = _doctor_slack(monkeypatch, playbooks_dir, emulator)
    assert fixed.startswith("0\n"), fixed
    assert "✓ channels: the bot is in all 6 channels" in fixed


def test_the_demos_digest_moves_and_alerts_as_its_data_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's Sunday against its Saturday, computed here from the demo's own sales file."""
    import csv

    from bot.console.repl import DEMO_DATA

    monkeypatch.chdir(tmp_path)
    rows = []
    for path in DEMO_DATA.glob("sales-*-us.csv"):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    units = {day: sum(int(r["units"]) for r in rows if r["date"] == day) for day in ("2026-11-21", "2026-11-22")}
    change = (units["2026-11-22"] - units["2026-11-21"]) / units["2026-11-21"]
    assert round(abs(change) * 100) != 0, "the demo's last two days differ"
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    digest = result.output[result.output.index("Morning KPIs") :]
    lines = digest.splitlines()
    at = lines.index(f"  *Units* {units['2026-11-22']}")
    arrow = "▲" if change > 0 else "▼"
    assert lines[at + 1].startswith(f"  {arrow} {round(abs(change) * 100)}% vs. the day before"), lines[at + 1]
    alerts = lines[lines.index("  *Alerts*") + 1 :]
    assert alerts[0].startswith("  US"), "at least one alert"
    assert any("ACoS" in line for line in alerts[:6]), "the loss-making campaign shows"


def test_the_shipped_demo_data_is_what_its_seeded_generator_writes(tmp_path: Path) -> None:
    from bot.console.repl import DEMO_DATA
    from tests.support.demo_data import main

    main(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in DEMO_DATA.glob("*.csv"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (DEMO_DATA / name).read_bytes(), name


def test_the_demos_sea_shipment_takes_weeks_from_ordered_to_received(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-1 is ordered on the demo's Monday, shipped by sea on Tuesday and received in January: each step on the
    day the demo's clock says, and the demo ends with the request received."""
    from datetime import date

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    day: date | None = None
    steps: dict[str, date] = {}
    for line in result.output.splitlines():
        clock = re.match(r"⏰ \w{3} (\d{4}-\d{2}-\d{2}) ", line)
        if clock:
            day = date.fromisoformat(clock.group(1))
        state = re.search(r"Restock R-1 · (\w+) ══", line)
        if state and state.group(1) not in steps:
            steps[state.group(1)] = day or date(2026, 11, 23)  # before the first !at: the demo's Monday
    assert list(steps) == ["requested", "approved", "ordered", "shipped", "received"], steps
    assert steps["ordered"] == date(2026, 11, 23) and steps["shipped"] == date(2026, 11, 24)
    # By sea: 30 days of freight, customs and receiving after it left (restock.yml's Shenzhen Lighting).
    assert (steps["received"] - steps["shipped"]).days >= 30 + 3
    assert "Shipped by COSCO (sea)" in result.output
    last = [m.group(1) for m in re.finditer(r"Restock R-1 · (\w+) ══", result.output)][-1]
    assert last == "received"
