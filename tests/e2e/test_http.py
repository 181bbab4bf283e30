"""`opsbot serve`'s endpoint under uvicorn: signed requests answered fast, anything else 401."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from slack_sdk import WebClient

from bot.app import build_app
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console import payloads
from bot.console.emulator import SlackEmulator, User
from bot.http import build_http_app
from bot.services import build_services
from tests.conftest import MONDAY_9AM_SHENZHEN

TOKEN = "xoxb-http-test"
SECRET = "http-test-signing-secret"


@pytest.fixture
def served(playbooks_dir: Path, database_url: str) -> Iterator[tuple[str, SlackEmulator]]:
    emulator = SlackEmulator(TOKEN).start()
    emulator.add_user(User("U0BUYER", "Chen Jie", "Asia/Shanghai", "en-US"))
    settings = load_settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=emulator.api_url,
                             DATABASE_URL=database_url, OPSBOT_PLAYBOOKS=playbooks_dir)
    services = build_services(settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN),
                              client=WebClient(token=TOKEN, base_url=emulator.api_url))
    app, _ = build_app(settings, services)  # production mode: ack first, work after
    server = uvicorn.Server(uvicorn.Config(build_http_app(app, services), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the server socket to open, not for timing
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", emulator
    server.should_exit = True
    services.scheduler.shutdown()
    thread.join(5)
    emulator.stop()
    services.db.dispose()


def _command(emulator: SlackEmulator) -> str:
    return payloads.slash_command("/ops", "team", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                  response_url=emulator.new_response_url("C0OPS", "U0BUYER"))


def test_healthz(served: tuple[str, SlackEmulator]) -> None:
    base, _ = served
    assert httpx.get(f"{base}/healthz").json() == {"ok": True}


def test_a_signed_slash_command_is_acknowledged_within_3_seconds(served: tuple[str, SlackEmulator]) -> None:
    base, emulator = served
    body = _command(emulator)
    started = time.monotonic()
    response = httpx.post(f"{base}/slack/events", content=body, headers=payloads.sign(SECRET, body), timeout=10)
    assert response.status_code == 200
    assert time.monotonic() - started < 3.0


def test_a_wrong_signature_gets_401_and_nothing_is_posted(served: tuple[str, SlackEmulator]) -> None:
    base, emulator = served
    body = _command(emulator)
    response = httpx.post(f"{base}/slack/events", content=body, headers=payloads.sign("wrong", body))
    assert response.status_code == 401
    assert emulator.records == []


def test_a_timestamp_older_than_five_minutes_gets_401(served: tuple[str, SlackEmulator]) -> None:
    base, emulator = served
    body = _command(emulator)
    headers = payloads.sign(SECRET, body, timestamp=int(time.time()) - 5 * 60 - 30)
    assert httpx.post(f"{base}/slack/events", content=body, headers=headers).status_code == 401
    assert emulator.records == []


def test_an_unsigned_request_gets_401(served: tuple[str, SlackEmulator]) -> None:
    base, emulator = served
    response = httpx.post(f"{base}/slack/events", content=_command(emulator),
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 401


def test_readyz_reports_database_migrations_and_scheduler(served: tuple[str, SlackEmulator]) -> None:
    base, _ = served
    ready = httpx.get(f"{base}/readyz")
    # The server's lifespan started the scheduler; the database is migrated at start.
    assert ready.status_code == 200
    assert ready.json() == {"ok": True, "database": True, "migrations": True, "scheduler": True}


def test_metrics_count_commands_and_ack_latency(served: tuple[str, SlackEmulator]) -> None:
    base, emulator = served
    body = _command(emulator)
    httpx.post(f"{base}/slack/events", content=body, headers=payloads.sign(SECRET, body))
    metrics = httpx.get(f"{base}/metrics").text
    assert 'opsbot_commands_total{command="/ops"}' in metrics
    assert "opsbot_ack_seconds_count" in metrics
