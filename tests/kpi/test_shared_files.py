"""Chat transcripts of files shared in #data: any name Slack allows, junk refused in one line each, and the
ones that are fine still loaded."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.kpi.conftest import FIXTURES

SALES = FIXTURES.parents[1] / "restock" / "fixtures" / "led-100-us.csv"


def test_a_file_whose_name_has_spaces_and_chinese_loads(console: ConsoleSlack, tmp_path: Path) -> None:
    spaced = tmp_path / "LED sales 十一月 (copy).csv"
    spaced.write_bytes(SALES.read_bytes())
    converse(
        console,
        [
            (
                f"!as U0ANALYST\n!in C0DATA\n!upload {spaced}",
                [
                    "Loaded LED sales 十一月 (copy).csv (generic daily CSV): Aug 25, 2026 to Nov 22, 2026, "
                    "US, 1 SKUs — 90 new"
                ],
            ),
        ],
    )


def test_junk_files_get_one_clear_line_each_and_nothing_is_half_loaded(console: ConsoleSlack, tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    not_a_zip = tmp_path / "orders.xlsx"
    not_a_zip.write_bytes(b"this is not a workbook at all")
    broken_zip = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken_zip, "w") as archive:
        archive.writestr("hello.txt", "no sheets in here")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"")
    bad_date = tmp_path / "bad-date.csv"
    bad_date.write_text("date,marketplace,sku,units\n2026-11-20,US,LED-1,3\n2026-13-45,US,LED-1,4\n", encoding="utf-8")
    bad_number = tmp_path / "bad-number.csv"
    bad_number.write_text(
        "date,marketplace,sku,units\n2026-11-20,US,LED-1,3\n2026-11-21,US,LED-1,lots\n", encoding="utf-8"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,marketplace,sku,units\n2026-11-20,US,LÉD-1,3\n".encode("latin-1"))
    transcript = converse(
        console,
        [
            (f"!as U0ANALYST\n!in C0DATA\n!upload {empty}", ["empty.xlsx is empty; nothing was loaded."]),
            (f"!upload {not_a_zip}", ["orders.xlsx cannot be read as an Excel workbook"]),
            (f"!upload {broken_zip}", ["broken.xlsx cannot be read as an Excel workbook"]),
            (f"!upload {binary}", ["photo.csv is not a report I know"]),
            (f"!upload {blank}", ["blank.csv is empty; nothing was loaded."]),
            (f"!upload {bad_date}", ["bad-date.csv: row 3, column “date”: “2026-13-45” is not a valid value."]),
            (f"!upload {bad_number}", ["bad-number.csv: row 3, column “units”: “lots” is not a valid value."]),
            (
                f"!upload {latin}",
                ["Loaded latin.csv (generic daily CSV): Nov 20, 2026 to Nov 20, 2026, US, 1 SKUs — 1 new"],
            ),
            ("/kpi US 2026-11-20..2026-11-21", ["*Units* · 3"]),  # neither bad file left a row behind
        ],
    )
    assert "Traceback" not in transcript
