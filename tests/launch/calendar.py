"""China's working days as the tests work them out, from the public holiday list itself (not Opsbot's calendar):
Monday to Friday, minus public holidays, plus the weekend days worked in exchange for them (调休)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

CHINA = holidays.country_holidays("CN", years=range(2026, 2029))
MADE_UP = set(getattr(CHINA, "weekend_workdays", ()))


def works(day: date) -> bool:
    return day not in CHINA and (day.weekday() < 5 or day in MADE_UP)


def workdays_back(launch_day: date, count: int) -> date:
    """The ``count``-th working day before launch day (launch day itself when 0)."""
    day = launch_day
    while count:
        day -= timedelta(days=1)
        count -= works(day)
    return day


def workdays_from(today: date, launch_day: date) -> int:
    """Working days from today (counted) up to launch day (not counted)."""
    return sum(works(today + timedelta(days=n)) for n in range((launch_day - today).days))
