"""The ack never waits on Slack or on slow work: with every work thread held by a Slack that hangs, new
commands and button presses are still acknowledged, and their work waits in the queue, durably."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.app import LISTENER_THREADS
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from tests.load.conftest import HangingResponseUrl, Served, command, eventually

WORK_THREADS = 2


def test_with_every_work_thread_held_by_a_hanging_slack_new_commands_and_presses_are_acknowledged(
    emulator: SlackEmulator, hanging: HangingResponseUrl, playbooks_dir: Path, database_url: str
) -> None:
    served = Served(emulator, playbooks_dir, database_url, work_threads=WORK_THREADS)
    try:
        # More at once than Bolt's own listener pool held (each ack used to wait for a free listener thread).
        burst = LISTENER_THREADS + 6
        with ThreadPoolExecutor(max_workers=16) as senders:
            statuses = list(senders.map(lambda _: served.post(command("help", hanging.url)).status_code, range(burst)))
        assert statuses == [200] * burst
        # Both work threads are now inside a response_url call that will not answer until released.
        assert hanging.wait_arrivals(WORK_THREADS)

        assert served.post(command("help", hanging.url)).status_code == 200
        press = payloads.block_action(
            user="U0BUYER",
            team="T0DEMO",
            action={"action_id": "opsbot_noop", "value": "x", "type": "button"},
            container={"type": "message"},
            response_url=hanging.url,
            channel="C0OPS",
        )
        assert served.post(press).status_code == 200
        # Acknowledged, and waiting durably: the queue holds every request not yet done.
        assert served.metric("opsbot_work_depth") == burst + 2
        assert served.metric("opsbot_work_oldest_seconds") >= 0

        hanging.release.set()
        assert eventually(lambda: served.metric("opsbot_work_depth") == 0)
        helps = [json.loads(body) for body in hanging.answered]
        assert len(helps) == burst + 1  # every command answered once; the press had nothing to answer
        assert all("/ops" in answer["text"] or answer.get("blocks") for answer in helps)
    finally:
        served.stop()


def test_a_slack_retry_of_a_queued_command_is_acknowledged_and_not_queued_again(
    emulator: SlackEmulator, hanging: HangingResponseUrl, playbooks_dir: Path, database_url: str
) -> None:
    served = Served(emulator, playbooks_dir, database_url, work_threads=1)
    try:
        body, now = command("help", hanging.url), int(time.time())
        assert served.post(body, timestamp=now - 1).status_code == 200
        assert hanging.wait_arrivals(1)
        # Slack signs its retry afresh (a new timestamp), so it is no replay; it is the same trigger.
        assert served.post(body, timestamp=now).status_code == 200
        assert served.metric("opsbot_work_depth") == 1
        hanging.release.set()
        assert eventually(lambda: served.metric("opsbot_work_depth") == 0)
        assert len(hanging.answered) == 1
    finally:
        served.stop()
