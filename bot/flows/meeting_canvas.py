"""The meeting as a canvas in its channel, where the workspace allows canvases: made once when the agenda goes out
(``canvases.create`` tabbed in the channel), then rewritten whole (``canvases.edit``, replace) whenever the record
changes — a decision, an action, an action done, blocked or moved, the summary.

A workspace that refuses (a free plan, canvases turned off, ``canvases:write`` not granted) leaves the meeting to
messages only, silently: the refusal is kept on the meeting for ``opsbot doctor`` to explain.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_sdk.errors import SlackApiError

from bot.answering import after_answer
from bot.blocks import meetings as blocks
from bot.blocks.meeting_canvas import canvas_markdown
from bot.db import meetings as store
from bot.flows.context import Context
from bot.flows.meeting_calendar import MeetingCalendar, Planned
from bot.flows.meeting_history import MeetingHistory, record_parts
from bot.i18n import Translator, translator
from bot.ops.team import Team

log = logging.getLogger(__name__)
Part = tuple[str, str, tuple[str, ...]]


class MeetingCanvas:
    def __init__(self, ctx: Context, calendar: MeetingCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    def _document(self, tr: Translator, team: Team, planned: Planned, parts: list[Part],
                  row: store.MeetingRow | None, entries: list[store.MeetingEntry]) -> tuple[str, str]:
        """The canvas's title and document, in the team's language and zone."""
        start, end = planned.starts_at.astimezone(team.zone), planned.ends_at.astimezone(team.zone)
        title = tr._("{meeting} · {day}", meeting=blocks.rhythm_name(tr, planned.rhythm),
                     day=tr.date(planned.held_on))
        when = blocks.when_text(tr, start, end, team.timezone)
        decisions, actions = (MeetingHistory(self.ctx, self.calendar).outcomes(tr, team, row, entries)
                              if row is not None else ([], []))
        names = {m.user: m.name for m in team.members}
        return title, canvas_markdown(tr, title, when, parts, decisions, [a for a, _ in actions], names)

    def create(self, team: Team, planned: Planned, parts: list[Part]) -> tuple[str | None, str | None]:
        """Make the canvas of a meeting whose agenda is about to go out: (its id, None), or (None, why Slack
        refused). Called before the agenda's transaction, so no database lock is held while Slack answers."""
        if planned.channel is None:
            return None, None
        with self.ctx.db.transaction() as session:
            row = store.meeting(session, team.id, planned.rhythm, planned.held_on)
            if row is not None and (row.agenda_sent_at or row.canvas_id or row.canvas_error):
                return None, None  # sent already, or decided already
            entries = store.entries_of(session, row.id) if row is not None else []
            tr = translator(team.locale)
            title, markdown = self._document(tr, team, planned, parts, row, entries)
        try:
            answer = self.ctx.delivery.workspaces.client(channel=planned.channel).canvases_create(
                title=title, channel_id=planned.channel,
                document_content={"type": "markdown", "markdown": markdown})
        except SlackApiError as exc:  # refused: the plan, the admins or the scopes say no; the messages suffice
            error = str(exc.response.get("error") or "refused")[:64]
            log.info("no canvas for the %s meeting of %s: %s", planned.rhythm, planned.held_on, error)
            return None, error
        except OSError:
            log.warning("canvas for the %s meeting of %s not made", planned.rhythm, planned.held_on, exc_info=True)
            return None, None
        return str(answer["canvas_id"]), None

    def refresh(self, team: Team, meeting_id: int) -> None:
        """Rewrite the meeting's canvas, if it has one, after its record changed: after the answer when a form
        changed it (``bot/answering.py``), from the record as it is then."""
        if not after_answer(partial(self._refresh, team, meeting_id)):
            self._refresh(team, meeting_id)

    def _refresh(self, team: Team, meeting_id: int) -> None:
        with self.ctx.db.transaction() as session:
            row = store.meeting_by_id(session, team.id, meeting_id)
            if row is None or not row.canvas_id or row.channel is None:
                return
            canvas, channel = row.canvas_id, row.channel
            tr = translator(team.locale)
            entries = store.entries_of(session, row.id)
            _, markdown = self._document(tr, team, self.calendar.of_row(row), record_parts(tr, row, entries), row,
                                         entries)
        try:
            self.ctx.delivery.workspaces.client(channel=channel).canvases_edit(canvas_id=canvas, changes=[
                {"operation": "replace", "document_content": {"type": "markdown", "markdown": markdown}}])
        except (SlackApiError, OSError):  # the messages hold the record; the canvas catches up at the next change
            log.warning("canvas %s of meeting %s not updated", canvas, meeting_id, exc_info=True)
