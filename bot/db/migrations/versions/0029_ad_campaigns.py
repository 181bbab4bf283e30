"""Ad spend and sales per campaign (a goal can be the ACoS of named campaigns), and goals edited in Slack.

Revision ID: 0029_ad_campaigns
Revises: 0027_meeting_canvases
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0029_ad_campaigns"
down_revision = "0027_meeting_canvases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ad_campaigns_daily",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(8), nullable=False),
        sa.Column("campaign", sa.String(255), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("clicks", sa.Integer, nullable=False),
        sa.Column("spend", sa.Float, nullable=False),
        sa.Column("ad_sales", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3)),
        sa.UniqueConstraint("team_id", "day", "marketplace", "campaign", "sku", name="uq_ad_campaigns_daily"),
    )
    op.create_table(
        "goal_edits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("goal_id", sa.String(40), nullable=False),
        sa.Column("definition", sa.Text),
        sa.Column("edited_by", sa.String(32), nullable=False),
        sa.Column("edited_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_goal_edits_goal", "goal_edits", ["team_id", "goal_id"])


def downgrade() -> None:
    op.drop_index("ix_goal_edits_goal", table_name="goal_edits")
    op.drop_table("goal_edits")
    op.drop_table("ad_campaigns_daily")
