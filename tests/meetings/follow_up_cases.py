"""A meeting action's follow-up builders fed what a person typed (tests/test_blocks_escaping.py runs them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.blocks import meeting_follow_ups as follow_ups
from bot.i18n import translator
from bot.ops.links import LinkState, Ref

TR = translator("en")


def _started(t: str) -> tuple[LinkState, ...]:
    return (LinkState(Ref("restock", 1), t, t, finished=False), LinkState(Ref("promo", 2), t, t, finished=True))


FOLLOW_UP_CASES: dict[str, Callable[[str], Any]] = {
    "meeting_follow_ups.started_text": lambda t: follow_ups.started_text(TR, _started(t)),
    "meeting_follow_ups.turn_into_menu": lambda _t: follow_ups.turn_into_menu(TR, 1, tuple(follow_ups.KIND_NAMES)),
    "meeting_follow_ups.follow_up_blocks": lambda t: follow_ups.follow_up_blocks(
        TR, 1, "open", follow_ups.FollowUps(("promo",), _started(t))),
}
