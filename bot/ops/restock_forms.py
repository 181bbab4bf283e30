"""What a restock form says, as typed values: the handlers read Slack's fields into these, the flows take them.

A value that cannot be read raises OpsError naming its field, so Slack shows the message under that input.
What needs the request or the playbook to judge (too large a quantity, more received than ordered) is the
flow's to check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from bot.errors import N_, OpsError
from bot.ops.restock_playbook import FreightMode


@dataclass(frozen=True)
class RequestForm:
    """A restock request as filed from the form or the one-line command; empty means "the default"."""

    sku: str
    marketplace: str | None = None
    destination: str | None = None
    quantity: int | None = None  # None: the suggestion
    needed_by: date | None = None
    freight: FreightMode | None = None
    reason: str = ""


@dataclass(frozen=True)
class StepForm:
    """What one lifecycle step's modal adds; the buttons that act at once add nothing."""

    reason: str | None = None  # reject
    quantity: int | None = None  # change_quantity
    po: str | None = None  # order
    supplier: str | None = None
    eta: date | None = None
    carrier: str | None = None  # ship
    tracking: str | None = None
    mode: FreightMode | None = None
    received: int | None = None  # receive


def request_form(values: dict[str, Any]) -> RequestForm:
    """The request modal's values (by block id)."""
    needed_by = date.fromisoformat(values["needed_by"]) if values.get("needed_by") else None
    return RequestForm(
        sku=values.get("sku") or "",
        marketplace=values.get("marketplace"),
        destination=values.get("destination"),
        quantity=suggested_or_whole(values.get("quantity")),
        needed_by=needed_by,
        freight=cast(FreightMode | None, values.get("freight")),
        reason=values.get("reason") or "",
    )


def suggested_or_whole(raw: object) -> int | None:
    """Empty means "the suggestion"; anything else must be a whole number (the flow judges its size)."""
    text = str(raw or "").replace(",", "").strip()
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        raise OpsError(N_("Give a whole number, e.g. 500."), field="quantity")
    return int(text)


def step_form(action: str, values: dict[str, Any]) -> StepForm:
    """A step modal's values (by block id) for ``action``."""
    if action == "reject":
        if not (values.get("reason") or "").strip():
            raise OpsError(N_("Say why it is rejected."), field="reason")
        return StepForm(reason=values["reason"].strip())
    if action == "change_quantity":
        return StepForm(quantity=whole(values.get("quantity"), "quantity"))
    if action == "order":
        if not values.get("po") or not values.get("eta"):
            raise OpsError(N_("Give the PO number and the ETA."), field="po" if not values.get("po") else "eta")
        return StepForm(po=values["po"], supplier=values.get("supplier"), eta=date.fromisoformat(values["eta"]))
    if action == "ship":
        return StepForm(carrier=values.get("carrier"), tracking=values.get("tracking"),
                        mode=cast(FreightMode | None, values.get("mode") or None))
    if action == "receive":
        return StepForm(received=whole(values.get("received"), "received", allow_zero=True))
    return StepForm()


def whole(raw: object, field: str, *, allow_zero: bool = False) -> int:
    try:
        value = int(str(raw).replace(",", "").strip())
    except ValueError as exc:
        raise OpsError(N_("Give a whole number, e.g. 500."), field=field) from exc
    if value < 0 or (value == 0 and not allow_zero):
        raise OpsError(N_("The quantity must be a whole number above zero."), field=field)
    return value


def offered_quantity(raw: str) -> tuple[int, int]:
    """The one-liner's "Make it 500" button: (request id, quantity); a value that is not that is refused."""
    try:
        value = json.loads(raw)
        request_id, quantity = value["id"], value["quantity"]
    except (ValueError, KeyError, TypeError) as exc:
        raise OpsError(N_("That restock request no longer exists.")) from exc
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (request_id, quantity)):
        raise OpsError(N_("That restock request no longer exists."))
    if quantity <= 0:
        raise OpsError(N_("The quantity must be a whole number above zero."))
    return request_id, quantity
