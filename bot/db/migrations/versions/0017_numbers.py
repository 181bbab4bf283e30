"""Each team's morning digest is posted once a day: `opsbot digest --post` run again, or after the scheduled
one, says where it went instead of posting it twice.

Revision ID: 0017_numbers
Revises: 0016_launch_decisions
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0017_numbers"
down_revision = "0016_launch_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_digests",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kpi_digests")
