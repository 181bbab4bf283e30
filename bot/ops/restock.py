"""Restock requests, pure: the lifecycle, who may move it, and reading the one-line command."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import date

from bot.errors import N_, OpsError
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import Role

REQUESTED, APPROVED, REJECTED, ORDERED, SHIPPED, RECEIVED, CLOSED, CANCELLED = (
    "requested", "approved", "rejected", "ordered", "shipped", "received", "closed", "cancelled")
OPEN_STATES = (REQUESTED, APPROVED, ORDERED, SHIPPED, RECEIVED)
FINISHED_STATES = (RECEIVED, CLOSED, CANCELLED, REJECTED)  # as a linked object: nothing more is coming
# Filed from a private place, waiting for its requester to say where it goes: shown nowhere the team looks, in no
# open state, moved on only by its requester's answer (flows/restock_private.py).
HELD = "held"
# Cancelled by its requester while held: it was never posted, so it stays as private as it was, for good.
WITHDRAWN = "withdrawn"
UNPOSTED = (HELD, WITHDRAWN)  # seen by their requester only: in nobody else's list, status, export or card
# action -> (states it may start from, state it leads to)
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((REQUESTED,), APPROVED),
    "reject": ((REQUESTED,), REJECTED),
    "change_quantity": ((REQUESTED,), REQUESTED),
    "order": ((APPROVED,), ORDERED),
    "ship": ((ORDERED,), SHIPPED),
    "receive": ((SHIPPED,), RECEIVED),
    "close": ((RECEIVED,), CLOSED),
    "cancel": ((REQUESTED, APPROVED, ORDERED, SHIPPED), CANCELLED),
}


def can_move(action: str, state: str) -> bool:
    """Whether ``action`` may start from ``state`` (an unknown action never may)."""
    return action in MOVES and state in MOVES[action][0]


def next_state(action: str, state: str) -> str:
    """The state ``action`` leads to from ``state``; an illegal move raises OpsError with the reason."""
    allowed, target = MOVES[action]
    if state not in allowed:
        raise OpsError(
            N_("This request is {state}, so “{action}” is not possible any more."), state=state, action=action
        )
    return target


@dataclass(frozen=True)
class RequestFacts:
    requester: str
    quantity: int
    unit_cost: float
    requester_roles: frozenset[Role] = frozenset()


def needs_manager(facts: RequestFacts, playbook: RestockPlaybook) -> bool:
    return (facts.quantity * facts.unit_cost > playbook.approval.manager_over_value
            or facts.quantity > playbook.approval.manager_over_quantity)


def deciders(facts: RequestFacts, playbook: RestockPlaybook) -> tuple[Role, ...]:
    """The roles that approve or reject it (never the requester): purchasing or the manager up to the threshold,
    the manager above it, and for the manager's own request above it the second approver restock.yml names."""
    if not needs_manager(facts, playbook):
        return (Role.purchasing, Role.manager)
    if Role.manager in facts.requester_roles:
        second = playbook.approval.second_approver()
        return (Role.manager,) if second is None else (second, Role.manager)
    return (Role.manager,)


# Why a step is refused, for the flow to say in the reader's words.
OWN, ABOVE_THRESHOLD, MANAGERS_OWN, NEEDS_PURCHASING, CUT_TOO_DEEP, NOT_A_CUT = (
    "own", "above_threshold", "managers_own", "needs_purchasing", "cut_too_deep", "not_a_cut")


def refusal(action: str, actor: str, roles: set[Role], facts: RequestFacts, playbook: RestockPlaybook,
            quantity: int | None = None) -> str | None:
    """None when ``actor`` (holding ``roles``) may take ``action``; else why not. ``quantity``: a change's new
    figure (None while only its form is opened)."""
    decides = actor != facts.requester and bool(roles & set(deciders(facts, playbook)))
    if action in ("approve", "reject"):
        if actor == facts.requester:
            return OWN
        return None if decides else _whose(facts, playbook)
    if action == "change_quantity":
        if actor == facts.requester or decides:
            return None  # the requester amends their own; whoever decides may set it
        if Role.purchasing not in roles:
            return NEEDS_PURCHASING
        share = playbook.approval.purchasing_may_lower_by
        if share <= 0:
            return _whose(facts, playbook)
        if quantity is None:
            return None
        if quantity >= facts.quantity:
            return NOT_A_CUT
        return None if quantity >= math.ceil(facts.quantity * (1 - share)) else CUT_TOO_DEEP
    if action in ("order", "ship", "close"):
        return None if roles & {Role.manager, Role.purchasing} else NEEDS_PURCHASING
    if action == "receive":
        return None if roles & {Role.manager, Role.purchasing, Role.warehouse} else NEEDS_PURCHASING
    if action == "cancel":
        return None if actor == facts.requester or roles & {Role.manager, Role.purchasing} else NEEDS_PURCHASING
    return NEEDS_PURCHASING


def _whose(facts: RequestFacts, playbook: RestockPlaybook) -> str:
    if not needs_manager(facts, playbook):
        return NEEDS_PURCHASING
    return MANAGERS_OWN if Role.manager in facts.requester_roles else ABOVE_THRESHOLD


def may(action: str, actor: str, roles: set[Role], facts: RequestFacts, playbook: RestockPlaybook) -> bool:
    return refusal(action, actor, roles, facts, playbook) is None


def lowest_cut(facts: RequestFacts, playbook: RestockPlaybook) -> int:
    """The smallest quantity purchasing may cut a request to on its own."""
    return math.ceil(facts.quantity * (1 - playbook.approval.purchasing_may_lower_by))


def orderable(quantity: int, moq: int, carton: int) -> int | None:
    """The nearest quantity the supplier ships (at least the MOQ, whole cartons), or None when ``quantity`` is."""
    rounded = math.ceil(max(quantity, moq) / carton) * carton
    return None if rounded == quantity else rounded


def check_quantity(quantity: int, suggestion: int, playbook: RestockPlaybook, field: str | None = "quantity") -> None:
    if quantity <= 0:
        raise OpsError(N_("The quantity must be a whole number above zero."), field=field)
    limit = min(playbook.max_quantity, max(suggestion, 1) * 100) if suggestion else playbook.max_quantity
    if quantity > limit:
        raise OpsError(N_("{quantity} looks too large: the most is {limit} (max_quantity in restock.yml, or 100x "
                          "the suggestion)."), field=field, quantity=quantity, limit=limit)


def closest_skus(wanted: str, known: list[str]) -> list[str]:
    upper = {k.upper(): k for k in known}
    return [upper[m] for m in difflib.get_close_matches(wanted.upper(), list(upper), n=3, cutoff=0.5)]


@dataclass(frozen=True)
class RestockCommand:
    action: str  # open | file | list | status | help
    sku: str = ""
    quantity: int | None = None
    needed_by: date | None = None
    note: str = ""
    scope: str = "open"
    ref: int | None = None


_REF = re.compile(r"^R-?(\d+)$", re.IGNORECASE)


def parse_command(text: str) -> RestockCommand:
    words = text.strip().split()
    if not words:
        return RestockCommand("open")
    head = words[0].lower()
    if head == "list" and len(words) <= 2:
        return RestockCommand("list", scope=words[1] if len(words) == 2 else "open")
    if head == "status":
        match = _REF.match(words[1]) if len(words) == 2 else None
        if match is None:
            raise OpsError(N_("Usage: /restock status R-123"))
        return RestockCommand("status", ref=int(match.group(1)))
    if head == "help":
        return RestockCommand("help")
    sku, rest = words[0], words[1:]
    quantity = None
    if rest and re.fullmatch(r"-?\d[\d,]*", rest[0]):  # a digit first: "," alone is words
        quantity = int(rest.pop(0).replace(",", ""))
        if quantity <= 0:
            raise OpsError(N_("The quantity must be a whole number above zero."))
    elif rest and re.fullmatch(r"-?\d+(\.\d+)?[a-z]*", rest[0], re.IGNORECASE):
        raise OpsError(N_("{text} is not a quantity: use a whole number, e.g. /restock LED-100 500."), text=rest[0])
    needed_by = None
    if len(rest) >= 2 and rest[0].lower() == "by":
        try:
            needed_by = date.fromisoformat(rest[1])
        except ValueError as exc:
            raise OpsError(N_("{text} is not a date: use YYYY-MM-DD, e.g. by 2027-01-15."), text=rest[1]) from exc
        rest = rest[2:]
    return RestockCommand("file", sku=sku, quantity=quantity, needed_by=needed_by, note=" ".join(rest))
