"""Several replica processes on one PostgreSQL: every fire posted exactly once, even through a kill -9."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.console.emulator import SlackEmulator
from bot.db import Database
from bot.db.core import JobFire
from bot.db.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
END = START + timedelta(minutes=100)  # 100 once-a-minute fires in (START, END]


def replica(db_url: str, emulator: SlackEmulator, now: datetime, hang_at: int | None = None) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "tests.support.replica_worker", db_url, emulator.api_url,
            START.isoformat(), END.isoformat(), now.isoformat()]
    return subprocess.Popen([*args, *([str(hang_at)] if hang_at else [])], cwd=REPO)


def posts(emulator: SlackEmulator) -> Counter[str]:
    return Counter(r.text for r in emulator.records if r.kind == "message")


def claimed(database: Database) -> int:
    with database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(JobFire)) or 0)


@pytest.fixture
def emulator() -> SlackEmulator:
    slack = SlackEmulator("xoxb-replicas").start()
    yield slack  # type: ignore[misc]
    slack.stop()


@pytest.mark.postgres
def test_three_replicas_post_100_fires_exactly_100_times(postgres_url: str, emulator: SlackEmulator) -> None:
    upgrade(Database(postgres_url).engine)
    replicas = [replica(postgres_url, emulator, END) for _ in range(3)]
    assert [p.wait(120) for p in replicas] == [0, 0, 0]
    posted = posts(emulator)
    assert len(posted) == 100
    assert set(posted.values()) == {1}


@pytest.mark.postgres
def test_a_replica_killed_mid_run_loses_nothing_and_doubles_nothing(postgres_url: str, emulator: SlackEmulator) -> None:
    database = Database(postgres_url)
    upgrade(database.engine)
    doomed = replica(postgres_url, emulator, END, hang_at=51)
    deadline = time.monotonic() + 120
    while claimed(database) < 51 and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the replica to claim fire 51, where it hangs
    assert claimed(database) == 51 and sum(posts(emulator).values()) == 50
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(10)
    # A replica coming up after the dead one's lease has run out takes over its unfinished fire.
    survivor = replica(postgres_url, emulator, END + timedelta(minutes=6))
    assert survivor.wait(120) == 0
    posted = posts(emulator)
    assert len(posted) == 100
    assert set(posted.values()) == {1}
