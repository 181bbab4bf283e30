"""Issue 17: stand-up prompts that fell due while the database was away are caught up once it is back — each
member's exactly once, at their own 09:30; a member whose 09:30 had not come yet gets nothing extra.

``opsbot serve`` on PostgreSQL with the team's Slack (each person in their own zone). The scheduler's ticks are
the test's to give, on the replica's frozen clock (its background ticker is stopped), and the database is taken
away for real (no new connections, the open ones cut).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FrozenClock
from bot.console.emulator import SlackEmulator
from bot.console.slack_state import User
from bot.flows.standup_rounds import StandupRounds
from bot.scheduler import Scheduler
from tests.load.conftest import Served, eventually
from tests.load.test_outage_events import Outage, tracebacks
from tests.support.serving import finish_the_scheduler

SHANGHAI, BERLIN, LOS_ANGELES = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/Los_Angeles")
# The team in playbooks/team.yml, each with the zone their Slack profile gives (the prompt is at their 09:30).
ZONES = {
    "U0MANAGER": SHANGHAI, "U0SELECT": SHANGHAI, "U0BUYER": SHANGHAI, "U0CS": SHANGHAI, "U0FINANCE": SHANGHAI,
    "U0WAREHOUSE": BERLIN, "U0ANALYST": BERLIN, "U0MARKET": LOS_ANGELES,
}
PROMPT = "Time for your stand-up"
MONDAY = datetime(2026, 11, 23)


def at(hour: int, minute: int, zone: ZoneInfo = SHANGHAI) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute, tzinfo=zone)


def due_by(moment: datetime) -> set[str]:
    """Whose Monday 09:30 (in their own zone) has come by ``moment``: computed here, apart from the bot's rules."""
    return {user for user, zone in ZONES.items() if at(9, 30, zone) <= moment}


@pytest.fixture
def team_slack(emulator: SlackEmulator) -> SlackEmulator:
    for user, zone in ZONES.items():
        if user != "U0BUYER":  # Chen Jie is there already
            emulator.add_user(User(user, user, zone.key, "en-US"))
    return emulator


@pytest.fixture
def outage(postgres_url: str) -> Iterator[Outage]:
    away = Outage(postgres_url)
    yield away
    away.close()


def prompts(emulator: SlackEmulator) -> dict[str, int]:
    """How many stand-up prompts each person has in their DM with Opsbot."""
    return {
        user: sum(1 for r in emulator.channel_messages(emulator.dm_channel_of(user)) if r.text == PROMPT)
        for user in ZONES
    }


def exactly_once(users: set[str]) -> dict[str, int]:
    return {user: 1 if user in users else 0 for user in ZONES}


class Replica:
    """The served replica with its scheduler ticked by hand on its frozen clock."""

    def __init__(self, emulator: SlackEmulator, playbooks_dir: Path, database_url: str) -> None:
        self.served = Served(emulator, playbooks_dir, database_url, work_threads=1)
        finish_the_scheduler(self.served.services)  # no background tick: the test gives them
        clock = self.served.services.clock
        assert isinstance(clock, FrozenClock)
        self.clock = clock

    def tick_at(self, moment: datetime) -> None:
        self.clock.set(moment)
        self.served.services.scheduler.tick()

    def stop(self) -> None:
        self.served.stop()


@pytest.mark.postgres
def test_prompts_that_fell_due_during_an_outage_are_sent_once_it_is_back_each_at_its_own_time(
    team_slack: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    replica = Replica(team_slack, playbooks_dir, postgres_url)
    try:
        replica.tick_at(at(9, 0))  # Monday 09:00 in Shenzhen, the database there
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        for moment in (at(9, 29), at(9, 31), at(9, 45)):  # Shenzhen's 09:30 passes with the database away
            replica.tick_at(moment)
        assert prompts(team_slack) == exactly_once(set())
        outage.end()
        replica.tick_at(at(10, 0))  # back: Shenzhen's prompts are caught up
        replica.tick_at(at(10, 1))
        shenzhen = due_by(at(10, 1))
        assert shenzhen == {"U0MANAGER", "U0SELECT", "U0BUYER", "U0CS", "U0FINANCE"}
        assert eventually(lambda: prompts(team_slack) == exactly_once(shenzhen)), prompts(team_slack)
        # Berlin's 09:30 comes at 16:30 in Shenzhen: only then do Klaus and Sara get theirs, and nobody else more.
        replica.tick_at(at(16, 31))
        assert eventually(lambda: prompts(team_slack) == exactly_once(due_by(at(16, 31)))), prompts(team_slack)
        assert due_by(at(16, 31)) == shenzhen | {"U0WAREHOUSE", "U0ANALYST"}
        assert tracebacks(caplog) == []
        scheduler_lines = [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"]
        assert len(scheduler_lines) == 1 and "database is unreachable" in scheduler_lines[0], scheduler_lines
    finally:
        replica.stop()


@pytest.mark.postgres
def test_prompts_cut_off_by_an_outage_in_the_middle_of_the_round_are_each_sent_once_after_it(
    team_slack: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    entered = finished = 0
    lock, gone = threading.Lock(), threading.Event()
    send_prompt = StandupRounds.send_prompt

    def then_the_database_goes(rounds: StandupRounds, *args: Any) -> None:
        # The round's prompts run side by side: two are sent, then the database goes away under the others.
        nonlocal entered, finished
        with lock:
            entered += 1
            first_two = entered <= 2
        if not first_two:
            gone.wait(30)
            send_prompt(rounds, *args)
            return
        send_prompt(rounds, *args)
        with lock:
            finished += 1
            if finished == 2:
                outage.begin()
                gone.set()

    monkeypatch.setattr(StandupRounds, "send_prompt", then_the_database_goes)
    replica = Replica(team_slack, playbooks_dir, postgres_url)
    try:
        replica.tick_at(at(9, 0))
        caplog.clear()
        caplog.set_level(logging.WARNING)
        replica.tick_at(at(9, 31))  # the round starts; the database goes away in its middle
        assert sum(prompts(team_slack).values()) == 2, prompts(team_slack)  # cut off: two sent, three not
        outage.end()
        replica.tick_at(at(9, 33))  # back: those not yet claimed are sent now
        # Those claimed and cut off are taken over once their claim's lease has run out.
        replica.tick_at(at(9, 31) + replica.served.services.scheduler._lease + timedelta(minutes=1))
        shenzhen = due_by(at(9, 40))
        assert eventually(lambda: prompts(team_slack) == exactly_once(shenzhen)), prompts(team_slack)
        assert tracebacks(caplog) == []
    finally:
        replica.stop()


@pytest.mark.postgres
def test_a_replica_whose_first_ticks_meet_the_outage_catches_up_once_it_is_back(
    team_slack: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A replica (re)started just before the database went away has no window of its own yet: its first ticks
    # ask for the jobs (the teams' saved setup is in the database) with the database away.
    replica = Replica(team_slack, playbooks_dir, postgres_url)
    services = replica.served.services
    fresh = Scheduler(services.db, replica.clock, services.scheduled_jobs, job_context=services.job_workspace,
                      job_failed=services.job_failed)
    try:
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        for moment in (at(9, 31), at(9, 45)):
            replica.clock.set(moment)
            fresh.tick()  # one line in the log, no exception out of the tick (APScheduler would print it)
        outage.end()
        replica.clock.set(at(10, 0))
        fresh.tick()
        fresh.tick()
        assert eventually(lambda: prompts(team_slack) == exactly_once(due_by(at(10, 0)))), prompts(team_slack)
        assert tracebacks(caplog) == []
        scheduler_lines = [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"]
        assert len(scheduler_lines) == 1 and "database is unreachable" in scheduler_lines[0], scheduler_lines
    finally:
        replica.stop()
