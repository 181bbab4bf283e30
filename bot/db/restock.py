"""Restock requests and where their cards are."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base
from bot.db.feedback import FeedbackItem


class RestockRequest(Base):
    __tablename__ = "restock_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    requester: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    destination: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
    suggested: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    needed_by: Mapped[date | None] = mapped_column(Date)
    freight_mode: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    # Filed from a private place and kept private by its requester: the team's card shows everything but the note.
    note_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Filed from a private place (held until its requester answered): what it was filed for is named on the team's
    # card without its words.
    filed_privately: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    po_number: Mapped[str | None] = mapped_column(String(64))
    supplier: Mapped[str | None] = mapped_column(String(120))
    eta: Mapped[date | None] = mapped_column(Date)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking: Mapped[str | None] = mapped_column(String(120))
    received_quantity: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    copy_channel: Mapped[str | None] = mapped_column(String(32))
    copy_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    eta_alerted_at: Mapped[datetime | None]

    @property
    def ref(self) -> str:
        return f"R-{self.id}"


def move(session: Session, request_id: int, version: int, values: dict[str, object]) -> bool:
    """Apply a change only if nobody changed the request since ``version`` was read: two approvers, one wins."""
    result = session.execute(
        update(RestockRequest)
        .where(RestockRequest.id == request_id, RestockRequest.version == version)
        .values(version=version + 1, **values)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def requests_of(session: Session, team_id: str) -> list[RestockRequest]:
    return list(session.scalars(select(RestockRequest).where(RestockRequest.team_id == team_id)
                                .order_by(RestockRequest.id.desc())))


def pending_of_sku(session: Session, team_id: str, sku: str, marketplace: str | None) -> RestockRequest | None:
    """The newest request of ``sku`` still waiting for a decision (in ``marketplace`` when given)."""
    query = select(RestockRequest).where(RestockRequest.team_id == team_id, RestockRequest.sku == sku,
                                         RestockRequest.state == "requested")
    if marketplace:
        query = query.where(RestockRequest.marketplace == marketplace)
    return session.scalars(query.order_by(RestockRequest.id.desc()).limit(1)).first()


def feedback_in_team(session: Session, team_id: str, feedback_id: int) -> bool:
    """Whether F-``feedback_id`` is this team's (a link never reaches another team's item)."""
    item = session.get(FeedbackItem, feedback_id)
    return item is not None and item.team_id == team_id


def feedback_closed(session: Session, feedback_id: int) -> bool:
    """Whether F-``feedback_id`` is closed (its card has no buttons left: a press on it is stale or forged)."""
    item = session.get(FeedbackItem, feedback_id)
    return item is not None and item.state == "closed"
