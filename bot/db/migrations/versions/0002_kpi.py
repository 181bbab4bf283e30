"""Daily sales, traffic and stock per SKU and marketplace.

Revision ID: 0002_kpi
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_kpi"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sales_daily",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(8), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("orders", sa.Integer),
        sa.Column("gmv", sa.Float),
        sa.Column("currency", sa.String(3)),
        sa.Column("sessions", sa.Integer),
        sa.Column("available", sa.Integer),
        sa.Column("inbound", sa.Integer),
        sa.UniqueConstraint("team_id", "marketplace", "sku", "day", name="uq_sales_daily"),
    )


def downgrade() -> None:
    op.drop_table("sales_daily")
