"""A person's side of the stand-up: the form, submit and edit, skip, away and back, reminders on or off; the team's
status, a person's history, the export; resolving a blocker."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.blocks import standup as blocks
from bot.db import standup as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.standup_rounds import StandupRounds
from bot.ops import standup as ops
from bot.ops.standup_export import ExportRow, standup_csv
from bot.ops.standup_playbook import StandupPlaybook
from bot.ops.team import Member, Team

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

    # -- answering -------------------------------------------------------------------------------
    def answer_modal(self, user: str, day: date | None = None) -> dict[str, object]:
        team, member = self.member(user)
        cfg = self.playbook.for_team(team.id)
        round_date = day or self.today_of(team, member)
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
        return blocks.answer_modal(tr, cfg.questions, round_date, team.id, values, mood)

    def submit(self, user: str, round_date: date, form: ops.Answers) -> None:
        """Save (or edit) an answer, already checked against the team's questions."""
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
            before = entry.status if entry.id else None
            entry.status, entry.answers_json, entry.mood = "answered", json.dumps(answers, ensure_ascii=False), mood
            entry.edited_at = now if edited else None
            if blockers_question is not None:
                self._replace_blockers(session, team, user, round_date, answers.get(blockers_question.id, ""))
            audit(session, "standup", f"{user}:{round_date}", before, "answered", "edited" if edited else None)
            self._after_answer(team, member, round_date, edited=edited)  # saved and shown together

    def _replace_blockers(self, session: Session, team: Team, user: str, day: date, text: str) -> None:
        existing = [b for b in store.open_blockers(session, team.id) if b.user_id == user and b.raised_on == day]
        wanted = ops.blocker_lines(text)
        for blocker in existing:
            if blocker.text not in wanted:
                session.delete(blocker)
        kept = {b.text for b in existing}
        for line in wanted:
            if line not in kept:
                session.add(store.StandupBlocker(team_id=team.id, user_id=user, text=line, raised_on=day))

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
    def skip(self, user: str, reason: str) -> date:
        team, member = self.member(user)
        day = self.today_of(team, member)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        with self.ctx.db.transaction() as session:
            entry = store.entry(session, team.id, user, day)
            if entry is not None and entry.status == "answered":
                raise OpsError(N_("You already answered today's stand-up. Type /standup to edit it."))
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
        return day

    def away(self, user: str, start: date, end: date, note: str) -> None:
        team, _ = self.member(user)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        with self.ctx.db.transaction() as session:
            session.add(
                store.StandupAway(team_id=team.id, user_id=user, start=start, end=end, note=note, created_at=now)
            )
            audit(session, "standup-away", user, None, f"{start}..{end}", note or None)

    def back(self, user: str) -> bool:
        team, member = self.member(user)
        today = self.today_of(team, member)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        changed = False
        with self.ctx.db.transaction() as session:
            rows = session.query(store.StandupAway).filter_by(team_id=team.id, user_id=user).all()
            for row in rows:
                if row.start > today:
                    session.delete(row)
                    changed = True
                elif row.end >= today:
                    row.end = today - timedelta(days=1)
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
    def status(self, user: str) -> list[dict[str, object]]:
        """Each person's stand-up for their own today (a day off when today is not a workday for them)."""
        team, _ = self.member(user)
        now = self.ctx.clock.now()
        rounds: dict[str, date | None] = {}
        for member in (m for m in team.members if m.active):
            person = self.rounds.person(team, member)
            today = ops.local_today(person, now)
            rounds[member.user] = today if person.calendar.is_workday(today) else None
        names = {m.user: m.name for m in team.members}
        return blocks.status_blocks(self.ctx.translator_for(user, team), self.rounds.classify(team, rounds), names)

    def history(self, user: str, subject: str | None, start: date, end: date) -> list[dict[str, object]]:
        team, _ = self.member(user)
        who = subject or user
        member = team.member(who)
        if member is None:
            raise OpsError(N_("<@{person}> is not on team {team}."), person=who, team=team.name)
        tr = self.ctx.translator_for(user, team)
        cfg = self.playbook.for_team(team.id)
        with self.ctx.db.transaction() as session:
            rows = store.entries_between(session, team.id, start, end, who)
        lines = [blocks.history_row(tr, row.round_date, row.status, cfg.questions, json.loads(row.answers_json),
                                    row.note) for row in reversed(rows)]
        return blocks.history_blocks(tr, member.name, lines)

    def export(self, user: str, start: date, end: date) -> str:
        """Upload a CSV of the team's stand-ups in the period to the person's DM; returns the file name."""
        team, _ = self.member(user)
        cfg = self.playbook.for_team(team.id)
        with self.ctx.db.transaction() as session:
            rows = store.entries_between(session, team.id, start, end)
        names = {m.user: m.name for m in team.members}
        content = standup_csv(
            [q.id for q in cfg.questions if q.kind != "mood"],
            (
                ExportRow(row.round_date, row.user_id, names.get(row.user_id, row.user_id), row.status,
                          json.loads(row.answers_json), row.mood, row.note, row.submitted_at, row.edited_at)
                for row in rows
            ),
        )
        filename = f"standup-{team.id}-{start}-{end}.csv"
        tr = self.ctx.translator_for(user, team)
        self.ctx.delivery.upload(
            user,  # their DM
            filename,
            content,
            comment=blocks.export_comment(tr, len(rows), start, end),
        )
        return filename

    def resolve_blocker(self, user: str, blocker_id: int) -> None:
        team, _ = self.member(user)
        now = self.ctx.clock.now()
        audit = Audit(team.id, user, now)
        with self.ctx.db.transaction() as session:
            blocker = session.get(store.StandupBlocker, blocker_id)
            if blocker is None or blocker.team_id != team.id:
                raise OpsError(N_("That blocker no longer exists."))
            if blocker.user_id != user:
                log.warning("standup: refused to resolve blocker %s for someone other than its owner", blocker_id)
                raise OpsError(N_("Only <@{owner}> can mark this blocker resolved."), owner=blocker.user_id)
            if blocker.resolved_at is not None:
                return
            blocker.resolved_at, blocker.resolved_by = now, user
            audit(session, "standup-blocker", str(blocker_id), "open", "resolved")
            self.rounds.refresh_latest_summary(team)
