"""Idempotent upsert of daily facts: a key seen again replaces the columns its report provides.

Loading the same file twice leaves every row unchanged; an overlapping period updates the overlap;
nothing is ever added on top of what is there, so nothing double counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.db.kpi import AdsDay, InventoryDay, ReturnDay, SalesDay
from bot.reports.loaders import Facts

TABLES: dict[str, tuple[type[Any], tuple[str, ...], tuple[str, ...]]] = {
    "sales": (SalesDay, ("marketplace", "sku", "day"),
              ("units", "orders", "gmv", "currency", "sessions", "page_views")),
    "ads": (AdsDay, ("marketplace", "sku", "day"), ("impressions", "clicks", "spend", "ad_sales", "ad_orders",
                                                    "currency")),
    "inventory": (InventoryDay, ("marketplace", "sku", "day"), ("available", "inbound")),
    "returns": (ReturnDay, ("marketplace", "sku", "day", "reason"), ("units",)),
}
_CHUNK = 50_000
NEW, UPDATED, UNCHANGED = 2, 1, 0


@dataclass(frozen=True)
class Counts:
    new: int
    updated: int
    unchanged: int


def upsert_facts(session: Session, team_id: str, facts: Facts, *,
                 progress: Callable[[int], None] | None = None) -> Counts:
    # A row of the report is new if any of its facts is new, updated if any changed, else unchanged.
    status: dict[tuple[Any, ...], int] = {}
    for table, frame in facts.frames.items():
        for key, state in _upsert(session, team_id, table, frame, progress).items():
            status[key[:3]] = max(status.get(key[:3], UNCHANGED), state)
    states = list(status.values())
    return Counts(states.count(NEW), states.count(UPDATED), states.count(UNCHANGED))


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars -> Python numbers for the database driver
        value = value.item()
    return round(value, 6) if isinstance(value, float) else value


def _upsert(session: Session, team_id: str, table: str, frame: pd.DataFrame,
            progress: Callable[[int], None] | None) -> dict[tuple[Any, ...], int]:
    model, keys, values = TABLES[table]
    # Only the columns this report provides are written: an orders file never blanks sessions.
    provided = [v for v in values if v in frame.columns and frame[v].notna().any()]
    if table == "sales" and "units" not in provided:
        provided.insert(0, "units")
    frame = frame.drop_duplicates(subset=list(keys), keep="last")
    columns = [getattr(model, c) for c in (*keys, *provided)]
    existing: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
    query = select(model.id, *columns).where(
        model.team_id == team_id, model.day >= min(frame["day"]), model.day <= max(frame["day"]),
        model.marketplace.in_(sorted(set(frame["marketplace"]))))
    for row in session.execute(query):
        existing[tuple(row[1:1 + len(keys)])] = (row[0], tuple(_clean(v) for v in row[1 + len(keys):]))
    result: dict[tuple[Any, ...], int] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []

    def flush() -> None:
        # Written in chunks so a million-line file never holds all its rows as dicts at once.
        if inserts:
            session.execute(insert(model), inserts)
        if updates:
            session.execute(update(model), updates)
        if progress:
            progress(len(inserts) + len(updates))
        inserts.clear()
        updates.clear()

    key_lists = [frame[k].tolist() for k in keys]
    value_lists = [frame[v].tolist() for v in provided]
    for i, key in enumerate(zip(*key_lists, strict=True)):
        row_values = tuple(_clean(v[i]) for v in value_lists)
        if table == "sales" and row_values[0] is None:
            row_values = (0, *row_values[1:])
        found = existing.get(key)
        if found is None:
            inserts.append({"team_id": team_id, **dict(zip(keys, key, strict=True)),
                            **dict(zip(provided, row_values, strict=True))})
            result[key] = NEW
        elif found[1] != row_values:
            updates.append({"id": found[0], **dict(zip(provided, row_values, strict=True))})
            result[key] = UPDATED
        else:
            result[key] = UNCHANGED
        if len(inserts) + len(updates) >= _CHUNK:
            flush()
    flush()
    return result
