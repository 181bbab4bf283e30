"""Loading a report into the daily facts: all of a file or none of it; loading it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.kpi import SalesDay
from bot.reports.generic import load_generic

FIELDS = ("units", "orders", "gmv", "currency", "sessions", "available", "inbound")


@dataclass(frozen=True)
class IngestResult:
    file: str
    kind: str
    first: str
    last: str
    marketplaces: tuple[str, ...]
    skus: int
    new: int
    updated: int
    unchanged: int


def ingest_generic(session: Session, team_id: str, path: Path) -> IngestResult:
    """Upsert by (team, marketplace, SKU, day): a re-loaded or overlapping period replaces, never adds."""
    frame = load_generic(path)
    existing = {
        (r.marketplace, r.sku, r.day): r
        for r in session.scalars(select(SalesDay).where(
            SalesDay.team_id == team_id, SalesDay.day >= min(frame["day"]), SalesDay.day <= max(frame["day"])))
    }
    new = updated = unchanged = 0
    for row in frame.to_dict("records"):
        values = {f: (None if row[f] is None or row[f] != row[f] else row[f]) for f in FIELDS}
        current = existing.get((row["marketplace"], row["sku"], row["day"]))
        if current is None:
            session.add(SalesDay(team_id=team_id, marketplace=row["marketplace"], sku=row["sku"], day=row["day"],
                                 **values))
            new += 1
        elif all(getattr(current, f) == v for f, v in values.items()):
            unchanged += 1
        else:
            for field, value in values.items():
                setattr(current, field, value)
            updated += 1
    return IngestResult(path.name, "generic", str(min(frame["day"])), str(max(frame["day"])),
                        tuple(sorted(set(frame["marketplace"]))), frame["sku"].nunique(), new, updated, unchanged)
