"""Timestamped rows count on the marketplace's own day (Amazon's reports and Seller Central count days in
the marketplace's time zone), checked against the same sums done here with pandas' own time-zone data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from bot.errors import OpsError
from bot.reports.ingest import DEFAULT_CURRENCIES
from bot.reports.loaders import LoadContext, load
from bot.reports.playbook import KpiPlaybook
from bot.reports.read import read_report
from bot.reports.zones import ZONES
from tests.kpi.conftest import FIXTURES

ORDERS = FIXTURES / "all-orders-midnight.txt"
CHANNEL_ZONES = {"Amazon.com": ("US", "America/Los_Angeles"), "Amazon.de": ("DE", "Europe/Berlin"),
                 "Amazon.co.jp": ("JP", "Asia/Tokyo")}


def _loaded(marketplace: str | None = None, zones: dict[str, str | None] | None = None) -> pd.DataFrame:
    ctx = LoadContext(marketplace, None, date(2026, 11, 21), DEFAULT_CURRENCIES, {**ZONES, **(zones or {})})
    return load(read_report(ORDERS), ctx).frames["sales"]


def _by_day(frame: pd.DataFrame) -> dict[tuple[str, date], tuple[int, float]]:
    summed = frame.groupby(["marketplace", "day"])[["units", "gmv"]].sum()
    return {(str(m), d): (int(u), round(float(g), 2)) for (m, d), (u, g) in summed.iterrows()}


def _expected(zone_of: dict[str, tuple[str, str]]) -> dict[tuple[str, date], tuple[int, float]]:
    """The orders summed by each marketplace's local day, straight from the file."""
    raw = pd.read_csv(ORDERS, sep="\t", dtype=str, keep_default_na=False)
    raw = raw[(raw["order-status"] != "Cancelled") & raw["sales-channel"].isin(list(zone_of))]
    out: dict[tuple[str, date], tuple[int, float]] = {}
    for _, row in raw.iterrows():
        market, zone = zone_of[row["sales-channel"]]
        day = pd.Timestamp(row["purchase-date"]).tz_convert(zone).date()
        price = float(row["item-price"].replace("$", "").replace("￥", "").replace(",", ""))
        units, gmv = out.get((market, day), (0, 0.0))
        out[(market, day)] = (units + int(row["quantity"]), round(gmv + price, 2))
    return out


def test_orders_count_on_the_marketplace_day_not_the_utc_day() -> None:
    found = _by_day(_loaded())
    assert found == _expected(CHANNEL_ZONES)
    # The rows do straddle midnight: read as UTC days, the same file gives other totals.
    raw = pd.read_csv(ORDERS, sep="\t", dtype=str)
    utc_days = {pd.Timestamp(s).tz_convert("UTC").date() for s in raw["purchase-date"]}
    assert {d for (_, d) in found} != utc_days
    assert found[("US", date(2026, 10, 31))] == (3, 104.97)  # 18:00 UTC and 06:30 UTC on Nov 1 (23:30 PDT)


def test_a_marketplace_zone_can_be_overridden_in_kpi_yml() -> None:
    zones: dict[str, Any] = {"US": "America/New_York"}
    playbook = KpiPlaybook.model_validate({"marketplace_zones": zones})
    assert playbook.zones()["US"] == "America/New_York" and playbook.zones()["DE"] == "Europe/Berlin"
    found = _by_day(_loaded(zones=playbook.zones()))
    assert found == _expected({**CHANNEL_ZONES, "Amazon.com": ("US", "America/New_York")})
    with pytest.raises(ValidationError, match="Mars/Olympus"):
        KpiPlaybook.model_validate({"marketplace_zones": {"US": "Mars/Olympus"}})


def test_non_amazon_orders_are_not_marketplace_sales_even_with_a_marketplace_given() -> None:
    for marketplace in (None, "US"):
        frame = _loaded(marketplace)
        assert int(frame["units"].sum()) == sum(u for u, _ in _expected(CHANNEL_ZONES).values())


def test_returns_count_on_the_marketplace_day(tmp_path: Any) -> None:
    header = (FIXTURES / "returns-US.csv").read_text(encoding="utf-8").splitlines()[0]
    lines = [
        "2026-11-02T07:30:00+00:00,111-1,LED-100,B0,X1,LED,1,PHX7,SELLABLE,UNWANTED_ITEM,ok,L1,",  # Nov 1 PST
        "2026-11-02T08:30:00+00:00,111-2,LED-100,B0,X1,LED,2,PHX7,SELLABLE,DEFECTIVE,ok,L2,",  # Nov 2 PST
        "2026-11-01T16:00:00-08:00,111-3,LED-100,B0,X1,LED,4,PHX7,SELLABLE,DEFECTIVE,ok,L3,",  # Nov 1, Nov 2 UTC
    ]
    path = tmp_path / "returns-US.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    frame = load(read_report(path), LoadContext(None, None, date(2026, 11, 21), DEFAULT_CURRENCIES, ZONES))
    found = frame.frames["returns"].groupby("day")["units"].sum().to_dict()
    expected: dict[date, int] = {}
    for line in lines:
        stamp, _, _, _, _, _, quantity, *_ = line.split(",")
        day = pd.Timestamp(stamp).tz_convert("America/Los_Angeles").date()
        expected[day] = expected.get(day, 0) + int(quantity)
    assert found == expected


def test_a_bad_timestamp_is_named_by_its_row_and_a_spaced_offset_still_converts(tmp_path: Any) -> None:
    header, first, *rest = ORDERS.read_text(encoding="utf-8").splitlines()
    spaced = tmp_path / "orders-spaced.txt"
    spaced.write_text("\n".join([header, first.replace("2026-10-31T18:00:00+00:00", "2026-11-01 06:30:00 +0000")])
                      + "\n", encoding="utf-8")
    ctx = LoadContext(None, None, date(2026, 11, 21), DEFAULT_CURRENCIES, ZONES)
    assert list(load(read_report(spaced), ctx).frames["sales"]["day"]) == [date(2026, 10, 31)]  # 23:30 PDT
    broken = tmp_path / "orders-broken.txt"
    broken.write_text("\n".join([header, first, rest[0].replace("2026-11-01T06:30", "2026-13-01T06:30", 1)]) + "\n",
                      encoding="utf-8")
    with pytest.raises(OpsError) as refused:
        load(read_report(broken), ctx)
    assert refused.value.params["row"] == 3 and refused.value.params["column"] == "purchase-date"
