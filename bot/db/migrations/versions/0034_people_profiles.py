"""Each person's last profile Slack gave (language, time zone, name), so that a process started while Slack does
not answer still writes to them in their language on their clock (issue 17).

Revision ID: 0034_people_profiles
Revises: 0033_work_lanes
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0034_people_profiles"
down_revision = "0033_work_lanes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people_profiles",
        sa.Column("workspace", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("tz", sa.String(64), nullable=True),
        sa.Column("locale", sa.String(32), nullable=True),
        sa.Column("learned_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("people_profiles")
