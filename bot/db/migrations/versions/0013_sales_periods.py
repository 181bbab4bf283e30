"""Period reports are periods: a Business Report by child item is one fact for the range it covers.

Seller Central names the file after the day it was downloaded, whatever range was chosen, so pinning it
to a day put two years of one SKU's sales "in a day". Such reports now go to `sales_periods`, one row per
team, marketplace, SKU and range; daily figures come only from daily sources.

Revision ID: 0013_sales_periods
Revises: 0012_one_history
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_sales_periods"
down_revision = "0012_one_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sales_periods",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(8), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("orders", sa.Integer, nullable=True),
        sa.Column("gmv", sa.Float, nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("sessions", sa.Integer, nullable=True),
        sa.Column("page_views", sa.Integer, nullable=True),
        sa.UniqueConstraint("team_id", "sku", "marketplace", "first_day", "last_day", name="uq_sales_periods"),
    )


def downgrade() -> None:
    op.drop_table("sales_periods")
