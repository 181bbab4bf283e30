"""A new launch's channel step, stored with the launch (issue 17, "nothing acknowledged is lost"): the launch asked
for a channel of its own, and a process that died between the form's answer and the channel (kill -9, a deploy)
left it in the channel it was asked in, with no checklist anywhere and no DM. The owed step is held under a lease
and taken over by a live replica's scheduler tick once that runs out; the partial index holds only owed steps.

Revision ID: 0038_launch_channel_step
Revises: 0037_usergroup_members
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0038_launch_channel_step"
down_revision = "0037_usergroup_members"
branch_labels = None
depends_on = None

_OWED = sa.text("done_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "launch_channel_steps",
        sa.Column("launch_id", sa.Integer(), sa.ForeignKey("launches.id"), primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_launch_channel_steps_owed", "launch_channel_steps", ["lease_until"],
                    postgresql_where=_OWED, sqlite_where=_OWED)


def downgrade() -> None:
    op.drop_index("ix_launch_channel_steps_owed", table_name="launch_channel_steps")
    op.drop_table("launch_channel_steps")
