"""Issue 17, a database that is down is an outage, not a crash — with several workspaces (the OAuth install flow).

Each request is authorized with its workspace's installation, read from the database by Bolt's installation-store
authorize, which takes any error of the store for "not installed": a queued event whose work met the outage there
was answered 401 and dropped, a queued command was told "installation not found". An outage in authorize is now an
outage like any other, with the same outcome as on a single bot token: the event is put back in the work queue and
done once the database is back, the command is told "Opsbot can't reach its database" through its response_url.

``opsbot serve`` under uvicorn on PostgreSQL, the app installed into T0DEMO through Bolt's real OAuth flow, the
work threads in this process (held at their start while the database is taken away: no timing involved).
"""

from __future__ import annotations

import html
import logging
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from slack_bolt import BoltRequest
from slack_sdk import WebClient

from bot.app import OpsbotApp
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console.emulator import SlackEmulator
from bot.console.slack_state import User
from bot.http import build_http_app
from bot.outbox import work
from bot.wiring import wire
from tests.conftest import MONDAY_9AM_SHENZHEN
from tests.load.conftest import SECRET, Served, command, eventually
from tests.load.test_outage_events import (
    OUTAGE_LINE,
    Outage,
    home_opened,
    homes,
    outage,
    post_json,
    the_next_command_is_answered,
    tracebacks,
)
from tests.support.serving import start_server

__all__ = ["outage"]  # the fixture, shared with the single-token tests
CLIENT_ID, CLIENT_SECRET = "1000.3000", "outage-client-secret"


class ServedWorkspaces(Served):
    """One replica of `opsbot serve` with a client id and secret, installed into T0DEMO as an installer does."""

    def __init__(self, playbooks_dir: Path, database_url: str) -> None:
        self.emulator = emulator = SlackEmulator(None).start()
        emulator.oauth_client = (CLIENT_ID, CLIENT_SECRET)
        emulator.add_user(User("U0BUYER", "Chen Jie", "Asia/Shanghai", "en-US"))
        settings = load_settings(
            SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET, SLACK_BOT_TOKEN=None,
            SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=emulator.api_url, DATABASE_URL=database_url,
            OPSBOT_PLAYBOOKS=playbooks_dir, OPSBOT_EVENT_JOURNAL=playbooks_dir.parent / "opsbot-events.sqlite3",
        )
        self.services = wire(settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN),
                             client=WebClient(token=None, base_url=emulator.api_url))
        app, _ = self.services.bolt_app()
        self._install(app, "T0DEMO")
        self.http_app = build_http_app(app, self.services, signing_secret=SECRET, work_threads=2, work_process=False)
        self.server, self.thread, self.base = start_server(self.http_app)

    def _install(self, app: Any, workspace: str) -> None:
        flow = app.oauth_flow
        page = flow.handle_installation(BoltRequest(body="", query={}, headers={}))
        cookie = str(page.headers["set-cookie"][0]).split(";")[0]
        found = re.search(r'<a href="([^"]+)"', str(page.body))
        assert found is not None
        query = parse_qs(urlparse(html.unescape(found.group(1))).query)
        code = self.emulator.authorize(workspace, "Shenzhen Ops", installer="U0MANAGER",
                                       scopes=query["scope"][0].split(","))
        back = flow.handle_callback(BoltRequest(body="", query={"code": code, "state": query["state"][0]},
                                                headers={"cookie": cookie}))
        assert back.status == 200, back.body

    def stop(self) -> None:
        super().stop()
        self.emulator.stop()


class Held:
    """The work threads wait at their first request until ``go_on`` (the database taken away meanwhile)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.arrived, self.go_on = threading.Event(), threading.Event()
        dispatch = OpsbotApp.dispatch

        def held(app: OpsbotApp, request: Any) -> Any:
            if not self.go_on.is_set():
                self.arrived.set()
                self.go_on.wait(30)
            return dispatch(app, request)

        monkeypatch.setattr(OpsbotApp, "dispatch", held)


def not_installed(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if "AuthorizeResult" in r.getMessage() or "answered 401" in r.getMessage()]


@pytest.mark.postgres
def test_an_event_whose_authorize_meets_the_outage_is_put_back_and_done_once_the_database_is_back(
    playbooks_dir: Path, postgres_url: str, outage: Outage, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(work, "RETRY_AFTER", work.timedelta(seconds=0.2))
    held = Held(monkeypatch)
    served = ServedWorkspaces(playbooks_dir, postgres_url)
    emulator = served.emulator
    try:
        assert post_json(served, home_opened()) == 200  # acknowledged and queued: the database was there
        assert held.arrived.wait(30)
        caplog.clear()
        caplog.set_level(logging.INFO)
        outage.begin()
        held.go_on.set()  # authorize now asks the installation store, and meets the outage
        assert eventually(lambda: any("database is unreachable" in r.getMessage()
                                      for r in caplog.records if r.name == "bot.outbox.work"))
        assert homes(emulator) == 0
        outage.end()
        # Back: the queued event is authorized with T0DEMO's installation and does what it does, once.
        assert eventually(lambda: homes(emulator) == 1)
        # (the manager's Home may be published meanwhile by the 9 a.m. digest of the replica's scheduler)
        assert [r.workspace for r in emulator.records if r.kind == "home" and r.user == "U0BUYER"] == ["T0DEMO"]
        assert not [r for r in emulator.records if OUTAGE_LINE in r.text]  # nobody asked: no DM
        assert not_installed(caplog) == []
        assert tracebacks(caplog) == []
    finally:
        served.stop()


@pytest.mark.postgres
def test_a_command_whose_authorize_meets_the_outage_is_told_so_through_its_response_url(
    playbooks_dir: Path, postgres_url: str, outage: Outage, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = Held(monkeypatch)
    served = ServedWorkspaces(playbooks_dir, postgres_url)
    emulator = served.emulator
    try:
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert held.arrived.wait(30)
        caplog.clear()
        caplog.set_level(logging.INFO)
        outage.begin()
        held.go_on.set()
        assert eventually(lambda: [r.text for r in emulator.records if r.kind == "ephemeral"] != [])
        outage.end()
        replies = [(r.kind, r.user, r.text) for r in emulator.records if r.kind in ("ephemeral", "message")]
        assert len(replies) == 1, replies
        kind, user, text = replies[0]
        assert (kind, user) == ("ephemeral", "U0BUYER")  # through its response_url, no DM
        assert text.startswith("Opsbot can't reach its database right now; try again in a minute (ref ")
        assert not_installed(caplog) == []
        assert tracebacks(caplog) == []
    finally:
        served.stop()


@pytest.mark.postgres
def test_with_several_workspaces_a_command_during_the_outage_is_told_at_once_and_an_event_is_kept_and_runs_once_back(
    playbooks_dir: Path, postgres_url: str, outage: Outage, caplog: pytest.LogCaptureFixture,
) -> None:
    served = ServedWorkspaces(playbooks_dir, postgres_url)
    emulator = served.emulator
    try:
        caplog.set_level(logging.WARNING)
        outage.begin()
        answer = served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER")))
        assert answer.status_code == 200
        assert str(answer.json()["text"]).startswith("Opsbot can't reach its database right now")
        opened = home_opened()
        assert post_json(served, opened) == 200  # kept in the replica's event journal (bot/outbox/event_journal.py)
        outage.end()
        assert eventually(lambda: homes(emulator) == 1)  # authorized with its workspace's installation, once back
        assert post_json(served, opened) == 200  # Slack's retry after: acknowledged, not run again
        assert the_next_command_is_answered(served, emulator)
        assert homes(emulator) == 1
        assert tracebacks(caplog) == []
    finally:
        served.stop()
