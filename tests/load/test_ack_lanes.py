"""The ack never waits on the work, and a command that opens a form never waits behind slow work.

The work threads run in this process here (``work_process=False``) so that a test can hold them: their
work waits on an event the test sets, with no clock involved."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.front import Front
from bot.outbox.work import Request
from tests.load.conftest import Served, command, eventually

HELD = 3  # work threads in these tests


class Holding:
    """Front.work, held until ``release`` for the requests ``holds`` picks; ``started`` counts them."""

    def __init__(self, holds: Callable[[Request], bool]) -> None:
        self.holds = holds
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.real = Front.work

    def __call__(self, front: Front, request: Request) -> None:
        if self.holds(request):
            self.started.release()
            self.release.wait(60)
        self.real(front, request)

    def wait_started(self, count: int) -> bool:
        return all(self.started.acquire(timeout=30) for _ in range(count))


def _event(text: str) -> str:
    return payloads.event(
        team="T0DEMO",
        event_body={"type": "app_mention", "user": "U0BUYER", "channel": "C0OPS", "text": text, "ts": "1.000100"},
        bot_user="U0OPSBOT",
    )


def test_with_every_work_thread_blocked_acks_still_return_and_the_work_waits_queued(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    holding = Holding(lambda _request: True)
    monkeypatch.setattr(Front, "work", lambda front, request: holding(front, request))
    served = Served(emulator, playbooks_dir, database_url, work_threads=HELD, work_process=False)
    try:
        reply = emulator.new_response_url("C0OPS", "U0BUYER")
        first = [served.post(command("help", reply)).status_code for _ in range(HELD)]
        assert holding.wait_started(HELD)  # every work thread is now inside its work, waiting
        with ThreadPoolExecutor(max_workers=20) as senders:
            later = list(senders.map(lambda _: served.post(command("help", reply)).status_code, range(40)))
        assert first + later == [200] * (HELD + 40)
        assert served.metric("opsbot_work_depth") == HELD + 40  # acknowledged, and durably waiting
        holding.release.set()
        assert eventually(lambda: served.metric("opsbot_work_depth") == 0)
        answers = [r for r in emulator.records if r.kind == "ephemeral"]
        assert len(answers) == HELD + 40  # each answered once, none lost
    finally:
        holding.release.set()
        served.stop()


def test_a_command_that_opens_a_form_is_not_queued_behind_slow_work(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Events' work is slow (held); the trigger thread kept for fresh requests with a trigger_id takes the form.
    holding = Holding(lambda request: json.loads(request.body).get("type") == "event_callback"
                      if request.content_type.startswith("application/json") else False)
    monkeypatch.setattr(Front, "work", lambda front, request: holding(front, request))
    served = Served(emulator, playbooks_dir, database_url, work_threads=HELD, trigger_threads=1, work_process=False)
    try:
        for n in range(HELD + 2):  # more slow work than the other threads can hold
            assert served.post(_event(f"<@U0OPSBOT> hello {n}"), "application/json").status_code == 200
        assert holding.wait_started(HELD - 1)  # every thread but the trigger thread is held
        reply = emulator.new_response_url("C0OPS", "U0BUYER")
        assert served.post(command("", reply, name="/restock")).status_code == 200
        # The form opens while the slow work still waits (it is never released before this holds).
        assert eventually(lambda: any(r.kind == "view_open" for r in emulator.records))
        assert served.metric("opsbot_work_depth") >= HELD + 1  # the events are still queued or held
    finally:
        holding.release.set()
        served.stop()
