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
from sqlalchemy import func, or_, select

from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
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


@pytest.mark.postgres
def test_chaos_three_live_replicas_a_stormy_slack_and_a_kill_9_post_every_fire_exactly_once(
    postgres_url: str, emulator: SlackEmulator
) -> None:
    """Issue 17's chaos run, bounded: three replicas started together on a fresh database (one migrates, under
    a lock), Slack answering 30 % 429, 5 % 500 and losing 10 % of its answers, and one replica killed -9 with a
    fire claimed and unfinished. The live replicas take that fire over once its lease has run out (business
    time runs 60 times faster: a 5-minute lease is 5 seconds), and every fire reaches Slack exactly once."""
    emulator.faults = Faults(rate_limited=0.3, server_error=0.05, lost_answers=0.1, retry_after_seconds=1)
    fires = 40
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    wall_start = time.time() + 2  # all three start their business clocks at the same wall instant

    def chaos_replica(hang_at: int | None = None) -> subprocess.Popen[bytes]:
        args = [sys.executable, "-m", "tests.support.chaos_replica", postgres_url, emulator.api_url,
                start.isoformat(), str(wall_start), str(fires)]
        return subprocess.Popen([*args, *([str(hang_at)] if hang_at else [])], cwd=REPO)

    doomed = chaos_replica(hang_at=5)
    live = [chaos_replica(), chaos_replica()]
    database = Database(postgres_url)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not _hung(database, doomed.pid):
            time.sleep(0.1)  # waiting for the doomed replica to claim its fifth fire and hang there
        assert _hung(database, doomed.pid), "the doomed replica never claimed its fifth fire"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        assert [p.wait(240) for p in live] == [0, 0]
    finally:
        for process in (doomed, *live):
            if process.poll() is None:
                process.kill()
        database.dispose()
    posted = posts(emulator)
    expected = {f"fire {start + timedelta(minutes=n):%H:%M}" for n in range(1, fires + 1)}
    assert set(posted) == expected, sorted(set(posted) ^ expected)
    assert set(posted.values()) == {1}, [text for text, n in posted.items() if n > 1]


def _hung(database: Database, pid: int) -> bool:
    """The replica with this pid holds a claim it has not finished (it hangs in the job)."""
    try:
        with database.transaction() as session:
            return bool(session.scalar(select(func.count()).select_from(JobFire).where(
                or_(JobFire.claimed_by.like(f"%:{pid}"), JobFire.claimed_by.like(f"%:{pid}:%")),
                JobFire.finished_at.is_(None))))
    except Exception:  # the tables are not there yet: the replicas are still migrating
        return False
