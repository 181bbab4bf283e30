"""Restock suggestions as the planning tools compute them (see shared reference: restock-and-kpi-math).

Velocity is computed once for every feature (bot.reports.velocity: units per calendar day since listing,
stock-out days left out); lead time adds its legs (Q4 receiving is slower); safety stock covers demand and
lead-time variability at the service level; the order quantity covers review period + lead time, rounded
up to MOQ and carton, never negative.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from bot.ops.restock_playbook import FreightMode, RestockPlaybook, SkuSettings, Supplier

ORDER_NOW, REORDER_SOON, OK, OVERSTOCK, NO_HISTORY = "order_now", "reorder_soon", "ok", "overstock", "no_history"


@dataclass(frozen=True)
class Velocity:
    """Units a day as bot.reports.velocity defines it for every feature: over the calendar days first..last
    that the SKU was listed, less the days its stock was known to be zero."""

    per_day: float
    first: date
    last: date
    days: int  # the days used
    stockout_days: int  # left out
    units: int
    sigma: float  # standard deviation of daily units over the days used (days without sales are zeros)


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


def default_lead_time(days: int) -> LeadTime:
    """For a SKU without a supplier: kpi.yml's lead_time_days, all of it counted as freight."""
    return LeadTime(0, days, 0, 0, 0)


def lead_time(supplier: Supplier, mode: FreightMode, today: date) -> LeadTime:
    before_receiving = supplier.production_days + supplier.freight_days.get(mode, 0) + supplier.customs_days
    arrival = today + timedelta(days=before_receiving)
    q4 = supplier.q4_extra_receiving_days if arrival.month in (10, 11, 12) else 0
    return LeadTime(supplier.production_days, supplier.freight_days.get(mode, 0), supplier.customs_days,
                    supplier.receiving_days, q4)


def lead_for(playbook: RestockPlaybook, sku: str, mode: FreightMode, today: date, default_days: int) -> LeadTime:
    """The one lead time of a SKU: its supplier's legs (restock.yml, per SKU, pattern or default supplier),
    else ``default_days`` (kpi.yml's lead_time_days)."""
    supplier = playbook.catalogued(sku).supplier
    if supplier is None:
        return default_lead_time(default_days)
    return lead_time(playbook.suppliers[supplier], mode, today)


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
    missing: tuple[str, ...] = ()  # settings that would sharpen it (restock_playbook.Catalogued.missing)


def suggest(
    sku: str, speed: Velocity | None, available: int, inbound: int, settings: SkuSettings, lead: LeadTime,
    lead_time_sd_days: float, service_level: float, review_days: int, today: date, as_of: date | None = None,
) -> Suggestion:
    """``lead``: the supplier's legs (lead_time), or the default for a SKU without a supplier.

    ``as_of``: the day the stock and velocity describe (the snapshot's day); the reorder-by date counts
    from it (a past date means overdue since then), so asking on another day gives the same date."""
    if speed is None or speed.per_day <= 0:
        return Suggestion(sku, NO_HISTORY, speed, lead, 0, 0, available, inbound, None, None, 0)
    d, length = speed.per_day, lead.days
    safety = z_score(service_level) * math.sqrt(length * speed.sigma**2 + d**2 * lead_time_sd_days**2)
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
        (as_of or today) + timedelta(days=math.floor(cover - length)), round_up(need, settings.moq, settings.carton),
    )
