"""KPI figures, the morning digest and ingest summaries as people read them (plain Block Kit dicts)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from bot.blocks.common import actions, button, context, divider, fields, header, input_block, modal, option, section
from bot.blocks.limits import MESSAGE_BLOCKS, SECTION_TEXT
from bot.blocks.text import escape
from bot.errors import N_
from bot.i18n import Translator
from bot.reports.alerts import Finding
from bot.reports.chart import ChartWords
from bot.reports.digest import DigestData, Headline
from bot.reports.formats import MARKETPLACES
from bot.reports.ingest import FileIngest
from bot.reports.kpi import MONEY, RATES, KpiReport, Kpis
from bot.reports.loaders import Period

Block = dict[str, Any]
# A shared report whose range or marketplace nothing said: a preset range, or the form with from, to and marketplace.
RANGE_PRESET = "kpi.range_preset"
RANGE_FORM = "kpi.range_form"
RANGE_VIEW = "kpi.range_view"
PRESETS = {"yesterday": N_("Yesterday"), "7d": N_("Last 7 days"), "30d": N_("Last 30 days")}
NAMES = {
    "gmv": N_("GMV"), "orders": N_("Orders"), "units": N_("Units"), "aov": N_("AOV"), "asp": N_("ASP"),
    "sessions": N_("Sessions"), "page_views": N_("Page views"), "cvr": N_("CVR"), "impressions": N_("Impressions"),
    "clicks": N_("Clicks"), "ctr": N_("CTR"), "cpc": N_("CPC"), "ad_spend": N_("Ad spend"), "ad_sales": N_("Ad sales"),
    "acos": N_("ACoS"), "roas": N_("ROAS"), "tacos": N_("TACoS"), "units_returned": N_("Units returned"),
    "return_rate": N_("Return rate"), "available": N_("Available"), "inbound": N_("Inbound"),
    "velocity": N_("Units a day"), "days_of_cover": N_("Days of cover"),
}
SHOWN = ("gmv", "orders", "units", "aov", "sessions", "cvr", "ad_spend", "acos", "tacos", "return_rate")


def value(tr: Translator, name: str, number: float | None, currency: str, *, spend: float | None = None) -> str:
    """``spend``: the ad spend behind an ACoS or ROAS, so that spend with no ad sales reads as such."""
    if number is None:
        if name in ("acos", "roas") and spend:
            return tr._("spend, no sales")
        return tr._("n/a")
    if name in MONEY:
        return tr.money(number, currency)
    if name in RATES:
        return tr.percent(number)
    return tr.number(number, 2 if name == "roas" else 1 if name in ("velocity", "days_of_cover") else 0)


def shown(tr: Translator, name: str, kpis: Kpis) -> str:
    return value(tr, name, kpis[name], kpis.currency, spend=kpis["ad_spend"])


def _change(tr: Translator, now: float | None, then: float | None, *, rate: bool = False) -> str:
    """A rate's change is in percentage points (2 % to 3 % is +1 pp, not +50 %); other figures' is relative."""
    if rate:
        if now is None or then is None:
            return tr._("n/a")
        points = (now - then) * 100
        return _arrow(round(points, 1)) + tr._("{points} pp", points=tr.number(abs(points), 1))
    change = (now - then) / then if now is not None and then else None
    if change is None:
        return tr._("n/a")
    return _arrow(round(change * 100)) + tr.percent(abs(change), 0)


def _arrow(change: float) -> str:
    """``change`` as shown (rounded): what reads as no change has no direction, 4 vs 4 reads 0% with no arrow."""
    return "" if change == 0 else "▲ " if change > 0 else "▼ "


def coverage_text(tr: Translator, coverage: dict[str, date]) -> str | None:
    """How far each source goes, when they stop on different days: a ratio then covers only the common days."""
    if len(set(coverage.values())) < 2:
        return None
    words = {"sales": N_("sales data through {day}"), "ads": N_("ads through {day}"),
             "returns": N_("returns through {day}")}
    return "; ".join(tr._(words[source], day=tr.date(day)) for source, day in coverage.items())


def kpi_blocks(tr: Translator, report: KpiReport, scope: str) -> list[Block]:
    """`/kpi`: the total in the base currency, then each marketplace in its own currency."""
    period = tr._("{start} to {end}", start=tr.date(report.start), end=tr.date(report.end))
    if report.data_through is None and not report.marketplaces:
        return [section(tr._("No report data for {scope} from {period} yet. Load reports with opsbot ingest or "
                             "share them in the data channel.", scope=escape(scope), period=period))]
    # A SKU with no daily sales in the range may still have a report covering it (a Business Report by child
    # item): its traffic is shown, and the line says where it came from.
    through = (tr._("{period} · data through {day}", period=period, day=tr.date(report.data_through))
               if report.data_through is not None else
               tr._("{period} · no daily sales in this range: traffic from a report covering it", period=period))
    blocks: list[Block] = [header(tr._("KPIs: {scope}", scope=scope)), context(through)]
    covered = coverage_text(tr, report.coverage)
    if covered:
        blocks.append(context(covered))
    parts: list[tuple[str, Kpis]] = [(tr._("Total ({currency})", currency=report.base), report.total)]
    parts += [(f"{escape(market)} ({k.currency})", k) for market, k in report.marketplaces.items()]
    # Slack shows ten fields a section at most: sales and ads, then stock and returns.
    for title, kpis in parts[: (MESSAGE_BLOCKS - 3) // 3]:
        blocks.append(section(f"*{title}*"))
        for names in (SHOWN[:8], ("velocity", "days_of_cover", "return_rate")):
            blocks.append(fields([f"*{tr._(NAMES[n])}*\n{shown(tr, n, kpis)}" for n in names]))
    return blocks


def _headline(tr: Translator, item: Headline, currency: str) -> str:
    return tr._("*{name}* {value}\n{prev} vs. the day before · {week} vs. a week ago · {avg} vs. the 7-day average",
                name=tr._(NAMES[item.name]), value=value(tr, item.name, item.value, currency, spend=item.ad_spend),
                prev=_change(tr, item.value, item.previous_day, rate=item.name in RATES),
                week=_change(tr, item.value, item.last_week, rate=item.name in RATES),
                avg=_change(tr, item.value, item.average_7d, rate=item.name in RATES))


def alert_text(tr: Translator, f: Finding) -> str:
    """An alert's diagnosis; marketplace, SKU and return reasons come from report files, so they are escaped."""
    v = f.values
    f = replace(f, marketplace=escape(f.marketplace), sku=escape(f.sku) if f.sku else f.sku,
                reasons=tuple((escape(r), n) for r, n in f.reasons))
    if f.kind == "ctr_cvr":
        return tr._("{market}: CTR is high ({ctr}) but CVR is low ({cvr}): the main image pulls clicks but the "
                    "detail page does not convince — check price, reviews and content.",
                    market=f.marketplace, ctr=tr.percent(v["ctr"], 2), cvr=tr.percent(v["cvr"]))
    if f.kind == "acos_target":
        return tr._("{market}: ACoS {acos} is above the target {target}: review bids, keywords and the ad "
                    "structure.", market=f.marketplace, acos=tr.percent(v["acos"]), target=tr.percent(v["target"]))
    if f.kind == "tacos_target":
        return tr._("{market}: TACoS {tacos} over the last 7 days is above the target {target} (ACoS {acos}): ads "
                    "take too large a share of all sales — trim the least profitable campaigns or grow organic sales.",
                    market=f.marketplace, tacos=tr.percent(v["tacos"]), target=tr.percent(v["target"]),
                    acos=tr.percent(v["acos"]))
    if f.kind == "cvr_target":
        return tr._("{market}: CVR {cvr} over the last 7 days is below the target {target} (CTR {ctr}): check "
                    "price, reviews, images and stock on the detail page.",
                    market=f.marketplace, cvr=tr.percent(v["cvr"]), target=tr.percent(v["target"]),
                    ctr=tr.percent(v["ctr"], 2))
    if f.kind == "acos_rising":
        return tr._("{market}: ACoS is rising ({acos}, was {before} on average over the last 7 days): "
                    "re-examine the ad structure, bids and keywords.",
                    market=f.marketplace, acos=tr.percent(v["acos"]), before=tr.percent(v["before"]))
    if f.kind == "sessions_down":
        return tr._("{market}: sessions are down to {sessions} from {usual} a day with CVR at {cvr}: a traffic "
                    "problem — check ranking, ad budget and suppressed listings.",
                    market=f.marketplace, sessions=tr.number(v["sessions"]), usual=tr.number(v["usual"]),
                    cvr=tr.percent(v["cvr"]))
    if f.kind == "spend_no_sales":
        return tr._("{market}: {day} of ad spend on the latest day and {week} over the last 7 days brought no ad "
                    "sales: pause or re-target the campaigns that spend without selling.", market=f.marketplace,
                    day=tr.money(v["day"], f.currency or "USD"), week=tr.money(v["week"], f.currency or "USD"))
    if f.kind == "returns_up":
        reasons = tr.join(f"{r} ({n})" for r, n in f.reasons) or tr._("n/a")
        return tr._("{market}: return rate {rate} over the last 7 days (was {before}). Top reasons: {reasons} — "
                    "a quality or listing accuracy problem?", market=f.marketplace, rate=tr.percent(v["rate"]),
                    before=tr.percent(v["before"]), reasons=reasons)
    if "velocity" in v:  # the window the velocity used, as the restock card prints it
        return tr._("{market} {sku}: {cover} days of cover at {velocity}/day over the last {days} days, below the "
                    "{lead}-day lead time: order now.", market=f.marketplace, sku=f.sku or "",
                    cover=tr.number(v["cover"], 0), velocity=tr.number(v["velocity"], 2), days=int(v["days"]),
                    lead=tr.number(v["lead"]))
    return tr._("{market} {sku}: {cover} days of cover, below the {lead}-day lead time: order now.",
                market=f.marketplace, sku=f.sku or "", cover=tr.number(v["cover"], 0), lead=tr.number(v["lead"]))


def _lines(tr: Translator, lines: list[str], limit: int = 15) -> str:
    """Lines in one section, within Slack's 3,000 characters, ending with how many were left out."""
    shown: list[str] = []
    size = 0
    for line in lines[:limit]:
        if size + len(line) + 1 > SECTION_TEXT - 60:
            break
        shown.append(line)
        size += len(line) + 1
    left = len(lines) - len(shown)
    if left:
        shown.append(tr.ngettext("…and {n} more", "…and {n} more", left))
    return "\n".join(shown)


def digest_blocks(tr: Translator, data: DigestData, team_name: str) -> list[Block]:
    blocks: list[Block] = [header(tr._("Morning KPIs: {team}", team=team_name))]
    if data.through is None:
        blocks.append(section(tr._("No sales data has arrived yet, so there is nothing to compare. Load reports "
                                   "with opsbot ingest or share them in the data channel.")))
    else:
        if data.today is not None and (data.today - data.through).days > 2:
            blocks.append(section(tr._("⚠️ The newest data is from {day}, {days} days ago: these figures are old. "
                                       "Load the latest reports.", day=tr.date(data.through),
                                       days=(data.today - data.through).days)))
        blocks.append(context(tr._("Data through {day} · amounts in {currency}", day=tr.date(data.through),
                                   currency=data.base)))
        covered = coverage_text(tr, data.coverage)
        if covered:
            blocks.append(context(covered))
        blocks.append(section(_lines(tr, [_headline(tr, h, data.base) for h in data.headlines], 12)))
    if data.month is not None and data.through is not None:
        m = data.month
        if m.target is not None and m.pace is not None:
            text = tr._("*Month to date* {mtd} of the {target} target ({share}); at this pace {pace} was due. "
                        "Forecast for the month: {forecast}.", mtd=tr.money(m.mtd, data.base),
                        target=tr.money(m.target, data.base), share=tr.percent(m.mtd / m.target if m.target else 0),
                        pace=tr.money(m.pace, data.base), forecast=tr.money(m.forecast, data.base))
        else:
            text = tr._("*Month to date* {mtd}; forecast for the month: {forecast}. No target is set in kpi.yml.",
                        mtd=tr.money(m.mtd, data.base), forecast=tr.money(m.forecast, data.base))
        if m.ad_spend:
            text += "\n" + tr._("ACoS this month {acos} (ad spend {spend}, ad sales {sales})",
                                 acos=value(tr, "acos", m.acos, data.base, spend=m.ad_spend),
                                 spend=tr.money(m.ad_spend, data.base), sales=tr.money(m.ad_sales or 0, data.base))
        blocks.append(section(text))
    if data.movers:
        movers = [tr._("{sku}: {gmv} (usually {usual} a day)", sku=escape(m.sku), gmv=tr.money(m.gmv, data.base),
                       usual=tr.money(m.usual, data.base)) for m in data.movers]
        blocks += [divider(), section(tr._("*Top movers*") + "\n" + _lines(tr, movers))]
    if data.alerts:
        blocks += [divider(), section(tr._("*Alerts*") + "\n" + _lines(tr, [alert_text(tr, a) for a in data.alerts],
                                                                        10))]
    for extra in data.extra[:5]:
        blocks += [divider(), section(f"*{extra.title}*\n" + _lines(tr, list(extra.lines)))]
        if extra.buttons:
            blocks.append(actions(list(extra.buttons)))
    return blocks[:MESSAGE_BLOCKS]


def kpi_text(tr: Translator, scope: str) -> str:
    """`/kpi`'s notification text; the scope is what was typed."""
    return tr._("KPIs: {scope}", scope=escape(scope))


def ingest_text(tr: Translator, result: FileIngest) -> str:
    return tr._("Loaded {file} ({kind}): {first} to {last}, {markets}, {skus} SKUs — {new} new, {updated} updated, "
                "{unchanged} unchanged.", file=escape(result.file), kind=tr._(result.label), first=result.first or "—",
                last=result.last or "—", markets=escape(tr.join(result.marketplaces)) or "—", skus=result.skus,
                new=result.new, updated=result.updated, unchanged=result.unchanged)


def chart_words(tr: Translator, data: DigestData, scope: str | None = None) -> ChartWords:
    """The digest chart's title (which marketplaces, which days) and its series' names, in the team's language."""
    first, last = (data.chart[0].day, data.chart[-1].day) if data.chart else (data.through, data.through)
    period = tr._("{start} to {end}", start=tr.date(first), end=tr.date(last)) if first and last else ""
    return ChartWords(
        title=tr._("{scope}: {period}", scope=scope or tr._("All marketplaces"), period=period),
        gmv=tr._("GMV"), pace=tr._("Target pace"), acos=tr._("ACoS"), spend=tr._("Ad spend"),
        acos_target=tr._("ACoS target"), no_data=tr._("no data"),
        spend_no_sales=tr._("spend, no sales"))


def _period_words(tr: Translator, period: Period) -> str:
    if period.start == period.end:
        return tr.date(period.start)
    return tr._("{start} to {end}", start=tr.date(period.start), end=tr.date(period.end))


def range_prompt(tr: Translator, name: str, shared: dict[str, Any], presets: dict[str, Period], chosen: Period,
                 marketplace: str | None, problem: str | None = None) -> list[Block]:
    """Asks which days (and, when nothing says it, which marketplace) a shared period report covers.

    ``shared`` is what is needed to fetch the file from Slack again (checked again then); ``presets`` are
    empty once the range is known and only the marketplace is missing; ``problem`` is that refusal, as text.
    """

    def value(period: Period) -> str:
        return json.dumps({"f": shared, "s": period.start.isoformat(), "e": period.end.isoformat(),
                           "m": marketplace}, ensure_ascii=False)

    if presets:
        text = tr._("{file} covers a range of days, and Seller Central names the file after the day it was "
                    "downloaded. Which range did you choose in Seller Central?", file=escape(name))
    else:
        text = (problem or "") + "\n" + tr._("Choose the marketplace and the days it covers:")
    buttons = [button(tr._(PRESETS[key]), RANGE_PRESET, value(period)) for key, period in presets.items()]
    buttons.append(button(tr._("Other dates…"), RANGE_FORM, value(chosen)))
    blocks = [section(text)]
    if presets:
        blocks.append(context(" · ".join(f"{tr._(PRESETS[key])}: {_period_words(tr, period)}"
                                         for key, period in presets.items())))
    return [*blocks, actions(buttons)]


def range_form(tr: Translator, name: str, metadata: str, chosen: Period, marketplace: str | None) -> dict[str, Any]:
    """The days a shared report covers and its marketplace; ``metadata`` carries the file and the thread."""
    markets = [option(m, m) for m in sorted(MARKETPLACES)]
    select: dict[str, Any] = {"type": "static_select", "action_id": "marketplace", "options": markets}
    if marketplace in MARKETPLACES:
        select["initial_option"] = option(str(marketplace), str(marketplace))
    return modal(tr._("Report range"), [
        section(tr._("Which days does {file} cover, and which marketplace is it for?", file=escape(name))),
        input_block("marketplace", tr._("Marketplace"), select),
        input_block("from", tr._("From"), {"type": "datepicker", "action_id": "from",
                                           "initial_date": chosen.start.isoformat()}),
        input_block("to", tr._("To"), {"type": "datepicker", "action_id": "to",
                                       "initial_date": chosen.end.isoformat()}),
    ], callback_id=RANGE_VIEW, submit=tr._("Load"), close=tr._("Cancel"), private_metadata=metadata)
