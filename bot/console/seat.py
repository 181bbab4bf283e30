"""The person at the console and their screen: who speaks (``!as``), where (``!in``), what has already
been shown, and the modals open on each person's screen.

Every line shows only what it caused: ``new_output`` sends what the app committed, then renders the
records since the last output and notes the modals among them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.console.errors import ConsoleError
from bot.console.real_app import RealApp
from bot.console.render import Renderer
from bot.console.slack_state import Record
from bot.ops.team import Team


@dataclass
class ModalState:
    view_id: str
    filled: dict[str, dict[str, Any]] = field(default_factory=dict)  # block_id -> element state


class Seat:
    def __init__(self, app: RealApp, *, user: str, channel: str) -> None:
        self.app = app
        self.emulator = app.emulator
        self.user = user
        self.channel = channel
        self.renderer = Renderer(app.emulator.state)
        self.modals: dict[str, list[ModalState]] = {}  # person -> their open modals, the top one last
        self.seen = 0  # the last record shown
        self.said = 0  # how many messages and files the console posted as people: each gets its own ts

    @property
    def team(self) -> Team:
        """The team of whoever speaks now (their workspace is where their lines come from)."""
        return self.app.team_of(self.user)

    def new_output(self) -> str:
        self.app.services.delivery.outbox.drain()
        records = self.emulator.since(self.seen)
        if records:
            self.seen = records[-1].seq
        self._track_modals(records)
        return self.renderer.render(records)

    def _track_modals(self, records: Iterable[Record]) -> None:
        for record in records:
            if not record.user or not record.view_id:
                continue
            stack = self.modals.setdefault(record.user, [])
            if record.kind == "view_open":
                stack[:] = [ModalState(record.view_id)]
            elif record.kind == "view_push":
                stack.append(ModalState(record.view_id))

    def top_modal(self) -> tuple[ModalState, Record]:
        stack = self.modals.get(self.user) or []
        if not stack:
            raise ConsoleError(f"no modal is open for {self.user}; open one with a command or a button first")
        state = stack[-1]
        return state, self.emulator.views[state.view_id]
