"""A replica killed after claiming a scheduled fire: a live replica takes it over once its lease has run out.

Issue 17 (chaos, item 2): six of forty reminders and a summary were lost, because a live replica only looks
at the window since its own last tick and never at another's unfinished claim. Here the real bot's stand-up
(prompts at 09:30, reminders at 10:30, the summary at 11:00 in Shenzhen) runs on a frozen clock, on SQLite
and on PostgreSQL; replica A claims the 10:30 and 11:00 fires and dies; replica B — the console's own
scheduler, ticking all along — sends each of them exactly once after the lease, and A, back from a long
pause, sends nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleSlack
from bot.db.core import JobFire
from bot.scheduler import LEASE, Scheduler, fire_times
from tests.conftest import MONDAY_9AM_SHENZHEN

SHENZHEN = ZoneInfo("Asia/Shanghai")
DATABASES = ["database_url", pytest.param("postgres_url", marks=pytest.mark.postgres)]


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=SHENZHEN)


def posted(console: ConsoleSlack) -> Counter[tuple[str | None, str]]:
    """Every message Slack shows, by conversation and text (a message posted twice counts 2)."""
    console.services.delivery.outbox.drain(timeout=10)
    return Counter((r.channel, r.text) for r in console.emulator.records if r.kind == "message")


def dies_after_claiming(console: ConsoleSlack, moment: datetime) -> list[str]:
    """Replica A: claims every fire due at ``moment`` and is killed before running any (never finishes)."""
    replica_a = Scheduler(console.services.db, console.clock, console.services.scheduled_jobs)
    due = [job for job in console.services.scheduled_jobs()
           if list(fire_times(job.trigger, moment - timedelta(minutes=1), moment)) == [moment]]
    assert due, f"nothing is due at {moment}"
    assert all(replica_a.claim(job, moment) for job in due)
    return [job.id for job in due]


@pytest.mark.parametrize("url", DATABASES)
def test_reminders_and_the_summary_claimed_by_a_dead_replica_reach_slack_once(
    request: pytest.FixtureRequest, url: str, playbooks_dir: object
) -> None:
    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=request.getfixturevalue(url),  # type: ignore[arg-type]
                           start=MONDAY_9AM_SHENZHEN)
    try:
        replica_b = console.services.scheduler
        clock = console.clock
        clock.set(at(10, 29))
        replica_b.tick()  # the morning so far: the 09:30 prompts went out (nobody answers)
        prompted = [channel for (channel, text), _ in posted(console).items() if channel and channel.startswith("D")]
        assert prompted, "nobody was prompted at 09:30"

        clock.set(at(10, 30))
        reminders = dies_after_claiming(console, at(10, 30))
        assert any(job.startswith("standup.reminder:") for job in reminders)
        before = posted(console)
        clock.set(at(10, 31))
        replica_b.tick()  # A's lease runs: B leaves its fires alone
        assert posted(console) == before

        clock.set(at(10, 30) + LEASE + timedelta(seconds=15))
        replica_b.tick()  # B's own window (10:31, now] has no fire in it: the takeover finds A's
        after_reminders = posted(console)
        new = after_reminders - before
        assert {channel for channel, _ in new} == set(prompted), "the reminders A claimed were lost"
        assert set(after_reminders.values()) == {1}, "a message reached Slack twice"

        clock.set(at(11, 0))
        dies_after_claiming(console, at(11, 0))
        clock.set(at(11, 0) + LEASE + timedelta(seconds=15))
        replica_b.tick()
        clock.set(at(11, 30))
        replica_b.tick()
        summaries = [text for (channel, text) in posted(console) if channel == "C0OPS" and "tand-up" in text]
        assert len(summaries) == 1, summaries

        # A was only paused, not killed: back, it ticks over the whole morning and sends nothing again.
        replica_a_back = Scheduler(console.services.db, clock, console.services.scheduled_jobs)
        replica_a_back.tick()
        replica_b.tick()
        final = posted(console)
        assert set(final.values()) == {1}
        with console.services.db.transaction() as session:
            unfinished = session.scalars(select(JobFire.job_id).where(JobFire.finished_at.is_(None))).all()
        assert unfinished == []
    finally:
        console.close()
