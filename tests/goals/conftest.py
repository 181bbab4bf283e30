"""Two months of fixture reports (tests/goals/fixtures, written by build.py) loaded into the real bot, and the
same files read here with the csv module for the tests' own computations."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SALES, ADS, RETURNS = "sales-oct-nov.csv", "ads-oct-nov-US.csv", "returns-oct-nov-US.csv"
# Thursday 2026-11-26, 09:00 in Shenzhen: late in the month the review looks back on.
THURSDAY_9AM_SHENZHEN = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def day_of(row: dict[str, str]) -> date:
    """A fixture row's day, whichever report it is from."""
    if "Date" in row:
        return datetime.strptime(row["Date"], "%b %d, %Y").date()
    if "return-date" in row:
        return date.fromisoformat(row["return-date"][:10])
    return date.fromisoformat(row["date"])


def load(console: ConsoleSlack, folder: Path, through: date | None = None) -> None:
    """Load the fixture reports as the team would, only their days up to ``through`` when given."""
    paths = []
    for name in (SALES, ADS, RETURNS):
        kept = [r for r in rows(name) if through is None or day_of(r) <= through]
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.DictWriter(handle, fieldnames=list(rows(name)[0]))
            out.writeheader()
            out.writerows(kept)
        paths.append(path)
    KpiFlow(console.services.context).ingest(console.team, paths)


@pytest.fixture
def late_november(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=THURSDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()

