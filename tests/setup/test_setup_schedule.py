"""A time zone changed with /ops setup moves the team's scheduled work at once, on every replica: no restart.

The clock is frozen; each fire's moment is read from what the scheduler ran, and the stand-up summary is due at
standup.yml's cutoff (11:00) on the team's clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.setup.conftest import NEW_TEAM
from tests.setup.test_ops_setup import FILLED

BERLIN, SHANGHAI = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Shanghai")


def _summaries(slack: ConsoleSlack, until: datetime) -> list[datetime]:
    ran = slack.services.scheduler.advance_to(slack.clock, until)
    return [fire for job, fire in ran if job.startswith("standup.summary:")]


def _replica(playbooks_dir: Path, database_url: str, user: str) -> ConsoleSlack:
    return ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                        as_user=user, in_channel="C0OPS")


@pytest.fixture
def replicas(playbooks_dir: Path, database_url: str) -> Iterator[tuple[ConsoleSlack, ConsoleSlack]]:
    """Two bots on one database, both started before the team was set up (team.yml names no time zone)."""
    (playbooks_dir / "team.yml").write_text(NEW_TEAM, encoding="utf-8")
    first = _replica(playbooks_dir, database_url, "U0MANAGER")
    second = _replica(playbooks_dir, database_url, "U0MANAGER")
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _set_up(slack: ConsoleSlack, zone: str) -> None:
    slack.emulator.users["U0MANAGER"].locale = "en-US"
    converse(slack, [("/ops setup", ["Team setup"]), (FILLED.replace("Asia/Shanghai", zone) + "\n!submit",
                                                      ["Check and save"]), ("!submit", ["Team setup saved"])])


def test_a_changed_time_zone_moves_the_next_summary_without_a_restart(
    replicas: tuple[ConsoleSlack, ConsoleSlack],
) -> None:
    slack, _ = replicas
    _set_up(slack, "Asia/Shanghai")
    # Monday evening in Shanghai: Monday's summary went out at 11:00 there (and 11:00 in Berlin has passed too).
    assert _summaries(slack, datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI)) == [
        datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    ]
    _set_up(slack, "Europe/Berlin")
    # Tuesday 11:00 in Shanghai passes with no summary; it goes out at 11:00 in Berlin.
    fired = _summaries(slack, datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    assert fired == [datetime(2026, 11, 24, 11, 0, tzinfo=BERLIN)]


def test_a_setup_saved_on_another_replica_moves_this_ones_jobs(replicas: tuple[ConsoleSlack, ConsoleSlack]) -> None:
    here, there = replicas
    _set_up(there, "Asia/Shanghai")
    monday = _summaries(here, datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI))
    assert monday == [datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)]
    _set_up(there, "Europe/Berlin")
    # The replica that ticks is not the one the manager talked to: it follows the saved setup all the same.
    fired = _summaries(here, datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    assert fired == [datetime(2026, 11, 24, 11, 0, tzinfo=BERLIN)]
    assert fired[0] - monday[0] == timedelta(days=1, hours=7)
