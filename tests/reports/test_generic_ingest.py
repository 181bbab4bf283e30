"""The generic daily CSV: loaded whole or not at all, re-loading changes nothing, errors name row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from bot.db import Database
from bot.errors import OpsError
from bot.reports.ingest import ingest_generic
from bot.reports.queries import known_skus, sku_history

FIXTURE = Path(__file__).resolve().parents[1] / "restock" / "fixtures" / "led-100-us.csv"


def test_loading_twice_or_overlapping_never_double_counts(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        first = ingest_generic(session, "t", FIXTURE)
    with database.transaction() as session:
        again = ingest_generic(session, "t", FIXTURE)
    assert (first.new, first.updated, first.unchanged) == (90, 0, 0)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 90)
    overlap = tmp_path / "overlap.csv"
    overlap.write_text("date,marketplace,sku,units,available\n2026-11-22,US,LED-100,25,775\n"
                       "2026-11-23,US,LED-100,18,757\n", encoding="utf-8")
    with database.transaction() as session:
        changed = ingest_generic(session, "t", overlap)
        assert (changed.new, changed.updated) == (1, 1)
        days = sku_history(session, "t", "LED-100", "US", date(2026, 11, 21), date(2026, 11, 23))
        assert [(d.day.day, d.units) for d in days] == [(21, 20), (22, 25), (23, 18)]
        assert known_skus(session, "t") == ["LED-100"] and known_skus(session, "other-team") == []


def test_days_without_data_are_absent_not_zero(database: Database) -> None:
    with database.transaction() as session:
        ingest_generic(session, "t", FIXTURE)
        assert sku_history(session, "t", "LED-100", None, date(2026, 11, 23), date(2026, 11, 30)) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("date,marketplace,sku\n2026-11-01,US,A\n", "header has no “units”"),
        ("date,marketplace,sku,units\n2026-11-01,US,A,5\n2026-11-02,US,A,five\n",
         "row 3, column “units”: “five” is not a valid value"),
        ("date,marketplace,sku,units\n2026-13-02,US,A,5\n", "row 2, column “date”: “2026-13-02” is not a valid"),
    ],
)
def test_a_bad_file_names_row_and_column_and_loads_nothing(
    database: Database, tmp_path: Path, body: str, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(OpsError) as raised, database.transaction() as session:
        ingest_generic(session, "t", bad)
    assert message in raised.value.message.format(**raised.value.params)
    with database.transaction() as session:
        assert known_skus(session, "t") == []


def test_the_ingest_command(playbooks_dir: Path, database_url: str, monkeypatch: pytest.MonkeyPatch,
                            tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    assert CliRunner().invoke(cli, ["db", "upgrade"]).exit_code == 0
    loaded = CliRunner().invoke(cli, ["ingest", str(FIXTURE)])
    assert loaded.exit_code == 0, loaded.output
    summary = ("led-100-us.csv: loaded 90 rows as generic daily CSV for 2026-08-25..2026-11-22 (US, 1 SKUs): 90 new, "
               "0 updated, 0 unchanged")
    assert summary in " ".join(loaded.output.split())
    bad = tmp_path / "bad.csv"
    bad.write_text("date,marketplace,sku,units\n2026-11-01,US,A,x\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["ingest", str(bad)])
    assert refused.exit_code == 2
    assert "bad.csv: row 2, column “units”: “x” is not a valid value." in " ".join(refused.output.split())
    assert "Traceback" not in refused.output
