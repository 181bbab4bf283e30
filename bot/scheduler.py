"""Scheduled work: APScheduler's tz-aware cron triggers, each fire claimed once in the database.

Every fire goes through :meth:`Scheduler.run_due`: the background ticker (a short APScheduler
interval job), the console's ``!at``, and the tests. A fire is acted on only by whoever inserts its
``(job_id, fire_time)`` row first, so several replicas, a restart or a catch-up never act twice.

A claim is a lease, renewed while its job runs. A claim left unfinished past its lease (the claimant was
killed, or lost the database mid-run) is found by every live replica's next tick, however long ago that
replica's own window moved on, and taken over by exactly one of them: the takeover is an update that only
succeeds while the lease is still expired, so a second replica — or the first claimant, merely slow and
back — finds it held and runs nothing. The fire taken over writes the same outbox keys as its first run, so
what that one had already committed is not sent twice. A tick that cannot reach the database does not move
its window, so fires missed during an outage are caught up once when it is back; a fire older than its
job's grace window is let go rather than sent a day late.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from itertools import groupby

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update

from bot.clock import Clock, FrozenClock
from bot.db import Database
from bot.db.base import insert_ignore
from bot.db.core import JobFire
from bot.observability import SCHEDULED_FIRES
from bot.outbox import keyed
from bot.outbox.work import is_database_down

log = logging.getLogger(__name__)
_TICK = timedelta(microseconds=1)
# How long a claimed fire may stay unfinished before another replica assumes its claimant died.
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class ScheduledJob:
    id: str  # stable across restarts and replicas, e.g. "kpi.digest:shenzhen-ops"
    team_id: str
    trigger: BaseTrigger
    run: Callable[[datetime], None]  # receives the fire time it stands for
    grace: timedelta = timedelta(hours=1)


def daily(
    name: str, team_id: str, zone: tzinfo, at: time | None, run: Callable[[datetime], None], *,
    grace: timedelta, days: Iterable[str] | None = None, key: str | None = None,
) -> ScheduledJob:
    """A job at ``at`` (or at the top of every hour when None) in ``zone``, on ``days`` ("mon", "tue"…; every
    day when None): the shape every feature's team jobs take. Its id is ``name:team`` (``:key`` for one of
    several per team, e.g. a person's prompt), stable across restarts and replicas."""
    trigger = CronTrigger(hour=at.hour if at else None, minute=at.minute if at else 0, timezone=zone,
                          day_of_week=",".join(days) if days is not None else None)
    job_id = f"{name}:{team_id}" + (f":{key}" if key else "")
    return ScheduledJob(id=job_id, team_id=team_id, trigger=trigger, run=run, grace=grace)


# What a job runs inside (its team's Slack workspace); it yields False when the job must not run now.
JobContext = Callable[[ScheduledJob], AbstractContextManager[bool]]
# Told of a job's failure first; True when it was expected and dealt with (no traceback in the log).
JobFailed = Callable[[ScheduledJob, Exception], bool]


def fire_times(trigger: BaseTrigger, since: datetime, until: datetime) -> Iterator[datetime]:
    """Fire times in (since, until], in order."""
    fire: datetime | None = trigger.get_next_fire_time(None, since + _TICK)
    while fire is not None and fire <= until:
        yield fire
        fire = trigger.get_next_fire_time(fire, fire + _TICK)


class Scheduler:
    def __init__(
        self, db: Database, clock: Clock, jobs: Callable[[], list[ScheduledJob]], *, lease: timedelta = LEASE,
        workers: int = 8, job_context: JobContext | None = None, job_failed: JobFailed | None = None,
        owed: Callable[[], None] | None = None,
    ) -> None:
        # What dead processes owed after a form's answer, taken over by every tick (the wiring's take_over_owed).
        self._owed: Callable[[], None] = owed or (lambda: None)
        self._db = db
        self._job_context: JobContext = job_context or (lambda _job: nullcontext(True))
        self._job_failed: JobFailed = job_failed or (lambda _job, _error: False)
        self.workers = workers
        self._lease = lease
        self._clock = clock
        self._jobs = jobs
        # Unique per scheduler, not per process: two in one process (the tests' replicas) are two claimants.
        self._node = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._last_tick: datetime | None = None
        self._background: BackgroundScheduler | None = None
        self._held: set[tuple[str, datetime]] = set()
        self._held_lock = threading.Lock()
        self._database_down = False
        self._stopped = 0  # database outages met so far, by a tick or by a job

    def claim(self, job: ScheduledJob, fire_time: datetime) -> bool:
        """True for exactly one claimant of (job, fire time) — or for whoever takes over a dead one's lease."""
        now = self._clock.now()
        with self._db.transaction() as session:
            if insert_ignore(session, JobFire, team_id=job.team_id, job_id=job.id, fire_time=fire_time,
                             claimed_at=now, claimed_by=self._node):
                return True
        return self._take_over(job, fire_time, now)

    def _take_over(self, job: ScheduledJob, fire_time: datetime, now: datetime) -> bool:
        # Someone claimed it. If they never finished and their lease ran out, they died mid-run (a crash,
        # kill -9): take it over. The conditions are in the update itself and the row comes back only to the
        # one replica whose update matched, so two live replicas, or the claimant back from a long pause,
        # cannot both win (a cursor's rowcount is not trusted for this: some drivers leave it at -1).
        with self._db.transaction() as session:
            taken = session.execute(
                update(JobFire)
                .where(
                    JobFire.job_id == job.id, JobFire.fire_time == fire_time,
                    JobFire.finished_at.is_(None), JobFire.claimed_at < now - self._lease,
                )
                .values(claimed_at=now, claimed_by=self._node)
                .returning(JobFire.claimed_by)
            ).first()
        if taken is not None:
            log.warning("took over %s for %s: its claimant did not finish within its lease", job.id,
                        fire_time.isoformat())
        return taken is not None

    def orphaned(self) -> list[tuple[datetime, ScheduledJob]]:
        """Fires claimed, left unfinished past their lease and still within their job's grace (counted from
        when the lease ran out): what a dead replica leaves behind, as (fire, job) in order."""
        now = self._clock.now()
        jobs = {job.id: job for job in self._jobs()}
        if not jobs:
            return []
        widest = max(job.grace for job in jobs.values()) + self._lease
        with self._db.transaction() as session:
            rows = session.execute(
                select(JobFire.job_id, JobFire.fire_time).where(
                    JobFire.finished_at.is_(None), JobFire.claimed_at < now - self._lease,
                    JobFire.fire_time >= now - widest,
                )
            ).all()
        found: list[tuple[datetime, ScheduledJob]] = []
        for job_id, stored in rows:
            job = jobs.get(job_id)
            if job is None or stored < now - job.grace - self._lease:
                continue
            # The fire as the job's trigger gives it (in its zone), not as the database stored it (UTC): the
            # outbox keys are made from it, and must be the ones the dead claimant wrote.
            fire = next(fire_times(job.trigger, stored - _TICK, stored), None)
            if fire is not None:
                found.append((fire, job))
        return sorted(found, key=lambda pair: (pair[0], pair[1].id))

    def _finish(self, job: ScheduledJob, fire_time: datetime) -> None:
        # Only while this replica still holds it: one that was taken over from it is the new holder's to finish.
        with self._db.transaction() as session:
            session.execute(
                update(JobFire)
                .where(JobFire.job_id == job.id, JobFire.fire_time == fire_time, JobFire.claimed_by == self._node)
                .values(finished_at=self._clock.now())
            )

    def renew(self) -> None:
        """Keep the leases of the fires this replica is running (a thousand DMs may take longer than one)."""
        with self._held_lock:
            held = list(self._held)
        if not held:
            return
        now = self._clock.now()
        with self._db.transaction() as session:
            for job_id, fire_time in held:
                session.execute(
                    update(JobFire)
                    .where(JobFire.job_id == job_id, JobFire.fire_time == fire_time,
                           JobFire.claimed_by == self._node, JobFire.finished_at.is_(None))
                    .values(claimed_at=now)
                )

    def run_due(self, since: datetime, until: datetime, *, catch_up: bool = True) -> list[tuple[str, datetime]]:
        """Run every fire in (since, until] not yet claimed; returns what ran, in order.

        With ``catch_up`` a fire older than its job's grace window (measured from ``until``) is
        skipped: the bot was down and the moment has passed.
        """
        due = sorted(
            ((fire, job) for job in self._jobs() for fire in fire_times(job.trigger, since, until)),
            key=lambda pair: (pair[0], pair[1].id),
        )
        due = [(fire, job) for fire, job in due if not (catch_up and fire < until - job.grace)]
        return self._run(due)

    def _run(self, due: list[tuple[datetime, ScheduledJob]]) -> list[tuple[str, datetime]]:
        # Fires of the same moment (a thousand members prompted at 09:30) go out side by side, so one
        # rate-limited DM waiting out its Retry-After does not hold up everyone after it.
        ran: list[tuple[str, datetime]] = []
        for moment, group in groupby(due, key=lambda pair: pair[0]):
            batch = [job for _, job in group]
            if len(batch) == 1 or self.workers == 1:
                results = [self._claim_and_run(job, moment) for job in batch]
            else:
                with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="opsbot-job") as pool:
                    results = list(pool.map(lambda job, at=moment: self._claim_and_run(job, at), batch))
            ran += [(job.id, moment) for job, done in zip(batch, results, strict=True) if done]
        return ran

    def _claim_and_run(self, job: ScheduledJob, fire: datetime) -> bool:
        # Entered in the worker thread itself: a thread pool does not carry context variables across.
        with self._job_context(job) as runnable:
            # Not runnable here (its workspace is not installed): not claimed either, so it leaves no
            # trace and a replica that can run it still may.
            if not runnable or not self.claim(job, fire):
                return False
            SCHEDULED_FIRES.inc()
            with self._held_lock:
                self._held.add((job.id, fire))
            try:
                # A fire taken over from a claimant that died writes the same outbox keys as it did: what that
                # one had already committed is not sent twice.
                with keyed(f"job:{job.id}@{fire.isoformat()}"):
                    job.run(fire)
            except Exception as error:
                if is_database_down(error):
                    # Not finished: its lease runs out and a live replica (this one, once the database is
                    # back) runs it then, once. One line for the outage, not one per member's prompt.
                    self._tell_database_down(error, f"{job.id} for {fire.isoformat()} stopped")
                    return True
                # Logged and let go: a job that fails is not retried into a storm of duplicates.
                if not self._job_failed(job, error):
                    log.exception("scheduled job %s for %s failed", job.id, fire.isoformat())
            finally:
                with self._held_lock:
                    self._held.discard((job.id, fire))
            self._finish(job, fire)
            return True

    def advance_to(self, clock: FrozenClock, until: datetime) -> list[tuple[str, datetime]]:
        """Move a frozen clock forward fire by fire, running each job at its own moment (console ``!at``)."""
        since = clock.now()
        ran: list[tuple[str, datetime]] = []
        # The jobs and their fire times once for the whole stretch (a quarter's !at visits thousands of moments).
        due = sorted(
            ((fire, job) for job in self._jobs() for fire in fire_times(job.trigger, since, until)),
            key=lambda pair: (pair[0], pair[1].id),
        )
        for fire, group in groupby(due, key=lambda pair: pair[0]):
            clock.set(fire)
            ran += self._run(list(group))
        clock.set(until)
        self._owed()  # as the ticks in between would have: what a dead process owed, once its lease ran out
        return ran

    def tick(self) -> None:
        """Run what fell due since the last tick, then take over what dead replicas left unfinished (their fires,
        and what they owed after a form's answer). With the database away, the window stays where it was (one
        log line per outage): the next tick catches up."""
        now = self._clock.now()
        stopped = self._stopped
        try:
            # The jobs themselves may come from the database (a meeting's, a promotion's): inside, too.
            since = self._last_tick or now - max((j.grace for j in self._jobs()), default=timedelta(0))
            self.run_due(since, now)
            self._last_tick = now
            self._run(self.orphaned())
            self._owed()
        except Exception as error:
            if not is_database_down(error):
                raise
            self._tell_database_down(error, "fires wait until it is back")
            return
        with self._held_lock:  # the outage is over once a tick reached the database with no job stopped by it
            if self._stopped == stopped:
                self._database_down = False

    def _tell_database_down(self, error: BaseException, what: str) -> None:
        """One warning line per outage, whichever tick or job meets it first (a thousand prompts stopped at
        once are one outage); the next tick that reaches the database ends it."""
        with self._held_lock:
            told, self._database_down = self._database_down, True
            self._stopped += 1
        if not told:
            log.warning("scheduler: the database is unreachable (%s); %s", type(error).__name__, what)

    def start(self, every_seconds: int = 15) -> None:
        """Tick in a background thread; the first tick catches up on fires missed while down."""
        self._background = BackgroundScheduler(timezone="UTC")
        self._background.add_job(
            self.tick, IntervalTrigger(seconds=every_seconds), id="opsbot.tick",
            max_instances=1, coalesce=True, next_run_time=self._clock.now(),
        )
        self._background.add_job(
            self._keep_leases, IntervalTrigger(seconds=max(self._lease.total_seconds() / 3, 1)),
            id="opsbot.leases", max_instances=1, coalesce=True,
        )
        self._background.start()

    def _keep_leases(self) -> None:
        try:
            self.renew()
        except Exception as error:
            if not is_database_down(error):
                raise
            # The next renewal tries again; if the database stays away past the lease, the fire is taken
            # over (and its outbox keys keep what it committed from going twice).

    @property
    def running(self) -> bool:
        return self._background is not None and bool(self._background.running)

    def shutdown(self, wait: bool = False) -> None:
        """No new tick starts; with ``wait``, a tick at work is finished first (its fires would otherwise stop
        half-way when the process exits)."""
        if self._background is not None and self._background.running:
            self._background.shutdown(wait=wait)
