"""Daily facts per team, marketplace, SKU and day, loaded from report exports, and the digest's alert state.

Each fact table has one row per natural key, day first (reports read ranges of days); loading a day again
replaces the columns that report provides, so re-loading a file or an overlapping period never double counts.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime

# A marketplace-wide row (the Business Report by date) has this SKU; it is never a real SKU.
ALL_SKUS = "*"


class SalesFigures:
    """What a sales fact holds for a team's SKU in a marketplace, whether it covers a day or a range."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str] = mapped_column(String(64))
    units: Mapped[int] = mapped_column(Integer)
    orders: Mapped[int | None] = mapped_column(Integer)
    gmv: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    sessions: Mapped[int | None] = mapped_column(Integer)
    page_views: Mapped[int | None] = mapped_column(Integer)


class SalesDay(SalesFigures, Base):
    __tablename__ = "sales_daily"
    __table_args__ = (UniqueConstraint("team_id", "day", "marketplace", "sku", name="uq_sales_daily"),)

    day: Mapped[date] = mapped_column(Date)


class SalesPeriod(SalesFigures, Base):
    """A report that covers a range (Business Report by child item): one fact for the whole range, never
    spread over its days nor pinned to one. Keyed SKU first: it is read per SKU (`/kpi SKU`)."""

    __tablename__ = "sales_periods"
    __table_args__ = (
        UniqueConstraint("team_id", "sku", "marketplace", "first_day", "last_day", name="uq_sales_periods"),
    )

    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class AdsDay(Base):
    __tablename__ = "ads_daily"
    __table_args__ = (UniqueConstraint("team_id", "day", "marketplace", "sku", name="uq_ads_daily"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    impressions: Mapped[int] = mapped_column(Integer)
    clicks: Mapped[int] = mapped_column(Integer)
    spend: Mapped[float] = mapped_column(Float)
    ad_sales: Mapped[float] = mapped_column(Float)
    ad_orders: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))


class InventoryDay(Base):
    __tablename__ = "inventory_daily"
    __table_args__ = (UniqueConstraint("team_id", "day", "marketplace", "sku", name="uq_inventory_daily"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    available: Mapped[int | None] = mapped_column(Integer)
    inbound: Mapped[int | None] = mapped_column(Integer)


class ReturnDay(Base):
    __tablename__ = "returns_daily"
    __table_args__ = (
        UniqueConstraint("team_id", "day", "marketplace", "sku", "reason", name="uq_returns_daily"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(64))
    units: Mapped[int] = mapped_column(Integer)


class ReportSku(Base):
    """A SKU some report of the team mentioned, per marketplace: what "known SKUs" means, kept at ingest."""

    __tablename__ = "report_skus"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    marketplace: Mapped[str] = mapped_column(String(8), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The first day any report has of it: its velocity counts calendar days from here (or from the window's start).
    first_day: Mapped[date | None] = mapped_column(Date)


class KpiAlert(Base):
    """An alert fires once when its threshold is crossed and re-arms only after the number recovers."""

    __tablename__ = "kpi_alerts"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_kpi_alerts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    firing: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class KpiDigest(Base):
    """A team's morning digest for one day, posted once: the unique key stops a second post from any process."""

    __tablename__ = "kpi_digests"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
