"""Issue 17, a database that is down is an outage, not a crash — for a button in the App Home, which has no
response_url: nobody can be told, so a press whose work meets the outage goes back to the work queue and is done
again once the database is back. By then the press's trigger has expired (Slack opens a form only within 3 s of
it), so a redone press that opens a form gets Slack's ``expired_trigger``: one warning line, never a traceback and
never a "Something went wrong" DM for a form the person gave up on long ago.

``opsbot serve`` under uvicorn on PostgreSQL, the work threads in this process, held at their start while the
database is taken away (no timing involved); the emulator answers views.open with ``expired_trigger``, as Slack
does for a trigger older than 3 s.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.app import OpsbotApp
from bot.blocks.standup import FILL_IN
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.web_api import WebApi
from bot.outbox import work
from tests.load.conftest import Served, eventually
from tests.load.test_outage_events import Outage, outage, the_next_command_is_answered, tracebacks

__all__ = ["outage"]  # the fixture, shared with the tests it comes from


def edit_my_answer_in_the_home() -> str:
    """The Home's "Edit my answer" (it reads the day's answer from the database, then opens the form)."""
    return payloads.block_action(
        user="U0BUYER", team="T0DEMO", response_url=None,
        action={"action_id": FILL_IN, "type": "button", "value": "2026-11-23"},
        container={"type": "view", "view_id": "V0HOME"}, view={"id": "V0HOME", "type": "home"},
    )


@pytest.mark.postgres
def test_a_home_button_redone_after_the_outage_whose_trigger_expired_logs_one_line_and_sends_nothing(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(work, "RETRY_AFTER", work.timedelta(seconds=0.2))
    asked_to_open: list[dict[str, Any]] = []

    def expired(api: WebApi, args: dict[str, Any]) -> dict[str, Any]:
        asked_to_open.append(args)
        return {"ok": False, "error": "expired_trigger"}

    monkeypatch.setattr(WebApi, "api_views_open", expired)
    arrived, go_on = threading.Event(), threading.Event()
    dispatch = OpsbotApp.dispatch

    def held(app: OpsbotApp, request: Any) -> Any:  # the work thread holds the press until the database is gone
        if not go_on.is_set():
            arrived.set()
            go_on.wait(30)
        return dispatch(app, request)

    monkeypatch.setattr(OpsbotApp, "dispatch", held)
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False)
    try:
        assert served.post(edit_my_answer_in_the_home()).status_code == 200  # acknowledged and queued
        assert arrived.wait(30)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        go_on.set()  # the press meets the outage before its form: nobody to tell, so it waits in the queue
        assert eventually(lambda: any("database is unreachable" in r.getMessage()
                                      for r in caplog.records if r.name == "bot.outbox.work"))
        assert asked_to_open == []
        outage.end()
        # Redone once the database is back: the form is asked for, and Slack says its trigger expired.
        assert eventually(lambda: len(asked_to_open) == 1)
        assert eventually(lambda: any("expired" in r.getMessage() or "unhandled error" in r.getMessage()
                                      for r in caplog.records))
        assert the_next_command_is_answered(served, emulator)
        assert not [r for r in emulator.records if "went wrong" in r.text]  # no DM, no ephemeral
        assert [r for r in emulator.records if r.channel == "D0BUYER"] == []  # no DM of any kind
        assert tracebacks(caplog) == []
        expired_lines = [r.getMessage() for r in caplog.records if "expired" in r.getMessage()]
        assert len(expired_lines) == 1, expired_lines
    finally:
        served.stop()


def test_a_queued_command_whose_form_can_no_longer_open_is_asked_to_try_again_through_its_response_url(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same expired trigger on a command (it waited in the queue past 3 s, in a busy minute): the person has a
    response_url, so they are asked to try again there; still one line in the log and no traceback."""
    monkeypatch.setattr(WebApi, "api_views_open", lambda api, args: {"ok": False, "error": "expired_trigger"})
    served = Served(emulator, playbooks_dir, database_url, work_threads=2, work_process=False)
    try:
        caplog.set_level(logging.WARNING)
        standup = payloads.slash_command("/standup", "", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                         response_url=emulator.new_response_url("C0OPS", "U0BUYER"))
        assert served.post(standup).status_code == 200
        assert eventually(lambda: [r for r in emulator.records if r.kind == "ephemeral"] != [])
        assert [(r.user, r.text) for r in emulator.records if r.kind == "ephemeral"] == [
            ("U0BUYER", "That form could not open in time. Please try again.")]
        assert not [r for r in emulator.records if "went wrong" in r.text]
        assert tracebacks(caplog) == []
        assert len([r for r in caplog.records if "trigger expired" in r.getMessage()]) == 1
    finally:
        served.stop()
