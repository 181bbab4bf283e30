"""A console that runs only the launch feature, for tests that live through a launch's weeks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.handlers import launch
from tests.conftest import MONDAY_9AM_SHENZHEN


@pytest.fixture
def launches_only(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The console with the launch feature alone, at Monday 09:00 Shenzhen like ``console``.

    A test that moves the clock from November to the launch's reviews in February runs every scheduled job
    that falls due on the way. With every feature that is 5,225 fires by Feb 8 — eight people's stand-up prompts
    and reminders, hourly feedback and restock sweeps, digests — 40 to 80 s a test, when the launch's own are 77
    morning rounds and these tests assert on nothing but the launch.
    """
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         features=(launch.FEATURE,))
    try:
        yield slack
    finally:
        slack.close()
