"""What started what: a feedback item's consequences (a restock request, a promotion, a launch task), a
meeting action's follow-ups. Pure: the references and how a person reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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


# What can start a restock request, a promotion or a launch task, by the key a form's metadata keeps it under (not
# "action": a restock step form's metadata already says which step it is under that key).
SOURCE_KEYS: dict[Kind, str] = {"feedback": "feedback", "action": "meeting_action"}


def source_metadata(source: Ref | None) -> dict[str, int]:
    """A form's private_metadata naming what it was opened from: ``{"feedback": 12}``, ``{"meeting_action": 7}``."""
    return {SOURCE_KEYS[source.kind]: source.id} if source is not None and source.kind in SOURCE_KEYS else {}


def source_in(metadata: Any) -> Ref | None:
    """The source a form's metadata names (the inverse of :func:`source_metadata`); None when it names none.
    A value that is not an id raises ValueError: the payload was forged."""
    if not isinstance(metadata, dict):
        return None
    for kind, key in SOURCE_KEYS.items():
        value = metadata.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"not an id: {value!r}")
        return Ref(kind, value)
    return None
