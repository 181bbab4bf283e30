"""Cells of the CSV files Opsbot writes, safe to open in a spreadsheet (OWASP "CSV Injection").

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (``=HYPERLINK("http://evil")``, ``-2+3``). Such a cell gets a leading ``'``,
which spreadsheets read as "this is text". Only text a person typed goes through :func:`safe_cell`
(answers, notes, reasons, PO numbers, SKUs, names); numbers Opsbot itself writes (a quantity, a price, a
negative difference) are written as numbers, unguarded, so they stay numbers in the sheet.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it: a leading ``'`` when it would otherwise start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
