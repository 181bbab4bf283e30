"""`opsbot ingest`, `opsbot kpi --json` and `opsbot digest` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import cli as opsbot
from tests.kpi.conftest import FIXTURES

RESTOCK_FIXTURE = FIXTURES.parents[1] / "restock" / "fixtures" / "led-100-us.csv"


@pytest.fixture
def cli(playbooks_dir: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    assert CliRunner().invoke(opsbot, ["db", "upgrade"]).exit_code == 0  # as a user does before loading anything
    return opsbot


def test_ingest_prints_type_period_marketplaces_skus_and_row_counts(cli: typer.Typer) -> None:
    runner = CliRunner()
    day = ["--from", "2026-11-20", "--to", "2026-11-20"]
    first = runner.invoke(cli, ["ingest", str(FIXTURES / "BusinessReport-11-20-26.csv"), "--marketplace", "US", *day])
    assert first.exit_code == 0, first.output
    assert ("loaded 3 rows as Amazon Business Report by child item for 2026-11-20..2026-11-20 (US, 3 SKUs): "
            "3 new, 0 updated, 0 unchanged") in " ".join(first.output.split())
    again = runner.invoke(cli, ["ingest", str(FIXTURES / "BusinessReport-11-20-26.csv"), "--marketplace", "US", *day])
    assert "0 new, 0 updated, 3 unchanged" in again.output


def test_a_report_without_dates_names_the_flags(cli: typer.Typer, tmp_path: Path) -> None:
    undated = tmp_path / "business-child-US.csv"
    undated.write_bytes((FIXTURES / "BusinessReport-11-20-26.csv").read_bytes())
    refused = CliRunner().invoke(cli, ["ingest", str(undated)])
    assert refused.exit_code == 2
    assert "covers a range of days that is not in the file" in " ".join(refused.output.split())
    # Seller Central's name is the download day, whatever range was chosen: not a range either.
    downloaded = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "BusinessReport-11-20-26.csv"),
                                          "--marketplace", "US"])
    assert downloaded.exit_code == 2
    assert "--from YYYY-MM-DD --to YYYY-MM-DD" in " ".join(downloaded.output.split())
    loaded = CliRunner().invoke(cli, ["ingest", str(undated), "--from", "2026-11-19", "--to", "2026-11-19"])
    assert loaded.exit_code == 0 and "2026-11-19..2026-11-19" in loaded.output


def test_kpi_json_has_every_number_per_marketplace_and_total(cli: typer.Typer) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(RESTOCK_FIXTURE)]).exit_code == 0
    shown = runner.invoke(cli, ["kpi", "--from", "2026-11-20", "--to", "2026-11-21", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    us = data["marketplaces"]["US"]
    assert us["local"]["currency"] == "USD" and data["total"]["currency"] == "CNY"
    assert us["local"]["gmv"] == pytest.approx(1199.60) and us["local"]["units"] == 40
    assert data["total"]["gmv"] == pytest.approx(1199.60 * 7.12)
    assert {"gmv", "orders", "units", "aov", "sessions", "cvr", "impressions", "clicks", "ctr", "cpc", "ad_spend",
            "ad_sales", "acos", "roas", "tacos", "units_returned", "return_rate", "available", "inbound", "velocity",
            "days_of_cover"} <= set(data["total"])
    assert data["total"]["acos"] is None  # no ads loaded: n/a, not an error
    text = runner.invoke(cli, ["kpi", "--from", "2026-11-20", "--to", "2026-11-21", "--sku", "LED-100"])
    assert "GMV: CN¥8,541.15" in text.output


def test_digest_prints_and_bad_flags_fail_politely(cli: typer.Typer) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(RESTOCK_FIXTURE)])
    printed = runner.invoke(cli, ["digest", "--team", "shenzhen-ops", "--date", "2026-11-23"])
    assert printed.exit_code == 0, printed.output
    assert "Morning KPIs: Shenzhen Ops" in printed.output and "Data through Nov 22, 2026" in printed.output
    assert runner.invoke(cli, ["digest", "--team", "nobody"]).exit_code == 2
    assert runner.invoke(cli, ["kpi", "--from", "soon", "--to", "2026-11-21"]).exit_code == 2


def test_ingest_of_several_files_says_each_ones_fate_and_loads_the_good_ones(cli: typer.Typer, tmp_path: Path) -> None:
    unknown = tmp_path / "notes.csv"
    unknown.write_text("foo,bar\n1,2\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    rows = len(RESTOCK_FIXTURE.read_text(encoding="utf-8").splitlines()) - 1
    result = CliRunner().invoke(cli, ["ingest", str(unknown), str(RESTOCK_FIXTURE), str(broken),
                                      str(tmp_path / "gone.csv")])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output  # some were skipped: a script can tell
    assert "Traceback" not in result.output
    assert "notes.csv: skipped because notes.csv is not a report I know. The closest is the" in said
    assert (f"led-100-us.csv: loaded {rows} rows as generic daily CSV for 2026-08-25..2026-11-22 (US, 1 SKUs): "
            f"{rows} new, 0 updated, 0 unchanged") in said
    assert "broken.xlsx: skipped because broken.xlsx cannot be read as an Excel workbook" in said
    assert "gone.csv: skipped because gone.csv: no such file." in said
    assert said.index("notes.csv:") < said.index("led-100-us.csv:") < said.index("broken.xlsx:")
    assert "1 of 4 files loaded, 3 skipped" in said
    shown = CliRunner().invoke(cli, ["kpi", "--from", "2026-11-20", "--to", "2026-11-21", "--json"])
    assert json.loads(shown.output)["marketplaces"]["US"]["local"]["units"] == 40


def test_ingest_shows_a_progress_bar_on_a_terminal(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from bot.cli import reports

    screen = io.StringIO()
    monkeypatch.setattr(reports, "out", Console(file=screen, force_terminal=True, width=100))
    result = CliRunner().invoke(cli, ["ingest", str(RESTOCK_FIXTURE)])
    assert result.exit_code == 0, result.output
    drawn = screen.getvalue()
    assert "━" in drawn and "led-100-us.csv" in drawn


def test_the_teams_default_marketplace_is_used_when_neither_flag_nor_name_says(
        cli: typer.Typer, playbooks_dir: Path, tmp_path: Path) -> None:
    nameless = tmp_path / "returns.csv"  # no marketplace code in the name
    nameless.write_bytes((FIXTURES / "returns-US.csv").read_bytes())
    refused = CliRunner().invoke(cli, ["ingest", str(nameless)])
    assert refused.exit_code == 2
    assert "set the team's default_marketplace in team.yml" in " ".join(refused.output.split())
    kpi = playbooks_dir / "kpi.yml"
    text = kpi.read_text(encoding="utf-8")
    assert "default_marketplace: {}" in text
    kpi.write_text(text.replace("default_marketplace: {}", "default_marketplace: {shenzhen-ops: de}"), encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["ingest", str(nameless)])
    assert loaded.exit_code == 0 and "(DE, " in loaded.output, loaded.output
    flagged = CliRunner().invoke(cli, ["ingest", str(nameless), "--marketplace", "UK"])
    assert "(UK, " in flagged.output  # --marketplace wins over the default
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("{shenzhen-ops: de}", "{shenzhen-ops: XX}"),
                   encoding="utf-8")
    broken = CliRunner().invoke(cli, ["ingest", str(nameless)])
    assert broken.exit_code == 2 and "not marketplace codes" in " ".join(broken.output.split())


def test_a_catalogue_given_to_ingest_says_which_command_loads_it(cli: typer.Typer, tmp_path: Path) -> None:
    skus = tmp_path / "my skus.csv"
    skus.write_text("SKU,Supplier,Unit cost,MOQ\nLED-100,shenzhen-lighting,40,500\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(skus), str(RESTOCK_FIXTURE)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert ("my skus.csv: skipped because it is a SKU catalogue, not a report: load it with opsbot catalog import "
            "'my skus.csv'") in said
    assert "1 of 2 files loaded, 1 skipped" in said


def test_the_cli_says_when_its_sources_stop_on_different_days(cli: typer.Typer) -> None:
    """As `/kpi` does in Slack (issue 14, "coverage is explicit"): a week of ads over four days of sales."""
    import pandas as pd

    runner = CliRunner()
    ads, sales = FIXTURES / "sp-week-US.csv", FIXTURES / "sales-four-days-US.csv"
    assert runner.invoke(cli, ["ingest", str(ads), str(sales)]).exit_code == 0
    last_sale = max(pd.read_csv(sales)["date"])  # the files' own last days, read here
    printed = runner.invoke(cli, ["kpi", "--from", "2026-12-10", "--to", "2026-12-16"])
    assert printed.exit_code == 0, printed.output
    assert f"coverage: sales through {last_sale}; ads through 2026-12-16" in printed.output
