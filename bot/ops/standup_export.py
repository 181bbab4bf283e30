"""The stand-up CSV export, pure: one row per person and day (answered, skipped, away or missed), safe to open
in a spreadsheet. Times are written as given, with their offset: the caller puts them in the reader's zone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.ops.csv_cells import safe_cell


@dataclass(frozen=True)
class ExportRow:
    day: date
    user: str
    name: str
    status: str
    answers: dict[str, str]
    mood: int | None
    note: str
    submitted_at: datetime | None  # None on a day missed or away
    edited_at: datetime | None


COLUMNS = ("date", "user_id", "name", "status", "mood", "note", "submitted_at", "edited_at")


def standup_csv(question_ids: list[str], rows: Iterable[ExportRow], header: Sequence[str] | None = None,
                statuses: Mapping[str, str] | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese answers correctly; typed cells formula-safe.

    ``header`` is the first row as the reader reads it (the column names, the questions where the answers go
    between status and mood), ``statuses`` each status in their words. Days and times stay ISO 8601 with their
    offset: a spreadsheet sorts and reads them as dates whatever its language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or [*COLUMNS[:4], *question_ids, *COLUMNS[4:]])
    for row in rows:
        writer.writerow([
            row.day.isoformat(), row.user, safe_cell(row.name), (statuses or {}).get(row.status, row.status),
            *[safe_cell(row.answers.get(q, "")) for q in question_ids],
            row.mood or "", safe_cell(row.note), row.submitted_at.isoformat() if row.submitted_at else "",
            row.edited_at.isoformat() if row.edited_at else "",
        ])
    return buffer.getvalue().encode("utf-8-sig")
