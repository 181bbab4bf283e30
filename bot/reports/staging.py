"""Facts written in bulk, the fastest way each database offers, as one idempotent upsert.

SQLite takes the rows straight through the driver's ``executemany`` of an ``INSERT ... ON CONFLICT DO
UPDATE``; PostgreSQL takes them by ``COPY`` into a temporary table, merged by one ``INSERT ... SELECT ...
ON CONFLICT DO UPDATE``. Both skip the ORM's per-row work, which is what made a year of order lines take
minutes. The update only touches rows whose values differ, so the database's own count of rows written
says how many were new or changed, and a file loaded twice writes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Column, Date, Float, Integer, MetaData, Table, func, literal, or_, select, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

CHUNK = 100_000
_ROWS_PER_STATEMENT = 100
_SQLITE_MAX_VARIABLES = 32_766


def write_facts(connection: Connection, team_id: str, target: Table, keys: Sequence[str], rows: pd.DataFrame,
                *, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Upsert ``rows`` (key columns, then the value columns to write) into ``target`` for ``team_id``.

    Returns (new, written): rows inserted, and rows inserted or changed; the rest were already so.
    """
    newest = select(func.coalesce(func.max(target.c.id), 0))
    before = int(connection.execute(newest).scalar_one())
    if connection.dialect.name == "postgresql":
        written = _merge_by_copy(connection, team_id, target, keys, rows, progress)
        new = connection.execute(
            select(func.count()).select_from(target).where(target.c.team_id == team_id, target.c.id > before)
        ).scalar_one()
        return int(new), written
    written = _upsert_many(connection, team_id, target, keys, rows, progress)
    # SQLite gives each inserted row the largest rowid so far plus one, and a row updated instead takes
    # none (no AUTOINCREMENT, and this transaction is the only writer): the ids added are the new rows,
    # without counting a year of them again. PostgreSQL's sequence skips numbers, so it counts them.
    return int(connection.execute(newest).scalar_one()) - before, written


def _upsert_many(connection: Connection, team_id: str, target: Table, keys: Sequence[str], rows: pd.DataFrame,
                 progress: Callable[[int], None] | None) -> int:
    values = [c for c in rows.columns if c not in keys]
    width = len(rows.columns)
    # Many rows a statement: SQLite's work per statement, not per value, is what a million rows pay for.
    # A hundred rows a statement measured fastest (fewer pay more per statement, more make a VDBE program
    # so long that preparing and stepping it costs more than the statements saved).
    per = max(1, min(_ROWS_PER_STATEMENT, _SQLITE_MAX_VARIABLES // width))
    team = "'" + team_id.replace("'", "''") + "'"
    row_marks = "(" + team + ", " + ", ".join("?" * width) + ")"

    def statement(count: int) -> str:
        # Our own table and column names and the configured team id, never a file's text.
        return (
            f"INSERT INTO {target.name} (team_id, {', '.join(rows.columns)}) VALUES "
            + ", ".join([row_marks] * count)
            + f" ON CONFLICT (team_id, {', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{v} = excluded.{v}" for v in values)
            + " WHERE " + " OR ".join(f"{target.name}.{v} IS NOT excluded.{v}" for v in values)
        )

    raw = connection.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    written = 0
    try:
        for start in range(0, len(rows), CHUNK):
            # Python values a chunk at a time: a million rows as Python objects at once would be gigabytes.
            chunk = rows.iloc[start:start + CHUNK]
            flat = _interleaved([_values(chunk[c], target.c[c].type, sqlite=True) for c in rows.columns])
            whole, rest = divmod(len(chunk), per)
            step = per * width
            if whole:
                cursor.executemany(statement(per), (flat[i * step:(i + 1) * step] for i in range(whole)))
                written += max(cursor.rowcount, 0)
            if rest:
                cursor.execute(statement(rest), flat[whole * step:])
                written += max(cursor.rowcount, 0)
            if progress:
                progress(len(chunk))
    finally:
        cursor.close()
    return written


def _interleaved(columns: list[list[Any]]) -> list[Any]:
    """Row after row, each row's values in column order: the parameters of a many-row INSERT."""
    return list(chain.from_iterable(zip(*columns, strict=True)))


def _merge_by_copy(connection: Connection, team_id: str, target: Table, keys: Sequence[str], rows: pd.DataFrame,
                   progress: Callable[[int], None] | None) -> int:
    name = f"stage_{target.name}"
    staged = Table(name, MetaData(), *(Column(c, target.c[c].type) for c in rows.columns), prefixes=["TEMPORARY"])
    staged.drop(connection, checkfirst=True)
    staged.create(connection)
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows.iloc[start:start + CHUNK]
            columns = [_values(chunk[c], target.c[c].type, sqlite=False) for c in rows.columns]
            _copy(cursor, name, list(rows.columns), zip(*columns, strict=True))
            if progress:
                progress(min(CHUNK, len(rows) - start))
    values = [c for c in rows.columns if c not in keys]
    insert = postgresql.insert(target)
    names = ["team_id", *rows.columns]
    source = select(*(staged.c[c] if c != "team_id" else literal(team_id).label(c) for c in names)).where(true())
    statement = insert.from_select(names, source).on_conflict_do_update(
        index_elements=[target.c.team_id, *(target.c[k] for k in keys)],
        set_={v: insert.excluded[v] for v in values},
        where=or_(*(target.c[v].is_distinct_from(insert.excluded[v]) for v in values)),
    )
    # SQLAlchemy keeps an INSERT's row count only when asked to.
    written = connection.execute(statement, execution_options={"preserve_rowcount": True}).rowcount
    staged.drop(connection)
    return int(written)


def _copy(cursor: Any, name: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _values(series: pd.Series, kind: Any, *, sqlite: bool) -> list[Any]:
    """Plain Python values the driver binds: ints, floats, text, None; dates as SQLite stores them.

    Made a column at a time by numpy and pandas (``tolist``, or a few distinct values repeated by index):
    making a million values one by one in Python took longer than the database took to store them.
    """
    if isinstance(kind, Date):
        # A report spans a few hundred days at most: each distinct day is converted once.
        codes, days = pd.factorize(series)
        converted = [d.isoformat() if sqlite else d for d in days if isinstance(d, date)]
        if len(converted) != len(days) or (codes < 0).any():
            raise ValueError("a fact without a calendar day")
        by_row: list[Any] = np.array(converted, dtype=object)[codes].tolist()
        return by_row
    if isinstance(kind, Integer | Float):
        numbers = pd.to_numeric(series)
        whole = isinstance(kind, Integer)
        if whole and pd.api.types.is_integer_dtype(numbers.dtype) and not numbers.hasnans:
            return numbers.to_numpy(dtype=np.int64).tolist()
        if not whole and pd.api.types.is_float_dtype(numbers.dtype) and not numbers.hasnans:
            return numbers.to_numpy(dtype=np.float64).tolist()
        typed = numbers.astype("Int64" if whole else "Float64")
        # Python ints and floats, and None for a blank: what every driver binds.
        return list(typed.astype(object).where(typed.notna(), None))
    # Text: a column repeats a few thousand distinct values at most (SKUs, marketplaces, currencies).
    codes, distinct = pd.factorize(series)
    text = np.empty(len(distinct) + 1, dtype=object)
    text[:-1] = list(distinct)
    spread: list[Any] = text[codes].tolist()  # a blank's code is -1: the None at the end
    return spread
