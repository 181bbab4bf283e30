"""Restock suggestions as the planning tools compute them (see shared reference: restock-and-kpi-math).

Velocity leaves out stock-out days and blends 30/60/90-day averages; lead time adds its legs (Q4
receiving is slower); safety stock covers demand and lead-time variability at the service level;
the order quantity covers review period + lead time, rounded up to MOQ and carton, never negative.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.ops.restock_playbook import FreightMode, SkuSettings, Supplier

WINDOWS = ((30, 0.5), (60, 0.3), (90, 0.2))
ORDER_NOW, REORDER_SOON, OK, OVERSTOCK, NO_HISTORY = "order_now", "reorder_soon", "ok", "overstock", "no_history"


class Day(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def units(self) -> int: ...
    @property
    def available(self) -> int | None: ...


@dataclass(frozen=True)
class Velocity:
    per_day: float
    windows: tuple[tuple[int, float], ...]  # (window days, average over its in-stock days)
    stockout_days: int
    sigma: float  # standard deviation of daily units over in-stock days


def velocity(history: Sequence[Day], today: date) -> Velocity | None:
    """Units a day; None when no in-stock day has data."""
    in_stock = [d for d in history if d.available is None or d.available > 0]
    stockouts = sum(1 for d in history if d.available == 0 and (today - d.day).days < 90)
    found: list[tuple[int, float, float]] = []
    for days, weight in WINDOWS:
        window = [d.units for d in in_stock if 0 < (today - d.day).days <= days]
        if window:
            found.append((days, weight, sum(window) / len(window)))
    if not found:
        return None
    total_weight = sum(weight for _, weight, _ in found)  # fall back to what exists for new SKUs
    blended = sum(weight * average for _, weight, average in found) / total_weight
    recent = [d.units for d in in_stock if 0 < (today - d.day).days <= 90]
    sigma = statistics.pstdev(recent) if len(recent) > 1 else 0.0
    return Velocity(blended, tuple((days, average) for days, _, average in found), stockouts, sigma)


@dataclass(frozen=True)
class LeadTime:
    production: int
    freight: int
    customs: int
    receiving: int
    q4_extra: int

    @property
    def days(self) -> int:
        return self.production + self.freight + self.customs + self.receiving + self.q4_extra


def lead_time(supplier: Supplier, mode: FreightMode, today: date) -> LeadTime:
    before_receiving = supplier.production_days + supplier.freight_days.get(mode, 0) + supplier.customs_days
    arrival = today + timedelta(days=before_receiving)
    q4 = supplier.q4_extra_receiving_days if arrival.month in (10, 11, 12) else 0
    return LeadTime(supplier.production_days, supplier.freight_days.get(mode, 0), supplier.customs_days,
                    supplier.receiving_days, q4)


def z_score(service_level: float) -> float:
    return statistics.NormalDist().inv_cdf(service_level)


def round_up(quantity: float, moq: int, carton: int) -> int:
    if quantity <= 0:
        return 0
    return math.ceil(max(quantity, moq) / carton) * carton


@dataclass(frozen=True)
class Suggestion:
    sku: str
    status: str
    velocity: Velocity | None
    lead: LeadTime
    safety_stock: int
    reorder_point: int
    available: int
    inbound: int
    days_of_cover: float | None
    reorder_by: date | None
    quantity: int


def suggest(
    sku: str, history: Sequence[Day], available: int, inbound: int, settings: SkuSettings, supplier: Supplier,
    mode: FreightMode, service_level: float, review_days: int, today: date,
) -> Suggestion:
    lead = lead_time(supplier, mode, today)
    speed = velocity(history, today)
    if speed is None or speed.per_day <= 0:
        return Suggestion(sku, NO_HISTORY, speed, lead, 0, 0, available, inbound, None, None, 0)
    d, length = speed.per_day, lead.days
    safety = z_score(service_level) * math.sqrt(length * speed.sigma**2 + d**2 * supplier.lead_time_sd_days**2)
    reorder_point = d * length + safety
    cover = (available + inbound) / d
    need = (review_days + length) * d + safety - (available + inbound)
    if cover < length:
        status = ORDER_NOW
    elif cover < length + 7:
        status = REORDER_SOON
    elif cover > 1.5 * (review_days + length):
        status = OVERSTOCK
    else:
        status = OK
    return Suggestion(
        sku, status, speed, lead, math.ceil(safety), math.ceil(reorder_point), available, inbound, cover,
        today + timedelta(days=math.floor(cover - length)), round_up(need, settings.moq, settings.carton),
    )
