"""Promotions and where their cards are."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base


class Promotion(Base):
    __tablename__ = "promotions"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    owner: Mapped[str] = mapped_column(String(32))
    skus: Mapped[str] = mapped_column(Text)  # comma separated, as resolved against the reports
    marketplace: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(24))
    discount: Mapped[float | None] = mapped_column(Float)  # a fraction
    amount: Mapped[float | None] = mapped_column(Float)
    budget: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    needs_approval: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def ref(self) -> str:
        return f"P-{self.id}"

    @property
    def sku_list(self) -> list[str]:
        return [s for s in self.skus.split(",") if s]


def move(session: Session, promo_id: int, version: int, values: dict[str, object]) -> bool:
    """Apply a change only if nobody changed the promotion since ``version`` was read: two approvers, one wins."""
    result = session.execute(update(Promotion).where(Promotion.id == promo_id, Promotion.version == version)
                             .values(version=version + 1, **values))
    return bool(getattr(result, "rowcount", 0) == 1)


def promotions_of(session: Session, team_id: str, states: tuple[str, ...] | None = None) -> list[Promotion]:
    query = select(Promotion).where(Promotion.team_id == team_id)
    if states is not None:
        query = query.where(Promotion.state.in_(states))
    return list(session.scalars(query.order_by(Promotion.start_day, Promotion.id)))
