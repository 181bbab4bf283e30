"""The stand-up's rounds: each person's prompt and reminder, the team's summary and keeping it current; the jobs."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from bot.blocks import standup as blocks
from bot.db import standup as store
from bot.db.audit import Audit
from bot.flows.context import Context
from bot.i18n import translator
from bot.ops import standup as ops
from bot.ops.standup_playbook import StandupPlaybook, TeamStandup
from bot.ops.team import Member, Role, Team
from bot.outbox import Receipt, ReceiptHook, Target
from bot.scheduler import ScheduledJob, daily

log = logging.getLogger(__name__)


class StandupRounds:
    """Who is due when, and the one summary per team that says who answered."""

    def __init__(self, ctx: Context, playbook: StandupPlaybook) -> None:
        self.ctx = ctx
        self.playbook = playbook

    def config(self, team: Team) -> TeamStandup:
        return self.playbook.for_team(team.id)

    def person(self, team: Team, member: Member) -> ops.Person:
        return ops.person_for(team, member, self.ctx.people.profile(member.user).tz)

    # -- jobs ------------------------------------------------------------------------------------
    def jobs(self) -> list[ScheduledJob]:
        jobs: list[ScheduledJob] = []
        for team in self.ctx.teams.teams:
            cfg = self.config(team)
            grace = timedelta(minutes=cfg.grace_minutes)
            # Triggers fire every day, not on a weekday list: each run asks the person's (or team's)
            # calendar, which knows holidays and China's make-up weekend workdays (调休) that cron cannot.
            for member in (m for m in team.members if m.active):
                zone = self.person(team, member).zone
                jobs.append(daily("standup.prompt", team.id, zone, cfg.prompt_time,
                                  partial(self.send_prompt, team, member), grace=grace, key=member.user))
                if cfg.reminders:
                    jobs.append(daily("standup.reminder", team.id, zone, ops.reminder_time(cfg),
                                      partial(self.send_reminder, team, member), grace=grace, key=member.user))
            jobs.append(daily("standup.summary", team.id, team.zone, cfg.cutoff_time, partial(self.post_summary, team),
                              grace=grace))
        return jobs

    def _due(self, team: Team, member: Member, fire: datetime) -> date | None:
        """The person's round for this fire, or None on their holiday or while they are away."""
        with self.ctx.db.transaction() as session:
            away = store.away_of(session, team.id).get(member.user, [])
        return ops.due_round(self.person(team, member), fire, away)

    def send_prompt(self, team: Team, member: Member, fire: datetime) -> None:
        day = self._due(team, member, fire)
        if day is None:
            return
        tr = self.ctx.translator_for(member.user, team)
        with self.ctx.db.transaction() as session:
            if store.entry(session, team.id, member.user, day) or store.message(
                session, team.id, "prompt", member.user, day
            ):
                return  # answered (or skipped) early, or already prompted
            # Recorded and sent together: a prompt is never sent twice, nor recorded and lost.
            self.ctx.delivery.dm(member.user, blocks.prompt_text(tr), blocks.prompt_blocks(tr, day),
                                      receipt=self._sent(session, team, "prompt", member.user, day, fire))

    def send_reminder(self, team: Team, member: Member, fire: datetime) -> None:
        cfg = self.config(team)
        # The round is the day of the prompt it follows, even when the delay carries it past midnight.
        day = self._due(team, member, fire - timedelta(minutes=cfg.reminder_after_minutes))
        # A reminder caught up after downtime goes out now, so now is what must be outside quiet hours.
        sending_at = max(fire, self.ctx.clock.now())
        if day is None or ops.in_quiet_hours(cfg, self.person(team, member), sending_at):
            return
        tr = self.ctx.translator_for(member.user, team)
        with self.ctx.db.transaction() as session:
            prompted = store.message(session, team.id, "prompt", member.user, day)
            if (
                prompted is None
                or store.entry(session, team.id, member.user, day)
                or store.message(session, team.id, "reminder", member.user, day)
                or not store.reminders_on(session, team.id, member.user)
            ):
                return
            self.ctx.delivery.dm(
                member.user, blocks.prompt_text(tr, reminder=True), blocks.prompt_blocks(tr, day, reminder=True),
                receipt=self._sent(session, team, "reminder", member.user, day, fire),
            )

    @staticmethod
    def _sent(session: Session, team: Team, kind: str, user: str, day: date, fire: datetime,
              rounds: dict[str, list[date]] | None = None, mentioned: set[str] | None = None) -> Receipt:
        """The row that says this message went out (its channel and ts come when Slack has it)."""
        message = store.StandupMessage(
            team_id=team.id, kind=kind, user_id=user, day=day, channel=None, ts=None, sent_at=fire,
            rounds_json=json.dumps({u: [d.isoformat() for d in days] for u, days in (rounds or {}).items()}),
            mentioned_json=json.dumps(sorted(mentioned or ())),
        )
        session.add(message)
        session.flush()
        return Receipt("standup.message", str(message.id))

    # -- the summary -----------------------------------------------------------------------------
    def people(self, team: Team) -> list[ops.Person]:
        return [self.person(team, m) for m in team.members if m.active]

    def _rounds(self, team: Team, cfg: TeamStandup, since: datetime, until: datetime) -> dict[str, list[date]]:
        """Every round of each person's in the window: on a holiday on one side, the other side's days pile up."""
        return {p.user: ops.rounds_between(p, cfg.prompt_time, since, until) for p in self.people(team)}

    @staticmethod
    def _latest(rounds: dict[str, list[date]]) -> dict[str, date | None]:
        return {user: days[-1] if days else None for user, days in rounds.items()}

    def classify(self, team: Team, rounds: dict[str, date | None], *, prompted_only: bool = True) -> ops.Roster:
        """Each person's group for their round; a round never prompted is not "missing" (``prompted_only``)."""
        people = [self.person(team, m) for m in team.members if m.active and m.user in rounds]
        with self.ctx.db.transaction() as session:
            entries = {}
            prompted: set[tuple[str, date]] = set()
            for user, day in rounds.items():
                found = store.entry(session, team.id, user, day) if day else None
                if found is not None:
                    entries[(user, found.round_date)] = found.as_entry()
                if day and store.message(session, team.id, "prompt", user, day) is not None:
                    prompted.add((user, day))
            away = store.away_of(session, team.id)
        return ops.classify(people, rounds, entries, away, prompted if prompted_only else None)

    def escalation_targets(self, team: Team, at: datetime) -> tuple[str, ...]:
        """The managers who are not away today (their own today); when all are away, the team's stand-in."""
        with self.ctx.db.transaction() as session:
            away = store.away_of(session, team.id)
        present = []
        for manager in team.people_with(Role.manager):
            today = ops.local_today(self.person(team, manager), at)
            if not any(a.covers(today) for a in away.get(manager.user, [])):
                present.append(manager.user)
        if present:
            return tuple(present)
        return (team.stand_in,) if team.stand_in else ()

    def blocker_lines(self, team: Team, at: datetime, *, escalate: bool = False) -> list[blocks.BlockerLine]:
        """Every open blocker with its age; with ``escalate`` (a summary being posted), old ones are escalated —
        but never one the team has not yet seen un-escalated in an earlier summary."""
        cfg = self.config(team)
        targets = self.escalation_targets(team, at)
        audit = Audit(team.id, "opsbot", at)
        lines: list[blocks.BlockerLine] = []
        with self.ctx.db.transaction() as session:
            for blocker in store.open_blockers(session, team.id):
                member = team.member(blocker.user_id)
                person = self.person(team, member) if member else None
                calendar = person.calendar if person else ops.team_calendar(team)
                today = ops.local_today(person, at) if person else at.astimezone(team.zone).date()
                age = ops.blocker_age(calendar, blocker.raised_on, today)
                if escalate:
                    if (blocker.shown_at is not None and age >= cfg.escalate_after_workdays
                            and blocker.escalated_at is None):
                        blocker.escalated_at = at
                        audit(session, "standup-blocker", str(blocker.id), "open", "escalated", f"{age} workdays")
                    if blocker.shown_at is None:
                        blocker.shown_at = at
                escalated = blocker.escalated_at is not None
                lines.append(blocks.BlockerLine(blocker.id, blocker.text, blocker.user_id, age,
                                                targets if escalated else (), escalated=escalated))
        return lines

    def _summary_posted(self, team: Team, day: date) -> bool:
        """A day has one summary: one due again the same local day (the team's zone moved west) is not posted."""
        with self.ctx.db.transaction() as session:
            return any(m.day == day for m in store.summaries_since(session, team.id, day))

    def _last_summary_at(self, team: Team, day: date) -> datetime | None:
        """When the last summary before ``day`` was due: a summary lost to downtime leaves its rounds to the
        next one, so no answer is left out of a thread. Looks back a month at most."""
        with self.ctx.db.transaction() as session:
            earlier = [m for m in store.summaries_since(session, team.id, day - timedelta(days=31)) if m.day < day]
        if not earlier:
            return None
        return ops.at_local(earlier[-1].day, self.config(team).cutoff_time, team.zone)

    def _mentioned_this_week(self, team: Team, day: date) -> set[str]:
        """Missing people an earlier summary of the past week @-mentioned: this one names them plainly."""
        with self.ctx.db.transaction() as session:
            earlier = [m for m in store.summaries_since(session, team.id, day - timedelta(days=6)) if m.day < day]
            return {user for m in earlier for user in json.loads(m.mentioned_json or "[]")}

    def post_summary(self, team: Team, fire: datetime) -> None:
        day = fire.astimezone(team.zone).date()
        people = self.people(team)
        if not ops.is_summary_day(team, people, day) or self._summary_posted(team, day):
            return
        cfg = self.config(team)
        channel = team.channel(cfg.channel)
        if channel is None:
            log.warning("standup: team %s has no %s channel in team.yml", team.id, cfg.channel.value)
            return
        since, until = ops.summary_window(team, cfg, day, people)
        since = min(since, self._last_summary_at(team, day) or since)
        rounds = self._rounds(team, cfg, since, until)
        latest = self._latest(rounds)
        roster = self.classify(team, latest)
        mention = ops.mention_missing(roster.missing, self._mentioned_this_week(team, day))
        tr = translator(team.locale)
        names = {m.user: m.name for m in team.members}
        # Escalations, the summary and its replies: recorded and sent together.
        with self.ctx.db.transaction() as session:
            lines = self.blocker_lines(team, fire, escalate=True)
            parent = self.ctx.delivery.post(
                channel, blocks.summary_text(tr, day, roster),
                blocks.summary_blocks(tr, day, roster, lines, latest, mention=mention, names=names),
                receipt=self._sent(session, team, "summary", "", day, fire, rounds, mention),
            )
            # Every answered round in the window gets its reply: none is left out for being older than the latest.
            for user, days in rounds.items():
                member = team.member(user)
                for answered in days:
                    if member is not None:
                        self._post_answer(team, member, answered, channel, parent, summary_at=None)

    def _post_answer(self, team: Team, member: Member, day: date, channel: str, parent: Target, *,
                     summary_at: datetime | None) -> None:
        """The person's answers in the summary's thread; late when first submitted once the summary was out
        (``summary_at``; None while the summary itself is being posted)."""
        cfg, tr = self.config(team), translator(team.locale)
        with self.ctx.db.transaction() as session:
            entry = store.entry(session, team.id, member.user, day)
            if entry is None or entry.status != "answered":
                return
            answers, edited = json.loads(entry.answers_json), entry.edited_at is not None
            late = summary_at is not None and entry.submitted_at >= summary_at
            content = blocks.answer_blocks(tr, member.name, day, cfg.questions, answers, late=late, edited=edited)
            text = blocks.answer_text(tr, member.name)
            if entry.thread_ts:
                self.ctx.delivery.update(str(entry.thread_channel), entry.thread_ts, text, content)
            else:
                self.ctx.delivery.post(channel, text, content, thread_ts=parent,
                                            receipt=Receipt("standup.reply", str(entry.id)))

    @staticmethod
    def _summary_rounds(summary: store.StandupMessage) -> dict[str, list[date]]:
        found: dict[str, list[date]] = {}
        for user, days in json.loads(summary.rounds_json).items():
            listed = days if isinstance(days, list) else [days] if days else []
            found[user] = [date.fromisoformat(d) for d in listed]
        return found

    def _summary_showing(self, team: Team, user: str, day: date) -> store.StandupMessage | None:
        with self.ctx.db.transaction() as session:
            summaries = session.query(store.StandupMessage).filter_by(team_id=team.id, kind="summary", user_id="")
            for summary in summaries.order_by(store.StandupMessage.day.desc()).limit(14):
                if day in self._summary_rounds(summary).get(user, []):
                    return summary
        return None

    def refresh_summary_for(self, team: Team, member: Member, day: date) -> None:
        """A late answer, an edit or a skip after the summary: thread reply and counts kept current."""
        summary = self._summary_showing(team, member.user, day)
        if summary is None or summary.channel is None or summary.ts is None:
            return
        self._post_answer(team, member, day, summary.channel, summary.ts, summary_at=summary.sent_at)
        self._rerender(team, summary)

    def refresh_latest_summary(self, team: Team) -> None:
        with self.ctx.db.transaction() as session:
            summary = (
                session.query(store.StandupMessage)
                .filter_by(team_id=team.id, kind="summary", user_id="")
                .order_by(store.StandupMessage.day.desc())
                .first()
            )
        if summary is not None and summary.ts is not None:
            self._rerender(team, summary)

    def _rerender(self, team: Team, summary: store.StandupMessage) -> None:
        latest = self._latest(self._summary_rounds(summary))
        roster = self.classify(team, latest)
        tr = translator(team.locale)
        lines = self.blocker_lines(team, self.ctx.clock.now())
        mention = set(json.loads(summary.mentioned_json or "[]"))
        names = {m.user: m.name for m in team.members}
        self.ctx.delivery.update(
            str(summary.channel),
            str(summary.ts),
            blocks.summary_text(tr, summary.day, roster),
            blocks.summary_blocks(tr, summary.day, roster, lines, latest, mention=mention, names=names),
        )


RECEIPTS = (
    ReceiptHook("standup.message", store.StandupMessage, channel="channel", ts="ts"),  # prompts, reminders, summaries
    ReceiptHook("standup.reply", store.StandupEntry, channel="thread_channel", ts="thread_ts"),  # an answer's reply
)
