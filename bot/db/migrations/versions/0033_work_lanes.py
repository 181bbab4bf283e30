"""Lanes in the work queue: a request that carries a trigger_id (a command, a button, a shortcut) can open a
form only within 3 seconds of Slack sending it, so fresh ones have work threads of their own and never wait
behind slow work (events, or requests held by a slow Slack).

Revision ID: 0033_work_lanes
Revises: 0032_catalog_skus
"""

import sqlalchemy as sa
from alembic import op

revision = "0033_work_lanes"
down_revision = "0032_catalog_skus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("work") as batch:
        batch.add_column(sa.Column("lane", sa.SmallInteger, nullable=False, server_default="0"))
    op.create_index("ix_work_lane", "work", ["lane", "id"])


def downgrade() -> None:
    op.drop_index("ix_work_lane", table_name="work")
    with op.batch_alter_table("work") as batch:
        batch.drop_column("lane")
