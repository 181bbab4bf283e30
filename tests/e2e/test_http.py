"""`opsbot serve`'s endpoint under uvicorn: signed requests answered fast, anything else 401."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from slack_sdk import WebClient

from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.http import build_http_app
from bot.wiring import wire
from tests.conftest import MONDAY_9AM_SHENZHEN
from tests.support.serving import buyers_slack, start_server, stop_server

TOKEN = "xoxb-http-test"
SECRET = "http-test-signing-secret"


class Replica:
    """One `opsbot serve` process's app under uvicorn, on a shared database and emulator."""

    def __init__(self, emulator: SlackEmulator, playbooks_dir: Path, database_url: str,
                 process_before_response: bool) -> None:
        settings = load_settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=emulator.api_url,
                                 DATABASE_URL=database_url, OPSBOT_PLAYBOOKS=playbooks_dir)
        self.services = wire(settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN),
                                       client=WebClient(token=TOKEN, base_url=emulator.api_url))
        app, _ = self.services.bolt_app(process_before_response=process_before_response)
        http_app = build_http_app(app, self.services, signing_secret=SECRET)
        self.server, self.thread, self.base = start_server(http_app)

    def stop(self) -> None:
        stop_server(self.services, self.server, self.thread)  # nothing of it left running once the test ends
        self.services.db.dispose()


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    yield from buyers_slack(TOKEN)


@pytest.fixture
def served(emulator: SlackEmulator, playbooks_dir: Path, database_url: str) -> Iterator[tuple[str, SlackEmulator]]:
    replica = Replica(emulator, playbooks_dir, database_url, process_before_response=False)  # production: ack first
    yield replica.base, emulator
    replica.stop()


@pytest.fixture
def replicas(emulator: SlackEmulator, playbooks_dir: Path, database_url: str) -> Iterator[list[Replica]]:
    """Two replicas on one database that finish a request's work before answering, so a test needs no waiting."""
    both = [Replica(emulator, playbooks_dir, database_url, process_before_response=True) for _ in range(2)]
    yield both
    for replica in both:
        replica.stop()


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


def test_readyz_reports_database_migrations_scheduler_and_outbox(served: tuple[str, SlackEmulator]) -> None:
    base, _ = served
    ready = httpx.get(f"{base}/readyz")
    # The server's lifespan started the scheduler and the outbox's senders; the database is migrated at start.
    assert ready.status_code == 200
    assert ready.json() == {"ok": True, "database": True, "migrations": True, "scheduler": True, "outbox": True}


def test_metrics_count_commands_ack_latency_and_the_outbox(served: tuple[str, SlackEmulator]) -> None:
    base, emulator = served
    body = _command(emulator)
    httpx.post(f"{base}/slack/events", content=body, headers=payloads.sign(SECRET, body))
    metrics = httpx.get(f"{base}/metrics").text
    assert 'opsbot_commands_total{command="/ops"}' in metrics
    assert "opsbot_ack_seconds_count" in metrics
    assert "opsbot_outbox_depth 0.0" in metrics  # nothing waiting to be sent
    assert "opsbot_outbox_sent_total" in metrics


def _replies(emulator: SlackEmulator) -> list[str]:
    return [r.text for r in emulator.records if r.kind == "ephemeral"]


def test_the_same_signed_command_sent_twice_is_refused_the_second_time(replicas: list[Replica],
                                                                        emulator: SlackEmulator) -> None:
    first, _ = replicas
    body = _command(emulator)
    headers = payloads.sign(SECRET, body)
    assert httpx.post(f"{first.base}/slack/events", content=body, headers=headers).status_code == 200
    assert len(_replies(emulator)) == 1
    replayed = httpx.post(f"{first.base}/slack/events", content=body, headers=headers)
    assert replayed.status_code == 401
    assert len(_replies(emulator)) == 1  # the command ran once


def test_a_replay_sent_to_another_replica_is_refused_too(replicas: list[Replica], emulator: SlackEmulator) -> None:
    first, second = replicas
    body = _command(emulator)
    headers = payloads.sign(SECRET, body)
    assert httpx.post(f"{first.base}/slack/events", content=body, headers=headers).status_code == 200
    assert httpx.post(f"{second.base}/slack/events", content=body, headers=headers).status_code == 401
    assert len(_replies(emulator)) == 1


def test_the_same_command_signed_again_later_is_not_a_replay(replicas: list[Replica], emulator: SlackEmulator) -> None:
    first, _ = replicas
    body = _command(emulator)
    now = int(time.time())
    for stamp in (now - 2, now - 1):  # a new timestamp is a new signature
        assert httpx.post(f"{first.base}/slack/events", content=body,
                          headers=payloads.sign(SECRET, body, timestamp=stamp)).status_code == 200


def test_a_slack_retry_of_an_event_is_not_a_replay_and_is_acted_on_once(replicas: list[Replica],
                                                                         emulator: SlackEmulator) -> None:
    first, second = replicas
    body = json.dumps({
        "team_id": "T0DEMO", "api_app_id": "A0OPSBOT", "type": "event_callback", "event_id": "Ev0RETRY",
        "event_time": 1, "authorizations": [{"team_id": "T0DEMO", "user_id": "U0OPSBOT", "is_bot": True}],
        "event": {"type": "app_home_opened", "user": "U0BUYER", "channel": "D0BUYER", "tab": "home",
                  "event_ts": "1.1"},
    })
    now = int(time.time())
    original = {**payloads.sign(SECRET, body, timestamp=now - 1), "content-type": "application/json"}
    retry = {**payloads.sign(SECRET, body, timestamp=now), "content-type": "application/json",
             "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    assert httpx.post(f"{first.base}/slack/events", content=body, headers=original).status_code == 200
    assert httpx.post(f"{second.base}/slack/events", content=body, headers=retry).status_code == 200
    # Chen's Home, published once: de-duplicated by event id, not refused as a replay. (The replicas' 09:00 digest
    # may republish the managers' Homes meanwhile: those are not this event's.)
    assert [r.user for r in emulator.records if r.kind == "home" and r.user == "U0BUYER"] == ["U0BUYER"]
    assert httpx.post(f"{second.base}/slack/events", content=body, headers=retry).status_code == 401


@pytest.mark.parametrize("body, headers", [
    (b"payload={bad", {"Content-Type": "application/x-www-form-urlencoded"}),
    (b"[1, 2, 3]", {"Content-Type": "application/json"}),
    (b"command=/ops&text=\xff\xfe", {"Content-Type": "application/x-www-form-urlencoded"}),
    (b"command=/ops", {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"}),
    (b"\xff\xfe{", {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}),
], ids=["broken payload", "json list", "invalid utf-8", "non-numeric timestamp", "invalid utf-8, signed-looking"])
def test_an_unsigned_malformed_body_gets_401_and_no_traceback(
    served: tuple[str, SlackEmulator], body: bytes, headers: dict[str, str], caplog: pytest.LogCaptureFixture,
) -> None:
    """The signature is checked before anything is parsed: nobody without the signing secret can make the
    server answer 500 or write a traceback (a tester's fuzzer got 500s and a log flood from 325 of 2,000)."""
    base, emulator = served
    with caplog.at_level("DEBUG"):
        response = httpx.post(f"{base}/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
    assert not [r for r in emulator.records if r.kind == "message"]


def test_a_command_that_says_payload_is_answered_like_any_other(replicas: list[Replica],
                                                                 emulator: SlackEmulator) -> None:
    """Bolt reads any form body containing the word "payload" as an interactive payload; a person who types it
    (`/ops payload`, `/feedback payload broken`) must still get an answer."""
    first, _ = replicas
    body = payloads.slash_command("/ops", "payload", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                  response_url=emulator.new_response_url("C0OPS", "U0BUYER"))
    answer = httpx.post(f"{first.base}/slack/events", content=body, headers=payloads.sign(SECRET, body))
    assert answer.status_code == 200
    assert _replies(emulator) == ["I don't know /ops payload. Try /ops help, /ops team or /ops setup."]
