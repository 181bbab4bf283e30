"""Stand-up storage: entries (answers and skips), time away, blockers, prompts sent, summaries."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base
from bot.ops.standup import Away, Entry


class StandupEntry(Base):
    __tablename__ = "standup_entries"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "round_date", name="uq_standup_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(32))
    round_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    answers_json: Mapped[str] = mapped_column(Text, default="{}")
    mood: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    thread_channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))

    def as_entry(self) -> Entry:
        return Entry(self.user_id, self.round_date, self.status, json.loads(self.answers_json), self.mood, self.note)


class StandupAway(Base):
    __tablename__ = "standup_away"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(32))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class StandupBlocker(Base):
    __tablename__ = "standup_blockers"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(32))
    escalated_at: Mapped[datetime | None]
    # First shown in a posted summary: a blocker is escalated only after the team has seen it un-escalated.
    shown_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(Text)  # why someone other than the owner resolved it


class StandupMessage(Base):
    """A prompt or reminder DM, or a summary, sent once per (kind, user or team, day)."""

    __tablename__ = "standup_messages"
    __table_args__ = (UniqueConstraint("team_id", "kind", "user_id", "day", name="uq_standup_message"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # prompt | reminder | summary
    user_id: Mapped[str] = mapped_column(String(32))  # "" for the team's summary
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    # summary: user -> the round dates it covers, oldest first (a plain date string in older rows)
    rounds_json: Mapped[str] = mapped_column(Text, default="{}")
    mentioned_json: Mapped[str] = mapped_column(Text, default="[]")  # summary: missing people it @-mentioned
    sent_at: Mapped[datetime]


class StandupPreference(Base):
    __tablename__ = "standup_preferences"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_standup_preference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(32))
    reminders: Mapped[bool]


def entry(session: Session, team_id: str, user: str, day: date) -> StandupEntry | None:
    return session.scalar(
        select(StandupEntry).where(
            StandupEntry.team_id == team_id, StandupEntry.user_id == user, StandupEntry.round_date == day
        )
    )


def previous_answer(session: Session, team_id: str, user: str, before: date) -> StandupEntry | None:
    return session.scalar(
        select(StandupEntry)
        .where(
            StandupEntry.team_id == team_id,
            StandupEntry.user_id == user,
            StandupEntry.round_date < before,
            StandupEntry.status == "answered",
        )
        .order_by(StandupEntry.round_date.desc())
        .limit(1)
    )


def entries_between(
    session: Session, team_id: str, start: date, end: date, user: str | None = None
) -> list[StandupEntry]:
    query = select(StandupEntry).where(
        StandupEntry.team_id == team_id, StandupEntry.round_date >= start, StandupEntry.round_date <= end
    )
    if user:
        query = query.where(StandupEntry.user_id == user)
    return list(session.scalars(query.order_by(StandupEntry.round_date, StandupEntry.user_id)))


def away_of(session: Session, team_id: str) -> dict[str, list[Away]]:
    found: dict[str, list[Away]] = {}
    for row in session.scalars(select(StandupAway).where(StandupAway.team_id == team_id)):
        found.setdefault(row.user_id, []).append(Away(row.start, row.end, row.note))
    return found


def open_blockers(session: Session, team_id: str) -> list[StandupBlocker]:
    return list(
        session.scalars(
            select(StandupBlocker)
            .where(StandupBlocker.team_id == team_id, StandupBlocker.resolved_at.is_(None))
            .order_by(StandupBlocker.raised_on, StandupBlocker.id)
        )
    )


def open_blockers_of(session: Session, team_id: str, user: str) -> list[StandupBlocker]:
    return [b for b in open_blockers(session, team_id) if b.user_id == user]


def away_rows(session: Session, team_id: str, user: str, today: date) -> list[StandupAway]:
    """A person's leave in progress or still to come, in date order: what ``ooo list`` numbers."""
    return list(
        session.scalars(
            select(StandupAway)
            .where(StandupAway.team_id == team_id, StandupAway.user_id == user, StandupAway.end >= today)
            .order_by(StandupAway.start, StandupAway.id)
        )
    )


def prompted_days(session: Session, team_id: str, user: str, start: date, end: date) -> set[date]:
    """The days a person's prompt went out: a day never prompted is never "missing"."""
    return set(
        session.scalars(
            select(StandupMessage.day).where(
                StandupMessage.team_id == team_id,
                StandupMessage.kind == "prompt",
                StandupMessage.user_id == user,
                StandupMessage.day >= start,
                StandupMessage.day <= end,
            )
        )
    )


def summaries_since(session: Session, team_id: str, since: date) -> list[StandupMessage]:
    return list(
        session.scalars(
            select(StandupMessage)
            .where(StandupMessage.team_id == team_id, StandupMessage.kind == "summary", StandupMessage.day >= since)
            .order_by(StandupMessage.day)
        )
    )


def message(session: Session, team_id: str, kind: str, user: str, day: date) -> StandupMessage | None:
    return session.scalar(
        select(StandupMessage).where(
            StandupMessage.team_id == team_id,
            StandupMessage.kind == kind,
            StandupMessage.user_id == user,
            StandupMessage.day == day,
        )
    )


def reminders_on(session: Session, team_id: str, user: str) -> bool:
    pref = session.scalar(
        select(StandupPreference).where(StandupPreference.team_id == team_id, StandupPreference.user_id == user)
    )
    return True if pref is None else pref.reminders
