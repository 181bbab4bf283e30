"""The generic daily CSV: one row per date, marketplace and SKU, for anything without its own loader.

    date,marketplace,sku,units[,orders,gmv,currency,sessions,available,inbound]

``date`` is YYYY-MM-DD; numbers may carry thousands separators. A file loads entirely or not at all:
the first bad cell is reported with file, row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from bot.errors import N_, OpsError

REQUIRED = ("date", "marketplace", "sku", "units")
OPTIONAL_INT = ("orders", "sessions", "available", "inbound")


def load_generic(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise OpsError(N_("{file}: cannot be read as a UTF-8 CSV file ({reason})."), file=path.name,
                       reason=exc.__class__.__name__) from exc
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise OpsError(N_("{file}: missing column {column}; the generic CSV needs date, marketplace, sku, units."),
                       file=path.name, column=missing[0])
    out = pd.DataFrame({"marketplace": frame["marketplace"].str.strip().str.upper(),
                        "sku": frame["sku"].str.strip()})
    out["day"] = _column(frame, "date", path, lambda v: date.fromisoformat(v))
    out["units"] = _column(frame, "units", path, _integer)
    for name in OPTIONAL_INT:
        out[name] = _column(frame, name, path, _integer) if name in frame.columns else None
    out["gmv"] = _column(frame, "gmv", path, _decimal) if "gmv" in frame.columns else None
    out["currency"] = frame["currency"].str.strip().str.upper() if "currency" in frame.columns else None
    return out


def _integer(value: str) -> int:
    return int(value.replace(",", ""))


def _decimal(value: str) -> float:
    return float(value.replace(",", ""))


def _column(frame: pd.DataFrame, name: str, path: Path, parse: Callable[[str], Any]) -> list[Any]:
    values: list[Any] = []
    for index, raw in enumerate(frame[name].tolist()):
        text = str(raw).strip()
        if text == "" and name not in REQUIRED:
            values.append(None)
            continue
        try:
            values.append(parse(text))
        except ValueError as exc:
            # Row numbers as a spreadsheet shows them: the header is row 1.
            raise OpsError(N_("{file}: row {row}, column {column}: {value!r} is not valid."), file=path.name,
                           row=index + 2, column=name, value=text) from exc
    return values
