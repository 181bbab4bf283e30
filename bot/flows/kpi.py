"""KPI use cases shared by `/kpi`, the CLI, file shares and the morning digest job: one code path each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.blocks import kpi as blocks
from bot.db.audit import Audit
from bot.db.kpi import KpiAlert, KpiDigest, SalesDay
from bot.flows.catalog import live_restock
from bot.flows.context import Context
from bot.flows.home import homes_changed, managers
from bot.i18n import translator
from bot.ops.restock_math import lead_for
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import Team
from bot.recent import Recent
from bot.reports.alerts import transitions
from bot.reports.chart import digest_chart
from bot.reports.digest import DigestData, build_digest, window_start
from bot.reports.facts import by_day, load_window
from bot.reports.ingest import DEFAULT_CURRENCIES, IngestResult, ingest_files
from bot.reports.kpi import KpiReport, compute
from bot.reports.loaders import Period
from bot.reports.period_facts import best_periods, with_period_traffic
from bot.reports.playbook import KpiPlaybook
from bot.reports.queries import find_sku, latest_ingest
from bot.reports.skus import sku_figures
from bot.reports.velocity import read_stock_facts, stock_table, with_stock
from bot.scheduler import ScheduledJob, daily

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestPosting:
    """What ``post_digest`` did: posted now, or found this team's digest for the day already posted."""

    day: date
    channel: str | None  # the channel's id
    at: datetime | None = None
    already: bool = False
    key: str | None = None  # the channel's key in team.yml (ops, data…), as kpi.yml names it


class KpiFlow:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._reports: Recent[tuple[object, ...], KpiReport] = Recent(64)

    def playbook(self) -> KpiPlaybook:
        return self.ctx.playbook(KpiPlaybook)

    def currencies(self) -> dict[str, str]:
        return {**DEFAULT_CURRENCIES, **self.playbook().currencies}

    def find_sku(self, team: Team, word: str) -> str | None:
        with self.ctx.db.transaction() as session:
            return find_sku(session, team.id, word)

    def ingest(self, team: Team, paths: Sequence[Path], marketplace: str | None = None,
               period: Period | None = None, *, actor: str = "cli", names: dict[Path, str] | None = None,
               progress: Callable[[int], None] | None = None, keep_going: bool = False,
               done: Callable[[str], None] | None = None) -> IngestResult:
        """``keep_going``: a file that cannot be read is refused on its own and the others load."""
        with self.ctx.db.transaction() as session:
            return ingest_files(session, team.id, paths, marketplace, period, now=self.ctx.clock.now(),
                                currencies=self.currencies(), zones=self.playbook().zones(), actor=actor, names=names,
                                progress=progress, keep_going=keep_going, done=done,
                                default_marketplace=self.default_marketplace(team))

    def default_marketplace(self, team: Team) -> str | None:
        """The marketplace of the team's reports that say none: team.yml's, else kpi.yml's per-team fallback."""
        return team.default_marketplace or self.playbook().default_marketplace.get(team.id)

    def report(self, team: Team, start: date, end: date, marketplace: str | None = None,
               sku: str | None = None) -> KpiReport:
        """The same question on the same data gets the answer already computed: a morning of `/kpi 30d`
        from the whole team costs one computation, and any report loaded since makes a new one."""
        with self.ctx.db.transaction() as session:
            version = latest_ingest(session, team.id)

        def computed() -> KpiReport:
            with self.ctx.db.transaction() as session:
                window = load_window(session, team.id, start, end, sku=sku, marketplace=marketplace)
                periods = best_periods(session, team.id, sku, start, end, marketplace) if sku else {}
                stock = read_stock_facts(session, team.id, end, end, sku=sku, marketplace=marketplace) if sku else None
            found = compute(by_day(window), team.base_currency, self.currencies(), self.playbook().rate)
            # A SKU's traffic comes from the report covering the window best; its sales from daily sources.
            found = with_period_traffic(found, periods, self.currencies())
            # ... and its velocity, stock and cover from the one definition restock and the digest use.
            return with_stock(found, stock_table(stock, end, end)) if stock is not None else found

        # Asked by several people at once, it is computed once: the others wait for that answer.
        return self._reports.get_or_compute((team.id, start, end, marketplace, sku, version), computed)

    def data_through(self, team: Team, today: date) -> date | None:
        """The newest day with sales data before today: a day not yet arrived is never read as zero."""
        with self.ctx.db.transaction() as session:
            found: date | None = session.scalar(select(func.max(SalesDay.day)).where(
                SalesDay.team_id == team.id, SalesDay.day < today))
        return found

    def digest(self, team: Team, today: date) -> DigestData:
        through = self.data_through(team, today)
        playbook = self.playbook()
        extra = [s for s in (p(self.ctx, team, today) for p in self.ctx.digest_sections) if s is not None]
        if through is None:
            return DigestData(team.id, team.base_currency, None, extra=tuple(extra))
        with self.ctx.db.transaction() as session:
            window = load_window(session, team.id, window_start(through), through)
            stock = stock_table(read_stock_facts(session, team.id, through, through), through, through)
        stock["lead"] = stock["sku"].map({sku: self.lead_days(str(sku), today) for sku in stock["sku"].unique()})
        setting = playbook.digest.get(team.id)
        # Per-SKU figures once (movers, cover), then marketplace totals for everything else.
        return build_digest(team.id, by_day(window), through, team.base_currency, self.currencies(), playbook.rate,
                            playbook, top_movers=setting.top_movers if setting else 5, extra=extra,
                            skus=sku_figures(window, through, stock), today=today)

    def lead_days(self, sku: str, today: date) -> int:
        """A SKU's lead time as restock has it (its supplier's legs), kpi.yml's only for SKUs with no supplier."""
        default = self.playbook().lead_time(sku)
        try:
            restock = live_restock(self.ctx, self.ctx.playbook(RestockPlaybook))  # with the catalogue imported since
        except LookupError:
            return default
        return lead_for(restock, sku, "sea", today, default).days

    def fresh_alerts(self, team: Team, data: DigestData, *, save: bool) -> DigestData:
        """Only alerts newly crossed are shown; ones no longer found re-arm. ``save`` stores that."""
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            stored = {a.key: a for a in session.scalars(select(KpiAlert).where(KpiAlert.team_id == team.id))}
            firing = {k for k, a in stored.items() if a.firing}
            fire, recovered = transitions(list(data.alerts), firing)
            if save:
                audit = Audit(team.id, "opsbot", now)
                for finding in fire:
                    alert = stored.get(finding.key) or KpiAlert(team_id=team.id, key=finding.key)
                    alert.firing, alert.changed_at = True, now
                    session.add(alert)
                    audit(session, "kpi_alert", finding.key, "armed", "fired")
                for key in recovered:
                    stored[key].firing, stored[key].changed_at = False, now
                    audit(session, "kpi_alert", key, "fired", "armed")
        return replace(data, alerts=tuple(fire))

    def post_digest(self, team: Team, today: date) -> DigestPosting:
        """Once per team and day, whoever asks (the morning job, `opsbot digest --post` run twice): the day's
        row is written with the post, so a second attempt finds it, or fails on its key and posts nothing."""
        setting = self.playbook().digest.get(team.id)
        channel = team.channel(setting.channel) if setting else None
        if setting is None or channel is None:
            log.warning("kpi digest for %s has no channel", team.id)
            return DigestPosting(today, None)
        with self.ctx.db.transaction() as session:
            done = session.get(KpiDigest, (team.id, today))
            if done is not None:
                return DigestPosting(today, done.channel, done.posted_at, already=True, key=setting.channel)
        tr = translator(team.locale)
        found = self.digest(team, today)
        png = (digest_chart(found.chart, found.base, blocks.chart_words(tr, found))
               if found.through is not None and found.chart else None)
        now = self.ctx.clock.now()
        try:
            # The alerts it fires are recorded with the digest that shows them: both, or neither.
            with self.ctx.db.transaction() as session:
                session.add(KpiDigest(team_id=team.id, day=today, channel=channel, posted_at=now))
                session.flush()  # a digest another process posted meanwhile stops this one here (its key)
                data = self.fresh_alerts(team, found, save=True)
                text = tr._("Morning KPIs: {team}", team=team.name)
                posted = self.ctx.delivery.post(channel, text, blocks.digest_blocks(tr, data, team.name))
                if png is not None and data.through is not None:
                    self.ctx.delivery.upload(channel, f"kpi-{data.through.isoformat()}.png", png,
                                             title=tr._("GMV vs. target pace, ACoS and ad spend, 14 days"),
                                             thread_ts=posted)
        except IntegrityError:  # another process posted it meanwhile: its row stands, this one posts nothing
            with self.ctx.db.transaction() as session:
                done = session.get(KpiDigest, (team.id, today))
            if done is None:
                raise
            return DigestPosting(today, done.channel, done.posted_at, already=True, key=setting.channel)
        homes_changed(self.ctx, team, managers(self.ctx, team))  # the alerts it fired are in their team strip
        return DigestPosting(today, channel, now, key=setting.channel)

    def jobs(self) -> list[ScheduledJob]:
        out: list[ScheduledJob] = []
        for team in self.ctx.teams.teams:
            setting = self.playbook().digest.get(team.id)
            if setting is None:
                continue
            out.append(daily("kpi.digest", team.id, team.zone, setting.time, partial(self._fire, team),
                             days=setting.days, grace=timedelta(hours=3)))
        return out

    def _fire(self, team: Team, fire: datetime) -> None:
        self.post_digest(team, fire.astimezone(team.zone).date())


