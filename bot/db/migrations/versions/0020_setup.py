"""A team's setup made in Slack with /ops setup: what team.yml leaves out, kept per team.

Revision ID: 0020_setup
Revises: 0019_work_queue
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0020_setup"
down_revision = "0019_work_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_setups",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("settings_json", sa.Text, nullable=False),
        sa.Column("saved_by", sa.String(32), nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("team_setups")
