"""Scheduled fires: tz-aware cron triggers, each fire claimed once in the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.clock import FrozenClock
from bot.db import Database
from bot.db.migrate import upgrade
from bot.scheduler import LEASE, ScheduledJob, Scheduler, fire_times

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def nine_am(zone: ZoneInfo, ran: list[datetime], grace: timedelta = timedelta(hours=1)) -> ScheduledJob:
    return ScheduledJob(
        id=f"test.digest:{zone.key}", team_id="T0DEMO",
        trigger=CronTrigger(hour=9, minute=0, day_of_week="mon-fri", timezone=zone), run=ran.append, grace=grace,
    )


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def make(database: Database, clock: FrozenClock, jobs: list[ScheduledJob]) -> Scheduler:
    provider: Callable[[], list[ScheduledJob]] = lambda: jobs  # noqa: E731 - a tiny job provider
    return Scheduler(database, clock, provider)


def test_fire_times_follow_the_local_clock_across_the_eu_dst_change() -> None:
    trigger = CronTrigger(hour=9, minute=0, timezone=BERLIN)
    fires = list(fire_times(trigger, datetime(2026, 10, 23, 12, tzinfo=UTC), datetime(2026, 10, 27, 12, tzinfo=UTC)))
    # 24 Oct (summer time): 09:00 Berlin is 07:00 UTC. Clocks go back at 03:00 on Sunday 25 Oct, so from
    # that day's 09:00 on it is 08:00 UTC.
    assert [f.date().isoformat() for f in fires] == ["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]
    assert [f.astimezone(UTC).hour for f in fires] == [7, 8, 8, 8]
    assert all(f.astimezone(BERLIN).hour == 9 for f in fires)


def test_a_fire_runs_once_even_when_asked_twice(database: Database) -> None:
    ran: list[datetime] = []
    clock = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    scheduler = make(database, clock, [nine_am(SHANGHAI, ran)])
    since = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert len(scheduler.run_due(since, clock.now())) == 1
    assert scheduler.run_due(since, clock.now()) == []
    assert ran == [datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)]


def test_three_replicas_on_one_database_post_each_fire_exactly_once(database: Database) -> None:
    ran: list[datetime] = []
    clock = FrozenClock(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))
    replicas = [make(database, clock, [nine_am(SHANGHAI, ran, grace=timedelta(days=7))]) for _ in range(3)]
    since = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
    for replica in replicas:
        replica.run_due(since, clock.now())
    assert len(ran) == 5  # Monday to Friday, once each


def test_catch_up_after_downtime_runs_a_missed_fire_once_within_grace(database: Database) -> None:
    ran: list[datetime] = []
    # The bot was down at 09:00 and comes back at 09:40 Shanghai: within the hour's grace.
    clock = FrozenClock(datetime(2026, 11, 23, 9, 40, tzinfo=SHANGHAI))
    scheduler = make(database, clock, [nine_am(SHANGHAI, ran)])
    scheduler.tick()
    scheduler.tick()
    make(database, clock, [nine_am(SHANGHAI, ran)]).tick()  # a restart does not fire it again
    assert ran == [datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)]


def test_a_fire_long_gone_is_not_sent_late(database: Database) -> None:
    ran: list[datetime] = []
    clock = FrozenClock(datetime(2026, 11, 23, 14, 0, tzinfo=SHANGHAI))  # five hours late
    scheduler = make(database, clock, [nine_am(SHANGHAI, ran)])
    assert scheduler.run_due(datetime(2026, 11, 23, 0, 0, tzinfo=UTC), clock.now()) == []
    assert ran == []


def test_advancing_a_frozen_clock_runs_each_job_at_its_own_moment(database: Database) -> None:
    seen: list[tuple[str, datetime]] = []
    clock = FrozenClock(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))

    def job(zone: ZoneInfo) -> ScheduledJob:
        return ScheduledJob(
            id=f"test.prompt:{zone.key}", team_id="T0DEMO", trigger=CronTrigger(hour=9, minute=0, timezone=zone),
            run=lambda fire: seen.append((zone.key, clock.now())),
        )

    scheduler = make(database, clock, [job(SHANGHAI), job(BERLIN)])
    ran = scheduler.advance_to(clock, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert [job_id for job_id, _ in ran] == ["test.prompt:Asia/Shanghai", "test.prompt:Europe/Berlin"]
    assert seen == [
        ("Asia/Shanghai", datetime(2026, 11, 23, 1, 0, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
    ]
    assert clock.now() == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_failing_job_is_logged_and_the_others_still_run(database: Database, caplog: pytest.LogCaptureFixture) -> None:
    ran: list[datetime] = []

    def broken(fire: datetime) -> None:
        raise RuntimeError("report file missing")

    clock = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    jobs = [ScheduledJob(id="a.broken", team_id="T", trigger=CronTrigger(hour=9, timezone=SHANGHAI), run=broken),
            nine_am(SHANGHAI, ran)]
    make(database, clock, jobs).run_due(datetime(2026, 11, 23, 0, 0, tzinfo=UTC), clock.now())
    assert len(ran) == 1
    assert "scheduled job a.broken" in caplog.text


def test_a_claim_whose_holder_died_is_taken_over_after_its_lease(database: Database) -> None:
    ran: list[datetime] = []
    nine = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    job = nine_am(SHANGHAI, ran, grace=timedelta(hours=2))
    dead = make(database, FrozenClock(nine), [job])
    assert dead.claim(job, nine)  # ... and then the process was killed before it finished
    survivor_clock = FrozenClock(nine + timedelta(minutes=3))
    survivor = make(database, survivor_clock, [job])
    assert survivor.run_due(nine - timedelta(minutes=1), survivor_clock.now()) == []  # lease still running
    survivor_clock.set(nine + timedelta(minutes=6))
    assert survivor.run_due(nine - timedelta(minutes=1), survivor_clock.now()) == [(job.id, nine)]
    assert survivor.run_due(nine - timedelta(minutes=1), survivor_clock.now() + timedelta(minutes=30)) == []
    assert ran == [nine]


def test_a_live_replica_takes_over_a_dead_ones_fire_long_after_its_own_window_moved_on(database: Database) -> None:
    ran: list[datetime] = []
    nine = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    job = nine_am(SHANGHAI, ran)
    clock = FrozenClock(nine - timedelta(minutes=1))
    live = [make(database, clock, [job]) for _ in range(2)]
    for replica in live:
        replica.tick()  # both tick before nine...
    dead = make(database, FrozenClock(nine), [job])
    assert dead.claim(job, nine)  # ...a third claims nine o'clock and is killed
    clock.set(nine + timedelta(minutes=1))
    for replica in live:
        replica.tick()  # held: left alone
    clock.set(nine + LEASE + timedelta(seconds=15))
    for replica in live:
        replica.tick()  # their windows hold no fire; the expired claim is found and taken once
    clock.set(nine + LEASE + timedelta(minutes=2))
    for replica in live:
        replica.tick()
    assert ran == [nine]
    assert dead.tick() is None and ran == [nine]  # the killed one was only paused: back, it runs nothing


def test_a_takeover_is_won_by_one_replica_however_many_try_at_once(database: Database) -> None:
    ran: list[datetime] = []
    nine = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    job = nine_am(SHANGHAI, ran)
    assert make(database, FrozenClock(nine), [job]).claim(job, nine)
    later = FrozenClock(nine + LEASE + timedelta(seconds=1))
    replicas = [make(database, later, [job]) for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        won = list(pool.map(lambda replica: replica.claim(job, nine), replicas))
    assert won.count(True) == 1


def test_a_claim_found_after_its_grace_and_lease_is_let_go(database: Database) -> None:
    ran: list[datetime] = []
    nine = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    job = nine_am(SHANGHAI, ran)  # an hour's grace
    assert make(database, FrozenClock(nine), [job]).claim(job, nine)
    late = make(database, FrozenClock(nine + timedelta(hours=1) + LEASE + timedelta(minutes=1)), [job])
    assert late.orphaned() == []
    late.tick()
    assert ran == []


def test_fires_missed_while_the_database_was_away_are_caught_up_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[datetime] = []
    nine = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    database = Database(f"sqlite:///{tmp_path / 'opsbot.sqlite3'}")
    upgrade(database.engine)
    clock = FrozenClock(nine - timedelta(minutes=1))
    scheduler = make(database, clock, [nine_am(SHANGHAI, ran)])
    scheduler.tick()
    real_transaction = database.transaction

    def away() -> Iterator[Session]:
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    database.transaction = away  # type: ignore[method-assign]
    for minute in (1, 2, 3):
        clock.set(nine + timedelta(minutes=minute))
        scheduler.tick()  # one line in the log, not a traceback a tick
    assert ran == []
    assert caplog.text.count("database is unreachable") == 1
    database.transaction = real_transaction  # type: ignore[method-assign]
    clock.set(nine + timedelta(minutes=20))
    scheduler.tick()
    scheduler.tick()
    assert ran == [nine]


def test_a_job_cut_off_by_the_database_is_not_marked_done_and_runs_again_once(database: Database) -> None:
    attempts: list[datetime] = []
    nine = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)

    def cut_off_once(fire: datetime) -> None:
        attempts.append(fire)
        if len(attempts) == 1:
            raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))

    job = ScheduledJob(id="test.cut", team_id="T0DEMO", trigger=CronTrigger(hour=9, timezone=SHANGHAI),
                       run=cut_off_once)
    clock = FrozenClock(nine - timedelta(minutes=1))
    scheduler = make(database, clock, [job])
    scheduler.tick()
    clock.set(nine + timedelta(minutes=1))
    scheduler.tick()
    clock.set(nine + timedelta(minutes=1) + LEASE + timedelta(seconds=15))  # claimed at 09:01
    scheduler.tick()
    scheduler.tick()
    assert attempts == [nine, nine]
