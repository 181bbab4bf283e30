"""The record kept: ``/meeting list``, ``/meeting show DATE`` and the month's Markdown export, each with every
agenda line as it went out, every decision and action and how the action ended."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import meetings as blocks
from bot.blocks.meeting_lines import Line, action_menu
from bot.blocks.text import Mrkdwn
from bot.db import meetings as store
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.meeting_calendar import MeetingCalendar, agenda_line, section_title
from bot.flows.meeting_follow_ups import MeetingFollowUps
from bot.i18n import Translator
from bot.ops.links import Ref
from bot.ops.meetings import overdue, parse_day
from bot.ops.team import Role, Team

Part = tuple[str, str, tuple[str, ...]]


def _parts(row: store.MeetingRow) -> list[Part]:
    return [(p["key"], p["title"], tuple(p["lines"])) for p in json.loads(row.agenda_json or "[]")]


def record_parts(tr: Translator, row: store.MeetingRow, entries: list[store.MeetingEntry]) -> list[Part]:
    """The agenda as it went out (its sections named in the reader's language), then the items added since it
    went out — every item, for a meeting whose agenda never went out — so the record has each item once."""
    parts: list[Part] = []
    had: set[int] | None = set()
    for part in json.loads(row.agenda_json or "[]"):
        lines = part.get("copies", {}).get(tr.locale, part["lines"])  # the reader's language's copy, if it went out
        parts.append((part["key"], section_title(row, part["key"], tr) or part["key"], tuple(lines)))
        if part["key"] == "items":
            had = set(part["ids"]) if "ids" in part else None  # an agenda sent before ids were kept: all of them
    late = [e for e in entries if e.kind == "item" and had is not None and e.id not in had]
    if late:
        lines = tuple(blocks.item_line(tr, e.added_by, e.text, e.owner) for e in late)
        if row.agenda_sent_at is not None:
            parts.append(("items_late", tr._("Added since the agenda went out"), lines))
        else:
            parts.append(("items", tr._("Items added"), lines))
    return parts


class MeetingHistory:
    def __init__(self, ctx: Context, calendar: MeetingCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    def list_blocks(self, user: str, slack_team: str | None = None) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user, slack_team)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            rows = [r for r in store.meetings_of(session, team.id) if self._kept(r)]
            lines = []
            for row in reversed(rows[-30:]):
                entries = store.entries_of(session, row.id)
                lines.append(blocks.list_line(tr, row.rhythm, row.held_on, sum(e.kind == "decision" for e in entries),
                                              sum(e.kind == "action" for e in entries)))
        return blocks.list_blocks(tr, lines)

    def show_blocks(self, user: str, typed: str, slack_team: str | None = None) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user, slack_team)
        tr = self.ctx.translator_for(user, team)
        today = self.ctx.today(team)
        day = parse_day(typed, today) if typed.strip() else today
        if typed.strip() and day > today and re.fullmatch(r"\d{1,2}-\d{1,2}", typed.strip()):
            day = day.replace(year=day.year - 1)  # "11-30" asked in December is the one just past
        with self.ctx.db.transaction() as session:
            rows = [r for r in store.meetings_of(session, team.id, day - timedelta(days=6), day) if self._kept(r)]
            if not rows:
                raise OpsError(N_("No meeting on or in the week before {text}. /meeting list shows them all."),
                               text=typed or tr.date(day))
            row = rows[-1]
            entries = store.entries_of(session, row.id)
        zone = self.ctx.people.profile(user).tz or team.timezone
        planned = self.calendar.of_row(row)
        title = tr._("{meeting} · {day}", meeting=blocks.rhythm_name(tr, row.rhythm), day=tr.date(row.held_on))
        local = ZoneInfo(zone)
        when = blocks.when_text(tr, planned.starts_at.astimezone(local), planned.ends_at.astimezone(local), zone)
        decisions, action_lines = self.outcomes(tr, team, row, entries, viewer=user)
        return blocks.record_blocks(tr, title, when, record_parts(tr, row, entries), decisions, action_lines)

    def _kept(self, row: store.MeetingRow) -> bool:
        """In the record: its agenda went out, or it has begun (held without one: Opsbot came up too late)."""
        sent = row.agenda_sent_at is not None or row.summary_sent_at is not None
        return sent or row.starts_at <= self.ctx.clock.now()

    def outcomes(self, tr: Translator, team: Team, row: store.MeetingRow, entries: list[store.MeetingEntry],
                 viewer: str | None = None) -> tuple[list[Mrkdwn], list[Line]]:
        """Decisions and actions, each with the agenda line it was recorded on; an open action has a menu for a
        ``viewer`` who may change it (its owner, a manager: checked again on the server when it is used)."""
        today = self.ctx.today(team)
        manager = viewer is not None and self.ctx.has_role(team, viewer, Role.manager)
        decisions = [blocks.decision_line(tr, e.text, e.added_by, section_title(row, e.section, tr),
                                          agenda_line(row, e.section, e.line))
                     for e in entries if e.kind == "decision"]
        follow_ups = MeetingFollowUps(self.ctx)
        action_lines: list[Line] = [
            (Mrkdwn("\n      ".join(filter(None, (
                blocks.action_line(tr, Ref("action", e.id).label, e.owner, e.due, e.state, e.text,
                                   overdue=overdue(e.state, e.due, today), note=e.note,
                                   source=agenda_line(row, e.section, e.line)),
                follow_ups.started_text(e.id, tr))))),  # what it started, with each one's state
             action_menu(tr, e.id) if e.state != "done" and viewer and (manager or e.owner == viewer) else None)
            for e in entries if e.kind == "action"]
        return decisions, action_lines

    def export_markdown(self, team: Team, month: str, tr: Translator) -> str:
        """Every meeting held in ``month`` (YYYY-MM): its agenda lines, items, decisions and actions with outcomes."""
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise OpsError(N_("{text} is not a month: use YYYY-MM."), text=month) from exc
        names = {m.user: m.name for m in team.members}
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        title = tr._("Meetings of {team}, {month}", team=team.name, month=tr.date(first, "LLLL y"))
        heads = {"decisions": tr._("Decisions"), "actions": tr._("Actions")}
        lines = [f"# {title}", ""]
        with self.ctx.db.transaction() as session:
            rows = store.meetings_of(session, team.id, first, last)
            for row in rows:
                entries = store.entries_of(session, row.id)
                lines += [f"## {blocks.rhythm_name(tr, row.rhythm)} · {tr.date(row.held_on)}", ""]
                for _key, title, part_lines in record_parts(tr, row, entries):  # the items once, late ones too
                    lines += [f"### {title}", *(f"- {_plain(line, names)}" for line in part_lines), ""]
                decisions, action_lines = self.outcomes(tr, team, row, entries)
                lines += [f"### {heads['decisions']}", *(f"- {_plain(d, names)}" for d in decisions or
                                                         [Mrkdwn(tr._("No decisions recorded."))]), ""]
                lines += [f"### {heads['actions']}", *(f"- {_plain(a, names)}" for a, _ in action_lines or
                                                       [(Mrkdwn(tr._("No actions recorded.")), None)]), ""]
        if not rows:
            lines.append(tr._("No meetings were held this month."))
        return "\n".join(lines).rstrip() + "\n"


def _plain(line: str, names: dict[str, str]) -> str:
    """A Slack line as Markdown: people by name, Slack's own escapes undone (a file is not a channel)."""
    line = re.sub(r"<@([UW][A-Z0-9_]+)>", lambda m: "@" + names.get(m.group(1), m.group(1)), line)
    return line.replace("\n      ", " — ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
