"""A shared SKU catalogue: the preview of what it changes (with a Confirm button) and what confirming did."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.common import actions, button, context, error_text, section
from bot.blocks.text import escape
from bot.i18n import Translator
from bot.ops.restock_playbook import SkuSettings
from bot.reports.catalog import CatalogImport

CONFIRM = "catalog_confirm"
_SHOWN = 15  # SKUs and problems listed in a preview; the rest are counted


def preview_blocks(tr: Translator, name: str, found: CatalogImport, value: str) -> list[dict[str, Any]]:
    """What the file would change and every row to fix; Confirm only when there is something and nothing to fix."""
    summary = preview_text(tr, name, found)
    blocks: list[dict[str, Any]] = [section(summary)]
    if found.problems:
        lines = [f"• {error_text(tr, p)}" for p in found.problems[:_SHOWN]]
        if len(found.problems) > _SHOWN:
            lines.append(tr._("…and {count} more.", count=len(found.problems) - _SHOWN))
        blocks += [section("\n".join(lines)),
                   context(tr._("Nothing is imported from a file with rows to fix: fix them and share it again."))]
        return blocks
    lines = [_line(tr, sku, found.skus[sku], sku in found.added) for sku in list(found.skus)[:_SHOWN]]
    if len(found.skus) > _SHOWN:
        lines.append(tr._("…and {count} more.", count=len(found.skus) - _SHOWN))
    if lines:
        blocks.append(section("\n".join(lines)))
        blocks.append(actions([button(tr._("Confirm"), CONFIRM, value, style="primary")]))
        blocks.append(context(tr._("Confirming applies all of it at once for /restock, /kpi and the digest; "
                                   "purchasing or a manager may confirm.")))
    return blocks


def preview_text(tr: Translator, name: str, found: CatalogImport) -> str:
    if found.problems:
        return tr.ngettext("{file} is a SKU catalogue with {n} row to fix; nothing will be imported.",
                           "{file} is a SKU catalogue with {n} rows to fix; nothing will be imported.",
                           len(found.problems), file=escape(name))
    if not found.skus:
        return tr._("{file} is a SKU catalogue that changes nothing: every SKU in it is already set that way.",
                    file=escape(name))
    return tr._("{file} is a SKU catalogue: {added} new, {updated} changed. Confirm to apply it.",
                file=escape(name), added=len(found.added), updated=len(found.updated))


def _line(tr: Translator, sku: str, settings: SkuSettings, new: bool) -> str:
    return tr._("• {sku} ({state}): supplier {supplier}, unit cost {cost}, MOQ {moq}, carton {carton}",
                sku=escape(sku), state=tr._("new SKU") if new else tr._("changed"),
                supplier=escape(settings.supplier or "—"), cost=tr.number(settings.unit_cost, 2),
                moq=tr.number(settings.moq), carton=tr.number(settings.carton))


def applied_text(tr: Translator, name: str, found: CatalogImport, actor: str) -> str:
    return tr._("<@{user}> applied {file}: {added} new, {updated} changed. /restock, /kpi and the digest use it "
                "now.", user=actor, file=escape(name), added=len(found.added), updated=len(found.updated))


def already_text(tr: Translator, name: str, actor: str, at: datetime, zone: ZoneInfo) -> str:
    """``at`` in the reader's zone: the moment the first confirmation applied it."""
    return tr._("{file} was already applied by <@{user}> at {time}; nothing was changed twice.",
                file=escape(name), user=actor, time=tr.datetime(at.astimezone(zone), "short"))
