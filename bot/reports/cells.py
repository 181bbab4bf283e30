"""Cells as the exports write them: "$5,216.29", "€1.234,50", "￥12,800", "4.51%", "3,395", Excel dates.

Parsing happens per distinct text (a column repeats few distinct values), and the first cell that is
not a number is reported with file, row and column, so a bad file is rejected whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bot.errors import N_, OpsError

_SYMBOLS = re.compile(r"[\s$€£¥￥₹]|US|EUR|GBP|JPY|CAD|A\$|C\$|R\$|zł|kr|CHF|MX\$")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_EXCEL_EPOCH = date(1899, 12, 30)


def number(text: str) -> float:
    """A number with any thousands/decimal convention and currency symbol; ValueError otherwise."""
    euro = "€" in text
    raw = _SYMBOLS.sub("", text.strip())
    negative = raw.startswith("(") and raw.endswith(")")
    raw = raw.strip("()")
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") else raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", "") if _THOUSANDS_COMMA.match(raw) else raw.replace(",", ".")
    elif euro and _THOUSANDS_DOT.match(raw):
        raw = raw.replace(".", "")
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return -value if negative else value


def fraction(text: str) -> float:
    """A rate: "4.51%" is 0.0451; a bare number (xlsx) is already a fraction."""
    stripped = text.strip()
    return number(stripped[:-1]) / 100 if stripped.endswith("%") else number(stripped)


def integer(text: str) -> int:
    # A count is whole: "1.100" in a German export is one thousand one hundred.
    value = number(text.replace(".", "") if _THOUSANDS_DOT.match(text.strip()) else text)
    if value != int(value):
        raise ValueError(text)
    return int(value)


def day(text: str) -> date:
    """ISO, MM/DD/YYYY (Amazon US), DD.MM.YYYY (Amazon EU), ISO with a time and offset, or an Excel serial."""
    value = text.strip()
    if re.fullmatch(r"\d{4,5}(\.0+)?", value):
        return _EXCEL_EPOCH + timedelta(days=int(float(value)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
        return datetime.strptime(value, "%m/%d/%Y").date()  # noqa: DTZ007
    words = re.match(r"([A-Z][a-z]{2})\.? (\d{1,2}), (\d{4})", value)  # "Nov 20, 2026 10:12:33 AM PST"
    if words:
        return datetime.strptime(" ".join(words.groups()), "%b %d %Y").date()  # noqa: DTZ007 - a calendar day
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", value):
        return datetime.strptime(value, "%d.%m.%Y").date()  # noqa: DTZ007
    # "2026-11-20T08:15:00+00:00", "2026-11-20 10:12:33 +0800", "2026-11-20 00:00:00" (xlsx)
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?", value)
    if match:
        return date.fromisoformat(match.group(1))
    raise ValueError(text)


def parse_column(
    series: pd.Series, parse: Callable[[str], Any], *, file: str, column: str, first_row: int, required: bool,
    quote: bool = True,
) -> pd.Series:
    """Parse every cell; blank cells are None unless required. Errors name the spreadsheet row, and quote the
    cell unless ``quote`` is off (an export with buyers' details: a shifted row may put an address there)."""
    texts = series.fillna("").astype(str).str.strip()
    if parse in _PLAIN_NUMBERS:
        fast = _plain_numbers(texts, integer=parse is integer, required=required)
        if fast is not None:
            return fast
    codes, distinct = pd.factorize(texts)
    parsed: list[Any] = []
    for code, text in enumerate(distinct):
        if text in _BLANKS and not required:
            parsed.append(None)
            continue
        try:
            parsed.append(parse(text))
        except (ValueError, OverflowError) as exc:
            row = first_row + int((codes == code).argmax())
            if not quote:
                raise OpsError(N_("{file}: row {row}, column “{column}” does not hold a valid value; the row may be "
                                  "shifted. Nothing was loaded."), file=file, row=row, column=column) from exc
            raise OpsError(
                N_("{file}: row {row}, column “{column}”: “{value}” is not a valid value."),
                file=file, row=row, column=column, value=text[:40],
            ) from exc
    return _mapped(texts, distinct, codes, dict(zip(distinct, parsed, strict=True)))


def map_distinct(series: pd.Series, mapper: Callable[[Any], Any] | Mapping[Any, Any]) -> pd.Series:
    """``series.map(mapper)``, the same values and type, with each distinct value mapped once: a column of a
    million cells holds a few hundred distinct days, marketplaces or channels."""
    codes, distinct = pd.factorize(series, use_na_sentinel=False)
    return _mapped(series, distinct, codes, mapper)


def _mapped(series: pd.Series, distinct: pd.Index, codes: np.ndarray,
            mapper: Callable[[Any], Any] | Mapping[Any, Any]) -> pd.Series:
    """The distinct values mapped (as ``Series.map`` would, so the same type), then spread back by code."""
    mapped = pd.Series(distinct, dtype=series.dtype).map(mapper)
    return pd.Series(mapped.array.take(codes), index=series.index, name=series.name)


def _plain_numbers(texts: pd.Series, *, integer: bool, required: bool) -> pd.Series | None:
    """A column of plain numbers ("12.5", "3") converted by Arrow in one pass; None when any cell needs
    the careful parser (a currency sign, a thousands separator, a percent, a blank where one is required).

    A large export is mostly such columns; this keeps a million order lines to a fraction of a second.
    """
    blank = texts.eq("")
    if required and bool(blank.any()):
        return None
    try:
        values = pc.cast(pa.array(texts.where(~blank, None), type=pa.string()), pa.float64()).to_numpy(
            zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    present = ~blank.to_numpy()
    if not np.isfinite(values[present]).all():
        return None
    if not integer:
        return pd.Series(values, index=texts.index)
    if not (values[present] % 1 == 0).all():
        return None
    if present.all():
        return pd.Series(values.astype("int64"), index=texts.index)
    return pd.Series(values, index=texts.index).astype("Int64")


_BLANKS = ("", "--", "-", "N/A", "n/a")
_PLAIN_NUMBERS: tuple[Callable[[str], Any], ...] = (number, integer)
