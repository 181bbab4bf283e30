"""Weekly meetings and monthly reviews: each meeting held and its record (items, decisions, actions).

Revision ID: 0025_meetings
Revises: 0024_promotions
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0025_meetings"
down_revision = "0024_promotions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False, index=True),
        sa.Column("rhythm", sa.String(16), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("agenda_json", sa.Text),
        sa.Column("agenda_sent_at", UTCDateTime()),
        sa.Column("summary_sent_at", UTCDateTime()),
        sa.UniqueConstraint("team_id", "rhythm", "held_on", name="uq_meetings_day"),
    )
    op.create_table(
        "meeting_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False, index=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(32)),
        sa.Column("section", sa.String(32)),
        sa.Column("due", sa.Date),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime()),
        sa.Column("reminded_before", sa.Date),
        sa.Column("reminded_on", sa.Date),
    )


def downgrade() -> None:
    op.drop_table("meeting_entries")
    op.drop_table("meetings")
