"""The day a timestamped row counts on: the marketplace's own day, as Amazon's reports count it.

Amazon counts a report day in the marketplace's local time: the Amazon Ads API gives each marketplace's
profile a ``timezone`` "used for all date-based campaign management and reporting" (Profiles resource), and
the Selling Partner API's order metrics (Sales API, ``getOrderMetrics``, ``granularityTimeZone``) sum
Seller Central's sales by the same local days (US: America/Los_Angeles). An All Orders ``purchase-date`` or a
returns ``return-date`` is an instant (ISO 8601 with an offset); read as a UTC day it lands on the wrong
day for the hours between midnight UTC and local midnight. kpi.yml ``marketplace_zones`` overrides a zone.

A time written without an offset, or a date alone, is already a local day and is kept as written. So is a
Shopify export: it writes times in the shop's own zone, with that offset, so the day as written is the
shop's day (give SHOPIFY a zone under ``marketplace_zones`` to count in another).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from bot.reports.cells import map_distinct

ZONES: dict[str, str | None] = {
    "US": "America/Los_Angeles", "CA": "America/Los_Angeles", "MX": "America/Los_Angeles",
    "BR": "America/Sao_Paulo", "UK": "Europe/London",
    "DE": "Europe/Berlin", "FR": "Europe/Berlin", "IT": "Europe/Berlin", "ES": "Europe/Berlin",
    "NL": "Europe/Berlin", "SE": "Europe/Berlin", "PL": "Europe/Berlin", "BE": "Europe/Berlin",
    "TR": "Europe/Istanbul", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "IN": "Asia/Kolkata",
    "SG": "Asia/Singapore", "JP": "Asia/Tokyo", "AU": "Australia/Sydney",
    "SHOPIFY": None,  # the shop's own zone, which its export writes
}

_STAMP = r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})$"


def marketplace_days(texts: pd.Series, written: pd.Series, markets: pd.Series | str,
                     zones: Mapping[str, str | None]) -> pd.Series:
    """Each row's day in its marketplace's zone. ``written`` is the day as written (already parsed, errors
    reported); only cells carrying a UTC offset move, and only for marketplaces with a zone.

    Vectorised: instants are worked out once per distinct text, then converted once per zone.
    """
    codes, distinct = pd.factorize(texts.fillna("").astype(str).str.strip())
    parts = pd.Series(distinct, dtype=object).str.extract(_STAMP)
    stamped = parts[0].notna().to_numpy()
    if not stamped.any():
        return written
    offsets = parts[2].fillna("Z").str.replace(":", "", regex=False)
    sign = np.where(offsets.str[0] == "-", -1, 1)
    minutes = np.where(offsets == "Z", 0, sign * (pd.to_numeric(offsets.str[1:3], errors="coerce").fillna(0) * 60
                                                   + pd.to_numeric(offsets.str[3:5], errors="coerce").fillna(0)))
    local = pd.to_datetime(parts[0] + " " + parts[1], errors="coerce", format="mixed")
    utc = (local - pd.to_timedelta(minutes, unit="min")).dt.tz_localize("UTC")
    row_zones = pd.Series(zones.get(markets), index=texts.index, dtype=object) if isinstance(markets, str) \
        else map_distinct(markets.astype(object), lambda m: zones.get(str(m)))
    days = written.copy()
    for zone in row_zones.dropna().unique():
        rows = (row_zones == zone).to_numpy() & stamped[codes]
        if not rows.any():
            continue
        in_zone = utc.dt.tz_convert(str(zone)).dt.tz_localize(None).dt.normalize().to_numpy()
        picked = in_zone[codes[rows]]
        day_codes, distinct_days = pd.factorize(picked)
        as_dates = np.array([d.date() for d in pd.DatetimeIndex(distinct_days)], dtype=object)
        days.loc[rows] = as_dates[day_codes]
    return days
