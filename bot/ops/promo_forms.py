"""The promotion form's fields as typed values; a value that cannot be read names its field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.errors import N_, OpsError
from bot.ops.links import Ref
from bot.ops.promo import PromoForm

_NUMBER = re.compile(r"^\s*[$€£¥]?\s*([\d,]+(?:\.\d+)?)\s*$")
_PERCENT = re.compile(r"^\s*([\d.]+)\s*[%％]?\s*$")


def _money(values: dict[str, Any], name: str) -> float | None:
    raw = str(values.get(name) or "").strip()
    if not raw:
        return None
    found = _NUMBER.match(raw)
    if not found:
        raise OpsError(N_("{value} is not an amount: write a number like 500 or 24.99."), field=name, value=raw)
    return float(found.group(1).replace(",", ""))


def _discount(values: dict[str, Any]) -> float | None:
    raw = str(values.get("discount") or "").strip()
    if not raw:
        return None
    found = _PERCENT.match(raw)
    try:
        percent = float(found.group(1)) if found else -1.0
    except ValueError:
        percent = -1.0
    if not 0 < percent < 100:
        raise OpsError(N_("A discount is between 0% and 100%, e.g. 15%."), field="discount")
    return percent / 100


def _day(values: dict[str, Any], name: str) -> date | None:
    raw = values.get(name)
    return date.fromisoformat(raw) if raw else None


def promo_form(values: dict[str, Any], source: Ref | None) -> PromoForm:
    """The form's values (by block id) and what it was opened from (F-12, A-7)."""
    skus = tuple(s.strip() for s in re.split(r"[\s,，、]+", str(values.get("skus") or "")) if s.strip())
    return PromoForm(skus=skus, marketplace=values.get("marketplace"), kind=values.get("kind"),
                     start=_day(values, "start"), end=_day(values, "end"), discount=_discount(values),
                     amount=_money(values, "amount"), budget=_money(values, "budget"),
                     reason=str(values.get("reason") or "").strip(), source=source)
