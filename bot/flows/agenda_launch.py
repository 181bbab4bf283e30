"""Launch's agenda section "launches": open tasks of active launches due in the two weeks from the meeting (and
any already late), gates marked."""

from __future__ import annotations

from datetime import timedelta

from bot.blocks.meeting_agenda import launch_line
from bot.db import launch as store
from bot.flows.context import AgendaPart, AgendaPeriod, AgendaSection, Context
from bot.i18n import Translator, pick
from bot.ops.launch import DONE
from bot.ops.team import Team

HORIZON = timedelta(days=14)


def launches_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    lines = []
    with ctx.db.transaction() as session:
        for launch in store.active_launches(session, team.id):
            tasks = [t for t in store.tasks_of(session, launch.id)
                     if t.state != DONE and t.due <= period.held_on + HORIZON]
            lines += [(t.due, t.id, launch_line(tr, launch.name, pick(t.title, tr.locale), t.owner, t.due, t.gate))
                      for t in tasks]
    ordered = tuple(line for _, _, line in sorted(lines))
    return AgendaPart("launches", tr._("Launch tasks in the next two weeks"), ordered) if ordered else None


SECTIONS = (AgendaSection("launches", launches_part),)
