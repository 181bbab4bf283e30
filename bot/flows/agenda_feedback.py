"""Feedback's agenda section "feedback": items still open past the acknowledgement SLA, oldest first."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.blocks.feedback import private_words, state_label
from bot.blocks.meeting_agenda import feedback_line
from bot.db import feedback as store
from bot.flows.context import AgendaPart, AgendaPeriod, AgendaSection, Context
from bot.i18n import Translator
from bot.ops.feedback import CLOSED
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.team import Team


def feedback_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    playbook = ctx.playbook(FeedbackPlaybook)
    now = ctx.clock.now()
    cutoff = now - timedelta(hours=playbook.ack_sla_hours)
    built = min(now, datetime.combine(period.held_on, time(23, 59), tzinfo=team.zone))
    with ctx.db.transaction() as session:
        late = [i for i in store.open_items(session, team.id) if i.state != CLOSED and i.created_at <= cutoff]
    # The agenda goes to a channel and to every attendee: private words the author has not cleared stay out.
    lines = tuple(feedback_line(tr, i.id, playbook.category_name(i.category, tr.locale), state_label(tr, i.state),
                                int((built - i.created_at).total_seconds() // 3600),
                                i.text if i.share_publicly else private_words(tr)) for i in late)
    return AgendaPart("feedback", tr._("Feedback open past its SLA"), lines) if lines else None


SECTIONS = (AgendaSection("feedback", feedback_part),)
