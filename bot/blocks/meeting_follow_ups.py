"""Block Kit for a meeting action's follow-ups: the "Turn into…" menu on its card (a restock request, a promotion, a
launch task: only what the reader may start) and what it started, each with its state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks.common import actions, context, option, plain
from bot.blocks.feedback_lines import started_line
from bot.blocks.limits import SECTION_TEXT, clip
from bot.errors import N_
from bot.i18n import Translator
from bot.ops.links import LinkState

TURN_INTO = "meetings.turn_into"  # value "<kind>:<action id>"
# What an action can be turned into, in the order the menu offers them.
KIND_NAMES = {"restock": N_("Restock request"), "promo": N_("Promotion"), "launch_task": N_("Launch task")}
FINISHED_STATES = ("done", "cancelled")  # an action in one of these starts nothing more


@dataclass(frozen=True)
class FollowUps:
    """What a reader sees of an action's follow-ups: what they may turn it into, and what it already started."""

    kinds: tuple[str, ...] = ()
    started: tuple[LinkState, ...] = ()


def started_text(tr: Translator, started: Sequence[LinkState]) -> str:
    """``Started: R-3 LED-100 ×900 · approved; ✅ T-40 … · done`` (titles escaped), or nothing."""
    if not started:
        return ""
    return tr._("Started: {things}", things="; ".join(started_line(tr, s) for s in started))


def turn_into_menu(tr: Translator, action_id: int, kinds: Sequence[str]) -> dict[str, Any] | None:
    options = [option(tr._(KIND_NAMES[k]), f"{k}:{action_id}") for k in KIND_NAMES if k in kinds]
    if not options:
        return None
    return {"type": "static_select", "action_id": TURN_INTO, "placeholder": plain(tr._("Turn into…")),
            "options": options}


def follow_up_blocks(tr: Translator, action_id: int, state: str, follow_ups: FollowUps | None
                     ) -> list[dict[str, Any]]:
    """Under the action's own line and buttons: what it started, then the menu (not for a finished action)."""
    if follow_ups is None:
        return []
    blocks: list[dict[str, Any]] = []
    if follow_ups.started:
        blocks.append(context(clip(started_text(tr, follow_ups.started), SECTION_TEXT)))
    menu = turn_into_menu(tr, action_id, follow_ups.kinds) if state not in FINISHED_STATES else None
    if menu is not None:
        blocks.append(actions([menu]))
    return blocks
