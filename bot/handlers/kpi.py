"""/kpi, report files shared in the data channel or a DM, the range form for a shared period report, and the
morning digest job."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from slack_bolt import Ack

from bot.answering import after_answer
from bot.blocks import kpi as blocks
from bot.blocks.common import error_text
from bot.blocks.kpi import ingest_text, kpi_blocks, kpi_text
from bot.errors import N_, OpsError
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.agenda_kpi import KPI_SECTIONS
from bot.flows.context import Context
from bot.flows.kpi import KpiFlow
from bot.flows.kpi_home import kpi_home
from bot.handlers.catalog import CatalogShares
from bot.handlers.command_words import KPI_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.i18n import Translator
from bot.ops.team import ChannelKey, Team
from bot.reports.ingest import FileRefused
from bot.reports.loaders import NO_MARKETPLACE, NO_RANGE, Period, file_period, range_presets
from bot.reports.periods import parse_kpi, said_with_file
from bot.reports.playbook import load_playbook
from bot.scheduler import ScheduledJob
from bot.uploads import SlackFiles

# What fetching a shared file again needs (it is checked again then): kept in the range buttons and form.
_KEPT = ("id", "name", "filetype", "size", "url_private_download")


def register(reg: Registrar, ctx: Context) -> None:
    flow = KpiFlow(ctx)
    files = SlackFiles(reg.settings, token=lambda: ctx.delivery.client.token)
    catalogues = CatalogShares(ctx, files)  # a SKU catalogue shared the same way is previewed, not loaded
    catalogues.register(reg)

    def load(team: Team, user: str, tr: Translator, shared: Mapping[str, Any], marketplace: str | None,
             period: Period | None) -> tuple[str, list[dict[str, Any]]]:
        """One shared file loaded: its line, and the range prompt's blocks when its range or marketplace is
        needed (none otherwise)."""
        with tempfile.TemporaryDirectory() as folder:
            try:
                report = files.check(shared)
                path = files.download(report, Path(folder) / f"shared.{report.extension}")
            except OpsError as exc:
                return error_text(tr, exc), []
            catalogue = catalogues.answer(team, user, tr, shared, report, path)
            if catalogue is not None:
                return catalogue
            result = flow.ingest(team, [path], marketplace, period, actor=user, names={path: report.name},
                                 keep_going=True)
        fate = result.fates[0]
        if not isinstance(fate, FileRefused):
            return ingest_text(tr, fate), []
        problem = error_text(tr, fate.reason)
        if fate.reason.message not in (NO_RANGE, NO_MARKETPLACE):
            return problem, []
        kept = {k: shared[k] for k in _KEPT if k in shared}
        kept["url_private_download"], kept["team"] = report.url, team.id
        named = file_period(report.name)
        presets = range_presets(named.end if named and named.start == named.end else ctx.today(team)) \
            if fate.reason.message == NO_RANGE else {}
        chosen = period or presets["7d"]
        prompt = blocks.range_prompt(tr, report.name, kept, presets, chosen, marketplace,
                                     None if presets else problem)
        return problem, prompt

    def answer(channel: str, thread: str | None, line: str, prompt: list[dict[str, Any]]) -> None:
        ctx.delivery.post(channel, line, prompt or None, thread_ts=thread)

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
        said = said_with_file(event.get("text"))  # "--marketplace DE 2026-10-01..2026-10-31" beside the file
        period = Period(said.start, said.end) if said.start and said.end else None
        lines: list[str] = []
        for shared_file in event["files"]:
            line, prompt = load(team, user, tr, shared_file, said.marketplace, period)
            if prompt:
                answer(channel, event.get("ts"), line, prompt)
            else:
                lines.append(line)
        if lines:
            ctx.delivery.post(channel, "\n".join(lines), thread_ts=event.get("ts"))

    def member(user: str, body: dict[str, Any], shared: Mapping[str, Any]) -> Team:
        """Only a member of the team the file was shared with loads it, into that team's facts."""
        team = ctx.team_of(user, (body.get("team") or {}).get("id"))
        if shared.get("team") != team.id:
            raise OpsError(N_("That report was shared with another team: only its members can load it."))
        return team

    @reg.action(blocks.RANGE_PRESET)
    def preset(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user, value = body["user"]["id"], json.loads(body["actions"][0]["value"])
        team = member(user, body, value["f"])
        tr = ctx.translator_for(user, team)
        period = Period(date.fromisoformat(value["s"]), date.fromisoformat(value["e"]))
        line, prompt = load(team, user, tr, value["f"], value.get("m"), period)
        message = body.get("message") or {}
        answer(body["container"]["channel_id"], message.get("thread_ts") or message.get("ts"), line, prompt)

    @reg.action(blocks.RANGE_FORM)
    def form(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user, value = body["user"]["id"], json.loads(body["actions"][0]["value"])
        team = member(user, body, value["f"])
        message = body.get("message") or {}
        where = {"f": value["f"], "c": body["container"]["channel_id"],
                 "t": message.get("thread_ts") or message.get("ts")}
        chosen = Period(date.fromisoformat(value["s"]), date.fromisoformat(value["e"]))
        ctx.delivery.open_view(body["trigger_id"], blocks.range_form(
            ctx.translator_for(user, team), str(value["f"].get("name", "")), json.dumps(where, ensure_ascii=False),
            chosen, value.get("m")))

    @reg.view(blocks.RANGE_VIEW)
    def ranged(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, where, raw = body["user"]["id"], json.loads(view["private_metadata"]), view_values(view)
        team = member(user, body, where["f"])
        tr = ctx.translator_for(user, team)
        chosen = submit_or_field_errors(ack, tr, view, lambda: _chosen(raw))
        if chosen is None:
            return

        def loaded() -> None:
            line, prompt = load(team, user, tr, where["f"], chosen[0], chosen[1])
            answer(where["c"], where.get("t"), line, prompt)

        # The form is answered on its fields alone: fetching the file from Slack and loading the report (seconds
        # with a slow Slack or a large file) come after, and their line goes to the thread as before.
        if not after_answer(loaded):
            loaded()


def _chosen(raw: dict[str, Any]) -> tuple[str, Period]:
    """The form's marketplace and days; a range that ends before it starts stays in the form to be fixed."""
    if not raw.get("from"):
        raise OpsError(N_("Choose the first day the report covers."), field="from")
    if not raw.get("to"):
        raise OpsError(N_("Choose the last day the report covers."), field="to")
    if not raw.get("marketplace"):
        raise OpsError(N_("Choose the marketplace the report is for."), field="marketplace")
    start, end = date.fromisoformat(raw["from"]), date.fromisoformat(raw["to"])
    if end < start:
        raise OpsError(N_("The range must not end before it starts: the last day is before the first."), field="to")
    return str(raw["marketplace"]), Period(start, end)


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
    home_sections=(kpi_home,),
    demo_scene="20_kpi.txt",
    agenda_sections=KPI_SECTIONS,
)
