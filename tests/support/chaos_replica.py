"""One live Opsbot replica for the chaos test: migrates, ticks its scheduler and sends its outbox, as a process.

    python -m tests.support.chaos_replica DB_URL API_URL START WALL_START FIRES [HANG_AT]

Business time runs 60 times faster than the wall clock, from START at the wall instant WALL_START, the same for
every replica (so they agree on when a lease has run out): a once-a-minute job fires once a second, the
scheduler's 5-minute lease lasts 5 seconds. Each fire posts "fire HH:MM" through the real delivery service.
The replica ticks every 15 business seconds until a lease after the last fire, then sends what its outbox
holds. With HANG_AT it blocks for ever in that fire (after claiming it): the test kills it there, with -9.
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.db import Database
from bot.db.migrate import upgrade
from bot.delivery import Delivery
from bot.outbox import OutboxWorker
from bot.scheduler import LEASE, ScheduledJob, Scheduler

SPEED = 60  # business seconds per wall second


class FastClock:
    """Business time, 60 times the wall clock's pace, the same in every replica process."""

    def __init__(self, start: datetime, wall_start: float) -> None:
        self.start, self.wall_start = start, wall_start

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.time() - self.wall_start) * SPEED)


def main(argv: list[str]) -> None:
    db_url, api_url, start, wall_start, fires = argv[:5]
    hang_at = int(argv[5]) if len(argv) > 5 else None
    database = Database(db_url)
    upgrade(database.engine)  # three replicas started together on a fresh database: one migrates, under a lock
    clock = FastClock(datetime.fromisoformat(start).astimezone(UTC), float(wall_start))
    delivery = Delivery(WebClient(token="xoxb-replicas", base_url=api_url, timeout=5), database, pace_seconds=0)
    senders = OutboxWorker(delivery.outbox, senders=2, idle_seconds=0.2)
    if hang_at is None:
        # The doomed one sends only as it commits (its tick thread), so at the kill it holds no conversation:
        # the others need not wait out a sender's 90-second lease (a kill mid-send: tests/test_outbox_crash.py).
        senders.start()
    count = 0
    lock = threading.Lock()

    def post(fire: datetime) -> None:
        nonlocal count
        with lock:
            count += 1
            mine = count
        if hang_at is not None and mine == hang_at:
            threading.Event().wait()  # never returns: killed here, its claim unfinished
        delivery.post("C0OPS", f"fire {fire:%H:%M}")

    first = clock.start
    job = ScheduledJob(id="chaos.minutely", team_id="T0DEMO", run=post,
                       trigger=CronTrigger(minute="*", timezone="UTC", start_date=first + timedelta(seconds=1),
                                           end_date=first + timedelta(minutes=int(fires))))
    scheduler = Scheduler(database, clock, lambda: [job], workers=1)
    until = first + timedelta(minutes=int(fires)) + LEASE * 2
    while clock.now() < until:
        scheduler.tick()
        time.sleep(15 / SPEED)
    senders.stop()
    if not delivery.outbox.drain(timeout=90):
        raise SystemExit("outbox not empty")


if __name__ == "__main__":
    main(sys.argv[1:])
