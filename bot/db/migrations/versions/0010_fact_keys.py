"""Daily facts keyed day first, and the SKUs seen in reports kept apart.

The unique key of each fact table becomes (team_id, day, marketplace, sku[, reason]): the digest and
`/kpi` read a range of days, which the old (team_id, marketplace, sku, day) key could not serve, so
they scanned a year of rows. The SKUs a team's reports mention go to `report_skus`, filled at ingest:
"which SKUs do we know" (feedback, restock, `/kpi`) no longer scans every fact.

Revision ID: 0010_fact_keys
Revises: 0002_kpi
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_fact_keys"
down_revision = "0002_kpi"
branch_labels = None
depends_on = None

TABLES = {
    "sales_daily": (),
    "ads_daily": (),
    "inventory_daily": (),
    "returns_daily": ("reason",),
}


def upgrade() -> None:
    for table, extra in TABLES.items():
        # SQLite cannot drop a constraint in place: batch mode rebuilds the table, rows and all.
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.drop_constraint(f"uq_{table}", type_="unique")
            batch.create_unique_constraint(f"uq_{table}", ["team_id", "day", "marketplace", "sku", *extra])
    op.create_table(
        "report_skus",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("marketplace", sa.String(8), primary_key=True),
        sa.Column("sku", sa.String(64), primary_key=True),
    )
    op.execute(
        "INSERT INTO report_skus (team_id, marketplace, sku) "
        + " UNION ".join(f"SELECT DISTINCT team_id, marketplace, sku FROM {t} WHERE sku <> '*'" for t in TABLES)
    )


def downgrade() -> None:
    op.drop_table("report_skus")
    for table, extra in TABLES.items():
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.drop_constraint(f"uq_{table}", type_="unique")
            batch.create_unique_constraint(f"uq_{table}", ["team_id", "marketplace", "sku", "day", *extra])
