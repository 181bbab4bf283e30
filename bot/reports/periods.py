"""`/kpi` arguments: a marketplace or a SKU, and a window (yesterday, 7d, 30d, mtd, YYYY-MM-DD..YYYY-MM-DD)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import N_, OpsError
from bot.reports.formats import MARKETPLACES


@dataclass(frozen=True)
class KpiQuery:
    start: date
    end: date
    marketplace: str | None = None
    sku: str | None = None
    label: str = "7d"


def window(word: str, today: date) -> tuple[date, date]:
    """Windows end yesterday: today's data has not arrived."""
    yesterday = today - timedelta(days=1)
    if word == "yesterday":
        return yesterday, yesterday
    if match := re.fullmatch(r"(\d{1,3})d", word):
        return today - timedelta(days=int(match.group(1))), yesterday
    if word == "mtd":
        return (yesterday.replace(day=1), yesterday)
    if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", word):
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError as exc:
            raise OpsError(N_("{text} is not a date range: use YYYY-MM-DD..YYYY-MM-DD."), text=word) from exc
        if end < start:
            raise OpsError(N_("{text} ends before it starts."), text=word)
        return start, end
    raise OpsError(N_("I don't understand {text}. Try /kpi, /kpi US 7d, /kpi LED-100 30d, /kpi mtd or "
                      "/kpi 2026-11-01..2026-11-20."), text=word)


def parse_kpi(text: str, today: date, find_sku: Callable[[str], str | None]) -> KpiQuery:
    """``find_sku`` gives a known SKU spelled as the word (any case), or None: looked up only for words
    that are neither a marketplace nor a window, so `/kpi 30d` never reads the catalogue."""
    market: str | None = None
    sku: str | None = None
    label = "7d"
    for word in text.split():
        if word.upper() in MARKETPLACES:
            market = word.upper()
        elif word.lower() in ("yesterday", "mtd") or re.fullmatch(r"\d{1,3}d|\d{4}-\d{2}-\d{2}\.\.\S+", word):
            label = word.lower()
        else:
            match = find_sku(word)
            if match is None:
                window(word, today)  # explains what is expected
            sku = match
    start, end = window(label, today)
    return KpiQuery(start, end, market, sku, label)


@dataclass(frozen=True)
class SharedWith:
    """What the words typed beside a shared file say of it: its marketplace and the days it covers."""

    marketplace: str | None = None
    start: date | None = None
    end: date | None = None


def said_with_file(text: str | None) -> SharedWith:
    """`--marketplace DE` (or `marketplace: de`, or a code written in capitals, "UK"), and a range written as
    2026-10-01..2026-10-31 or `--from 2026-10-01 --to 2026-10-31`; anything else is just words."""
    words = text or ""
    flagged = re.search(r"(?:--)?marketplace[:=]?\s+([A-Za-z]{2,7})\b", words, re.IGNORECASE)
    market = flagged.group(1).upper() if flagged and flagged.group(1).upper() in MARKETPLACES else None
    if market is None:
        capitals = [t for t in re.findall(r"\b[A-Z]{2,7}\b", words) if t in MARKETPLACES]
        market = capitals[0] if len(set(capitals)) == 1 else None
    found = re.search(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", words) or \
        re.search(r"--from\s+(\d{4}-\d{2}-\d{2})\s+--to\s+(\d{4}-\d{2}-\d{2})", words)
    if found is None:
        return SharedWith(market)
    try:
        return SharedWith(market, date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2)))
    except ValueError:
        return SharedWith(market)
