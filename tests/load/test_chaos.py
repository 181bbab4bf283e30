"""Issue 17's chaos list, on the ack path: refusals are answers, never a 500; a users.info that hangs blocks
neither an ack nor a job; with the database down, a clean one-line answer and /readyz not ready."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from bot import people
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.session import ConsoleSlack
from bot.console.slack_state import User
from bot.db import Database
from bot.db.core import ProcessedDelivery
from bot.db.outbox import WorkItem
from tests.load.conftest import HangingResponseUrl, Served, command, eventually


def ephemerals(emulator: SlackEmulator) -> list[str]:
    return [r.text for r in emulator.records if r.kind == "ephemeral"]


def test_a_refusal_after_the_ack_is_answered_200_with_the_explanation_not_500(console: ConsoleSlack) -> None:
    # Run before answering (as a view submission is, and as the console runs everything): someone outside every
    # team is refused after ack(). Bolt used to turn that into a 500, so Slack showed a failure on top.
    body = payloads.slash_command(
        "/kpi",
        "30d",
        user="U0STRANGER",
        channel="C0OPS",
        team="T0DEMO",
        response_url=console.emulator.new_response_url("C0OPS", "U0STRANGER"),
    )
    response = console.dispatch(body)
    assert response.status == 200
    assert any("not in any Opsbot team" in reply for reply in ephemerals(console.emulator))


def test_twenty_refused_commands_under_serve_are_all_acknowledged_and_each_explained_once(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str
) -> None:
    served = Served(emulator, playbooks_dir, database_url, work_threads=4)
    try:
        urls = [emulator.new_response_url("C0OPS", "U0BUYER") for _ in range(20)]
        statuses = [served.post(command("NO-SUCH-SKU 40", url, name="/restock")).status_code for url in urls]
        assert statuses == [200] * 20
        assert eventually(lambda: len(ephemerals(emulator)) == 20)
        assert all("NO-SUCH-SKU" in reply for reply in ephemerals(emulator))
        assert not [reply for reply in ephemerals(emulator) if "went wrong" in reply]
    finally:
        served.stop()


def test_a_web_api_that_hangs_blocks_neither_the_ack_nor_the_work(
    emulator: SlackEmulator,
    hanging: HangingResponseUrl,
    playbooks_dir: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(people, "LOOKUP_TIMEOUT_SECONDS", 0.2)
    # Every Web API call (users.list, users.info, ...) hangs; response_urls are answered.
    served = Served(emulator, playbooks_dir, database_url, work_threads=1, api_url=hanging.api_url)
    try:
        reply = emulator.new_response_url("C0OPS", "U0BUYER")
        assert served.post(command("help", reply)).status_code == 200
        # The work falls back to the team's language instead of waiting on users.info for ever.
        assert eventually(lambda: len(ephemerals(emulator)) == 1)
        assert hanging.wait_arrivals(2)  # users.list, then users.info, each given up after its timeout
    finally:
        served.stop()


def test_a_profile_lookup_that_hangs_falls_back_to_what_is_known_and_is_not_asked_again_at_once(
    hanging: HangingResponseUrl, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slack_sdk import WebClient

    monkeypatch.setattr(people, "LOOKUP_TIMEOUT_SECONDS", 0.2)
    directory = people.People(WebClient(token="xoxb-hang", base_url=hanging.api_url))
    first = directory.profile("U0BUYER")
    assert (first.name, first.tz, first.locale) == ("U0BUYER", None, None)
    assert hanging.wait_arrivals(1)  # users.list, which hung: users.info is not asked to hang as long again
    assert not hanging.arrived.acquire(blocking=False)
    assert directory.profile("U0BUYER") == first  # within the minute: not asked again (it would have arrived
    assert not hanging.arrived.acquire(blocking=False)  # before profile() returned)


@pytest.mark.postgres
def test_with_the_database_down_a_command_gets_one_clean_line_in_its_language_and_readyz_says_not_ready(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str
) -> None:
    emulator.add_user(User("U0MARKET", "Wang Fang", "Asia/Shanghai", "zh-CN"))
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2)
    admin = create_engine(postgres_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = postgres_url.rsplit("/", 1)[1]
    try:
        # Before the outage: both are known (their profiles read once, as any command does).
        for user in ("U0BUYER", "U0MARKET"):
            assert served.post(command("help", emulator.new_response_url("C0OPS", user), user=user)).status_code == 200
        assert eventually(lambda: len(ephemerals(emulator)) == 2)
        # The ack path reads a person's profile after acknowledging, on a thread of its own.
        assert eventually(lambda: served.services.context.people.known("U0MARKET") is not None)

        with admin.connect() as connection:  # the database goes away: no new connections, the open ones cut
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))

        down = served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER")))
        assert down.status_code == 200
        assert down.json()["response_type"] == "ephemeral"
        assert down.json()["text"].startswith("Opsbot can't reach its database right now; try again in a minute")
        chinese = served.post(command("help", emulator.new_response_url("C0OPS", "U0MARKET"), user="U0MARKET"))
        assert chinese.status_code == 200 and chinese.json()["text"].startswith("Opsbot 暂时连不上数据库")
        press_reply = emulator.new_response_url("C0OPS", "U0BUYER")
        press = payloads.block_action(
            user="U0BUYER",
            team="T0DEMO",
            action={"action_id": "opsbot_noop", "type": "button", "value": "x"},
            container={"type": "message"},
            response_url=press_reply,
            channel="C0OPS",
        )
        assert served.post(press).status_code == 200
        assert eventually(lambda: any("can't reach its database" in r for r in ephemerals(emulator)))
        ready = httpx.get(f"{served.base}/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["database"] is False

        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert httpx.get(f"{served.base}/readyz", timeout=10).status_code == 200
        # Nothing half-done: what was refused during the outage was neither queued nor marked as seen.
        database = Database(postgres_url)

        def count(table: type[WorkItem | ProcessedDelivery]) -> int:
            with database.transaction() as session:
                return int(session.scalar(select(func.count()).select_from(table)) or 0)

        assert count(ProcessedDelivery) == 2  # the two commands before the outage, nothing of it
        assert eventually(lambda: count(WorkItem) == 0)  # their rows go at the work threads' next claim
        database.dispose()
        # And the next command is worked on as usual.
        before = len(ephemerals(emulator))
        assert (
            served.post(
                command("help", emulator.new_response_url("C0OPS", "U0BUYER")), timestamp=int(time.time()) - 1
            ).status_code
            == 200
        )
        assert eventually(lambda: len(ephemerals(emulator)) == before + 1)
        assert "can't reach" not in ephemerals(emulator)[-1]
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
        served.stop()
