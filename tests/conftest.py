"""Shared fixtures: a real SQLite file per test, the console harness, a frozen clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack

REPO = Path(__file__).resolve().parent.parent
PLAYBOOKS = REPO / "playbooks"
# Monday 2026-11-23, 09:00 in Shenzhen: the morning every scenario starts from unless it says otherwise.
MONDAY_9AM_SHENZHEN = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


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
def console(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The real Bolt app driven through the Slack emulator, the clock frozen at Monday 09:00 Shenzhen."""
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def converse(console: ConsoleSlack, transcript: list[tuple[str, list[str]]]) -> str:
    """Play a chat transcript: each line is sent and every expected snippet must appear in what it showed.

    Returns the whole transcript so a test can make further assertions on it.
    """
    shown: list[str] = []
    for line, expected in transcript:
        output = console.send(line)
        shown.append(f"» {line}\n{output}")
        for snippet in expected:
            assert snippet in output, f"after {line!r} expected {snippet!r} in:\n{output}"
    return "\n".join(shown)
