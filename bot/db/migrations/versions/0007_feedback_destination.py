"""Market feedback cards remember whom they were for (a channel or a person's DM), not only where they sit.

Revision ID: 0007_feedback_destination
Revises: 0006_feedback
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_feedback_destination"
down_revision = "0006_feedback"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_cards") as batch:
        batch.add_column(sa.Column("destination", sa.String(40), nullable=True))
    # Cards posted before this revision all went to channels.
    op.execute("UPDATE feedback_cards SET destination = '#' || channel WHERE destination IS NULL")
    with op.batch_alter_table("feedback_cards") as batch:
        batch.alter_column("destination", existing_type=sa.String(40), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback_cards") as batch:
        batch.drop_column("destination")
