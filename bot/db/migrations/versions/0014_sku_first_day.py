"""The day each SKU was first seen in a report: where its velocity's window starts.

Velocity is units per calendar day since the SKU was listed (days without sales count as zero), so a SKU
listed ten days ago is not averaged over thirty. Filled at ingest; here from the facts already loaded.

Revision ID: 0014_sku_first_day
Revises: 0013_sales_periods
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_sku_first_day"
down_revision = "0013_sales_periods"
branch_labels = None
depends_on = None

FACTS = ("sales_daily", "ads_daily", "inventory_daily", "returns_daily")


def upgrade() -> None:
    with op.batch_alter_table("report_skus") as batch:
        batch.add_column(sa.Column("first_day", sa.Date, nullable=True))
    seen = " UNION ALL ".join(
        f"SELECT min(day) AS day FROM {t} WHERE {t}.team_id = report_skus.team_id "
        f"AND {t}.marketplace = report_skus.marketplace AND {t}.sku = report_skus.sku" for t in FACTS)
    op.execute(f"UPDATE report_skus SET first_day = (SELECT min(day) FROM ({seen}) AS seen)")


def downgrade() -> None:
    with op.batch_alter_table("report_skus") as batch:
        batch.drop_column("first_day")
