"""Goals as people read them: attainment so far, the pace to the period's end, the gap in money and percent, and
the first diagnosis of a gap with the figures it used. The same lines serve /goals, App Home and the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.common import context, divider, header, section
from bot.blocks.limits import MESSAGE_BLOCKS, fit_blocks
from bot.blocks.text import escape
from bot.i18n import NP_, Translator
from bot.ops.goals import Attainment, GoalPeriod
from bot.ops.goals_playbook import Diagnosis, Goal
from bot.ops.links import Ref
from bot.ops.team import ROLE_NAMES
from bot.playbooks import local_text
from bot.reports.diagnosis import CauseKind, Figures, Traffic

KPI_NAMES = {"gmv": NP_("goal kpi", "GMV"), "acos": NP_("goal kpi", "ACoS"),
             "return_rate": NP_("goal kpi", "Return rate"), "cover_days": NP_("goal kpi", "Days in cover")}
ON_TRACK, BEHIND, NO_DATA = "✅", "🔻", "▫️"


def period_text(tr: Translator, period: GoalPeriod) -> str:
    return tr.pgettext("goal period", "{first}–{last}", first=tr.date(period.start), last=tr.date(period.end))


def goal_title(tr: Translator, goal: Goal) -> str:
    if goal.title is not None:
        return escape(local_text(goal.title, tr.locale))
    kpi = tr.pgettext("goal kpi", KPI_NAMES[goal.kpi])
    if goal.campaigns:
        # A pattern's * would end the bold title in Slack's mrkdwn: shown as the look-alike ∗.
        names = tr.join(escape(c).replace("*", "∗") for c in goal.campaigns)
        return tr._("{kpi} of campaigns {campaigns} in {marketplace}", kpi=kpi, campaigns=names,
                    marketplace=goal.marketplace)
    skus = tr.join(escape(s) for s in goal.skus)
    if goal.skus and goal.marketplace:
        return tr._("{kpi} of {skus} in {marketplace}", kpi=kpi, skus=skus, marketplace=goal.marketplace)
    if goal.skus:
        return tr._("{kpi} of {skus}", kpi=kpi, skus=skus)
    if goal.marketplace:
        return tr._("{kpi} in {marketplace}", kpi=kpi, marketplace=goal.marketplace)
    return tr._("{kpi}, all marketplaces", kpi=kpi)


def _signed(text: str, value: float) -> str:
    return f"+{text}" if value > 0 else text


def _value_text(tr: Translator, goal: Goal, value: float, currency: str | None) -> str:
    if goal.kpi == "gmv" and currency:
        return tr.money(value, currency)
    if goal.kpi == "reported":
        return tr.number(value, 0 if float(value).is_integer() else 2)
    return tr.percent(value)


def attainment_text(tr: Translator, found: Attainment, title: str | None = None) -> str:
    """One line: status, title, the value against the target, and the gap."""
    goal, measured = found.goal, found.measured
    title = title or goal_title(tr, goal)
    if goal.kpi == "acos" and measured.value is None and measured.spend and measured.currency:
        # Ad spend that sold nothing has no ACoS, and is no gap in the data either: it is over any limit.
        return tr._("{status} *{title}* · {spend} spend, no sales, limit {target}", status=BEHIND, title=title,
                    spend=tr.money(measured.spend, measured.currency), target=tr.percent(goal.target))
    if measured.value is None or found.gap is None or found.gap_share is None:
        if goal.kpi == "reported":
            return tr._("{status} *{title}* · not reported yet for {period}: /goals report {goal} <number>",
                        status=NO_DATA, title=title, period=period_text(tr, found.period), goal=goal.id)
        return tr._("{status} *{title}* · no data yet for {period}", status=NO_DATA, title=title,
                    period=period_text(tr, found.period))
    status = ON_TRACK if found.on_track else BEHIND

    def show(value: float) -> str:
        return _value_text(tr, goal, value, measured.currency)

    share = _signed(tr.percent(found.gap_share), found.gap_share)
    if measured.shape == "sum":
        gap = _signed(show(found.gap), found.gap)
        if found.closed or found.forecast is None:
            return tr._("{status} *{title}* · {actual} of {target} ({share}) · gap {gap} ({gap_share})",
                        status=status, title=title, actual=show(measured.value), target=show(goal.target),
                        share=tr.percent(found.share or 0), gap=gap, gap_share=share)
        line = tr._("{status} *{title}* · {actual} of {target} ({share}) so far · at this pace {forecast} by {end}, "
                    "gap {gap} ({gap_share})", status=status, title=title, actual=show(measured.value),
                    target=show(goal.target), share=tr.percent(found.share or 0), forecast=show(found.forecast),
                    end=tr.date(found.period.end), gap=gap, gap_share=share)
        if found.per_day_needed and not found.on_track:
            line += " · " + tr._("{needed} a day from here reaches it", needed=show(found.per_day_needed))
        return line
    points = _signed(tr.number(found.gap * 100, 1), found.gap) if goal.kpi != "reported" else \
        _signed(show(found.gap), found.gap)
    gap = tr._("{points} pts", points=points) if goal.kpi != "reported" else points
    line = _rate_text(tr, status, title, show(measured.value), show(goal.target), goal.higher_is_better, gap, share)
    if found.money_gap and measured.currency:
        line += " · " + tr._("{money} of ad spend above the limit", money=tr.money(-found.money_gap,
                                                                                      measured.currency))
    return line


def _rate_text(tr: Translator, status: str, title: str, value: str, target: str, higher: bool, gap: str,
              share: str) -> str:
    if higher:
        return tr._("{status} *{title}* · {value}, target at least {target} · gap {gap} ({gap_share})",
                    status=status, title=title, value=value, target=target, gap=gap, gap_share=share)
    return tr._("{status} *{title}* · {value}, limit {target} · gap {gap} ({gap_share})", status=status,
                title=title, value=value, target=target, gap=gap, gap_share=share)


def limit_text(tr: Translator, title: str, value: float | None, limit: float, higher: bool) -> str:
    """A kpi.yml limit (ACoS at most, CVR at least) for a marketplace's month."""
    if value is None:
        return tr._("{status} *{title}* · no data yet", status=NO_DATA, title=title)
    gap = (value - limit) if higher else (limit - value)
    return _rate_text(tr, ON_TRACK if gap >= 0 else BEHIND, title, tr.percent(value), tr.percent(limit), higher,
                     tr._("{points} pts", points=_signed(tr.number(gap * 100, 1), gap)),
                     _signed(tr.percent(gap / limit), gap))


def who_text(tr: Translator, goal: Goal, people: tuple[str, ...]) -> str:
    mentions = tr.join(f"<@{p}>" for p in people)
    if goal.role is not None:
        return tr._("{role} ({people})", role=tr._(ROLE_NAMES[goal.role]), people=mentions or "—")
    return mentions or escape(goal.owner or "")


def edited_notes(tr: Translator, lines: Sequence[Any], zone: ZoneInfo) -> dict[str, str]:
    """Each goal set or changed in Slack (a flow's GoalLine with ``edited``): by whom and on which day, the reader's."""
    return {line.attainment.goal.id: tr._("changed in Slack by <@{user}> on {day}", user=line.edited.by,
                                          day=tr.date(line.edited.at.astimezone(zone).date()))
            for line in lines if line.edited is not None}


def goals_blocks(tr: Translator, heading: str, rows: Sequence[tuple[str | None, Attainment]],
                 through_note: bool = True, *, edited: dict[str, str] | None = None,
                 manager: bool = False) -> list[dict[str, Any]]:
    """/goals and /goals team: a section per goal, with its period and id beneath it (and who changed it in Slack).
    ``manager``: the reader is a manager, who sets goals rather than asks for them."""
    blocks: list[dict[str, Any]] = [header(heading)]
    if not rows and manager:
        blocks.append(section(tr._("You have no goals of your own. /goals team shows the team's, and /goals set "
                                   "<goal> owner=@name kpi=gmv period=monthly target=30000 gives someone one "
                                   "(yourself too).")))
    elif not rows:
        blocks.append(section(tr._("No goals for you in goals.yml yet. Ask your manager to add them.")))
    for who, found in rows:
        line = attainment_text(tr, found)
        blocks.append(section(f"{who} · {line}" if who else line))
        notes = [period_text(tr, found.period), tr._("goal id: {goal}", goal=found.goal.id)]
        if through_note and found.measured.through is not None and found.goal.kpi != "reported":
            notes.insert(1, tr._("data through {day}", day=tr.date(found.measured.through)))
        if edited and found.goal.id in edited:
            notes.append(edited[found.goal.id])
        blocks.append(context(" · ".join(notes)))
    more = context(tr._("More goals than one message holds: the last ones are left out."))
    return fit_blocks(blocks, more, MESSAGE_BLOCKS)


def home_blocks(tr: Translator, rows: list[Attainment]) -> list[dict[str, Any]]:
    if not rows:
        return []
    lines = [attainment_text(tr, found) for found in rows]
    return [divider(), section(tr._("*My goals*") + "\n" + "\n".join(lines))]


def _traffic_text(tr: Translator, kind: CauseKind, traffic: Traffic) -> str:
    nothing = tr.pgettext("goal figure", "n/a")

    def num(value: float | None) -> str:
        return tr.number(value) if value is not None else nothing

    def pct(value: float | None) -> str:
        return _signed(tr.percent(value), value) if value is not None else nothing

    if kind == "traffic":
        return tr._("Traffic down: {sessions} sessions vs {before} in the same days of the period before ({change}) "
                    "→ check the listing and the ads", sessions=num(traffic.sessions),
                    before=num(traffic.sessions_before), change=pct(traffic.sessions_change))
    return tr._("Conversion down while traffic is not: CVR {cvr} vs {before} ({change}), sessions {sessions} vs "
                "{sessions_before} → check the product page and the price",
                cvr=tr.percent(traffic.cvr or 0), before=tr.percent(traffic.cvr_before or 0),
                change=pct(traffic.cvr_change), sessions=num(traffic.sessions),
                sessions_before=num(traffic.sessions_before))


def _cause_text(tr: Translator, kind: CauseKind, figures: Figures) -> str:
    if kind in ("traffic", "conversion"):
        return _traffic_text(tr, kind, figures.traffic)
    if kind == "stock":
        days = [day for _, day in figures.stockouts]
        skus = tr.join(escape(s) for s in dict.fromkeys(s for s, _ in figures.stockouts))
        return tr.ngettext("Out of stock: {skus}, {n} SKU-day between {first} and {last} → purchasing",
                           "Out of stock: {skus}, {n} SKU-days between {first} and {last} → purchasing",
                           len(days), skus=skus, first=tr.date(min(days)), last=tr.date(max(days)))
    refs = tr.join(Ref("feedback", item).label for item, _ in figures.feedback)
    return tr.ngettext("{n} price or competitor note in market feedback ({refs}) → competition",
                       "{n} price or competitor notes in market feedback ({refs}) → competition",
                       len(figures.feedback), refs=refs)


def diagnosis_lines(tr: Translator, subject: str, causes: list[CauseKind], figures: Figures,
                    settings: Diagnosis) -> list[str]:
    """A gap's subject line, then one line per cause (and per SKU whose GMV fell most), or the figures that showed
    none."""
    lines = [subject, *("   • " + _cause_text(tr, kind, figures) for kind in causes)]
    for shift in figures.skus:
        lines += [f"   ◦ {escape(shift.sku)} · {_traffic_text(tr, kind, shift.traffic)}"
                  for kind in shift.traffic.causes(settings)]
    if len(lines) > 1:
        return lines
    nothing, traffic = tr.pgettext("goal figure", "n/a"), figures.traffic
    return [subject, "   • " + tr._(
        "No cause found in the data: sessions {sessions} ({change}), CVR {cvr} ({cvr_change}), no stock-outs, no "
        "price or competitor notes", sessions=tr.number(traffic.sessions) if traffic.sessions is not None
        else nothing, change=_signed(tr.percent(traffic.sessions_change), traffic.sessions_change)
        if traffic.sessions_change is not None else nothing,
        cvr=tr.percent(traffic.cvr) if traffic.cvr is not None else nothing,
        cvr_change=_signed(tr.percent(traffic.cvr_change), traffic.cvr_change)
        if traffic.cvr_change is not None else nothing)]


def owed_blocks(tr: Translator, owed: Sequence[tuple[Goal, GoalPeriod]], out: datetime) -> tuple[str, list[dict[str,
                                                                                                              Any]]]:
    """The DM before the monthly review: each reported number still missing, and how to report it."""
    heading = tr._("Your number for the monthly review")
    when = tr._("{day} at {time} {zone}", day=tr.date(out.date()), time=tr.time(out), zone=tr.zone(out))
    lines = [tr._("• *{title}* ({period}): /goals report {goal} <number>", title=goal_title(tr, goal),
                  period=period_text(tr, period), goal=goal.id) for goal, period in owed]
    intro = tr._("The monthly review's agenda goes out {when}. Without your number it shows \"not reported\".",
                 when=when)
    return heading, [header(heading), section(intro + "\n" + "\n".join(lines))]
