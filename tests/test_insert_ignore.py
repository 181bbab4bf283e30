"""``insert_ignore`` says whether it inserted from the row RETURNING gives back, on SQLite and on PostgreSQL.

It used to read the cursor's rowcount, which a driver may leave at -1; a duplicate then read as "not
inserted" only by luck. Its callers rely on the answer: a link made once (a second click links nothing), an
outbox lane made once, a scheduled fire claimed once.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select

from bot.clock import FrozenClock
from bot.db import Database
from bot.db import links as link_store
from bot.db.base import insert_ignore
from bot.db.core import JobFire
from bot.db.outbox import OutboxLane
from bot.ops.links import Ref
from bot.scheduler import ScheduledJob, Scheduler

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def count(database: Database, table: type[OutboxLane] | type[JobFire] | type[link_store.LinkRow]) -> int:
    with database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_duplicate_reports_not_inserted_and_leaves_the_transaction_usable(database: Database) -> None:
    with database.transaction() as session:
        assert insert_ignore(session, OutboxLane, lane="C0OPS") is True
        assert insert_ignore(session, OutboxLane, lane="C0OPS") is False
        assert insert_ignore(session, OutboxLane, lane="D0BUYER") is True  # the same transaction goes on
    with database.transaction() as session:
        assert insert_ignore(session, OutboxLane, lane="C0OPS") is False  # committed by another transaction
    assert count(database, OutboxLane) == 2


def test_a_second_click_links_nothing_twice(database: Database) -> None:
    with database.transaction() as session:
        assert link_store.add(session, "shenzhen-ops", Ref("feedback", 12), Ref("restock", 3), by="U0BUYER", at=AT)
    with database.transaction() as session:
        assert not link_store.add(session, "shenzhen-ops", Ref("feedback", 12), Ref("restock", 3), by="U0BUYER", at=AT)
    assert count(database, link_store.LinkRow) == 1


def test_a_fire_is_claimed_by_one_scheduler_of_three(database: Database) -> None:
    job = ScheduledJob(id="test.once", team_id="T0DEMO", trigger=CronTrigger(hour=1, timezone="UTC"),
                       run=lambda _fire: None)
    schedulers = [Scheduler(database, FrozenClock(AT), lambda: [job]) for _ in range(3)]
    assert [s.claim(job, AT) for s in schedulers] == [True, False, False]
    assert count(database, JobFire) == 1
