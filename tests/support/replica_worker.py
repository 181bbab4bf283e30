"""One Opsbot replica's scheduler, as its own process, for the multi-replica tests.

    python -m tests.support.replica_worker DB_URL API_URL SINCE UNTIL NOW [HANG_AT]

Runs every fire of a once-a-minute job in (SINCE, UNTIL] with the clock frozen at NOW; each fire
posts "fire HH:MM" through the real delivery service. With HANG_AT, the job blocks forever on that
fire number — the test kills the process there, as a crash would.
"""

from __future__ import annotations

import sys
import threading
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.clock import FrozenClock
from bot.db import Database
from bot.delivery import Delivery
from bot.scheduler import ScheduledJob, Scheduler


def main(argv: list[str]) -> None:
    db_url, api_url, since, until, now = argv[:5]
    hang_at = int(argv[5]) if len(argv) > 5 else None
    database = Database(db_url)
    delivery = Delivery(WebClient(token="xoxb-replicas", base_url=api_url), database, pace_seconds=0)
    count = 0

    def post(fire: datetime) -> None:
        nonlocal count
        count += 1
        if hang_at is not None and count == hang_at:
            threading.Event().wait()  # never returns: the process is killed here
        delivery.post("C0OPS", f"fire {fire:%H:%M}")

    job = ScheduledJob(id="replica.minutely", team_id="T0DEMO", trigger=CronTrigger(minute="*", timezone="UTC"),
                       run=post)
    scheduler = Scheduler(database, FrozenClock(datetime.fromisoformat(now)), lambda: [job])
    scheduler.run_due(datetime.fromisoformat(since), datetime.fromisoformat(until), catch_up=False)
    # What another replica's sender held when this one finished is theirs to send; what is left is ours.
    if not delivery.outbox.drain(timeout=60):
        raise SystemExit("outbox not empty")


if __name__ == "__main__":
    main(sys.argv[1:])
