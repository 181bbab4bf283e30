"""Daily facts per SKU and marketplace, loaded from report exports; re-loading a day replaces it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class SalesDay(Base):
    __tablename__ = "sales_daily"
    __table_args__ = (UniqueConstraint("team_id", "marketplace", "sku", "day", name="uq_sales_daily"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    units: Mapped[int] = mapped_column(Integer)
    orders: Mapped[int | None] = mapped_column(Integer)
    gmv: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    sessions: Mapped[int | None] = mapped_column(Integer)
    available: Mapped[int | None] = mapped_column(Integer)
    inbound: Mapped[int | None] = mapped_column(Integer)
