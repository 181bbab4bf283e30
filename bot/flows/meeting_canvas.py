"""The meeting as a canvas in its channel, where the workspace allows canvases: made once when the agenda goes out
(``canvases.create`` tabbed in the channel), then rewritten whole (``canvases.edit``, replace) whenever the record
changes — a decision, an action, an action done, blocked or moved, the summary.

A workspace that refuses (a free plan, canvases turned off, ``canvases:write`` not granted) leaves the meeting to
messages only, silently: the refusal is kept on the meeting for ``opsbot doctor`` to explain.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks import meetings as blocks
from bot.blocks.meeting_canvas import canvas_markdown
from bot.db import meetings as store
from bot.flows.context import Context
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_history import MeetingHistory, _parts
from bot.i18n import translator
from bot.ops.team import Team

log = logging.getLogger(__name__)


class MeetingCanvas:
    def __init__(self, ctx: Context, calendar: MeetingCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    def markdown(self, session: Session, team: Team, row: store.MeetingRow) -> tuple[str, str]:
        """The canvas's title and document, in the team's language and zone."""
        tr = translator(team.locale)
        planned = self.calendar.of_row(row)
        start, end = planned.starts_at.astimezone(team.zone), planned.ends_at.astimezone(team.zone)
        title = tr._("{meeting} · {day}", meeting=blocks.rhythm_name(tr, row.rhythm), day=tr.date(row.held_on))
        when = blocks.when_text(tr, start, end, team.timezone)
        decisions, actions = MeetingHistory(self.ctx, self.calendar).outcomes(
            tr, team, row, store.entries_of(session, row.id))
        names = {m.user: m.name for m in team.members}
        return title, canvas_markdown(tr, title, when, _parts(row), decisions, [a for a, _ in actions], names)

    def create(self, session: Session, team: Team, row: store.MeetingRow) -> bool:
        """Make the meeting's canvas once (its agenda is going out); False: messages only."""
        if row.canvas_id:
            return True
        if row.channel is None or row.canvas_error:
            return False
        title, markdown = self.markdown(session, team, row)
        try:
            answer = self.ctx.delivery.workspaces.client(channel=row.channel).canvases_create(
                title=title, channel_id=row.channel, document_content={"type": "markdown", "markdown": markdown})
        except SlackApiError as exc:  # refused: the plan, the admins or the scopes say no; the messages suffice
            row.canvas_error = str(exc.response.get("error") or "refused")[:64]
            log.info("no canvas for meeting %s: %s", row.id, row.canvas_error)
            return False
        except OSError:
            log.warning("canvas for meeting %s not made: Slack unreachable", row.id, exc_info=True)
            return False
        row.canvas_id = str(answer["canvas_id"])
        return True

    def refresh(self, team: Team, meeting_id: int) -> None:
        """Rewrite the meeting's canvas, if it has one, after its record changed."""
        with self.ctx.db.transaction() as session:
            row = store.meeting_by_id(session, team.id, meeting_id)
            if row is None or not row.canvas_id or row.channel is None:
                return
            canvas, channel = row.canvas_id, row.channel
            _, markdown = self.markdown(session, team, row)
        try:
            self.ctx.delivery.workspaces.client(channel=channel).canvases_edit(canvas_id=canvas, changes=[
                {"operation": "replace", "document_content": {"type": "markdown", "markdown": markdown}}])
        except (SlackApiError, OSError):  # the messages hold the record; the canvas catches up at the next change
            log.warning("canvas %s of meeting %s not updated", canvas, meeting_id, exc_info=True)
