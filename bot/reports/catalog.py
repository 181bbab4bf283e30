"""The seller's own SKU list (supplier, unit cost, MOQ, carton) merged into restock.yml's ``skus:``.

Read from a CSV/TSV/XLSX with the headers sellers use (English or Chinese); checked whole before anything is
written: a bad cell names file, row and column, and restock.yml stays as it was. Only the ``skus:`` block's
lines for SKUs in the file change; every other line (comments, suppliers, other SKUs) is kept as written.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

from bot.errors import N_, OpsError
from bot.ops.restock_playbook import RestockPlaybook, SkuSettings
from bot.reports import cells
from bot.reports.formats import normalize
from bot.reports.read import utf8

COLUMNS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "seller sku", "seller-sku", "merchant sku", "msku", "sku 编码", "产品sku"),
    "supplier": ("supplier", "vendor", "factory", "供应商", "工厂"),
    "unit_cost": ("unit cost", "unit_cost", "cost", "purchase price", "采购单价", "采购价", "单价", "成本"),
    "moq": ("moq", "minimum order quantity", "起订量", "最小起订量"),
    "carton": ("carton", "carton qty", "units per carton", "carton quantity", "箱规", "每箱数量"),
}


# What a catalogue has that no sales report has: with a SKU column, one of these makes a shared file a catalogue.
_CATALOG_ONLY = ("supplier", "moq", "carton")
# A cell a spreadsheet would run as a formula: never a SKU (an export would carry it to someone's Excel).
_FORMULA = ("=", "+", "@")
_BAD = object()  # a cell already reported as a problem: its row is not checked further


@dataclass(frozen=True)
class CatalogImport:
    """What the file changes: the SKUs' settings as they will be, and which of them are new. ``problems`` are
    every bad row and cell (file, row, column): with any of them nothing is imported."""

    skus: dict[str, SkuSettings]
    added: tuple[str, ...]
    updated: tuple[str, ...]
    ignored: tuple[str, ...] = field(default_factory=tuple)  # columns read by nobody, as the file spells them
    problems: tuple[OpsError, ...] = field(default_factory=tuple)


def columns_of(frame: pd.DataFrame) -> dict[str, str | None]:
    """Each logical column's header as the file spells it (None: not in the file)."""
    headers = {normalize(c): str(c) for c in frame.columns}
    return {logical: next((headers[h] for h in spellings if h in headers), None)
            for logical, spellings in COLUMNS.items()}


def is_catalog(path: Path, name: str) -> bool:
    """A shared file is a catalogue when it has a SKU column and a supplier, MOQ or carton column; anything
    else (a sales report, junk) goes to the report loaders, which say what they accept."""
    try:
        found = columns_of(_table(path, name, rows=0))
    except OpsError:
        return False
    return found["sku"] is not None and any(found[c] is not None for c in _CATALOG_ONLY)


def read_catalog(path: Path, name: str, playbook: RestockPlaybook) -> CatalogImport:
    frame = _table(path, name)
    found = columns_of(frame)
    if found["sku"] is None:
        raise OpsError(
            N_(
                "{file} has no SKU column: name one SKU (or Seller SKU), with Supplier, Unit cost, MOQ "
                "and Carton beside it."
            ),
            file=name,
        )
    used = {h for h in found.values() if h}
    ignored = tuple(str(c) for c in frame.columns if str(c) not in used)
    problems: list[OpsError] = []

    def cell(position: int, logical: str, parse: Callable[[str], Any]) -> Any:
        header = found[logical]
        raw = frame[header].iloc[position] if header else None
        text = "" if raw is None or bool(pd.isna(raw)) else str(raw).strip()
        if not text:
            return None
        try:
            return parse(text)
        except (ValueError, OverflowError):
            problems.append(OpsError(N_("{file}: row {row}, column “{column}”: “{value}” is not a valid value."),
                                     file=name, row=position + 2, column=header, value=text[:40]))
            return _BAD

    out: dict[str, SkuSettings] = {}
    for position, raw_sku in enumerate(frame[found["sku"]].fillna("").astype(str).str.strip()):
        settings = _row(name, position + 2, raw_sku, playbook, found, problems, partial(cell, position))
        if settings is not None:
            out[raw_sku] = settings
    changed = {sku: s for sku, s in out.items() if playbook.skus.get(sku) != s}
    return CatalogImport(
        changed,
        tuple(s for s in changed if s not in playbook.skus),
        tuple(s for s in changed if s in playbook.skus),
        ignored,
        tuple(problems),
    )


def _row(name: str, row: int, sku: str, playbook: RestockPlaybook, found: dict[str, str | None],
         problems: list[OpsError], cell: Callable[[str, Callable[[str], Any]], Any]) -> SkuSettings | None:
    """One row's settings (blank cells keep restock.yml's), or None with its problems added."""
    if not sku:
        return None
    if sku.startswith(_FORMULA):
        problems.append(OpsError(N_("{file}: row {row}, column “{column}”: “{value}” is a spreadsheet formula, "
                                    "not a SKU."), file=name, row=row, column=found["sku"], value=sku[:40]))
        return None
    known = playbook.skus.get(sku)
    supplier = cell("supplier", str) or (known.supplier if known else None)
    if supplier and supplier not in playbook.suppliers:
        problems.append(OpsError(
            N_("{file}: row {row}, column “{column}”: {supplier} is not a supplier under suppliers: in "
               "restock.yml ({known}). Add it there first, or leave the cell blank."),
            file=name, row=row, column=found["supplier"], supplier=supplier,
            known=", ".join(sorted(playbook.suppliers)),
        ))
        return None
    values = {
        "supplier": supplier or None,
        "unit_cost": _value(cell("unit_cost", cells.number), known.unit_cost if known else None),
        "moq": _value(cell("moq", cells.integer), known.moq if known else 1),
        "carton": _value(cell("carton", cells.integer), known.carton if known else 1),
    }
    if any(v is _BAD for v in values.values()):
        return None
    if values["unit_cost"] is None:
        problems.append(OpsError(N_("{file}: row {row}: {sku} has no unit cost in the file or in restock.yml."),
                                 file=name, row=row, sku=sku))
        return None
    for logical, least in (("unit_cost", 0.01), ("moq", 1), ("carton", 1)):
        given = values[logical]
        if isinstance(given, int | float) and given < least:
            problems.append(OpsError(N_("{file}: row {row}, column “{column}”: {value} is below {least}."),
                                     file=name, row=row, column=found[logical] or logical, value=given, least=least))
            return None
    return SkuSettings.model_validate(values)


def _value(parsed: object, kept: object) -> object:
    """A blank cell keeps restock.yml's value; a number comes back as Python's (not numpy's)."""
    if parsed is _BAD:
        return _BAD
    if parsed is None or bool(pd.isna(parsed)):  # type: ignore[call-overload]
        return kept
    item = getattr(parsed, "item", None)
    return item() if callable(item) else parsed


def _table(path: Path, name: str, rows: int | None = None) -> pd.DataFrame:
    """The file's table as text cells; ``rows=0``: its headers only (to tell what kind of file it is)."""
    if path.stat().st_size == 0:
        raise OpsError(N_("{file} is empty; nothing was imported."), file=name)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, engine="openpyxl", nrows=rows)
        else:
            text = utf8(path.read_bytes()).decode("utf-8-sig")
            sep = "\t" if "\t" in text.split("\n", 1)[0] else ","
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False, nrows=rows)
    except (ValueError, OSError, KeyError, IndexError, zipfile.BadZipFile, pd.errors.ParserError) as exc:
        raise OpsError(N_("{file} cannot be read as a CSV or Excel table; nothing was imported."), file=name) from exc
    return frame


def merged_yaml(text: str, skus: dict[str, SkuSettings]) -> str:
    """restock.yml's text with these SKUs' lines under ``skus:`` replaced or added, all other lines unchanged."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"skus:\s*(\{\s*\})?\s*(#.*)?$", line)), None)
    if start is None:
        lines += ["skus:"]
        start = len(lines) - 1
    elif re.match(r"skus:\s*\{\s*\}", lines[start]):
        lines[start] = "skus:"
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    block = lines[start + 1 : end]
    keys = [_key(line) for line in block]
    for sku, settings in skus.items():
        entry = f"  {_yaml_key(sku)}: {_flow(settings)}"
        if sku in keys:
            block[keys.index(sku)] = entry
        else:
            block.append(entry)
            keys.append(sku)
    merged = [*lines[: start + 1], *block, *lines[end:]]
    return "\n".join(merged) + "\n"


def _key(line: str) -> str | None:
    match = re.match(r"\s{2}(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^:#\s][^:]*?):\s", line + " ")
    if not match:
        return None
    loaded = yaml.safe_load(match.group(1))
    return str(loaded) if loaded is not None else None


def _yaml_key(sku: str) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-/]*", sku) and yaml.safe_load(sku) == sku
    return sku if plain else json.dumps(sku, ensure_ascii=False)


def _flow(settings: SkuSettings) -> str:
    parts = [f"supplier: {settings.supplier}"] if settings.supplier else []
    parts += [f"unit_cost: {settings.unit_cost:g}", f"moq: {settings.moq}", f"carton: {settings.carton}"]
    return "{" + ", ".join(parts) + "}"


def checked(text: str, name: str) -> RestockPlaybook:
    """The merged file as restock will load it: any problem stops the import before the file is written."""
    try:
        return RestockPlaybook.model_validate(yaml.safe_load(text) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise OpsError(
            N_("{file} would make restock.yml invalid ({problem}); nothing was imported."),
            file=name,
            problem=str(exc).splitlines()[0],
        ) from exc
