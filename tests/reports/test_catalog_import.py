"""`opsbot catalog import FILE`: the seller's own SKU list (supplier, unit cost, MOQ, carton) goes into restock.yml's
skus:, every other line of the file kept; a bad row names file, row and column, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import cli as opsbot
from bot.console.session import ConsoleSlack
from bot.ops.restock_playbook import load_playbook
from tests.conftest import converse


@pytest.fixture
def playbooks(playbooks_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    # No bot database unless a test gives one: a developer's own opsbot.sqlite3 in the working folder stays untouched.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{playbooks_dir / 'no-bot-here.sqlite3'}")
    return playbooks_dir


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(opsbot, ["catalog", "import", *args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, " ".join(result.output.split())


def test_a_csv_adds_and_updates_skus_and_keeps_the_rest_of_restock_yml(playbooks: Path, tmp_path: Path) -> None:
    before = (playbooks / "restock.yml").read_text(encoding="utf-8")
    listed = tmp_path / "skus.csv"
    listed.write_text(
        "Seller SKU,Supplier,Unit cost,MOQ,Carton qty,Colour\n"
        "LED-300,shenzhen-lighting,¥12.50,100,20,white\n"
        "LED-100,dongguan-power,40,600,60,red\n"
        "DESK-FAN-01,,70,,,blue\n",
        encoding="utf-8",
    )
    code, said = _run(str(listed))
    assert code == 0, said
    assert "skus.csv: 1 SKU added, 2 updated in" in said and "restock.yml" in said
    assert "ignored columns: Colour" in said
    after = (playbooks / "restock.yml").read_text(encoding="utf-8")
    loaded = load_playbook(playbooks)
    assert loaded.skus["LED-300"].model_dump() == {
        "supplier": "shenzhen-lighting",
        "unit_cost": 12.5,
        "moq": 100,
        "carton": 20,
    }
    assert loaded.skus["LED-100"].model_dump() == {
        "supplier": "dongguan-power",
        "unit_cost": 40.0,
        "moq": 600,
        "carton": 60,
    }
    # A blank cell keeps what restock.yml had: DESK-FAN-01 still has no supplier, its MOQ and carton stay.
    assert loaded.skus["DESK-FAN-01"].model_dump() == {"supplier": None, "unit_cost": 70.0, "moq": 200, "carton": 20}
    original = yaml.safe_load(before)
    assert {k: v for k, v in yaml.safe_load(after).items() if k != "skus"} == {
        k: v for k, v in original.items() if k != "skus"
    }
    untouched = [line for line in before.splitlines() if not line.startswith("  ") or "LED-200" in line]
    assert all(line in after.splitlines() for line in untouched)  # comments and other SKUs' lines as they were
    assert _run(str(listed))[1].startswith("skus.csv: 0 SKUs added, 0 updated")  # again: nothing changes


def test_a_workbook_with_chinese_headers_imports(playbooks: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "供应商", "采购单价", "起订量", "箱规"])
    sheet.append(["USB-C-100W", "dongguan-power", 48.5, 500, 50])
    listed = tmp_path / "产品清单.xlsx"
    book.save(listed)
    code, said = _run(str(listed))
    assert code == 0, said
    assert load_playbook(playbooks).skus["USB-C-100W"].moq == 500


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "SKU,Supplier,Unit cost\nLED-9,acme,3\n",
            "skus.csv: row 2, column “Supplier”: acme is not a supplier under "
            "suppliers: in restock.yml (dongguan-power, shenzhen-lighting)",
        ),
        (
            "SKU,Supplier,Unit cost\nLED-9,shenzhen-lighting,cheap\n",
            "skus.csv: row 2, column “Unit cost”: “cheap” is not a valid value.",
        ),
        ("SKU,Supplier,Unit cost,MOQ\nLED-9,,3,0\n", "skus.csv: row 2, column “MOQ”: 0 is below 1"),
        (
            "SKU,Supplier\nLED-9,shenzhen-lighting\n",
            "skus.csv: row 2: LED-9 has no unit cost in the file or in restock.yml",
        ),
        ("Supplier,Unit cost\nacme,3\n", "skus.csv has no SKU column"),
        ("", "skus.csv is empty"),
    ],
)
def test_a_bad_row_names_file_row_and_column_and_nothing_is_written(
    playbooks: Path, tmp_path: Path, rows: str, message: str
) -> None:
    before = (playbooks / "restock.yml").read_bytes()
    listed = tmp_path / "skus.csv"
    listed.write_text(rows, encoding="utf-8")
    code, said = _run(str(listed))
    assert code == 2 and message in said, said
    assert "Traceback" not in said
    assert (playbooks / "restock.yml").read_bytes() == before


def test_with_the_bots_database_the_running_replicas_use_the_import_at_once(
    console: ConsoleSlack, playbooks: Path, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bot is running (the console) when the import is made on the command line: no restart needed."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    converse(console, [("!as U0BUYER\n/restock LED-777 10", ["I don't know the SKU LED-777"])])
    listed = tmp_path / "skus.csv"
    listed.write_text("SKU,Supplier,Unit cost,MOQ,Carton\nLED-777,shenzhen-lighting,5,400,40\n", encoding="utf-8")
    code, said = _run(str(listed))
    assert code == 0 and "the running bot uses it now" in said, said
    converse(console, [("/restock LED-777 10", ["LED-777 ships at least 400, in cartons of 40"])])


def test_every_bad_row_is_listed_not_only_the_first(playbooks: Path, tmp_path: Path) -> None:
    listed = tmp_path / "skus.csv"
    listed.write_text("SKU,Supplier,Unit cost,MOQ\nLED-9,acme,3,1\nLED-10,,cheap,1\nLED-11,,3,0\n", encoding="utf-8")
    before = (playbooks / "restock.yml").read_bytes()
    code, said = _run(str(listed))
    assert code == 2, said
    assert all(f"skus.csv: row {row}" in said for row in (2, 3, 4)), said
    assert (playbooks / "restock.yml").read_bytes() == before
