"""/kpi, report files shared in the data channel or a DM, and the morning digest job."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from slack_bolt import Ack

from bot.blocks.common import error_text
from bot.blocks.kpi import ingest_text, kpi_blocks, kpi_text
from bot.errors import OpsError
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.flows.kpi import KpiFlow
from bot.handlers.command_words import KPI_WORDS
from bot.ops.team import ChannelKey
from bot.reports.periods import parse_kpi
from bot.reports.playbook import load_playbook
from bot.scheduler import ScheduledJob
from bot.uploads import SlackFiles


def register(reg: Registrar, ctx: Context) -> None:
    flow = KpiFlow(ctx)
    files = SlackFiles(reg.settings, token=lambda: ctx.delivery.client.token)

    @reg.command("/kpi")
    def kpi(ack: Ack, command: dict[str, Any]) -> None:
        """/kpi [marketplace|SKU] [yesterday|7d|30d|mtd|YYYY-MM-DD..YYYY-MM-DD] shows KPIs only to you."""
        ack()
        user = command["user_id"]
        team = ctx.team_of(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        query = parse_kpi(command.get("text", ""), ctx.today(team), lambda word: flow.find_sku(team, word))
        report = flow.report(team, query.start, query.end, query.marketplace, query.sku)
        scope = query.sku or query.marketplace or tr._("all marketplaces")
        ctx.delivery.respond(command["response_url"], kpi_text(tr, scope),
                                  kpi_blocks(tr, report, scope))

    @reg.event("message")
    def shared(event: dict[str, Any]) -> None:
        if event.get("subtype") != "file_share" or not event.get("files"):
            return
        user, channel = event.get("user", ""), event["channel"]
        team = ctx.teams.for_user(user)
        if team is None:
            return
        if event.get("channel_type") != "im" and channel != team.channel(ChannelKey.data):
            return
        tr = ctx.translator_for(user, team) if event.get("channel_type") == "im" else \
            ctx.translator_for(None, team)
        lines: list[str] = []
        with tempfile.TemporaryDirectory() as folder:
            for number, shared_file in enumerate(event["files"]):
                try:
                    report = files.check(shared_file)
                    path = files.download(report, Path(folder) / f"shared-{number}.{report.extension}")
                    result = flow.ingest(team, [path], actor=user, names={path: report.name})
                    lines += [ingest_text(tr, loaded) for loaded in result.files]
                except OpsError as exc:
                    lines.append(error_text(tr, exc))
        ctx.delivery.post(channel, "\n".join(lines), thread_ts=event.get("ts"))


def jobs(ctx: Context) -> list[ScheduledJob]:
    return KpiFlow(ctx).jobs()


FEATURE = Feature(
    name="kpi",
    register=register,
    commands=(SlashCommand("/kpi", "KPIs for a marketplace or SKU, privately",
                           "[US|SKU] [yesterday|7d|30d|mtd|2026-11-01..2026-11-20]", aliases=KPI_WORDS),),
    events=("message",),
    scopes=("files:read", "files:write", "channels:history", "im:history"),
    load_playbook=load_playbook,
    jobs=jobs,
    demo_scene="20_kpi.txt",
)
