"""Launch checklists: launches, tasks, one-off posts.

Revision ID: 0005_launch
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0005_launch"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "launches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("skus_json", sa.Text, nullable=False),
        sa.Column("marketplaces_json", sa.Text, nullable=False),
        sa.Column("launch_date", sa.Date, nullable=False),
        sa.Column("playbook", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("checklist_ts", sa.String(32)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "slug", name="uq_launch_slug"),
    )
    op.create_table(
        "launch_tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("launch_id", sa.Integer, sa.ForeignKey("launches.id"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(64), nullable=False),
        sa.Column("title_json", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(32), nullable=False),
        sa.Column("stand_in", sa.Boolean, nullable=False),
        sa.Column("offset", sa.Integer, nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("blocked_reason", sa.Text),
        sa.Column("depends_json", sa.Text, nullable=False),
        sa.Column("gate", sa.Boolean, nullable=False),
        sa.Column("done_by", sa.String(32)),
        sa.Column("done_at", UTCDateTime()),
        sa.UniqueConstraint("launch_id", "key", name="uq_launch_task_key"),
    )
    op.create_table(
        "launch_posts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("launch_id", sa.Integer, sa.ForeignKey("launches.id"), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("launch_id", "kind", name="uq_launch_post"),
    )


def downgrade() -> None:
    op.drop_table("launch_posts")
    op.drop_table("launch_tasks")
    op.drop_table("launches")
