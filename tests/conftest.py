"""Shared fixtures: a real SQLite file per test, the console harness, a frozen clock."""

from __future__ import annotations

import gc
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.console.session import WORKSPACE_FILE, ConsoleSlack
from bot.db import Database
from bot.db.migrate import upgrade
from tests.support.speed import migrate_from_a_template, remember_yaml

# Pure work done once per test process instead of once per test (tests/support/speed.py says why it is the same).
remember_yaml()
migrate_from_a_template()

REPO = Path(__file__).resolve().parent.parent
PLAYBOOKS = REPO / "playbooks"
# Monday 2026-11-23, 09:00 in Shenzhen: the morning every scenario starts from unless it says otherwise.
MONDAY_9AM_SHENZHEN = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything imported by now (the bot, pandas, matplotlib, SQLAlchemy, Bolt, every test module) lives until
    the end: set aside from the cyclic garbage collector, whose full collections otherwise walk those hundreds
    of thousands of objects again and again (about a sixth of the CPU of a console test, and pauses long enough,
    holding the interpreter lock mid-transaction, to run SQLite's 5 s lock wait out on a loaded machine)."""
    gc.freeze()


@pytest.fixture
def playbooks_dir(tmp_path: Path) -> Path:
    """A private copy of the repository's playbooks that a test may edit."""
    target = tmp_path / "playbooks"
    shutil.copytree(PLAYBOOKS, target)
    return target


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'opsbot.sqlite3'}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The test's own SQLite database, migrated to the head."""
    yield from _migrated(database_url)


@pytest.fixture(params=["database_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def database_on_both(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The same, once on SQLite and once on PostgreSQL: a module whose promises are the databases' (locks,
    RETURNING, leases) overrides ``database`` with this one."""
    yield from _migrated(request.getfixturevalue(request.param))


def _migrated(url: str) -> Iterator[Database]:
    db = Database(url)
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def console(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The real Bolt app driven through the Slack emulator, the clock frozen at Monday 09:00 Shenzhen."""
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def speak(playbooks_dir: Path, language: str, workspace_file: Path | None = None) -> None:
    """Set the team's language in its team.yml; with ``workspace_file``, write there a Slack workspace whose people
    all have that locale too (an English team's people read en-US)."""
    team_file = playbooks_dir / "team.yml"
    team = yaml.safe_load(team_file.read_text(encoding="utf-8"))
    team["language"] = language
    team_file.write_text(yaml.safe_dump(team, allow_unicode=True), encoding="utf-8")
    if workspace_file is not None:
        workspace = yaml.safe_load(WORKSPACE_FILE.read_text(encoding="utf-8"))
        for user in workspace["users"]:
            user["locale"] = "en-US" if language == "en" else language
        workspace_file.write_text(yaml.safe_dump(workspace, allow_unicode=True), encoding="utf-8")


def _team_speaking(language: str, playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    speak(playbooks_dir, language)
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


@pytest.fixture
def chinese_team(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The console with the team's language set to Simplified Chinese (channel posts in Chinese too)."""
    yield from _team_speaking("zh-CN", playbooks_dir, database_url)


@pytest.fixture
def taiwan_team(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The console with the team's language set to Traditional Chinese as written in Taiwan."""
    yield from _team_speaking("zh-TW", playbooks_dir, database_url)


Speakers = Callable[[str], ConsoleSlack]


@pytest.fixture
def speakers(playbooks_dir: Path, tmp_path: Path) -> Iterator[Speakers]:
    """``speakers("zh-TW")``: the team's language and every person's Slack locale set to it."""
    opened: list[ConsoleSlack] = []

    def start(language: str) -> ConsoleSlack:
        workspace_file = tmp_path / f"workspace-{language}.yml"
        speak(playbooks_dir, language, workspace_file)
        slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=f"sqlite:///{tmp_path / language}.sqlite3",
                             start=MONDAY_9AM_SHENZHEN, workspace_file=workspace_file)
        opened.append(slack)
        return slack

    yield start
    for slack in opened:
        slack.close()


def _went_wrong_prefixes() -> tuple[str, ...]:
    """How "Something went wrong (ref …)" begins in every language Opsbot speaks, read from its catalogs.

    The text up to the reference's bracket is what stays put when the sentence around the ref is reworded.
    """
    from babel.messages.pofile import read_po

    msgid = "Something went wrong (ref {ref}). Please try again; if it keeps happening, give your admin this ref."
    translations = [msgid]
    for po in sorted((REPO / "bot" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            message = read_po(handle).get(msgid)
        if message is not None and message.string:
            translations.append(str(message.string))
    prefixes = tuple(dict.fromkeys(re.split(r"[(（]", text, maxsplit=1)[0].strip() for text in translations))
    assert len(prefixes) > 1 and all(prefixes), f"the error reply's translations were not found: {prefixes}"
    return prefixes


SOMETHING_WENT_WRONG = _went_wrong_prefixes()


def converse(console: ConsoleSlack, transcript: list[tuple[str, list[str]]]) -> str:
    """Play a chat transcript: each step's line is sent and every expected snippet must appear in what it showed.

    Every step says what the person sees: a step expecting nothing fails. A gesture that shows nothing in Slack
    by itself (``!as``, ``!in``, ``!fill``) shares a step with the line whose answer it shapes — a step's line may
    hold several console lines, one per line, and its snippets are looked for in what they showed together.
    A step fails too when Opsbot answered "Something went wrong", in any of its languages: that is a bug, never
    an expected answer.

    Returns the whole transcript so a test can make further assertions on it.
    """
    shown: list[str] = []
    for line, expected in transcript:
        output = "\n".join(console.send(part) for part in line.splitlines())
        shown.append(f"» {line}\n{output}")
        for prefix in SOMETHING_WENT_WRONG:
            assert prefix not in output, f"after {line!r} Opsbot answered {prefix!r}, a bug:\n{output}"
        assert expected, f"the step {line!r} states nothing the user sees; it showed:\n{output}"
        for snippet in expected:
            assert snippet in output, f"after {line!r} expected {snippet!r} in:\n{output}"
    return "\n".join(shown)


def _postgres_server_url() -> str:
    import os

    return os.environ.get("OPSBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database on the local server, dropped afterwards.

    On a laptop without the server the test skips; CI sets OPSBOT_REQUIRE_POSTGRES=1, which turns a
    missing server into a failure so these tests can never silently not run there.
    """
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    admin = create_engine(_postgres_server_url(), isolation_level="AUTOCOMMIT")
    name = f"opsbot_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("OPSBOT_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"no PostgreSQL server at {_postgres_server_url()}: {exc.__class__.__name__}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
