"""Loading reports into the daily facts: all of a file or none of it; loading it again changes nothing."""

from __future__ import annotations

import heapq
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from bot.db.audit import record
from bot.db.kpi import ALL_SKUS
from bot.errors import N_, OpsError
from bot.reports.loaders import FACT_TABLES, WRITES, Facts, LoadContext, Period, load
from bot.reports.read import read_report, sniff
from bot.reports.upsert import Counts, Ready, ready, write_ready
from bot.reports.zones import ZONES

# Files read ahead of the one being written: the next one always, more while those waiting add up to this.
AHEAD_BYTES = 48 * 2**20
# SQLite's page cache while files load, in KiB (the connection's own, 64 MB, is restored after): the
# business rows' upsert finds a year of sales pages in it; measured 0.3 s off the year's load, and the
# peak memory stayed that of reading the year's orders.
BULK_CACHE_KIB = 128 * 1024

DEFAULT_CURRENCIES = {
    "US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "UK": "GBP", "DE": "EUR", "FR": "EUR", "IT": "EUR",
    "ES": "EUR", "NL": "EUR", "BE": "EUR", "SE": "SEK", "PL": "PLN", "JP": "JPY", "AU": "AUD", "SG": "SGD",
    "AE": "AED", "SA": "SAR", "IN": "INR", "TR": "TRY",
}


@dataclass(frozen=True)
class FileIngest:
    """What one file added: its type, period, marketplaces and SKUs, and rows new/updated/unchanged."""

    file: str
    kind: str
    label: str
    first: date | None  # the first and last day of data; None for a file without rows
    last: date | None
    marketplaces: tuple[str, ...]
    skus: int
    new: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class FileRefused:
    """A file not loaded, and why: the others given with it still load (``keep_going``)."""

    file: str
    reason: OpsError


@dataclass(frozen=True)
class IngestResult:
    files: tuple[FileIngest, ...]
    # Each file's fate in the order given, loaded or refused.
    fates: tuple[FileIngest | FileRefused, ...] = ()

    @property
    def refused(self) -> tuple[FileRefused, ...]:
        return tuple(f for f in self.fates if isinstance(f, FileRefused))

    @property
    def new(self) -> int:
        return sum(f.new for f in self.files)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)


def ingest_files(
    session: Session, team_id: str, paths: Iterable[Path], marketplace: str | None = None,
    period: Period | None = None, *, now: datetime, currencies: Mapping[str, str] | None = None,
    zones: Mapping[str, str | None] | None = None, actor: str = "cli", names: Mapping[Path, str] | None = None,
    progress: Callable[[int], None] | None = None, dated_by_data: bool = False, keep_going: bool = False,
    done: Callable[[str], None] | None = None, default_marketplace: str | None = None,
) -> IngestResult:
    """Load every file in the caller's transaction; a bad file anywhere stops it, and the caller's rollback
    leaves nothing of any file behind. With ``keep_going`` a file that cannot be read is refused on its own
    (it is read whole before anything of it is written, so nothing of it is kept) and the others load.
    ``done`` hears each file's name once it is loaded or refused.

    The next file is read while this one is written (and the ones after it while they are small, see
    AHEAD_BYTES): reading (Arrow, pandas) and writing (the database) then keep both cores busy when a team
    loads a year of exports at once.
    """
    ctx = LoadContext(marketplace.upper() if marketplace else None, period, now.date(),
                      {**DEFAULT_CURRENCIES, **(currencies or {})}, {**ZONES, **(zones or {})},
                      default_marketplace.upper() if default_marketplace else None)
    given = [(path, (names or {}).get(path, path.name)) for path in paths]
    missing = {i: OpsError(N_("{file}: no such file."), file=name) for i, (path, name) in enumerate(given)
               if not path.is_file()}
    if missing and not keep_going:
        raise next(iter(missing.values()))
    files = [file for i, file in enumerate(given) if i not in missing]
    refused: dict[int, OpsError] = {}
    known: dict[tuple[str, str], Any] = {}  # the team's known SKUs and first days, read once for all the files
    writes = [_writes(path) for path, _ in files]
    sizes = [path.stat().st_size for path, _ in files]
    order = plan(writes, sizes)
    results: list[FileIngest | None] = [None] * len(files)
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsbot-ingest")
    ahead: deque[tuple[int, Future[tuple[str, str, Ready]]]] = deque()
    queued = submitted = 0  # bytes of the files read ahead and not written yet; files handed to the reader

    def read_ahead() -> None:
        nonlocal queued, submitted
        # The next file at least, and more while those waiting add up to AHEAD_BYTES at most: small ones
        # (an ads report, a month of stock) are written while a large one after them is read.
        while submitted < len(order) and (not ahead or queued <= AHEAD_BYTES):
            index = order[submitted]
            ahead.append((index, reader.submit(_read, files[index], ctx)))
            queued, submitted = queued + sizes[index], submitted + 1

    connection = session.connection()
    raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
    cache = int(raw.execute("PRAGMA cache_size").fetchone()[0]) if raw is not None else 0
    try:
        if raw is not None:
            raw.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        read_ahead()
        while ahead:
            index, future = ahead.popleft()
            try:
                kind, label, report = future.result()
            except OpsError as exc:
                if not keep_going:
                    first = _first_failure(files, ctx, [i for i in range(index) if results[i] is None])
                    raise (first or exc) from None
                refused[index] = exc
                queued -= sizes[index]
                read_ahead()
                if done:
                    done(files[index][1])
                continue
            except Exception:
                first = _first_failure(files, ctx, [i for i in range(index) if results[i] is None])
                if first is None:
                    raise
                raise first from None
            if not WRITES[kind] <= writes[index]:
                raise RuntimeError(f"{files[index][1]} was planned as writing {sorted(writes[index])}, not {kind}")
            queued -= sizes[index]
            read_ahead()
            name = files[index][1]
            counts = write_ready(session, team_id, report, progress=progress, known=known)
            result = FileIngest(name, kind, label, _day(report.first), _day(report.last), report.marketplaces,
                                report.sku_count, counts.new, counts.updated, counts.unchanged)
            at = datetime.combine(result.last, time(), UTC) + timedelta(days=1) \
                if dated_by_data and result.last else now
            record(session, team_id=team_id, entity="report", entity_id=name[:200], actor=actor, at=at,
                   from_state=None, to_state=kind,
                   # ISO in the audit note: a record for machines and operators, not a sentence for a reader.
                   note=f"{result.first or ''}..{result.last or ''} new={counts.new} updated={counts.updated}")
            results[index] = result
            if done:
                done(name)
    finally:
        reader.shutdown(wait=True, cancel_futures=True)
        if raw is not None:
            with suppress(sqlite3.Error):  # never in place of the error that is on its way out
                raw.execute(f"PRAGMA cache_size={cache}")
    each = iter(zip(files, results, range(len(files)), strict=True))
    fates: list[FileIngest | FileRefused] = []
    for i, (_, name) in enumerate(given):
        if i in missing:
            fates.append(FileRefused(name, missing[i]))
            continue
        _, loaded, index = next(each)
        fates.append(loaded if loaded is not None else FileRefused(name, refused[index]))
    return IngestResult(tuple(r for r in results if r is not None), tuple(fates))


_EVERY_TABLE = frozenset(FACT_TABLES)


def _writes(path: Path) -> frozenset[str]:
    """The fact tables a file may write, known from its first lines; every table when that is not certain."""
    kind = sniff(path)
    return WRITES[kind] if kind is not None else _EVERY_TABLE


def plan(writes: list[frozenset[str]], sizes: list[int]) -> list[int]:
    """The order to read and write files in: of the files whose every earlier file writing the same tables is
    already planned, the smallest first. Files writing the same table keep their order (a later file's day
    replaces an earlier one's), and the database is busy with the small files while a large one is read
    (a year of orders no longer keeps the writer waiting for it when the stock reports come after it)."""
    waiting: dict[str, deque[int]] = {table: deque() for table in FACT_TABLES}
    for index, tables in enumerate(writes):
        for table in tables:
            waiting[table].append(index)

    def free(index: int) -> bool:
        return all(waiting[table][0] == index for table in writes[index])

    candidates = [(sizes[i], i) for i in range(len(writes)) if free(i)]
    heapq.heapify(candidates)
    seen = {i for _, i in candidates}
    order: list[int] = []
    while candidates:
        _, index = heapq.heappop(candidates)
        order.append(index)
        for table in writes[index]:
            waiting[table].popleft()
        for table in writes[index]:
            following = waiting[table][0] if waiting[table] else None
            if following is not None and following not in seen and free(following):
                heapq.heappush(candidates, (sizes[following], following))
                seen.add(following)
    return order


def _first_failure(files: list[tuple[Path, str]], ctx: LoadContext, earlier: list[int]) -> Exception | None:
    """The error of the first of ``earlier`` (files before a failed one, in the order given, not loaded yet)
    that cannot be loaded, if one cannot: the error reported is the first file's, in the order given, as if
    they had been read one by one."""
    for index in earlier:
        try:
            _read(files[index], ctx)
        except Exception as first:
            return first
    return None


def _read(file: tuple[Path, str], ctx: LoadContext) -> tuple[str, str, Ready]:
    """Everything about one file that needs no database: its kind, label and facts ready to write (the
    facts as loaded are not kept: only the rows to write wait in memory)."""
    path, name = file
    facts = load(read_report(path, name), ctx)
    return facts.kind, facts.label, ready(facts)


def ingest_generic(session: Session, team_id: str, path: Path, now: datetime | None = None) -> FileIngest:
    """One generic daily CSV (the demo data and other features' tests use this).

    Without ``now`` the audit row is dated at the start of the UTC day after the file's last day.
    """
    when = now or datetime(1970, 1, 1, tzinfo=UTC)
    return ingest_files(session, team_id, [path], now=when, dated_by_data=now is None).files[0]


def _day(text: str) -> date | None:
    """A day of the facts (``2026-11-23``, or a timestamp's text) as a date, for the reader to see their way."""
    return date.fromisoformat(text[:10]) if text else None


def summarize(name: str, facts: Facts, counts: Counts) -> FileIngest:
    frames = [f for f in facts.frames.values() if len(f)]
    if not frames:
        return FileIngest(name, facts.kind, facts.label, None, None, (), 0, counts.new, counts.updated,
                          counts.unchanged)
    days = pd.concat([f["day"] for f in frames], ignore_index=True)
    markets = sorted({str(m) for f in frames for m in f["marketplace"].unique()})
    skus = pd.concat([f["sku"].astype(object) for f in frames], ignore_index=True)
    return FileIngest(name, facts.kind, facts.label, _day(str(days.min())), _day(str(days.max())), tuple(markets),
                      int(skus[skus != ALL_SKUS].nunique()), counts.new, counts.updated, counts.unchanged)
