"""Every CSV Opsbot writes is safe to open in a spreadsheet: typed text never runs as a formula.

Typed cells that start with =, +, -, @, a tab or a carriage return get a leading ' (OWASP "CSV Injection");
numbers Opsbot writes itself (quantities, costs, a negative difference) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.flows.restock_cards import RestockCards
from bot.ops.csv_cells import safe_cell
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.standup_export import ExportRow, standup_csv
from tests.conftest import converse

EVIL = '=HYPERLINK("http://evil")'
BOT = Path(__file__).resolve().parent.parent / "bot"
# Every module that writes CSV, and the test below that covers it: a new writer must come with its test.
WRITERS = {"bot/ops/standup_export.py", "bot/flows/restock_cards.py"}


@pytest.mark.parametrize("typed", [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "- a list item"])
def test_a_typed_cell_that_would_compute_is_quoted(typed: str) -> None:
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["ok", "PO 4711", "样品还没到", "", "'already quoted", " =spaced"])
def test_other_text_is_left_as_typed(typed: str) -> None:
    assert safe_cell(typed) == typed


def test_every_csv_writer_is_covered_here() -> None:
    writers = {str(p.relative_to(BOT.parent)) for p in BOT.rglob("*.py")
               if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))}
    assert writers == WRITERS


def test_the_standup_export_quotes_a_formula_answer_and_note() -> None:
    row = ExportRow(date(2026, 11, 23), "U1", "=cmd|' /C calc'!A0", "skipped", {"today": EVIL}, 3, EVIL,
                    datetime(2026, 11, 23, 1, 40, tzinfo=UTC), None)
    rows = list(csv.reader(io.StringIO(standup_csv(["today"], [row]).decode("utf-8-sig"))))
    header, line = rows
    cells = dict(zip(header, line, strict=True))
    assert cells["today"] == "'" + EVIL and cells["note"] == "'" + EVIL
    assert cells["name"] == "'=cmd|' /C calc'!A0"
    assert cells["mood"] == "3" and cells["status"] == "skipped"


def test_the_restock_export_quotes_typed_text_and_keeps_numbers(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         f"/restock LED-100 50 {EVIL}", ["Restock R-1"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["approved"]),
        ("!click Mark ordered", ["PO number"]),
        (f"!fill po='{EVIL}' eta=2027-01-10\n"
         "!submit", ["ordered"]),
    ])
    team = console.services.teams.teams[0]
    ctx = console.services.context
    rows = list(csv.DictReader(io.StringIO(RestockCards(ctx, ctx.playbook(RestockPlaybook)).export_csv(team))))
    assert rows and all(row["quantity"] == "50" for row in rows)  # numbers Opsbot wrote: not quoted
    assert float(rows[0]["unit_cost"]) > 0
    assert rows[-1]["po_number"] == "'" + EVIL
    for row in rows:
        assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())
