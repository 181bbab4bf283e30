"""A restock suggestion as words: its status, the math behind the quantity (velocity, lead time, safety stock,
reorder point, days of cover), the settings that would sharpen it, and the daily watchlist of SKUs to act on."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import context, header, section
from bot.blocks.restock import request_restock_button
from bot.blocks.text import Mrkdwn, escape
from bot.i18n import Translator
from bot.ops import restock_math as math_

STATUS_WORDS = {
    math_.ORDER_NOW: "🔴",
    math_.REORDER_SOON: "🟠",
    math_.OK: "🟢",
    math_.OVERSTOCK: "🔵",
    math_.NO_HISTORY: "⚪",
}


def status_label(tr: Translator, status: str) -> str:
    labels = {
        math_.ORDER_NOW: tr._("order now"),
        math_.REORDER_SOON: tr._("reorder soon"),
        math_.OK: tr._("ok"),
        math_.OVERSTOCK: tr._("overstock"),
        math_.NO_HISTORY: tr._("no sales history"),
    }
    return f"{STATUS_WORDS.get(status, '')} {labels.get(status, status)}"


def suggestion_lines(tr: Translator, s: math_.Suggestion) -> Mrkdwn:
    if s.velocity is None or s.status == math_.NO_HISTORY:
        return Mrkdwn(
            "\n".join(
                [
                    tr._(
                        "No sales history for {sku} yet, so there is no suggestion: please give a quantity.",
                        sku=escape(s.sku),
                    ),
                    *missing_lines(tr, s),
                ]
            )
        )
    lead = s.lead
    return Mrkdwn(
        "\n".join(
            [
                tr._(
                    "*Suggestion: {quantity} units* · {status}",
                    quantity=tr.number(s.quantity),
                    status=status_label(tr, s.status),
                ),
                velocity_line(tr, s.velocity),
                tr._(
                    "Lead time {days} days = production {p} + freight {f} + customs {c} + receiving {r} + Q4 {q}",
                    days=lead.days,
                    p=lead.production,
                    f=lead.freight,
                    c=lead.customs,
                    r=lead.receiving,
                    q=lead.q4_extra,
                )
                if "supplier" not in s.missing
                else tr._("Lead time {days} days (the default: lead_time_days in kpi.yml)", days=lead.days),
                tr._(
                    "Safety stock {ss} · reorder point {rop} · on hand {available} + inbound {inbound}",
                    ss=tr.number(s.safety_stock),
                    rop=tr.number(s.reorder_point),
                    available=tr.number(s.available),
                    inbound=tr.number(s.inbound),
                ),
                tr._(
                    "Days of cover {cover} · reorder by {by}",
                    cover=tr.number(s.days_of_cover or 0, 1),
                    by=tr.date(s.reorder_by) if s.reorder_by else "—",
                ),
                *missing_lines(tr, s),
            ]
        )
    )


def velocity_line(tr: Translator, v: math_.Velocity) -> str:
    """The one velocity, with the window and the days it used (the digest and the card say the same)."""
    return tr.ngettext(
        "Velocity {v}/day: {units} units over {days} days ({first} – {last}; {out} stock-out day left out)",
        "Velocity {v}/day: {units} units over {days} days ({first} – {last}; {out} stock-out days left out)",
        v.stockout_days,
        v=tr.number(v.per_day, 2),
        units=tr.number(v.units),
        days=v.days,
        first=tr.date(v.first),
        last=tr.date(v.last),
        out=v.stockout_days,
    )


def missing_lines(tr: Translator, s: math_.Suggestion) -> list[Mrkdwn]:
    """Which setting in restock.yml would sharpen a suggestion made from the reports alone."""
    lines: list[Mrkdwn] = []
    if "supplier" in s.missing:
        lines.append(
            Mrkdwn(
                tr._(
                    "ℹ️ {sku} has no supplier: set skus.{sku}.supplier, a supplier_rules pattern (e.g. "
                    '"LED-*": shenzhen-lighting) or default_supplier in restock.yml for its real lead time.',
                    sku=escape(s.sku),
                )
            )
        )
    if "unit_cost" in s.missing:
        lines.append(
            Mrkdwn(
                tr._(
                    "ℹ️ {sku} has no unit cost: set skus.{sku}.unit_cost (and moq, carton) in "
                    "restock.yml so the order is rounded and valued.",
                    sku=escape(s.sku),
                )
            )
        )
    return lines


def watch_line(tr: Translator, s: math_.Suggestion) -> Mrkdwn:
    return Mrkdwn(
        tr._(
            "{status} *{sku}* · {cover} days of cover, lead time {lead} days · suggest {quantity} · reorder by {by}"
            " · {v}/day over {days} days",
            status=status_label(tr, s.status),
            sku=escape(s.sku),
            cover=tr.number(s.days_of_cover or 0, 1),
            lead=s.lead.days,
            quantity=tr.number(s.quantity),
            by=tr.date(s.reorder_by) if s.reorder_by else "—",
            v=tr.number(s.velocity.per_day if s.velocity else 0, 2),
            days=s.velocity.days if s.velocity else 0,
        )
    )


def watchlist_blocks(tr: Translator, items: list[math_.Suggestion]) -> list[dict[str, Any]]:
    """SKUs to act on, most urgent first, each with a button that opens the request form prefilled."""
    blocks: list[dict[str, Any]] = [header(tr._("Restock watch"))]
    for s in items[:40]:
        blocks.append(section(watch_line(tr, s), accessory=request_restock_button(tr, s.sku, None)))
    if len(items) > 40:
        blocks.append(
            context(tr._("…and {n} more SKUs: /restock list shows requests already filed.", n=len(items) - 40))
        )
    return blocks
