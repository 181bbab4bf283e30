"""playbooks/kpi.yml: digest time and channel per team, monthly targets per marketplace, FX rates, alerts."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.errors import N_, OpsError
from bot.ops.team import ChannelKey
from bot.playbooks import Percent, load_model
from bot.reports.formats import MARKETPLACES
from bot.reports.fx import covers, ecb_rate
from bot.reports.zones import ZONES


class Digest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time: dt.time = dt.time(9, 0)  # the team's local time
    channel: ChannelKey = ChannelKey.ops
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    top_movers: int = Field(default=5, ge=0, le=20)


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    gmv: float | None = Field(default=None, ge=0)  # in the marketplace's currency
    acos_max: Percent | None = Field(default=None, ge=0)
    tacos_max: Percent | None = Field(default=None, ge=0)
    cvr_min: Percent | None = Field(default=None, ge=0)
    return_rate_max: Percent | None = Field(default=None, ge=0)


class FxRate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    to: str = Field(pattern=r"^[A-Z]{3}$")
    rate: float = Field(gt=0)  # one unit of `currency` is `rate` units of `to`
    effective: date


class Alerts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ctr_high: Percent = Field(default=0.005, ge=0)  # CTR at or above this counts as "high"
    cvr_low: Percent = Field(default=0.08, ge=0)
    acos_rise: Percent = Field(default=0.2, ge=0)  # ACoS up 20 % vs. its 7-day average
    sessions_drop: Percent = Field(default=0.25, ge=0)  # sessions 25 % below the 7-day average
    return_rate_rise: Percent = Field(default=0.5, ge=0)  # return rate 50 % above its 30-day rate
    lead_time_days: int = Field(default=45, ge=0)  # only SKUs with no supplier in restock.yml
    lead_time_by_sku: dict[str, int] = Field(default_factory=dict)
    # Ad spend with no ad sales at all, in the team's base currency: over this on the day, or over the last 7 days.
    spend_without_sales_day: float = Field(default=50.0, ge=0)
    spend_without_sales_week: float = Field(default=200.0, ge=0)


class KpiPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    digest: dict[str, Digest] = Field(default_factory=dict)  # by team id; teams not listed get no digest
    currencies: dict[str, str] = Field(default_factory=dict)  # marketplace -> currency, beyond the defaults
    targets: dict[str, dict[str, Target]] = Field(default_factory=dict)  # marketplace -> "YYYY-MM" -> target
    fx: tuple[FxRate, ...] = ()
    alerts: Alerts = Alerts()
    marketplace_zones: dict[str, str] = Field(default_factory=dict)  # marketplace -> IANA zone of its days
    # team id -> the marketplace of its reports that say none (neither --marketplace nor the file name)
    default_marketplace: dict[str, str] = Field(default_factory=dict)

    @field_validator("default_marketplace")
    @classmethod
    def _known_marketplaces(cls, chosen: dict[str, str]) -> dict[str, str]:
        unknown = {team: m for team, m in chosen.items() if m.upper() not in MARKETPLACES}
        if unknown:
            raise ValueError(f"{unknown}: not marketplace codes; use one of {', '.join(sorted(MARKETPLACES))}")
        return {team: m.upper() for team, m in chosen.items()}

    @field_validator("marketplace_zones")
    @classmethod
    def _known_zones(cls, zones: dict[str, str]) -> dict[str, str]:
        for market, zone in zones.items():
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"{market}: {zone} is not a time zone (e.g. America/Los_Angeles)") from exc
        return zones

    def zones(self) -> dict[str, str | None]:
        """Each marketplace's day zone: Amazon's (bot.reports.zones), then kpi.yml's overrides."""
        return {**ZONES, **{m.upper(): z for m, z in self.marketplace_zones.items()}}

    def target(self, marketplace: str, day: date) -> Target:
        return self.targets.get(marketplace, {}).get(f"{day:%Y-%m}", Target())

    def lead_time(self, sku: str) -> int:
        return self.alerts.lead_time_by_sku.get(sku, self.alerts.lead_time_days)

    def rate(self, currency: str, base: str, day: date) -> float:
        """The rate in effect on ``day``: kpi.yml's latest one effective on or before it (either direction),
        else the European Central Bank's (bot.reports.fx)."""
        if currency == base:
            return 1.0
        found: tuple[date, float] | None = None
        for fx in self.fx:
            if fx.effective > day:
                continue
            if fx.currency == currency and fx.to == base:
                value = fx.rate
            elif fx.currency == base and fx.to == currency:
                value = 1 / fx.rate
            else:
                continue
            if found is None or fx.effective >= found[0]:
                found = (fx.effective, value)
        if found is None:
            ecb = ecb_rate(currency, base, day)
            if ecb is not None:
                return ecb
            missing = currency if not covers(currency) else base if not covers(base) else currency
            raise OpsError(N_("No FX rate for {currency} on {day}: the European Central Bank's reference rates do "
                              "not cover it then; add a rate to {base} under fx: in kpi.yml."),
                           currency=missing, base=base if missing == currency else currency,
                           day=day)  # a date: written the reader's way
        return found[1]


def load_playbook(folder: Path) -> KpiPlaybook:
    path = folder / "kpi.yml"
    return load_model(path, KpiPlaybook) if path.exists() else KpiPlaybook()
