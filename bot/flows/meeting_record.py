"""A meeting's record: items added to the agenda, decisions and actions recorded in it (each linked to the agenda
section it is about), and an action's life after it — done, blocked, moved — by its owner or a manager."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.blocks import meetings as blocks
from bot.blocks.meeting_lines import plain, quote
from bot.blocks.text import escape
from bot.db import meetings as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.home import homes_changed
from bot.flows.links import moved
from bot.flows.meeting_calendar import MeetingCalendar, Planned, agenda_line, section_title
from bot.flows.meeting_canvas import MeetingCanvas
from bot.flows.meeting_follow_ups import MeetingFollowUps
from bot.i18n import Translator, translator
from bot.ops.links import Ref
from bot.ops.meetings import Recorded, overdue
from bot.ops.team import Role, Team


def tr_title(tr: Translator, planned: Planned) -> str:
    return tr._("{meeting} · {day}", meeting=blocks.rhythm_name(tr, planned.rhythm), day=tr.date(planned.held_on))


@dataclass(frozen=True)
class Update:
    """What the owner says of an action: done, blocked or moved (with a new date), and a note."""

    kind: str  # done | blocked | moved
    note: str = ""
    due: date | None = None
    version: int | None = None  # the version the person saw: a stale or replayed form changes nothing


class MeetingRecord:
    def __init__(self, ctx: Context, calendar: MeetingCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar
        self.canvas = MeetingCanvas(ctx, calendar)

    def _check_section(self, session: Any, row: store.MeetingRow, key: str | None) -> None:
        """A ``#section`` must be one the meeting's agenda had: the record links to what people saw. ``#items`` is
        there too when items came after the agenda (or it never went out): the record shows them."""
        keys = [str(p["key"]) for p in json.loads(row.agenda_json or "[]")]
        if "items" not in keys and store.entries_of(session, row.id, "item"):
            keys.append("items")
        if key is not None and key not in keys:
            raise OpsError(N_("The agenda of this meeting has no section #{key}; it has: {keys}."), key=key,
                           keys=[f"#{k}" for k in keys] or ["–"])

    def _check_line(self, row: store.MeetingRow, key: str | None, line: int | None) -> None:
        """A line must be one the section had when the agenda went out."""
        if line is not None and agenda_line(row, key, line) is None:
            raise OpsError(N_("That line is not on this meeting's agenda."))

    def _meeting(self, session: Any, team: Team, meeting_id: int | None) -> tuple[store.MeetingRow, Planned]:
        """The meeting named by a form (one of the team's), else the one being held."""
        if meeting_id is not None:
            row = store.meeting_by_id(session, team.id, meeting_id)
            if row is None:
                raise OpsError(N_("That meeting is not your team's."))
            return row, self.calendar.of_row(row)
        planned = self.calendar.current(team, self._now())
        return self.calendar.row(session, team, planned), planned

    def _check_member(self, team: Team, user: str, field: str | None = None) -> None:
        if user and team.member(user) is None:
            raise OpsError(N_("<@{user}> is not on the team, so cannot own this."), user=user, field=field)

    def _now(self) -> datetime:
        return self.ctx.clock.now()

    def add_item(self, user: str, item: Recorded, slack_team: str | None = None) -> str:
        """An item for the next meeting that has not begun (one under way is too late: the reply says which it
        went to). After that meeting's agenda went out, the channel is told, and its canvas shows it."""
        team = self.ctx.team_of(user, slack_team)
        if item.owner:
            self._check_member(team, item.owner)
        now = self._now()
        under_way = self.calendar.next_one(team, now)
        planned = self.calendar.not_begun(team, now)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            row = self.calendar.row(session, team, planned)
            entry = store.MeetingEntry(team_id=team.id, meeting_id=row.id, kind="item", text=item.text, added_by=user,
                                       owner=item.owner, section=item.section, state="open", version=1,
                                       created_at=now, updated_at=now)
            session.add(entry)
            session.flush()
            Audit(team.id, user, now)(session, "meeting_item", str(entry.id), None, "added")
            late, meeting = row.agenda_sent_at is not None, row.id
            if late and planned.channel:
                team_tr = translator(team.locale)
                title = tr_title(team_tr, planned)
                said = blocks.item_line(team_tr, user, item.text, item.owner)
                self.ctx.delivery.post(planned.channel, team_tr._("Added since the agenda went out"), [blocks.notice(
                    team_tr._("*Added since the agenda went out* · {meeting}\n• {line}", meeting=title, line=said))])
        if late:
            self.canvas.refresh(team, meeting)
        added = tr._("Added to the agenda: {meeting}, {day}.", meeting=blocks.rhythm_name(tr, planned.rhythm),
                     day=tr.date(planned.held_on))
        if under_way != planned:
            added = tr._("The {meeting} of {day} has begun, so this goes to the next one.",
                         meeting=blocks.rhythm_name(tr, under_way.rhythm), day=tr.date(under_way.held_on)) + " " + added
        elif late:
            added += " " + tr._("Its agenda went out already: the channel is told of this item.")
        return added

    def record_decision(self, user: str, decision: Recorded, slack_team: str | None = None,
                        meeting_id: int | None = None, line: int | None = None) -> str:
        team = self.ctx.team_of(user, slack_team)
        now = self._now()
        with self.ctx.db.transaction() as session:
            row, planned = self._meeting(session, team, meeting_id)
            self._check_section(session, row, decision.section)
            self._check_line(row, decision.section, line)
            entry = store.MeetingEntry(team_id=team.id, meeting_id=row.id, kind="decision", text=decision.text,
                                       added_by=user, section=decision.section, line=line, state="open", version=1,
                                       created_at=now, updated_at=now)
            session.add(entry)
            session.flush()
            Audit(team.id, user, now)(session, "meeting_decision", str(entry.id), None, "decided")
            if planned.channel:
                tr = translator(team.locale)
                said = blocks.decision_line(tr, decision.text, user, section_title(row, decision.section, tr),
                                            agenda_line(row, decision.section, line))
                self.ctx.delivery.post(planned.channel, tr._("Decision recorded"),
                                       [blocks.notice(tr._("Decision recorded: {line}", line=said))])
            meeting = row.id
        self.canvas.refresh(team, meeting)
        tr = self.ctx.translator_for(user, team)
        return tr._("Decision recorded in the {meeting} of {day}.", meeting=blocks.rhythm_name(tr, planned.rhythm),
                    day=tr.date(planned.held_on))

    def record_action(self, user: str, action: Recorded, slack_team: str | None = None,
                      meeting_id: int | None = None, line: int | None = None) -> str:
        team = self.ctx.team_of(user, slack_team)
        assert action.owner is not None and action.due is not None
        self._check_member(team, action.owner, field="owner")  # under the form's owner field; a reply to /action
        now = self._now()
        if action.due < self.ctx.today(team):
            raise OpsError(N_("That date has passed: an action's date is today or later."), field="due")
        with self.ctx.db.transaction() as session:
            row, planned = self._meeting(session, team, meeting_id)
            self._check_section(session, row, action.section)
            self._check_line(row, action.section, line)
            entry = store.MeetingEntry(team_id=team.id, meeting_id=row.id, kind="action", text=action.text,
                                       added_by=user, owner=action.owner, section=action.section, line=line,
                                       due=action.due, state="open", version=1, created_at=now, updated_at=now)
            session.add(entry)
            session.flush()
            Audit(team.id, user, now)(session, "meeting_action", str(entry.id), None, "open")
            label = Ref("action", entry.id).label
            if planned.channel:
                tr = translator(team.locale)
                said = blocks.action_line(tr, label, entry.owner, entry.due, "open", entry.text,
                                          source=agenda_line(row, action.section, line))
                section = section_title(row, action.section, tr)
                text = tr._("Action recorded: {line}", line=said) + (
                    "\n" + tr._("On the agenda's {section}", section=section) if section else "")
                self.ctx.delivery.post(planned.channel, tr._("Action recorded"), [blocks.notice(text)])
            owner_tr = self.ctx.translator_for(action.owner, team)
            self.ctx.delivery.dm(action.owner, owner_tr._("You have a new action: {label}", label=label),
                                 self._card(owner_tr, entry, intro=owner_tr._(
                                     "<@{who}> recorded an action for you in the {meeting}.", who=user,
                                     meeting=blocks.rhythm_name(owner_tr, planned.rhythm))))
            meeting = row.id
        homes_changed(self.ctx, team, [action.owner])
        self.canvas.refresh(team, meeting)
        tr = self.ctx.translator_for(user, team)
        return tr._("{label} recorded for <@{owner}>, due {day}.", label=label, owner=action.owner,
                    day=tr.date(action.due))

    def _card(self, tr: Translator, entry: store.MeetingEntry, intro: str | None = None) -> list[dict[str, Any]]:
        today = self.ctx.clock.now().date()
        line = blocks.action_line(tr, Ref("action", entry.id).label, entry.owner, entry.due, entry.state, entry.text,
                                  overdue=overdue(entry.state, entry.due, today), note=entry.note)
        follow_ups = MeetingFollowUps(self.ctx).for_card(entry, entry.owner, tr)
        return [*([blocks.notice(intro)] if intro else []),
                *blocks.action_card(tr, line, entry.id, entry.state, follow_ups)]

    # An action's life ----------------------------------------------------------------------------------------

    def may_update(self, user: str, action_id: int, slack_team: str | None = None) -> store.MeetingEntry:
        """The action, if ``user`` may change it: its owner or a manager of its team (checked here, on the server,
        whatever the button said)."""
        team = self.ctx.team_of(user, slack_team)
        with self.ctx.db.transaction() as session:
            entry = store.action_by_id(session, action_id)
        if entry is None or entry.team_id != team.id:
            raise OpsError(N_("That action is not your team's."))
        if user != entry.owner and not self.ctx.has_role(team, user, Role.manager):
            raise OpsError(N_("Only the action's owner or a manager can change it."))
        return entry

    def update(self, user: str, action_id: int, change: Update, slack_team: str | None = None) -> str:
        if change.kind not in ("done", "blocked", "moved"):
            raise OpsError(N_("That action is not your team's."))
        entry = self.may_update(user, action_id, slack_team)
        team = self.ctx.team_of(user, slack_team)
        now = self._now()
        if change.kind in ("blocked", "moved") and not change.note.strip():
            raise OpsError(N_("Please add a short note."), field="note")
        if change.kind == "moved" and (change.due is None or change.due < self.ctx.today(team)):
            raise OpsError(N_("Pick a date from today on."), field="due")
        with self.ctx.db.transaction() as session:
            row = store.action_by_id(session, action_id)
            assert row is not None
            if change.version is not None and row.version != change.version:
                raise OpsError(N_("This action changed since you opened it; nothing was saved. Open it again."))
            before = row.state
            row.state = "open" if change.kind == "moved" else change.kind
            row.note = change.note.strip() or row.note
            row.version += 1
            row.updated_at = now
            row.done_at = now if change.kind == "done" else None
            if change.kind == "moved":
                row.due = change.due
                row.reminded_before = row.reminded_on = None
            Audit(team.id, user, now)(session, "meeting_action", str(row.id), before,
                                      change.kind, note=change.note or None)
            label, meeting = Ref("action", row.id).label, row.meeting_id
            if user != row.owner and row.owner:
                owner_tr = self.ctx.translator_for(row.owner, team)
                self.ctx.delivery.dm(row.owner, owner_tr._("{label} changed", label=label), self._card(
                    owner_tr, row, intro=owner_tr._("<@{who}> updated your action {label}.", who=user, label=label)))
        moved(self.ctx, Ref("action", action_id))
        self.canvas.refresh(team, meeting)
        homes_changed(self.ctx, team, [entry.owner or user, user])
        tr = self.ctx.translator_for(user, team)
        return tr._("{label} is now {state}.", label=label, state=tr.pgettext("action", blocks.STATE_NAMES[
            "open" if change.kind == "moved" else change.kind])) if change.kind != "moved" else tr._(
            "{label} moved to {day}.", label=label, day=tr.date(change.due or self.ctx.today(team)))

    def action_card(self, user: str, action_id: int) -> list[dict[str, Any]]:
        entry = self.may_update(user, action_id)
        return self._card(self.ctx.translator_for(user, self.ctx.teams.for_user(user)), entry)

    def line_for_button(self, user: str, meeting_id: int, key: str, index: int) -> tuple[str, str, str]:
        """An agenda line's menu: the meeting must be the clicker's team's and the line one its agenda had; the
        section's title, the line (cut short to quote it) and its words to prefill the form."""
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            row = store.meeting_by_id(session, team.id, meeting_id)
            if row is None:
                raise OpsError(N_("That meeting is not your team's."))
            line = agenda_line(row, key, index)
            if line is None:
                raise OpsError(N_("That line is not on this meeting's agenda."))
            names = {m.user: m.name for m in team.members}
            tr = self.ctx.translator_for(user, team)
            words = _own_words(session, row, key, index, line) or plain(line, names)
            return section_title(row, key, tr) or key, quote(line), words

    def meeting_for_button(self, user: str, meeting_id: int, key: str) -> tuple[int, str]:
        """An agenda's "Add action": the meeting must be the clicker's team's; the section's title as it went out."""
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            row = store.meeting_by_id(session, team.id, meeting_id)
            if row is None:
                raise OpsError(N_("That meeting is not your team's."))
            return row.id, section_title(row, key, self.ctx.translator_for(user, team)) or key

    def planned_of(self, team: Team, row: store.MeetingRow) -> Planned:
        return self.calendar.of_row(row)


ACTION_LABEL = re.compile(r"^\S+ \*A-(\d+)\*")  # an action's line on an agenda: ``⚠️ *A-7* · @Zhang Min · …``


def _own_words(session: Any, row: store.MeetingRow, key: str, index: int, line: str) -> str | None:
    """What an agenda line is about, to prefill a form: an item's text, an action's text (not who added it, its
    label, owner, state or date); None for any other line (its plain words are used)."""
    entry = None
    if key == "items":
        ids: list[int] = next((p.get("ids", []) for p in json.loads(row.agenda_json or "[]") if p["key"] == key), [])
        entry = session.get(store.MeetingEntry, ids[index]) if index < len(ids) else None
    elif (label := ACTION_LABEL.match(line)) is not None:
        entry = store.action_by_id(session, int(label.group(1)))
    if entry is None or entry.team_id != row.team_id or escape(entry.text)[:20] not in line:
        return None  # not the line's own entry (an agenda made before items were kept by id): the whole line
    return str(entry.text)
