"""Each known export turned into daily facts: sales, ads, inventory snapshots and returns per SKU and day."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from bot.db.kpi import ALL_SKUS
from bot.errors import N_, OpsError
from bot.reports import cells
from bot.reports.formats import CHANNELS, COUNTRIES, MARKETPLACES
from bot.reports.read import RawReport
from bot.reports.zones import ZONES, marketplace_days

FACT_TABLES = ("sales", "ads", "ad_campaigns", "inventory", "returns", "periods")
# The longest range a period report may cover: Seller Central offers two years at most.
LONGEST_PERIOD_DAYS = 731


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class LoadContext:
    marketplace: str | None  # --marketplace: for reports that do not say
    period: Period | None  # --from/--to: for reports whose dates are not in the file
    today: date  # the day an inventory snapshot without a date stands for
    currencies: Mapping[str, str]  # marketplace -> its currency
    zones: Mapping[str, str | None] = field(default_factory=lambda: ZONES)  # marketplace -> the zone of its days
    default_marketplace: str | None = None  # the team's, for reports whose name has no marketplace code either


@dataclass
class Facts:
    kind: str
    label: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(len(f) for f in self.frames.values())


def load(raw: RawReport, ctx: LoadContext) -> Facts:
    facts = Facts(raw.format.kind, raw.format.label)
    loader = _LOADERS[raw.format.kind]
    frame = raw.frame
    if len(frame) == 0:
        raise OpsError(N_("{file} has a header but no rows."), file=raw.name)

    def col(name: str, parse: Callable[[str], Any], required: bool = True, texts: pd.Series | None = None) -> pd.Series:
        """``texts``: the column's cells as they are to be parsed, when a loader has rewritten them."""
        if name not in frame.columns:
            return pd.Series([None] * len(frame), index=frame.index, dtype=object)
        header = raw.format.needs.get(name, raw.format.optional.get(name, (name,)))[0]
        return cells.parse_column(frame[name] if texts is None else texts, parse, file=raw.name, column=header,
                                  first_row=raw.first_row, required=required, quote=not raw.format.personal)

    loader(raw, ctx, col, facts)
    if not set(facts.frames) <= WRITES[raw.format.kind]:  # ingest orders files by WRITES: it must be right
        raise RuntimeError(f"a {raw.format.kind} report wrote {sorted(facts.frames)}")
    return facts


Col = Callable[..., pd.Series]


NO_MARKETPLACE = N_("{file} does not say which marketplace it is for: give --marketplace (e.g. US), put the "
                    "marketplace code in the file name, or set the team's default_marketplace in team.yml.")
NO_RANGE = N_("{file} covers a range of days that is not in the file, and its name gives at most the day it was "
              "downloaded. Give the range: opsbot ingest {file} --from YYYY-MM-DD --to YYYY-MM-DD, or, in Slack, put "
              "the first and last day in the file name (e.g. BusinessReport-2026-11-01_2026-11-20.csv; the same day "
              "twice for one day) and share it again.")


def _marketplace(raw: RawReport, ctx: LoadContext) -> str:
    """--marketplace (or the one chosen in Slack), else the code in the file name, else the team's default."""
    found = ctx.marketplace or file_marketplace(raw.name) or ctx.default_marketplace
    if found:
        return found
    raise OpsError(NO_MARKETPLACE, file=raw.name)


def _range(raw: RawReport, ctx: LoadContext) -> Period:
    """The range a period report covers: --from/--to, else a first and a last day in the file name. One date
    in the name is not enough: Seller Central names the file after the day it was downloaded
    (BusinessReport-11-21-19.csv), whatever range was chosen."""
    period = ctx.period or file_range(raw.name)
    if period is None:
        raise OpsError(NO_RANGE, file=raw.name)
    if period.end < period.start:
        raise OpsError(N_("{file}: the range {first} to {last} ends before it starts, so it covers less than a "
                          "day."), file=raw.name, first=period.start, last=period.end)  # days: the reader's way
    days = (period.end - period.start).days + 1
    if days > LONGEST_PERIOD_DAYS:
        raise OpsError(N_("{file}: {days} days is longer than two years, more than a Business Report can "
                          "cover; check --from and --to."), file=raw.name, days=days)
    return period


def range_presets(downloaded: date) -> dict[str, Period]:
    """The ranges Seller Central offers most, ending the day before the report was downloaded."""
    end = downloaded - timedelta(days=1)
    return {"yesterday": Period(end, end), "7d": Period(end - timedelta(days=6), end),
            "30d": Period(end - timedelta(days=29), end)}


def _days(texts: pd.Series, markets: pd.Series | str, ctx: LoadContext, col: Col) -> pd.Series:
    """A timestamp column as its marketplaces' days (bot.reports.zones)."""
    return marketplace_days(texts, markets, ctx.zones, lambda written: col("date", cells.day, texts=written))


def _snapshot_day(raw: RawReport, ctx: LoadContext) -> date:
    period = ctx.period or file_period(raw.name)
    return period.end if period else ctx.today


def _business_child(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    """One fact per SKU for the whole range the report covers (bot.db.kpi.SalesPeriod): never a day."""
    period, market = _range(raw, ctx), _marketplace(raw, ctx)
    parent = raw.frame["parent_asin"].str.strip() if "parent_asin" in raw.frame else ""
    frame = pd.DataFrame({"sku": raw.frame["sku"].str.strip(), "asin": raw.frame["child_asin"].str.strip(),
                          "parent": parent,
                          "units": col("units", cells.integer), "gmv": col("gmv", cells.number),
                          "orders": col("orders", cells.integer, False), "sessions": col("sessions", cells.integer),
                          "page_views": col("page_views", cells.integer, False)})
    # A (parent, child) pair on several rows (one per SKU) carries the same Sessions each time: count it
    # once, on its first row. A child under two parents has its own sessions under each.
    repeated = frame[["parent", "asin"]].duplicated()
    frame.loc[repeated, ["sessions", "page_views"]] = None
    frame = frame.drop(columns=["asin", "parent"]).assign(
        marketplace=market, first_day=period.start, last_day=period.end, currency=ctx.currencies.get(market))
    keys = ["marketplace", "sku", "first_day", "last_day", "currency"]
    values = ["units", "gmv", "orders", "sessions", "page_views"]
    numbers = frame[keys].assign(**{v: pd.to_numeric(frame[v], errors="raise") for v in values})
    facts.frames["periods"] = numbers.groupby(keys, as_index=False, dropna=False)[values].sum(min_count=1)


def _business_date(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    market = _marketplace(raw, ctx)
    frame = pd.DataFrame({"day": col("date", cells.day), "units": col("units", cells.integer),
                          "gmv": col("gmv", cells.number), "orders": col("orders", cells.integer, False),
                          "sessions": col("sessions", cells.integer),
                          "page_views": col("page_views", cells.integer, False)})
    frame["marketplace"], frame["sku"], frame["currency"] = market, ALL_SKUS, ctx.currencies.get(market)
    facts.frames["sales"] = frame


def _ads(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    market = _marketplace(raw, ctx)
    frame = pd.DataFrame({"day": col("date", cells.day), "sku": raw.frame["sku"].str.strip(),
                          "impressions": col("impressions", cells.integer), "clicks": col("clicks", cells.integer),
                          "spend": col("spend", cells.number), "ad_sales": col("ad_sales", cells.number),
                          "ad_orders": col("ad_orders", cells.integer, False)})
    # A blank currency cell is the marketplace's own currency, as is a file without the column.
    given = raw.frame["currency"].str.strip().str.upper() if "currency" in raw.frame else None
    usual = ctx.currencies.get(market)
    frame["currency"] = given.replace("", usual).astype(object) if given is not None else usual
    # Several campaigns and ad groups advertise the same SKU on the same day: one fact is their sum.
    frame["marketplace"] = market
    facts.frames["ads"] = _sum(frame, ["impressions", "clicks", "spend", "ad_sales", "ad_orders"], extra=["currency"])
    if "campaign" in raw.frame:  # and per campaign too, for goals on named campaigns (bot.db.ad_campaigns)
        facts.frames["ad_campaigns"] = _sum(frame.assign(campaign=raw.frame["campaign"].str.strip()),
                                            ["clicks", "spend", "ad_sales"], extra=["campaign", "currency"])


def _restock(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    countries = cells.map_distinct(raw.frame["country"].str.strip().str.upper(), lambda c: COUNTRIES.get(c, c))
    unknown = sorted(set(countries) - MARKETPLACES)
    if unknown:
        raise OpsError(N_("{file}: the country {country} is not a marketplace I know."), file=raw.name,
                       country=unknown[0])
    _inventory_frame(facts, raw, countries, _snapshot_day(raw, ctx), col("available", cells.integer),
                     col("inbound", cells.integer, False))


def _inventory_health(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    frame = pd.DataFrame({"marketplace": _marketplace(raw, ctx), "sku": raw.frame["sku"].str.strip(),
                          "day": col("date", cells.day), "available": col("available", cells.integer),
                          "inbound": col("inbound", cells.integer, False)})
    facts.frames["inventory"] = _sum(frame, ["available", "inbound"])


def _inventory(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    market = pd.Series(_marketplace(raw, ctx), index=raw.frame.index)
    available = col("available", cells.integer)
    if "condition" in raw.frame:
        # UNSELLABLE units (damaged, customer-damaged, expired) cannot be sold: they are not available stock.
        unsellable = raw.frame["condition"].str.strip().str.upper().eq("UNSELLABLE")
        available = available.where(~unsellable, 0)
    _inventory_frame(facts, raw, market, _snapshot_day(raw, ctx), available, None)


def _inventory_frame(facts: Facts, raw: RawReport, market: pd.Series, day: date, available: pd.Series,
                     inbound: pd.Series | None) -> None:
    frame = pd.DataFrame({"marketplace": market, "sku": raw.frame["sku"].str.strip(), "day": day,
                          "available": available, "inbound": inbound})
    facts.frames["inventory"] = _sum(frame, ["available", "inbound"])


def _returns(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    market = _marketplace(raw, ctx)
    frame = pd.DataFrame({"marketplace": market, "sku": raw.frame["sku"].str.strip(),
                          "day": _days(raw.frame["date"], market, ctx, col),
                          "units": col("units", cells.integer),
                          "reason": raw.frame["reason"].str.strip().str.upper().replace("", "UNKNOWN")})
    facts.frames["returns"] = _sum(frame, ["units"], extra=["reason"])


def _orders(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    kept = ~raw.frame["status"].str.strip().str.lower().eq("cancelled")
    if "item_status" in raw.frame:
        kept &= ~raw.frame["item_status"].str.strip().str.lower().eq("cancelled")
    channel = raw.frame["channel"].str.strip().str.lower()
    channels = cells.map_distinct(channel, CHANNELS)
    if ctx.marketplace:
        channels = channels.fillna(ctx.marketplace)
    # Non-Amazon (multi-channel fulfilment) orders ship from FBA stock but were sold elsewhere: not marketplace
    # sales, whatever --marketplace says.
    kept &= channels.notna() & ~channel.str.startswith("non-amazon")
    frame = pd.DataFrame({"order": raw.frame["order"],
                          "day": _days(raw.frame["date"], channels, ctx, col),
                          "marketplace": channels, "sku": raw.frame["sku"].str.strip(),
                          "units": col("units", cells.integer), "gmv": col("gmv", cells.number, False).fillna(0.0),
                          "currency": raw.frame["currency"].str.strip().str.upper()})
    facts.frames["sales"] = _order_lines(frame[kept])


def _transactions(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    kept = raw.frame["type"].str.strip().str.lower().eq("order")
    channels = cells.map_distinct(raw.frame["channel"].str.strip().str.lower(), CHANNELS)
    market = _marketplace(raw, ctx) if channels[kept].isna().any() else None
    markets = channels.fillna(market or "")
    frame = pd.DataFrame({"order": raw.frame["order"],
                          "day": _days(raw.frame["date"], markets, ctx, col),
                          "marketplace": markets, "sku": raw.frame["sku"].str.strip(),
                          "units": col("units", cells.integer), "gmv": col("gmv", cells.number)})
    frame["currency"] = cells.map_distinct(frame["marketplace"], lambda m: ctx.currencies.get(m))
    facts.frames["sales"] = _order_lines(frame[kept])


def _shopify(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    source = raw.frame.copy()
    # Order-level fields are filled only on an order's first line item.
    for name in ("date", "status", "currency", "cancelled"):
        if name in source:
            source[name] = source[name].replace("", None).groupby(source["order"]).ffill().fillna("")
    kept = ~source["status"].str.strip().str.lower().isin(["voided", "refunded"])
    if "cancelled" in source:
        kept &= source["cancelled"].str.strip().eq("")
    market = ctx.marketplace or "SHOPIFY"
    frame = pd.DataFrame({"order": source["order"], "day": marketplace_days(
        source["date"], market, ctx.zones, lambda texts: cells.parse_column(
            texts, cells.day, file=raw.name, column="Created at", first_row=raw.first_row, required=True,
            quote=False)),
        "sku": source["sku"].str.strip(), "units": col("units", cells.integer),
        "currency": source["currency"].str.strip().str.upper()})
    frame["gmv"] = col("price", cells.number) * frame["units"]
    frame["marketplace"] = market
    facts.frames["sales"] = _order_lines(frame[kept])


def _generic(raw: RawReport, ctx: LoadContext, col: Col, facts: Facts) -> None:
    frame = pd.DataFrame({"day": col("date", cells.day),
                          "marketplace": raw.frame["marketplace"].str.strip().str.upper(),
                          "sku": raw.frame["sku"].str.strip(), "units": col("units", cells.integer),
                          "orders": col("orders", cells.integer, False), "gmv": col("gmv", cells.number, False),
                          "sessions": col("sessions", cells.integer, False),
                          "page_views": col("page_views", cells.integer, False)})
    usual = cells.map_distinct(frame["marketplace"], lambda m: ctx.currencies.get(m))
    given = raw.frame["currency"].str.strip().str.upper() if "currency" in raw.frame else None
    # Without a currency column each row's is its marketplace's, kept as text, not a million Python objects.
    frame["currency"] = given.astype(object).where(given != "", usual.astype(object)) if given is not None else usual
    facts.frames["sales"] = frame
    if "available" in raw.frame or "inbound" in raw.frame:
        stock = pd.DataFrame({"marketplace": frame["marketplace"], "sku": frame["sku"], "day": frame["day"],
                              "available": col("available", cells.integer, False),
                              "inbound": col("inbound", cells.integer, False)})
        stock = stock[stock["available"].notna() | stock["inbound"].notna()]
        if len(stock):
            facts.frames["inventory"] = stock


def _order_lines(lines: pd.DataFrame) -> pd.DataFrame:
    # Order ids as small integers: counting distinct ones per SKU and day is then cheap for a million lines.
    numbered = lines.assign(order=pd.factorize(lines["order"])[0])
    return numbered.groupby(["marketplace", "sku", "day", "currency"], as_index=False, sort=False).agg(
        units=("units", "sum"), gmv=("gmv", "sum"), orders=("order", "nunique"))


def _sum(frame: pd.DataFrame, values: list[str], extra: list[str] | None = None) -> pd.DataFrame:
    """Rows of one SKU and day (a SKU listed twice) become one fact; blanks stay blank, not zero."""
    keys = ["marketplace", "sku", "day", *(extra or [])]
    numbers = frame[keys].assign(**{v: pd.to_numeric(frame[v], errors="raise") for v in values if v in frame})
    return numbers.groupby(keys, as_index=False, dropna=False)[[v for v in values if v in frame]].sum(min_count=1)


# The fact tables each kind of report may write: files that share none can be written in any order.
WRITES: dict[str, frozenset[str]] = {
    "business_child": frozenset({"periods"}), "business_date": frozenset({"sales"}),
    "ads": frozenset({"ads", "ad_campaigns"}),
    "restock": frozenset({"inventory"}), "inventory_health": frozenset({"inventory"}),
    "inventory": frozenset({"inventory"}), "returns": frozenset({"returns"}), "orders": frozenset({"sales"}),
    "transactions": frozenset({"sales"}), "shopify": frozenset({"sales"}), "generic": frozenset({"sales", "inventory"}),
}

_LOADERS: dict[str, Callable[[RawReport, LoadContext, Col, Facts], None]] = {
    "business_child": _business_child, "business_date": _business_date, "ads": _ads, "restock": _restock,
    "inventory_health": _inventory_health, "inventory": _inventory, "returns": _returns, "orders": _orders,
    "transactions": _transactions, "shopify": _shopify, "generic": _generic,
}

_DATE = r"(\d{4})-?(\d{2})-?(\d{2})"


def file_period(name: str) -> Period | None:
    """Dates in a file name: 2026-11-20, 20261120, a range of two, or Amazon's BusinessReport-11-20-26."""
    found = [date(int(y), int(m), int(d)) for y, m, d in re.findall(_DATE, name) if 1 <= int(m) <= 12]
    if not found:
        found = [date(2000 + int(y), int(m), int(d)) for m, d, y in re.findall(r"(\d{2})-(\d{2})-(\d{2})(?!\d)", name)]
    if not found:
        return None
    return Period(min(found), max(found))


def file_range(name: str) -> Period | None:
    """A first and a last day in a file name (2026-11-01_2026-11-20); one date alone is no range."""
    found = [date(int(y), int(m), int(d)) for y, m, d in re.findall(_DATE, name) if 1 <= int(m) <= 12]
    return Period(min(found), max(found)) if len(found) >= 2 else None


def file_marketplace(name: str) -> str | None:
    tokens = re.split(r"[^A-Za-z]+", name.rsplit(".", 1)[0])
    found = [t.upper() for t in tokens if t.upper() in MARKETPLACES and (t.isupper() or len(t) > 2)]
    return found[0] if len(found) == 1 else None
