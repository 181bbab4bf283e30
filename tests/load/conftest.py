"""`opsbot serve` under uvicorn in this process, on a real database and the Slack emulator, and a response_url
that holds every call until the test lets it go (a Slack that hangs, with no clock involved)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from slack_sdk import WebClient

from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.http import build_http_app
from bot.wiring import Opsbot, wire
from tests.conftest import MONDAY_9AM_SHENZHEN
from tests.support.serving import buyers_slack, start_server, stop_server

TOKEN = "xoxb-load-test"
SECRET = "load-test-signing-secret"


class Served:
    """One replica: the wired bot, its HTTP app under uvicorn, and its base URL."""

    def __init__(
        self,
        emulator: SlackEmulator,
        playbooks_dir: Path,
        database_url: str,
        *,
        work_threads: int,
        api_url: str | None = None,
        work_process: bool = True,
        trigger_threads: int = 0,
        event_journal: Path | None = None,
        event_journal_max: int | None = None,
    ) -> None:
        api_url = api_url or emulator.api_url
        # The event journal is a file of this replica's (PostgreSQL only): the test's own, next to its playbooks
        # unless the test names one (a restarted replica finding the file its predecessor left).
        journal = {"OPSBOT_EVENT_JOURNAL": event_journal or playbooks_dir.parent / "opsbot-events.sqlite3"}
        if event_journal_max is not None:
            journal["OPSBOT_EVENT_JOURNAL_MAX"] = event_journal_max
        settings = load_settings(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=api_url,
            DATABASE_URL=database_url,
            OPSBOT_PLAYBOOKS=playbooks_dir,
            **journal,
        )
        self.services: Opsbot = wire(
            settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN), client=WebClient(token=TOKEN, base_url=api_url)
        )
        app, _ = self.services.bolt_app()  # production: Slack is answered first, the work is queued
        self.front = app.front  # type: ignore[attr-defined]  # its after-answer work, which a test may wait for
        self.http_app = build_http_app(
            app,
            self.services,
            signing_secret=SECRET,
            work_threads=work_threads,
            trigger_threads=trigger_threads,
            work_process=work_process,
        )
        self.server, self.thread, self.base = start_server(self.http_app)

    def post(
        self, body: str, content_type: str = "application/x-www-form-urlencoded", *, timestamp: int | None = None
    ) -> httpx.Response:
        headers = {**payloads.sign(SECRET, body, timestamp=timestamp), "content-type": content_type}
        return httpx.post(f"{self.base}/slack/events", content=body, headers=headers, timeout=10)

    def metric(self, name: str) -> float:
        for line in httpx.get(f"{self.base}/metrics").text.splitlines():
            if line.startswith(f"{name} "):
                return float(line.split()[1])
        raise AssertionError(f"no {name} in /metrics")

    def stop(self) -> None:
        stop_server(self.services, self.server, self.thread)  # nothing of it left running once the test ends
        self.services.db.dispose()


class HangingResponseUrl:
    """A response_url endpoint whose calls wait until ``release`` is set; ``arrived`` counts the callers."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.arrived = threading.Semaphore(0)
        self.answered: list[bytes] = []
        hanging = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.path.endswith("/auth.test"):  # who the bot is, asked once (Bolt's authorization)
                    self._answer(b'{"ok": true, "user_id": "U0OPSBOT", "bot_id": "B0OPSBOT", "team_id": "T0DEMO"}')
                    return
                hanging.arrived.release()
                hanging.release.wait(60)
                hanging.answered.append(body)
                self._answer(b"ok")

            def _answer(self, content: bytes) -> None:
                try:
                    self.send_response(200)
                    self.send_header("content-length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except OSError:
                    pass  # the caller gave up waiting (a timeout): that is the point

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"  # a Web API that hangs

    def wait_arrivals(self, count: int, timeout: float = 30.0) -> bool:
        return all(self.arrived.acquire(timeout=timeout) for _ in range(count))

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()


def eventually(condition: object, timeout: float = 30.0) -> bool:
    """Wait for a condition to hold (polling a state, not measuring time)."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    yield from buyers_slack(TOKEN)


@pytest.fixture
def hanging() -> Iterator[HangingResponseUrl]:
    hook = HangingResponseUrl()
    yield hook
    hook.stop()


def command(text: str, response_url: str, *, name: str = "/ops", user: str = "U0BUYER") -> str:
    return payloads.slash_command(name, text, user=user, channel="C0OPS", team="T0DEMO", response_url=response_url)
