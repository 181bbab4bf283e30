"""Links between objects of different features: feedback -> restock request, promotion, launch task; meeting
action -> the same. One table, so a card can list what it started and each object can name where it came from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base, insert_ignore
from bot.ops.links import Ref


class LinkRow(Base):
    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("source_kind", "source_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    source_kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


def add(session: Session, team_id: str, source: Ref, target: Ref, *, by: str, at: datetime) -> bool:
    """Link ``source`` to what it started; True when the link is new (a second click links nothing twice)."""
    return insert_ignore(session, LinkRow, team_id=team_id, source_kind=source.kind, source_id=source.id,
                         target_kind=target.kind, target_id=target.id, created_by=by, created_at=at)


def targets(session: Session, source: Ref) -> list[Ref]:
    """What ``source`` started, oldest first."""
    rows = session.scalars(select(LinkRow).where(LinkRow.source_kind == source.kind,
                                                 LinkRow.source_id == source.id).order_by(LinkRow.id))
    return [Ref(row.target_kind, row.target_id) for row in rows]  # type: ignore[arg-type]


def sources(session: Session, target: Ref) -> list[Ref]:
    """Where ``target`` came from, oldest first."""
    rows = session.scalars(select(LinkRow).where(LinkRow.target_kind == target.kind,
                                                 LinkRow.target_id == target.id).order_by(LinkRow.id))
    return [Ref(row.source_kind, row.source_id) for row in rows]  # type: ignore[arg-type]


def touching(session: Session, ref: Ref) -> list[Ref]:
    """Everything linked to ``ref`` either way."""
    rows = session.scalars(select(LinkRow).where(or_(
        (LinkRow.source_kind == ref.kind) & (LinkRow.source_id == ref.id),
        (LinkRow.target_kind == ref.kind) & (LinkRow.target_id == ref.id))).order_by(LinkRow.id))
    return [Ref(r.target_kind, r.target_id) if (r.source_kind, r.source_id) == (ref.kind, ref.id)  # type: ignore[arg-type]
            else Ref(r.source_kind, r.source_id) for r in rows]  # type: ignore[arg-type]
