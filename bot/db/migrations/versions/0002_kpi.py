"""Daily sales and traffic, ads, inventory snapshots and returns per SKU and marketplace; KPI alert state.

Revision ID: 0002_kpi
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0002_kpi"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _key() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(8), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sales_daily", *_key(),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("orders", sa.Integer),
        sa.Column("gmv", sa.Float),
        sa.Column("currency", sa.String(3)),
        sa.Column("sessions", sa.Integer),
        sa.Column("page_views", sa.Integer),
        sa.UniqueConstraint("team_id", "marketplace", "sku", "day", name="uq_sales_daily"),
    )
    op.create_table(
        "ads_daily", *_key(),
        sa.Column("impressions", sa.Integer, nullable=False),
        sa.Column("clicks", sa.Integer, nullable=False),
        sa.Column("spend", sa.Float, nullable=False),
        sa.Column("ad_sales", sa.Float, nullable=False),
        sa.Column("ad_orders", sa.Integer),
        sa.Column("currency", sa.String(3)),
        sa.UniqueConstraint("team_id", "marketplace", "sku", "day", name="uq_ads_daily"),
    )
    op.create_table(
        "inventory_daily", *_key(),
        sa.Column("available", sa.Integer),
        sa.Column("inbound", sa.Integer),
        sa.UniqueConstraint("team_id", "marketplace", "sku", "day", name="uq_inventory_daily"),
    )
    op.create_table(
        "returns_daily", *_key(),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.UniqueConstraint("team_id", "marketplace", "sku", "day", "reason", name="uq_returns_daily"),
    )
    op.create_table(
        "kpi_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("firing", sa.Boolean, nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "key", name="uq_kpi_alerts"),
    )


def downgrade() -> None:
    for table in ("kpi_alerts", "returns_daily", "inventory_daily", "ads_daily", "sales_daily"):
        op.drop_table(table)
