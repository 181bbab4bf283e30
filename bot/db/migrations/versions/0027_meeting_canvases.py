"""Meetings: the canvas each meeting's agenda and record are written to (and why a workspace refused one), and the
agenda line a decision or action was recorded on.

Revision ID: 0027_meeting_canvases
Revises: 0026_goal_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_meeting_canvases"
down_revision = "0026_goal_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as table:
        table.add_column(sa.Column("canvas_id", sa.String(32), nullable=True))
        table.add_column(sa.Column("canvas_error", sa.String(64), nullable=True))
    with op.batch_alter_table("meeting_entries") as table:
        table.add_column(sa.Column("line", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_entries") as table:
        table.drop_column("line")
    with op.batch_alter_table("meetings") as table:
        table.drop_column("canvas_error")
        table.drop_column("canvas_id")
