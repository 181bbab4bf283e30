"""The lines of the agenda sections other features declare (bot/flows/agenda_*.py): each a sentence in the reader's
language with what a person typed escaped here."""

from __future__ import annotations

from datetime import date

from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.errors import N_
from bot.i18n import Translator

LIMIT = 200
ALERT_NAMES = {
    "ctr_cvr": N_("clicks but few orders"), "acos_target": N_("ACoS over target"), "acos_rising": N_("ACoS rising"),
    "tacos_target": N_("TACoS over target"), "cvr_target": N_("CVR under target"),
    "sessions_down": N_("sessions down"), "returns_up": N_("returns up"), "low_cover": N_("low days of cover"),
    "spend_no_sales": N_("ad spend without sales"),
}


def change(tr: Translator, now: float | None, before: float | None) -> str:
    if now is None or not before:
        return tr._("nothing earlier to compare")
    return tr._("{change} vs before", change=("+" if now >= before else "") + tr.percent(now / before - 1))


def kpi_line(tr: Translator, market: str, gmv: str, gmv_change: str, target: str | None, cvr: str, acos: str
             ) -> Mrkdwn:
    line = tr._("*{market}* GMV {gmv} ({change})", market=escape(market), gmv=gmv, change=gmv_change)
    if target:
        line += " · " + target
    return Mrkdwn(line + " · " + tr._("CVR {cvr} · ACoS {acos}", cvr=cvr, acos=acos))


def target_text(tr: Translator, attained: float, target: str) -> str:
    return tr._("{share} of the target pace ({target})", share=tr.percent(attained), target=target)


def alerts_line(tr: Translator, fired: list[tuple[str, str, str | None]]) -> Mrkdwn:
    """Alerts that fired in the period: (kind, marketplace, SKU)."""
    names = [f"{tr._(ALERT_NAMES[kind]) if kind in ALERT_NAMES else escape(kind)} "
             f"({escape(market)}{' ' + escape(sku) if sku else ''})" for kind, market, sku in fired]
    return Mrkdwn(tr.ngettext("{n} alert fired: {alerts}", "{n} alerts fired: {alerts}", len(fired), alerts=names))


def sku_line(tr: Translator, rank: str, sku: str, gmv: str, gmv_change: str) -> Mrkdwn:
    return Mrkdwn(tr._("{rank} {sku}: {gmv} ({change})", rank=rank, sku=escape_clipped(sku, 64), gmv=gmv,
                       change=gmv_change))


def blocker_line(tr: Translator, user: str, days: int, text: str) -> Mrkdwn:
    return Mrkdwn(tr.ngettext("<@{who}> · open {n} day · {text}", "<@{who}> · open {n} days · {text}", days,
                              who=user, text=escape_clipped(text, LIMIT)))


def restock_line(tr: Translator, ref: str, sku: str, quantity: int, state: str, late_since: date | None) -> Mrkdwn:
    line = tr._("{ref} · {quantity} × {sku} · {state}", ref=ref, quantity=tr.number(quantity),
                sku=escape_clipped(sku, 64), state=state)
    if late_since is not None:
        line += " · " + tr._("⚠️ late: expected {day}", day=tr.date(late_since))
    return Mrkdwn(line)


def launch_line(tr: Translator, launch: str, title: str, owner: str, due: date, gate: bool) -> Mrkdwn:
    line = tr._("{launch}: {task} · <@{who}> · due {day}", launch=escape_clipped(launch, 80),
                task=escape_clipped(title, LIMIT), who=owner, day=tr.date(due))
    return Mrkdwn(("🚦 " if gate else "") + line)


def feedback_line(tr: Translator, item_id: int, category: str, state: str, hours: int, text: str) -> Mrkdwn:
    return Mrkdwn(tr._("Feedback #{id} · {category} · {state} · {age} · {text}", id=item_id,
                       category=escape_clipped(category, 64), state=state,
                       age=tr.ngettext("{n} hour old", "{n} hours old", hours), text=escape_clipped(text, LIMIT)))
