"""The agenda that builds itself: each section from the feature that knows it (``ctx.agenda_sections``), sent
before the meeting to its channel and to each attendee in their own language and time zone; and after the
meeting, the summary of what was decided and who does what by when."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import meetings as blocks
from bot.blocks.meeting_lines import Line, action_menu
from bot.db import meetings as store
from bot.flows.context import AgendaPart, Context
from bot.flows.meeting_calendar import MeetingCalendar, Planned, agenda_line, section_title
from bot.flows.meeting_canvas import MeetingCanvas
from bot.i18n import Translator, translator
from bot.ops import meetings as ops
from bot.ops.links import Ref
from bot.ops.meeting_playbook import RHYTHMS, Rhythm, TeamMeetings
from bot.ops.team import Role, Team
from bot.scheduler import ScheduledJob, daily

log = logging.getLogger(__name__)
Part = tuple[str, str, tuple[str, ...]]


class MeetingAgenda:
    def __init__(self, ctx: Context, calendar: MeetingCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar
        self.canvas = MeetingCanvas(ctx, calendar)

    def parts(self, team: Team, planned: Planned, tr: Translator) -> list[Part]:
        """The agenda's sections in meetings.yml's order; a key no feature declares, or one with nothing to say,
        is left out."""
        setting = self.calendar.required(team)
        meeting = setting.meeting(planned.rhythm)
        found: list[Part] = []
        for key in meeting.sections if meeting else ():
            section = self.ctx.agenda_sections.get(key)
            if section is None:
                continue
            try:
                part: AgendaPart | None = section.build(self.ctx, team, planned.period, tr)
            except Exception:  # one feature's section failing must not keep the whole agenda from the meeting
                log.exception("agenda section %s failed for %s", key, team.id)
                continue
            if part is not None and part.lines:
                found.append((part.key, part.title, part.lines))
        return found

    def attendees(self, team: Team, setting: TeamMeetings) -> list[str]:
        return sorted({m.user for role in setting.attendees for m in team.people_with(role)})

    def title(self, tr: Translator, planned: Planned) -> str:
        return tr._("{meeting} · {day}", meeting=blocks.rhythm_name(tr, planned.rhythm), day=tr.date(planned.held_on))

    def when(self, tr: Translator, planned: Planned, zone: str, team: Team | None = None) -> str:
        """The meeting's hours in ``zone``; on an agenda, who chairs it too."""
        local = ZoneInfo(zone)
        when = blocks.when_text(tr, planned.starts_at.astimezone(local), planned.ends_at.astimezone(local), zone)
        setting = self.calendar.setting(team) if team else None
        chairs = [f"<@{m.user}>" for m in team.people_with(setting.chair)] if team and setting else []
        return when + (" · " + tr._("Chair: {people}", people=chairs) if chairs else "")

    def preview(self, user: str, slack_team: str | None = None) -> list[dict[str, Any]]:
        """``/agenda show``: the next meeting's agenda as it would go out now, in the reader's words and zone."""
        team = self.ctx.team_of(user, slack_team)
        planned = self.calendar.next_one(team, self.ctx.clock.now())
        tr = self.ctx.translator_for(user, team)
        zone = self.ctx.people.profile(user).tz or team.timezone
        title = self.title(tr, planned)
        return blocks.agenda_blocks(tr, title, self.when(tr, planned, zone), self.parts(team, planned, tr), None)

    def send_agenda(self, team: Team, planned: Planned, at: datetime) -> bool:
        """Build and send the agenda once; False when it had gone out already."""
        setting = self.calendar.required(team)
        tr = translator(team.locale)
        with self.ctx.db.transaction() as session:  # the items it has: one added later is sent on its own
            found = store.meeting(session, team.id, planned.rhythm, planned.held_on)
            item_ids = [e.id for e in store.entries_of(session, found.id, "item")] if found else []
        parts = self.parts(team, planned, tr)  # the sections read in their own transactions, as before
        # Every reader's agenda (KPIs, diagnosis, profiles) is built before the write transaction opens: built
        # inside it, it held SQLite's one write lock for seconds and other jobs firing the same minute failed
        # with "database is locked".
        by_locale: dict[str, list[Part]] = {tr.locale: parts}
        readers: list[tuple[str, Translator, str]] = []
        for user in self.attendees(team, setting):
            reader = self.ctx.translator_for(user, team)
            if reader.locale not in by_locale:
                by_locale[reader.locale] = self.parts(team, planned, reader)
            readers.append((user, reader, self.ctx.people.profile(user).tz or team.timezone))
        canvas, refused = self.canvas.create(team, planned, parts)
        with self.ctx.db.transaction() as session:
            row = self.calendar.row(session, team, planned)
            if row.agenda_sent_at is not None:
                return False
            if row.canvas_id is None and row.canvas_error is None:
                row.canvas_id, row.canvas_error = canvas, refused
            row.agenda_json = json.dumps([_stored(key, title, lines, by_locale, item_ids)
                                          for key, title, lines in parts], ensure_ascii=False)
            row.agenda_sent_at = at
            title = self.title(tr, planned)
            if planned.channel:
                self.ctx.delivery.post(planned.channel, title, blocks.agenda_blocks(
                    tr, title, self.when(tr, planned, team.timezone, team), parts, row.id,
                    canvas=row.canvas_id is not None))
            for user, reader, zone in readers:
                reader_title = self.title(reader, planned)
                self.ctx.delivery.dm(user, reader_title, blocks.agenda_blocks(
                    reader, reader_title, self.when(reader, planned, zone, team), by_locale[reader.locale], row.id,
                    intro=reader._("The agenda for your next meeting. Add to it with /agenda add.")))
        return True

    def send_summary(self, team: Team, planned: Planned, at: datetime) -> bool:
        setting = self.calendar.required(team)
        with self.ctx.db.transaction() as session:
            row = self.calendar.row(session, team, planned)
            entries = store.entries_of(session, row.id)
            recorded = any(e.kind != "item" for e in entries)
            if row.summary_sent_at is not None or (row.agenda_sent_at is None and not recorded):
                return False  # sent already, or a meeting Opsbot had no part in
            row.summary_sent_at = at
            if planned.channel:
                tr = translator(team.locale)
                self.ctx.delivery.post(planned.channel, *self._summary(tr, planned, row, entries, team.timezone))
            for user in self.attendees(team, setting):
                reader = self.ctx.translator_for(user, team)
                zone = self.ctx.people.profile(user).tz or team.timezone
                self.ctx.delivery.dm(user, *self._summary(reader, planned, row, entries, zone, team, user))
            meeting = row.id
        self.canvas.refresh(team, meeting)
        return True

    def _summary(self, tr: Translator, planned: Planned, row: store.MeetingRow, entries: list[store.MeetingEntry],
                 zone: str, team: Team | None = None, reader: str | None = None) -> tuple[str, list[dict[str, Any]]]:
        """The summary; in a ``reader``'s DM an action they may change (theirs; any, for a manager) has its menu."""
        title = tr._("{meeting} · {day}: summary", meeting=blocks.rhythm_name(tr, planned.rhythm),
                     day=tr.date(planned.held_on))
        manager = team is not None and reader is not None and self.ctx.has_role(team, reader, Role.manager)
        decisions = [blocks.decision_line(tr, e.text, e.added_by, section_title(row, e.section, tr),
                                          agenda_line(row, e.section, e.line))
                     for e in entries if e.kind == "decision"]
        action_lines: list[Line] = [
            (blocks.action_line(tr, Ref("action", e.id).label, e.owner, e.due, e.state, e.text,
                                source=agenda_line(row, e.section, e.line)),
             action_menu(tr, e.id) if reader and e.state != "done" and (manager or e.owner == reader) else None)
            for e in entries if e.kind == "action"]
        items = [blocks.item_line(tr, e.added_by, e.text, e.owner) for e in entries if e.kind == "item"]
        return title, blocks.summary_blocks(tr, title, self.when(tr, planned, zone), decisions, action_lines,
                                            items=items)

    # Scheduled ------------------------------------------------------------------------------------------------

    def jobs(self) -> list[ScheduledJob]:
        jobs: list[ScheduledJob] = []
        for team in self.ctx.teams.teams:
            setting = self.calendar.setting(team)
            if setting is None:
                continue
            for rhythm in RHYTHMS:
                meeting = setting.meeting(rhythm)
                if meeting is None:
                    continue
                jobs.append(daily("meetings.agenda", team.id, team.zone, ops.agenda_time(setting, meeting),
                                  partial(self.agenda_due, team, rhythm), grace=timedelta(hours=6), key=rhythm))
                jobs.append(daily("meetings.summary", team.id, team.zone, ops.end_time(meeting),
                                  partial(self.summary_due, team, rhythm), grace=timedelta(hours=12), key=rhythm))
        return jobs

    def agenda_due(self, team: Team, rhythm: Rhythm, fire: datetime) -> None:
        """Today is ``days_before`` a meeting of this rhythm (after any holiday moved it): its agenda goes out."""
        setting = self.calendar.required(team)
        today = fire.astimezone(team.zone).date()
        ahead = today + timedelta(days=setting.agenda.days_before)
        for planned in self.calendar.between(team, ahead, ahead, rhythm):
            self.send_agenda(team, planned, fire)

    def summary_due(self, team: Team, rhythm: Rhythm, fire: datetime) -> None:
        today: date = fire.astimezone(team.zone).date()
        for planned in self.calendar.between(team, today, today, rhythm):
            self.send_summary(team, planned, fire)


def _stored(key: str, title: str, lines: tuple[str, ...], by_locale: dict[str, list[Part]],
            item_ids: list[int]) -> dict[str, Any]:
    """A part as it went out: its title in each attendee's language (a section named later, in a decision or the
    summary, is named in the reader's), and for the items, which ones it had (one added later is not among them)."""
    titles = {locale: t for locale, parts in by_locale.items() for k, t, _ in parts if k == key}
    stored: dict[str, Any] = {"key": key, "title": title, "lines": list(lines), "titles": titles}
    # Each reader's copy of the lines too, so /meeting show gives a reader the lines their DM had.
    copies = {locale: list(ls) for locale, parts in by_locale.items() for k, _, ls in parts
              if k == key and list(ls) != list(lines)}
    if copies:
        stored["copies"] = copies
    if key == "items":
        stored["ids"] = item_ids
    return stored
