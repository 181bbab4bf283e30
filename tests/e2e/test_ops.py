"""/ops, the one error path, and Slack's retries — as chat transcripts through the terminal Slack."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack, BoltRequest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.console.slack_state import BOT_USER_ID
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.handlers import help as help_feature
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


def test_ops_help_and_team_in_english(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER", ["Chen Jie"]),
        ("/ops help", ["only visible to Chen Jie", "Opsbot commands", "/ops [help | team]",
                       "/ops help lists every command"]),
        ("/ops team", ["Team Shenzhen Ops", "Purchasing", "@Chen Jie", "Warehouse", "@Klaus Becker", "#purchasing"]),
        ("/ops dance", ["I don't know /ops dance. Try /ops help, /ops team or /ops setup."]),
    ])


def test_a_person_whose_slack_is_in_chinese_is_answered_in_chinese(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MANAGER", ["Li Wei"]),
        ("/ops help", ["Opsbot 命令", "/ops 帮助 列出所有命令及用法"]),
        ("/ops team", ["团队 Shenzhen Ops", "运营主管", "@Li Wei", "采购", "*频道*"]),
        ("/ops dance", ["我不认识 /ops dance"]),
    ])


def test_someone_outside_every_team_is_told_which_file_to_be_added_to(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0GUEST", ["Guest Gao"]),
        ("/ops team", ["You are not in any Opsbot team yet. Ask the manager, @Li Wei, to add you."]),
    ])


class Boom(Exception):
    pass


def _test_feature(counter: list[str]) -> Feature:
    def register(reg: Registrar, ctx: Context) -> None:
        @reg.command("/boom")
        def boom(ack: Ack, command: dict[str, Any]) -> None:
            """/boom fails on purpose (tests only)."""
            ack()
            raise Boom("the buyer's address is 1 Main St")  # must never reach the user

        @reg.event("app_mention")
        def mention(event: dict[str, Any]) -> None:
            counter.append(event["text"])

    return Feature(name="test", register=register, commands=(SlashCommand("/boom", "fails"),),
                   events=("app_mention",))


@pytest.fixture
def test_console(playbooks_dir: Path, database_url: str, counter: list[str]) -> Iterator[ConsoleSlack]:
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         features=(help_feature.FEATURE, _test_feature(counter)))
    yield slack
    slack.close()


@pytest.fixture
def counter() -> list[str]:
    return []


def test_an_unexpected_error_gives_a_reference_and_the_bot_keeps_serving(
    test_console: ConsoleSlack, caplog: pytest.LogCaptureFixture
) -> None:
    # Here the error is the point (converse refuses it everywhere else).
    test_console.send("!as U0BUYER")
    transcript = test_console.send("/boom")
    assert "only visible to Chen Jie" in transcript and "Something went wrong (ref " in transcript
    transcript += converse(test_console, [("/ops team", ["Team Shenzhen Ops"])])
    ref = re.search(r"ref ([0-9A-F]{6})", transcript)
    assert ref is not None
    assert f"ref {ref.group(1)}" in caplog.text  # the log has the same ref ...
    assert "Traceback" in caplog.text and "Boom" in caplog.text  # ... and the traceback
    assert "Main St" not in transcript  # the exception's text never reaches the person


def _mention(slack: ConsoleSlack, event_id: str, retry: int | None = None, *, sent: int = 0) -> int:
    """An app_mention delivery; ``sent`` seconds ago, since each delivery from Slack is signed afresh."""
    body = json.dumps({
        "team_id": "T0DEMO", "api_app_id": "A0OPSBOT", "type": "event_callback", "event_id": event_id,
        "event_time": 1, "authorizations": [{"team_id": "T0DEMO", "user_id": BOT_USER_ID, "is_bot": True}],
        "event": {"type": "app_mention", "user": "U0BUYER", "text": f"hello {event_id}", "channel": "C0OPS",
                  "ts": "1.1"},
    })
    headers = payloads.sign(slack.signing_secret, body, timestamp=int(time.time()) - sent)
    headers["content-type"] = "application/json"
    if retry is not None:
        headers["x-slack-retry-num"] = str(retry)
        headers["x-slack-retry-reason"] = "http_timeout"
    return slack.app.dispatch(BoltRequest(body=body, headers=headers)).status


def test_a_retried_or_doubled_delivery_is_acted_on_once(test_console: ConsoleSlack, counter: list[str]) -> None:
    assert _mention(test_console, "Ev0001", sent=3) == 200
    assert _mention(test_console, "Ev0001", retry=1, sent=2) == 200
    assert _mention(test_console, "Ev0001", sent=1) == 200
    assert _mention(test_console, "Ev0002") == 200
    assert counter == ["hello Ev0001", "hello Ev0002"]


def test_a_badly_signed_or_stale_request_is_refused_with_401_and_does_nothing(
    test_console: ConsoleSlack, counter: list[str]
) -> None:
    body = payloads.slash_command("/ops", "team", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                  response_url=test_console.emulator.new_response_url("C0OPS", "U0BUYER"))
    forged = payloads.sign("not-the-secret", body)
    assert test_console.app.dispatch(BoltRequest(body=body, headers=forged)).status == 401
    stale = payloads.sign(test_console.signing_secret, body, timestamp=int(time.time()) - 6 * 60)
    assert test_console.app.dispatch(BoltRequest(body=body, headers=stale)).status == 401
    assert test_console.emulator.since(0) == []


def test_the_app_home_shows_each_person_their_team_roles_and_time_zone(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0WAREHOUSE\n"
         "!home", ["App Home of Klaus Becker", "Good to see you, Klaus Becker", "your roles: Warehouse",
                   "Germany (Berlin) Time", "`/ops`"]),
        ("!as U0MANAGER\n"
         "!home", ["Li Wei，你好", "你的角色：运营主管", "中国（上海）时间"]),
        ("!as U0GUEST\n"
         "!home", ["You are not in an Opsbot team yet"]),
    ])
