"""Starting a served replica, and stopping it so that nothing of it outlives its test.

A replica's scheduler ticks at once when its server starts, and at the frozen Monday 09:00 that first tick runs
the 09:00 jobs (the KPI digest, the Homes it republishes) in APScheduler's worker thread. ``Scheduler.shutdown``
(as production stops) does not wait for a tick already running, so a tick still at work when its test ended
went on sending to the test's Slack emulator after the emulator had closed: slack_sdk logged "Connection
refused" in whatever test ran next, and a test asserting a clean log failed (tests/e2e/test_http.py's
malformed-body cases). Here the tick is waited for, while the emulator still answers, before the server stops.

With its work process (``work_process=True``, as ``opsbot serve`` runs) the scheduler ticks in that process, not
in this one: the server's stop ends it (SIGTERM; the process's exit waits for a tick at work, for at most the
ten seconds before it is killed), so that too is over before the caller closes the emulator.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from bot.console.emulator import SlackEmulator
from bot.console.slack_state import User
from bot.wiring import Opsbot


def start_server(http_app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    """``opsbot serve``'s server (uvicorn) on a free port in a thread of its own: the server, its thread and its
    base URL, once its socket is open."""
    server = uvicorn.Server(uvicorn.Config(http_app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the server socket to open, not for timing
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def finish_the_scheduler(services: Opsbot) -> None:
    """No new tick starts, and a tick at work finishes now (the replica's emulator still answering it)."""
    background = services.scheduler._background  # APScheduler's own scheduler, started with the server
    if background is not None and background.running:
        background.shutdown(wait=True)


def stop_server(services: Opsbot, server: uvicorn.Server, thread: threading.Thread) -> None:
    """The scheduler's tick finished first, then uvicorn's lifespan stops the outbox's senders; all before the
    caller closes the emulator."""
    finish_the_scheduler(services)
    server.should_exit = True
    thread.join(60)  # returns as soon as the server has stopped; a long bound for a loaded machine
    assert not thread.is_alive(), "the server did not stop within a minute"


def buyers_slack(token: str) -> Iterator[SlackEmulator]:
    """The Slack a served replica talks to in these tests: the emulator with the team's buyer, Chen Jie, closed
    when the test ends (``yield from`` it in a fixture)."""
    slack = SlackEmulator(token).start()
    slack.add_user(User("U0BUYER", "Chen Jie", "Asia/Shanghai", "en-US"))
    yield slack
    slack.stop()
