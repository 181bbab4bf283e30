"""Scheduled fires whose claimant died are found by every tick: an index on the unfinished claims only.

Revision ID: 0031_fire_leases
Revises: 0029_ad_campaigns
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_fire_leases"
down_revision = "0029_ad_campaigns"
branch_labels = None
depends_on = None

UNFINISHED = sa.text("finished_at IS NULL")


def upgrade() -> None:
    # Partial: a year of finished fires (every person's prompt, every day) stays out of it.
    op.create_index("ix_job_fires_unfinished", "job_fires", ["claimed_at"],
                    postgresql_where=UNFINISHED, sqlite_where=UNFINISHED)


def downgrade() -> None:
    op.drop_index("ix_job_fires_unfinished", table_name="job_fires")
