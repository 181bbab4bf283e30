"""A console that runs only the launch feature, for tests that live through a launch's weeks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.console.slack_state import Record
from bot.handlers import launch
from tests.conftest import MONDAY_9AM_SHENZHEN


@pytest.fixture
def launches_only(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The console with the launch feature alone, at Monday 09:00 Shenzhen like ``console``.

    A test that moves the clock from November to the launch's reviews in February runs every scheduled job
    that falls due on the way. With every feature that is 5,225 fires by Feb 8 — eight people's stand-up prompts
    and reminders, hourly feedback and restock sweeps, digests — 40 to 80 s a test, when the launch's own are 77
    morning rounds and these tests assert on nothing but the launch.
    """
    slack = ConsoleSlack(
        playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN, features=(launch.FEATURE,)
    )
    try:
        yield slack
    finally:
        slack.close()


def _press(console: ConsoleSlack, body: str) -> str:
    console.dispatch(body)
    return console.seat.new_output()


def press_later(console: ConsoleSlack, user: str, label: str) -> Callable[[], str]:
    """The button ``label`` on the newest message ``user`` sees now, pressed when the returned function is called.

    That is a click from a screen that has not refreshed yet — or, called from two threads, two people clicking
    in the same moment: Slack delivers both, whatever the message shows by then.
    """
    emulator = console.emulator
    latest: dict[tuple[str | None, str | None], Record] = {}
    for record in emulator.records:
        if record.kind in ("message", "update"):
            latest[(record.channel, record.ts)] = record

    def visible(record: Record) -> bool:
        channel = emulator.channel(record.channel or "")
        return not channel.is_im or channel.user == user

    for record in sorted((r for r in latest.values() if visible(r)), key=lambda r: r.seq, reverse=True):
        for block in record.blocks or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("type") == "button" and element["text"]["text"] == label:
                    break
            else:
                continue
            break
        else:
            continue
        channel = record.channel or ""
        body = payloads.block_action(
            user=user,
            team=console.seat.team.slack_team_id,
            action={
                "type": "button",
                "action_id": element["action_id"],
                "block_id": block.get("block_id"),
                "text": element["text"],
                "value": element.get("value"),
                "action_ts": f"{console.clock.now().timestamp():.6f}",
            },
            channel=channel,
            message={"type": "message", "ts": record.ts, "text": record.text, "blocks": record.blocks},
            response_url=emulator.new_response_url(channel, user, record.ts),
            container={"type": "message", "message_ts": record.ts, "channel_id": channel, "is_ephemeral": False},
        )

        return partial(_press, console, body)
    raise AssertionError(f"{user} sees no button {label!r}")
