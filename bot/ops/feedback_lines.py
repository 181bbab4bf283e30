"""A feedback item's destination lines, pure: each routed role works the item on its own line, and the item is
finished when every line is. Also which line a consequence (R-3, P-2, T-40) belongs to, and the follow-ups a
line offers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.errors import N_, OpsError
from bot.ops.links import Ref
from bot.ops.team import Role

NEW, ACKNOWLEDGED, ON_IT, DONE, NOT_OURS = "new", "acknowledged", "on_it", "done", "not_ours"
FINISHED = frozenset({DONE, NOT_OURS})
ACTIONS = ("acknowledge", "on_it", "done", "not_ours")
STEPS = {"acknowledge": ACKNOWLEDGED, "on_it": ON_IT, "done": DONE, "not_ours": NOT_OURS}
# What each line state offers its role, in button order.
OFFERED = {NEW: ("acknowledge", "on_it", "done", "not_ours"), ACKNOWLEDGED: ("on_it", "done", "not_ours"),
           ON_IT: ("on_it", "done"), DONE: (), NOT_OURS: ()}
# The item's one-word summary, as lists, reminders and the weekly summary read it.
ITEM_NEW, ITEM_ACKNOWLEDGED, ITEM_IN_PROGRESS, ITEM_CLOSED = "new", "acknowledged", "in_progress", "closed"
FOLLOW_UPS = ("adjust_restock", "plan_promo", "add_launch_task")


@dataclass(frozen=True)
class Line:
    """One destination's work on an item: its role, where it stands, who moved it last and their words."""

    role: Role
    state: str
    actor: str | None = None
    note: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


def next_line_state(current: str, action: str, item_id: int) -> str:
    """The line's state after ``action``; refused when the line has nothing like it left to do."""
    if action not in STEPS:
        raise OpsError(N_("That button is no longer on feedback #{id}."), id=item_id)
    if action not in OFFERED.get(current, ()):
        if current in FINISHED:
            raise OpsError(N_("That line of feedback #{id} is already finished."), id=item_id)
        raise OpsError(N_("That line of feedback #{id} has moved on; look at the card."), id=item_id)
    return STEPS[action]


def line_from_item_state(item_state: str) -> str:
    """A line for an item filed before lines existed, from the item's one state."""
    return {ITEM_NEW: NEW, ITEM_ACKNOWLEDGED: ACKNOWLEDGED, ITEM_IN_PROGRESS: ON_IT, ITEM_CLOSED: DONE}.get(
        item_state, NEW)


def item_state(lines: Iterable[Line], closed: bool = False) -> str:
    """closed when every line is finished (or the manager closed it); in progress once anyone is on it or done;
    acknowledged once anyone has looked; else new."""
    states = [line.state for line in lines]
    if closed or (states and all(s in FINISHED for s in states)):
        return ITEM_CLOSED
    if any(s in (ON_IT, DONE) for s in states):
        return ITEM_IN_PROGRESS
    if any(s != NEW for s in states):
        return ITEM_ACKNOWLEDGED
    return ITEM_NEW


def may_work_line(actor_roles: set[Role], role: Role) -> bool:
    """A line is worked by the holders of its role."""
    return role in actor_roles


def attribute(
    lines: list[Line], started: list[tuple[Ref, str]], roles_of: Mapping[str, set[Role]]
) -> dict[Role, list[Ref]]:
    """Which line started each consequence (by who created its link): the line that person is on, else the first
    line of a role they hold; a consequence nobody on a line started belongs to no line."""
    found: dict[Role, list[Ref]] = {line.role: [] for line in lines}
    for ref, by in started:
        mine = next((line for line in lines if line.actor == by), None)
        if mine is None:
            mine = next((line for line in lines if line.role in roles_of.get(by, set())), None)
        if mine is not None:
            found[mine.role].append(ref)
    return found


def done_by_consequences(lines: list[Line], started: Mapping[Role, list[Ref]], finished: set[Ref]) -> list[Role]:
    """The unfinished lines whose consequences are all finished: done now."""
    return [line.role for line in lines
            if not line.finished and started.get(line.role) and all(r in finished for r in started[line.role])]


def reconcile(current: list[Role], active: set[Role], wanted: list[Role]) -> tuple[list[Role], list[Role], list[Role]]:
    """A re-route: (lines to create, lines to bring back, lines to put aside). ``current``: every line the item
    has had; ``active``: those shown now. A line put aside keeps its state, and comes back with it."""
    wanted = list(dict.fromkeys(wanted))  # a role chosen twice is one line
    create = [r for r in wanted if r not in current]
    back = [r for r in wanted if r in current and r not in active]
    aside = [r for r in current if r in active and r not in wanted]
    return create, back, aside
