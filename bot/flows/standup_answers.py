"""A person's side of the stand-up: the form, submit and edit, skip, away and back, reminders on or off; the team's
status, a person's history, the export; resolving a blocker."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.blocks import standup as blocks
from bot.db import standup as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.standup_home import standup_homes_changed
from bot.flows.standup_rounds import StandupRounds
from bot.ops import standup as ops
from bot.ops.standup_export import ExportRow, standup_csv
from bot.ops.standup_playbook import StandupPlaybook
from bot.ops.team import Member, Role, Team

log = logging.getLogger(__name__)


class StandupAnswers:
    """What a person does with their stand-up; the rounds keep the team's summary current after each change."""

    def __init__(self, ctx: Context, playbook: StandupPlaybook, rounds: StandupRounds) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.rounds = rounds

    # -- who and when ----------------------------------------------------------------------------
    def member(self, user: str, slack_team: str | None = None) -> tuple[Team, Member]:
        team = self.ctx.team_of(user, slack_team)
        member = team.member(user)
        assert member is not None
        return team, member

    def today_of(self, team: Team, member: Member) -> date:
        return ops.local_today(self.rounds.person(team, member), self.ctx.clock.now())

    def next_day(self, team: Team, member: Member) -> tuple[date, bool]:
        """The person's stand-up day from today on, and whether it is a later day (today is not one for them)."""
        today = self.today_of(team, member)
        day = ops.next_round(self.rounds.person(team, member), today)
        return day, day != today

    # -- answering -------------------------------------------------------------------------------
    def answer_modal(self, user: str, day: date | None = None) -> dict[str, object]:
        team, member = self.member(user)
        cfg = self.playbook.for_team(team.id)
        round_date, not_today = (day, False) if day else self.next_day(team, member)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            existing = store.entry(session, team.id, user, round_date)
            values: dict[str, str] = {}
            mood = None
            if existing is not None and existing.status == "answered":
                values, mood = json.loads(existing.answers_json), existing.mood
            else:
                previous = store.previous_answer(session, team.id, user, round_date)
                earlier = json.loads(previous.answers_json) if previous else {}
                for question in cfg.questions:
                    if question.prefill_from and earlier.get(question.prefill_from):
                        values[question.id] = earlier[question.prefill_from]
            # Blockers from earlier days are offered as "still blocked?", not left to be typed again.
            still_open = tuple(
                blocks.OpenBlocker(b.id, b.text, b.raised_on)
                for b in store.open_blockers_of(session, team.id, user)
                if b.raised_on < round_date
            )
        return blocks.answer_modal(tr, cfg.questions, round_date, team.id, values, mood, still_open=still_open,
                                   not_today=not_today)

    def submit(self, user: str, round_date: date, form: ops.Answers, still: dict[int, str] | None = None) -> None:
        """Save (or edit) an answer, already checked against the team's questions; ``still`` holds the form's
        "still blocked?" choices by blocker id ("keep" or "resolved")."""
        team, member = self.member(user)
        cfg = self.playbook.for_team(team.id)
        answers, mood = form.text, form.mood
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        blockers_question = next((q for q in cfg.questions if q.kind == "blockers"), None)
        with self.ctx.db.transaction() as session:
            entry = store.entry(session, team.id, user, round_date)
            edited = entry is not None and entry.status == "answered"
            if entry is None:
                entry = store.StandupEntry(
                    team_id=team.id, user_id=user, round_date=round_date, submitted_at=now, note=""
                )
                session.add(entry)
            elif not edited:
                entry.submitted_at = now  # skipped, then answered: the answer's first submission is now
            before = entry.status if entry.id else None
            entry.status, entry.answers_json, entry.mood = "answered", json.dumps(answers, ensure_ascii=False), mood
            # Lateness is judged by the first submission (submitted_at, never moved by an edit).
            entry.edited_at = now if edited else None
            for blocker_id, choice in (still or {}).items():
                blocker = session.get(store.StandupBlocker, blocker_id)
                if (choice == "resolved" and blocker is not None and blocker.team_id == team.id
                        and blocker.user_id == user and blocker.resolved_at is None):
                    blocker.resolved_at, blocker.resolved_by = now, user
                    audit(session, "standup-blocker", str(blocker.id), "open", "resolved", "in the stand-up form")
            if blockers_question is not None:
                self._replace_blockers(session, team, user, round_date, answers.get(blockers_question.id, ""))
            audit(session, "standup", f"{user}:{round_date}", before, "answered", "edited" if edited else None)
            self._after_answer(team, member, round_date, edited=edited)  # saved and shown together
        said = answers.get(blockers_question.id, "") if blockers_question else ""
        standup_homes_changed(self.ctx, team, [user], ops.blocker_lines(said))

    def _replace_blockers(self, session: Session, team: Team, user: str, day: date, text: str) -> None:
        """The day's blockers become the answer's lines; a line restating one of the person's blockers from
        an earlier day is that blocker (it keeps its age), not a new one."""
        mine = store.open_blockers_of(session, team.id, user)
        of_day = [b for b in mine if b.raised_on == day]
        earlier = [b for b in mine if b.raised_on < day]
        wanted = ops.blocker_lines(text)
        for blocker in of_day:
            if not any(ops.same_blocker(line, blocker.text) for line in wanted):
                session.delete(blocker)
        known = [b.text for b in of_day + earlier]
        for line in wanted:
            if any(ops.same_blocker(line, text) for text in known):
                continue  # restated: the open blocker it matches stays, with its age
            session.add(store.StandupBlocker(team_id=team.id, user_id=user, text=line, raised_on=day))
            known.append(line)  # two alike lines in one answer are one blocker

    def _after_answer(self, team: Team, member: Member, day: date, *, edited: bool) -> None:
        tr = self.ctx.translator_for(member.user, team)
        with self.ctx.db.transaction() as session:
            prompt = store.message(session, team.id, "prompt", member.user, day)
            prompt_at = (str(prompt.channel), prompt.ts) if prompt and prompt.ts else None
        if prompt_at:
            self.ctx.delivery.update(
                prompt_at[0], str(prompt_at[1]), blocks.saved_text(tr), blocks.answered_blocks(tr, day)
            )
        else:
            self.ctx.delivery.dm(member.user, blocks.saved_text(tr), blocks.answered_blocks(tr, day))
        self.rounds.refresh_summary_for(team, member, day)

    # -- simple commands -------------------------------------------------------------------------
    def skip(self, user: str, reason: str) -> tuple[date, bool]:
        """Skip the person's next stand-up day (today when it is one); returns it and whether it is a later day."""
        team, member = self.member(user)
        day, not_today = self.next_day(team, member)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        with self.ctx.db.transaction() as session:
            entry = store.entry(session, team.id, user, day)
            if entry is not None and entry.status == "answered":
                raise OpsError(N_("You already answered your stand-up for {day}. Type /standup to edit it."),
                               day=day)  # a date: the reader's error reply writes it their way
            if entry is None:
                session.add(
                    store.StandupEntry(
                        team_id=team.id,
                        user_id=user,
                        round_date=day,
                        status="skipped",
                        answers_json="{}",
                        note=reason,
                        submitted_at=now,
                    )
                )
            audit(session, "standup", f"{user}:{day}", None, "skipped", reason or None)
            self.rounds.refresh_summary_for(team, member, day)
            standup_homes_changed(self.ctx, team, [user])
        return day, not_today

    def away(self, user: str, start: date, end: date, note: str) -> None:
        team, _ = self.member(user)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        with self.ctx.db.transaction() as session:
            session.add(
                store.StandupAway(team_id=team.id, user_id=user, start=start, end=end, note=note, created_at=now)
            )
            audit(session, "standup-away", user, None, f"{start}..{end}", note or None)

    def away_workdays(self, user: str, count: int, note: str) -> tuple[date, date]:
        """``ooo 3d``: away for the person's next ``count`` workdays (today included when it is one)."""
        team, member = self.member(user)
        start, end = ops.next_workdays(self.rounds.person(team, member), self.today_of(team, member), count)
        self.away(user, start, end, note)
        return start, end

    def away_list(self, user: str) -> list[tuple[date, date, str]]:
        team, member = self.member(user)
        with self.ctx.db.transaction() as session:
            rows = store.away_rows(session, team.id, user, self.today_of(team, member))
            return [(row.start, row.end, row.note) for row in rows]

    def _end_or_drop(self, session: Session, row: store.StandupAway, today: date) -> None:
        """Leave still to come goes; leave in progress ends yesterday (or goes, when it began today)."""
        if row.start >= today:
            session.delete(row)
        else:
            row.end = today - timedelta(days=1)

    def cancel_away(self, user: str, number: int) -> tuple[date, date]:
        """``ooo cancel N``: the Nth leave of ``ooo list``."""
        team, member = self.member(user)
        today = self.today_of(team, member)
        audit = Audit(team.id, user, self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            rows = store.away_rows(session, team.id, user, today)
            if not 1 <= number <= len(rows):
                raise OpsError(N_("There is no time away number {n}: /standup ooo list shows yours."), n=number)
            row = rows[number - 1]
            found = (row.start, row.end)
            self._end_or_drop(session, row, today)
            audit(session, "standup-away", user, f"{found[0]}..{found[1]}", "cancelled")
        return found

    def back(self, user: str) -> bool:
        """End the leave in progress; planned leave still to come stays (``ooo list`` / ``ooo cancel N``)."""
        team, member = self.member(user)
        today = self.today_of(team, member)
        audit = Audit(team.id, user, self.ctx.clock.now())
        changed = False
        with self.ctx.db.transaction() as session:
            for row in store.away_rows(session, team.id, user, today):
                if row.start <= today:
                    self._end_or_drop(session, row, today)
                    changed = True
            if changed:
                audit(session, "standup-away", user, "away", "back")
        return changed

    def set_reminders(self, user: str, on: bool) -> None:
        team, _ = self.member(user)
        audit = Audit(team.id, user, self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            pref = session.query(store.StandupPreference).filter_by(team_id=team.id, user_id=user).one_or_none()
            before = None if pref is None else ("on" if pref.reminders else "off")
            if pref is None:
                session.add(store.StandupPreference(team_id=team.id, user_id=user, reminders=on))
            else:
                pref.reminders = on
            audit(session, "standup-reminders", user, before, "on" if on else "off")

    # -- reading ---------------------------------------------------------------------------------
    def status(self, user: str) -> list[list[dict[str, object]]]:
        """Each person's stand-up for their own today (a day off when today is not a workday for them), then
        every open blocker with its Resolved button: as many messages as it takes."""
        team, _ = self.member(user)
        now = self.ctx.clock.now()
        rounds: dict[str, date | None] = {}
        for member in (m for m in team.members if m.active):
            person = self.rounds.person(team, member)
            today = ops.local_today(person, now)
            rounds[member.user] = today if person.calendar.is_workday(today) else None
        names = {m.user: m.name for m in team.members}
        tr = self.ctx.translator_for(user, team)
        roster = self.rounds.classify(team, rounds, prompted_only=False)
        blockers = blocks.all_blockers_messages(tr, self.rounds.blocker_lines(team, now))
        return [[*blocks.status_blocks(tr, roster, names), *blockers[0]], *blockers[1:]]

    def all_blockers(self, user: str) -> list[list[dict[str, object]]]:
        """The summary's "Show all": every open blocker with its Resolved button."""
        team, _ = self.member(user)
        tr = self.ctx.translator_for(user, team)
        return blocks.all_blockers_messages(tr, self.rounds.blocker_lines(team, self.ctx.clock.now()))

    def _reader_zone(self, team: Team, member: Member) -> ZoneInfo:
        return self.rounds.person(team, member).zone

    def _record(
        self, session: Session, team: Team, member: Member, start: date, end: date
    ) -> list[tuple[date, str, store.StandupEntry | None, str]]:
        """A person's days in the period, oldest first: answered, skipped, away or missed, with the entry and
        the note (a skip's reason, the time away's note)."""
        rows = {row.round_date: row for row in store.entries_between(session, team.id, start, end, member.user)}
        away = store.away_of(session, team.id).get(member.user, [])
        prompted = store.prompted_days(session, team.id, member.user, start, end)
        calendar = self.rounds.person(team, member).calendar
        statuses = ops.day_statuses(calendar, start, end, {d: r.as_entry() for d, r in rows.items()}, away, prompted)
        found = []
        for day, status in statuses:
            row = rows.get(day)
            note = row.note if row else next((a.note for a in away if a.covers(day)), "")
            found.append((day, status, row, note))
        return found

    def history(self, user: str, subject: str | None, start: date, end: date) -> list[dict[str, object]]:
        team, reader = self.member(user)
        who = subject or user
        member = team.member(who)
        if member is None:
            raise OpsError(N_("<@{person}> is not on team {team}."), person=who, team=team.name)
        tr = self.ctx.translator_for(user, team)
        cfg = self.playbook.for_team(team.id)
        zone = self._reader_zone(team, reader)
        with self.ctx.db.transaction() as session:
            record = self._record(session, team, member, start, end)
            lines = [
                blocks.history_row(
                    tr, day, status, cfg.questions, json.loads(row.answers_json) if row else {}, note,
                    row.submitted_at.astimezone(zone) if row else None,
                    row.edited_at.astimezone(zone) if row and row.edited_at else None,
                )
                for day, status, row, note in reversed(record)
            ]
        return blocks.history_blocks(tr, member.name, lines)

    def export(self, user: str, start: date, end: date) -> tuple[str, bool]:
        """Upload a CSV of stand-ups in the period to the person's DM: the whole team's (with mood) for a
        manager, else their own. Returns the file name and whether it is the whole team's."""
        team, reader = self.member(user)
        cfg = self.playbook.for_team(team.id)
        whole_team = self.ctx.has_role(team, user, Role.manager)
        zone = self._reader_zone(team, reader)
        people = list(team.members) if whole_team else [reader]
        rows: list[ExportRow] = []
        with self.ctx.db.transaction() as session:
            for member in people:
                for day, status, row, note in self._record(session, team, member, start, end):
                    rows.append(ExportRow(
                        day, member.user, member.name, status, json.loads(row.answers_json) if row else {},
                        row.mood if row else None, note,
                        row.submitted_at.astimezone(zone) if row else None,
                        row.edited_at.astimezone(zone) if row and row.edited_at else None,
                    ))
        rows.sort(key=lambda r: (r.day, r.user))
        tr = self.ctx.translator_for(user, team)
        header, statuses = blocks.export_header(tr, cfg.questions)
        content = standup_csv([q.id for q in cfg.questions if q.kind != "mood"], rows, header, statuses)
        # The file name is ISO (it sorts, and has no spaces); the comment names the days the reader's way.
        filename = f"standup-{team.id}-{start}-{end}.csv" if whole_team else f"standup-{user}-{start}-{end}.csv"
        self.ctx.delivery.upload(
            user,  # their DM
            filename,
            content,
            comment=blocks.export_comment(tr, len(rows), start, end),
        )
        return filename, whole_team

    # -- blockers --------------------------------------------------------------------------------
    def _may_resolve_any(self, team: Team, user: str) -> bool:
        """A manager may resolve anyone's blocker; so may the stand-in while every manager is away."""
        if self.ctx.has_role(team, user, Role.manager):
            return True
        return team.stand_in == user and self.rounds.escalation_targets(team, self.ctx.clock.now()) == (user,)

    def resolve_request(self, user: str, blocker_id: int) -> dict[str, object] | None:
        """A Resolved click: the owner's resolves at once; a manager's on someone else's asks why (a modal)."""
        team, _ = self.member(user)
        with self.ctx.db.transaction() as session:
            blocker = session.get(store.StandupBlocker, blocker_id)
            if blocker is None or blocker.team_id != team.id:
                raise OpsError(N_("That blocker no longer exists."))
            owner, text = blocker.user_id, blocker.text
        if owner == user:
            self.resolve_blocker(user, blocker_id)
            return None
        if not self._may_resolve_any(team, user):
            log.warning("standup: refused to resolve blocker %s for someone other than its owner", blocker_id)
            raise OpsError(N_("Only <@{owner}> or a manager can mark this blocker resolved."), owner=owner)
        owner_member = team.member(owner)
        tr = self.ctx.translator_for(user, team)
        return blocks.resolve_modal(tr, blocker_id, owner_member.name if owner_member else owner, text)

    def resolve_blocker(self, user: str, blocker_id: int, reason: str = "") -> None:
        """Resolve a blocker: its owner, or a manager (or acting stand-in) saying why — the owner is told."""
        team, _ = self.member(user)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        with self.ctx.db.transaction() as session:
            blocker = session.get(store.StandupBlocker, blocker_id)
            if blocker is None or blocker.team_id != team.id:
                raise OpsError(N_("That blocker no longer exists."))
            owner = blocker.user_id
            if owner != user:
                if not self._may_resolve_any(team, user):
                    log.warning("standup: refused to resolve blocker %s for someone other than its owner", blocker_id)
                    raise OpsError(N_("Only <@{owner}> or a manager can mark this blocker resolved."), owner=owner)
                if not reason.strip():
                    raise OpsError(N_("Please say why the blocker is resolved."), field=blocks.REASON_BLOCK)
            if blocker.resolved_at is not None:
                return
            blocker.resolved_at, blocker.resolved_by = now, user
            blocker.resolution_note = reason.strip() or None
            audit(session, "standup-blocker", str(blocker_id), "open", "resolved", reason.strip() or None)
            if owner != user:
                told = self.ctx.translator_for(owner, team)
                self.ctx.delivery.dm(owner, blocks.resolved_for_owner(told, user, blocker.text, reason.strip()))
            self.rounds.refresh_latest_summary(team)
            text = blocker.text
        standup_homes_changed(self.ctx, team, [owner, user], [text])
