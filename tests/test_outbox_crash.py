"""kill -9 the process that is sending: a restart sends what was pending, and nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.outbox import PENDING, SENT, OutboxMessage
from bot.outbox import LEASE

REPO = Path(__file__).resolve().parent.parent
COUNT = 40


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, database_url: str) -> str:
    url: str = request.getfixturevalue("postgres_url") if request.param == "postgres" else database_url
    database = Database(url)
    upgrade(database.engine)
    database.dispose()
    return url


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    slack = SlackEmulator("xoxb-outbox-crash").start()
    yield slack
    slack.stop()


def worker(db_url: str, emulator: SlackEmulator, *flags: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.support.outbox_worker", db_url, emulator.api_url,
                             str(COUNT), *flags], cwd=REPO)


def posted(emulator: SlackEmulator) -> Counter[str]:
    return Counter(r.text for r in emulator.records if r.kind == "message")


def count(db_url: str, state: str) -> int:
    database = Database(db_url)
    try:
        with database.transaction() as session:
            return int(session.scalar(select(func.count()).where(OutboxMessage.state == state)) or 0)
    finally:
        database.dispose()


def restart_after_the_lease(db_url: str, emulator: SlackEmulator) -> None:
    survivor = worker(db_url, emulator, "--ahead", str(LEASE.total_seconds() + 1))
    assert survivor.wait(60) == 0


def test_killed_between_slacks_answer_and_its_commit_the_message_is_not_posted_again(
    db_url: str, emulator: SlackEmulator
) -> None:
    doomed = worker(db_url, emulator, "--write", "--die-after-post", "7")
    assert doomed.wait(60) == -signal.SIGKILL
    assert sum(posted(emulator).values()) == 7
    assert count(db_url, SENT) == 6 and count(db_url, PENDING) == COUNT - 6  # the 7th: in Slack, not marked

    restart_after_the_lease(db_url, emulator)
    assert posted(emulator) == Counter({f"message {n}": 1 for n in range(COUNT)})
    assert count(db_url, SENT) == COUNT
    assert emulator.attempts.count("conversations.history") == 1  # the 7th was looked for, found, not resent


def test_killed_at_any_moment_while_sending_nothing_is_lost_or_doubled(db_url: str, emulator: SlackEmulator) -> None:
    emulator.faults = Faults(latency_seconds=0.02)  # each call takes a moment: the kill lands wherever it lands
    doomed = worker(db_url, emulator, "--write")
    deadline = time.monotonic() + 60
    while sum(posted(emulator).values()) < COUNT // 3 and time.monotonic() < deadline:
        time.sleep(0.005)  # watching for the moment to kill it, not waiting for a result
    doomed.send_signal(signal.SIGKILL)
    assert doomed.wait(10) == -signal.SIGKILL
    assert 0 < sum(posted(emulator).values()) < COUNT

    restart_after_the_lease(db_url, emulator)
    assert posted(emulator) == Counter({f"message {n}": 1 for n in range(COUNT)})
    assert count(db_url, SENT) == COUNT
