"""Opening an export as it was downloaded: BOM, cp1252, tabs, preamble lines, xlsx; header detection."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from bot.errors import N_, OpsError
from bot.reports.formats import ReportFormat, closest, detect, normalize

# Amazon's date-range reports carry up to about seven preamble lines before the header.
_PREAMBLE_LINES = 12
_HEAD_BYTES = 64 * 1024
_BLOCK_BYTES = 8 * 1024 * 1024
EMPTY = N_("{file} is empty; nothing was loaded.")


@dataclass(frozen=True)
class RawReport:
    """The needed columns of one file, by logical name, as text; ``first_row`` is the sheet row of row 0."""

    name: str
    format: ReportFormat
    frame: pd.DataFrame
    first_row: int


def read_report(path: Path, display_name: str | None = None) -> RawReport:
    name = display_name or path.name
    if path.stat().st_size == 0:
        raise OpsError(EMPTY, file=name)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name)
    data = utf8(path.read_bytes())
    head = data[:_HEAD_BYTES].decode("utf-8-sig", errors="ignore")
    lines = head.splitlines()[:_PREAMBLE_LINES]
    if not lines:
        raise OpsError(EMPTY, file=name)
    sep = "\t" if any("\t" in line for line in lines) else ","
    rows = [next(csv.reader([line], delimiter=sep), []) for line in lines]
    index, found = _header(name, [[normalize(c) for c in row] for row in rows])
    columns = _columns(name, found, [normalize(c) for c in rows[index]])
    # The file's own spelling of each wanted header (trailing spaces and all), first one if repeated.
    wanted = set(columns.values())
    spelled: dict[str, str] = {}
    for cell in rows[index]:
        if normalize(cell) in wanted:
            spelled.setdefault(normalize(cell), cell.replace("\ufeff", ""))
    frame = _table(name, data, sep, index, list(spelled.values()))
    frame.columns = [normalize(c) for c in frame.columns]
    return RawReport(name, found, _logical(frame, columns), index + 2)


def sniff(path: Path) -> str | None:
    """The kind of report a file is, from its first lines alone, when that is certain: a CSV or text export
    whose first lines are plain ASCII, so that no encoding can make read_report see another header. None
    otherwise (a workbook, a byte-order mark, accents, an unknown header): read_report will tell."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return None
    with path.open("rb") as file:
        head = file.read(_HEAD_BYTES)
    if not head.isascii():
        return None
    lines = head.decode("ascii").splitlines()[:_PREAMBLE_LINES]
    sep = "\t" if any("\t" in line for line in lines) else ","
    for line in lines:
        found = detect([normalize(c) for c in next(csv.reader([line], delimiter=sep), [])])
        if found is not None:
            return found.kind
    return None


def utf8(data: bytes) -> bytes:
    """UTF-8 as it is; UTF-16 with its byte-order mark (what Excel's "Unicode Text" saves a report as, tabs
    and all) and anything else, cp1252 (Amazon's inventory health report), re-encoded as UTF-8.

    Checked piece by piece: decoding a 100 MB export whole would hold a second copy of it for nothing.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    check = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _BLOCK_BYTES):
            check.decode(data[start:start + _BLOCK_BYTES], final=start + _BLOCK_BYTES >= len(data))
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def _table(name: str, data: bytes, sep: str, skip: int, headers: list[str]) -> pd.DataFrame:
    """The wanted columns as text, parsed by Arrow's CSV reader, every row or an error.

    A newline can only be inside a value that is quoted: a file without a quote character (most exports)
    is split at every newline, which Arrow does several times faster. One thread: ingest reads the next
    file while the database writes this one, and on two cores Arrow's own threads only slowed both.
    """
    quoted = data.find(b'"') >= 0
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(skip_rows=skip, block_size=_BLOCK_BYTES, use_threads=False),
            parse_options=pa_csv.ParseOptions(delimiter=sep, newlines_in_values=quoted),
            convert_options=pa_csv.ConvertOptions(
                include_columns=headers, column_types=dict.fromkeys(headers, pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        raise _ragged(name, data, sep, skip) from exc
    frame: pd.DataFrame = table.to_pandas(types_mapper=pd.ArrowDtype)
    return frame


def _ragged(name: str, data: bytes, sep: str, skip: int) -> OpsError:
    """The first row whose cells do not match the header, found again the slow way to name it.

    Arrow's own message quotes the row, which in an order export holds a buyer's address: never shown.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""), delimiter=sep)
    width = 0
    try:
        for number, row in enumerate(reader, start=1):
            if number <= skip or not row:
                continue
            if not width:
                width = len(row)
            elif len(row) != width:
                return OpsError(N_("{file}: row {row} has {found} cells where the header has {expected}; "
                                   "the file may be cut short or damaged. Nothing was loaded."),
                                file=name, row=number, found=len(row), expected=width)
    except csv.Error:
        pass  # damaged beyond naming a row: the general message below says what to do
    return OpsError(N_("{file} cannot be read as a table; nothing was loaded. "
                       "Export it again as CSV or tab-separated text."), file=name)


def _read_xlsx(path: Path, name: str) -> RawReport:
    try:
        sheet = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    except (ValueError, OSError, KeyError, IndexError, zipfile.BadZipFile) as exc:
        # Not a zip, a zip without a workbook in it, a workbook cut short: openpyxl's own words mean nothing here.
        raise OpsError(N_("{file} cannot be read as an Excel workbook; nothing was loaded. Open it in Excel and "
                          "save it again as .xlsx, or export the report as CSV."), file=name) from exc
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
