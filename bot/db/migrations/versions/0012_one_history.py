"""One history from here on: every feature's branch joins, so the database has one head to be at.

Until now each feature's migration branched from the foundation and the database sat at several heads at once;
a database at all of them (every deployed team's) moves to this one revision, changing no table. Later
migrations follow it in a line, and `opsbot db upgrade` goes to "head", not "heads".

Revision ID: 0012_one_history
Revises: 0003_standup, 0004_restock, 0005_launch, 0008_installations, 0009_replays, 0010_fact_keys, 0011_outbox
"""

revision = "0012_one_history"
down_revision = (
    "0003_standup",
    "0004_restock",
    "0005_launch",
    "0008_installations",
    "0009_replays",
    "0010_fact_keys",
    "0011_outbox",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
