"""Opening an export as it was downloaded: BOM, cp1252, tabs, preamble lines, xlsx; header detection."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from bot.errors import N_, OpsError
from bot.reports.formats import ReportFormat, closest, detect, normalize

# Amazon's date-range reports carry up to about seven preamble lines before the header.
_PREAMBLE_LINES = 12


@dataclass(frozen=True)
class RawReport:
    """The needed columns of one file, by logical name, as text; ``first_row`` is the sheet row of row 0."""

    name: str
    format: ReportFormat
    frame: pd.DataFrame
    first_row: int


def read_report(path: Path, display_name: str | None = None) -> RawReport:
    name = display_name or path.name
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Amazon's inventory health report
    lines = text.splitlines()[:_PREAMBLE_LINES]
    if not lines:
        raise OpsError(N_("{file} is empty."), file=name)
    sep = "\t" if "\t" in lines[0] or any("\t" in line for line in lines[:_PREAMBLE_LINES]) else ","
    rows = [next(csv.reader([line], delimiter=sep), []) for line in lines]
    index, found = _header(name, [[normalize(c) for c in row] for row in rows])
    columns = _columns(name, found, [normalize(c) for c in rows[index]])
    wanted = set(columns.values())
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, skiprows=index, dtype=str, keep_default_na=False,
            usecols=lambda c: normalize(c) in wanted, skip_blank_lines=True, quotechar='"',
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise OpsError(N_("{file} cannot be read as a table: {reason}"), file=name, reason=str(exc)[:200]) from exc
    frame.columns = [normalize(c) for c in frame.columns]
    return RawReport(name, found, _logical(frame, columns), index + 2)


def _read_xlsx(path: Path, name: str) -> RawReport:
    try:
        sheet = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    except (ValueError, OSError, KeyError) as exc:
        raise OpsError(N_("{file} cannot be read as an Excel workbook."), file=name) from exc
    head = [[normalize(c) for c in row] for row in sheet.head(_PREAMBLE_LINES).fillna("").values.tolist()]
    index, found = _header(name, head)
    columns = _columns(name, found, head[index])
    body = sheet.iloc[index + 1:]
    positions = {n: head[index].index(h) for n, h in columns.items()}
    frame = pd.DataFrame({n: body.iloc[:, p].map(_cell_text) for n, p in positions.items()})
    return RawReport(name, found, frame.reset_index(drop=True), index + 2)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header(name: str, rows: list[list[str]]) -> tuple[int, ReportFormat]:
    for index, headers in enumerate(rows):
        found = detect(headers)
        if found is not None:
            return index, found
    best, lacking = closest(rows[0])
    raise OpsError(
        N_("{file} is not a report I know. The closest is the {kind}, but its header has no {columns}."),
        file=name, kind=best.label, columns=", ".join(f"“{c}”" for c in lacking[:5]),
    )


def _columns(name: str, found: ReportFormat, headers: list[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for logical, spellings in found.needs.items():
        header = found.find(headers, logical)
        if header is None:
            raise OpsError(N_("{file} looks like the {kind} but has no column “{column}”."),
                           file=name, kind=found.label, column=spellings[0])
        columns[logical] = header
    for logical in found.optional:
        header = found.find(headers, logical)
        if header is not None:
            columns[logical] = header
    return columns


def _logical(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    # A header repeated in the file (rare) keeps its first column.
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return pd.DataFrame({logical: frame[header] for logical, header in columns.items()})
