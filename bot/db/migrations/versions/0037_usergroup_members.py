"""Who is in each Slack user group that gives a role, with when Slack said so, so that a form's answer checks a
role without asking Slack (issue 17).

Revision ID: 0037_usergroup_members
Revises: 0036_work_free_index
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0037_usergroup_members"
down_revision = "0036_work_free_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usergroup_members",
        sa.Column("workspace", sa.String(32), primary_key=True),
        sa.Column("group_id", sa.String(32), primary_key=True),
        sa.Column("members", sa.Text(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("usergroup_members")
