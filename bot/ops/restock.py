"""Restock requests, pure: the lifecycle, who may move it, and reading the one-line command."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from bot.errors import N_, OpsError
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import Role

REQUESTED, APPROVED, REJECTED, ORDERED, SHIPPED, RECEIVED, CLOSED, CANCELLED = (
    "requested", "approved", "rejected", "ordered", "shipped", "received", "closed", "cancelled")
OPEN_STATES = (REQUESTED, APPROVED, ORDERED, SHIPPED, RECEIVED)
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


def needs_manager(facts: RequestFacts, playbook: RestockPlaybook) -> bool:
    return (facts.quantity * facts.unit_cost > playbook.approval.manager_over_value
            or facts.quantity > playbook.approval.manager_over_quantity)


def may(action: str, actor: str, roles: set[Role], facts: RequestFacts, playbook: RestockPlaybook) -> bool:
    """Who may do what: deciding needs purchasing (the manager above the thresholds), never your own."""
    manager, purchasing = Role.manager in roles, Role.purchasing in roles
    if action in ("approve", "reject", "change_quantity"):
        if actor == facts.requester:
            return False
        return manager or (purchasing and not needs_manager(facts, playbook))
    if action in ("order", "ship", "close"):
        return manager or purchasing
    if action == "receive":
        return manager or purchasing or Role.warehouse in roles
    if action == "cancel":
        return manager or purchasing or actor == facts.requester
    return False


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
