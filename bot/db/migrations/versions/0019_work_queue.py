"""The work table: Slack requests acknowledged at once and worked on afterwards by any replica.

Revision ID: 0019_work_queue
Revises: 0018_feedback_consent
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0019_work_queue"
down_revision = "0018_feedback_consent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("owner", sa.String(100)),
        sa.Column("lease_until", UTCDateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_work_lease", "work", ["lease_until", "id"])


def downgrade() -> None:
    op.drop_index("ix_work_lease", "work")
    op.drop_table("work")
