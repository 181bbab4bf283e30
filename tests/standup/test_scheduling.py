"""The stand-up's scheduled side with a frozen clock and a real SQLite file: DST, National Day, restarts.

What was sent is read back from the stand-up's own tables (each prompt's round date and fire time), so
the assertions are about the instant a person was asked, on their own clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.console.session import ConsoleSlack
from bot.db import standup as store
from bot.db.audit import history
from bot.handlers import standup
from bot.scheduler import Scheduler
from tests.conftest import converse

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sent(console: ConsoleSlack, kind: str, user: str = "") -> list[tuple[date, datetime]]:
    with console.services.db.transaction() as session:
        rows = session.scalars(
            select(store.StandupMessage)
            .where(store.StandupMessage.kind == kind, store.StandupMessage.user_id == user)
            .order_by(store.StandupMessage.sent_at)
        )
        return [(r.day, r.sent_at.astimezone(UTC)) for r in rows]


def standup_only(playbooks_dir: Path, database_url: str, start: datetime) -> ConsoleSlack:
    return ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=start,
                        features=(standup.FEATURE,))


def test_prompts_stay_at_0930_local_across_the_us_and_eu_spring_dst_changes(
    playbooks_dir: Path, database_url: str
) -> None:
    console = standup_only(playbooks_dir, database_url, datetime(2027, 3, 12, 0, 0, tzinfo=UTC))
    try:
        console.send("!at 2027-03-30 16:00")
        amy = [(d, at) for d, at in sent(console, "prompt", "U0MARKET") if d in (date(2027, 3, 12), date(2027, 3, 15))]
        assert amy == [
            (date(2027, 3, 12), datetime(2027, 3, 12, 17, 30, tzinfo=UTC)),  # PST, UTC-8
            (date(2027, 3, 15), datetime(2027, 3, 15, 16, 30, tzinfo=UTC)),  # PDT from 14 March, UTC-7
        ]
        klaus = dict(sent(console, "prompt", "U0WAREHOUSE"))
        assert klaus[date(2027, 3, 25)] == datetime(2027, 3, 25, 8, 30, tzinfo=UTC)  # CET
        assert klaus[date(2027, 3, 30)] == datetime(2027, 3, 30, 7, 30, tzinfo=UTC)  # CEST from 28 March
        assert date(2027, 3, 26) not in klaus and date(2027, 3, 29) not in klaus  # Good Friday, Easter Monday
        # Never on a weekend, never twice a day.
        days = [d for d, _ in sent(console, "prompt", "U0MARKET")]
        assert len(days) == len(set(days)) and all(d.weekday() < 5 for d in days)
    finally:
        console.close()


def test_prompts_stay_at_0930_local_across_the_autumn_dst_changes(console: ConsoleSlack) -> None:
    jobs = {job.id: job for job in console.services.scheduled_jobs()}
    amy = jobs["standup.prompt:shenzhen-ops:U0MARKET"].trigger
    klaus = jobs["standup.prompt:shenzhen-ops:U0WAREHOUSE"].trigger
    assert amy.get_next_fire_time(None, datetime(2026, 10, 30, 12, tzinfo=UTC)) == datetime(
        2026, 10, 30, 16, 30, tzinfo=UTC)
    assert amy.get_next_fire_time(None, datetime(2026, 11, 2, 12, tzinfo=UTC)) == datetime(
        2026, 11, 2, 17, 30, tzinfo=UTC)  # PST from 1 November
    assert klaus.get_next_fire_time(None, datetime(2026, 10, 23, 0, tzinfo=UTC)) == datetime(
        2026, 10, 23, 7, 30, tzinfo=UTC)
    assert klaus.get_next_fire_time(None, datetime(2026, 10, 26, 0, tzinfo=UTC)) == datetime(
        2026, 10, 26, 8, 30, tzinfo=UTC)  # CET from 25 October


def test_national_day_week_china_rests_berlin_works_and_the_make_up_saturday_counts(
    playbooks_dir: Path, database_url: str
) -> None:
    console = standup_only(playbooks_dir, database_url, datetime(2026, 9, 29, 16, 0, tzinfo=UTC))
    try:
        console.send("!at 2026-10-10 12:00")
        chen = [d for d, _ in sent(console, "prompt", "U0BUYER")]
        assert chen == [date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
        klaus = [d for d, _ in sent(console, "prompt", "U0WAREHOUSE")]
        assert klaus == [date(2026, 9, 30), *(date(2026, 10, n) for n in (1, 2, 5, 6, 7, 8, 9))]
        # A summary on every day anyone works: Berlin's and Los Angeles's National Day week reaches the channel.
        summaries = [d for d, _ in sent(console, "summary")]
        assert summaries == [date(2026, 9, 30), *(date(2026, 10, n) for n in (1, 2, 5, 6, 7, 8, 9, 10))]
    finally:
        console.close()


def test_a_restarted_bot_catches_up_once_within_grace_and_never_for_a_day_long_gone(console: ConsoleSlack) -> None:
    def restarted() -> Scheduler:  # a new process (or a second replica) on the same database
        return Scheduler(console.services.db, console.clock, console.services.scheduled_jobs, workers=1)

    def standup_fires(ran: list[tuple[str, datetime]]) -> list[str]:
        """Chen's stand-up jobs and the team's summary among what ran."""
        return sorted(job for job, _ in ran if job.endswith(":U0BUYER") or job == "standup.summary:shenzhen-ops")

    # Down from 09:00 over the 09:30 prompt; back at 10:15 Shanghai, inside the 120-minute grace.
    down_since = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    console.clock.set(datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI))
    first = restarted().run_due(down_since, console.clock.now())
    assert standup_fires(first) == ["standup.prompt:shenzhen-ops:U0BUYER"]
    assert standup_fires(restarted().run_due(down_since, console.clock.now())) == []  # never twice
    assert [d for d, _ in sent(console, "prompt", "U0BUYER")] == [date(2026, 11, 23)]

    # Down over the 11:00 summary; back at 12:30: the summary is posted once, late but the same day.
    console.clock.set(datetime(2026, 11, 23, 12, 30, tzinfo=SHANGHAI))
    since = datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI)
    assert "standup.summary:shenzhen-ops" in standup_fires(restarted().run_due(since, console.clock.now()))
    restarted().run_due(since, console.clock.now())
    assert [d for d, _ in sent(console, "summary")] == [date(2026, 11, 23)]

    # Down all of Tuesday, back Wednesday 08:00: Tuesday's prompt, reminder and summary are let go.
    console.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI))
    assert standup_fires(restarted().run_due(since, console.clock.now())) == []
    assert [d for d, _ in sent(console, "summary")] == [date(2026, 11, 23)]
    assert [d for d, _ in sent(console, "prompt", "U0BUYER")] == [date(2026, 11, 23)]


def test_a_reminder_caught_up_into_quiet_hours_is_not_sent(playbooks_dir: Path, database_url: str) -> None:
    standup_file = playbooks_dir / "standup.yml"
    standup_file.write_text(standup_file.read_text(encoding="utf-8").replace(
        'prompt_time: "09:30"', 'prompt_time: "18:30"'), encoding="utf-8")  # reminder 19:30, quiet from 20:00
    console = standup_only(playbooks_dir, database_url, datetime(2026, 11, 23, 18, 0, tzinfo=SHANGHAI))
    try:
        console.send("!at 2026-11-23 18:30")
        assert [d for d, _ in sent(console, "prompt", "U0BUYER")] == [date(2026, 11, 23)]
        console.clock.set(datetime(2026, 11, 23, 20, 15, tzinfo=SHANGHAI))  # down over 19:30, back in quiet hours
        console.services.scheduler.run_due(datetime(2026, 11, 23, 18, 30, tzinfo=SHANGHAI), console.clock.now())
        assert sent(console, "reminder", "U0BUYER") == []
    finally:
        console.close()


def test_a_team_can_switch_reminders_off(playbooks_dir: Path, database_url: str) -> None:
    standup_file = playbooks_dir / "standup.yml"
    standup_file.write_text(standup_file.read_text(encoding="utf-8").replace("reminders: true", "reminders: false"),
                            encoding="utf-8")
    console = standup_only(playbooks_dir, database_url, datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))
    try:
        assert not [j for j in console.services.scheduled_jobs() if j.id.startswith("standup.reminder:")]
        console.send("!at 2026-11-23 12:00")
        assert [d for d, _ in sent(console, "prompt", "U0BUYER")] == [date(2026, 11, 23)]
        assert sent(console, "reminder", "U0BUYER") == []
    finally:
        console.close()


def test_every_change_leaves_an_audit_row(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n"
         "/standup reminders off", ["Stand-up reminders are off."]),
        ("/standup", ["modal opened for Chen Jie: “Daily stand-up”", "· Stand-up for Monday, November 23, 2026"]),
        ('!fill today="Chase QC" yesterday="Samples" blockers="Factory QC report missing"\n'
         "!submit", ["✅ Thanks — your stand-up for Monday, November 23, 2026 is in."]),
        ("!at 2026-11-25 11:00", ["Open too long: @Li Wei, please help."]),
        ("!click Resolved", ["*0 open blockers*"]),
    ])
    with console.services.db.transaction() as session:
        blocker = session.scalars(select(store.StandupBlocker)).one()
        trail = [(a.actor, a.from_state, a.to_state)
                 for a in history(session, "shenzhen-ops", "standup-blocker", str(blocker.id))]
        switch = [(a.from_state, a.to_state) for a in history(session, "shenzhen-ops", "standup-reminders", "U0BUYER")]
        answer = [a.to_state for a in history(session, "shenzhen-ops", "standup", "U0BUYER:2026-11-23")]
    assert trail == [("opsbot", "open", "escalated"), ("U0BUYER", "open", "resolved")]
    assert switch == [(None, "off")]
    assert answer == ["answered"]
