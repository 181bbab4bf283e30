"""Meetings storage: each weekly meeting or monthly review held (its agenda as it went out) and its record —
items people added, decisions and actions, each linked to the agenda line it came from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, insert_ignore


class MeetingRow(Base):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("team_id", "rhythm", "held_on", name="uq_meetings_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    rhythm: Mapped[str] = mapped_column(String(16))  # weekly | monthly
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(32))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # The agenda as it went out: [{key, title, lines}], so the record and the export show what people saw.
    agenda_json: Mapped[str | None] = mapped_column(Text)
    agenda_sent_at: Mapped[datetime | None]
    summary_sent_at: Mapped[datetime | None]
    # The canvas the agenda and record are also written to, once; or why the workspace refused one (its plan, a
    # scope not granted): then the meeting is messages only.
    canvas_id: Mapped[str | None] = mapped_column(String(32))
    canvas_error: Mapped[str | None] = mapped_column(String(64))


class MeetingEntry(Base):
    """One line of a meeting's record: an item added to its agenda, a decision or an action (A-7)."""

    __tablename__ = "meeting_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    kind: Mapped[str] = mapped_column(String(16))  # item | decision | action
    text: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(32))
    section: Mapped[str | None] = mapped_column(String(32))  # the agenda section's key it is linked to
    line: Mapped[int | None] = mapped_column(Integer)  # and the line of that section it was recorded on
    due: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")  # actions: open | done | blocked
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    reminded_before: Mapped[date | None] = mapped_column(Date)  # the due date the "tomorrow" reminder was for
    reminded_on: Mapped[date | None] = mapped_column(Date)  # the due date the "today" reminder was for


def meeting(session: Session, team_id: str, rhythm: str, held_on: date) -> MeetingRow | None:
    return session.scalar(select(MeetingRow).where(MeetingRow.team_id == team_id, MeetingRow.rhythm == rhythm,
                                                   MeetingRow.held_on == held_on))


def ensure_meeting(session: Session, team_id: str, rhythm: str, held_on: date, **values: object) -> MeetingRow:
    """The meeting's row, made once however many replicas or people ask for it at the same moment."""
    insert_ignore(session, MeetingRow, team_id=team_id, rhythm=rhythm, held_on=held_on, **values)
    found = meeting(session, team_id, rhythm, held_on)
    assert found is not None
    return found


def meeting_by_id(session: Session, team_id: str, meeting_id: int) -> MeetingRow | None:
    return session.scalar(select(MeetingRow).where(MeetingRow.team_id == team_id, MeetingRow.id == meeting_id))


def meetings_of(session: Session, team_id: str, start: date | None = None, end: date | None = None) -> list[MeetingRow]:
    query = select(MeetingRow).where(MeetingRow.team_id == team_id)
    if start is not None:
        query = query.where(MeetingRow.held_on >= start)
    if end is not None:
        query = query.where(MeetingRow.held_on <= end)
    return list(session.scalars(query.order_by(MeetingRow.starts_at, MeetingRow.id)))


def entries_of(session: Session, meeting_id: int, kind: str | None = None) -> list[MeetingEntry]:
    query = select(MeetingEntry).where(MeetingEntry.meeting_id == meeting_id)
    if kind is not None:
        query = query.where(MeetingEntry.kind == kind)
    return list(session.scalars(query.order_by(MeetingEntry.id)))


def entry(session: Session, team_id: str, entry_id: int) -> MeetingEntry | None:
    return session.scalar(select(MeetingEntry).where(MeetingEntry.team_id == team_id, MeetingEntry.id == entry_id))


def action_by_id(session: Session, entry_id: int) -> MeetingEntry | None:
    return session.scalar(select(MeetingEntry).where(MeetingEntry.id == entry_id, MeetingEntry.kind == "action"))


def actions_of(session: Session, team_id: str, *, owner: str | None = None, before: datetime | None = None
               ) -> list[MeetingEntry]:
    """A team's actions (``owner``'s only, recorded before ``before``), oldest first."""
    query = select(MeetingEntry).where(MeetingEntry.team_id == team_id, MeetingEntry.kind == "action")
    if owner is not None:
        query = query.where(MeetingEntry.owner == owner)
    if before is not None:
        query = query.where(MeetingEntry.created_at < before)
    return list(session.scalars(query.order_by(MeetingEntry.due, MeetingEntry.id)))


def open_actions(session: Session, team_id: str) -> list[MeetingEntry]:
    return list(session.scalars(select(MeetingEntry).where(
        MeetingEntry.team_id == team_id, MeetingEntry.kind == "action", MeetingEntry.state != "done",
    ).order_by(MeetingEntry.due, MeetingEntry.id)))
