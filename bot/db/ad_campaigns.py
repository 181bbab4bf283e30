"""Sponsored Products spend and ad sales per campaign (the ``Campaign Name`` column of the advertised product
report), next to the per-SKU sums in ``ads_daily``: a goal can be the ACoS of named campaigns."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class AdCampaignDay(Base):
    __tablename__ = "ad_campaigns_daily"
    __table_args__ = (UniqueConstraint("team_id", "day", "marketplace", "campaign", "sku",
                                       name="uq_ad_campaigns_daily"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    campaign: Mapped[str] = mapped_column(String(255))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    clicks: Mapped[int] = mapped_column(Integer)
    spend: Mapped[float] = mapped_column(Float)
    ad_sales: Mapped[float] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
