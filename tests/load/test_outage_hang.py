"""Issue 17, a database that is down is an outage, not a crash — when it hangs rather than refuses.

A network split or a frozen database host refuses nothing: connections are accepted and nothing comes back. The
person's command must still be answered within Slack's 3 seconds, as an outage, and ``/readyz`` must say not ready
as fast; once the database answers again, a command it held that was answered as an outage is not done behind the
person's back (they were told to try again), and the next one works as usual.

``opsbot serve`` on PostgreSQL behind a proxy the test freezes (``tests/support/db_proxy.py``): the commit the ack
writer had in flight is held, and lands late when the database "thaws".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.console.emulator import SlackEmulator
from tests.load.conftest import Served, command, eventually
from tests.load.test_outage_events import OUTAGE_LINE, tracebacks
from tests.support.db_proxy import HangingDatabase

SLACK_GIVES_UP = 3.0  # seconds Slack waits for an answer (operation_timeout after that)


@pytest.fixture
def hanging_database(postgres_url: str) -> Iterator[HangingDatabase]:
    proxy = HangingDatabase(postgres_url)
    yield proxy
    proxy.close()


def answers(emulator: SlackEmulator) -> int:
    """What reached the person through their commands' response_urls (the commands' work)."""
    return sum(1 for r in emulator.records if r.kind == "ephemeral" and r.user == "U0BUYER")


def timed(call: object) -> tuple[httpx.Response, float]:
    assert callable(call)
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.postgres
def test_a_command_while_the_database_hangs_is_answered_as_an_outage_in_time_and_not_done_later(
    emulator: SlackEmulator, playbooks_dir: Path, hanging_database: HangingDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, hanging_database.url, work_threads=1, work_process=False)
    try:
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: answers(emulator) == 1)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        hanging_database.hang()
        # Two people's commands in a row: each answered as an outage before Slack gives up.
        for _ in range(2):
            answer, took = timed(lambda: served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))))
            assert took < SLACK_GIVES_UP
            assert answer.status_code == 200
            assert OUTAGE_LINE in str(answer.json()["text"])
        # /readyz says so as fast, and does not claim migrations are pending: it could not ask.
        ready, took = timed(lambda: httpx.get(f"{served.base}/readyz", timeout=10))
        assert took < SLACK_GIVES_UP
        assert ready.status_code == 503
        assert ready.json()["database"] is False
        assert ready.json()["migrations"] is None
        hanging_database.resume()
        # Back: the next command is worked on; the two answered as an outage were not, late, behind their backs.
        assert eventually(lambda: httpx.get(f"{served.base}/readyz", timeout=10).status_code == 200)
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: answers(emulator) == 2)
        served.front.settle(10)
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: answers(emulator) == 3)
        assert answers(emulator) == 3
        assert tracebacks(caplog) == []
    finally:
        hanging_database.resume()  # a failed test must not leave the server waiting on a frozen database
        served.stop()
