"""Idempotent upsert of daily facts: a key seen again replaces the columns its report provides.

Loading the same file twice leaves every row unchanged; an overlapping period updates the overlap;
nothing is ever added on top of what is there, so nothing double counts. The writing itself is
set-based (bot/reports/staging.py); this module decides what is written and counts what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, bindparam, select, tuple_, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.db.ad_campaigns import AdCampaignDay
from bot.db.kpi import ALL_SKUS, AdsDay, InventoryDay, ReportSku, ReturnDay, SalesDay, SalesPeriod
from bot.reports.loaders import Facts
from bot.reports.staging import write_facts

TABLES: dict[str, tuple[type[Any], tuple[str, ...], tuple[str, ...]]] = {
    "sales": (SalesDay, ("marketplace", "sku", "day"),
              ("units", "orders", "gmv", "currency", "sessions", "page_views")),
    "ads": (AdsDay, ("marketplace", "sku", "day"), ("impressions", "clicks", "spend", "ad_sales", "ad_orders",
                                                    "currency")),
    "ad_campaigns": (AdCampaignDay, ("marketplace", "campaign", "sku", "day"), ("clicks", "spend", "ad_sales",
                                                                                 "currency")),
    "inventory": (InventoryDay, ("marketplace", "sku", "day"), ("available", "inbound")),
    "returns": (ReturnDay, ("marketplace", "sku", "day", "reason"), ("units",)),
}
# A period report (bot.db.kpi.SalesPeriod) is keyed by its range instead of a day.
PERIOD_KEYS = ("marketplace", "sku", "first_day", "last_day")
PERIOD_VALUES = ("units", "orders", "gmv", "currency", "sessions", "page_views")
# A report row is keyed by marketplace, SKU and day (returns add the reason to their facts' key).
ROW_KEY = ["marketplace", "sku", "day"]
NEW, UPDATED, UNCHANGED = 2, 1, 0
# Money and rates are kept to six decimals, so a sum taken in another order compares equal.
DECIMALS = 6


@dataclass(frozen=True)
class Counts:
    new: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class Ready:
    """One report's facts ready to write, worked out without the database (ingest does it on its reading
    thread, while the previous file is written): per fact table the rows, one per key in key order, and
    the value columns provided; the (marketplace, SKU) pairs the report names; and what it covers."""

    frames: dict[str, tuple[pd.DataFrame, list[str]]]
    skus: list[tuple[str, str]]
    first_days: dict[tuple[str, str], Any] = field(default_factory=dict)  # each pair's first day in the report
    first: str = ""  # the first and last day
    last: str = ""
    marketplaces: tuple[str, ...] = ()
    sku_count: int = 0  # distinct SKUs, marketplace-wide rows not counted


def ready(facts: Facts) -> Ready:
    frames = {table: _period_rows(frame) if table == "periods" else prepared(table, frame)
              for table, frame in facts.frames.items() if len(frame)}
    if not frames:
        return Ready(frames, [])
    rows = [rows for rows, _ in frames.values()]
    # A return is dated by the day it came back, which says nothing about when the SKU was on sale: it makes
    # the SKU known but never moves the first day its velocity counts from (issue 14).
    pairs, skus, firsts = _sku_pairs(rows, [table != "returns" for table in frames])
    # Each daily frame is in day order now: its first and last rows hold its first and last day.
    days = [f["day"].iloc[i] for f in rows if "day" in f for i in (0, -1)]
    days += [d for f in rows if "first_day" in f for d in (f["first_day"].min(), f["last_day"].max())]
    markets = sorted({str(m) for f in rows for m in f["marketplace"].unique()})
    return Ready(frames, pairs, firsts, str(min(days)), str(max(days)), tuple(markets), len(skus))


def upsert_facts(session: Session, team_id: str, facts: Facts, *,
                 progress: Callable[[int], None] | None = None) -> Counts:
    """Write every fact table of one report and count its rows new, updated and unchanged."""
    return write_ready(session, team_id, ready(facts), progress=progress)


def write_ready(session: Session, team_id: str, report: Ready, *,
                progress: Callable[[int], None] | None = None,
                known: dict[tuple[str, str], Any] | None = None) -> Counts:
    """``known``: the team's known (marketplace, SKU) pairs, when the caller keeps them across files (empty
    at first: they are read once, then kept up to date)."""
    connection = session.connection()
    frames = report.frames
    _remember_skus(connection, team_id, report.skus, report.first_days, {} if known is None else known)
    if len(frames) == 1:
        # One fact table: the database's own counts of rows inserted and written say it all.
        table, (rows, _) = next(iter(frames.items()))
        if table == "periods":
            return _write_periods(connection, team_id, rows)
        new, written = _write(connection, team_id, table, rows, progress)
        return Counts(new, written - new, len(rows) - written)
    # Several fact tables from one row (a generic CSV with stock columns): a row is new if any of its
    # facts is new, else updated if any changed — so each is compared before anything is written.
    states = [_states(connection, team_id, table, rows, provided) for table, (rows, provided) in frames.items()]
    for table, (rows, _) in frames.items():
        _write(connection, team_id, table, rows, progress)
    if not states:
        return Counts(0, 0, 0)
    found = pd.concat(states, ignore_index=True).groupby(ROW_KEY, sort=False)["state"].max().value_counts()
    return Counts(int(found.get(NEW, 0)), int(found.get(UPDATED, 0)), int(found.get(UNCHANGED, 0)))


def _period_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    rows = frame.drop_duplicates(list(PERIOD_KEYS), keep="last").reset_index(drop=True)
    rows["units"] = pd.to_numeric(rows["units"]).fillna(0)
    return rows, [v for v in PERIOD_VALUES if v in rows.columns]


def _write_periods(connection: Connection, team_id: str, rows: pd.DataFrame) -> Counts:
    """A period report has a row per SKU (thousands at most): compared with what is stored for the same
    ranges, then the new ones inserted and the changed ones updated. Loading it again changes nothing."""
    model: type[Any] = SalesPeriod
    target: Table = model.__table__
    key_columns = [target.c[k] for k in PERIOD_KEYS]
    ranges = sorted({(f, la) for f, la in zip(rows["first_day"], rows["last_day"], strict=True)})
    stored = {tuple(r[:4]): tuple(r[4:]) for r in connection.execute(
        select(*key_columns, *(target.c[v] for v in PERIOD_VALUES)).where(
            target.c.team_id == team_id, tuple_(target.c.first_day, target.c.last_day).in_(ranges)))}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    # Column by column, not row by row: a year's child reports are 50,000 rows; each cell as _plain makes it.
    columns = [_plain_column(rows[v]) if v in rows.columns else [None] * len(rows) for v in PERIOD_VALUES]
    keys = zip(*(rows[k].tolist() for k in PERIOD_KEYS), strict=True)
    for key, cells in zip(keys, zip(*columns, strict=True), strict=True):
        values = dict(zip(PERIOD_VALUES, cells, strict=True))
        if key not in stored:
            new.append({"team_id": team_id, **dict(zip(PERIOD_KEYS, key, strict=True)), **values})
        elif tuple(_same(values[v]) for v in PERIOD_VALUES) != tuple(_same(v) for v in stored[key]):
            changed.append({"k_" + k: v for k, v in zip(PERIOD_KEYS, key, strict=True)} | values)
    if new:
        connection.execute(target.insert(), new)
    if changed:
        connection.execute(update(target).where(
            target.c.team_id == team_id, *(target.c[k] == bindparam("k_" + k) for k in PERIOD_KEYS)), changed)
    return Counts(len(new), len(changed), len(rows) - len(new) - len(changed))


def _plain(value: Any) -> Any:
    """A pandas cell as the database takes it: no NaN, no numpy scalars."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return round(float(value), DECIMALS)
    return value


def _plain_column(series: pd.Series) -> list[Any]:
    """``[_plain(v) for v in series]``, with plain float and integer columns converted in one go."""
    if series.dtype == np.float64:
        return [None if v != v else round(v, DECIMALS) for v in series.tolist()]
    if series.dtype == np.int64:
        return series.tolist()  # Python ints already
    return [_plain(v) for v in series.tolist()]


def _same(value: Any) -> Any:
    return round(value, DECIMALS) if isinstance(value, float) else value


def _sku_pairs(frames: list[pd.DataFrame], dated: list[bool]) -> tuple[
        list[tuple[str, str]], set[str], dict[tuple[str, str], Any]]:
    """The (marketplace, SKU) pairs of the rows, sorted, their distinct SKUs and each pair's first day (from
    the ``dated`` frames only); marketplace-wide rows are no SKU."""
    firsts: dict[tuple[str, str], Any] = {}
    pairs: set[tuple[str, str]] = set()
    skus: set[str] = set()
    for frame, counts in zip(frames, dated, strict=True):
        # A million rows name a few thousand SKUs: find the distinct pairs by their codes, not row by row.
        markets, market_names = pd.factorize(frame["marketplace"])
        codes, sku_names = pd.factorize(frame["sku"])
        days, day_names = pd.factorize(frame["day" if "day" in frame else "first_day"], sort=True)
        skus.update(str(s) for s in sku_names)
        known = (markets >= 0) & (codes >= 0)
        pair = markets[known].astype(np.int64) * len(sku_names) + codes[known]
        first = pd.Series(days[known]).groupby(pair).min()
        names_m, names_s = list(market_names), list(sku_names)
        for code, day in zip(first.index.to_numpy(), first.to_numpy(), strict=True):
            key = (str(names_m[code // len(sku_names)]), str(names_s[code % len(sku_names)]))
            pairs.add(key)
            if counts:
                seen = day_names[day]
                firsts[key] = min(seen, firsts[key]) if key in firsts else seen
    skus.discard(ALL_SKUS)
    firsts = {k: v for k, v in firsts.items() if k[1] != ALL_SKUS}
    return sorted(p for p in pairs if p[1] != ALL_SKUS), skus, firsts


def _remember_skus(connection: Connection, team_id: str, pairs: list[tuple[str, str]],
                   firsts: dict[tuple[str, str], Any], known: dict[tuple[str, str], Any]) -> None:
    """The report's SKUs join the team's known SKUs (bot.db.kpi.ReportSku) with the first day seen: only
    those not known yet, or seen earlier than known, are written, so a year's second file over the same
    catalogue writes none."""
    if not pairs:
        return
    # Straight to the driver both ways: SQLAlchemy's work per row cost more than the query for a large catalogue.
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    table = ReportSku.__tablename__
    if not known:
        known.update({(m, s): _day(d) for m, s, d in connection.exec_driver_sql(
            f"SELECT marketplace, sku, first_day FROM {table} WHERE team_id = {mark}", (team_id,)).cursor.fetchall()})
    first_days = {p: _day(d) for p, d in firsts.items()}  # each pair's first day converted once
    unseen = [(team_id, m, s, first_days.get((m, s))) for m, s in pairs if (m, s) not in known]
    earlier = [(day, team_id, *p) for p in pairs if p in known and p in first_days
               and ((day := first_days[p]) is not None or known[p] is None)
               and (known[p] is None or day < known[p])]
    if unseen:
        connection.exec_driver_sql(
            f"INSERT INTO {table} (team_id, marketplace, sku, first_day) VALUES ({mark}, {mark}, {mark}, {mark}) "
            "ON CONFLICT DO NOTHING", unseen)
        known.update({(m, s): d for _, m, s, d in unseen})
    if earlier:
        connection.exec_driver_sql(
            f"UPDATE {table} SET first_day = {mark} WHERE team_id = {mark} AND marketplace = {mark} AND sku = {mark}",
            earlier)
        known.update({(m, s): d for d, _, m, s in earlier})


def _day(value: Any) -> date | None:
    """A day as the driver gives it back (SQLite: ISO text) or pandas holds it."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def prepared(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows to write (one per key, the last wins, in key order) and the value columns provided.

    Only the columns a report provides are written: an orders file never blanks sessions.
    """
    _, keys, values = TABLES[table]
    provided = [v for v in values if v in frame.columns and frame[v].notna().any()]
    if table == "sales" and "units" not in provided:
        provided.insert(0, "units")
    # In the unique key's order (day first): the index is filled front to back instead of at random. Sorted
    # by each key's codes (numbers, ranked as the values are), not by comparing text a million times.
    order = ["day", *(k for k in keys if k != "day")]
    key = np.zeros(len(frame), dtype=np.int64)
    span = 1
    coded: dict[str, tuple[np.ndarray, pd.Index]] = {}
    for column in order:
        codes, distinct = pd.factorize(frame[column], sort=True)
        coded[column] = codes, distinct
        span *= len(distinct) + 1
        if span >= 2**62:  # more keys than an int64 can number: never for a report, but stay correct
            return _prepared_by_values(table, frame, provided)
        key = key * (len(distinct) + 1) + (codes + 1)  # a blank (-1) ranks first
    rank = np.argsort(key)
    ranked = key[rank]
    repeated = ranked[1:] == ranked[:-1]
    if repeated.any():  # a key on several rows: the last in the file wins, so keep file order within a key
        rank = np.argsort(key, kind="stable")
        ranked = key[rank]
        repeated = ranked[1:] == ranked[:-1]
    last = np.ones(len(rank), dtype=bool)
    last[:-1] = ~repeated
    kept = rank[last]
    # The key columns as categories of the codes already found: no text is copied to reorder them, and
    # writing them needs no hashing again. Only the value columns are taken row by row.
    keyed = pd.DataFrame({column: pd.Categorical.from_codes(codes[kept], categories=distinct, ordered=True)
                          for column, (codes, distinct) in coded.items()})
    values_ = frame[[c for c in provided if c in frame.columns]].iloc[kept].reset_index(drop=True)
    return _written(table, pd.concat([keyed, values_], axis=1), provided), provided


def _prepared_by_values(table: str, frame: pd.DataFrame, provided: list[str]) -> tuple[pd.DataFrame, list[str]]:
    _, keys, _ = TABLES[table]
    order = ["day", *(k for k in keys if k != "day")]
    unique = frame.drop_duplicates(subset=list(keys), keep="last").sort_values(order, kind="stable")
    return _written(table, unique, provided), provided


def _written(table: str, frame: pd.DataFrame, provided: list[str]) -> pd.DataFrame:
    _, keys, _ = TABLES[table]
    out = pd.DataFrame({k: frame[k] for k in keys})
    for column in provided:
        values_ = frame[column] if column in frame.columns else pd.Series(0, index=frame.index)
        if table == "sales" and column == "units":
            values_ = values_.fillna(0)
        if pd.api.types.is_float_dtype(values_.dtype):
            values_ = values_.round(DECIMALS)
        elif not pd.api.types.is_numeric_dtype(values_.dtype):
            values_ = values_.astype("category")  # a currency: its few codes found here, not while writing
        out[column] = values_
    return out.reset_index(drop=True)


def _write(connection: Connection, team_id: str, table: str, rows: pd.DataFrame,
           progress: Callable[[int], None] | None) -> tuple[int, int]:
    model, keys, _ = TABLES[table]
    target: Table = model.__table__
    return write_facts(connection, team_id, target, keys, rows, progress=progress)


def _states(connection: Connection, team_id: str, table: str, rows: pd.DataFrame,
            provided: list[str]) -> pd.DataFrame:
    """Each row's key with NEW, UPDATED or UNCHANGED against what the database holds now."""
    model, keys, _ = TABLES[table]
    target: Table = model.__table__
    query = select(*(target.c[c] for c in (*keys, *provided))).where(
        target.c.team_id == team_id, target.c.day >= rows["day"].min(), target.c.day <= rows["day"].max(),
        target.c.marketplace.in_(sorted({str(m) for m in rows["marketplace"].unique()})))
    existing = pd.DataFrame.from_records([tuple(r) for r in connection.execute(query)], columns=[*keys, *provided])
    both = rows.astype({k: object for k in keys}).merge(
        existing.astype({k: object for k in keys}), on=list(keys), how="left", suffixes=("", "_was"),
        indicator=True)
    changed = pd.Series(False, index=both.index)
    for column in provided:
        now, was = both[column].astype(object), both[f"{column}_was"].astype(object)
        changed |= ~((now == was) | (now.isna() & was.isna()))
    state = changed.map({True: UPDATED, False: UNCHANGED}).where(both["_merge"] == "both", NEW)
    return both[ROW_KEY].assign(state=state.astype(int))
