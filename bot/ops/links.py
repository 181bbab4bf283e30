"""What started what: a feedback item's consequences (a restock request, a promotion, a launch task), a
meeting action's follow-ups. Pure: the references and how a person reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["feedback", "restock", "promo", "launch_task", "action"]
KINDS: tuple[Kind, ...] = ("feedback", "restock", "promo", "launch_task", "action")
# The short names people already say: F-12, R-3, P-2, T-40, A-7.
PREFIXES: dict[Kind, str] = {"feedback": "F", "restock": "R", "promo": "P", "launch_task": "T", "action": "A"}


@dataclass(frozen=True, order=True)
class Ref:
    """One object of one feature, by kind and id."""

    kind: Kind
    id: int

    @property
    def label(self) -> str:
        return f"{PREFIXES[self.kind]}-{self.id}"


@dataclass(frozen=True)
class LinkState:
    """How a linked object reads on the other's card: its label and title, its state in the reader's words, whether
    it is finished (done, received, ended, cancelled), and where to open it."""

    ref: Ref
    title: str
    state: str
    finished: bool
    permalink: str | None = None
