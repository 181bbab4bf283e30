"""A Slack that holds every call until the test lets it answer: for showing what does not wait on Slack, with no
clock and no sleeping (a request that did wait would wait for a release that comes only after it)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from bot.console.emulator import SlackEmulator
from bot.console.http_server import Answer
from bot.console.slack_state import User

PASSING = frozenset({"auth.test"})  # who the bot is: asked once by Bolt before the first listener, then known


class HeldSlack(SlackEmulator):
    """The Slack emulator, holding every Web API call, response_url post and file download at a gate until the
    test opens it (``release``); ``arrived`` counts what came to the gate."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.gate = threading.Event()
        self.gate.set()
        self.arrived = 0
        self._count = threading.Lock()

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def _wait(self) -> None:
        with self._count:
            self.arrived += 1
        self.gate.wait()

    def answer(self, method: str, args: dict[str, Any], authorization: str) -> Answer | None:
        if method not in PASSING:
            self._wait()
        return super().answer(method, args, authorization)

    def respond(self, key: str, payload: dict[str, Any]) -> bool:
        self._wait()
        return super().respond(key, payload)

    def download(self, file_id: str, authorization: str) -> Answer:
        self._wait()
        return super().download(file_id, authorization)


def held_slack(token: str, kind: type[HeldSlack] = HeldSlack) -> Iterator[HeldSlack]:
    """The held Slack (or a ``kind`` of it that misbehaves) with three of the team's people, answering again and
    closed when the test ends (``yield from`` it in a fixture)."""
    emulator = kind(token).start()
    emulator.add_user(User("U0BUYER", "Chen Jie", "Asia/Shanghai", "en-US"))
    emulator.add_user(User("U0ANALYST", "Sara Kim", "Europe/Berlin", "en-US"))
    emulator.add_user(User("U0CS", "Wang Fang", "Asia/Shanghai", "en-US"))
    yield emulator
    emulator.release()
    emulator.stop()
